import type { Sql } from 'postgres'
import { buyingRole } from '@lodestone/scoring'
import { CollectorError } from '../../errors.js'
import type { RulesCache } from './rules-cache.js'
import { decodeScoreCursor, rankedPage, scoreOfRow } from './score-order.js'
import { refreshAccountScores } from './accounts-ingest.js'
import { iso, UUID, type Guard } from './rows.js'

/** Accounts ranked by score, one account with its members, and account merges. */
export function createAccountReads(sql: Sql, guard: Guard, rules: RulesCache) {
  const accountView = (r: Record<string, unknown>, score: unknown) => ({
    id: r.id as string,
    groupId: r.group_id as string,
    traits: r.traits as Record<string, unknown>,
    domain: (r.domain as string | null) ?? null,
    score,
    members: r.members as number | undefined,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  })

  return {
    async listAccounts(workspaceId: string, opts: { limit: number; cursor?: string; now: Date }) {
      return guard(async () => {
        const after = decodeScoreCursor(opts.cursor)
        const nowMs = after?.nowMs ?? opts.now.getTime()
        const { scorer } = await rules.current(sql, workspaceId)
        const { page, next } = await rankedPage(sql, {
          workspaceId,
          scorer,
          nowMs,
          limit: opts.limit,
          after,
          table: 'accounts',
          columns: sql`c.id, c.group_id, c.traits, c.domain, c.created_at, c.updated_at,
            (select count(*)::int from account_members m where m.account_id = c.id) as members`,
        })
        return {
          accounts: page.map((r) => accountView(r, scoreOfRow(r as never, scorer, nowMs))),
          next,
        }
      })
    },

    /** One account (a merged-away id or groupId answers with the survivor) with its members. */
    async getAccount(workspaceId: string, ref: string, now: Date) {
      return guard(async () => {
        const [a] = await sql`select * from accounts where workspace_id = ${workspaceId}
          and (${UUID.test(ref) ? sql`id = ${ref}::uuid or` : sql``} group_id = ${ref})`
        if (!a) return null
        const id = (a.merged_into as string | null) ?? (a.id as string)
        const [acc] = await sql`select * from accounts where id = ${id}`
        const { scorer } = await rules.current(sql, workspaceId)
        const members = await sql`select c.id, c.traits, c.first_seen, c.last_seen, c.score_fit,
            c.score_key, m.source, m.joined_at
          from account_members m join contacts c on c.id = m.contact_id
          where m.account_id = ${id} and c.merged_into is null order by c.id limit 1000`
        const nowMs = now.getTime()
        const groupIds =
          await sql`select group_id from accounts where id = ${id} or merged_into = ${id}
          order by group_id`
        return {
          ...accountView(acc!, scoreOfRow(acc as never, scorer, nowMs)),
          groupIds: groupIds.map((g) => g.group_id as string),
          members: members
            .map((m) => ({
              id: m.id as string,
              traits: m.traits as Record<string, unknown>,
              role: buyingRole((m.traits as Record<string, unknown>).title),
              source: m.source as string,
              joinedAt: iso(m.joined_at),
              score: scoreOfRow(m as never, scorer, nowMs),
            }))
            .sort((x, y) => y.score.total - x.score.total),
        }
      })
    },

    /**
     * Makes `fromGroupId` another name of the account of `intoGroupId`: its members move over,
     * later `group` calls with either id land on the survivor, and the score is recomputed.
     */
    async mergeAccounts(workspaceId: string, fromGroupId: string, intoGroupId: string, now: Date) {
      return guard(() =>
        sql.begin(async (tx) => {
          const rows = await tx`select id, group_id, coalesce(merged_into, id) as root from accounts
            where workspace_id = ${workspaceId} and group_id in (${fromGroupId}, ${intoGroupId})
            order by id for update`
          const from = rows.find((r) => r.group_id === fromGroupId)
          const into = rows.find((r) => r.group_id === intoGroupId)
          if (!from || !into) throw new CollectorError('not_found', 'No such account')
          if (from.root === into.root) return { id: into.root as string }
          await tx`update accounts set merged_into = ${into.root}, updated_at = now()
            where id = ${from.root} or merged_into = ${from.root}`
          await tx`update accounts set traits = (select traits from accounts where id = ${from.root})
            || traits where id = ${into.root}`
          await tx`insert into account_members (account_id, contact_id, workspace_id, source, joined_at)
            select ${into.root}, contact_id, workspace_id, source, joined_at from account_members
            where account_id = ${from.root} on conflict do nothing`
          await tx`delete from account_members where account_id = ${from.root}`
          const ids = (
            await tx`select contact_id from account_members where account_id = ${into.root} limit 1`
          ).map((r) => r.contact_id as string)
          const { scorer } = await rules.current(tx, workspaceId)
          await refreshAccountScores(tx, workspaceId, ids, scorer, now)
          return { id: into.root as string }
        }),
      )
    },
  }
}
