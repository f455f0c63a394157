/**
 * Verifies the signature of an incoming webhook against the configured secrets, using only
 * WebCrypto so that it runs unchanged in workerd. Two schemes are accepted, chosen by the
 * headers present:
 *
 * - Standard Webhooks (https://www.standardwebhooks.com/), when `webhook-signature` is present:
 *   HMAC-SHA256 of `${webhook-id}.${webhook-timestamp}.` followed by the raw body, keyed with the
 *   base64 part of a `whsec_…` secret, sent as space-separated `v1,<base64>` entries.
 * - The CRM's legacy scheme, when only `x-webhook-signature` is present: the lowercase hex
 *   HMAC-SHA256 of the raw body, keyed with the UTF-8 bytes of the whole secret string, as
 *   Laravel's `hash_hmac('sha256', $payload, $secret)` computes it.
 *
 * Signatures are checked with `crypto.subtle.verify`, which compares in constant time.
 *
 * The legacy scheme signs no timestamp, so a captured legacy delivery verifies forever; only
 * the receipt of its `x-webhook-id` stops a replay, and a delivery without that header cannot
 * be told apart from its replay. Accepted because the CRM cannot sign otherwise; it should
 * move to Standard Webhooks.
 *
 * Imported keys are cached per isolate for each secret value and never evicted: the cache
 * holds at most the secrets configured during the isolate's life, a handful at a time.
 */

/** How far, in seconds, a Standard Webhooks timestamp may lie from now, in either direction. */
export const SIGNATURE_TOLERANCE_SECONDS = 300

/** A webhook delivery as received, and what to verify it against. */
export interface SignedRequest {
  /** The raw body exactly as received, never decoded. */
  body: Uint8Array
  headers: Headers
  /** Every live secret; any one of them may have signed the delivery. */
  secrets: readonly string[]
  /** The current time in epoch milliseconds. */
  now: number
}

/**
 * The outcome of a verification. On success, the scheme used and the delivery id to record
 * against redeliveries (`null` for a legacy delivery without `x-webhook-id`). On failure, a
 * reason meant for the log only: the client gets the same answer for every failure.
 */
export type SignatureCheck =
  | { ok: true; scheme: 'standard' | 'legacy'; deliveryId: string | null }
  | {
      ok: false
      reason:
        | 'missing_signature'
        | 'malformed_signature'
        | 'timestamp_out_of_range'
        | 'mismatch'
        | 'no_secret'
    }

type Scheme = 'standard' | 'legacy'
type Failure = Extract<SignatureCheck, { ok: false }>

const STANDARD_SECRET_PREFIX = 'whsec_'
const SHA256_BYTES = 32
const LEGACY_SIGNATURE = /^[0-9a-f]{64}$/
const UNIX_SECONDS = /^\d{1,15}$/

const keyCache = new Map<string, Promise<CryptoKey>>()
const encoder = new TextEncoder()

/**
 * Verifies a webhook delivery. Standard Webhooks is used when `webhook-signature` is present,
 * else the legacy scheme when `x-webhook-signature` is; `missing_signature` when neither is.
 * `no_secret` means no configured secret applies to the scheme: Standard Webhooks uses only
 * `whsec_` secrets, the legacy scheme uses every secret as literal text. A Standard Webhooks
 * timestamp more than `SIGNATURE_TOLERANCE_SECONDS` from `now` fails even with a valid
 * signature.
 */
export async function verifySignature(request: SignedRequest): Promise<SignatureCheck> {
  const { headers } = request
  if (headers.has('webhook-signature')) {
    return verifyStandard(request)
  }
  if (headers.has('x-webhook-signature')) {
    return verifyLegacy(request)
  }
  return fail('missing_signature')
}

async function verifyStandard(request: SignedRequest): Promise<SignatureCheck> {
  const { headers } = request
  const keys = await importKeys('standard', request.secrets)
  if (keys.length === 0) {
    return fail('no_secret')
  }

  const id = headers.get('webhook-id') ?? ''
  const timestamp = headers.get('webhook-timestamp') ?? ''
  const signatures = standardSignatures(headers.get('webhook-signature') ?? '')
  if (id === '' || !UNIX_SECONDS.test(timestamp) || signatures.length === 0) {
    return fail('malformed_signature')
  }

  const skewSeconds = Math.abs(request.now / 1000 - Number(timestamp))
  if (skewSeconds > SIGNATURE_TOLERANCE_SECONDS) {
    return fail('timestamp_out_of_range')
  }

  const data = concat(encoder.encode(`${id}.${timestamp}.`), request.body)
  if (await anyVerifies(keys, signatures, data)) {
    return { ok: true, scheme: 'standard', deliveryId: id }
  }
  return fail('mismatch')
}

async function verifyLegacy(request: SignedRequest): Promise<SignatureCheck> {
  const keys = await importKeys('legacy', request.secrets)
  if (keys.length === 0) {
    return fail('no_secret')
  }

  const signature = request.headers.get('x-webhook-signature') ?? ''
  if (!LEGACY_SIGNATURE.test(signature)) {
    return fail('malformed_signature')
  }

  const data = concat(request.body)
  if (await anyVerifies(keys, [hexBytes(signature)], data)) {
    const deliveryId = request.headers.get('x-webhook-id') || null
    return { ok: true, scheme: 'legacy', deliveryId }
  }
  return fail('mismatch')
}

function fail(reason: Failure['reason']): Failure {
  return { ok: false, reason }
}

/**
 * The decoded `v1` entries of a `webhook-signature` header. Entries of other versions are
 * ignored, as the Standard Webhooks specification asks, and so are `v1` entries that are not
 * base64 of a SHA-256 digest.
 */
function standardSignatures(header: string): Uint8Array[] {
  const signatures: Uint8Array[] = []
  for (const entry of header.split(' ')) {
    if (!entry.startsWith('v1,')) {
      continue
    }
    const bytes = base64Bytes(entry.slice('v1,'.length))
    if (bytes?.length === SHA256_BYTES) {
      signatures.push(bytes)
    }
  }
  return signatures
}

async function anyVerifies(
  keys: readonly CryptoKey[],
  signatures: readonly Uint8Array[],
  data: Uint8Array,
): Promise<boolean> {
  for (const key of keys) {
    for (const signature of signatures) {
      if (await crypto.subtle.verify('HMAC', key, signature, data)) {
        return true
      }
    }
  }
  return false
}

/**
 * The HMAC keys of the secrets that apply to a scheme. A `whsec_` secret whose rest is not
 * base64, or is empty, cannot key Standard Webhooks and is left out, as is an empty string
 * for the legacy scheme (WebCrypto refuses zero-length HMAC keys).
 */
async function importKeys(scheme: Scheme, secrets: readonly string[]): Promise<CryptoKey[]> {
  const keys: Promise<CryptoKey>[] = []
  for (const secret of secrets) {
    const key = cachedKey(scheme, secret)
    if (key !== null) {
      keys.push(key)
    }
  }
  return Promise.all(keys)
}

function cachedKey(scheme: Scheme, secret: string): Promise<CryptoKey> | null {
  const cacheKey = `${scheme}:${secret}`
  const cached = keyCache.get(cacheKey)
  if (cached !== undefined) {
    return cached
  }

  const material = keyMaterial(scheme, secret)
  if (material === null || material.length === 0) {
    return null
  }

  const key = crypto.subtle.importKey('raw', material, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ])
  keyCache.set(cacheKey, key)
  key.catch(() => keyCache.delete(cacheKey))
  return key
}

function keyMaterial(scheme: Scheme, secret: string): Uint8Array | null {
  if (scheme === 'legacy') {
    return encoder.encode(secret)
  }
  if (!secret.startsWith(STANDARD_SECRET_PREFIX)) {
    return null
  }
  return base64Bytes(secret.slice(STANDARD_SECRET_PREFIX.length))
}

/** Decodes standard base64 (padding optional, as `atob` allows); `null` when it is not. */
function base64Bytes(text: string): Uint8Array | null {
  let binary: string
  try {
    binary = atob(text)
  } catch {
    return null
  }
  return Uint8Array.from(binary, (char) => char.charCodeAt(0))
}

/** Decodes hex already checked against `LEGACY_SIGNATURE`. */
function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  }
  return bytes
}

/**
 * Copies the parts into one buffer. The body may be a view into a larger or shared buffer;
 * a fresh copy is what `crypto.subtle` accepts everywhere.
 */
function concat(...parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    bytes.set(part, offset)
    offset += part.length
  }
  return bytes
}
