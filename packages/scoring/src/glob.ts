/**
 * Compiles a URL glob to an anchored, case-insensitive RegExp: `*` matches any run of
 * characters (slashes included, so `*\/pricing*` matches any host and query), `?` one character.
 */
export function globToRegExp(glob: string): RegExp {
  let source = ''
  for (const ch of glob) {
    if (ch === '*') source += '.*'
    else if (ch === '?') source += '.'
    else source += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')
  }
  return new RegExp(`^${source}$`, 'is')
}
