/** Builders of CRM rows and a way to catch the error a transform raises for a malformed one. */
import { MalformedCrmRowError } from '../../src/red360/transform/errors'

/**
 * A builder of CRM rows from a complete, well-formed row. Its overrides replace or add columns
 * with any value, so a test can also build the malformed rows the transforms must refuse.
 */
export function crmRow<Row>(complete: Row): (overrides?: Record<string, unknown>) => Row {
  return function row(overrides = {}) {
    return { ...complete, ...overrides } as Row
  }
}

/** Runs `run` and returns the MalformedCrmRowError it throws; anything else fails the test. */
export function caught(run: () => unknown): MalformedCrmRowError {
  try {
    run()
  } catch (error) {
    if (error instanceof MalformedCrmRowError) {
      return error
    }
    throw error
  }
  throw new Error('expected a MalformedCrmRowError')
}
