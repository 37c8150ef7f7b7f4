/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// The segment builder: every condition as form fields, no JSON needed (JSON for the rest).
// Buttons post the whole form with an `op` (add, delete, preview, save); only Save saves.
// A small script (PREVIEW_SCRIPT, under the page's CSP nonce) refreshes the count as the
// form changes; without it, the Preview button does the same with a round trip.
import type { SeenInWorkspace } from '../port.js'
import type { SegmentPreview } from '../../segments/dashboard-port.js'
import {
  COND_KINDS,
  METRICS,
  ROLES,
  toConditions,
  type CondRow,
  type SegmentModel,
} from '../segments-model.js'
import { TRAIT_OPS } from '../rules-model.js'
import type { Fmt } from '../views/intl.js'
import { Input, SeenLists } from './rules-builder.js'
import { gradeLabel } from '../views/grades.js'

export interface Issue {
  path: string
  message: string
}

export interface Choices {
  grades: string[]
  segments: { id: string; name: string }[]
  lists: { id: string; name: string }[]
  seen: SeenInWorkspace
}

function Select(props: {
  label: string
  name: string
  value: string
  options: [string, string][]
}) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        {props.options.map(([v, text]) => (
          <option value={v} selected={v === props.value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  )
}

/** Each kind's `op` choices: the value, and the builder key of its label. */
const OPS = {
  score: [
    ['gte', 'atLeastValue'],
    ['lte', 'atMostValue'],
  ],
  events: [
    ['atLeast', 'atLeast'],
    ['fewerThan', 'fewerThan'],
  ],
  lastSeen: [
    ['within', 'seenWithin'],
    ['notWithin', 'notSeenWithin'],
  ],
  account: [
    ['in', 'accountIn'],
    ['none', 'accountNone'],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>

type Label = (k: string) => string

function OpSelect(props: {
  t: Label
  p: string
  value: string
  ops: readonly (readonly [string, string])[]
}) {
  const { t } = props
  return (
    <Select
      label={t('op')}
      name={`${props.p}op`}
      value={props.value}
      options={props.ops.map(([v, k]) => [v, t(k)])}
    />
  )
}

/** One saved segment or list, by id (`choose` for none yet). */
function PickOne(props: {
  t: Label
  p: string
  value: string
  kind: 'segment' | 'list'
  items: { id: string; name: string }[]
}) {
  const { t } = props
  return (
    <Select
      label={t(props.kind)}
      name={`${props.p}value`}
      value={props.value}
      options={[['', t('choose')], ...props.items.map((s): [string, string] => [s.id, s.name])]}
    />
  )
}

function RowFields(props: { f: Fmt; p: string; r: CondRow; choices: Choices }) {
  const { f, p, r, choices } = props
  const t = (k: string) => f.t(`segments.builder.${k}`)
  switch (r.kind) {
    case 'trait':
      return (
        <>
          <Input label={t('trait')} name={`${p}name`} value={r.name} size={14} list="seen-traits" />
          <Select
            label={t('op')}
            name={`${p}op`}
            value={r.op}
            options={TRAIT_OPS.map((op) => [op, f.t(`builder.op.${op}`)])}
          />
          <Input label={t('value')} name={`${p}value`} value={r.value} size={18} />
        </>
      )
    case 'score':
      return (
        <>
          <Select
            label={t('metric')}
            name={`${p}name`}
            value={r.name}
            options={METRICS.map((m) => [m, t(`metric.${m}`)])}
          />
          <OpSelect t={t} p={p} value={r.op} ops={OPS.score} />
          <Input label={t('value')} name={`${p}value`} value={r.value} size={6} type="number" />
        </>
      )
    case 'grade':
      return (
        <fieldset>
          <legend>{t('grades')}</legend>
          <div class="row">
            {choices.grades.map((g) => (
              <label class="inline">
                <input
                  type="checkbox"
                  name={`${p}g.${g}`}
                  value="1"
                  checked={r.grades.includes(g)}
                />
                {gradeLabel(f.locale, g)}
              </label>
            ))}
          </div>
        </fieldset>
      )
    case 'events':
      return (
        <>
          <Select
            label={t('eventType')}
            name={`${p}type`}
            value={r.type}
            options={['', 'track', 'page', 'identify'].map((v) => [
              v,
              f.t(`builder.type.${v || 'any'}`),
            ])}
          />
          <Input
            label={t('event')}
            name={`${p}event`}
            value={r.event}
            size={16}
            list="seen-events"
          />
          <Input label={t('url')} name={`${p}url`} value={r.url} size={16} list="seen-paths" />
          <OpSelect t={t} p={p} value={r.op} ops={OPS.events} />
          <Input label={t('times')} name={`${p}value`} value={r.value} size={4} type="number" />
          <Input label={t('days')} name={`${p}days`} value={r.days} size={4} type="number" />
        </>
      )
    case 'lastSeen':
      return (
        <>
          <OpSelect t={t} p={p} value={r.op} ops={OPS.lastSeen} />
          <Input label={t('days')} name={`${p}days`} value={r.days} size={4} type="number" />
        </>
      )
    case 'subscribed':
      return <Input label={t('topic')} name={`${p}name`} value={r.name} size={16} />
    case 'role':
      return (
        <Select
          label={t('role')}
          name={`${p}value`}
          value={r.value}
          options={ROLES.map((v) => [v, f.t(`segments.role.${v}`)])}
        />
      )
    case 'account':
      return (
        <>
          <OpSelect t={t} p={p} value={r.op} ops={OPS.account} />
          <Input label={t('groupId')} name={`${p}name`} value={r.name} size={14} />
          <Select
            label={t('accountGrade')}
            name={`${p}value`}
            value={r.value}
            options={[
              ['', t('anyGrade')],
              ...choices.grades.map((g): [string, string] => [g, gradeLabel(f.locale, g)]),
            ]}
          />
        </>
      )
    case 'segment':
      return <PickOne t={t} p={p} value={r.value} kind="segment" items={choices.segments} />
    case 'list':
      return <PickOne t={t} p={p} value={r.value} kind="list" items={choices.lists} />
  }
}

function ConditionRow(props: { f: Fmt; r: CondRow; i: number; choices: Choices }) {
  const { f, r, i } = props
  const p = `c${i}.`
  return (
    <div class="rule" id={`condition-${i}`} data-kind={r.kind}>
      <input type="hidden" name={`${p}kind`} value={r.kind} />
      <div class="row">
        <strong>{`${i + 1}. ${f.t(`segments.kind.${r.kind}`)}`}</strong>
        <label class="inline">
          <input type="checkbox" name={`${p}not`} value="1" checked={r.not} />
          {f.t('segments.builder.not')}
        </label>
      </div>
      <div class="row">
        <RowFields f={f} p={p} r={r} choices={props.choices} />
      </div>
      <div class="actions">
        <button
          type="submit"
          name="op"
          value={`delete:${i}`}
          formnovalidate
          class="danger"
          aria-label={f.t('segments.builder.deleteOne', { n: i + 1 })}
        >
          {f.t('action.delete')}
        </button>
      </div>
    </div>
  )
}

/** What the conditions would hold now: the preview's count, or the problems found. */
export function PreviewResult(props: { f: Fmt; preview?: SegmentPreview; issues: Issue[] }) {
  const { f, preview, issues } = props
  return (
    <div
      id="segment-preview"
      aria-live="polite"
      data-members={preview?.members ?? ''}
      data-sampled={preview ? String(preview.sampled) : ''}
      data-estimate={preview ? String(preview.estimate) : ''}
      data-sample-size={preview?.sampleSize ?? ''}
      data-low={preview?.range.low ?? ''}
      data-high={preview?.range.high ?? ''}
    >
      {issues.length ? (
        <div class="card error" role="alert" id="segment-issues">
          <h2>{f.t('segments.builder.problems')}</h2>
          <ul>
            {issues.map((i) => (
              <li>
                {i.path ? <code>{i.path}</code> : null} {i.message}
              </li>
            ))}
          </ul>
        </div>
      ) : preview ? (
        <p class="banner" id="preview-count">
          <strong>
            {preview.estimate
              ? f.t('segments.builder.previewEstimate', {
                  n: f.num(preview.members),
                  of: f.num(preview.contacts),
                  low: f.num(preview.range.low),
                  high: f.num(preview.range.high),
                })
              : f.t('segments.builder.previewCount', {
                  n: f.num(preview.members),
                  of: f.num(preview.contacts),
                })}
          </strong>{' '}
          <span class="muted small" id="preview-basis">
            {preview.estimate
              ? f.t('segments.builder.previewSampled', {
                  n: f.num(preview.sampleSize),
                  of: f.num(preview.contacts),
                })
              : f.t('segments.builder.previewNote')}
          </span>
        </p>
      ) : null}
    </div>
  )
}

/** The builder form over one segment (new or saved). */
export function SegmentBuilder(props: {
  f: Fmt
  csrf: string
  model: SegmentModel
  choices: Choices
  issues: Issue[]
  preview?: SegmentPreview
}) {
  const { f, model: m, choices } = props
  const t = (k: string) => f.t(`segments.builder.${k}`)
  const own = { ...choices, segments: choices.segments.filter((s) => s.id !== m.id) }
  return (
    <form method="post" action="/app/segments/builder" id="segment-builder" class="card">
      <input type="hidden" name="_csrf" value={props.csrf} />
      {/* Enter in a field previews: the first submit button is the form's default. */}
      <button type="submit" name="op" value="preview" hidden formnovalidate>
        {t('preview')}
      </button>
      <input type="hidden" name="id" value={m.id} />
      <input type="hidden" name="rowCount" value={String(m.advanced ? 0 : m.rows.length)} />
      <SeenLists seen={choices.seen} />
      <div class="row">
        <Input label={t('name')} name="name" value={m.name} size={28} required />
        {m.id ? (
          <input type="hidden" name="key" value={m.key} />
        ) : (
          <Input label={t('key')} name="key" value={m.key} size={20} />
        )}
        <Input label={t('description')} name="description" value={m.description} size={36} />
      </div>
      <label class="inline">
        <input type="checkbox" name="browser" value="1" checked={m.browser} id="segment-browser" />
        {t('browser')}
      </label>
      <p class="muted small">{t('browserHelp')}</p>
      {m.advanced ? (
        <fieldset>
          <legend>{t('json')}</legend>
          <label>
            {t('jsonLabel')}
            <textarea name="advanced" class="small-code" spellcheck={false} id="segment-json">
              {m.advanced}
            </textarea>
          </label>
          <div class="actions">
            <button type="submit" name="op" value="to-form" formnovalidate>
              {t('toForm')}
            </button>
          </div>
        </fieldset>
      ) : (
        <>
          <fieldset>
            <legend>{t('conditions')}</legend>
            <div class="row">
              <Select
                label={t('match')}
                name="match"
                value={m.match}
                options={[
                  ['all', t('matchAll')],
                  ['any', t('matchAny')],
                ]}
              />
            </div>
            {m.rows.length === 0 ? <p class="muted">{t('noRows')}</p> : null}
            {m.rows.map((r, i) => (
              <ConditionRow f={f} r={r} i={i} choices={own} />
            ))}
            <div class="actions">
              <Select
                label={t('addKind')}
                name="addKind"
                value="trait"
                options={COND_KINDS.map((k) => [k, f.t(`segments.kind.${k}`)])}
              />
              <button type="submit" name="op" value="add" id="add-condition" formnovalidate>
                {t('add')}
              </button>
            </div>
          </fieldset>
          <details>
            <summary>{t('json')}</summary>
            <pre id="segment-json-view">{JSON.stringify(toConditions(m), null, 2)}</pre>
            <div class="actions gap">
              <button type="submit" name="op" value="to-json" id="to-json" formnovalidate>
                {t('toJson')}
              </button>
            </div>
          </details>
        </>
      )}
      <PreviewResult f={f} preview={props.preview} issues={props.issues} />
      <div class="actions gap">
        <button type="submit" name="op" value="preview" id="preview" formnovalidate>
          {t('preview')}
        </button>
        <button type="submit" name="op" value="save" class="primary" id="save">
          {t('save')}
        </button>
      </div>
    </form>
  )
}

/**
 * Progressive enhancement: after a change, the form's fields (not its CSRF token) go to
 * GET /app/segments/preview and the count is replaced in place; one request at a time (a
 * change meanwhile asks again once it answers). A constant, never user data.
 */
export const PREVIEW_SCRIPT = `(() => {
  const form = document.getElementById('segment-builder');
  if (!form || !window.fetch) return;
  let timer = 0, seq = 0, busy = false, again = false;
  const run = async () => {
    if (busy) { again = true; return; }
    busy = true;
    const mine = ++seq;
    const query = new URLSearchParams(new FormData(form));
    query.delete('_csrf');
    query.delete('op');
    try {
      const res = await fetch('/app/segments/preview?' + query, { credentials: 'same-origin' });
      if (!res.ok || mine !== seq) return;
      const html = await res.text();
      if (mine !== seq) return;
      const tpl = document.createElement('template');
      tpl.innerHTML = html;
      const next = tpl.content.getElementById('segment-preview');
      const out = document.getElementById('segment-preview');
      if (next && out) out.replaceWith(next);
    } catch (e) {}
    busy = false;
    if (again) { again = false; run(); }
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(run, 400); };
  form.addEventListener('input', later);
  form.addEventListener('change', later);
})();`
