/**
 * Memoises a function of a string in a bounded map (the oldest entry goes first when full):
 * real traffic repeats a few hundred user agents and pages, so parsing each once keeps the
 * parsers off the hot path. Strings longer than `maxKeyLength` are computed every time, which
 * bounds the memory the cache can hold. Cached values are shared: callers must not change them.
 */
export function memoByString<T>(
  fn: (key: string) => T,
  opts: { size: number; maxKeyLength: number },
): (key: string) => T {
  const cache = new Map<string, T>()
  return (key) => {
    if (key.length > opts.maxKeyLength) return fn(key)
    const hit = cache.get(key)
    if (hit !== undefined || cache.has(key)) return hit as T
    const value = fn(key)
    if (cache.size >= opts.size) cache.delete(cache.keys().next().value as string)
    cache.set(key, value)
    return value
  }
}
