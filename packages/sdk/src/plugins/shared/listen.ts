import { TEARDOWNS, type Off } from '../../core/teardowns.js'

// Every handler the plugins give the browser goes through `safe`, so that nothing a plugin
// does (or a vendor widget hands it) can ever throw into the host page.

/**
 * Wraps a callback so that it never throws: it answers what `fn` answers, or undefined when `fn`
 * threw (errors are swallowed on purpose).
 */
export const safe =
  <A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R | undefined) =>
  (...args) => {
    try {
      return fn(...args)
    } catch {
      // The host page must never see our errors.
    }
  }

/**
 * Adds a guarded, passive listener in the capture phase (so a page handler that stops the event
 * does not hide it) and returns its remover.
 */
export const listen = (target: EventTarget, type: string, fn: (event: Event) => unknown): Off => {
  const handler = safe(fn)
  const options = { capture: true, passive: true }
  target.addEventListener(type, handler, options)
  return TEARDOWNS ? () => target.removeEventListener(type, handler, options) : undefined
}

/** One remover for several (the teardown of a plugin that listens to more than one thing). */
export const removeAll = (offs: Off[]): Off =>
  TEARDOWNS ? () => offs.forEach((off) => off?.()) : undefined

/** Drops keys whose value is undefined, null or '' so events carry no empty noise. */
export const compact = <T extends Record<string, unknown>>(object: T): Partial<T> => {
  const out: Record<string, unknown> = {}
  for (const key in object) if (object[key] != null && object[key] !== '') out[key] = object[key]
  return out as Partial<T>
}

/** True when the element or one of its ancestors opts out with `data-lodestone-ignore`. */
export const ignored = (el: Element): boolean => !!el.closest('[data-lodestone-ignore]')
