import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorCode, log } from '../../src/log'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('structured logs', () => {
  it('write one JSON object per line, errors to console.error', () => {
    const info = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)

    log('info', 'sync.pushed', { entity: 'agency', id: 7, duration_ms: 12 })
    log('error', 'sync.failed', { code: 'x' })

    expect(JSON.parse(String(info.mock.calls[0]?.[0]))).toEqual({
      level: 'info',
      event: 'sync.pushed',
      entity: 'agency',
      id: 7,
      duration_ms: 12,
    })
    expect(JSON.parse(String(error.mock.calls[0]?.[0]))).toMatchObject({ event: 'sync.failed' })
  })

  it('never let a field replace the event name or the level', () => {
    const info = vi.spyOn(console, 'log').mockImplementation(() => undefined)

    log('info', 'webhook.accepted', { event: 'agency.updated', level: 'error' })

    expect(JSON.parse(String(info.mock.calls[0]?.[0]))).toMatchObject({
      level: 'info',
      event: 'webhook.accepted',
    })
  })

  it('describe an error by its class and code, never its message', () => {
    const error = Object.assign(new Error('user ana@example.test not found'), { code: 'E_X' })

    expect(errorCode(error)).toBe('Error:E_X')
    expect(errorCode(new TypeError('secret'))).toBe('TypeError')
  })
})
