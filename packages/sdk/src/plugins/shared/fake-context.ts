// Test helper (imported only by tests): a PluginContext that records every call.
import type { PluginContext, Properties, Traits } from '../../core/plugin'

export interface Recorded {
  tracks: { event: string; properties: Properties; context?: Properties }[]
  identifies: { userId: string | null | undefined; traits: Traits }[]
  flushes: { beacon?: boolean }[]
}

/** A fake PluginContext plus what it was asked to do. */
export function fakeContext(options: Record<string, unknown> = {}): PluginContext & Recorded {
  const recorded: Recorded = { tracks: [], identifies: [], flushes: [] }
  return {
    ...recorded,
    options,
    track: (event, properties = {}, o) =>
      void recorded.tracks.push(
        o ? { event, properties, context: o.context } : { event, properties },
      ),
    page: () => undefined,
    identify: (userId, traits = {}) => void recorded.identifies.push({ userId, traits }),
    flush: (flushOptions = {}) => void recorded.flushes.push(flushOptions),
    debug: () => undefined,
  }
}
