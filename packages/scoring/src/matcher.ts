import type { EventMatcher, UrlPattern } from './condition-schema.js'
import type { EventView } from './event.js'
import type { FieldTests } from './predicate-schema.js'
import { compileGlob } from './glob.js'
import { compilePattern } from './pattern.js'
import { compilePredicate, type Test } from './predicate.js'
import { pathReader } from './values.js'

export type EventTest = (event: EventView) => boolean
export type RecordTest = (source: unknown) => boolean

const MAX_URL = 4096

/** Compiles an event matcher: every key given must hold; `anyOf` needs one branch to hold. */
export function compileMatcher(matcher: EventMatcher): EventTest {
  const tests: EventTest[] = []
  if (matcher.type !== undefined) {
    const types = new Set<string>(toList(matcher.type))
    tests.push((e) => types.has(e.type))
  }
  if (matcher.event !== undefined) {
    const names = new Set(toList(matcher.event).map((n) => n.toLowerCase()))
    tests.push((e) => e.name !== null && names.has(e.name))
  }
  if (matcher.url !== undefined) {
    const test = urlTest(matcher.url)
    tests.push((e) => e.url !== null && test(e.url.slice(0, MAX_URL)))
  }
  if (matcher.properties !== undefined) {
    const props = compileFieldTests(matcher.properties)
    tests.push((e) => props(e.properties))
  }
  if (matcher.anyOf !== undefined) {
    const branches = matcher.anyOf.map(compileMatcher)
    tests.push((e) => branches.some((branch) => branch(e)))
  }
  if (tests.length === 1) return tests[0]!
  // a plain loop: `every` with an arrow made a closure per event and matcher
  return (e) => {
    for (const test of tests) if (!test(e)) return false
    return true
  }
}

/** Compiles `{ field: predicate }` into one test over an object (properties or traits). */
export function compileFieldTests(fields: FieldTests): RecordTest {
  const tests = Object.entries(fields).map(([path, p]) => {
    const read = pathReader(path)
    const test: Test = compilePredicate(p)
    return (source: unknown) => test(read(source))
  })
  // a plain loop, as above: `every` with an arrow made a closure per call (each contact's
  // traits against each trait condition of every segment and rule)
  return (source) => {
    for (const test of tests) if (!test(source)) return false
    return true
  }
}

function urlTest(url: UrlPattern): (url: string) => boolean {
  if (typeof url === 'string') return compileGlob(url)
  if (url.glob !== undefined) return compileGlob(url.glob)
  return compilePattern(url.regex ?? '')
}

function toList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value]
}
