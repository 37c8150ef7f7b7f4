import type { Lodestone } from '../core/types.js'

// Website personalisation: the keys of the visitor's own segments marked public
// (`GET /v1/personalize/segments`, docs/segments.md, Website personalisation). Shared by the
// npm export `segments(lodestone)` and the script-tag add-on (script-tag/segments-addon.ts).
// It never throws: any failure (not loaded, no key, consent not granted, network, non-200,
// a body that is not `{"segments":[…]}`) is [].

/** What is read of an SDK instance: the add-on may meet an older build without `writeKey`. */
export type SegmentsSource = Partial<
  Pick<Lodestone, 'loaded' | 'user' | 'consent' | 'writeKey' | 'host'>
>

export interface SegmentsOptions {
  /** Ask the collector again instead of answering the page's kept answer. */
  fresh?: boolean
}

/** Where to ask when the instance does not say (the add-on reads script tags): [key, host]. */
export type SegmentsFallback = () => [string | undefined, string | undefined]

// One answer per page and request (key, host and ids): after `identify` the userId is new, so
// the next call asks again.
const answers = new Map<string, Promise<string[]>>()

// A failed answer is [] and not kept, so the next call asks again.
const ask = async (url: string): Promise<string[]> => {
  try {
    const res = await fetch(url, { credentials: 'omit' })
    const keys = res.ok && ((await res.json()) as { segments?: unknown }).segments
    if (Array.isArray(keys)) return keys.filter((k): k is string => typeof k === 'string')
  } catch {
    // below
  }
  answers.delete(url)
  return []
}

/**
 * The visitor's public segment keys from an instance's key, host and ids (the instance's
 * `writeKey` and `host` first, else `fallback`). Never throws or rejects.
 *
 * @example
 * askSegments(window.lodestone, () => [tag.dataset.writeKey, tag.dataset.host], { fresh: true })
 */
export const askSegments = async (
  l: SegmentsSource | undefined,
  fallback: SegmentsFallback,
  options?: SegmentsOptions,
): Promise<string[]> => {
  try {
    const user = l?.loaded && l.consent?.get().status === 'granted' && l.user?.()
    if (!user) return []
    // `load` without a host sends to the page's origin (browser/env.ts): so does this.
    const [key, host] = l.writeKey ? [l.writeKey, l.host || location.origin] : fallback()
    const anonymousId = user.anonymousId()
    const userId = user.id()
    if (!key || !host || !(anonymousId || userId)) return []
    const query = new URLSearchParams({ writeKey: key })
    if (anonymousId) query.set('anonymousId', anonymousId)
    if (userId) query.set('userId', userId)
    const url = `${host}/v1/personalize/segments?${query}`
    let answer = answers.get(url)
    if (!answer || options?.fresh) answers.set(url, (answer = ask(url)))
    return answer // `ask` never rejects
  } catch {
    return []
  }
}

/**
 * The keys of the visitor's own segments marked public (`"browser": true`), asked from the
 * collector the instance was loaded with. Once per page and set of ids (`fresh: true` asks
 * again); nothing is asked until consent is granted. Resolves [] on any failure, never rejects.
 *
 * @example
 * import { createLodestone, segments } from '@lodestone/sdk'
 * const lodestone = createLodestone()
 * lodestone.load('wk_…', { host: 'https://collector.example.com' })
 * await lodestone.ready()
 * if ((await segments(lodestone)).includes('show-enterprise-banner')) showBanner()
 */
export const segments = (lodestone: Lodestone, options?: SegmentsOptions): Promise<string[]> =>
  askSegments(lodestone, () => [undefined, undefined], options)
