import { isLifecycleEvent, parseLifecycleProperties } from '@lodestone/protocol'
import { LifecycleError } from './errors.js'
import { canonicaliseEventReason } from './event-reasons.js'
import { normaliseTraits } from './normalise.js'
import type { ReasonLists } from './reasons.js'

/** An event as ingest sees it after the protocol check: `raw` is what gets stored. */
export interface PolicyEvent {
  index: number
  raw: Record<string, unknown>
}

export interface PolicyIssue {
  path: (string | number)[]
  message: string
  code: string
  [detail: string]: unknown
}

export type PolicyOutcome =
  { ok: true; raw: Record<string, unknown> } | { ok: false; issues: PolicyIssue[] }

export interface PolicyContext {
  /** Lifecycle events are server-side facts: only the secret key may send them. */
  keyKind: 'write' | 'secret'
  /** The workspace's reason lists; loaded only when an event carries a reason. */
  reasons: () => ReasonLists
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

/** True when any event is a lifecycle `track` with a `reason`, so the caller loads the lists. */
export function needsReasons(events: readonly PolicyEvent[]): boolean {
  return events.some(
    (e) =>
      e.raw.type === 'track' &&
      isLifecycleEvent(e.raw.event) &&
      isObject(e.raw.properties) &&
      e.raw.properties.reason !== undefined,
  )
}

/**
 * Lifecycle rules applied to one event before it is stored: lifecycle events need the secret
 * key, valid properties (normalised by their schema: ids as strings, currency upper-case) and
 * a reason from the workspace's list (stored as its canonical label); identify and context
 * traits are normalised (country ISO code, e-mail, E.164 phone, names trimmed).
 * @example
 * const r = applyLifecyclePolicy({ index: 0, raw }, { keyKind: 'secret', reasons: () => lists })
 * if (!r.ok) rejected.push({ index: 0, issues: r.issues })
 */
export function applyLifecyclePolicy(e: PolicyEvent, ctx: PolicyContext): PolicyOutcome {
  let raw = e.raw
  if (raw.type === 'track' && isLifecycleEvent(raw.event)) {
    if (ctx.keyKind !== 'secret') {
      return {
        ok: false,
        issues: [
          {
            path: ['event'],
            message: `"${raw.event}" is a server-side event: send it with the workspace's secret key (sk_…), not a write key`,
            code: 'secret_key_required',
          },
        ],
      }
    }
    const parsed = parseLifecycleProperties(raw.event, raw.properties)
    if (parsed && !parsed.success) {
      return {
        ok: false,
        issues: parsed.error.issues.map((i) => ({
          path: ['properties', ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
          message: i.message,
          code: i.code,
        })),
      }
    }
    let properties = (parsed?.data ?? {}) as Record<string, unknown>
    try {
      if (properties.reason !== undefined) {
        properties = canonicaliseEventReason(ctx.reasons(), raw.event, properties)
      }
    } catch (err) {
      if (!(err instanceof LifecycleError)) throw err
      return {
        ok: false,
        issues: [
          {
            path: ['properties', 'reason'],
            message: err.message,
            code: err.code,
            allowed: err.details.allowed,
          },
        ],
      }
    }
    raw = { ...raw, properties }
  }
  return { ok: true, raw: normaliseEventTraits(raw) }
}

function normaliseEventTraits(raw: Record<string, unknown>): Record<string, unknown> {
  let out = raw
  if (raw.type === 'identify' && isObject(raw.traits)) {
    out = { ...out, traits: normaliseTraits(raw.traits).traits }
  }
  const ctx = raw.context
  if (isObject(ctx) && isObject(ctx.traits)) {
    out = { ...out, context: { ...ctx, traits: normaliseTraits(ctx.traits).traits } }
  }
  return out
}
