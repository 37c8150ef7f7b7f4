/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { JSX } from 'hono/jsx/jsx-runtime'
import type { AppDeps } from '../deps.js'
import type { DashboardOverview } from '../ports.js'
import { answerError, CollectorError } from '../errors.js'
import { publishChanges } from '../live/publish.js'
import {
  csrfValid,
  endSession,
  loginChallenge,
  loginChallengeValid,
  requireSession,
  startSession,
  type DashboardEnv,
} from './auth/guard.js'
import { isSecretKey } from '../keys.js'
import { dashboardLiveStream } from './live-stream.js'
import { securityHeaders } from './security.js'
import { Layout, type Section } from './views/layout.js'
import { LoginPage } from './pages/login.js'
import { OverviewBody } from './pages/overview.js'
import { ContactsBody, type ContactFilters } from './pages/contacts.js'
import { ContactBody } from './pages/contact.js'
import { LiveBody } from './pages/live.js'
import { RulesBody, type RuleIssue } from './pages/rules.js'
import { QualityBody, qualityPageIds } from './pages/quality.js'
import { KpisBody, type KpiForm } from './pages/kpis.js'
import { LifecycleError } from '@lodestone/lifecycle'
import { PERIODS, periodRange, type Period } from '@lodestone/lifecycle'

type Ctx = Context<DashboardEnv>

const PAGE_SIZE = 50
const OVERVIEW_TTL_MS = 30_000
const FORM_MAX_BYTES = 1024 * 1024
const DATE = /^\d{4}-\d{2}-\d{2}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

async function render(c: Ctx, node: JSX.Element, status = 200) {
  return c.html(`<!doctype html>${await node.toString()}`, status as 200)
}

function page(c: Ctx, title: string, section: Section, body: JSX.Element, status = 200) {
  const s = c.var.session
  return render(
    c,
    <Layout
      title={title}
      nonce={c.var.nonce}
      section={section}
      workspace={s.workspace.name}
      csrf={s.csrf}
    >
      {body}
    </Layout>,
    status,
  )
}

/** Only same-dashboard paths are valid after sign-in, so `next` cannot send anyone elsewhere. */
const safeNext = (v: unknown) =>
  typeof v === 'string' && /^\/app(\/[\w\-/%.]*)?(\?[^\s\\]*)?$/.test(v) && !v.includes('//')
    ? v
    : '/app'

/** A `YYYY-MM-DD` form date at a time of day (UTC); null unless it is a real calendar date. */
function utcDate(v: string, time: string): Date | null {
  if (!DATE.test(v)) return null
  const d = new Date(`${v}${time}`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v ? d : null
}

const text = (v: string | undefined, max = 200) => (v ?? '').trim().slice(0, max) || undefined

/** The marketer dashboard at `/app`: server-rendered pages, a signed session cookie, CSRF-checked forms. */
export function dashboardRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  const { store } = deps
  app.use('*', securityHeaders())
  app.use(
    '*',
    bodyLimit({ maxSize: FORM_MAX_BYTES, onError: (c) => c.text('Form too large', 413) }),
  )

  app.get('/login', async (c) => {
    const challenge = loginChallenge(c, deps)
    return render(
      c,
      <LoginPage nonce={c.var.nonce} challenge={challenge} next={safeNext(c.req.query('next'))} />,
    )
  })

  app.post('/login', async (c) => {
    const form = await c.req.parseBody()
    const next = safeNext(form.next)
    const again = async (error: string, status: number) =>
      render(
        c,
        <LoginPage
          nonce={c.var.nonce}
          challenge={loginChallenge(c, deps)}
          next={next}
          error={error}
        />,
        status,
      )
    if (!loginChallengeValid(c, form._login))
      return again('The sign-in form expired. Please try again.', 403)
    const key = typeof form.key === 'string' ? form.key.trim() : ''
    const ws = isSecretKey(key) ? await store.workspaceBySecretKey(key) : null
    if (!ws || !(await startSession(c, deps, ws.id)))
      return again('That secret key does not match a workspace.', 401)
    return c.redirect(next, 303)
  })

  app.use('*', requireSession(deps))

  // Every state-changing request carries the session's CSRF token.
  app.use('*', async (c, next) => {
    if (c.req.method !== 'POST') return next()
    const form = await c.req.parseBody()
    if (!csrfValid(c.var.session, form._csrf)) {
      return c.json(
        { success: false, error: { code: 'forbidden', message: 'Invalid CSRF token' } },
        403,
      )
    }
    await next()
  })

  app.post('/logout', (c) => {
    endSession(c)
    return c.redirect('/app/login', 303)
  })

  // The overview aggregates every contact: computed at most every 30 s per workspace.
  const overviews = new Map<string, { until: number; at: string; data: DashboardOverview }>()
  app.get('/', async (c) => {
    const ws = c.var.session.workspace.id
    let cached = overviews.get(ws)
    if (!cached || cached.until <= Date.now()) {
      const now = deps.clock.now()
      const data = await store.dashboardOverview(ws, { now })
      if (overviews.size >= 1000) overviews.clear()
      cached = { until: Date.now() + OVERVIEW_TTL_MS, at: now.toISOString(), data }
      overviews.set(ws, cached)
    }
    return page(c, 'Overview', 'overview', <OverviewBody data={cached.data} at={cached.at} />)
  })

  app.get('/contacts', async (c) => {
    const ws = c.var.session.workspace.id
    const q = c.req.query()
    const filters: ContactFilters = {
      q: text(q.q),
      grade: text(q.grade, 64),
      trait: text(q.trait, 128),
      value: text(q.value),
      topic: text(q.topic, 128),
    }
    const grades = (await store.scoreGrades(ws)).map((g) => g.name)
    let error: string | undefined
    let result = { contacts: [], next: null, scanned: 0, windowFull: false } as Awaited<
      ReturnType<typeof store.searchContacts>
    >
    try {
      result = await store.searchContacts(ws, {
        limit: PAGE_SIZE,
        cursor: q.cursor || undefined,
        search: filters.q,
        grade: filters.grade,
        trait: filters.trait ? { name: filters.trait, value: filters.value ?? '' } : undefined,
        topic: filters.topic,
      })
    } catch (err) {
      if (!(err instanceof CollectorError) || err.status !== 400) throw err
      error = 'That search or page link is not valid.'
    }
    return page(
      c,
      'Contacts',
      'contacts',
      <ContactsBody
        filters={filters}
        grades={grades}
        {...result}
        paged={Boolean(q.cursor)}
        error={error}
      />,
      error ? 400 : 200,
    )
  })

  app.get('/contacts/:id', async (c) => {
    const ws = c.var.session.workspace.id
    const id = c.req.param('id')
    const contact = UUID.test(id) ? await store.getContact(ws, { id }) : null
    if (!contact) throw new CollectorError('not_found', 'No such contact')
    if (contact.id !== id) return c.redirect(`/app/contacts/${contact.id}`, 302)
    const [history, events, grades] = await Promise.all([
      store.scoreHistory(ws, contact.id, 500),
      store.contactEvents(ws, contact.id, { limit: 100 }),
      store.scoreGrades(ws),
    ])
    return page(
      c,
      'Contact',
      'contacts',
      <ContactBody
        contact={contact as never}
        history={history}
        events={events?.events ?? []}
        moreEvents={Boolean(events?.next)}
        topGrade={grades[grades.length - 1]?.name ?? null}
        now={deps.clock.now().toISOString()}
      />,
    )
  })

  app.get('/live', (c) => page(c, 'Live', 'live', <LiveBody nonce={c.var.nonce} />))
  app.get('/live/stream', dashboardLiveStream(deps))

  const rulesPage = async (c: Ctx, edit?: { text: string; issues: RuleIssue[] }) => {
    const ws = c.var.session.workspace.id
    const current = await store.getRules(ws)
    const q = c.req.query()
    const saved =
      !edit && q.saved
        ? {
            version: Number(q.saved) || 0,
            rescored: Number(q.rescored) || 0,
            changed: Number(q.changed) || 0,
          }
        : undefined
    return page(
      c,
      'Rules',
      'rules',
      <RulesBody
        csrf={c.var.session.csrf}
        version={current.version}
        updatedAt={current.updatedAt}
        text={edit?.text ?? JSON.stringify(current.rules, null, 2)}
        issues={edit?.issues ?? []}
        saved={saved}
      />,
      edit ? 400 : 200,
    )
  }

  app.get('/rules', (c) => rulesPage(c))

  app.post('/rules', async (c) => {
    const ws = c.var.session.workspace.id
    const form = await c.req.parseBody()
    const source = typeof form.rules === 'string' ? form.rules : ''
    let doc: unknown
    try {
      doc = JSON.parse(source)
    } catch (err) {
      return rulesPage(c, {
        text: source,
        issues: [{ path: '', message: `Invalid JSON: ${(err as Error).message}` }],
      })
    }
    let version: number
    try {
      ;({ version } = await store.putRules(ws, doc))
    } catch (err) {
      if (err instanceof CollectorError && err.code === 'invalid_rules') {
        const issues = (err.issues ?? []) as RuleIssue[]
        return rulesPage(c, {
          text: source,
          issues: issues.length ? issues : [{ path: '', message: err.message }],
        })
      }
      throw err
    }
    const result = await store.rescore(ws, {
      now: deps.clock.now(),
      onChanges: (changes) => void publishChanges(deps, ws, changes),
    })
    return c.redirect(
      `/app/rules?saved=${version}&rescored=${result.done}&changed=${result.changed}`,
      303,
    )
  })

  app.get('/quality', async (c) => {
    const ws = c.var.session.workspace.id
    const report = await store.qualityReport(ws)
    const labels = await store.contactLabels(ws, qualityPageIds(report))
    const at = deps.clock.now().toISOString()
    return page(
      c,
      'Data quality',
      'quality',
      <QualityBody report={report} labels={labels} at={at} />,
    )
  })

  app.get('/kpis', async (c) => {
    const q = c.req.query()
    const now = deps.clock.now()
    const form: KpiForm = {
      period: text(q.period, 16) ?? 'month',
      to: text(q.to, 40) ?? now.toISOString().slice(0, 10),
      from:
        text(q.from, 40) ?? new Date(now.getTime() - 365 * 86_400_000).toISOString().slice(0, 10),
    }
    const from = utcDate(form.from, 'T00:00:00.000Z')
    const to = utcDate(form.to, 'T23:59:59.999Z')
    let error: string | undefined
    if (!PERIODS.includes(form.period as Period))
      error = `Period must be one of ${PERIODS.join(', ')}.`
    else if (!from || !to) error = 'From and to must be dates (YYYY-MM-DD).'
    else if (from > to) error = 'From must not be after to.'
    else {
      try {
        periodRange(from.getTime(), to.getTime(), form.period as Period)
      } catch (err) {
        if (!(err instanceof LifecycleError)) throw err
        error = `${err.message}: choose a longer period or a shorter range.`
      }
    }
    const report =
      error || !from || !to
        ? null
        : await store.kpis(c.var.session.workspace.id, { from, to, period: form.period as Period })
    return page(
      c,
      'KPIs',
      'kpis',
      <KpisBody form={form} report={report} error={error} />,
      error ? 400 : 200,
    )
  })

  app.onError((err, c) =>
    answerError(
      c,
      err,
      (error) =>
        c.html(
          `<!doctype html><title>Error · Lodestone</title><p>${escapeText(error.status < 500 ? error.message : 'Something went wrong. Try again shortly.')}</p><p><a href="/app">Back to the dashboard</a></p>`,
          error.status as 400,
        ),
      deps.log,
    ),
  )
  return app
}

function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}
