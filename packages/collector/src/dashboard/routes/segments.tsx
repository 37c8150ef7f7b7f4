/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { CollectorError } from '../../errors.js'
import { auditChange } from '../../audit/record.js'
import type { AudiencePort, SegmentInput } from '../../segments/port.js'
import type { SegmentPreview } from '../../segments/dashboard-port.js'
import type { DashboardEnv } from '../auth/guard.js'
import { permitted } from '../permissions.js'
import {
  PREVIEW_SCRIPT,
  PreviewResult,
  SegmentBuilder,
  type Choices,
  type Issue,
} from '../pages/segment-builder.js'
import { SegmentBody, SegmentsBody, type MemberRow } from '../pages/segments.js'
import {
  applyOp,
  emptyModel,
  fromForm,
  toConditions,
  toModel,
  type SegmentModel,
} from '../segments-model.js'
import { page, render, type Ctx } from '../render.js'

const NOTHING_SEEN = { events: [], paths: [], traits: [], sampled: 0 }
const MEMBERS_PAGE = 50
/** How long a save waits for its back-fill before showing the segment (the sweep finishes it). */
const BACKFILL_WAIT_MS = 1500
const SEGMENT_ID = /^seg_[0-9a-f]{1,32}$/

interface Edit {
  issues?: Issue[]
  preview?: SegmentPreview
}

function portOf(deps: AppDeps): AudiencePort {
  if (!deps.segments) throw new CollectorError('store_unavailable', 'Segments are unavailable')
  return deps.segments
}

const mayWrite = (c: Ctx) => {
  if (!permitted(c, 'rules.write')) throw new CollectorError('forbidden', 'Not allowed')
}

/** The problems of an invalid segment as inline issues; null for any other error. */
function issuesOf(err: unknown): Issue[] | null {
  if (!(err instanceof CollectorError)) return null
  if (err.code === 'conflict') return [{ path: 'key', message: err.message }]
  if (err.code !== 'invalid_segment' && err.code !== 'bad_request') return null
  const issues = (err.issues ?? []) as Issue[]
  return issues.length ? issues : [{ path: '', message: err.message }]
}

async function choicesFor(c: Ctx, deps: AppDeps): Promise<Choices> {
  const ws = c.var.session.workspace.id
  const [grades, segments, lists, seen] = await Promise.all([
    deps.store.scoreGrades(ws),
    portOf(deps).listSegments(ws),
    deps.lists?.listLists(ws) ?? [],
    deps.dashboardStore?.seen(ws) ?? NOTHING_SEEN,
  ])
  return {
    grades: grades.map((g) => g.name),
    segments: segments.map((s) => ({ id: s.id, name: s.name })),
    lists: lists.map((l) => ({ id: l.id, name: l.name })),
    seen,
  }
}

async function builderPage(c: Ctx, deps: AppDeps, model: SegmentModel, edit: Edit = {}) {
  const f = c.var.fmt
  const title = model.id ? f.t('segments.editTitle') : f.t('segments.new')
  return page(
    c,
    title,
    'segments',
    <>
      <p class="small">
        <a href={model.id ? `/app/segments/${model.id}` : '/app/segments'}>
          {f.t('segments.back')}
        </a>
      </p>
      <h1>{title}</h1>
      <p class="muted">{f.t('segments.builder.intro')}</p>
      <SegmentBuilder
        f={f}
        csrf={c.var.session.csrf}
        model={model}
        choices={await choicesFor(c, deps)}
        issues={edit.issues ?? []}
        preview={edit.preview}
      />
      <script nonce={c.var.nonce} dangerouslySetInnerHTML={{ __html: PREVIEW_SCRIPT }} />
    </>,
    edit.issues?.length ? 400 : 200,
  )
}

/** The member count of the model's conditions now, or why they cannot be counted. */
async function previewOf(c: Ctx, deps: AppDeps, model: SegmentModel): Promise<Edit> {
  if (!model.advanced && model.rows.length === 0)
    return { issues: [{ path: '', message: c.var.fmt.t('segments.builder.noRows') }] }
  if (!deps.audienceReads) throw new CollectorError('store_unavailable', 'Preview unavailable')
  try {
    const preview = await deps.audienceReads.previewSegment(
      c.var.session.workspace.id,
      toConditions(model),
      deps.clock.now(),
    )
    return { preview }
  } catch (err) {
    const issues = issuesOf(err)
    if (!issues) throw err
    return { issues }
  }
}

/** Saves the model (new or edited), waits briefly for its back-fill, shows the segment. */
async function save(c: Ctx, deps: AppDeps, model: SegmentModel) {
  const port = portOf(deps)
  const ws = c.var.session.workspace.id
  if (!model.advanced && model.rows.length === 0)
    return builderPage(c, deps, model, {
      issues: [{ path: '', message: c.var.fmt.t('segments.builder.noRows') }],
    })
  const input: SegmentInput = {
    name: model.name,
    ...(model.key && !model.id ? { key: model.key } : {}),
    ...(model.description ? { description: model.description } : {}),
    conditions: toConditions(model),
    browser: model.browser,
  }
  let saved
  try {
    const before = model.id ? await port.getSegment(ws, model.id) : null
    saved = model.id
      ? await port.updateSegment(ws, model.id, input)
      : await port.createSegment(ws, input)
    if (!saved) throw new CollectorError('not_found', 'No such segment')
    auditChange(c, {
      target: `segment ${saved.id}`,
      before: before ? { name: before.name, conditions: before.conditions } : null,
      after: { name: saved.name, conditions: saved.conditions, browser: saved.browser },
    })
  } catch (err) {
    const issues = issuesOf(err)
    if (!issues) throw err
    return builderPage(c, deps, model, { issues })
  }
  await backfillFor(deps, saved.id)
  return c.redirect(`/app/segments/${saved.id}?saved=1`, 303)
}

/** Runs the segment's back-fill for a moment, so a small workspace's segment is ready at once. */
async function backfillFor(deps: AppDeps, id: string) {
  const port = portOf(deps)
  const until = performance.now() + BACKFILL_WAIT_MS
  while (performance.now() < until) {
    const step = await port.backfillStep(deps.clock.now(), id)
    if (!step || step.ready) return
  }
}

async function segmentOr404(deps: AppDeps, ws: string, id: string) {
  const seg = SEGMENT_ID.test(id) ? await portOf(deps).getSegment(ws, id) : null
  if (!seg) throw new CollectorError('not_found', 'No such segment')
  return seg
}

/** Segments: list, builder with a live count, one segment's page, public switch, delete. */
export function segmentsRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()

  app.get('/segments', async (c) => {
    const segments = await portOf(deps).listSegments(c.var.session.workspace.id)
    const f = c.var.fmt
    return page(
      c,
      f.t('segments.title'),
      'segments',
      <SegmentsBody f={f} segments={segments} canWrite={permitted(c, 'rules.write')} />,
    )
  })

  app.get('/segments/new', (c) => {
    mayWrite(c)
    return builderPage(c, deps, emptyModel())
  })

  app.post('/segments/builder', async (c) => {
    mayWrite(c)
    const form = await c.req.parseBody()
    const op = typeof form.op === 'string' ? form.op : 'preview'
    let model = fromForm(form)
    if (op === 'save') return save(c, deps, model)
    if (op === 'preview') return builderPage(c, deps, model, await previewOf(c, deps, model))
    model = applyOp(model, op === 'add' ? `add:${String(form.addKind ?? '')}` : op)
    return builderPage(c, deps, model)
  })

  // The builder's script: the count alone, as the fragment the page swaps in. A GET (the form's
  // fields in the query, without its CSRF token): it changes nothing, so it is not audited.
  app.get('/segments/preview', async (c) => {
    mayWrite(c)
    const model = fromForm(c.req.query())
    const edit = await previewOf(c, deps, model)
    return render(
      c,
      <PreviewResult f={c.var.fmt} preview={edit.preview} issues={edit.issues ?? []} />,
    )
  })

  app.get('/segments/:id', async (c) => {
    const ws = c.var.session.workspace.id
    const seg = await segmentOr404(deps, ws, c.req.param('id'))
    const [members, grades] = await Promise.all([
      portOf(deps).segmentMembers(ws, seg.id, {
        limit: MEMBERS_PAGE,
        cursor: c.req.query('cursor') || undefined,
        now: deps.clock.now(),
      }),
      deps.store.scoreGrades(ws),
    ])
    const f = c.var.fmt
    return page(
      c,
      seg.name,
      'segments',
      <SegmentBody
        f={f}
        csrf={c.var.session.csrf}
        nonce={c.var.nonce}
        segment={seg}
        members={(members?.contacts ?? []) as unknown as MemberRow[]}
        next={members?.next ?? null}
        paged={Boolean(c.req.query('cursor'))}
        topGrade={grades[grades.length - 1]?.name ?? null}
        canWrite={permitted(c, 'rules.write')}
        canExport={permitted(c, 'contacts.export')}
        saved={c.req.query('saved') === '1'}
      />,
    )
  })

  app.get('/segments/:id/edit', async (c) => {
    mayWrite(c)
    const seg = await segmentOr404(deps, c.var.session.workspace.id, c.req.param('id'))
    return builderPage(c, deps, toModel(seg))
  })

  app.post('/segments/:id/browser', async (c) => {
    mayWrite(c)
    const ws = c.var.session.workspace.id
    const seg = await segmentOr404(deps, ws, c.req.param('id'))
    const browser = (await c.req.parseBody()).browser === '1'
    await portOf(deps).updateSegment(ws, seg.id, {
      name: seg.name,
      ...(seg.description ? { description: seg.description } : {}),
      conditions: seg.conditions,
      browser,
    })
    auditChange(c, {
      target: `segment ${seg.id}`,
      before: { browser: seg.browser },
      after: { browser },
    })
    await backfillFor(deps, seg.id)
    return c.redirect(`/app/segments/${seg.id}`, 303)
  })

  app.post('/segments/:id/delete', async (c) => {
    mayWrite(c)
    const ws = c.var.session.workspace.id
    const seg = await segmentOr404(deps, ws, c.req.param('id'))
    await portOf(deps).deleteSegment(ws, seg.id)
    auditChange(c, { target: `segment ${seg.id}`, before: { name: seg.name }, after: null })
    return c.redirect('/app/segments', 303)
  })

  return app
}
