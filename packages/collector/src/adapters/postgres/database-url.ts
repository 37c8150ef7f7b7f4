/**
 * Reads a DATABASE_URL the way libpq does for a Unix-domain socket, which postgres.js does not:
 * `postgres://user@/db?host=/var/run/postgresql` (or `postgresql:///db?host=…`) connects through
 * `/var/run/postgresql/.s.PGSQL.<port>`. On one machine the socket skips the loopback TCP stack,
 * which the benchmarks measured as the largest single CPU cost of ingest (every query's write).
 * Any other URL is passed through untouched.
 *
 * @example
 * databaseTarget('postgres://app@/lodestone?host=/run/postgresql')
 * // { url: 'postgres://app@localhost/lodestone', path: '/run/postgresql/.s.PGSQL.5432' }
 */
export function databaseTarget(raw: string): { url: string; path?: string } {
  const q = raw.indexOf('?')
  if (q < 0) return { url: raw }
  const params = new URLSearchParams(raw.slice(q + 1))
  const host = params.get('host')
  if (!host?.startsWith('/')) return { url: raw }
  params.delete('host')
  const port = params.get('port') ?? /:(\d+)(?:\/|$)/.exec(raw.slice(0, q).split('@').pop()!)?.[1]
  params.delete('port')
  // An empty authority host (`user@/db`, `///db`) is not a valid URL for postgres.js's parser.
  const base = raw.slice(0, q).replace(/^(\w+:\/\/(?:[^@/]*@)?)(?=[:/]|$)/, '$1localhost')
  const rest = params.toString()
  return {
    url: rest ? `${base}?${rest}` : base,
    path: `${host.replace(/\/+$/, '')}/.s.PGSQL.${port ?? 5432}`,
  }
}
