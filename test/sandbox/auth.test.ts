import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { startSandbox } from '../../sandbox/server.ts'
import { agency, json, useTestSandbox } from './support.ts'

const sandbox = useTestSandbox()

async function expectRefused(token: string | null): Promise<void> {
  const response = await sandbox().put('agency', agency(), { token })

  expect(response.status).toBe(401)
  expect(await json(response)).toEqual({
    error: 'invalid_token',
    message: 'The bearer token is missing or invalid.',
  })
  expect((await sandbox().control('GET', '/entities/agency/1')).status).toBe(404)
}

describe('bearer tokens', () => {
  it('accepts a token signed by a trusted key', async () => {
    expect((await sandbox().put('agency', agency())).status).toBe(201)
  })

  it('refuses a request without a token', async () => {
    await expectRefused(null)
  })

  it('refuses a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256')
    await expectRefused(await sandbox().token({ key: privateKey }))
  })

  it('refuses a token for another audience', async () => {
    await expectRefused(await sandbox().token({ audience: 'someone-else' }))
  })

  it('refuses a token from another issuer', async () => {
    await expectRefused(await sandbox().token({ issuer: 'someone-else' }))
  })

  it('refuses a token that expired more than a minute ago', async () => {
    await expectRefused(await sandbox().token({ expiresAt: Math.floor(Date.now() / 1000) - 90 }))
  })

  it('accepts a token expired within the minute of clock tolerance', async () => {
    const token = await sandbox().token({ expiresAt: Math.floor(Date.now() / 1000) - 30 })
    expect((await sandbox().put('agency', agency(), { token })).status).toBe(201)
  })

  it('refuses an unsigned token (alg: none)', async () => {
    const unsigned = new UnsecuredJWT({})
      .setIssuer('red360-sync')
      .setAudience('red360-ingest')
      .setExpirationTime('5m')
      .encode()
    await expectRefused(unsigned)
  })

  it('logs why a token was refused without telling the client', async () => {
    await sandbox().put('agency', agency(), {
      token: await sandbox().token({ expiresAt: Math.floor(Date.now() / 1000) - 90 }),
    })

    const [entry] = (await (await sandbox().control('GET', '/requests')).json()) as unknown[]
    expect(entry).toMatchObject({ status: 401, error: 'invalid_token', reason: 'ERR_JWT_EXPIRED' })
  })
})

describe('a JWKS URL', () => {
  it('is fetched to verify tokens', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'remote' }] })
    const keyServer = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(jwks)
    })
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve))
    const { port } = keyServer.address() as AddressInfo
    const remote = await startSandbox({
      port: 0,
      jwks: new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`),
    })

    try {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'remote' })
        .setIssuer('red360-sync')
        .setAudience('red360-ingest')
        .setExpirationTime('5m')
        .sign(privateKey)
      const response = await fetch(`${remote.url}/v1/agencies/1`, {
        method: 'PUT',
        headers: {
          Authorization: `Bearer ${token}`,
          'Idempotency-Key': 'remote-keys',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(agency()),
      })

      expect(response.status).toBe(201)
    } finally {
      await remote.close()
      keyServer.close()
    }
  })

  it('that cannot be reached makes every token fail', async () => {
    const remote = await startSandbox({ port: 0, jwks: new URL('http://127.0.0.1:1/jwks.json') })

    try {
      const response = await fetch(`${remote.url}/v1/agencies/1`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${await sandbox().token()}`, 'Idempotency-Key': 'k' },
      })

      expect(response.status).toBe(401)
    } finally {
      await remote.close()
    }
  })
})
