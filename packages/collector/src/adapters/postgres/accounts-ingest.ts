import { engagementFromKey, engagementKey, scoreFromKey, type Scorer } from '@lodestone/scoring'
import { checkEmail, isFreeMailDomain } from '@lodestone/lifecycle'
import type { ContactRow, Tx } from './contact-rows.js'
import { engagementSql, halfLifeOf } from './score-order.js'

/** An account a contact belongs to, as segment conditions read it. */
export interface AccountFact {
  contact_id: string
  groupId: string
  traits: Record<string, unknown>
  score: { total: number; grade: string }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A company domain from account traits (`domain`, else `website`), lower-cased, no `www.`. */
export function accountDomain(traits: Record<string, unknown>): string | null {
  const raw = typeof traits.domain === 'string' ? traits.domain : traits.website
  if (typeof raw !== 'string' || raw.trim() === '') return null
  const host = raw.includes('://') && URL.canParse(raw) ? new URL(raw).hostname : raw.split('/')[0]!
  const d = host
    .trim()
    .toLowerCase()
    .replace(/^www\./, '')
  return d.includes('.') ? d : null
}

/** The company domain of an e-mail address; null for free-mail, disposable or invalid ones. */
export function companyDomain(email: unknown): string | null {
  if (typeof email !== 'string') return null
  const check = checkEmail(email)
  if (!check.valid || check.disposable) return null
  const domain = check.email.slice(check.email.lastIndexOf('@') + 1)
  return isFreeMailDomain(domain) ? null : domain
}

/**
 * `group` calls make or update accounts (traits merged, latest call wins per trait) and make
 * the calling contact a member; with domain matching on, contacts join the account whose
 * domain their company e-mail has (docs/accounts.md).
 */
export async function applyGroupCalls(
  tx: Tx,
  workspaceId: string,
  batch: {
    rows: ContactRow[]
    newEvents: { contactId: string; type: string; payload: unknown; timestamp: string }[]
  },
): Promise<void> {
  const groups = batch.newEvents.flatMap((e) => {
    const p = e.payload as { groupId?: unknown; traits?: unknown }
    if (e.type !== 'group' || (typeof p.groupId !== 'string' && typeof p.groupId !== 'number'))
      return []
    const traits = isRecord(p.traits) ? p.traits : {}
    return [
      {
        group_id: String(p.groupId),
        contact_id: e.contactId,
        traits,
        at: e.timestamp,
        domain: accountDomain(traits),
      },
    ]
  })
  for (const g of groups.sort((a, b) => (a.at < b.at ? -1 : 1))) {
    await tx`insert into accounts (id, workspace_id, group_id, traits, domain)
      values (${crypto.randomUUID()}, ${workspaceId}, ${g.group_id}, ${tx.json(g.traits as never)}, ${g.domain})
      on conflict (workspace_id, group_id) do update set traits = accounts.traits || excluded.traits,
        domain = coalesce(excluded.domain, accounts.domain), updated_at = now()`
    await tx`insert into account_members (account_id, contact_id, workspace_id, source, joined_at)
      select coalesce(a.merged_into, a.id), ${g.contact_id}, ${workspaceId}, 'group', ${g.at}
      from accounts a where a.workspace_id = ${workspaceId} and a.group_id = ${g.group_id}
      on conflict (account_id, contact_id) do update set source = 'group'`
  }
  const byDomain = batch.rows.flatMap((r) => {
    const d = companyDomain(r.state.traits.email)
    return d ? [{ contact_id: r.id, domain: d }] : []
  })
  if (byDomain.length === 0) return
  await tx`insert into account_members (account_id, contact_id, workspace_id, source, joined_at)
    select a.id, v.contact_id, ${workspaceId}, 'domain', now()
    from jsonb_to_recordset(${tx.json(byDomain as never)}) as v(contact_id uuid, domain text)
    join account_settings s on s.workspace_id = ${workspaceId} and s.match_domains
    join accounts a on a.workspace_id = ${workspaceId} and a.domain = v.domain and a.merged_into is null
    on conflict (account_id, contact_id) do nothing`
}

/**
 * Recomputes the scores of the accounts these contacts belong to and answers each contact's
 * accounts. Account fit: the workspace's fit rules over the account's traits. Account
 * engagement: the sum of its members' engagement, which decays like theirs (one half-life),
 * so it is stored as one engagement key too (packages/scoring/src/score-key.ts).
 */
export async function refreshAccountScores(
  tx: Tx,
  workspaceId: string,
  contactIds: string[],
  scorer: Scorer,
  now: Date,
  /** Keys of contacts rescored in this transaction, not saved yet: used instead of the table. */
  fresh: ReadonlyMap<string, number> = new Map(),
): Promise<AccountFact[]> {
  const nowMs = now.getTime()
  const scored = await scoreAccounts(
    tx,
    workspaceId,
    tx`select account_id from account_members where contact_id = any(${contactIds}::uuid[])`,
    scorer,
    now,
    fresh,
  )
  if (scored.length === 0) return []
  const h = halfLifeOf(scorer)
  const byId = new Map(scored.map((a) => [a.id, a]))
  const links = await tx`select account_id, contact_id from account_members
    where contact_id = any(${contactIds}::uuid[])`
  return links.flatMap((l) => {
    const a = byId.get(l.account_id)
    if (!a) return []
    const s = scoreFromKey(a.fit, a.key, nowMs, h, scorer.ruleSet.grades)
    return [
      {
        contact_id: l.contact_id as string,
        groupId: a.group_id,
        traits: a.traits,
        score: { total: s.total, grade: s.grade },
      },
    ]
  })
}

const idIn = (tx: Tx, ids: string[]) => tx`m.contact_id = any(${ids}::uuid[])`

/**
 * Scores the accounts `ids` selects exactly as ingest does (fit from the account's traits,
 * engagement from its members' keys) and stores fit and key; answers what it stored.
 */
async function scoreAccounts(
  tx: Tx,
  workspaceId: string,
  ids: ReturnType<Tx>,
  scorer: Scorer,
  now: Date,
  fresh: ReadonlyMap<string, number>,
) {
  const nowMs = now.getTime()
  const pending = [...fresh.keys()]
  const mine = idIn(tx, pending)
  // Members from `fresh` count with their new key; a contact first seen in this transaction
  // has no contacts row yet (the pipeline saves contacts last), hence the left join.
  const accounts = await tx`select a.id, a.group_id, a.traits,
      coalesce(sum(${engagementSql(tx as never, scorer, nowMs)})
        filter (where c.id is not null and c.merged_into is null and not ${mine}), 0) as engagement,
      array_remove(array_agg(case when ${mine} and c.merged_into is null then m.contact_id::text end),
        null) as pending
    from accounts a left join account_members m on m.account_id = a.id
    left join contacts c on c.id = m.contact_id
    where a.workspace_id = ${workspaceId} and a.id in (${ids})
    group by a.id`
  if (accounts.length === 0) return []
  const h = halfLifeOf(scorer)
  const scored = accounts.map((a) => {
    const fit = scorer.score(null, a.traits, now).fit
    let engagement = Number(a.engagement)
    for (const id of (a.pending as string[] | null) ?? [])
      engagement += engagementFromKey(fresh.get(id) ?? 0, nowMs, h)
    const key = engagementKey(engagement, nowMs, h)
    return { id: a.id as string, group_id: a.group_id as string, traits: a.traits, fit, key }
  })
  await tx`update accounts a set score_fit = v.fit, score_key = v.key, updated_at = now()
    from jsonb_to_recordset(${tx.json(scored.map(({ id, fit, key }) => ({ id, fit, key })) as never)})
      as v(id uuid, fit double precision, key double precision) where a.id = v.id`
  return scored
}

/**
 * Rescores the workspace's accounts after `afterId` (by id, at most `limit`, merged-away ones
 * left out) with `scorer`, as ingest would: the rules-change rescore runs this in batches after
 * the contacts (docs/accounts.md). Answers the last id done, null when none was left.
 */
export async function rescoreAccountBatch(
  tx: Tx,
  workspaceId: string,
  afterId: string | null,
  limit: number,
  scorer: Scorer,
  now: Date,
): Promise<{ last: string; count: number } | null> {
  const ids = (
    await tx`select id from accounts where workspace_id = ${workspaceId} and merged_into is null
      ${afterId ? tx`and id > ${afterId}` : tx``} order by id limit ${limit}`
  ).map((r) => r.id as string)
  if (ids.length === 0) return null
  await scoreAccounts(tx, workspaceId, tx`select unnest(${ids}::uuid[])`, scorer, now, new Map())
  return { last: ids[ids.length - 1]!, count: ids.length }
}
