/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Fmt } from '../views/intl.js'

// Polls the first-event check every 2 seconds until an event has arrived, and copies snippets.
// Reads and writes text only (textContent), never HTML.
const SETUP_SCRIPT = `(() => {
  const box = document.getElementById('first-event')
  const text = document.getElementById('first-event-text')
  const check = async () => {
    try {
      const r = await fetch('/app/setup/status', { credentials: 'same-origin' })
      const s = await r.json()
      if (s.received) {
        box.classList.add('done')
        box.dataset.received = 'true'
        text.textContent = box.dataset.done.replace('{at}', s.at)
        return
      }
    } catch {}
    setTimeout(check, 2000)
  }
  if (box && box.dataset.received !== 'true') check()
  for (const b of document.querySelectorAll('button[data-copy]')) {
    b.addEventListener('click', async () => {
      const src = document.getElementById(b.dataset.copy)
      try {
        await navigator.clipboard.writeText(src.textContent)
        b.textContent = b.dataset.copied
      } catch {
        getSelection().selectAllChildren(src)
      }
    })
  }
})()`

function Snippet(props: { f: Fmt; id: string; title: string; code: string; note?: string }) {
  return (
    <section class="card snippet" aria-labelledby={`${props.id}-h`}>
      <div class="actions">
        <h2 id={`${props.id}-h`}>{props.title}</h2>
        <button type="button" data-copy={props.id} data-copied={props.f.t('setup.copied')}>
          {props.f.t('setup.copy')}
        </button>
      </div>
      {props.note ? <p class="muted small">{props.note}</p> : null}
      <pre tabindex={0} aria-label={props.title}>
        <code id={props.id}>{props.code}</code>
      </pre>
    </section>
  )
}

/** Onboarding: the snippets with this workspace's key and host, and the first-event check. */
export function SetupBody(props: {
  f: Fmt
  nonce: string
  csrf: string
  host: string
  writeKey: string | null
  first: { at: string } | null
}) {
  const { f, host } = props
  const key = props.writeKey ?? 'wk_…'
  const tag = `<script async src="${host}/sdk.js" data-write-key="${key}" data-host="${host}"></script>`
  const npm = `npm i @lodestone/sdk\n\nimport { createLodestone, capturePlugins } from '@lodestone/sdk'\n\nexport const lodestone = createLodestone()\nlodestone.load('${key}', {\n  host: '${host}',\n  plugins: capturePlugins(),\n})`
  const server = `curl ${host}/v1/track \\\n  -u '${key}:' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"userId": "u_42", "event": "Demo Requested"}'\n\n// Node 18+\nawait fetch('${host}/v1/identify', {\n  method: 'POST',\n  headers: {\n    'Content-Type': 'application/json',\n    Authorization: 'Basic ' + btoa('${key}:'),\n  },\n  body: JSON.stringify({ userId: 'u_42', traits: { email: 'ada@example.com' } }),\n})`
  const done = f.t('setup.received', { at: '{at}' })
  return (
    <>
      <h1>{f.t('nav.setup')}</h1>
      <p class="muted">{f.t('setup.intro')}</p>
      <div
        id="first-event"
        class={`check gap ${props.first ? 'done' : ''}`}
        role="status"
        aria-live="polite"
        data-received={props.first ? 'true' : 'false'}
        data-done={done}
      >
        <span id="first-event-text">
          {props.first
            ? f.t('setup.received', { at: f.dateTime(props.first.at) })
            : f.t('setup.waiting')}
        </span>
        {props.first ? null : (
          <a href="/app/setup" class="small">
            {f.t('setup.checkAgain')}
          </a>
        )}
      </div>
      <section class="card gap" aria-labelledby="key-h">
        <h2 id="key-h">{f.t('setup.key')}</h2>
        {props.writeKey ? (
          <p>
            <code id="write-key">{props.writeKey}</code>
          </p>
        ) : (
          <p class="muted">{f.t('setup.keyUnknown')}</p>
        )}
        <form method="post" action="/app/setup/key" class="actions">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <label class="inline">
            <input type="checkbox" name="confirm" value="1" required />
            {f.t('setup.keyConfirm')}
          </label>
          <button type="submit" id="issue-key">
            {props.writeKey ? f.t('setup.keyReplace') : f.t('setup.keyCreate')}
          </button>
        </form>
      </section>
      <Snippet
        f={f}
        id="snippet-tag"
        title={f.t('setup.tag')}
        note={f.t('setup.tagNote')}
        code={tag}
      />
      <Snippet f={f} id="snippet-npm" title={f.t('setup.npm')} code={npm} />
      <Snippet
        f={f}
        id="snippet-server"
        title={f.t('setup.server')}
        note={f.t('setup.serverNote')}
        code={server}
      />
      <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: SETUP_SCRIPT }} />
    </>
  )
}
