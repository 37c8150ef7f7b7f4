import { describe, expect, it } from 'vitest'
import { createScorer, DEFAULT_RULES } from '@lodestone/scoring'
import type { EnrichedEvent } from '../ports.js'
import { NO_SCORE, type ContactRow } from './contact.js'
import {
  applyStoredEvents,
  byTimeThenId,
  lockKeys,
  planIdentities,
  toScoringEvent,
} from './plan.js'
import { foldScores, settleScores } from './score.js'

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString()
let seq = 0
function ev(minute: number, fields: Record<string, unknown>): EnrichedEvent {
  const messageId = (fields.messageId as string | undefined) ?? `m${++seq}`
  const type = (fields.type as EnrichedEvent['type'] | undefined) ?? 'track'
  return {
    messageId,
    type,
    timestamp: at(minute),
    originalTimestamp: null,
    sentAt: null,
    receivedAt: at(60 + minute),
    userId: (fields.userId as string | undefined) ?? null,
    anonymousId: (fields.anonymousId as string | undefined) ?? null,
    event: (fields.event as string | undefined) ?? null,
    name: null,
    payload: { type, messageId, timestamp: at(minute), ...fields } as never,
  }
}
const stored = (id: string, minute: number, userId: string | null = null): ContactRow => ({
  id,
  userId,
  firstSeen: at(minute),
  lastSeen: at(minute),
  state: { traits: {}, times: {} },
  firstTouch: null,
  score: NO_SCORE,
  isNew: false,
  dirty: false,
})
const counter = () => {
  let n = 0
  return () => `new-${++n}`
}

describe('planIdentities', () => {
  it('merges stored contacts chained within one batch straight into the final survivor', () => {
    // A (newest) joins B, then B joins C (oldest): both merges must point at C.
    const contacts = new Map([
      ['A', stored('A', 30)],
      ['B', stored('B', 20)],
      ['C', stored('C', 10)],
    ])
    const owned = [
      { kind: 'anonymousId', value: 'a', contactId: 'A' },
      { kind: 'anonymousId', value: 'b', contactId: 'B' },
      { kind: 'anonymousId', value: 'c', contactId: 'C' },
      { kind: 'email', value: 'x@y.io', contactId: 'B' },
    ]
    const events = [
      ev(40, { type: 'identify', anonymousId: 'a', traits: { email: 'x@y.io' } }),
      ev(41, { type: 'alias', userId: 'u', previousId: 'c', anonymousId: 'b' }),
    ]
    const plan = planIdentities(events, { owned, contacts }, counter())
    expect(plan.merges.map((m) => [m.from, m.into])).toEqual([
      ['A', 'C'],
      ['B', 'C'],
    ])
    expect([...plan.contacts.keys()]).toEqual(['C'])
    expect(plan.placed.map((e) => e.contactId)).toEqual(['C', 'C'])
    expect(plan.links.every((l) => l.contactId === 'C')).toBe(true)
    expect(plan.contacts.get('C')!.firstSeen).toBe(at(10))
  })

  it('creates contacts with the given ids and never records a merge of a new contact', () => {
    const events = [
      ev(1, { anonymousId: 'n1' }),
      ev(2, { anonymousId: 'n2' }),
      ev(3, { type: 'identify', anonymousId: 'n2', userId: 'u9' }),
      ev(4, { type: 'alias', userId: 'u9', previousId: 'n1' }),
    ]
    const plan = planIdentities(events, { owned: [], contacts: new Map() }, counter())
    expect(plan.merges).toEqual([])
    expect([...plan.contacts.keys()]).toEqual(['new-1'])
    expect(plan.contacts.get('new-1')).toMatchObject({ isNew: true })
    expect(plan.links).toContainEqual(
      expect.objectContaining({ kind: 'userId', value: 'u9', contactId: 'new-1' }),
    )
    expect(new Set(plan.placed.map((e) => e.contactId))).toEqual(new Set(['new-1']))
  })

  it('records a conflict instead of merging two known users', () => {
    const contacts = new Map([
      ['U1', stored('U1', 1, 'u1')],
      ['U2', stored('U2', 2, 'u2')],
    ])
    const owned = [
      { kind: 'userId', value: 'u1', contactId: 'U1' },
      { kind: 'userId', value: 'u2', contactId: 'U2' },
      { kind: 'email', value: 'shared@x.io', contactId: 'U2' },
    ]
    const e = ev(5, { type: 'identify', userId: 'u1', traits: { email: 'shared@x.io' } })
    const plan = planIdentities([e], { owned, contacts }, counter())
    expect(plan.merges).toEqual([])
    expect(plan.conflicts).toEqual([
      {
        contactId: 'U1',
        otherContactId: 'U2',
        kind: 'email',
        value: 'shared@x.io',
        messageId: e.messageId,
      },
    ])
  })
})

describe('batch helpers', () => {
  it('lock keys cover every identifier, previousId as both kinds', () => {
    const keys = lockKeys('ws', [ev(1, { type: 'alias', userId: 'u', previousId: 'p' })])
    expect(keys.sort()).toEqual(
      ['ws\u001fanonymousId\u001fp', 'ws\u001fuserId\u001fp', 'ws\u001fuserId\u001fu'].sort(),
    )
  })

  it('orders by time then messageId', () => {
    const a = ev(2, { messageId: 'b', anonymousId: 'x' })
    const b = ev(2, { messageId: 'a', anonymousId: 'x' })
    const c = ev(1, { messageId: 'c', anonymousId: 'x' })
    expect([a, b, c].sort(byTimeThenId).map((e) => e.messageId)).toEqual(['c', 'a', 'b'])
  })
})

describe('applyStoredEvents', () => {
  it('takes each trait from its latest event, whatever the order, and reports what changed', () => {
    const row = stored('C', 5)
    const contacts = new Map([['C', row]])
    const late = { ...ev(9, { type: 'identify', traits: { plan: 'pro' } }), contactId: 'C' }
    const early = {
      ...ev(3, { type: 'identify', traits: { plan: 'free', role: 'cto' } }),
      contactId: 'C',
    }
    const { changedTraits, scoringEvents } = applyStoredEvents(contacts, [late, early])
    expect(row.state.traits).toEqual({ plan: 'pro', role: 'cto' })
    expect([...changedTraits.get('C')!].sort()).toEqual(['plan', 'role'])
    expect(row.firstSeen).toBe(at(3))
    expect(row.lastSeen).toBe(at(9))
    expect(row.dirty).toBe(true)
    expect(scoringEvents.get('C')!.map((e) => e.messageId)).toEqual([
      late.messageId,
      early.messageId,
    ])
  })
})

describe('scores', () => {
  const scorer = createScorer(DEFAULT_RULES)
  const page = (minute: number, url: string) =>
    toScoringEvent(ev(minute, { type: 'page', anonymousId: 'x', context: { page: { url } } }))

  it('folds new events incrementally and asks for a replay when an event is late', () => {
    const row = { ...stored('C', 1), isNew: true }
    const first = settleScores(
      scorer,
      [row],
      foldScores(scorer, [row], new Map([['C', [page(10, 'https://s.io/pricing')]]]), new Set()),
      new Map(),
      new Date(at(20)),
    )
    expect(first).toHaveLength(1)
    expect(row.score.total).toBeGreaterThan(0)
    row.isNew = false
    const late = foldScores(
      scorer,
      [row],
      new Map([['C', [page(5, 'https://s.io/demo')]]]),
      new Set(),
    )
    expect(late.replay).toEqual(['C'])
    const merged = foldScores(scorer, [row], new Map(), new Set(['C']))
    expect(merged.replay).toEqual(['C'])
  })

  it('a replay gives the score of all the events in one pass', () => {
    const events = [page(1, 'https://s.io/pricing'), page(2, 'https://s.io/demo')]
    const row = stored('C', 1)
    settleScores(
      scorer,
      [row],
      { states: new Map(), replay: ['C'] },
      new Map([['C', events]]),
      new Date(at(9)),
    )
    const expected = scorer.score(scorer.replay(events), {}, new Date(at(9)))
    expect(row.score.total).toBe(expected.total)
    expect(row.score.rules).toBe(scorer.fingerprint)
  })
})
