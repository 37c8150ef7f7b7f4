/** JSON.parse that answers `fallback` for missing or corrupt values instead of throwing. */
export const readJson = <T>(text: string | null, fallback: T): T => {
  // null parses as null and '' throws: both end up as the fallback.
  try {
    const v = JSON.parse(text!) as unknown
    return v && typeof v === 'object' ? (v as T) : fallback
  } catch {
    return fallback
  }
}
