import type { Sql } from 'postgres'
import { createScorer, ScoringError, DEFAULT_RULES } from '@lodestone/scoring'
import { CollectorError } from '../../errors.js'
import type { ScoreChange } from '../../ports.js'
import { rescoreAccountBatch } from './accounts-ingest.js'
import { lockContacts, saveContacts } from './contact-rows.js'
import type { RulesCache } from './rules-cache.js'
import { scoreContacts } from './scoring.js'
import { applyAudiences } from './segments-eval.js'
import { createWebhookStore } from './webhooks.js'

type Guard = <T>(fn: () => Promise<T>) => Promise<T>

export interface RescoreProgress {
  done: number
  total: number
  changed: number
}

const BATCH = 500

/** Rules as data: read, replace (validated, versioned), and rescore every contact and account. */
export function createScoringAdmin(sql: Sql, guard: Guard, rules: RulesCache) {
  const webhooks = createWebhookStore(sql, guard)
  async function rescore(
    workspaceId: string,
    opts: {
      now?: Date
      onProgress?: (p: RescoreProgress) => void
      onChanges?: (c: ScoreChange[]) => void
    } = {},
  ): Promise<RescoreProgress & { version: number }> {
    const now = opts.now ?? new Date()
    const { version } = await guard(() => rules.current(sql, workspaceId))
    // Resume an unfinished job for the same rules; otherwise start over.
    let [job] = await guard(
      () => sql`select * from rescore_jobs where workspace_id = ${workspaceId}`,
    )
    if (!job || job.rules_version !== version || job.finished_at) {
      const [{ n }] = (await guard(
        () =>
          sql`select count(*)::int as n from contacts where workspace_id = ${workspaceId} and merged_into is null`,
      )) as unknown as [{ n: number }]
      ;[job] = await guard(
        () => sql`insert into rescore_jobs (workspace_id, rules_version, total)
        values (${workspaceId}, ${version}, ${n})
        on conflict (workspace_id) do update set rules_version = excluded.rules_version, after_id = null,
          done = 0, total = excluded.total, started_at = now(), finished_at = null
        returning *`,
      )
    }
    let after: string | null = job!.after_id
    let done: number = job!.done
    let changed = 0
    const total: number = job!.total
    for (;;) {
      const batch = await guard(() =>
        sql.begin(async (tx) => {
          const { scorer } = await rules.current(tx, workspaceId)
          const ids = (
            await tx`select id from contacts where workspace_id = ${workspaceId} and merged_into is null
              ${after ? tx`and id > ${after}` : tx``} order by id limit ${BATCH}`
          ).map((r) => r.id as string)
          if (ids.length === 0) return null
          const rows = [...(await lockContacts(tx, ids)).values()]
          const changes = await scoreContacts(tx, scorer, rows, new Map(), new Set(ids), now)
          // Segments on scores follow the rescore in the same transaction.
          const audience = { rows, newEvents: [], merged: [], now, scorer }
          await applyAudiences(tx, workspaceId, audience, webhooks.enqueueWebhookEvents)
          await saveContacts(tx, workspaceId, rows)
          const last = ids[ids.length - 1]!
          await tx`update rescore_jobs set after_id = ${last}, done = done + ${ids.length}
            where workspace_id = ${workspaceId}`
          return { last, count: ids.length, changes }
        }),
      )
      if (!batch) break
      after = batch.last
      done += batch.count
      changed += batch.changes.length
      opts.onChanges?.(batch.changes)
      opts.onProgress?.({ done, total: Math.max(total, done), changed })
    }
    // Then the accounts, in batches too, with the members' new keys: fit and engagement exactly
    // as ingest computes them, so `GET /v1/accounts` never ranks by the old rules' fit.
    let afterAccount: string | null = null
    for (;;) {
      const batch: { last: string } | null = await guard(() =>
        sql.begin(async (tx) => {
          const { scorer } = await rules.current(tx, workspaceId)
          return rescoreAccountBatch(tx, workspaceId, afterAccount, BATCH, scorer, now)
        }),
      )
      if (!batch) break
      afterAccount = batch.last
    }
    await guard(
      () => sql`update rescore_jobs set finished_at = now() where workspace_id = ${workspaceId}`,
    )
    return { version, done, total: Math.max(total, done), changed }
  }

  return {
    async getRules(workspaceId: string) {
      const [row] = await guard(
        () => sql`select version, rules, created_at from scoring_rules
        where workspace_id = ${workspaceId} order by version desc limit 1`,
      )
      if (!row) return { version: 0, rules: DEFAULT_RULES, updatedAt: null }
      return {
        version: row.version as number,
        rules: row.rules,
        updatedAt: (row.created_at as Date).toISOString(),
      }
    },

    /** Validates and saves a new version of the workspace's rules; answers 400 with the issues. */
    async putRules(workspaceId: string, doc: unknown) {
      try {
        createScorer(doc)
      } catch (err) {
        if (err instanceof ScoringError) {
          throw new CollectorError('invalid_rules', err.message, { issues: err.issues })
        }
        throw err
      }
      const [row] = await guard(
        () => sql`insert into scoring_rules (workspace_id, version, rules)
        select ${workspaceId}, coalesce(max(version), 0) + 1, ${sql.json(doc as never)}
        from scoring_rules where workspace_id = ${workspaceId}
        returning version`,
      )
      return { version: row!.version as number }
    },

    rescore,
  }
}
