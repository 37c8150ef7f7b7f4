// Test doubles for the browser runtime: a collector behind `fetch`, Storage, Web Locks.
import { vi } from 'vitest'
import type { LodestoneEvent } from '../core/types.js'

export interface Request {
  url: string
  body: { batch: LodestoneEvent[]; sentAt: string; writeKey: string }
  headers: Record<string, string>
  keepalive: boolean
}

/** A fetch that answers like the collector; `respond` scripts the next answers. */
export function fakeCollector() {
  const requests: Request[] = []
  const script: (() => Response | Promise<Response>)[] = []
  const fetch = vi.fn(async (url: string | URL | globalThis.Request, init?: RequestInit) => {
    requests.push({
      url: String(url),
      body: JSON.parse(String(init?.body)),
      headers: { ...(init?.headers as Record<string, string>) },
      keepalive: !!init?.keepalive,
    })
    const next = script.shift()
    if (next) return next()
    return new Response(JSON.stringify({ success: true, accepted: 1, duplicates: 0, rejected: [] }))
  })
  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    requests,
    /** Every event delivered in a 2xx answer... approximated: every event sent. */
    events: () => requests.flatMap((r) => r.body.batch),
    respond(...answers: (() => Response | Promise<Response>)[]) {
      script.push(...answers)
    },
  }
}

export const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    new Response('{"success":false,"error":{"code":"x","message":"x"}}', { status: code, headers })
export const networkError = () => () => Promise.reject(new TypeError('Failed to fetch'))

/** An in-memory Storage; `quota` (chars) makes setItem throw as browsers do when full. */
export function fakeStorage(quota = Infinity): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>()
  const used = () => [...data].reduce((n, [k, v]) => n + k.length + v.length, 0)
  return {
    data,
    get length() {
      return data.size
    },
    key: (i: number) => [...data.keys()][i] ?? null,
    getItem: (k: string) => data.get(k) ?? null,
    setItem(k: string, v: string) {
      const before = data.get(k)
      data.set(k, String(v))
      if (used() > quota) {
        if (before === undefined) data.delete(k)
        else data.set(k, before)
        throw new DOMException('quota exceeded', 'QuotaExceededError')
      }
    },
    removeItem: (k: string) => void data.delete(k),
    clear: () => data.clear(),
  }
}

/** Web Locks shared by several "tabs"; `kill(tab)` releases a dead document's locks. */
export function fakeLockManager() {
  const held = new Map<string, string>() // lock name -> holder tab
  const waiting: { name: string; tab: string; run: () => void }[] = []
  const grant = () => {
    for (const w of [...waiting]) {
      if (held.has(w.name)) continue
      waiting.splice(waiting.indexOf(w), 1)
      w.run()
    }
  }
  const forTab = (tab: string) =>
    ({
      request(name: string, ...rest: unknown[]) {
        const cb = rest[rest.length - 1] as () => unknown
        return new Promise((resolve, reject) => {
          const run = () => {
            held.set(name, tab)
            Promise.resolve()
              .then(cb)
              .then(resolve, reject)
              .finally(() => {
                if (held.get(name) === tab) held.delete(name)
                grant()
              })
          }
          waiting.push({ name, tab, run })
          queueMicrotask(grant)
        })
      },
    }) as unknown as LockManager
  return {
    forTab,
    kill(tab: string) {
      for (const [name, holder] of held) if (holder === tab) held.delete(name)
      for (const w of [...waiting]) if (w.tab === tab) waiting.splice(waiting.indexOf(w), 1)
      grant()
    },
  }
}

/** Lets pending promise callbacks and zero-delay timers run (real timers). */
export const settle = (ms = 0) => new Promise((r) => setTimeout(r, ms))

/**
 * The global fetch as the collector answers personalisation (packages/collector/src/routes/
 * segments.ts): `GET /v1/personalize/segments` gives `answer(query)` for a write key and an
 * anonymousId or userId, a JSON error otherwise; `/v1/batch` is accepted (the script-tag builds
 * send with the global fetch). Returns every personalisation URL asked, in order.
 */
export function stubPersonalize(answer: (q: URLSearchParams) => Response | Promise<Response>) {
  const asked: URL[] = []
  vi.stubGlobal('fetch', async (input: string | URL) => {
    const url = new URL(String(input))
    if (url.pathname === '/v1/batch')
      return new Response('{"success":true,"accepted":1,"duplicates":0,"rejected":[]}')
    asked.push(url)
    const q = url.searchParams
    if (url.pathname !== '/v1/personalize/segments') return new Response('{}', { status: 404 })
    if (!q.get('writeKey')?.startsWith('wk_'))
      return Response.json({ success: false, error: { code: 'unauthorized' } }, { status: 401 })
    if (!q.get('anonymousId') && !q.get('userId'))
      return Response.json({ success: false, error: { code: 'bad_request' } }, { status: 400 })
    return answer(q)
  })
  return asked
}
