/**
 * The limits the full pipeline is compared with, served the same way (Hono on @hono/node-server,
 * its own process): `parse` only reads and parses the JSON body; `insert` also stores the raw
 * events with one durable multi-row insert per request (postgres.js, 50 connections); `group`
 * commits the events of all concurrent requests together (group commit).
 *
 * Run: node --import tsx bench/lib/limit-server.ts <parse|insert|group> <port> [databaseUrl]
 */
import { loadHono, loadNodeServer, loadPostgres } from './collector-deps.js'

const [mode, port, databaseUrl] = process.argv.slice(2)
const { Hono } = loadHono()
const { serve } = loadNodeServer()

interface RawRow {
  message_id: string
  type: string
  event: string | null
  anonymous_id: string | null
  user_id: string | null
  timestamp: string
  payload: unknown
}

const TABLE = `create table if not exists raw_events (
  workspace_id text not null, message_id text not null, type text not null, event text,
  anonymous_id text, user_id text, timestamp timestamptz not null,
  received_at timestamptz not null default now(), payload jsonb not null,
  primary key (workspace_id, message_id))`

function rowsOf(body: { batch?: Record<string, unknown>[] }): RawRow[] {
  return (body.batch ?? []).map((e) => ({
    message_id: String(e.messageId),
    type: String(e.type),
    event: (e.event as string) ?? null,
    anonymous_id: (e.anonymousId as string) ?? null,
    user_id: (e.userId as string) ?? null,
    timestamp: String(e.timestamp),
    payload: e,
  }))
}

async function main() {
  const app = new Hono()
  let store: ((rows: RawRow[]) => Promise<void>) | null = null
  if (mode !== 'parse') {
    const postgres = loadPostgres()
    const sql = postgres(databaseUrl!, { max: 50, onnotice: () => {} })
    await sql.unsafe(TABLE)
    const insert = (rows: RawRow[]) =>
      sql`insert into raw_events (workspace_id, message_id, type, event, anonymous_id, user_id, timestamp, payload)
        select 'ws_bench', v.message_id, v.type, v.event, v.anonymous_id, v.user_id, v.timestamp, v.payload
        from jsonb_to_recordset(${sql.json(rows as never)}) as v(message_id text, type text, event text,
          anonymous_id text, user_id text, timestamp timestamptz, payload jsonb)
        on conflict do nothing`.then(() => undefined)
    store = mode === 'group' ? createGroupCommit(insert) : insert
  }
  app.post('/v1/batch', async (c) => {
    const body = JSON.parse(await c.req.text())
    if (store) await store(rowsOf(body))
    return c.json({ success: true })
  })
  serve({ fetch: app.fetch, port: Number(port), hostname: '127.0.0.1' }, () => console.log('ready'))
}

/**
 * Requests arriving while a commit is in flight wait for the next one, which takes all of them
 * in one statement: fewer fsyncs per event under concurrency.
 */
function createGroupCommit(insert: (rows: RawRow[]) => Promise<void>, maxInFlight = 4) {
  let pending: { rows: RawRow[]; done: () => void; fail: (e: unknown) => void }[] = []
  let inFlight = 0
  const flush = () => {
    if (inFlight >= maxInFlight || pending.length === 0) return
    const group = pending
    pending = []
    inFlight++
    insert(group.flatMap((g) => g.rows))
      .then(
        () => group.forEach((g) => g.done()),
        (e) => group.forEach((g) => g.fail(e)),
      )
      .finally(() => {
        inFlight--
        flush()
      })
  }
  return (rows: RawRow[]) =>
    new Promise<void>((done, fail) => {
      pending.push({ rows, done, fail })
      flush()
    })
}

await main()
