import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { createWebhookWorker } from './worker.js'

// Chat destinations end to end: an alert fires, the outbox worker posts it to one loopback
// receiver per vendor. The receivers are stand-ins for the vendors' servers, built from their
// public docs (incoming webhooks of Slack; custom bots of Feishu/Lark and DingTalk; WeCom group
// robots): each checks the documented payload shape and, where the vendor signs, recomputes the
// signature with node:crypto (independently of the WebCrypto code that made it) and answers as
// the vendor does, including its error codes.

const FEISHU_SECRET = 'feishu-secret-1'
const DINGTALK_SECRET = 'SECdingtalk-secret-2'
const HOUR = 3_600_000

interface Seen {
  vendor: string
  ok: boolean
  body: Record<string, unknown>
  query: URLSearchParams
}

const isText = (v: unknown) => typeof v === 'string' && v.length > 0

/** What each vendor's server would say about a request: null when it accepts it. */
const receivers: Record<string, (q: URLSearchParams, b: Record<string, unknown>) => string | null> =
  {
    slack: (_q, b) => {
      if (!isText(b.text)) return 'no_text'
      const blocks = b.blocks as { type: string; text?: { type: string; text: string } }[]
      if (blocks && !blocks.every((x) => x.type === 'section' && x.text?.type === 'mrkdwn'))
        return 'invalid_blocks'
      return null
    },
    feishu: (q, b) => {
      const secret = q.get('wrong') ? 'not-the-secret' : FEISHU_SECRET
      if (b.msg_type !== 'text' || !isText((b.content as { text?: unknown })?.text))
        return 'bad message'
      const ts = Number(b.timestamp)
      if (typeof b.timestamp !== 'string' || !/^\d+$/.test(b.timestamp)) return 'bad timestamp'
      if (Math.abs(Date.now() - ts * 1000) > HOUR) return '19021'
      const sign = createHmac('sha256', `${ts}\n${secret}`).update('').digest('base64')
      return b.sign === sign ? null : '19021'
    },
    dingtalk: (q, b) => {
      if (!q.get('access_token')) return '300001'
      const ts = Number(q.get('timestamp'))
      if (!Number.isInteger(ts) || Math.abs(Date.now() - ts) > HOUR) return '310000'
      const sign = createHmac('sha256', DINGTALK_SECRET).update(`${ts}\n${DINGTALK_SECRET}`)
      if (q.get('sign') !== sign.digest('base64')) return '310000'
      const md = b.markdown as { title?: unknown; text?: unknown } | undefined
      return b.msgtype === 'markdown' && isText(md?.title) && isText(md?.text) ? null : '40035'
    },
    wecom: (q, b) => {
      if (!q.get('key')) return '93000'
      const content = (b.markdown as { content?: unknown } | undefined)?.content
      if (b.msgtype !== 'markdown' || !isText(content)) return '40008'
      return Buffer.byteLength(content as string) <= 4096 ? null : '40058'
    },
  }

describe('chat destinations: Slack, Feishu/Lark, DingTalk, WeCom', () => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  let server: Server
  let base = ''
  const seen: Seen[] = []

  beforeAll(async () => {
    store = await openTestStore('postgres')
    // The receivers listen on loopback, which webhooks refuse unless private targets are allowed.
    t = await createTestApp(store, undefined, { webhooks: { allowPrivate: true } })
    server = createServer((req, res) => {
      let text = ''
      req.on('data', (d) => (text += d))
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x')
        const vendor = url.pathname.slice(1)
        const body = JSON.parse(text) as Record<string, unknown>
        const problem = receivers[vendor]!(url.searchParams, body)
        seen.push({ vendor, ok: problem === null, body, query: url.searchParams })
        res.setHeader('content-type', vendor === 'slack' ? 'text/plain' : 'application/json')
        if (vendor === 'slack') return res.writeHead(problem ? 400 : 200).end(problem ?? 'ok')
        if (vendor === 'feishu')
          return res.end(
            JSON.stringify(
              problem
                ? { code: Number(problem), msg: 'sign match fail' }
                : { code: 0, msg: 'success' },
            ),
          )
        res.end(
          JSON.stringify({
            errcode: problem ? Number(problem) : 0,
            errmsg: problem ? 'error' : 'ok',
          }),
        )
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const addr = server.address()
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  })
  afterAll(async () => {
    server.close()
    await store.close()
  })

  const register = async (body: object) => {
    const res = await t.app.request('/v1/webhooks', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: ['alert.fired'], ...body }),
    })
    expect(res.status).toBe(201)
    return (await res.json()) as { id: string; format: string; secret?: string }
  }

  it('posts a fired alert to each vendor in its documented format, signed where it signs', async () => {
    const hooks = {
      slack: await register({ url: `${base}/slack`, format: 'slack' }),
      feishu: await register({ url: `${base}/feishu`, format: 'feishu', secret: FEISHU_SECRET }),
      dingtalk: await register({
        url: `${base}/dingtalk?access_token=tok123`,
        format: 'dingtalk',
        secret: DINGTALK_SECRET,
      }),
      wecom: await register({ url: `${base}/wecom?key=k-1`, format: 'wecom' }),
      wrong: await register({
        url: `${base}/feishu?wrong=1`,
        format: 'feishu',
        secret: FEISHU_SECRET,
      }),
    }
    // A vendor secret is never echoed back.
    expect(hooks.feishu.secret).toBeUndefined()
    expect(hooks.feishu.format).toBe('feishu')

    const res = await t.post(
      '/v1/batch',
      {
        batch: [
          {
            type: 'track',
            userId: 'chat-1',
            event: 'Survey Responded',
            properties: { kind: 'csat', score: 1, comment: 'Slow' },
          },
        ],
      },
      { authorization: `Bearer ${t.ws.secretKey}` },
    )
    expect(res.status).toBe(200)

    const worker = createWebhookWorker({ outbox: store, allowPrivate: true })
    for (let i = 0; i < 20 && seen.length < 5; i++) await worker.tick()

    const by = (v: string, ok = true) => seen.filter((s) => s.vendor === v && s.ok === ok)
    expect(by('slack')).toHaveLength(1)
    expect(by('feishu')).toHaveLength(1)
    expect(by('dingtalk')).toHaveLength(1)
    expect(by('wecom')).toHaveLength(1)
    // The message says what happened (the default csat-low rule).
    expect(String(by('slack')[0]!.body.text)).toContain('Unhappy customer')
    expect(String((by('wecom')[0]!.body.markdown as { content: string }).content)).toContain(
      'CSAT 1 is below 3',
    )
    expect(by('dingtalk')[0]!.query.get('access_token')).toBe('tok123')

    // The receiver with another secret refused the signature: the delivery is not "delivered".
    expect(by('feishu', false)).toHaveLength(1)
    const log = async (id: string) => (await store.listDeliveries(t.ws.id, id, 10))[0]!
    expect(await log(hooks.wrong.id)).toMatchObject({
      status: 'pending',
      lastError: 'vendor error 19021',
    })
    for (const v of ['slack', 'feishu', 'dingtalk', 'wecom'] as const)
      expect((await log(hooks[v].id)).status).toBe('delivered')
  })

  it('refuses an unknown format', async () => {
    const res = await t.app.request('/v1/webhooks', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${base}/x`, format: 'teams' }),
    })
    expect(res.status).toBe(400)
  })
})
