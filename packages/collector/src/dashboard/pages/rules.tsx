/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { RulesPreview, RulesVersion, SeenInWorkspace } from '../port.js'
import type { RulesModel } from '../rules-model.js'
import type { Fmt } from '../views/intl.js'
import { RulesBuilder } from './rules-builder.js'
import { gradeLabel } from '../views/grades.js'
import { When } from '../views/when.js'

export interface RuleIssue {
  path: string
  message: string
}

function Preview(props: { f: Fmt; p: RulesPreview }) {
  const { f, p } = props
  const before = new Map(p.before.map((g) => [g.grade, g.count]))
  return (
    <section
      class="card"
      id="preview-result"
      aria-labelledby="preview-h"
      data-changed={p.changed}
      data-examined={p.examined}
    >
      <h2 id="preview-h">{f.t('preview.title')}</h2>
      <p>
        <strong id="preview-changed">
          {f.t('preview.changed', { n: f.num(p.changed), of: f.num(p.examined) })}
        </strong>
      </p>
      <p class="muted small">
        {p.sampled
          ? f.t('preview.sampled', { n: f.num(p.examined), total: f.num(p.total) })
          : f.t('preview.exact', { total: f.num(p.total) })}
      </p>
      <div class="scroll" tabindex={0}>
        <table id="preview-grades">
          <thead>
            <tr>
              <th>{f.t('col.grade')}</th>
              <th class="num">{f.t('preview.before')}</th>
              <th class="num">{f.t('preview.after')}</th>
            </tr>
          </thead>
          <tbody>
            {p.after.map((g) => (
              <tr data-grade={g.grade} data-after={g.count}>
                <td>{g.grade ? gradeLabel(f.locale, g.grade) : f.t('preview.ungraded')}</td>
                <td class="num">{f.num(before.get(g.grade) ?? 0)}</td>
                <td class="num">{f.num(g.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>{f.t('preview.movers')}</h3>
      {p.movers.length === 0 ? (
        <p class="muted">{f.t('preview.noMovers')}</p>
      ) : (
        <div class="scroll" tabindex={0}>
          <table id="preview-movers">
            <tbody>
              {p.movers.map((m) => (
                <tr>
                  <td>
                    <a href={`/app/contacts/${m.id}`}>
                      {m.label ?? f.t('contact.anonymous', { id: m.id.slice(0, 8) })}
                    </a>
                  </td>
                  <td class="num">{`${f.num(m.beforeTotal)} → ${f.num(m.afterTotal)}`}</td>
                  <td>
                    {m.beforeGrade === m.afterGrade
                      ? m.afterGrade
                      : `${m.beforeGrade} → ${m.afterGrade}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function Versions(props: { f: Fmt; csrf: string; versions: RulesVersion[]; current: number }) {
  const { f } = props
  return (
    <section class="card" aria-labelledby="versions-h">
      <h2 id="versions-h">{f.t('rules.versions')}</h2>
      {props.versions.length === 0 ? (
        <p class="muted">{f.t('rules.noVersions')}</p>
      ) : (
        <div class="scroll" tabindex={0}>
          <table id="versions">
            <tbody>
              {props.versions.map((v) => (
                <tr>
                  <td>{f.t('rules.version', { n: v.version })}</td>
                  <td class="date">
                    <When f={f} at={v.createdAt} />
                  </td>
                  <td>
                    {v.version === props.current ? (
                      <span class="muted">{f.t('rules.current')}</span>
                    ) : (
                      <form method="post" action="/app/rules/restore" class="inline">
                        <input type="hidden" name="_csrf" value={props.csrf} />
                        <input type="hidden" name="version" value={String(v.version)} />
                        <button type="submit">{f.t('rules.restore', { n: v.version })}</button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** The scoring rules: visual builder, preview, the JSON (advanced), and every version. */
export function RulesBody(props: {
  f: Fmt
  csrf: string
  version: number
  updatedAt: string | null
  model: RulesModel
  text: string
  seen: SeenInWorkspace
  versions: RulesVersion[]
  issues: RuleIssue[]
  preview?: RulesPreview
  saved?: { version: number; rescored: number; changed: number }
  jsonOpen?: boolean
}) {
  const { f } = props
  return (
    <>
      <h1>{f.t('rules.title')}</h1>
      <p class="muted">
        {props.version === 0
          ? f.t('rules.defaults')
          : f.t('rules.versionAt', { n: props.version, at: f.dateTime(props.updatedAt) })}{' '}
        {f.t('rules.help')}
      </p>
      {props.saved ? (
        <p class="ok" role="status" id="saved">
          {f.t('rules.saved', {
            n: props.saved.version,
            rescored: f.num(props.saved.rescored),
            changed: f.num(props.saved.changed),
          })}
        </p>
      ) : null}
      {props.issues.length > 0 ? (
        <div class="card error" role="alert" id="issues">
          <h2>{f.t('rules.problems')}</h2>
          <ul>
            {props.issues.map((i) => (
              <li>
                {i.path ? <code>{i.path}</code> : null} {i.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {props.preview ? <Preview f={f} p={props.preview} /> : null}
      <RulesBuilder f={f} csrf={props.csrf} model={props.model} seen={props.seen} />
      <details class="card" open={props.jsonOpen} id="json">
        <summary>{f.t('rules.json')}</summary>
        <p class="muted small">{f.t('rules.jsonHelp')}</p>
        <form method="post" action="/app/rules">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <textarea name="rules" spellcheck={false} aria-label={f.t('rules.json')}>
            {props.text}
          </textarea>
          <div class="actions">
            <button type="submit" name="op" value="preview">
              {f.t('builder.preview')}
            </button>
            <button class="primary" type="submit" name="op" value="save">
              {f.t('rules.validateSave')}
            </button>
          </div>
        </form>
      </details>
      <Versions f={f} csrf={props.csrf} versions={props.versions} current={props.version} />
    </>
  )
}
