/**
 * Reading the CRM's free-text list columns (a package's `include`, `no_include` and
 * `gallery_images`) into arrays of strings. The CRM's forms have stored these lists in more
 * than one shape, so a value is read by the first rule that fits it:
 *
 * 1. NULL or blank text: no items.
 * 2. Text that starts with `[` and parses as JSON: a JSON array, whose items must all be
 *    strings; an array holding anything else is malformed ({@link MalformedListError}). Text
 *    that starts with `[` but is not JSON, such as `[Day 1] City tour`, is read as plain text.
 * 3. Text with a line break (`\n` or `\r\n`): one item per line, commas included.
 * 4. One line of text, split on separators:
 *    - a text list on every comma;
 *    - an image list only on a comma followed by whitespace or by `http://` / `https://`.
 *      A URL may contain commas (image services put options like `w_400,h_300` in the path)
 *      but never whitespace, and a comma right before a new absolute URL is how PHP's
 *      `implode(',', $urls)` joins a gallery. The trade-off: relative paths joined by a bare
 *      comma (`a.jpg,b.jpg`) read as one item, because nothing tells them apart from a
 *      single URL with a comma, and splitting would break every such URL.
 *
 * Then, whichever rule applied: each item is trimmed and loses one leading bullet (`- `,
 * `* `, `• `); empty items are dropped; of exact duplicates only the first is kept; the
 * order is kept.
 */
import { z } from 'zod'
import { MalformedListError } from './errors'

/** A bullet that a form or a pasted document put before an item. */
const leadingBullet = /^[-*•](?:\s+|$)/

/** Image list separators: see rule 4 of the module comment. */
const imageSeparator = /,(?=\s|https?:\/\/)/i

/**
 * Reads a list of short texts, such as what a package includes or excludes. NULL or blank
 * gives `[]`. Throws a {@link MalformedListError} for a JSON array of non-strings.
 */
export function parseTextList(text: string | null | undefined): string[] {
  return parseList(text, (line) => line.split(','))
}

/**
 * Reads a list of image URLs or paths, splitting a single line only where no URL can have a
 * comma (see the module comment). NULL or blank gives `[]`. Throws a
 * {@link MalformedListError} for a JSON array of non-strings.
 */
export function parseImageList(text: string | null | undefined): string[] {
  return parseList(text, (line) => line.split(imageSeparator))
}

/**
 * A package's images as Red 360 shows them: the main image first, then the gallery without
 * the main image or any other repeat. A NULL or blank main image adds nothing.
 */
export function withMainImage(
  mainImage: string | null | undefined,
  gallery: readonly string[],
): string[] {
  return uniqueNonEmpty([mainImage?.trim() ?? '', ...gallery])
}

/** A nullable text list column, read with {@link parseTextList} into `string[]`. */
export const textListColumn = listColumn(parseTextList)

/** A nullable image list column, read with {@link parseImageList} into `string[]`. */
export const imageListColumn = listColumn(parseImageList)

function listColumn(parse: (text: string | null | undefined) => string[]) {
  return z
    .string()
    .nullish()
    .transform((text, context) => {
      try {
        return parse(text)
      } catch (error) {
        if (!(error instanceof MalformedListError)) {
          throw error
        }

        context.addIssue(error.message)
        return z.NEVER
      }
    })
}

function parseList(
  text: string | null | undefined,
  splitLine: (line: string) => string[],
): string[] {
  const trimmed = text?.trim() ?? ''
  if (trimmed === '') {
    return []
  }

  const items =
    jsonArray(trimmed) ?? (trimmed.includes('\n') ? trimmed.split(/\r?\n/) : splitLine(trimmed))

  return uniqueNonEmpty(items.map(cleanItem))
}

/** The items of a JSON array of strings; `undefined` when the text is no JSON array. */
function jsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) {
    return undefined
  }

  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    // Not JSON after all: plain text that happens to start with a bracket.
    return undefined
  }

  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new MalformedListError()
  }

  return parsed
}

function cleanItem(item: string): string {
  return item.trim().replace(leadingBullet, '').trim()
}

function uniqueNonEmpty(items: readonly string[]): string[] {
  return [...new Set(items.filter((item) => item !== ''))]
}
