/** A compiled URL glob: does the whole text match? */
export type GlobTest = (text: string) => boolean

/**
 * Compiles a URL glob, case-insensitive, matched against the whole URL: `*` matches any run of
 * characters (slashes included, so `*\/pricing*` matches any host and query), `?` one character.
 *
 * Matching never backtracks: the glob is split at each `*` into fixed-length pieces; the first
 * must match at the start, the last at the end, and each middle piece is taken at its leftmost
 * place after the previous one (taking it any later can only leave less room for the rest). The
 * cost is at most the URL's length times the glob's, whatever the glob says:
 * `*a*a*a*a*a*a*a*a*a*a*a*a*b` against 64 × "a" answers at once.
 *
 * @example
 * compileGlob('*\/pricing*')('https://acme.io/Pricing?plan=pro') // true
 */
export function compileGlob(glob: string): GlobTest {
  const pieces = glob.toLowerCase().split('*')
  const first = pieces[0]!
  if (pieces.length === 1)
    return (text) => text.length === first.length && matchAt(text.toLowerCase(), 0, first)
  const last = pieces[pieces.length - 1]!
  const middle = pieces.slice(1, -1).filter((p) => p !== '')
  const minLength = pieces.reduce((sum, p) => sum + p.length, 0)
  return (input) => {
    if (input.length < minLength) return false
    const text = input.toLowerCase()
    const end = text.length - last.length
    if (!matchAt(text, 0, first) || !matchAt(text, end, last)) return false
    let at = first.length
    for (const piece of middle) {
      const found = find(text, piece, at, end)
      if (found === -1) return false
      at = found + piece.length
    }
    return at <= end
  }
}

/** Does `piece` (where `?` is any one character) match `text` at `at`? */
function matchAt(text: string, at: number, piece: string): boolean {
  if (at < 0 || at + piece.length > text.length) return false
  for (let i = 0; i < piece.length; i++) {
    const p = piece.charCodeAt(i)
    if (p !== 63 && p !== text.charCodeAt(at + i)) return false
  }
  return true
}

/** The leftmost place in `text[from, end)` where `piece` fits entirely, or -1. */
function find(text: string, piece: string, from: number, end: number): number {
  if (!piece.includes('?')) {
    const i = text.indexOf(piece, from)
    return i !== -1 && i + piece.length <= end ? i : -1
  }
  for (let i = from; i + piece.length <= end; i++) if (matchAt(text, i, piece)) return i
  return -1
}
