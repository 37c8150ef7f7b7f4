// Script-tag entry, personalisation add-on (/sdk-segments.js): adds `lodestone.segments()`,
// the keys of the visitor's own segments marked public (browser/segments.ts, docs/segments.md,
// Website personalisation). An add-on because the full build has no room left under its size
// budget (packages/sdk/scripts/size.mjs). It asks the collector with the write key and host the
// SDK was loaded with (`lodestone.writeKey`/`host`, so `lodestone.load(key, { host })` works);
// an older SDK build without them falls back to the tags' `data-write-key`/`data-host`.

import { askSegments, type SegmentsOptions, type SegmentsSource } from '../browser/segments.js'

type Instance = SegmentsSource & { segments?: unknown }

const w = window as unknown as { lodestone?: Instance }
// This tag (read now: `currentScript` is only set while the script first runs) and the SDK's.
const own = document.currentScript as HTMLScriptElement | null

const originOf = (tag: HTMLScriptElement | null) => {
  try {
    return tag?.src ? new URL(tag.src).origin : undefined
  } catch {
    return undefined
  }
}

const fromTags = (): [string | undefined, string | undefined] => {
  const sdk = document.querySelector('script[data-write-key]') as HTMLScriptElement | null
  return [
    own?.dataset.writeKey ?? sdk?.dataset.writeKey,
    own?.dataset.host ?? sdk?.dataset.host ?? originOf(own) ?? originOf(sdk),
  ]
}

/**
 * The visitor's public segment keys, asked once per page and set of ids (`fresh` asks again).
 *
 * @example
 * lodestone.segments().then((keys) => keys.includes('show-enterprise-banner') && show())
 */
const segments = (options?: SegmentsOptions): Promise<string[]> =>
  askSegments(w.lodestone, fromTags, options)

// Onto the SDK instance; when this tag ran before the SDK's (both async), once the page loaded.
const install = () => {
  try {
    const l = w.lodestone
    if (l && !Array.isArray(l)) return !!(l.segments = segments)
  } catch {
    // never into the host page
  }
}
if (!install()) addEventListener('load', install)
