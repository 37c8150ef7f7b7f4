import ipaddr from 'ipaddr.js'
import type { EnrichedEvent } from '../ports.js'
import type { ValidEvent } from './validate.js'
import { parseUserAgent } from './user-agent.js'
import { cleanJson } from './sanitize.js'
import { memoByString } from './memo.js'

export interface RequestFacts {
  ip: string | null
  userAgent: string | null
  receivedAt: Date
  /** Replace the last octet (IPv4) or the last 80 bits (IPv6) with zeros. */
  anonymizeIp?: boolean
  /** The raw body held characters PostgreSQL cannot store (see sanitize.ts). */
  clean?: boolean
}

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

// Parsed once per distinct page and referrer (`URL` was 3 % of the collector's busy time).
const URL_MEMO = { size: 2000, maxKeyLength: 1024 }

/** `utm_*` query parameters of a page URL, as Segment's `context.campaign` (shared: frozen). */
export function campaignFromUrl(url: unknown): Readonly<Record<string, string>> | null {
  return typeof url === 'string' ? campaigns(url) : null
}

const campaigns = memoByString((url) => {
  const u = tryUrl(url)
  if (!u) return null
  const out: Record<string, string> = {}
  for (const [param, field] of Object.entries(UTM_KEYS)) {
    const v = u.searchParams.get(param)
    if (v) out[field] = v.slice(0, 256)
  }
  return Object.keys(out).length > 0 ? Object.freeze(out) : null
}, URL_MEMO)

/** The host of a referrer URL without `www.`. */
const referrerDomain = memoByString(
  (referrer) => tryUrl(referrer)?.hostname.replace(/^www\./, '') ?? null,
  URL_MEMO,
)

/**
 * The network part of an address, as stored with `LODESTONE_ANONYMIZE_IP`: IPv4 keeps its /24
 * (`203.0.113.77` → `203.0.113.0`), IPv6 its /48 (`2001:db8:85a3:1::7` → `2001:db8:85a3::`), an
 * IPv4-mapped IPv6 address counts as the IPv4 address it carries. Null for anything that is not
 * an address: a client-sent `context.ip` may hold any text, and text is not stored in its place.
 */
export function anonymizeIp(ip: string): string | null {
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
export function correctSkew(
  original: string | undefined,
  sentAt: string | undefined,
  receivedAt: Date,
): string {
  if (!original) return receivedAt.toISOString()
  if (!sentAt) return original
  return skewed(original, Date.parse(sentAt), receivedAt.getTime())
}

function skewed(original: string, sentAtMs: number, receivedAtMs: number): string {
  const d = new Date(receivedAtMs - (sentAtMs - Date.parse(original)))
  const year = d.getUTCFullYear()
  return Number.isNaN(year) || year < 1900 || year > 9999 ? original : d.toISOString()
}

type Envelope = { sentAt?: string; context?: Record<string, unknown> }

/** Adds received time, IP, parsed user agent, campaign and referrer domain; fixes clock skew. */
export function enrich(v: ValidEvent, envelope: Envelope, facts: RequestFacts): EnrichedEvent {
  return enricher(envelope, facts)(v)
}

/**
 * {@link enrich} for the events of one request: what they share (received time, the envelope's
 * context and sentAt) is worked out once.
 */
export function enricher(
  envelope: Envelope,
  facts: RequestFacts,
): (v: ValidEvent) => EnrichedEvent {
  const receivedAt = facts.receivedAt.toISOString()
  const receivedAtMs = facts.receivedAt.getTime()
  const envelopeContext = (facts.clean ? cleanJson(envelope.context) : envelope.context) ?? {}
  const envelopeSentAtMs = envelope.sentAt ? Date.parse(envelope.sentAt) : NaN
  return (v) => {
    const e = (facts.clean ? cleanJson(v.event) : v.event) as ValidEvent['event']
    const raw = (facts.clean ? cleanJson(v.raw) : v.raw) as Record<string, unknown>
    const context: Record<string, unknown> = {
      ...envelopeContext,
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
    const referrer = typeof page?.referrer === 'string' ? referrerDomain(page.referrer) : null
    if (referrer !== null) context.referrerDomain = referrer

    const original = e.originalTimestamp ?? e.timestamp
    const sentAt = e.sentAt ?? envelope.sentAt
    const timestamp = !original
      ? receivedAt
      : !sentAt
        ? original
        : skewed(original, e.sentAt ? Date.parse(e.sentAt) : envelopeSentAtMs, receivedAtMs)
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
    if ('writeKey' in payload) delete (payload as { writeKey?: string }).writeKey
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
}
