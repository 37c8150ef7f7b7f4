/**
 * docs/benchmarks.md part 1: ingest throughput and latency against the limits, and the CPU split.
 */
import type { IngestResult } from '../parts/ingest.js'
import {
  cores,
  failed,
  LOAD_HEAD,
  loadRow,
  n,
  part,
  pct,
  table,
  when,
  type Part,
  type Section,
} from './format.js'

export const ingest: Section = (results) =>
  ingestSection(part<IngestResult>(results, 'ingest'), cores(results))

function ingestSection(r: Part<IngestResult>, cores: number) {
  if (!r?.full) return `## 1. Ingest throughput and latency\n\n${failed('ingest', r)}`
  const f = r.full.eventsPerSecond
  return `## 1. Ingest throughput and latency${when(r)}

Realistic Segment batches (10,000 distinct visitors, 1–20 events per request weighted towards
small flushes, a mix of page, engagement and click tracks, forms and identify calls with full
browser context) posted by autocannon with ${r.connections} connections to \`POST /v1/batch\`.
The **full pipeline** is \`lodestone start\` with \`DATABASE_URL\` (validation, enrichment, identity
resolution and merge, real-time scoring, webhook outbox and durable commit to PostgreSQL, fsync
on). The **limits** get the same traffic, each in its own process on the same Hono and
postgres.js: *parse-only* reads and parses the body; *raw insert* also stores the raw events with
one multi-row insert and transaction per request (50 connections); *group commit* stores the
events of all concurrent requests in one statement.

${table(
  [...LOAD_HEAD, 'full pipeline as a share of it'],
  [
    loadRow('**Full pipeline**', r.full, ['—']),
    loadRow('Limit: parse-only Hono', r.parseLimit, [pct(f, r.parseLimit?.eventsPerSecond)]),
    loadRow('Limit: raw multi-row insert, 1 tx/request', r.insertLimit, [
      pct(f, r.insertLimit?.eventsPerSecond),
    ]),
    loadRow('Limit: raw insert, group commit', r.groupCommitLimit, [
      pct(f, r.groupCommitLimit?.eventsPerSecond),
    ]),
  ],
)}
${cpuSplit(r, cores)}`
}

/** Where the machine's CPU went during the full-pipeline run, per 1,000 events. */
function cpuSplit(r: IngestResult, cores: number) {
  const c = r.cpuPer1000Events
  if (!c) return ''
  const total = c.collectorMs + c.postgresMs + c.loadGeneratorMs
  return `
CPU time per 1,000 acknowledged events during the full-pipeline run (user + system, from
\`/proc\`; PostgreSQL is the postmaster and all its backends):

${table(
  ['Process', 'CPU ms per 1,000 events', 'share'],
  [
    ['Collector (one Node process)', n(c.collectorMs), pct(c.collectorMs, total)],
    ['PostgreSQL server', n(c.postgresMs), pct(c.postgresMs, total)],
    ['Load generator (autocannon)', n(c.loadGeneratorMs), pct(c.loadGeneratorMs, total)],
    ['**Total**', n(total), '100 %'],
  ],
)}

${limitCpu(r, c.collectorMs + c.postgresMs, cores)}At ${n(total)} ms of CPU per 1,000 events, this machine's ${cores} cores cannot exceed about
${n(Math.round((cores * 1e6) / total))} events/s with all three on it, whatever the
concurrency; one collector process is further bound by its single thread at about
${n(Math.round(1e6 / c.collectorMs))} events/s.
`
}

/** The group-commit limit's CPU in the same run, and the load the machine was under. */
function limitCpu(r: IngestResult, pipelineMs: number, cores: number) {
  const g = r.groupCommitCpuPer1000Events
  if (!g) return ''
  const limitMs = g.serverMs + g.postgresMs
  const load = r.loadAverage
    ? ` Load average (1 min, ${r.loadAverage.full} at the start of the full-pipeline run and
${r.loadAverage.groupCommit} at the start of the group-commit run, on ${cores} cores) says how
shared the machine was: when it is busy, each process gets a share of a core and the rate
follows its CPU per event more than its round trips.`
    : ''
  return `The group-commit limit in the same run used ${n(g.serverMs)} ms (its server) +
${n(g.postgresMs)} ms (PostgreSQL) per 1,000 events: the full pipeline costs
${Math.round((pipelineMs / Math.max(1, limitMs)) * 10) / 10} times its CPU per event.${load}

`
}
