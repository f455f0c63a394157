import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parseSecrets } from '../../src/webhooks/secrets'
import { type SignedRequest, verifySignature } from '../../src/webhooks/signature'

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0)
const NOW_SECONDS = NOW / 1000
const BODY = new TextEncoder().encode('{"event":"package.updated","id":42,"title":"Cusco"}')

const CRM_SECRET = 'crm-secret-current'
const CRM_RETIRED_SECRET = 'crm-secret-retired'
const STANDARD_KEY = Buffer.from('standard-webhooks-key-material-0')
const STANDARD_SECRET = `whsec_${STANDARD_KEY.toString('base64')}`
const OTHER_STANDARD_SECRET = `whsec_${Buffer.from('another-key').toString('base64')}`

function legacySignature(secret: string, body: Uint8Array = BODY): string {
  return createHmac('sha256', secret).update(body).digest('hex')
}

function standardSignature(id: string, timestamp: string | number, key = STANDARD_KEY): string {
  const hmac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(BODY)
  return hmac.digest('base64')
}

function request(
  headers: Record<string, string>,
  secrets: readonly string[],
  body: Uint8Array = BODY,
): SignedRequest {
  return { body, headers: new Headers(headers), secrets, now: NOW }
}

function standardHeaders(timestamp: number | string = NOW_SECONDS, id = 'msg_2mQ7') {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${standardSignature(id, timestamp)}`,
  }
}

describe('the CRM legacy signature', () => {
  it('accepts the hex HMAC of the body and reports the delivery id', async () => {
    const headers = { 'x-webhook-signature': legacySignature(CRM_SECRET), 'x-webhook-id': 'd-17' }

    const check = await verifySignature(request(headers, [CRM_SECRET]))

    expect(check).toEqual({ ok: true, scheme: 'legacy', deliveryId: 'd-17' })
  })

  it('reports no delivery id when x-webhook-id is absent', async () => {
    const headers = { 'x-webhook-signature': legacySignature(CRM_SECRET) }

    const check = await verifySignature(request(headers, [CRM_SECRET]))

    expect(check).toEqual({ ok: true, scheme: 'legacy', deliveryId: null })
  })

  it('refuses a body changed by one byte', async () => {
    const changed = BODY.slice()
    changed[10] = (changed[10] ?? 0) ^ 1
    const headers = { 'x-webhook-signature': legacySignature(CRM_SECRET) }

    const check = await verifySignature(request(headers, [CRM_SECRET], changed))

    expect(check).toEqual({ ok: false, reason: 'mismatch' })
  })

  it('refuses a signature made with a retired secret no longer listed', async () => {
    const headers = { 'x-webhook-signature': legacySignature(CRM_RETIRED_SECRET) }

    const check = await verifySignature(request(headers, [CRM_SECRET]))

    expect(check).toEqual({ ok: false, reason: 'mismatch' })
  })

  it('accepts either secret while both are listed during a rotation', async () => {
    const secrets = [CRM_RETIRED_SECRET, CRM_SECRET]

    for (const secret of secrets) {
      const headers = { 'x-webhook-signature': legacySignature(secret) }
      const check = await verifySignature(request(headers, secrets))
      expect(check).toMatchObject({ ok: true, scheme: 'legacy' })
    }
  })

  it.each([
    ['uppercase hex', legacySignature(CRM_SECRET).toUpperCase()],
    ['non-hex characters', `${legacySignature(CRM_SECRET).slice(0, 62)}zz`],
    ['a short hex value', legacySignature(CRM_SECRET).slice(0, 62)],
    ['a long hex value', `${legacySignature(CRM_SECRET)}00`],
    ['an empty value', ''],
  ])('refuses %s as malformed', async (_, signature) => {
    const check = await verifySignature(request({ 'x-webhook-signature': signature }, [CRM_SECRET]))

    expect(check).toEqual({ ok: false, reason: 'malformed_signature' })
  })

  it('uses a whsec_ secret as its literal text', async () => {
    const headers = { 'x-webhook-signature': legacySignature(STANDARD_SECRET) }

    const check = await verifySignature(request(headers, [STANDARD_SECRET]))

    expect(check).toMatchObject({ ok: true, scheme: 'legacy' })
  })

  it('reports no_secret when no secret is configured', async () => {
    const headers = { 'x-webhook-signature': legacySignature(CRM_SECRET) }

    const check = await verifySignature(request(headers, []))

    expect(check).toEqual({ ok: false, reason: 'no_secret' })
  })
})

describe('the Standard Webhooks signature', () => {
  it('accepts a valid v1 entry among several and reports webhook-id', async () => {
    const valid = standardSignature('msg_2mQ7', NOW_SECONDS)
    const wrong = standardSignature('msg_2mQ7', NOW_SECONDS, Buffer.from('wrong-key'))
    const headers = {
      ...standardHeaders(),
      'webhook-signature': `v1,${wrong} v2,${valid.slice(4)} v1,${valid}`,
    }

    const check = await verifySignature(request(headers, [STANDARD_SECRET]))

    expect(check).toEqual({ ok: true, scheme: 'standard', deliveryId: 'msg_2mQ7' })
  })

  it('accepts with any one of several whsec_ secrets', async () => {
    const secrets = [OTHER_STANDARD_SECRET, STANDARD_SECRET]

    const check = await verifySignature(request(standardHeaders(), secrets))

    expect(check).toMatchObject({ ok: true, scheme: 'standard' })
  })

  it('ignores entries of another version', async () => {
    const signature = standardSignature('msg_2mQ7', NOW_SECONDS)
    const headers = { ...standardHeaders(), 'webhook-signature': `v1a,${signature}` }

    const check = await verifySignature(request(headers, [STANDARD_SECRET]))

    expect(check).toEqual({ ok: false, reason: 'malformed_signature' })
  })

  it('refuses a signature made for another webhook-id', async () => {
    const headers = { ...standardHeaders(), 'webhook-id': 'msg_other' }

    const check = await verifySignature(request(headers, [STANDARD_SECRET]))

    expect(check).toEqual({ ok: false, reason: 'mismatch' })
  })

  it('refuses a body changed by one byte', async () => {
    const changed = BODY.slice()
    changed[0] = (changed[0] ?? 0) ^ 1

    const check = await verifySignature(request(standardHeaders(), [STANDARD_SECRET], changed))

    expect(check).toEqual({ ok: false, reason: 'mismatch' })
  })

  it.each([
    ['six minutes old', -360],
    ['six minutes ahead', 360],
  ])('refuses a timestamp %s', async (_, offset) => {
    const headers = standardHeaders(NOW_SECONDS + offset)

    const check = await verifySignature(request(headers, [STANDARD_SECRET]))

    expect(check).toEqual({ ok: false, reason: 'timestamp_out_of_range' })
  })

  it.each([
    ['four minutes old', -240],
    ['four minutes ahead', 240],
  ])('accepts a timestamp %s', async (_, offset) => {
    const headers = standardHeaders(NOW_SECONDS + offset)

    const check = await verifySignature(request(headers, [STANDARD_SECRET]))

    expect(check).toMatchObject({ ok: true, scheme: 'standard' })
  })

  it('refuses a non-numeric timestamp', async () => {
    const headers = standardHeaders('2025-01-15T12:00:00Z')

    const check = await verifySignature(request(headers, [STANDARD_SECRET]))

    expect(check).toEqual({ ok: false, reason: 'malformed_signature' })
  })

  it.each(['webhook-id', 'webhook-timestamp'])('refuses a delivery without %s', async (name) => {
    const headers: Record<string, string> = standardHeaders()
    delete headers[name]

    const check = await verifySignature(request(headers, [STANDARD_SECRET]))

    expect(check).toEqual({ ok: false, reason: 'malformed_signature' })
  })

  it('does not use secrets without the whsec_ prefix', async () => {
    const plain = STANDARD_KEY.toString('base64')

    const check = await verifySignature(request(standardHeaders(), [plain, CRM_SECRET]))

    expect(check).toEqual({ ok: false, reason: 'no_secret' })
  })

  it('is chosen over the legacy scheme when both signatures are present', async () => {
    const headers = {
      ...standardHeaders(),
      'x-webhook-signature': legacySignature(STANDARD_SECRET),
    }

    const check = await verifySignature(request(headers, [STANDARD_SECRET]))

    expect(check).toMatchObject({ ok: true, scheme: 'standard' })
  })
})

describe('a delivery without a signature', () => {
  it('is refused as missing_signature', async () => {
    const headers = { 'webhook-id': 'msg_2mQ7', 'x-webhook-id': 'd-17' }

    const check = await verifySignature(request(headers, [CRM_SECRET, STANDARD_SECRET]))

    expect(check).toEqual({ ok: false, reason: 'missing_signature' })
  })
})

describe('parsing the secrets variable', () => {
  it('splits on commas, whitespace or both and drops blanks', () => {
    const value = ' whsec_abc=, old-secret\n new-secret,,\tlast '

    expect(parseSecrets(value)).toEqual(['whsec_abc=', 'old-secret', 'new-secret', 'last'])
  })

  it('gives no secrets for an unset or blank value', () => {
    expect(parseSecrets(undefined)).toEqual([])
    expect(parseSecrets(' , \n')).toEqual([])
  })
})
