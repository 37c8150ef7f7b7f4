export { createLodestone } from './browser/lodestone.js'
export type { BrowserRuntime } from './browser/env.js'
export { createLodestoneWith } from './core/lodestone.js'
export type { Plugin, PluginContext } from './core/plugin.js'
export type { Env, EnvOptions, KeyValueStore, QueueStore, Send, SendResult } from './core/ports.js'
export type {
  CallOptions,
  ConsentCategories,
  ConsentState,
  ConsentStatus,
  Lodestone,
  LoadOptions,
  LodestoneEvent,
  Properties,
  SubscriptionStatus,
  Traits,
  User,
} from './core/types.js'
export * from './plugins/index.js'
export { segments, type SegmentsOptions } from './browser/segments.js'
