import {
  buyingRole,
  compileFieldTests,
  compileMatcher,
  durationMs,
  nextCrossing,
  type EventTest,
  type ScoreNow,
} from '@lodestone/scoring'
import type { Condition, Range } from './conditions.js'
import { memoByString } from '../ingest/memo.js'

/** What a segment's conditions read about one contact at one moment. */
export interface Facts {
  nowMs: number
  traits: Record<string, unknown>
  score: ScoreNow
  /** Stored fit and engagement key with the workspace's half-life: when decay crosses a bound. */
  key: { fit: number; key: number; halfLifeMs: number | null }
  subscriptions: ReadonlySet<string>
  accounts: readonly {
    groupId: string
    traits: Record<string, unknown>
    score: { total: number; grade: string }
  }[]
  /** Segments the contact is in (those evaluated before this one already decided). */
  segments: ReadonlySet<string>
  lists: ReadonlySet<string>
  lastSeenMs: number
  /** Recent times of matching events, by window key. */
  windows: Readonly<Record<string, readonly number[]>>
}

/**
 * An event-count condition's memory: the latest `keep` times of events passing `test`. Its key
 * is made from the condition's content (matcher, count, window), so segments counting the same
 * events share one memory: the stored state and the work per event grow with the distinct
 * conditions, not with the number of segments.
 */
export interface WindowSpec {
  key: string
  test: EventTest
  keep: number
  windowMs: number
}

export interface CompiledSegment {
  id: string
  test(f: Facts): boolean
  /** The next time the result may change with nothing but time passing, or null. */
  due(f: Facts): number | null
  windows: WindowSpec[]
  /** What the conditions read beyond the contact row (the evaluation loads only that). */
  reads: { subscriptions: boolean; lists: boolean }
}

type Test = (f: Facts) => boolean
type Due = (f: Facts) => number | null

const inRange = (r: Range, v: number) =>
  (r.gt === undefined || v > r.gt) &&
  (r.gte === undefined || v >= r.gte) &&
  (r.lt === undefined || v < r.lt) &&
  (r.lte === undefined || v <= r.lte)

const bounds = (r: Range) =>
  [r.gt, r.gte, r.lt, r.lte].flatMap((b) => (b === undefined ? [] : [b, b + 0.01]))

const names = (v: string | string[]) =>
  new Set((Array.isArray(v) ? v : [v]).map((s) => s.toLowerCase()))

// Titles repeat across contacts and every role condition of a contact reads the same one: the
// title rules (about 0.4 µs a call) run once per distinct title, as ingest's parsers do.
const roleOfTitle = memoByString(buyingRole, { size: 2000, maxKeyLength: 200 })
const roleOf = (title: unknown) =>
  typeof title === 'string' ? roleOfTitle(title) : buyingRole(title)

const min = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.min(a, b)

/**
 * Compiles validated conditions once per segment version. Pattern tests come from the scoring
 * package's compilers, so segments match exactly as rules do.
 *
 * @example
 * const seg = compileSegment('seg_1', 1, { score: { gte: 50 } })
 * seg.test(facts) // true when the score as of facts.nowMs is 50 or more
 */
export function compileSegment(
  id: string,
  version: number,
  conditions: Condition,
): CompiledSegment {
  const windows: WindowSpec[] = []
  const dues: Due[] = []
  const reads = { subscriptions: false, lists: false }
  const test = compile(conditions)
  return {
    id,
    test,
    windows,
    reads,
    due:
      dues.length === 0
        ? () => null
        : (f) => {
            let next: number | null = null
            for (const d of dues) next = min(next, d(f))
            return next
          },
  }

  function compile(c: Condition): Test {
    // plain loops: `every`/`some` with an arrow made a closure per contact and segment
    if ('all' in c) {
      const parts = c.all.map(compile)
      return (f) => {
        for (const p of parts) if (!p(f)) return false
        return true
      }
    }
    if ('any' in c) {
      const parts = c.any.map(compile)
      return (f) => {
        for (const p of parts) if (p(f)) return true
        return false
      }
    }
    if ('not' in c) {
      const inner = compile(c.not)
      return (f) => !inner(f)
    }
    if ('traits' in c) {
      const t = compileFieldTests(c.traits)
      return (f) => t(f.traits)
    }
    if ('score' in c) {
      const r = c.score
      const b = bounds(r)
      dues.push((f) => nextCrossing(f.key.fit, f.key.key, f.nowMs, f.key.halfLifeMs, b))
      return (f) => inRange(r, f.score.total)
    }
    if ('engagement' in c) {
      const r = c.engagement
      const b = bounds(r)
      dues.push((f) => nextCrossing(0, f.key.key, f.nowMs, f.key.halfLifeMs, b))
      return (f) => inRange(r, f.score.engagement)
    }
    if ('fit' in c) {
      const r = c.fit
      return (f) => inRange(r, f.score.fit)
    }
    if ('grade' in c) {
      const want = names(c.grade)
      // grade thresholds are in every contact's due time already (scoring.ts scoreDueAt)
      return (f) => want.has(f.score.grade.toLowerCase())
    }
    if ('subscribed' in c) {
      const topic = c.subscribed
      reads.subscriptions = true
      return (f) => f.subscriptions.has(topic)
    }
    if ('role' in c) {
      const want = new Set(Array.isArray(c.role) ? c.role : [c.role])
      return (f) => want.has(roleOf(f.traits.title))
    }
    if ('account' in c) return compileAccount(c.account)
    if ('segment' in c) {
      const id = c.segment
      return (f) => f.segments.has(id)
    }
    if ('list' in c) {
      const id = c.list
      reads.lists = true
      return (f) => f.lists.has(id)
    }
    if ('events' in c) return compileEvents(c.events)
    const spec = c.lastSeen
    const within = 'within' in spec ? durationMs(spec.within)! : durationMs(spec.notWithin)!
    const holds = (f: Facts) => f.nowMs - f.lastSeenMs < within
    dues.push((f) => (holds(f) ? f.lastSeenMs + within : null))
    return 'within' in spec ? holds : (f) => !holds(f)
  }

  function compileAccount(a: Extract<Condition, { account: unknown }>['account']): Test {
    const groupIds = a.groupId ? names(a.groupId) : null
    const traits = a.traits ? compileFieldTests(a.traits) : null
    const grades = a.grade ? names(a.grade) : null
    const score = a.score
    const one = (acc: Facts['accounts'][number]) =>
      (!groupIds || groupIds.has(acc.groupId.toLowerCase())) &&
      (!traits || traits(acc.traits)) &&
      (!grades || grades.has(acc.score.grade.toLowerCase())) &&
      (!score || inRange(score, acc.score.total))
    const any = (f: Facts) => f.accounts.some(one)
    return a.exists === false ? (f) => !any(f) : any
  }

  function compileEvents(e: Extract<Condition, { events: unknown }>['events']): Test {
    const keep = e.atLeast ?? e.fewerThan!
    const windowMs = durationMs(e.within)!
    const spec: WindowSpec = {
      key: `w${hash(JSON.stringify(e.match))}.${keep}.${windowMs}`,
      test: compileMatcher(e.match),
      keep,
      windowMs,
    }
    windows.push(spec)
    const count = (f: Facts) => {
      const times = f.windows[spec.key]
      if (!times) return 0
      let n = 0
      for (const t of times) if (t > f.nowMs - spec.windowMs && t <= f.nowMs) n++
      return n
    }
    // The count changes with time when the oldest event inside the window leaves it.
    dues.push((f) => {
      const times = f.windows[spec.key]
      if (!times) return null
      let next: number | null = null
      for (const t of times) {
        const out = t + spec.windowMs
        if (out > f.nowMs) next = min(next, out)
      }
      return next
    })
    return e.atLeast !== undefined ? (f) => count(f) >= e.atLeast! : (f) => count(f) < e.fewerThan!
  }
}

/** A 53-bit string hash (cyrb53), base 36: short, stable window keys. */
function hash(text: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)
}

/**
 * Adds an event time to a window's memory, keeping the latest `keep` (sorted). Answers `times`
 * itself when the time is too old to be kept, so callers can tell nothing changed.
 */
export function remember(times: readonly number[] | undefined, at: number, keep: number): number[] {
  const cur = times ?? []
  if (cur.length >= keep && at <= cur[0]!) return cur as number[]
  let i = cur.length
  while (i > 0 && cur[i - 1]! > at) i--
  // One new array: the stored one may be shared with what the write compares against, so it
  // is never changed. Position m of the merged list is cur[m] before the insert, `at` at it,
  // cur[m - 1] after; the last `keep` positions are kept.
  const merged = cur.length + 1
  const from = Math.max(0, merged - keep)
  const out = new Array<number>(merged - from)
  for (let m = from; m < merged; m++) out[m - from] = m < i ? cur[m]! : m === i ? at : cur[m - 1]!
  return out
}
