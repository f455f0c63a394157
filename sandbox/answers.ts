/**
 * The sandbox's error answers, built in one place so that every refusal has the contract's
 * `{ error, message, … }` shape.
 */
import type { z } from 'zod'
import type { ErrorAnswer } from '../src/red360/contract.ts'

/** An error answer with `error` set to `code`, plus the fields the contract adds for it. */
export function errorBody(
  code: string,
  message: string,
  extra: Omit<ErrorAnswer, 'error' | 'message'> = {},
): ErrorAnswer {
  return { error: code, message, ...extra }
}

/**
 * The 422 `validation_failed` answer for a zod error. Unknown fields, which zod reports once
 * for the whole object, become one issue per field so that each names its own path.
 */
export function validationFailed(error: z.ZodError): ErrorAnswer {
  const issues = error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: dotted([...issue.path, key]),
        message: 'Unknown field.',
      }))
    }

    return [{ path: dotted(issue.path), message: issue.message }]
  })

  return errorBody('validation_failed', 'The request does not match the contract.', { issues })
}

function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.')
}
