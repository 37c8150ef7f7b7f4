/**
 * What every section of docs/benchmarks.md shares: the section type, reading a part's figures
 * from bench/results/latest.json, and the number and table formatting.
 */
import type { LoadResult } from '../lib/load.js'

/** bench/results/latest.json as read: one entry per part, plus `machine`. */
export type Results = Record<string, unknown>

/** Renders one section of docs/benchmarks.md from the stored figures. */
export type Section = (results: Results) => string

export type Part<T> = (T & { measuredAt?: string; error?: string }) | undefined

export const n = (v: number | null | undefined) =>
  v === undefined || v === null || Number.isNaN(v) ? '—' : v.toLocaleString('en')
export const ms = (v: number | null | undefined) =>
  v === undefined || v === null ? '—' : `${n(v)} ms`
export const pct = (a: number | undefined, b: number | undefined) =>
  a && b ? `${Math.round((a / b) * 1000) / 10} %` : '—'
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
export const table = (head: string[], rows: (string | number)[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
export const when = (p: { measuredAt?: string } | undefined) =>
  p?.measuredAt ? ` _(measured ${p.measuredAt.slice(0, 16).replace('T', ' ')} UTC)_` : ''
export const failed = (name: string, p: { error?: string } | undefined) =>
  p?.error
    ? `The ${name} part failed in the last run: \`${p.error}\`.\n`
    : `Not measured yet: \`pnpm bench ${name}\`.\n`
export const loadRow = (label: string, r: LoadResult | undefined, extra: string[] = []) => [
  label,
  n(r?.eventsPerSecond),
  n(r?.requestsPerSecond),
  ms(r?.p50Ms),
  ms(r?.p99Ms),
  n(r?.failed),
  ...extra,
]
export const LOAD_HEAD = ['', 'events/s', 'requests/s', 'p50 ack', 'p99 ack', 'failed']

/** A part's figures as stored (absent when the part never ran). */
export const part = <T>(results: Results, name: string) => results[name] as Part<T>

/** The machine's core count (2 when unknown). */
export const cores = (results: Results) =>
  Number((results.machine as { cores?: number } | undefined)?.cores) || 2
