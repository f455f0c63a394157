import { describe, expect, it } from 'vitest'
import { decideRetry, JITTER } from '../../src/sync/retry-policy'

const delays = [60, 120, 240]

describe('the retry policy', () => {
  it('waits 1, 2 then 4 minutes by default, then gives up', () => {
    const middle = () => 0.5

    expect(decideRetry(1, delays, undefined, middle)).toEqual({ action: 'retry', delaySeconds: 60 })
    expect(decideRetry(2, delays, undefined, middle)).toEqual({
      action: 'retry',
      delaySeconds: 120,
    })
    expect(decideRetry(3, delays, undefined, middle)).toEqual({
      action: 'retry',
      delaySeconds: 240,
    })
    expect(decideRetry(4, delays, undefined, middle)).toEqual({ action: 'give_up' })
  })

  it('moves each delay by at most the jitter either way', () => {
    const low = decideRetry(2, delays, undefined, () => 0)
    const high = decideRetry(2, delays, undefined, () => 0.999_999)

    expect(low).toEqual({ action: 'retry', delaySeconds: 120 * (1 - JITTER) })
    expect(high).toEqual({ action: 'retry', delaySeconds: 120 * (1 + JITTER) })
  })

  it('never retries sooner than Retry-After asks', () => {
    expect(decideRetry(1, delays, 600, () => 0.5)).toEqual({ action: 'retry', delaySeconds: 600 })
    expect(decideRetry(1, delays, 5, () => 0.5)).toEqual({ action: 'retry', delaySeconds: 60 })
  })

  it('gives up after the last configured delay even when Retry-After is given', () => {
    expect(decideRetry(4, delays, 30)).toEqual({ action: 'give_up' })
  })
})
