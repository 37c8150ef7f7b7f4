import fc from 'fast-check'

// Arbitraries for hostile input, shared by the collector's fuzz tests (*.fuzz.test.ts).
// FUZZ_RUNS scales every property (CI: 1; `FUZZ_RUNS=20` for a chaos run).

/** Runs for one property: `base` times the FUZZ_RUNS multiplier. */
export function runs(base: number): number {
  const factor = Number(process.env.FUZZ_RUNS ?? 1)
  return Math.max(1, Math.round(base * (Number.isFinite(factor) && factor > 0 ? factor : 1)))
}

/**
 * Input classes that still answer 500 today (see docs/reliability.md, "Open findings"). They are
 * left out of the CI run so it stays green; `FUZZ_PENDING=1` puts them back to check a fix.
 */
/** The route-wide campaigns' seed (routes/api.fuzz.test.ts, dashboard/dashboard.fuzz.test.ts). */
export const ROUTE_FUZZ_SEED = 20261207
/** PGlite by default (light); `FUZZ_BACKEND=postgres` runs the same campaign on PostgreSQL 15. */
export const FUZZ_BACKEND: 'pglite' | 'postgres' =
  process.env.FUZZ_BACKEND === 'postgres' ? 'postgres' : 'pglite'

export const PENDING = process.env.FUZZ_PENDING === '1'

// NUL and unpaired surrogates: JSON carries them, PostgreSQL text and jsonb do not.
// eslint-disable-next-line no-control-regex
const BAD_CHARS = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
// eslint-disable-next-line no-control-regex
export const hasBadChars = (s: string) => /\u0000|[\ud800-\udfff]/.test(s)

const EDGE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\ude00y',
  '\u202eevil\u202c',
  '\u200f\u05e9\u05dc\u05d5\u05dd',
  '\u0645\u0631\u062d\u0628\u0627',
  '\ufeff',
  '\u200b\u200d',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈🇫🇷',
  'e\u0301\u0301\u0301',
  '\uffff\ufffe',
  "'; drop table events; --",
  "' or '1'='1",
  "\"); delete from contacts where ('1'='1",
  '$1',
  '\\',
  '\\u0000',
  '%00',
  '%s%n%x',
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  'NaN',
  'Infinity',
  'null',
  '__proto__',
  'constructor',
  '0000-00-00T00:00:00Z',
]

/** Strings a hostile client would try: edge cases, SQL-looking text, any UTF-16 unit. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...EDGE_STRINGS), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  {
    arbitrary: fc.string({
      unit: fc.nat(0xffff).map((n) => String.fromCharCode(n)),
      maxLength: 30,
    }),
    weight: 2,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 1 },
  { arbitrary: fc.nat(40_000).map((n) => 'x'.repeat(n)), weight: 1 },
)

/** A string without the characters whose 500s are pending a fix (unless FUZZ_PENDING=1). */
export const safeString: fc.Arbitrary<string> = PENDING
  ? hostileString
  : hostileString.map((s) => s.replace(BAD_CHARS, '?'))

/** Every UTF-8 byte as %XX; unlike encodeURIComponent it takes lone surrogates (as U+FFFD). */
export function percentEncode(s: string): string {
  return Array.from(new TextEncoder().encode(s), (b) => `%${b.toString(16).padStart(2, '0')}`).join(
    '',
  )
}

/** Page URLs with campaign parameters the collector decodes into `context.campaign`. */
export const hostileUrl: fc.Arbitrary<string> = fc.oneof(
  hostileString,
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc
    .tuple(fc.constantFrom('utm_source', 'utm_campaign', 'utm_term'), safeString)
    .map(([k, v]) => `https://example.com/p?${k}=${percentEncode(v)}`),
  fc.constantFrom(
    'https://example.com/?utm_source=%ED%A0%80&utm_medium=%FF',
    'javascript:alert(1)',
    'https://user:pass@[::1]:99999/',
    ...(PENDING ? ['https://example.com/?utm_source=a%00b'] : []),
  ),
)

export const pollutingKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'hasOwnProperty',
  'toString',
  'valueOf',
)

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: pollutingKey, weight: 2 },
  { arbitrary: hostileString.filter((s) => s.length < 200), weight: 3 },
  { arbitrary: fc.constantFrom('$where', 'a.b', '$gt', 'polluted', ''), weight: 1 },
)

/** Numbers at and past the edges of what JSON and PostgreSQL can hold. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER - 2,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    -0,
    2 ** 63,
    1e-320,
  ),
  fc.integer(),
)

// Built with own data properties, so `__proto__` is a key, exactly as JSON.parse makes it.
const objectOf = (entries: [string, unknown][]) => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of entries)
    Object.defineProperty(out, k, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  return out
}

/** Any JSON value with hostile keys and leaves, a few levels deep. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 6 }).map(objectOf),
  ),
})).value

/** A JSON object (properties, traits) with hostile keys and values. */
export const hostileObject: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.array(fc.tuple(hostileKey, hostileJson), { maxLength: 8 }).map(objectOf),
  // The classic payloads, as data that must stay data.
  fc.constant(JSON.parse('{"__proto__":{"polluted":"yes"},"a":1}')),
  fc.constant(JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}')),
  fc.constant(JSON.parse('{"x":{"__proto__":{"polluted":"yes"}}}')),
  fc.nat(40).map((n) => nested(n)),
  fc.nat(20_000).map((n) => ({ big: Array.from({ length: n }, (_, i) => i) })),
)

/** `{"a":{"a":…}}` nested `depth` levels. */
export function nested(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: true }
  for (let i = 0; i < depth; i++) v = { a: v }
  return v
}

/** Dates: valid, impossible, out of range, wrong types. */
export const hostileDate: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .date({ noInvalidDate: true, min: new Date('0001-01-02'), max: new Date('9999-12-30') })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2024-02-30T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-01-01T25:61:61Z',
    '+275760-09-13T00:00:00.000Z',
    '-000001-01-01T00:00:00Z',
    '1970-01-01',
    '2024-01-01 10:00',
    'yesterday',
    '',
    '9999-12-31T23:59:59.999999999+14:00',
    ...(PENDING ? ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00'] : []),
  ),
  hostileNumber,
  fc.constant(null),
  fc.constant({ $date: 1 }),
)

/** A copy of parsed JSON with the characters PostgreSQL refuses replaced, as the collector does. */
export function scrub(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(BAD_CHARS, '\ufffd')
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(scrub)
  return objectOf(
    Object.keys(value).map((k) => [
      k.replace(BAD_CHARS, '\ufffd'),
      scrub((value as Record<string, unknown>)[k]),
    ]),
  )
}

/** A canonical JSON text (sorted keys) for comparing values whatever their key order. */
export function canon(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined'
  if (Array.isArray(value)) return `[${value.map(canon).join(',')}]`
  const keys = Object.keys(value).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canon((value as Record<string, unknown>)[k])}`).join(',')}}`
}

/** Names of Object.prototype's and Array.prototype's own properties, to detect pollution. */
export function prototypeFingerprint(): string {
  const names = (o: object) => Object.getOwnPropertyNames(o).sort().join(',')
  return `${names(Object.prototype)}|${names(Array.prototype)}|${names(Function.prototype)}`
}

/** Renames `__proto__` keys (deeply), for inputs whose `__proto__` handling is pending a fix. */
export function withoutProtoKeys(value: unknown): unknown {
  if (PENDING || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(withoutProtoKeys)
  return objectOf(
    Object.keys(value).map((k) => [
      k === '__proto__' ? '__proto__x' : k,
      withoutProtoKeys((value as Record<string, unknown>)[k]),
    ]),
  )
}

/**
 * Waits for a property run (`fc.assert(…)` with `endOnFailure`) and, when it fails, records its
 * counterexample's message under `label` instead of throwing: a campaign over many routes lists
 * every failing one at the end.
 */
export async function recordFailure(label: string, run: Promise<void>, failures: string[]) {
  await run.catch((e: Error) =>
    failures.push(
      `${label}: ${String((e.cause as Error | undefined)?.message ?? e.message).slice(0, 700)}`,
    ),
  )
}
