import { drizzle } from 'drizzle-orm/d1'
import { describe, expect, it } from 'vitest'
import { chunkForD1, D1_MAX_BOUND_PARAMETERS } from '../../src/db/chunk'
import { syncAttempts } from '../../src/db/schema'
import { ATTEMPT_PARAMETERS } from '../../src/sync/state'

function attempt(n: number) {
  return {
    jobId: `job-${n}`,
    entityType: 'agency',
    entityId: n,
    version: n,
    attempt: 1,
    outcome: 'pushed',
    httpStatus: 200,
    errorCode: null,
    durationMs: 5,
    createdAt: n,
  }
}

describe('chunking writes for D1', () => {
  it('splits rows so that no statement binds more than 100 parameters', () => {
    const chunks = chunkForD1(
      Array.from({ length: 25 }, (_, n) => n),
      11,
    )

    expect(chunks.map((chunk) => chunk.length)).toEqual([9, 9, 7])
    expect(chunks.flat()).toEqual(Array.from({ length: 25 }, (_, n) => n))
  })

  it('keeps every generated attempt insert within the limit', () => {
    const orm = drizzle({} as D1Database)
    const rows = Array.from({ length: 60 }, (_, n) => attempt(n))

    const statements = chunkForD1(rows, ATTEMPT_PARAMETERS).map(
      (chunk) => orm.insert(syncAttempts).values(chunk).toSQL().params.length,
    )

    expect(statements.length).toBeGreaterThan(1)
    expect(Math.max(...statements)).toBeLessThanOrEqual(D1_MAX_BOUND_PARAMETERS)
    expect(statements.reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(60 * 9)
  })

  it('refuses a row wider than the limit', () => {
    expect(() => chunkForD1([1], 101)).toThrow(RangeError)
  })
})
