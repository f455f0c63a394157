import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { json, useTestSandbox } from './support.ts'

const sandbox = useTestSandbox()

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3 document of every /v1 route and no control route', async () => {
    const document = await json(await fetch(`${sandbox().url}/openapi.json`))

    expect(document.openapi).toMatch(/^3\./)
    expect(document.info).toMatchObject({ title: 'Red 360 ingest API' })
    expect(Object.keys(document.paths as object).sort()).toEqual([
      '/v1/agencies/{id}',
      '/v1/notifications',
      '/v1/packages/{id}',
      '/v1/users/{id}',
    ])
    const paths = document.paths as Record<string, Record<string, unknown>>
    for (const path of ['/v1/agencies/{id}', '/v1/packages/{id}', '/v1/users/{id}']) {
      expect(Object.keys(paths[path] ?? {}).sort()).toEqual(['delete', 'put'])
    }
    expect(Object.keys(paths['/v1/notifications'] ?? {})).toEqual(['post'])
  })

  it('matches the committed docs/red360-ingest.openapi.json', async () => {
    const committed: unknown = JSON.parse(
      await readFile(new URL('../../docs/red360-ingest.openapi.json', import.meta.url), 'utf8'),
    )
    const generated = await json(await fetch(`${sandbox().url}/openapi.json`))

    expect(committed, 'regenerate it: node scripts/write-contract.ts').toEqual(generated)
  })
})
