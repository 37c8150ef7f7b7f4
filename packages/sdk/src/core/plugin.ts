// The plugin contract shared by the SDK core and every capture plugin.
// Stages, as in analytics-next: `before` may change or drop an event, `enrich` adds to it
// (a failure there is logged, never fatal), `setup` lets capture plugins attach listeners.

import type { SegmentEventInput } from '@lodestone/protocol'

export type Properties = Record<string, unknown>
export type Traits = Record<string, unknown>

/** What a plugin can do with the SDK. Every method is safe to call: none throws. */
export interface PluginContext {
  /** `options.context` is merged into the event's context (e.g. `externalIds`). */
  track(event: string, properties?: Properties, options?: { context?: Properties }): void
  page(name?: string, properties?: Properties): void
  identify(userId?: string | null, traits?: Traits): void
  /**
   * Sends what is queued now. `{ beacon: true }` uses the transports that survive the page
   * going away (fetch keepalive, then navigator.sendBeacon): use it before a navigation.
   */
  flush(options?: { beacon?: boolean }): void
  /** The SDK's options as given to `load` (plugins read their own sub-options from it). */
  readonly options: Readonly<Record<string, unknown>>
  /** Logs only when `debug: true` was set. */
  debug(message: string, detail?: unknown): void
}

export interface Plugin {
  name: string
  /** Called once after `load`. May return a teardown, run by `lodestone.teardown()`. */
  setup?(ctx: PluginContext): void | (() => void)
  /** Returns the event (changed or not), or null to drop it. */
  before?(event: SegmentEventInput): SegmentEventInput | null
  /** Adds to the event; a thrown error is logged and the event goes on unchanged. */
  enrich?(event: SegmentEventInput): SegmentEventInput
}
