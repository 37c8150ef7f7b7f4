import type { SegmentEventInput } from '@lodestone/protocol'
import type { Plugin, Properties, Traits } from './plugin.js'

export type { Plugin, Properties, Traits }
/** An event as the SDK sends it (the protocol's input shape). */
export type LodestoneEvent = SegmentEventInput

/** Per-call options, as analytics.js takes them. */
export interface CallOptions {
  context?: Record<string, unknown>
  integrations?: Record<string, unknown>
  timestamp?: string | Date
}

export type Callback = () => void

export interface LoadOptions {
  /** Collector origin, e.g. `https://collect.example.com`. Default: the page's origin. */
  host?: string
  /** Events per request (default 20). */
  batchSize?: number
  /** Longest wait before a partial batch is sent, ms (default 1000). */
  flushInterval?: number
  /** Most events kept waiting; past it the oldest are dropped and counted (default 1000). */
  maxQueueSize?: number
  /** Retry delays: exponential from `baseMs` (default 1000) up to `maxMs` (default 60000). */
  retry?: { baseMs?: number; maxMs?: number }
  /** Cookie domain, e.g. `.example.com`, so subdomains share one anonymousId. */
  cookieDomain?: string
  /** Store nothing on the device: no cookies, no localStorage; identity lives for the page. */
  cookieless?: boolean
  /** Hold events in memory, and store nothing, until `consent.set` grants analytics. */
  requireConsent?: boolean
  /** Treat Do Not Track or Global Privacy Control as a refusal until consent is granted. */
  respectDoNotTrack?: boolean
  /** Automatic page views on load and on SPA route changes (default true). */
  pageViews?: boolean
  /** Logs what the SDK does to the console. */
  debug?: boolean
  /** Plugins to run (capture plugins, enrichment). */
  plugins?: Plugin[]
  /** Plugin options (e.g. `capture`) pass through untouched. */
  [option: string]: unknown
}

export type ConsentStatus = 'granted' | 'denied' | 'pending'
export type ConsentCategories = Record<string, boolean>
export interface ConsentState {
  status: ConsentStatus
  categories: ConsentCategories
}

export type SubscriptionStatus = 'subscribed' | 'unsubscribed'

export interface User {
  /** The anonymous id; pass one to replace it. */
  anonymousId(id?: string): string | null
  id(): string | null
  traits(): Traits
}

/** The analytics.js-shaped API. Every method is safe: none throws. */
export interface Lodestone {
  load(writeKey: string, options?: LoadOptions): void
  track(event: string, properties?: Properties, options?: CallOptions, callback?: Callback): void
  page(...args: unknown[]): void
  identify(...args: unknown[]): void
  group(groupId: string, traits?: Traits, options?: CallOptions, callback?: Callback): void
  alias(userId: string, previousId?: string, options?: CallOptions, callback?: Callback): void
  reset(): void
  ready(callback?: Callback): Promise<void>
  user(): User
  /** Sends what is queued now; resolves when the queue has been handed to the network. */
  flush(): Promise<void>
  consent: {
    set(consent: boolean | ConsentCategories): void
    get(): ConsentState
  }
  subscriptions: {
    set(topics: Record<string, boolean | SubscriptionStatus>, properties?: Properties): void
    get(): Record<string, SubscriptionStatus>
  }
  /** Set by the script tag and `load`; lets a snippet tell a loaded SDK from its stub. */
  readonly loaded: boolean
  /** The write key `load` was given (undefined before it). */
  readonly writeKey?: string
  /** The `host` option `load` was given; undefined means the page's origin. */
  readonly host?: string
  /**
   * Runs the teardowns plugins returned from `setup` (newest first, each once): their listeners
   * and hooks come off the page. In the npm package only: the script-tag builds never tear a
   * plugin down, so there it is compiled out (see core/teardowns.ts).
   */
  teardown?(): void
}
