import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import type { LookupFunction } from 'node:net'
import { isPrivateAddress } from './url-guard.js'

type Resolve = (host: string) => Promise<LookupAddress[]>

const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  )

/**
 * A `lookup` for sockets that fails when a name resolves to a private or loopback address, so
 * the address checked is the address connected to (no window for DNS rebinding).
 */
export function guardedLookup(
  resolveName: Resolve = systemResolve,
  allowPrivate = false,
): LookupFunction {
  return (hostname, options, callback) => {
    resolveName(hostname).then(
      (all) => {
        const wanted = all.filter((a) => !options.family || a.family === options.family)
        const bad = allowPrivate ? undefined : wanted.find((a) => isPrivateAddress(a.address))
        if (bad || wanted.length === 0) {
          const err = Object.assign(
            new Error(bad ? 'refused: private or loopback address' : 'no address'),
            { code: bad ? 'EADDRREFUSED' : 'ENOTFOUND' },
          )
          return callback(err, '', 0)
        }
        if (options.all)
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, wanted)
        callback(null, wanted[0]!.address, wanted[0]!.family)
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    )
  }
}

/**
 * A minimal `fetch` for webhook POSTs on Node whose connections go through
 * {@link guardedLookup}. Answers a bodiless Response with the status; no redirects followed.
 */
export function createPinnedFetch(
  opts: { resolve?: Resolve; allowPrivate?: boolean } = {},
): typeof fetch {
  const lookup = guardedLookup(opts.resolve, opts.allowPrivate)
  return ((input: string | URL, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input))
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest
      const req = send(
        url,
        {
          method: init.method ?? 'GET',
          headers: init.headers as Record<string, string>,
          signal: init.signal ?? undefined,
          lookup,
          // A fresh connection each time: a pooled socket would skip the lookup check.
          agent: false,
        },
        (res) => {
          res.resume()
          const status = res.statusCode ?? 0
          resolve(new Response(null, { status: status >= 200 && status <= 599 ? status : 599 }))
        },
      )
      req.on('error', (err) => reject(init.signal?.aborted ? init.signal.reason : err))
      req.end(typeof init.body === 'string' ? init.body : undefined)
    })) as typeof fetch
}
