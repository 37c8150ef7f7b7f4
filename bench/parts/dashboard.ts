// The dashboard's pages at 1M contacts and the rule preview at 100,000 (docs/dashboard.md,
// "Speed at 1M contacts"). Runs on its own (`node --import tsx bench/parts/dashboard.ts
// [--contacts N] [--quick]`) or as a part of the suite (`pnpm bench dashboard`). Times are
// loopback round trips to a collector in its own process: server time plus a fraction of a
// millisecond of HTTP.
import { createHash } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { createContext, type BenchContext } from '../lib/context.js'
import { spawnCollector } from '../lib/collector-process.js'
import { loadPostgres } from '../lib/collector-deps.js'
import { loadAverage } from '../lib/machine.js'
import { ACCOUNTS, BENCH_LIST, BENCH_SEGMENT, seedDashboard } from '../lib/seed-dashboard.js'
import { percentile, round1 } from '../lib/stats.js'

export interface PreviewTiming {
  contacts: number
  p50Ms: number
  maxMs: number
  requests: number
  /** Contacts replayed: all of them up to 20,000, an even sample past that. */
  examined: number
}

export interface DashboardResult {
  contacts: number
  seedSeconds: number
  /** One-minute load average when the pages were timed (the machine is shared). */
  loadAverage: number
  /** Pages that failed (the others were still timed), with the error. */
  failures?: { page: string; error: string }[]
  pages: {
    page: string
    path: string
    /** The first request: cold caches (for the overview, its uncached computation). */
    firstMs: number
    /** A page that answers "being computed" at first (quality): when its figures were there. */
    readyMs?: number
    p50Ms: number
    p95Ms: number
    p99Ms: number
    requests: number
  }[]
  /**
   * A second collector process over the same database, started after the pages were timed: its
   * first request of each whole-workspace page (figures stored by the first process).
   */
  secondProcess?: { page: string; path: string; firstMs: number; computing: boolean }[]
  /** Rule preview (replay under changed rules, nothing written) at 100,000 contacts. */
  previewAt: PreviewTiming
  /** The same at the full size. */
  preview: PreviewTiming
}

/** The seed's account for `Company <k>` (md5('acct' || k)::uuid, as seed-dashboard.ts writes). */
function accountId(k: number) {
  const h = createHash('md5').update(`acct${k}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** Spreads scores like a real workspace (most contacts cold, a few hot) and subscribes 2%. */
export async function shapeScores(databaseUrl: string, workspaceId: string) {
  const sql = loadPostgres()(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    await sql`update contacts set
        score_fit = (abs(hashtext(id::text)) % 41) - 10,
        score_engagement = round((power((abs(hashtext(id::text || 'e')) % 1000) / 1000.0, 3) * 80)::numeric, 2)
      where workspace_id = ${workspaceId}`
    await sql`update contacts set score_total = score_fit + score_engagement,
        grade = case when score_fit + score_engagement >= 50 then 'hot'
          when score_fit + score_engagement >= 20 then 'warm' else 'cold' end
      where workspace_id = ${workspaceId}`
    await sql`insert into subscriptions (workspace_id, contact_id, topic, status, updated_at, source, message_id)
      select ${workspaceId}, id, 'newsletter', 'subscribed', now(), 'form', 'seed-sub-' || id
      from contacts where workspace_id = ${workspaceId} and abs(hashtext(id::text || 's')) % 50 = 0`
    await sql.unsafe('vacuum analyze contacts, subscriptions')
  } finally {
    await sql.end({ timeout: 5 })
  }
}

/** Signs in as a new owner: invited with the secret key (docs/team.md), password set by the link. */
async function signIn(url: string, secretKey: string): Promise<string> {
  const invited = await fetch(`${url}/v1/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-${Date.now()}@bench.example`, role: 'owner' }),
  })
  if (invited.status !== 201) throw new Error(`invite answered ${invited.status}`)
  const link = ((await invited.json()) as { inviteUrl: string }).inviteUrl
  const form = await fetch(link)
  const challenge = /name="_login" value="([^"]+)"/.exec(await form.text())![1]!
  const loginCookie = form.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const res = await fetch(link, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
    body: new URLSearchParams({ _login: challenge, password: 'bench password 1' }).toString(),
  })
  const session = res.headers.getSetCookie().find((c) => c.startsWith('lodestone_session='))
  if (res.status !== 303 || !session) throw new Error(`sign-in answered ${res.status}`)
  return session.split(';')[0]!
}

/** The contacts a rule preview is timed at (the issue's figure), before the rest are seeded. */
export const PREVIEW_CONTACTS = 100_000

/**
 * Seeds `contacts` (1M by default) in two steps: at 100,000 the rule preview is timed, then the
 * rest are added and every page and the preview are timed at the full size.
 */
export async function runDashboard(
  ctx: BenchContext,
  contacts = ctx.quick ? 200_000 : 1_000_000,
): Promise<DashboardResult> {
  const pg = await ctx.postgres()
  const dbUrl = await pg.createDatabase('bench_dashboard')
  const collector = await spawnCollector({ databaseUrl: dbUrl })
  try {
    const ws = collector.workspace!
    const first = Math.min(contacts, PREVIEW_CONTACTS)
    ctx.log(`dashboard: seeding ${first.toLocaleString('en')} contacts`)
    const seeded = await seedDashboard(dbUrl, ws.id, { from: 1, to: first }, ctx.log)
    const previewSmall = await timeRulePreview(ctx, collector.url, ws.secretKey)
    let seedSeconds = seeded.seconds
    if (contacts > first) {
      ctx.log(`dashboard: seeding up to ${contacts.toLocaleString('en')} contacts`)
      seedSeconds += (await seedDashboard(dbUrl, ws.id, { from: first + 1, to: contacts }, ctx.log))
        .seconds
    }
    const failures: NonNullable<DashboardResult['failures']> = []
    const pages = await timeDashboardPages(ctx, collector.url, ws.secretKey, undefined, (f) => {
      failures.push(f)
      const d = collector.diagnose?.()
      ctx.log(`dashboard: ${f.page} failed: ${f.error}; collector exit ${d?.exitCode}`)
      if (d?.stderr) ctx.log(`dashboard: collector stderr: ${d.stderr}`)
    })
    const load = loadAverage()
    const secondProcess = await timeSecondProcess(ctx, dbUrl, ws.secretKey).catch((err) => {
      ctx.log(`dashboard: second process failed: ${(err as Error).message}`)
      return undefined
    })
    return {
      contacts,
      seedSeconds: round1(seedSeconds),
      loadAverage: load,
      pages,
      ...(failures.length > 0 && { failures }),
      secondProcess,
      previewAt: { contacts: first, ...previewSmall },
      preview: { contacts, ...(await timeRulePreview(ctx, collector.url, ws.secretKey)) },
    }
  } finally {
    await collector.stop()
  }
}

/** Pages of whole-workspace figures, served from snapshots stored in PostgreSQL. */
const SNAPSHOT_PAGES: [string, string][] = [
  ['overview', '/app'],
  ['quality', '/app/quality'],
  ['campaigns', '/app/campaigns'],
  ['kpis', '/app/kpis'],
]

/**
 * Starts a second collector over the same database (as a restart or another instance would)
 * and times its first visit of each page of whole-workspace figures: read from the snapshots
 * the first process stored, not computed again.
 */
export async function timeSecondProcess(ctx: BenchContext, databaseUrl: string, secretKey: string) {
  const second = await spawnCollector({ databaseUrl, freshDatabase: false })
  try {
    const cookie = await signIn(second.url, secretKey)
    const out: NonNullable<DashboardResult['secondProcess']> = []
    for (const [page, path] of SNAPSHOT_PAGES) {
      const t0 = performance.now()
      const r = await fetch(`${second.url}${path}`, { headers: { cookie }, redirect: 'manual' })
      const body = await r.text()
      const firstMs = round1(performance.now() - t0)
      if (r.status !== 200) throw new Error(`second process: GET ${path} answered ${r.status}`)
      const computing = body.includes('data-computing="1"')
      ctx.log(
        `dashboard: second process, ${page}: first ${firstMs} ms${computing ? ' (computing)' : ''}`,
      )
      out.push({ page, path, firstMs, computing })
    }
    return out
  } finally {
    await second.stop()
  }
}

/**
 * Signs in to the dashboard and times its pages (server-rendered HTML over loopback, sequential):
 * the contacts list (first and next page, filters, search), the overview and one profile.
 */
export async function timeDashboardPages(
  ctx: BenchContext,
  url: string,
  secretKey: string,
  only?: RegExp,
  onFailure?: (f: { page: string; error: string }) => void,
): Promise<DashboardResult['pages']> {
  const cookie = await signIn(url, secretKey)
  const get = async (path: string) => {
    const t0 = performance.now()
    const r = await fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' })
    const body = await r.text()
    const ms = performance.now() - t0
    if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}`)
    return { ms, body }
  }
  const first = (await get('/app/contacts')).body
  const next = /rel="next" href="([^"]+)"/.exec(first)![1]!.replace(/&amp;/g, '&')
  const someone = /href="\/app\/contacts\/([0-9a-f-]{36})"/.exec(first)![1]!
  const pages: [string, string][] = [
    ['overview', '/app'],
    ['contacts, first page', '/app/contacts'],
    ['contacts, second page', next],
    ['contacts, lowest score first', '/app/contacts?sort=score-asc'],
    ['contacts, by last seen', '/app/contacts?sort=lastSeen'],
    ['contacts, least recently seen', '/app/contacts?sort=lastSeen-asc'],
    ['contacts, by name', '/app/contacts?sort=name-asc'],
    ['contacts, by email, Z first', '/app/contacts?sort=email'],
    ['contacts, by lifetime value', '/app/contacts?sort=lifetimeValue'],
    ['contacts, by churn risk', '/app/contacts?sort=churnRisk'],
    ['contacts, newest first seen', '/app/contacts?sort=firstSeen'],
    ['contacts, cold by lifetime value', '/app/contacts?grade=cold&sort=lifetimeValue'],
    ['contacts, grade hot', '/app/contacts?grade=hot'],
    ['contacts, grade cold', '/app/contacts?grade=cold'],
    ['contacts, score 20 to 60', '/app/contacts?scoreMin=20&scoreMax=60'],
    ['contacts, email search', '/app/contacts?q=seed4242'],
    ['contacts, name search', '/app/contacts?q=Wei%20Sato'],
    ['contacts, trait filter', '/app/contacts?trait=company&value=Company%2042'],
    ['contacts, topic filter', '/app/contacts?topic=newsletter'],
    ['contacts, lifetime value ≥ 100', '/app/contacts?ltvMin=100'],
    ['contacts, lifetime value ≥ 4990', '/app/contacts?ltvMin=4990'],
    ['contacts, churn risk ≥ 0.9', '/app/contacts?churnMin=0.9'],
    ['contacts, open tickets ≥ 3', '/app/contacts?ticketsMin=3'],
    ['contacts, seen in 7 days', '/app/contacts?seen=7&sort=lastSeen'],
    ['contacts, not seen for 30 days', '/app/contacts?seen=-30'],
    ['contacts, first-touch source', '/app/contacts?source=wechat'],
    ['contacts, first-touch campaign', '/app/contacts?campaign=campaign-7'],
    ['contacts, segment', `/app/contacts?segment=${BENCH_SEGMENT}`],
    ['contacts, static list', `/app/contacts?segment=${BENCH_LIST}`],
    ['contacts, account', `/app/contacts?account=${accountId(42 % ACCOUNTS)}`],
    ['contacts, three filters', '/app/contacts?grade=warm&ltvMin=1000&source=google'],
    ['contact profile', `/app/contacts/${someone}`],
    ['live', '/app/live'],
    ['rules', '/app/rules'],
    ['kpis', '/app/kpis'],
    ['quality', '/app/quality'],
    ['quality history', '/app/quality/history'],
    ['reasons', '/app/reasons'],
    ['campaigns', '/app/campaigns'],
    ['alerts', '/app/alerts'],
    ['setup', '/app/setup'],
    ['settings', '/app/settings'],
    ['team', '/app/team'],
    ['keys', '/app/keys'],
    ['audit', '/app/audit'],
  ]
  // A rare filter's Keep searching (the walk continued where the first request stopped).
  const rare = (await get('/app/contacts?trait=company&value=Company%2042')).body
  const more = /rel="next" href="([^"]+)"/.exec(rare)?.[1]?.replace(/&amp;/g, '&')
  if (more) pages.push(['contacts, trait filter, keep searching', more])
  // Pages other areas add (segments, accounts): timed when this build has them.
  for (const [page, path] of [
    ['segments', '/app/segments'],
    ['a segment', `/app/segments/${BENCH_SEGMENT}`],
    ['accounts', '/app/accounts'],
    ['an account', `/app/accounts/${accountId(42 % ACCOUNTS)}`],
  ] as const) {
    const r = await fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' })
    await r.arrayBuffer()
    if (r.status === 200) pages.push([page, path])
  }
  const result: DashboardResult['pages'] = []
  for (const [page, path] of pages) {
    if (only && !only.test(page)) continue
    try {
      const times: number[] = []
      const n = ctx.quick ? 10 : 40
      let firstMs = 0
      let readyMs: number | undefined
      for (let i = 0; i <= n; i++) {
        const { ms, body } = await get(path)
        // The first request warms caches and plans; it is also the overview's uncached one.
        if (i > 0) times.push(ms)
        else firstMs = round1(ms)
        // A page of whole-workspace figures says so while its first snapshot is computed.
        if (i === 0 && body.includes('data-computing="1"')) {
          const t0 = performance.now() - ms
          while ((await get(path)).body.includes('data-computing="1"'))
            await new Promise((r) => setTimeout(r, 1000))
          readyMs = round1(performance.now() - t0)
        }
      }
      const row = {
        page,
        path,
        firstMs,
        ...(readyMs !== undefined && { readyMs }),
        p50Ms: round1(percentile(times, 50)),
        p95Ms: round1(percentile(times, 95)),
        p99Ms: round1(percentile(times, 99)),
        requests: times.length,
      }
      ctx.log(
        `dashboard: ${page}: first ${firstMs} ms${readyMs ? ` (ready after ${readyMs} ms)` : ''}, p50 ${row.p50Ms} ms, p95 ${row.p95Ms} ms, p99 ${row.p99Ms} ms`,
      )
      result.push(row)
    } catch (err) {
      if (!onFailure) throw err
      onFailure({ page, error: (err as Error).message })
    }
  }
  return result
}

/** Times the Rules page's preview of a changed rule set (default rules, one rule's points up). */
export async function timeRulePreview(
  ctx: BenchContext,
  url: string,
  secretKey: string,
): Promise<Omit<PreviewTiming, 'contacts'>> {
  const cookie = await signIn(url, secretKey)
  const page = await (await fetch(`${url}/app/rules`, { headers: { cookie } })).text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!
  const text = /<textarea name="rules"[^>]*>([\s\S]*?)<\/textarea>/.exec(page)![1]!
  const doc = JSON.parse(
    text
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  )
  doc.rules[0].points += 5
  const times: number[] = []
  let examined = 0
  for (let i = 0; i < (ctx.quick ? 2 : 5); i++) {
    const t0 = performance.now()
    const r = await fetch(`${url}/app/rules`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        _csrf: csrf,
        op: 'preview',
        rules: JSON.stringify(doc),
      }).toString(),
    })
    const body = await r.text()
    times.push(performance.now() - t0)
    if (r.status !== 200) throw new Error(`preview answered ${r.status}`)
    examined = Number(/data-examined="(\d+)"/.exec(body)?.[1] ?? 0)
  }
  const row = {
    p50Ms: round1(percentile(times, 50)),
    maxMs: round1(Math.max(...times)),
    requests: times.length,
    examined,
  }
  ctx.log(`dashboard: rule preview: p50 ${row.p50Ms} ms over ${examined} contacts`)
  return row
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const ctx = createContext({}, process.argv.includes('--quick'))
  const at = process.argv.indexOf('--contacts')
  runDashboard(ctx, at > 0 ? Number(process.argv[at + 1]) : undefined)
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .finally(() => ctx.close())
}
