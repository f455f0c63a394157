/** A sandbox on a free port with its own signing key, and helpers to write to it over HTTP. */
import { randomUUID } from 'node:crypto'
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import type { z } from 'zod'
import { type RunningSandbox, startSandbox } from '../../sandbox/server.ts'
import { type EntityType, entityPaths, type upsertBodies } from '../../src/red360/contract.ts'

/** A PUT body of each type. */
export type Body<T extends EntityType> = z.input<(typeof upsertBodies)[T]>

/** Claims and key of a test token; each defaults to what the sandbox accepts. */
export interface TokenOptions {
  key?: CryptoKey
  issuer?: string
  audience?: string
  /** `exp` in epoch seconds. Default five minutes from now. */
  expiresAt?: number
}

/** Options of one write. */
export interface WriteOptions {
  /** Default a fresh UUID; `null` sends no header. */
  key?: string | null
  /** Default a valid token; `null` sends no Authorization header. */
  token?: string | null
}

/** A running sandbox and the ways the tests talk to it. */
export interface TestSandbox extends RunningSandbox {
  token(options?: TokenOptions): Promise<string>
  put<T extends EntityType>(
    type: T,
    body: Body<T> | string,
    options?: WriteOptions,
  ): Promise<Response>
  remove(
    type: EntityType,
    id: number,
    version: number | string,
    options?: WriteOptions,
  ): Promise<Response>
  notify(body: unknown, options?: WriteOptions): Promise<Response>
  /** A control request under `/_sandbox`, JSON in and out. */
  control(method: string, path: string, body?: unknown): Promise<Response>
}

/** Starts a sandbox on port 0 that trusts a key pair made for it. */
export async function startTestSandbox(): Promise<TestSandbox> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'ES256', use: 'sig' }
  const sandbox = await startSandbox({ port: 0, jwks: { keys: [publicJwk] } })

  const token = (options: TokenOptions = {}): Promise<string> =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'test' })
      .setIssuer(options.issuer ?? 'red360-sync')
      .setAudience(options.audience ?? 'red360-ingest')
      .setIssuedAt()
      .setExpirationTime(options.expiresAt ?? Math.floor(Date.now() / 1000) + 300)
      .sign(options.key ?? privateKey)

  async function write(
    method: string,
    path: string,
    body: string | undefined,
    options: WriteOptions = {},
  ): Promise<Response> {
    const headers = new Headers()
    const bearer = options.token === undefined ? await token() : options.token
    if (bearer !== null) {
      headers.set('Authorization', `Bearer ${bearer}`)
    }
    const key = options.key === undefined ? randomUUID() : options.key
    if (key !== null) {
      headers.set('Idempotency-Key', key)
    }
    if (body !== undefined) {
      headers.set('Content-Type', 'application/json')
    }

    return fetch(`${sandbox.url}${path}`, { method, headers, body })
  }

  return {
    ...sandbox,
    token,
    put: (type, body, options) =>
      write(
        'PUT',
        `/v1/${entityPaths[type]}/${typeof body === 'string' ? 1 : body.id}`,
        typeof body === 'string' ? body : JSON.stringify(body),
        options,
      ),
    remove: (type, id, version, options) =>
      write('DELETE', `/v1/${entityPaths[type]}/${id}?version=${version}`, undefined, options),
    notify: (body, options) => write('POST', '/v1/notifications', JSON.stringify(body), options),
    control: (method, path, body) =>
      fetch(`${sandbox.url}/_sandbox${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  }
}

/**
 * Registers the hooks that give a test file one sandbox: started before its first test, reset
 * to empty state before each test and closed after the last. Returns an accessor for it, which
 * throws when called outside a test or hook, before the sandbox has started.
 */
export function useTestSandbox(): () => TestSandbox {
  let running: TestSandbox | undefined

  beforeAll(async () => {
    running = await startTestSandbox()
  })
  afterAll(() => running?.close())
  beforeEach(async () => {
    await running?.control('POST', '/reset')
  })

  return function testSandbox(): TestSandbox {
    if (running === undefined) {
      throw new Error('The test sandbox has not started: use it inside a test or a hook.')
    }
    return running
  }
}

/** An agency PUT body at version 1. */
export function agency(overrides: Partial<Body<'agency'>> = {}): Body<'agency'> {
  return {
    id: 1,
    name: 'Andes Travel',
    slug: 'andes-travel',
    logo_url: null,
    description: 'Trips across the Andes.',
    website: 'https://andes.example',
    phone: '+51 1 555 0100',
    email: 'hello@andes.example',
    address: 'Av. Larco 100, Lima',
    verified: true,
    active: true,
    social_links: { instagram: 'https://instagram.com/andes' },
    followers_count: 120,
    social_rating: 4.5,
    social_verified: false,
    version: 1,
    ...overrides,
  }
}

/** A package PUT body of agency 1 at version 1. */
export function travelPackage(overrides: Partial<Body<'package'>> = {}): Body<'package'> {
  return {
    id: 10,
    agency_id: 1,
    title: 'Machu Picchu in four days',
    description: 'Train, guide and hotel.',
    destination: 'Cusco',
    origin: 'Lima',
    includes: ['hotel', 'train'],
    excludes: ['flights'],
    images: [],
    status: 'active',
    featured: false,
    social_visibility: 'public',
    likes_count: 7,
    comments_count: 2,
    views_count: 300,
    rating: 4.8,
    version: 1,
    ...overrides,
  }
}

/** The JSON body of an answer. */
export async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>
}
