import { expect } from 'vitest'
import type { Sql } from 'postgres'
import type { ScoringEvent } from '../../packages/scoring/src/index.js'

// The two-process race of test/horizontal.test.ts, shared with test/log-mode.test.ts: 30 people,
// each sent as batches that make three contacts and then race their merges.

export const PERSONS = 30

/** A collector to talk to: its base URL. */
export interface Target {
  url: string
}

// No decay (halfLifeDays: null), so a score does not depend on when it is read; a per-day cap
// on pricing views, so merged contacts must be rescored from all their events, not summed.
export const RULES = {
  halfLifeDays: null,
  grades: [{ name: 'cold' }, { name: 'warm', min: 20 }, { name: 'hot', min: 50 }],
  rules: [
    {
      id: 'pricing',
      name: 'Viewed pricing',
      kind: 'engagement',
      points: 10,
      conditions: { type: 'page', url: '*/pricing*' },
      caps: { perDay: 1 },
    },
    {
      id: 'demo',
      name: 'Requested a demo',
      kind: 'engagement',
      points: 30,
      conditions: { type: 'track', event: 'Demo Requested' },
    },
    {
      id: 'vp',
      name: 'VP title',
      kind: 'fit',
      points: 20,
      conditions: { traits: { title: { containsWord: ['VP'] } } },
    },
  ],
}

export type Event = ScoringEvent & {
  anonymousId: string
  traits?: Record<string, unknown>
  messageId: string
}

export async function post(c: Target, writeKey: string, batch: Event[]) {
  const res = await fetch(`${c.url}/v1/batch`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${writeKey}:`)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ batch }),
  })
  return { status: res.status, body: await res.text() }
}

/** `POST /v1/batch` with the write key; the answer's status and JSON body. */
export async function postBatch(c: Target, writeKey: string, batch: Event[], query = '') {
  const res = await fetch(`${c.url}/v1/batch${query}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${writeKey}:`)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ batch }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

/** Waits until the workspace holds `count` events (log-mode processors commit asynchronously). */
export async function storedEvents(
  sql: Sql,
  workspaceId: string,
  count: number,
  timeoutMs = 90_000,
) {
  const deadline = Date.now() + timeoutMs
  let n = 0
  while (Date.now() < deadline) {
    const [row] =
      await sql`select count(*)::int as n from events where workspace_id = ${workspaceId}`
    n = row!.n as number
    if (n >= count) return n
    await new Promise((r) => setTimeout(r, 200))
  }
  return n
}

export interface ContactAnswer {
  id: string
  traits: Record<string, unknown>
  identities: { kind: string; value: string }[]
  score: { fit: number; engagement: number; total: number; grade: string }
}

export async function read<T = ContactAnswer>(
  c: Target,
  secretKey: string,
  path: string,
): Promise<T> {
  const res = await fetch(`${c.url}${path}`, { headers: { authorization: `Bearer ${secretKey}` } })
  expect(res.status, `${path}: ${res.status}`).toBe(200)
  return (await res.json()) as T
}

export async function putRules(c: Target, secretKey: string, rules: unknown) {
  const res = await fetch(`${c.url}/v1/scoring/rules`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(rules),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as { version: number }
}

/** One person's batches: phase 1 makes three contacts (A, B, C), phase 2 races their merges. */
export function personBatches(run: string, i: number) {
  const base = Date.parse('2026-11-30T09:00:00.000Z') + i * 60_000
  const at = (s: number) => new Date(base + s * 1000).toISOString()
  const id = (s: string) => `${run}-${i}-${s}`
  const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((k) => `${run}-anon-${k}-${i}`) as [
    string,
    string,
    string,
    string,
  ]
  const email = { ab: `ab-${run}-${i}@example.com`, bc: `bc-${run}-${i}@example.com` }
  const person = `person-${run}-${i}@example.com`
  const page = (anonymousId: string, s: number, messageId: string): Event => ({
    type: 'page',
    name: 'Pricing',
    properties: { url: 'https://example.com/pricing' },
    anonymousId,
    timestamp: at(s),
    messageId,
  })
  const demo = (anonymousId: string, s: number, messageId: string): Event => ({
    type: 'track',
    event: 'Demo Requested',
    anonymousId,
    timestamp: at(s),
    messageId,
  })
  const identify = (
    anonymousId: string,
    traits: Record<string, unknown>,
    s: number,
    messageId: string,
  ): Event => ({ type: 'identify', anonymousId, traits, timestamp: at(s), messageId })
  // (a) the same new anonymousId (A) to both processes, and one event (same messageId) to both.
  const shared = demo(A, 3, id('shared'))
  const phase1: [Event[], Event[]] = [
    [page(A, 1, id('p1-page-a')), page(B, 2, id('p1-page-b')), shared],
    [demo(A, 4, id('p2-demo-a')), shared, page(C, 5, id('p2-page-c'))],
  ]
  // (c) A↔B on process 1 and B↔C on process 2 at the same time; (b) one email from two
  // anonymousIds (D on process 1, C on process 2).
  const phase2: [Event[], Event[]] = [
    [
      identify(A, { email: email.ab }, 10, id('p1-id-a')),
      identify(B, { email: email.ab }, 11, id('p1-id-b')),
      identify(D, { email: person, title: 'VP Sales' }, 12, id('p1-id-d')),
    ],
    [
      identify(B, { email: email.bc }, 13, id('p2-id-b')),
      identify(C, { email: email.bc }, 14, id('p2-id-c')),
      identify(C, { email: person }, 15, id('p2-id-c2')),
    ],
  ]
  const events = [...new Map([...phase1, ...phase2].flat().map((e) => [e.messageId, e])).values()]
  const identities = [
    ...[A, B, C, D].map((value) => ({ kind: 'anonymousId', value })),
    ...[email.ab, email.bc, person].map((value) => ({ kind: 'email', value })),
  ]
  return { phase1, phase2, events, identities, A }
}

export const sortIds = (ids: { kind: string; value: string }[]) =>
  ids.map((x) => `${x.kind}:${x.value}`).sort()
