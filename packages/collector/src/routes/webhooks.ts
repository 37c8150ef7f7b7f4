import { Hono } from 'hono'
import { z } from 'zod'
import type { Deps } from '../deps.js'
import type { KeyLookup, WebhookAdmin } from '../ports.js'
import type { Workspace } from '../ports.js'
import { CollectorError } from '../errors.js'
import { parseJson, readRequestBody } from '../ingest/read-body.js'
import { WEBHOOK_EVENTS } from '../webhooks/types.js'
import { WEBHOOK_FORMATS } from '../webhooks/chat-formats.js'
import { checkWebhookUrl } from '../webhooks/url-guard.js'
import { parseLimit } from './params.js'

type Env = { Variables: { workspace: Workspace } }

const webhookInput = z.object({
  url: z
    .string()
    .max(2048)
    .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'Must be an http(s) URL'),
  events: z
    .array(z.enum([...WEBHOOK_EVENTS, '*']))
    .min(1)
    .default(['*']),
  /** Chat destinations: docs/lifecycle.md, "Chat destinations". */
  format: z.enum(WEBHOOK_FORMATS).default('lodestone'),
  /** The vendor's signing secret (Feishu/Lark, DingTalk), for chat formats only. */
  secret: z.string().max(200).optional(),
})

/** Webhook endpoints (secret key): register, list, remove, and read the delivery log. */
export function webhookRoutes(deps: Deps<WebhookAdmin & KeyLookup>) {
  const app = new Hono<Env>()

  app.post('/webhooks', async (c) => {
    const parsed = webhookInput.safeParse(parseJson(await readRequestBody(c, 16 * 1024)))
    if (!parsed.success) {
      throw new CollectorError('bad_request', 'Invalid webhook', { issues: parsed.error.issues })
    }
    const refused = checkWebhookUrl(parsed.data.url, deps.config.webhooks)
    if (refused) {
      throw new CollectorError(
        'bad_request',
        `Webhook URL refused: ${refused} (LODESTONE_WEBHOOK_ALLOW_PRIVATE=1 allows internal targets)`,
        { issues: [{ path: ['url'], message: refused }] },
      )
    }
    const hook = await deps.store.createWebhook(c.var.workspace.id, parsed.data)
    return c.json(hook, 201)
  })

  app.get('/webhooks', async (c) =>
    c.json({ webhooks: await deps.store.listWebhooks(c.var.workspace.id) }),
  )

  app.delete('/webhooks/:id', async (c) => {
    if (!(await deps.store.deleteWebhook(c.var.workspace.id, c.req.param('id')))) {
      throw new CollectorError('not_found', 'No such webhook')
    }
    return c.json({ success: true })
  })

  app.get('/webhooks/:id/deliveries', async (c) => {
    const deliveries = await deps.store.listDeliveries(
      c.var.workspace.id,
      c.req.param('id'),
      parseLimit(c.req.query('limit'), 50, 500),
    )
    return c.json({ deliveries })
  })
  return app
}
