import type { Callback, CallOptions } from './types.js'

type Obj = Record<string, unknown>

export interface ParsedArgs {
  /** Leading strings (ids, names); `null` keeps a position, as in `page(null, 'Pricing')`. */
  strings: (string | null)[]
  /** Objects in order: properties or traits, then call options. */
  objects: Obj[]
  callback?: Callback
}

/**
 * Reads analytics.js's overloaded arguments: leading strings, then objects, then a callback.
 *
 * @example
 * parseArgs(['Docs', 'Install', { path: '/x' }]) // strings: ['Docs','Install'], objects: [{…}]
 */
export const parseArgs = (args: unknown[]): ParsedArgs => {
  const parsed: ParsedArgs = { strings: [], objects: [] }
  for (const a of args) {
    if (typeof a === 'function') parsed.callback = a as Callback
    else if (a && typeof a === 'object') parsed.objects.push(a as Obj)
    else if (!parsed.objects.length) parsed.strings.push(a == null ? null : String(a))
  }
  return parsed
}

/** The call options object of a parsed call (the object after properties or traits). */
export const callOptions = (p: ParsedArgs): CallOptions => (p.objects[1] ?? {}) as CallOptions
