// PostgreSQL's jsonb refuses NUL characters and unpaired UTF-16 surrogates, both of which JSON
// allows (as \u0000 and \udXXX escapes; raw UTF-8 cannot carry them). Replacing them with U+FFFD
// keeps the event, and everything else in it, storable.
// eslint-disable-next-line no-control-regex
const BAD_CHARS = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const BAD_ESCAPES = /\\u(0000|d[89a-f])/i

/** True when the raw JSON text may hold characters PostgreSQL cannot store. */
export function needsCleaning(jsonText: string): boolean {
  return BAD_ESCAPES.test(jsonText)
}

/** What one scan of a JSON text finds (see {@link jsonShape}). */
export interface JsonShape {
  /** Deepest array/object nesting. */
  depth: number
  /**
   * A number is written with an exponent (`1e21`): the only JSON whose `JSON.stringify` after
   * parsing can be longer than the text it came from (`1e20` becomes 21 digits). Without one, no
   * value in the text re-serializes to more UTF-8 bytes than the text holds: strings only lose
   * escapes and whitespace goes (tested in sanitize.test.ts), which bounds the size of each event
   * of a request by the request's size (ingest/validate.ts).
   */
  exponent: boolean
}

/**
 * Deepest array/object nesting in a JSON text, and whether a number has an exponent, found
 * without recursion so a hostile body cannot overflow the stack of anything that walks the
 * parsed value later. Strings, most of an event's text (URLs, titles, user agents), are skipped
 * with `indexOf` rather than walked one character at a time: this scan ran on every request and
 * was 4 % of the collector's busy time.
 */
export function jsonShape(text: string): JsonShape {
  let depth = 0
  let max = 0
  let exponent = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (ch === 34) {
      // To the closing quote: one preceded by an even number of backslashes.
      for (;;) {
        const q = text.indexOf('"', i + 1)
        // unterminated string: JSON.parse refuses the text anyway
        if (q < 0) return { depth: max, exponent }
        let slashes = 0
        while (text.charCodeAt(q - 1 - slashes) === 92) slashes++
        i = q
        if (slashes % 2 === 0) break
      }
    } else if (ch === 123 || ch === 91) {
      if (++depth > max) max = depth
    } else if (ch === 125 || ch === 93) depth--
    // Outside strings an e or E after a digit is an exponent (true/false hold e after a letter).
    else if ((ch === 101 || ch === 69) && isDigit(text.charCodeAt(i - 1))) exponent = true
  }
  return { depth: max, exponent }
}

const isDigit = (ch: number) => ch >= 48 && ch <= 57

export const jsonDepth = (text: string): number => jsonShape(text).depth

/**
 * Returns a copy of a parsed JSON value with bad characters replaced. Objects are rebuilt with own
 * data properties only, so a key like `__proto__` stays plain data and never reaches a prototype.
 */
export function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(BAD_CHARS, '\ufffd')
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(cleanJson)
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, key.replace(BAD_CHARS, '\ufffd'), {
      value: cleanJson((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
}
