/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { CollectorError } from '../../errors.js'
import { publishChanges } from '../../live/publish.js'
import type { DashboardEnv } from '../auth/guard.js'
import { t } from '../i18n/index.js'
import { RulesBody, type RuleIssue } from '../pages/rules.js'
import { page, type Ctx } from '../render.js'

async function rulesPage(c: Ctx, deps: AppDeps, edit?: { text: string; issues: RuleIssue[] }) {
  const current = await deps.store.getRules(c.var.session.workspace.id)
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
    t(c.var.locale, 'nav.rules'),
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

/** Saves a rules document as a new version and rescores; null when saved, else the issues. */
type SaveResult = { issues: RuleIssue[] } | { version: number; rescored: number; changed: number }

async function saveRules(c: Ctx, deps: AppDeps, source: string): Promise<SaveResult> {
  const ws = c.var.session.workspace.id
  let doc: unknown
  try {
    doc = JSON.parse(source)
  } catch (err) {
    return { issues: [{ path: '', message: `Invalid JSON: ${(err as Error).message}` }] }
  }
  let version: number
  try {
    ;({ version } = await deps.store.putRules(ws, doc))
  } catch (err) {
    if (err instanceof CollectorError && err.code === 'invalid_rules') {
      const issues = (err.issues ?? []) as RuleIssue[]
      return { issues: issues.length ? issues : [{ path: '', message: err.message }] }
    }
    throw err
  }
  const result = await deps.store.rescore(ws, {
    now: deps.clock.now(),
    onChanges: (changes) => void publishChanges(deps, ws, changes),
  })
  return { version, rescored: result.done, changed: result.changed }
}

/** The scoring rules: view, validate and save (which rescores every contact). */
export function rulesRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  app.get('/rules', (c) => rulesPage(c, deps))
  app.post('/rules', async (c) => {
    const form = await c.req.parseBody()
    const source = typeof form.rules === 'string' ? form.rules : ''
    const saved = await saveRules(c, deps, source)
    if ('issues' in saved) return rulesPage(c, deps, { text: source, issues: saved.issues })
    return c.redirect(
      `/app/rules?saved=${saved.version}&rescored=${saved.rescored}&changed=${saved.changed}`,
      303,
    )
  })
  return app
}
