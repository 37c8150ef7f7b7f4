import { describe, expect, it } from 'vitest'
import { applyLifecyclePolicy, needsReasons, type PolicyContext } from './ingest-policy.js'
import { createReasonLists, DEFAULT_REASONS } from './reasons.js'

const secret: PolicyContext = { keyKind: 'secret', reasons: () => DEFAULT_REASONS }
const write: PolicyContext = { keyKind: 'write', reasons: () => DEFAULT_REASONS }
const deal = (properties: object) => ({
  index: 0,
  raw: { type: 'track', event: 'Deal Lost', userId: 'u', properties },
})

describe('lifecycle ingest policy', () => {
  it('needs the secret key for lifecycle events only', () => {
    const r = applyLifecyclePolicy(deal({ dealId: 1, amount: 1, currency: 'usd' }), write)
    expect(r).toMatchObject({ ok: false, issues: [{ code: 'secret_key_required' }] })
    const other = { index: 0, raw: { type: 'track', event: 'Deal Viewed', properties: {} } }
    expect(applyLifecyclePolicy(other, write)).toEqual({ ok: true, raw: other.raw })
    // A page named like a lifecycle event is not one: only track calls are.
    const page = { index: 0, raw: { type: 'page', name: 'Deal Won' } }
    expect(applyLifecyclePolicy(page, write).ok).toBe(true)
  })

  it('reports schema issues under properties', () => {
    const r = applyLifecyclePolicy(deal({ dealId: 1, amount: -5, currency: 'dollars' }), secret)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'properties.amount',
      'properties.currency',
    ])
  })

  it('stores the schema output and the canonical reason, keeping extra properties', () => {
    const r = applyLifecyclePolicy(
      deal({ dealId: 7, amount: 10, currency: 'eur', reason: ' chose A competitor', crm: 'x' }),
      secret,
    )
    expect(r).toMatchObject({
      ok: true,
      raw: {
        properties: {
          dealId: '7',
          currency: 'EUR',
          reason: 'Chose a competitor',
          crm: 'x',
        },
      },
    })
  })

  it('rejects an unknown reason with the allowed list of the workspace', () => {
    const lists = createReasonLists({ lost: ['Price', 'Legal'] })
    const r = applyLifecyclePolicy(deal({ dealId: 1, amount: 1, currency: 'USD', reason: 'US' }), {
      keyKind: 'secret',
      reasons: () => lists,
    })
    expect(r).toMatchObject({
      ok: false,
      issues: [
        {
          path: ['properties', 'reason'],
          code: 'unknown_reason',
          allowed: ['Price', 'Legal'],
          message: 'Unknown lost reason "US". Allowed: Price, Legal',
        },
      ],
    })
  })

  it('says when reason lists are needed', () => {
    expect(needsReasons([deal({ reason: 'x' })])).toBe(true)
    expect(needsReasons([deal({})])).toBe(false)
    expect(
      needsReasons([{ index: 0, raw: { type: 'track', event: 'X', properties: { reason: 'x' } } }]),
    ).toBe(false)
  })

  it('normalises identify traits and context traits without touching the input', () => {
    const raw = {
      type: 'identify',
      userId: 'u',
      traits: { email: ' Ana@X.IO ', country: 'United States of America', phone: '(415) 555-2671' },
      context: { traits: { country: 'deutschland' }, ip: '1.2.3.4' },
    }
    const copy = structuredClone(raw)
    const r = applyLifecyclePolicy({ index: 0, raw }, write)
    expect(r).toMatchObject({
      ok: true,
      raw: {
        traits: { email: 'ana@x.io', country: 'US', phone: '+14155552671' },
        context: { traits: { country: 'DE' }, ip: '1.2.3.4' },
      },
    })
    expect(raw).toEqual(copy)
    // Unknown values are kept as sent (the quality report flags them).
    const odd = applyLifecyclePolicy(
      { index: 0, raw: { type: 'identify', userId: 'u', traits: { country: 'Atlantis ' } } },
      write,
    )
    expect(odd).toMatchObject({ ok: true, raw: { traits: { country: 'Atlantis' } } })
  })
})
