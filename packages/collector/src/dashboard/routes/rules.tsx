/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { CollectorError } from '../../errors.js'
import { publishChanges } from '../../live/publish.js'
import { auditChange } from '../../audit/record.js'
import type { DashboardEnv } from '../auth/guard.js'
import { permitted } from '../permissions.js'
import type { RulesPreview } from '../port.js'
import { RulesBody, type RuleIssue } from '../pages/rules.js'
import { applyOp, fromForm, toDoc, toModel, type RulesModel } from '../rules-model.js'
import { page, type Ctx } from '../render.js'

const NOTHING_SEEN = { events: [], paths: [], traits: [], sampled: 0 }

/** The JSON text shown for the rules: as saved from here, else in the documented key order. */
const stableText = (rules: unknown) => JSON.stringify(toDoc(toModel(rules)), null, 2)

interface Edit {
  model?: RulesModel
  text?: string
  issues?: RuleIssue[]
  preview?: RulesPreview
  jsonOpen?: boolean
}

async function rulesPage(c: Ctx, deps: AppDeps, edit: Edit = {}) {
  const ws = c.var.session.workspace.id
  const ds = deps.dashboardStore
  const [current, versions, seen] = await Promise.all([
    deps.store.getRules(ws),
    ds?.rulesVersions(ws) ?? [],
    ds?.seen(ws) ?? NOTHING_SEEN,
  ])
  const source = versions.find((v) => v.version === current.version)?.source
  const q = c.req.query()
  const saved = q.saved
    ? {
        version: Number(q.saved) || 0,
        rescored: Number(q.rescored) || 0,
        changed: Number(q.changed) || 0,
      }
    : undefined
  const failed = Boolean(edit.issues?.length)
  return page(
    c,
    c.var.fmt.t('nav.rules'),
    'rules',
    <RulesBody
      f={c.var.fmt}
      csrf={c.var.session.csrf}
      version={current.version}
      updatedAt={current.updatedAt}
      model={edit.model ?? toModel(current.rules)}
      text={edit.text ?? source ?? stableText(current.rules)}
      seen={seen}
      versions={versions}
      issues={edit.issues ?? []}
      preview={edit.preview}
      saved={edit.model || edit.text ? undefined : saved}
      jsonOpen={edit.jsonOpen}
    />,
    failed ? 400 : 200,
  )
}

const issuesOf = (err: unknown): RuleIssue[] | null => {
  if (!(err instanceof CollectorError) || err.code !== 'invalid_rules') return null
  const issues = (err.issues ?? []) as RuleIssue[]
  return issues.length ? issues : [{ path: '', message: err.message }]
}

/** Saves rules as a new version (with their text) and rescores every contact. */
async function saveRules(c: Ctx, deps: AppDeps, doc: unknown, text: string) {
  const ws = c.var.session.workspace.id
  const before = await deps.store.getRules(ws)
  const { version } = await deps.store.putRules(ws, doc)
  auditChange(c, { target: `rules v${version}`, before: before.rules, after: doc })
  await deps.dashboardStore?.saveRulesSource(ws, version, text)
  const result = await deps.store.rescore(ws, {
    now: deps.clock.now(),
    onChanges: (changes) => void publishChanges(deps, ws, changes),
  })
  return c.redirect(
    `/app/rules?saved=${version}&rescored=${result.done}&changed=${result.changed}`,
    303,
  )
}

/** Preview or save a document; its problems come back inline with the person's edit kept. */
async function previewOrSave(
  c: Ctx,
  deps: AppDeps,
  op: string,
  doc: unknown,
  text: string,
  edit: Edit,
) {
  try {
    if (op === 'save') return await saveRules(c, deps, doc, text)
    if (!deps.dashboardStore) throw new CollectorError('store_unavailable', 'Preview unavailable')
    const preview = await deps.dashboardStore.previewRules(
      c.var.session.workspace.id,
      doc,
      deps.clock.now(),
    )
    return rulesPage(c, deps, { ...edit, preview })
  } catch (err) {
    const issues = issuesOf(err)
    if (!issues) throw err
    return rulesPage(c, deps, { ...edit, issues })
  }
}

/** The scoring rules: builder, JSON, preview, save (rescoring every contact) and restore. */
export function rulesRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  const mayWrite = (c: Ctx) => {
    if (!permitted(c, 'rules.write')) throw new CollectorError('forbidden', 'Not allowed')
  }
  app.get('/rules', (c) => rulesPage(c, deps))
  app.post('/rules/builder', async (c) => {
    mayWrite(c)
    const form = await c.req.parseBody({ all: true })
    const op = typeof form.op === 'string' ? form.op : 'preview'
    const model = fromForm(form as Record<string, string | string[]>)
    if (op !== 'save' && op !== 'preview') return rulesPage(c, deps, { model: applyOp(model, op) })
    const doc = toDoc(model)
    const text = JSON.stringify(doc, null, 2)
    return previewOrSave(c, deps, op, doc, text, { model, text })
  })
  app.post('/rules', async (c) => {
    mayWrite(c)
    const form = await c.req.parseBody()
    const text = typeof form.rules === 'string' ? form.rules : ''
    const op = form.op === 'preview' ? 'preview' : 'save'
    let doc: unknown
    try {
      doc = JSON.parse(text)
    } catch (err) {
      const issues = [
        { path: '', message: c.var.fmt.t('rules.invalidJson', { detail: (err as Error).message }) },
      ]
      return rulesPage(c, deps, { text, issues, jsonOpen: true })
    }
    let model: RulesModel | undefined
    try {
      model = toModel(doc)
    } catch {
      model = undefined
    }
    return previewOrSave(c, deps, op, doc, text, { text, model, jsonOpen: true })
  })
  app.post('/rules/restore', async (c) => {
    mayWrite(c)
    const form = await c.req.parseBody()
    const v = await deps.dashboardStore?.rulesVersion(
      c.var.session.workspace.id,
      Number(form.version),
    )
    if (!v) throw new CollectorError('not_found', 'No such rules version')
    return saveRules(c, deps, v.rules, v.source ?? stableText(v.rules))
  })
  return app
}
