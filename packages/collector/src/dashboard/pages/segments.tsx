/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// The Segments page (list with member counts) and one segment's page (back-fill progress,
// size over time, members, exports, public switch). docs/segments.md, docs/dashboard.md.
import type { SegmentView } from '../../segments/port.js'
import type { ScoreNow } from '@lodestone/scoring'
import { BarChart } from '../views/charts.js'
import { EmptyState } from '../views/empty.js'
import { contactLabel } from '../views/format.js'
import type { Fmt } from '../views/intl.js'
import { GradeBadge } from '../views/layout.js'
import { When } from '../views/when.js'

function Status(props: { f: Fmt; s: SegmentView }) {
  const { f, s } = props
  if (s.status === 'ready') return <span class="ok">{f.t('segments.status.ready')}</span>
  return (
    <span class="nowrap">
      {f.t('segments.status.building', {
        done: f.num(s.progress.done),
        total: f.num(s.progress.total),
      })}
    </span>
  )
}

/** Every segment with its member count; a link to build a new one. */
export function SegmentsBody(props: { f: Fmt; segments: SegmentView[]; canWrite: boolean }) {
  const { f, segments } = props
  return (
    <>
      <h1>{f.t('segments.title')}</h1>
      <p class="muted">{f.t('segments.intro')}</p>
      {props.canWrite ? (
        <p>
          <a class="button primary" href="/app/segments/new" id="new-segment">
            {f.t('segments.new')}
          </a>
        </p>
      ) : null}
      {segments.length === 0 ? (
        <EmptyState
          f={f}
          title={f.t('segments.empty.title')}
          body={f.t(props.canWrite ? 'segments.empty.body' : 'segments.empty.bodyViewer')}
          href={props.canWrite ? '/app/segments/new' : undefined}
          action={f.t('segments.new')}
        />
      ) : (
        <div class="card">
          <div class="scroll" tabindex={0} role="region" aria-label={f.t('segments.title')}>
            <table id="segments">
              <thead>
                <tr>
                  <th>{f.t('segments.col.name')}</th>
                  <th class="num">{f.t('segments.col.members')}</th>
                  <th>{f.t('segments.col.status')}</th>
                  <th>{f.t('segments.col.public')}</th>
                  <th>{f.t('segments.col.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {segments.map((s) => (
                  <tr data-id={s.id} data-members={s.members}>
                    <td>
                      <a href={`/app/segments/${s.id}`}>{s.name}</a>{' '}
                      <span class="muted small">{s.key}</span>
                    </td>
                    <td class="num">{f.num(s.members)}</td>
                    <td>
                      <Status f={f} s={s} />
                    </td>
                    <td>{s.browser ? f.t('segments.public.yes') : f.t('segments.public.no')}</td>
                    <td class="nowrap">
                      <When f={f} at={s.updatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </>
  )
}

/** While a segment fills, its page reloads itself every few seconds. A constant. */
const RELOAD_SCRIPT = `setTimeout(() => location.reload(), 4000)`

export interface MemberRow {
  id: string
  traits: Record<string, unknown>
  lastSeen: string
  score: ScoreNow
}

/** One segment: status, size over time, members (paged), exports and the public switch. */
export function SegmentBody(props: {
  f: Fmt
  csrf: string
  nonce: string
  segment: SegmentView & { daily: { day: string; members: number }[] }
  members: MemberRow[]
  next: string | null
  /** Showing a page after the first. */
  paged: boolean
  topGrade: string | null
  canWrite: boolean
  canExport: boolean
  saved: boolean
}) {
  const { f, segment: s } = props
  const building = s.status === 'building'
  return (
    <>
      <p class="small">
        <a href="/app/segments">{f.t('segments.back')}</a>
      </p>
      <h1>{s.name}</h1>
      {s.description ? <p>{s.description}</p> : null}
      {props.saved ? (
        <p class="banner" id="saved" role="status">
          {f.t('segments.saved')}
        </p>
      ) : null}
      <div class="panel-grid">
        <div class="card">
          <div class="muted small">{f.t('segments.col.members')}</div>
          <div class="stat" id="segment-members" data-members={s.members}>
            {f.num(s.members)}
          </div>
        </div>
        <div class="card" id="segment-status" data-status={s.status}>
          <div class="muted small">{f.t('segments.col.status')}</div>
          <div>
            <Status f={f} s={s} />
          </div>
          {building ? (
            <>
              <progress
                value={s.progress.done}
                max={Math.max(1, s.progress.total)}
                aria-label={f.t('segments.backfill')}
              />
              <p class="muted small">
                {f.t('segments.backfillNote')}{' '}
                <a href={`/app/segments/${s.id}`}>{f.t('segments.refresh')}</a>
              </p>
              <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: RELOAD_SCRIPT }} />
            </>
          ) : null}
        </div>
        <div class="card">
          <div class="muted small">{f.t('segments.key')}</div>
          <div>
            <code>{s.key}</code>
          </div>
          <div class="muted small">
            {s.browser ? f.t('segments.public.yes') : f.t('segments.public.no')}
          </div>
        </div>
      </div>
      <div class="actions">
        {props.canWrite ? (
          <>
            <a class="button" href={`/app/segments/${s.id}/edit`} id="edit-segment">
              {f.t('segments.edit')}
            </a>
            <form method="post" action={`/app/segments/${s.id}/browser`} class="inline">
              <input type="hidden" name="_csrf" value={props.csrf} />
              <input type="hidden" name="browser" value={s.browser ? '0' : '1'} />
              <button type="submit" id="toggle-public">
                {f.t(s.browser ? 'segments.makePrivate' : 'segments.makePublic')}
              </button>
            </form>
          </>
        ) : null}
        {props.canExport ? (
          <>
            <a
              class="button"
              href={`/v1/segments/${s.id}/export?format=csv&bom=1`}
              id="export-csv"
              download
            >
              {f.t('segments.exportCsv')}
            </a>
            <a
              class="button"
              href={`/v1/segments/${s.id}/export?format=json`}
              id="export-json"
              download
            >
              {f.t('segments.exportJson')}
            </a>
          </>
        ) : null}
        <a class="button" href={`/app/contacts?segment=${s.id}`}>
          {f.t('segments.inContacts')}
        </a>
      </div>
      <section class="card gap" aria-labelledby="size-h">
        <h2 id="size-h">{f.t('segments.size')}</h2>
        {s.daily.length === 0 ? (
          <p class="muted" id="size-empty">
            {f.t('segments.sizeEmpty')}
          </p>
        ) : (
          <BarChart
            locale={f.locale}
            label={f.t('segments.size')}
            empty={f.t('segments.sizeEmpty')}
            labelEvery={Math.max(1, Math.ceil(s.daily.length / 8))}
            bars={s.daily.map((d) => ({
              label: d.day.slice(5),
              value: d.members,
              title: `${d.day}: ${f.num(d.members)}`,
            }))}
          />
        )}
      </section>
      <section class="card" aria-labelledby="members-h">
        <h2 id="members-h">{f.t('segments.membersTitle')}</h2>
        {props.members.length === 0 ? (
          <p class="muted" id="members-empty">
            {f.t(building ? 'segments.membersBuilding' : 'segments.membersEmpty')}
          </p>
        ) : (
          <div class="scroll" tabindex={0} role="region" aria-labelledby="members-h">
            <table id="members">
              <thead>
                <tr>
                  <th>{f.t('segments.col.contact')}</th>
                  <th class="num">{f.t('segments.col.score')}</th>
                  <th>{f.t('segments.col.grade')}</th>
                  <th>{f.t('segments.col.lastSeen')}</th>
                </tr>
              </thead>
              <tbody>
                {props.members.map((m) => (
                  <tr data-id={m.id} data-total={m.score.total}>
                    <td class="name">
                      <a href={`/app/contacts/${m.id}`}>{contactLabel(m.traits, m.id, f)}</a>
                    </td>
                    <td class="num">{f.num(m.score.total)}</td>
                    <td>
                      <GradeBadge locale={f.locale} grade={m.score.grade} top={props.topGrade} />
                    </td>
                    <td class="nowrap">
                      <When f={f} at={m.lastSeen} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.next || props.paged ? (
          <p class="pager">
            {props.paged ? <a href={`/app/segments/${s.id}`}>{f.t('segments.firstPage')}</a> : null}
            {props.next ? (
              <a href={`/app/segments/${s.id}?cursor=${encodeURIComponent(props.next)}`} id="next">
                {f.t('segments.nextPage')}
              </a>
            ) : null}
          </p>
        ) : null}
      </section>
      {props.canWrite ? (
        <form method="post" action={`/app/segments/${s.id}/delete`} class="gap">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <button type="submit" class="danger" id="delete-segment">
            {f.t('segments.delete')}
          </button>
        </form>
      ) : null}
    </>
  )
}
