// Helpers that read loosely typed JSON values (event properties, contact traits).

const MAX_TEXT = 2000
// A number, an optional multiplier (k, m, b; Chinese 万 ten thousand, 亿 hundred million) and
// an optional Chinese unit (人 people, 名 persons, 元 yuan): "50k", "5000万", "1.2亿元", "300人".
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?([kmb万亿])?[人名元]?$/i
const MULTIPLIER: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, 万: 1e4, 亿: 1e8 }

/**
 * Compiles a reader for `a.b.c`: an exact key wins (Segment allows dots in names), then
 * nested objects; own properties only. Compiled once per rule so that reading allocates nothing.
 */
export function pathReader(path: string): (source: unknown) => unknown {
  const keys = path.split('.')
  if (keys.length === 1) return (source) => own(source, path)
  return (source) => {
    if (!isRecord(source)) return undefined
    if (Object.hasOwn(source, path)) return source[path]
    let current: unknown = source
    for (const key of keys) current = own(current, key)
    return current
  }
}

/**
 * `source[key]` when it is an own property: a rule on `constructor` or `__proto__` reads the
 * contact's data, never Object.prototype.
 */
function own(source: unknown, key: string): unknown {
  return isRecord(source) && Object.hasOwn(source, key) ? source[key] : undefined
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Numbers, or numeric strings from forms: "1,200", "$50k", " 3.5 ", "¥5000万", "300人".
 * Anything else → null.
 */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value !== 'string' || value.length > 64) return null
  const text = value
    .replace(/[\s,_，]/g, '')
    .replace(/^[$€£¥￥]/, '')
    .replace(/[人名元]$/, '')
  const match = NUMBER.exec(text)
  if (!match) return null
  const suffix = match[4]?.toLowerCase()
  const base = Number(suffix ? text.slice(0, -1) : text)
  const n = suffix ? base * (MULTIPLIER[suffix] ?? 1) : base
  return Number.isFinite(n) ? n : null
}

/**
 * The lower-cased strings a value offers to text tests; arrays offer each element (nested
 * arrays are skipped). At most MAX_TEXT characters in all are offered, whether in one string or
 * spread over a list, so a pattern's cost per value is bounded whatever the event carries.
 */
export function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value.slice(0, MAX_TEXT).toLowerCase()]
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)]
  if (!Array.isArray(value)) return []
  const out: string[] = []
  let left = MAX_TEXT
  for (const item of value) {
    if (left <= 0) break
    const text = typeof item === 'string' ? item : scalarText(item)
    if (text === null) continue
    const cut = text.slice(0, left)
    out.push(cut.toLowerCase())
    left -= Math.max(1, cut.length)
  }
  return out
}

function scalarText(value: unknown): string | null {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : null
}
