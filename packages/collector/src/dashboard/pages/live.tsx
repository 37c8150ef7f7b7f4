/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'
import type { Fmt } from '../views/intl.js'
import { defaultGradeLabels } from '../views/grades.js'

// Progressive enhancement: the page works as a plain document; with script it subscribes to
// /app/live/stream (same origin, the session cookie authenticates) and prepends entries, writing
// every value with textContent so nothing from an event is ever parsed as HTML.
const LIVE_SCRIPT = `(() => {
  const feed = document.getElementById('feed')
  const status = document.getElementById('status')
  const msg = JSON.parse(feed.dataset.i18n)
  const fill = (s, v) => s.replace(/\\{(\\w+)\\}/g, (m, k) => (k in v ? String(v[k]) : m))
  const fmt = new Intl.NumberFormat(document.documentElement.lang, { maximumFractionDigits: 1 })
  // 24-hour like the dashboard's tables (views/intl.ts)
  const clock = new Intl.DateTimeFormat(document.documentElement.lang, { timeStyle: 'medium', hourCycle: 'h23', timeZone: feed.dataset.tz })
  const empty = document.getElementById('empty')
  // an entry's line shows when the collector stored it (an entry replayed after a reconnect keeps
  // its own time), else when it arrived
  const add = (kind, text, href, at) => {
    if (empty) empty.remove()
    const li = document.createElement('li')
    li.className = kind
    const t = document.createElement('time')
    const when = new Date(typeof at === 'string' ? at : Date.now())
    const shown = Number.isNaN(when.getTime()) ? new Date() : when
    t.dateTime = shown.toISOString()
    t.textContent = clock.format(shown)
    li.append(t)
    if (href) {
      const a = document.createElement('a')
      a.href = href
      a.textContent = text
      li.append(a)
    } else li.append(text)
    feed.prepend(li)
    while (feed.children.length > 200) feed.lastElementChild.remove()
  }
  const who = (x) => (x.label || fill(msg.anonymous, { id: String(x.contactId).slice(0, 8) }))
  const link = (x) => '/app/contacts/' + encodeURIComponent(x.contactId)
  const grade = (n) => (Object.hasOwn(msg.grades, n) ? msg.grades[n] : n)
  const es = new EventSource('/app/live/stream')
  es.addEventListener('ready', () => { status.textContent = msg.connected })
  es.addEventListener('error', () => { status.textContent = msg.reconnecting })
  // a track is named by its event; page views and identifies in the reader's language, an
  // untitled page view by its path
  const what = (e) => {
    const type = e.type === 'track' ? '' : Object.hasOwn(msg.types, e.type) ? msg.types[e.type] : e.type
    return (type + ' ' + (e.name || e.path || '')).replace(/\\s+/g, ' ').trim()
  }
  // the score and grade change a stored batch caused, folded into its visit's line by the
  // collector (dashboard/live-fold.ts)
  const changed = (ch) => {
    if (!ch) return []
    const parts = [fill(msg.scoreChange, { from: fmt.format(ch.previousTotal), to: fmt.format(ch.total) })]
    if (ch.grade !== undefined) parts.push(fill(msg.gradeChange, { from: ch.previousGrade ? grade(ch.previousGrade) : msg.none, to: grade(ch.grade) }))
    return parts
  }
  es.addEventListener('events', (m) => {
    // one line per contact in a stored batch (a visit's identify and page views together), its
    // first three events named and the rest counted, then its score and grade change
    const data = JSON.parse(m.data)
    const changes = data.changes || {}
    const byContact = new Map()
    for (const e of data.events) {
      const list = byContact.get(e.contactId)
      if (list) list.push(e)
      else byContact.set(e.contactId, [e])
    }
    for (const list of byContact.values()) {
      const names = list.slice(0, 3).map(what)
      if (list.length > 3) names.push('+' + fmt.format(list.length - 3))
      names.push(...changed(Object.hasOwn(changes, list[0].contactId) ? changes[list[0].contactId] : null))
      add('event', fill(msg.event, { who: who(list[0]), type: '', name: names.join(' · ') }).replace(/\\s+/g, ' ').replace('： ', '：').trim(), link(list[0]), data.at)
    }
  })
  es.addEventListener('score', (m) => {
    const s = JSON.parse(m.data)
    const d = Math.round((s.total - s.previousTotal) * 10) / 10
    add('score', fill(msg.score, { who: who(s), total: fmt.format(s.total), delta: (d > 0 ? '+' : '') + fmt.format(d) }), link(s), s.at)
  })
  es.addEventListener('alert', (m) => {
    const a = JSON.parse(m.data)
    add('alert', who(a) + ': ' + (a.name || a.ruleId) + ' · ' + a.message, link(a), a.at)
  })
  // The collector dropped this page for falling behind (live/subscriber.ts): say what was missed;
  // the stream ends and EventSource reconnects.
  es.addEventListener('overflow', (m) => {
    add('gap', fill(msg.overflow, { n: fmt.format(JSON.parse(m.data).dropped) }))
  })
  // Reconnected with an id the collector could not resume from (live/feed.ts): entries from
  // while the page was away are missing; those it could resume come as usual.
  es.addEventListener('reset', () => add('gap', msg.reset))
  es.addEventListener('Contact Grade Changed', (m) => {
    const g = JSON.parse(m.data)
    add('grade', fill(msg.grade, { who: who(g), from: g.previousGrade ? grade(g.previousGrade) : msg.none, to: grade(g.grade) }), link(g), g.at)
  })
})()`

/** Events, score changes and grade crossings as they arrive. */
export function LiveBody(props: { f: Fmt; nonce: string; alerts?: Child }) {
  const { f } = props
  const i18n = JSON.stringify({
    connected: f.t('live.connected'),
    reconnecting: f.t('live.reconnecting'),
    anonymous: f.t('contact.anonymous'),
    event: f.t('live.event'),
    score: f.t('live.score'),
    grade: f.t('live.grade'),
    none: f.t('live.none'),
    overflow: f.t('live.overflow'),
    scoreChange: f.t('live.scoreChange'),
    gradeChange: f.t('live.gradeChange'),
    reset: f.t('live.reset'),
    types: { page: f.t('timeline.pageView'), identify: f.t('timeline.identify') },
    grades: defaultGradeLabels(f.locale),
  })
  return (
    <>
      <h1>{f.t('nav.live')}</h1>
      <p id="status" class="muted" role="status">
        {f.t('live.connecting')}
      </p>
      {props.alerts}
      <section class="card">
        <ul id="feed" class="feed" data-i18n={i18n} data-tz={f.timeZone} aria-live="polite">
          <li id="empty" class="muted">
            {f.t('live.waiting')}
          </li>
        </ul>
      </section>
      {/* a constant, never user data */}
      <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: LIVE_SCRIPT }} />
    </>
  )
}
