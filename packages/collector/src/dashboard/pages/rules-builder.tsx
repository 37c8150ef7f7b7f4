/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// The visual rule builder: every rule and grade as form fields, no JSON needed. Buttons post
// the whole form with an `op` (add, move, delete, preview, save); nothing is saved but by Save.
import type { SeenInWorkspace } from '../port.js'
import { TRAIT_OPS, TRAIT_ROWS, type RuleModel, type RulesModel } from '../rules-model.js'
import type { Fmt } from '../views/intl.js'

/** A labelled text or number field (the segment builder uses it too). */
export function Input(props: {
  label: string
  name: string
  value: string
  size?: number
  list?: string
  type?: string
  required?: boolean
}) {
  return (
    <label>
      {props.label}
      <input
        name={props.name}
        value={props.value}
        size={props.size ?? 10}
        list={props.list}
        type={props.type ?? 'text'}
        required={props.required}
      />
    </label>
  )
}

function EngagementFields(props: { f: Fmt; p: string; r: RuleModel }) {
  const { f, p, r } = props
  return (
    <fieldset>
      <legend>{f.t('builder.when')}</legend>
      <div class="row">
        <label>
          {f.t('builder.type')}
          <select name={`${p}type`}>
            {['', 'track', 'page', 'identify'].map((t) => (
              <option value={t} selected={t === r.type}>
                {f.t(`builder.type.${t || 'any'}`)}
              </option>
            ))}
          </select>
        </label>
        <Input
          label={f.t('builder.event')}
          name={`${p}event`}
          value={r.event}
          size={18}
          list="seen-events"
        />
        <Input
          label={f.t('builder.url')}
          name={`${p}url`}
          value={r.url}
          size={18}
          list="seen-paths"
        />
        <Input
          label={f.t('builder.countAtLeast')}
          name={`${p}countAtLeast`}
          value={r.countAtLeast}
          size={4}
          type="number"
        />
        <Input
          label={f.t('builder.countDays')}
          name={`${p}countDays`}
          value={r.countDays}
          size={4}
          type="number"
        />
      </div>
      <div class="row">
        <label class="inline">
          <input type="checkbox" name={`${p}capOnce`} value="1" checked={r.capOnce} />
          {f.t('builder.capOnce')}
        </label>
        <Input
          label={f.t('builder.capPerDay')}
          name={`${p}capPerDay`}
          value={r.capPerDay}
          size={4}
          type="number"
        />
        <Input
          label={f.t('builder.capPerWeek')}
          name={`${p}capPerWeek`}
          value={r.capPerWeek}
          size={4}
          type="number"
        />
      </div>
    </fieldset>
  )
}

function FitFields(props: { f: Fmt; p: string; r: RuleModel }) {
  const { f, p, r } = props
  return (
    <fieldset>
      <legend>{f.t('builder.traitsAll')}</legend>
      {Array.from({ length: TRAIT_ROWS }, (_, k) => {
        const t = r.traits[k] ?? { name: '', op: 'eq', value: '' }
        return (
          <div class="row">
            <Input
              label={f.t('builder.trait')}
              name={`${p}t${k}.name`}
              value={t.name}
              size={14}
              list="seen-traits"
            />
            <label>
              {f.t('builder.op')}
              <select name={`${p}t${k}.op`}>
                {TRAIT_OPS.map((op) => (
                  <option value={op} selected={op === t.op}>
                    {f.t(`builder.op.${op}`)}
                  </option>
                ))}
              </select>
            </label>
            <Input
              label={f.t('builder.value')}
              name={`${p}t${k}.value`}
              value={t.value}
              size={18}
            />
          </div>
        )
      })}
    </fieldset>
  )
}

function RuleCard(props: { f: Fmt; r: RuleModel; i: number; last: boolean }) {
  const { f, r, i } = props
  const p = `r${i}.`
  return (
    <div class={`rule ${r.enabled ? '' : 'off'}`} id={`rule-${i}`} data-rule-id={r.id}>
      <input type="hidden" name={`${p}kind`} value={r.kind} />
      <div class="row">
        <strong>{`${i + 1}. ${f.t(`rules.kind.${r.kind}`)}`}</strong>
        <Input label={f.t('builder.name')} name={`${p}name`} value={r.name} size={26} required />
        <Input label={f.t('builder.id')} name={`${p}id`} value={r.id} size={16} required />
        <Input
          label={f.t('builder.points')}
          name={`${p}points`}
          value={r.points}
          size={5}
          type="number"
          required
        />
        <label class="inline">
          <input type="checkbox" name={`${p}enabled`} value="1" checked={r.enabled} />
          {f.t('builder.enabled')}
        </label>
      </div>
      <input type="hidden" name={`${p}description`} value={r.description} />
      {r.advanced ? (
        <label>
          {f.t('builder.advanced')}
          <textarea name={`${p}advanced`} class="small-code" spellcheck={false}>
            {r.advanced}
          </textarea>
        </label>
      ) : r.kind === 'fit' ? (
        <FitFields f={f} p={p} r={r} />
      ) : (
        <EngagementFields f={f} p={p} r={r} />
      )}
      <div class="actions">
        <button
          type="submit"
          name="op"
          value={`up:${i}`}
          disabled={i === 0}
          aria-label={f.t('builder.upOne', { n: i + 1 })}
        >
          ↑ {f.t('builder.up')}
        </button>
        <button
          type="submit"
          name="op"
          value={`down:${i}`}
          disabled={props.last}
          aria-label={f.t('builder.downOne', { n: i + 1 })}
        >
          ↓ {f.t('builder.down')}
        </button>
        <button
          type="submit"
          name="op"
          value={`delete:${i}`}
          class="danger"
          aria-label={f.t('builder.deleteOne', { n: i + 1 })}
        >
          {f.t('action.delete')}
        </button>
      </div>
    </div>
  )
}

/** Pickers of the event names, paths and traits seen in the workspace, for `list=` fields. */
export function SeenLists(props: { seen: SeenInWorkspace }) {
  const { seen } = props
  return (
    <>
      <datalist id="seen-events">
        {seen.events.map((e) => (
          <option value={e} />
        ))}
      </datalist>
      <datalist id="seen-paths">
        {seen.paths.map((e) => (
          <option value={`*${e}*`} />
        ))}
      </datalist>
      <datalist id="seen-traits">
        {seen.traits.map((e) => (
          <option value={e} />
        ))}
      </datalist>
    </>
  )
}

/** The builder form over the whole rule set. */
export function RulesBuilder(props: {
  f: Fmt
  csrf: string
  model: RulesModel
  seen: SeenInWorkspace
}) {
  const { f, model: m, seen } = props
  return (
    <form method="post" action="/app/rules/builder" id="builder" class="card">
      <input type="hidden" name="_csrf" value={props.csrf} />
      {/* Enter in a field previews: the first submit button is the form's default. */}
      <button type="submit" name="op" value="preview" hidden>
        {f.t('builder.preview')}
      </button>
      <input type="hidden" name="ruleCount" value={String(m.rules.length)} />
      <input type="hidden" name="gradeCount" value={String(m.grades.length)} />
      <input type="hidden" name="extra" value={JSON.stringify(m.extra)} />
      <SeenLists seen={seen} />
      <h2>{f.t('builder.title')}</h2>
      <p class="muted small">
        {f.t('builder.seen', {
          events: seen.events.length,
          paths: seen.paths.length,
          n: f.num(seen.sampled),
        })}
      </p>
      <fieldset>
        <legend>{f.t('builder.grades')}</legend>
        {m.grades.map((g, j) => (
          <div class="row">
            <Input
              label={f.t('builder.gradeName')}
              name={`g${j}.name`}
              value={g.name}
              size={12}
              required
            />
            {j === 0 ? (
              <span class="muted small">{f.t('builder.lowest')}</span>
            ) : (
              <>
                <Input
                  label={f.t('builder.gradeMin')}
                  name={`g${j}.min`}
                  value={g.min}
                  size={6}
                  type="number"
                  required
                />
                <button
                  type="submit"
                  name="op"
                  value={`delete-grade:${j}`}
                  class="danger"
                  aria-label={f.t('builder.deleteGrade', { name: g.name || j + 1 })}
                >
                  {f.t('action.delete')}
                </button>
              </>
            )}
          </div>
        ))}
        <button type="submit" name="op" value="add-grade">
          {f.t('builder.addGrade')}
        </button>
      </fieldset>
      <fieldset>
        <legend>{f.t('builder.decay')}</legend>
        <Input
          label={f.t('builder.halfLife')}
          name="halfLifeDays"
          value={m.halfLifeDays}
          size={6}
          type="number"
        />
        <p class="muted small">{f.t('builder.halfLifeHelp')}</p>
      </fieldset>
      {m.rules.map((r, i) => (
        <RuleCard f={f} r={r} i={i} last={i === m.rules.length - 1} />
      ))}
      <div class="actions">
        <button type="submit" name="op" value="add-engagement" id="add-engagement">
          {f.t('builder.addEngagement')}
        </button>
        <button type="submit" name="op" value="add-fit" id="add-fit">
          {f.t('builder.addFit')}
        </button>
      </div>
      <div class="actions gap">
        <button type="submit" name="op" value="preview" id="preview">
          {f.t('builder.preview')}
        </button>
        <button type="submit" name="op" value="save" class="primary" id="save">
          {f.t('builder.save')}
        </button>
      </div>
    </form>
  )
}
