/**
 * `window.localStorage` if it can be used, else null. Merely reading the property throws a
 * SecurityError when the user blocks site data, and Safari's private mode used to throw on
 * the first write, so both are probed.
 *
 * @example
 * const ls = safeLocalStorage() // null when blocked
 */
export const safeLocalStorage = (): Storage | null => {
  try {
    const s = window.localStorage
    const probe = '__lodestone__'
    s.setItem(probe, probe)
    s.removeItem(probe)
    return s
  } catch {
    return null
  }
}
