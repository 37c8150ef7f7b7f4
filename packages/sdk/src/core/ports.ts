import type { LodestoneEvent, Properties } from './types.js'

/** Debug logging; `false` is a message compiled out of the script-tag build (debug-text.ts). */
export type Log = (message: string | false, detail?: unknown) => void

/** What one delivery attempt came to. */
export type SendResult =
  { ok: true } | { ok: false; retry: boolean; retryAfterMs?: number; status?: number }

/** Sends one batch. `beacon` asks for a transport that survives the page going away. */
export type Send = (events: LodestoneEvent[], beacon: boolean) => Promise<SendResult>

/** Small strings that identify the visitor (anonymousId, userId, traits, consent). */
export interface KeyValueStore {
  get(key: string): string | null
  /**
   * `null` removes everywhere. Other values reach the device only while persisting, unless
   * `always` (the consent decision itself must survive). Never throws.
   */
  set(key: string, value: string | null, always?: boolean): void
  /** While off, values live in memory only; turning it on writes the memory values out. */
  persist(on: boolean): void
}

/** The queue as it survives a reload, owned by one tab at a time. */
export interface QueueStore {
  /** Starts adopting queues left by tabs that are gone; `adopt` gets their events. */
  start(adopt: (events: LodestoneEvent[]) => void): void
  /** Writes this tab's queue now. Never throws; falls back to memory on quota errors. */
  save(events: LodestoneEvent[]): void
  /** The page is going away: another tab (or the next load) may take the queue. */
  release(): void
}

export interface LifecycleHooks {
  /**
   * The page is hidden, left, or a form is submitted: send what must not be lost. `leaving`
   * (pagehide) also lets another tab or the next load take over the stored queue.
   */
  hide(leaving: boolean): void
  /** The page is shown again (after bfcache or a tab switch). */
  show(): void
  /** The network came back. */
  online(): void
  /** The SPA route changed (the env now reports the previous URL as referrer). */
  route(): void
}

/** Everything the core needs from its runtime (a browser, or a test double). */
export interface Env {
  send: Send
  store: KeyValueStore
  queueStore: QueueStore | null
  /** `context` for each event: page, userAgent, locale. */
  context(): Record<string, unknown>
  /** Properties of a page call: url, path, title, referrer, search. */
  pageProperties(referrer?: string): Properties
  /** Attaches lifecycle (and, with `routes`, SPA route) listeners for the page's lifetime. */
  watch(hooks: LifecycleHooks, routes: boolean): void
  /** Do Not Track or Global Privacy Control is on. */
  optOutSignal(): boolean
  log: Log
}

export interface EnvOptions {
  writeKey: string
  /** Collector origin; the env picks a default (the page's origin) when absent. */
  host?: string
  cookieDomain?: string
  /** Cookies and localStorage may be used at all (false in cookie-less mode). */
  storage: boolean
  debug: boolean
}
