/** D1 refuses a statement with more than 100 bound parameters (the local simulator does not). */
export const D1_MAX_BOUND_PARAMETERS = 100

/**
 * Splits `rows` into groups small enough for one multi-row statement each, given how many
 * parameters one row binds.
 */
export function chunkForD1<T>(rows: readonly T[], parametersPerRow: number): T[][] {
  if (parametersPerRow < 1 || parametersPerRow > D1_MAX_BOUND_PARAMETERS) {
    throw new RangeError(`parametersPerRow must be 1 to ${D1_MAX_BOUND_PARAMETERS}`)
  }

  const size = Math.floor(D1_MAX_BOUND_PARAMETERS / parametersPerRow)
  const chunks: T[][] = []
  for (let start = 0; start < rows.length; start += size) {
    chunks.push(rows.slice(start, start + size))
  }

  return chunks
}
