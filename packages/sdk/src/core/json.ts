/** JSON.parse that answers `fallback` for missing or corrupt values instead of throwing. */
export const readJson = <T>(text: string | null, fallback: T): T => {
  if (!text) return fallback
  try {
    const v = JSON.parse(text) as unknown
    return v && typeof v === 'object' ? (v as T) : fallback
  } catch {
    return fallback
  }
}
