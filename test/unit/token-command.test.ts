import { spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_TOKEN_DAYS,
  mintApiToken,
  parseTokenArgs,
  readTokenSecret,
  UsageError,
} from '../../scripts/token'
import { insertTokenSql, MAX_TOKEN_DAYS, revokeTokenSql } from '../../src/auth/token-sql'
import { mintToken } from '../../src/auth/tokens'

const SECRET = 'unit-test-api-token-secret-of-32-bytes'
const JTI = '0b0e8f0c-2f7e-4a55-9a7c-2b8f3f0b9c11'
const DAY_MS = 24 * 60 * 60 * 1000

describe('the SQL of the token command', () => {
  it('records a minted token by its jti, without the token', () => {
    const sql = insertTokenSql({
      jti: JTI,
      system: 'crm',
      scopes: ['sync:agencies', 'sync:packages'],
      issuedAt: 1_000,
      expiresAt: 2_000,
    })

    expect(sql).toBe(
      'INSERT INTO api_tokens (jti, system, scopes, issued_at, expires_at) ' +
        `VALUES ('${JTI}', 'crm', 'sync:agencies sync:packages', 1000, 2000);`,
    )
  })

  it('doubles single quotes in text, so a value cannot end its string', () => {
    const sql = insertTokenSql({
      jti: JTI,
      system: "x', 'y",
      scopes: [],
      issuedAt: 1,
      expiresAt: 2,
    })

    expect(sql).toContain("'x'', ''y'")
  })

  it('revokes with an upsert that sets revoked_at to now and keeps a recorded row', () => {
    const now = 1_700_000_000_000
    const sql = revokeTokenSql(JTI, now)

    expect(sql).toContain(`VALUES ('${JTI}', 'unknown', '', ${now}, `)
    expect(sql).toContain(`, ${now})`)
    expect(sql).toContain('ON CONFLICT (jti) DO UPDATE SET revoked_at = excluded.revoked_at;')
  })

  it('gives an unknown jti a row that outlives any token minted before it', () => {
    const now = 1_700_000_000_000

    expect(revokeTokenSql(JTI, now)).toContain(`${now + MAX_TOKEN_DAYS * DAY_MS}, ${now})`)
  })

  it('refuses a jti that is not a UUID, so nothing else reaches the SQL', () => {
    const injection = "x' OR 1=1 --"

    expect(() => revokeTokenSql(injection, 1_000)).toThrow(TypeError)
    expect(() =>
      insertTokenSql({ jti: injection, system: 'crm', scopes: [], issuedAt: 1, expiresAt: 2 }),
    ).toThrow(TypeError)
  })

  it('refuses a time that is not epoch milliseconds', () => {
    expect(() => revokeTokenSql(JTI, Number.NaN)).toThrow(TypeError)
  })
})

describe('a token minted by the command', () => {
  it('verifies against the same secret with the expected claims', async () => {
    const now = Date.now()
    const minted = await mintApiToken(SECRET, 'crm', 7, now)

    const { payload, protectedHeader } = await jwtVerify(
      minted.token,
      new TextEncoder().encode(SECRET),
      { algorithms: ['HS256'], issuer: 'red360-sync', audience: 'red360-sync-api' },
    )

    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(payload).toEqual({
      iss: 'red360-sync',
      aud: 'red360-sync-api',
      sub: 'crm',
      scope: 'sync:agencies sync:packages sync:users',
      jti: minted.jti,
      iat: Math.floor(now / 1000),
      exp: Math.floor((now + 7 * DAY_MS) / 1000),
    })
    expect(minted.expiresAt).toBe(now + 7 * DAY_MS)
  })

  it('carries the same header and claims as the worker mintToken', async () => {
    const now = Date.now()
    const ours = await mintApiToken(SECRET, 'admin', 30, now)
    const theirs = await mintToken(SECRET, 'admin', 30, now)

    expect(decodeProtectedHeader(ours.token)).toEqual(decodeProtectedHeader(theirs.token))
    expect({ ...decodeJwt(ours.token), jti: undefined }).toEqual({
      ...decodeJwt(theirs.token),
      jti: undefined,
    })
  })

  it('gets a fresh jti every time', async () => {
    const [first, second] = await Promise.all([
      mintApiToken(SECRET, 'crm', 1),
      mintApiToken(SECRET, 'crm', 1),
    ])

    expect(first.jti).not.toBe(second.jti)
  })

  it('is refused when the secret is shorter than 32 bytes', async () => {
    await expect(mintApiToken('short', 'crm', 1)).rejects.toThrow(/API_TOKEN_SECRET.*32 bytes/)
  })
})

describe('the command line', () => {
  it('mints for 30 days on the local D1 by default', () => {
    expect(parseTokenArgs(['--system', 'red360'])).toEqual({
      action: 'mint',
      system: 'red360',
      days: DEFAULT_TOKEN_DAYS,
      remote: false,
    })
  })

  it('takes the days and --remote', () => {
    expect(parseTokenArgs(['--system', 'crm', '--days', '3650', '--remote'])).toMatchObject({
      days: 3650,
      remote: true,
    })
  })

  it('revokes a jti', () => {
    expect(parseTokenArgs(['revoke', JTI, '--remote'])).toEqual({
      action: 'revoke',
      jti: JTI,
      remote: true,
    })
  })

  it.each([
    ['no system', []],
    ['an unknown system', ['--system', 'billing']],
    ['zero days', ['--system', 'crm', '--days', '0']],
    ['more than 3650 days', ['--system', 'crm', '--days', '3651']],
    ['fractional days', ['--system', 'crm', '--days', '1.5']],
    ['an unknown option', ['--system', 'crm', '--forever']],
    ['a revocation without a jti', ['revoke']],
    ['a revocation of a non-UUID', ['revoke', "x' OR 1=1 --"]],
    ['a revocation with --system', ['revoke', JTI, '--system', 'crm']],
  ])('refuses %s as a usage error', (_name, args) => {
    expect(() => parseTokenArgs(args)).toThrow(UsageError)
  })

  it('exits with code 2 and the usage on a usage error, before touching D1', () => {
    const run = spawnSync(process.execPath, ['scripts/token.ts', '--system', 'billing'], {
      encoding: 'utf8',
    })

    expect(run.status).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('usage: npm run token')
  })
})

describe('the secret', () => {
  it('comes from the environment first', async () => {
    await expect(readTokenSecret({ API_TOKEN_SECRET: SECRET }, '/nonexistent')).resolves.toBe(
      SECRET,
    )
  })

  it('falls back to .dev.vars', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'token-command-'))
    try {
      const devVars = join(dir, '.dev.vars')
      await writeFile(devVars, `OTHER=1\nAPI_TOKEN_SECRET=${SECRET}\n`)

      await expect(readTokenSecret({}, devVars)).resolves.toBe(SECRET)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('is named in the error when neither has it', async () => {
    await expect(readTokenSecret({}, '/nonexistent/.dev.vars')).rejects.toThrow(/API_TOKEN_SECRET/)
  })
})
