/**
 * Error answers at the HTTP edge: `{ "error": "<code>", "message": "…" }`, plus any extra
 * fields a code defines (`issues` for validation failures). The reason in detail goes to the
 * log, never to the client.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { z } from 'zod'

/** One validation problem, as clients see it. */
export interface ValidationIssue {
  path: string
  message: string
}

/** Answers an error with a machine-readable code. */
export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  return c.json({ error, message, ...extra }, status)
}

/** Turns zod's issues into `{ path, message }` pairs, with dotted paths (`metrics.0.as_of`). */
export function validationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
}
