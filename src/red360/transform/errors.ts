/**
 * The errors a CRM row raises when it cannot become a Red 360 representation, and the two
 * checks that raise them: one on the row as read, one on the representation built from it.
 *
 * Rows hold personal data (names, emails, phones, addresses) and these errors end up in logs
 * and failed-job records, so no message or issue ever carries a value of the row: only the
 * column (or field) at fault and what was expected there. The zod error kept as `cause` holds
 * no values either: zod leaves the input out of its issues unless `reportInput` is set.
 */
import type { z } from 'zod'
import type { EntityType } from '../contract'

/** One reason a row was refused. */
export interface CrmRowIssue {
  /** The column or representation field, dot-separated (`social_links`, `includes.2`). */
  path: string
  /** What was expected there; never the value found. */
  message: string
}

/** Options of {@link MalformedCrmRowError}. */
export interface MalformedCrmRowErrorOptions {
  entityType: EntityType
  /** The row's id, when the row had a usable one. */
  entityId?: number | undefined
  issues: readonly CrmRowIssue[]
  cause?: unknown
}

/**
 * A CRM row that cannot be turned into a valid Red 360 representation: a column of the wrong
 * type, a `social_links` that is not a map of links, a list column holding a JSON array of
 * non-strings, an empty name… Reading the row again gives the same answer until someone fixes
 * it in the CRM, so a sync job that meets this error should fail permanently, not retry.
 */
export class MalformedCrmRowError extends Error {
  override readonly name = 'MalformedCrmRowError'
  readonly code = 'ERR_MALFORMED_CRM_ROW'
  readonly entityType: EntityType
  readonly entityId: number | undefined
  readonly issues: readonly CrmRowIssue[]

  constructor(options: MalformedCrmRowErrorOptions) {
    super(describeMalformedRow(options), { cause: options.cause })
    this.entityType = options.entityType
    this.entityId = options.entityId
    this.issues = options.issues
  }
}

/**
 * A list column whose text is a JSON array holding something other than strings. The
 * transforms report it as a {@link MalformedCrmRowError} issue on that column.
 */
export class MalformedListError extends Error {
  override readonly name = 'MalformedListError'
  readonly code = 'ERR_MALFORMED_LIST'

  constructor() {
    super('expected a JSON array of strings')
  }
}

/**
 * Reads one CRM row with its row schema, which checks the types the driver returned and
 * decodes the CRM's encodings. Throws a {@link MalformedCrmRowError} naming the columns at
 * fault.
 */
export function parseCrmRow<S extends z.ZodType>(
  entityType: EntityType,
  schema: S,
  row: unknown,
): z.output<S> {
  return parseOrThrow(entityType, schema, row)
}

/**
 * Checks a freshly mapped representation against the Red 360 contract, so that no mapping can
 * produce a body Red 360 would refuse with 422. Value rules that only the contract states
 * (a non-empty name, a rating within 0–5, counters that are whole numbers) fail here, with the
 * representation's field names as paths. Throws a {@link MalformedCrmRowError}.
 */
export function checkRepresentation<S extends z.ZodType>(
  entityType: EntityType,
  schema: S,
  representation: unknown,
): z.output<S> {
  return parseOrThrow(entityType, schema, representation)
}

function parseOrThrow<S extends z.ZodType>(
  entityType: EntityType,
  schema: S,
  value: unknown,
): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) {
    return result.data
  }

  throw new MalformedCrmRowError({
    entityType,
    entityId: usableId(value),
    issues: result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(row)',
      message: issue.message,
    })),
    cause: result.error,
  })
}

/** The row's `id` when it is a positive whole number: an id is no personal data. */
function usableId(row: unknown): number | undefined {
  if (typeof row !== 'object' || row === null || !('id' in row)) {
    return undefined
  }

  const { id } = row
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined
}

function describeMalformedRow(options: MalformedCrmRowErrorOptions): string {
  const row = `${options.entityType} row ${options.entityId ?? '(id unknown)'}`
  const issues = options.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')

  return `Malformed CRM ${row}: ${issues}`
}
