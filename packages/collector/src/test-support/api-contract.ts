import fc from 'fast-check'
import { expect } from 'vitest'
import { hostileJson } from './hostile.js'

/** What a campaign's requests were answered with, for its summary line. */
export interface Tally {
  requests: number
  statuses: Map<number, number>
}

export const newTally = (): Tally => ({ requests: 0, statuses: new Map() })

type App = { request(path: string, init: RequestInit): Response | Promise<Response> }

/**
 * Sends one request and holds it to the API's error contract: below 500, and a 4xx answers
 * `{ success: false, error: { code, message } }`; with `json`, a 2xx is a JSON body too. An event
 * stream is cancelled unread. Returns the status.
 */
export async function sendHeldToContract(
  app: App,
  tally: Tally,
  method: string,
  path: string,
  init: { headers: Headers; body?: BodyInit; json?: boolean },
): Promise<number> {
  tally.requests++
  const label = `${method} ${path.slice(0, 200)}`
  const res = await app.request(path, { method, headers: init.headers, body: init.body })
  tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1)
  const type = res.headers.get('content-type') ?? ''
  const text = type.includes('event-stream') ? (await res.body?.cancel(), '') : await res.text()
  const answer = `${label} → ${res.status} ${text.slice(0, 300)}`
  expect(res.status, answer).toBeLessThan(500)
  if (res.status >= 400 || init.json) {
    expect(type, answer).toContain('application/json')
    const json = JSON.parse(text) as {
      success?: unknown
      error?: { code?: unknown; message?: unknown }
    }
    if (res.status >= 400) {
      expect(json.success, answer).toBe(false)
      expect(typeof json.error?.code, answer).toBe('string')
      expect(typeof json.error?.message, answer).toBe('string')
    }
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  return res.status
}

/** A cursor a client might forge: base64url of hostile JSON, or of a one- or two-key array. */
export const forgedCursor = fc.oneof(
  hostileJson.map((v) => Buffer.from(JSON.stringify(v) ?? 'x').toString('base64url')),
  fc
    .tuple(fc.constantFrom(0, 1), hostileJson)
    .map(([i, v]) => Buffer.from(JSON.stringify([v, v].slice(0, i + 1))).toString('base64url')),
)

/** Query strings as a client types them: percent-encoding broken or missing, keys repeated. */
export const rawQueryArb = fc.constantFrom(
  '?limit=%ZZ',
  '?cursor=%',
  '?email=%E0%A4%A',
  '?sort=score&sort=lastSeen&limit=1&limit=2',
  '?trait.%00=x',
  '?email',
  '?&&&=&=',
)
