import { validate } from '@readme/openapi-parser'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app'

async function document(): Promise<Record<string, unknown> & { paths: Record<string, object> }> {
  const response = await createApp().request('/openapi.json')
  expect(response.status).toBe(200)
  return response.json()
}

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3', async () => {
    const result = await validate(structuredClone(await document()) as never)

    expect(result.valid ? [] : result.errors).toEqual([])
    expect(result.specification).toBe('OpenAPI')
  })

  it('describes the whole HTTP surface', async () => {
    const paths = Object.keys((await document()).paths)

    expect(paths).toEqual(
      expect.arrayContaining([
        '/health',
        '/.well-known/jwks.json',
        '/webhooks/crm/{event}',
        '/webhooks/red360/social-metrics',
        '/api/sync/agency',
        '/api/sync/package',
        '/api/sync/user',
        '/api/sync/bulk',
        '/api/sync/bulk/{job_id}',
        '/api/agencies/{id}',
        '/api/packages/{id}',
      ]),
    )
  })

  it('takes its request schemas from the validating zod schemas', async () => {
    const doc = await document()
    const bulk = doc.paths['/api/sync/bulk'] as {
      post: { requestBody: { content: Record<string, { schema: unknown }> } }
    }

    expect(JSON.stringify(bulk.post.requestBody.content['application/json'])).toContain(
      'BulkSyncRequest',
    )
  })
})

describe('the docs page', () => {
  it('lists every operation for people, without scripts', async () => {
    const response = await createApp().request('/docs')
    const page = await response.text()

    expect(response.headers.get('content-type')).toContain('text/html')
    expect(page).toContain('/api/sync/bulk/{job_id}')
    expect(page).toContain('/webhooks/red360/social-metrics')
    expect(page).not.toContain('<script')
  })
})
