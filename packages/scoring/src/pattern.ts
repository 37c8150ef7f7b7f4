import { RE2JS } from 're2js'

// User-written regular expressions run on RE2 (the re2js port: pure JavaScript, so the engine
// stays runnable on Node, Bun, Deno and Workers), which matches in time linear in the input
// whatever the pattern says. JavaScript's RegExp backtracks: `^(a+)+$` against 32 × "a" + "!"
// would hold the one event loop every workspace shares. See docs/scoring.md, "Patterns".

/** Longest pattern source accepted. */
export const MAX_PATTERN_LENGTH = 500
/**
 * Largest compiled program (RE2's own cost measure, about one instruction per character or class
 * once counted repetitions are expanded): a 500-character literal is 502, `.{1000}` 1002.
 * Matching costs up to program size × input length, so this keeps the linear time's constant
 * small (tens of milliseconds at worst on the 2,000 characters a value offers).
 */
export const MAX_PROGRAM_SIZE = 600

/** A compiled pattern: does it match anywhere in the text (case-insensitively)? */
export type PatternTest = (text: string) => boolean

const FLAGS = RE2JS.CASE_INSENSITIVE
const CACHE_LIMIT = 1000
// Keyed by source: validation and compilation of one rule set, and every rules version that
// repeats a pattern, share one compiled program.
const cache = new Map<string, RE2JS>()

// Constructs RE2 cannot run in linear time, named so the refusal says why.
const UNSUPPORTED: [RegExp, string][] = [
  [/\(\?<?[=!]/, 'lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported'],
  [/\\[1-9]|\\k</, 'backreferences (\\1, \\k<name>) are not supported'],
  [/\(\?>/, 'atomic groups ((?>…)) are not supported'],
  [/[*+?}][+]/, 'possessive quantifiers (a++, a*+) are not supported'],
]

/**
 * Why a pattern is refused, or null when it is accepted. Refused: longer than
 * MAX_PATTERN_LENGTH, not RE2 syntax (backreferences, lookaround, atomic groups, possessive
 * quantifiers, JavaScript-only escapes such as `\u0041`), or a program over MAX_PROGRAM_SIZE.
 *
 * @example
 * patternProblem('^(a+)+$') // null: RE2 runs it in linear time
 * patternProblem('(a)\\1') // 'Invalid regular expression: backreferences … are not supported …'
 */
export function patternProblem(source: string): string | null {
  if (source.length > MAX_PATTERN_LENGTH) {
    return `A regular expression is at most ${MAX_PATTERN_LENGTH} characters`
  }
  let compiled: RE2JS
  try {
    compiled = compileCached(source)
  } catch (err) {
    const named = UNSUPPORTED.find(([re]) => re.test(source))
    const why = named ? named[1] : (err as Error).message.replace(/^error parsing regexp: /, '')
    return `Invalid regular expression: ${why} (patterns use RE2 syntax, which always runs in linear time)`
  }
  const size = compiled.programSize()
  if (size > MAX_PROGRAM_SIZE) {
    return (
      `Regular expression too complex (program size ${size}, at most ${MAX_PROGRAM_SIZE}): ` +
      'use smaller repeat counts such as {1,50}'
    )
  }
  return null
}

/**
 * Compiles a pattern accepted by `patternProblem` into an unanchored, case-insensitive test.
 *
 * @example
 * compilePattern('^s?vp\\b')('SVP of Sales') // true
 */
export function compilePattern(source: string): PatternTest {
  const re = compileCached(source)
  return (text) => re.test(text)
}

function compileCached(source: string): RE2JS {
  let re = cache.get(source)
  if (re === undefined) {
    re = RE2JS.compile(source, FLAGS)
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(source, re)
  }
  return re
}
