import type { SegmentEvent } from '@lodestone/protocol'

/** A contact's traits with, per trait, the `timestamp|messageId` of the event that set it. */
export interface TraitState {
  traits: Record<string, unknown>
  times: Record<string, string>
}

const MAX_TRAITS = 200
// Keys that would reach Object.prototype if assigned; data under them is kept as data elsewhere.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** The traits an event states about its person: identify traits, then context.traits. */
export function traitsOf(event: SegmentEvent): Record<string, unknown> | null {
  const ctx = event.context?.traits
  const own = event.type === 'identify' ? event.traits : undefined
  if (!own && !ctx) return null
  return { ...(ctx ?? {}), ...(own ?? {}) }
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
}

/**
 * Applies traits stamped `stamp` (`timestamp|messageId`): each trait takes the value from the latest
 * stamp, whatever the arrival order, so replays in any order converge. Returns whether it changed.
 */
export function applyTraits(
  state: TraitState,
  traits: Record<string, unknown>,
  stamp: string,
): boolean {
  let changed = false
  for (const [key, value] of Object.entries(traits)) {
    if (UNSAFE_KEYS.has(key) || value === undefined) continue
    const prev = Object.hasOwn(state.times, key) ? state.times[key] : undefined
    if (prev !== undefined && prev >= stamp) continue
    if (prev === undefined && Object.keys(state.times).length >= MAX_TRAITS) continue
    setOwn(
      state.traits,
      key,
      key === 'email' && typeof value === 'string' ? value.trim().toLowerCase() : value,
    )
    setOwn(state.times, key, stamp)
    changed = true
  }
  return changed
}

/** Folds `from` into `into`, trait by trait, the later stamp winning. */
export function mergeTraitStates(into: TraitState, from: TraitState): void {
  for (const [key, stamp] of Object.entries(from.times)) {
    if (!Object.hasOwn(from.traits, key)) continue
    applyTraits(into, { [key]: from.traits[key] }, stamp)
  }
}
