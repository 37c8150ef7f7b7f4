// Script-tag entry, personalisation add-on (/sdk-segments.js): adds `lodestone.segments()`,
// the keys of the visitor's own segments marked public (`GET /v1/personalize/segments`, see
// docs/segments.md, Website personalisation). An add-on because the full build has no room
// left under its size budget (packages/sdk/scripts/size.mjs). It never throws into the host
// page: any failure (no SDK, no key, consent not granted, network, non-200, bad JSON) is [].

export {} // a module: its names are its own, not the page's (`origin`…)

type Instance = {
  loaded?: boolean
  user?(): { anonymousId(): string | null; id(): string | null }
  consent?: { get(): { status: string } }
  segments?: unknown
}

const w = window as unknown as { lodestone?: Instance }
// This tag (read now: `currentScript` is only set while the script first runs) and the SDK's.
const own = document.currentScript as HTMLScriptElement | null
const answers = new Map<string, Promise<string[]>>()

const originOf = (tag: HTMLScriptElement | null) => {
  try {
    return tag?.src ? new URL(tag.src).origin : undefined
  } catch {
    return undefined
  }
}

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
 * The visitor's public segment keys, asked once per page and set of ids (`fresh` asks again).
 *
 * @example
 * lodestone.segments().then((keys) => keys.includes('show-enterprise-banner') && show())
 */
const segments = async (options?: { fresh?: boolean }): Promise<string[]> => {
  try {
    const l = w.lodestone
    const user = l?.loaded && l.consent?.get().status === 'granted' && l.user?.()
    if (!user) return []
    const sdk = document.querySelector('script[data-write-key]') as HTMLScriptElement | null
    const key = own?.dataset.writeKey ?? sdk?.dataset.writeKey
    const host = own?.dataset.host ?? sdk?.dataset.host ?? originOf(own) ?? originOf(sdk)
    const anonymousId = user.anonymousId()
    const userId = user.id()
    if (!key || !host || !(anonymousId || userId)) return []
    const query = new URLSearchParams({ writeKey: key })
    if (anonymousId) query.set('anonymousId', anonymousId)
    if (userId) query.set('userId', userId)
    const url = `${host}/v1/personalize/segments?${query}`
    let answer = answers.get(url)
    if (!answer || options?.fresh) answers.set(url, (answer = ask(url)))
    return answer
  } catch {
    return []
  }
}

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
