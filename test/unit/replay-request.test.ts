import { describe, expect, it } from 'vitest'
import { replayRequestSql } from '../../src/sync/replay-request'

describe('the replay request', () => {
  it('targets one failed job by its id', () => {
    const sql = replayRequestSql('0b0e8f0c-2f7e-4a55-9a7c-2b8f3f0b9c11', 1000)

    expect(sql).toContain("WHERE job_id = '0b0e8f0c-2f7e-4a55-9a7c-2b8f3f0b9c11'")
    expect(sql).toContain('replay_requested_at = 1000')
  })

  it('targets every failed job with "all"', () => {
    expect(replayRequestSql('all', 1000)).not.toContain('job_id')
  })

  it('refuses anything that is not a UUID, so nothing else reaches the SQL', () => {
    expect(() => replayRequestSql("x' OR 1=1 --", 1000)).toThrow(TypeError)
  })
})
