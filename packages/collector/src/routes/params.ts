import { CollectorError } from '../errors.js'

/** Parses `?limit=` (1…max, default `def`), answering 400 on anything else. */
export function parseLimit(raw: string | undefined, def = 50, max = 1000): number {
  if (raw === undefined || raw === '') return def
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new CollectorError('bad_request', `limit must be an integer from 1 to ${max}`)
  }
  return n
}

const KINDS = ['email', 'userId', 'anonymousId'] as const

/** `?email=` / `?userId=` / `?anonymousId=` / `?kind=&value=` → an identifier. */
export function identifierFromQuery(q: Record<string, string>): { kind: string; value: string } {
  for (const kind of KINDS) if (q[kind]) return { kind, value: q[kind]! }
  if (q.kind && q.value) return { kind: q.kind, value: q.value }
  throw new CollectorError(
    'bad_request',
    'Give one of email, userId, anonymousId, or kind and value',
  )
}

/** A path segment naming a contact: a contact id, or `kind:value` (e.g. `email:ada@example.com`). */
export function contactRefFromPath(ref: string): { id: string } | { kind: string; value: string } {
  const at = ref.indexOf(':')
  if (at > 0) return { kind: ref.slice(0, at), value: ref.slice(at + 1) }
  return { id: ref }
}
