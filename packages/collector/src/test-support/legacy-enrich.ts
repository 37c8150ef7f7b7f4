// The ingest path's enrichment as it was before it was made per request (issue 20), frozen as
// the oracle of ingest/enrich.test.ts: the current code must give the same events.
import ipaddr from 'ipaddr.js'
import type { EnrichedEvent } from '../ports.js'
import type { RequestFacts } from '../ingest/enrich.js'
import type { ValidEvent } from '../ingest/validate.js'
import { parseUserAgent } from '../ingest/user-agent.js'
import { cleanJson } from '../ingest/sanitize.js'

const UTM_KEYS: Record<string, string> = {
  utm_source: 'source',
  utm_medium: 'medium',
  utm_campaign: 'name',
  utm_term: 'term',
  utm_content: 'content',
}

function tryUrl(s: unknown): URL | null {
  if (typeof s !== 'string' || s.length > 4096) return null
  try {
    return new URL(s)
  } catch {
    return null
  }
}

/** `utm_*` query parameters of a page URL, as Segment's `context.campaign`. */
function campaignFromUrl(url: unknown): Record<string, string> | null {
  const u = tryUrl(url)
  if (!u) return null
  const out: Record<string, string> = {}
  for (const [param, field] of Object.entries(UTM_KEYS)) {
    const v = u.searchParams.get(param)
    if (v) out[field] = v.slice(0, 256)
  }
  return Object.keys(out).length > 0 ? out : null
}

/**
 * The network part of an address, as stored with `LODESTONE_ANONYMIZE_IP`: IPv4 keeps its /24
 * (`203.0.113.77` → `203.0.113.0`), IPv6 its /48 (`2001:db8:85a3:1::7` → `2001:db8:85a3::`), an
 * IPv4-mapped IPv6 address counts as the IPv4 address it carries. Null for anything that is not
 * an address: a client-sent `context.ip` may hold any text, and text is not stored in its place.
 */
function anonymizeIp(ip: string): string | null {
  let addr: ipaddr.IPv4 | ipaddr.IPv6
  if (ipaddr.IPv4.isValidFourPartDecimal(ip)) addr = ipaddr.IPv4.parse(ip)
  else if (ipaddr.IPv6.isValid(ip)) addr = ipaddr.process(ip)
  else return null
  const bytes = addr.toByteArray()
  bytes.fill(0, addr.kind() === 'ipv4' ? 3 : 6)
  return ipaddr.fromByteArray(bytes).toString()
}

/**
 * Corrects a client timestamp for the client's clock skew, as Segment does:
 * timestamp = receivedAt − (sentAt − originalTimestamp).
 */
function correctSkew(
  original: string | undefined,
  sentAt: string | undefined,
  receivedAt: Date,
): string {
  if (!original) return receivedAt.toISOString()
  if (!sentAt) return original
  const t = receivedAt.getTime() - (Date.parse(sentAt) - Date.parse(original))
  const d = new Date(t)
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1900 || d.getUTCFullYear() > 9999
    ? original
    : d.toISOString()
}

/** Adds received time, IP, parsed user agent, campaign and referrer domain; fixes clock skew. */
export function legacyEnrich(
  v: ValidEvent,
  envelope: { sentAt?: string; context?: Record<string, unknown> },
  facts: RequestFacts,
): EnrichedEvent {
  const clean = <T>(x: T): T => (facts.clean ? (cleanJson(x) as T) : x)
  const e = clean(v.event)
  const raw = clean(v.raw) as Record<string, unknown>
  const context: Record<string, unknown> = {
    ...(clean(envelope.context) ?? {}),
    ...((raw.context as object) ?? {}),
  }
  const page = context.page as Record<string, unknown> | undefined
  const ip = e.context?.ip ?? facts.ip
  const storedIp = ip && facts.anonymizeIp ? anonymizeIp(ip) : ip
  if (storedIp) context.ip = storedIp
  else delete context.ip
  const ua = e.context?.userAgent ?? facts.userAgent
  if (ua) {
    context.userAgent ??= ua
    const parsed = parseUserAgent(ua)
    context.browser ??= parsed.browser
    context.os ??= parsed.os
    context.device ??= parsed.device
  }
  const pageUrl =
    page?.url ??
    (e.type === 'page' ? (raw.properties as Record<string, unknown> | undefined)?.url : undefined)
  if (!context.campaign) {
    const campaign = campaignFromUrl(pageUrl)
    if (campaign) context.campaign = campaign
  }
  const referrer = tryUrl(page?.referrer)
  if (referrer) context.referrerDomain = referrer.hostname.replace(/^www\./, '')

  const original = e.originalTimestamp ?? e.timestamp
  const sentAt = e.sentAt ?? envelope.sentAt
  const receivedAt = facts.receivedAt.toISOString()
  const timestamp = correctSkew(original, sentAt, facts.receivedAt)
  const messageId = e.messageId ?? crypto.randomUUID()
  const payload = {
    ...raw,
    type: e.type,
    messageId,
    userId: e.userId ?? null,
    anonymousId: e.anonymousId ?? null,
    timestamp,
    originalTimestamp: original ?? null,
    sentAt: sentAt ?? null,
    context,
  } as unknown as EnrichedEvent['payload']
  delete (payload as { writeKey?: string }).writeKey
  if (e.type === 'alias') (payload as { previousId: string }).previousId = e.previousId
  if (e.type === 'group') (payload as { groupId: string }).groupId = e.groupId
  return {
    messageId,
    type: e.type,
    timestamp,
    originalTimestamp: original ?? null,
    sentAt: sentAt ?? null,
    receivedAt,
    userId: e.userId ?? null,
    anonymousId: e.anonymousId ?? null,
    event: e.type === 'track' ? e.event : null,
    name: e.type === 'page' || e.type === 'screen' ? (e.name ?? null) : null,
    payload,
  }
}
