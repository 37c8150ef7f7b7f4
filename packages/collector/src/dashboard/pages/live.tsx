/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'

// Progressive enhancement: the page works as a plain document; with script it subscribes to
// /app/live/stream (same origin, the session cookie authenticates) and prepends entries, writing
// every value with textContent so nothing from an event is ever parsed as HTML.
const LIVE_SCRIPT = `(() => {
  const feed = document.getElementById('feed')
  const status = document.getElementById('status')
  const empty = document.getElementById('empty')
  const add = (kind, text, href) => {
    if (empty) empty.remove()
    const li = document.createElement('li')
    li.className = kind
    const t = document.createElement('time')
    t.textContent = new Date().toISOString().slice(11, 19)
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
  const who = (x) => (x.label || 'Anonymous ' + String(x.contactId).slice(0, 8))
  const link = (x) => '/app/contacts/' + encodeURIComponent(x.contactId)
  const es = new EventSource('/app/live/stream')
  es.addEventListener('ready', () => { status.textContent = 'Connected: new activity appears here.' })
  es.addEventListener('error', () => { status.textContent = 'Reconnecting…' })
  es.addEventListener('events', (m) => {
    for (const e of JSON.parse(m.data).events) {
      add('event', who(e) + ': ' + e.type + (e.name ? ' ' + e.name : ''), link(e))
    }
  })
  es.addEventListener('score', (m) => {
    const s = JSON.parse(m.data)
    const d = Math.round((s.total - s.previousTotal) * 10) / 10
    add('score', who(s) + ': score ' + Math.round(s.total * 10) / 10 + ' (' + (d > 0 ? '+' : '') + d + ')', link(s))
  })
  es.addEventListener('alert', (m) => {
    const a = JSON.parse(m.data)
    add('alert', who(a) + ': ' + (a.name || a.ruleId) + ' · ' + a.message, link(a))
  })
  es.addEventListener('Contact Grade Changed', (m) => {
    const g = JSON.parse(m.data)
    add('grade', who(g) + ': grade ' + (g.previousGrade || 'none') + ' → ' + g.grade, link(g))
  })
})()`

/** Events, score changes and grade crossings as they arrive. */
export function LiveBody(props: { nonce: string; alerts?: Child }) {
  return (
    <>
      <h1>Live</h1>
      <p id="status" class="muted">
        Connecting… (this page needs JavaScript for live updates)
      </p>
      {props.alerts}
      <section class="card">
        <ul id="feed" class="feed">
          <li id="empty" class="muted">
            Waiting for activity.
          </li>
        </ul>
      </section>
      {/* a constant, never user data */}
      <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: LIVE_SCRIPT }} />
    </>
  )
}
