import { createScorer, DEFAULT_RULES, ScoringError, type Scorer } from '@lodestone/scoring'
import type { Tx } from './contact-rows.js'

export interface ActiveRules {
  /** 0 for the built-in default rules, else the workspace's saved version. */
  version: number
  scorer: Scorer
}

/**
 * Compiled scorers per workspace. The current version is read inside the caller's transaction
 * (one indexed row), so every process scores with the rules that are current in the database.
 */
export function createRulesCache() {
  const cache = new Map<string, ActiveRules>()
  let defaults: Scorer | null = null

  /** The workspace's current rules version (0: the defaults), read in `tx`. */
  async function currentVersion(tx: Tx, workspaceId: string): Promise<number> {
    const [row] = await tx`select version from scoring_rules where workspace_id = ${workspaceId}
      order by version desc limit 1`
    return (row?.version as number | undefined) ?? 0
  }

  /** The compiled scorer of a version read earlier in `tx` (compiled once per process). */
  async function forVersion(tx: Tx, workspaceId: string, version: number): Promise<ActiveRules> {
    const hit = cache.get(workspaceId)
    if (hit && hit.version === version) return hit
    let scorer: Scorer
    if (version === 0) scorer = defaults ??= createScorer(DEFAULT_RULES)
    else {
      const [r] =
        await tx`select rules from scoring_rules where workspace_id = ${workspaceId} and version = ${version}`
      scorer = compileStored(r!.rules)
    }
    const entry = { version, scorer }
    cache.set(workspaceId, entry)
    return entry
  }

  return {
    currentVersion,
    forVersion,
    async current(tx: Tx, workspaceId: string): Promise<ActiveRules> {
      return forVersion(tx, workspaceId, await currentVersion(tx, workspaceId))
    },
  }
}

export type RulesCache = ReturnType<typeof createRulesCache>

/**
 * Compiles a stored version. A version saved before a rule became invalid (say, a lookahead
 * pattern from before patterns ran on RE2, docs/scoring.md) must not stop ingest for the
 * workspace: its invalid rules are left out, and if the rest is still invalid, the defaults apply
 * until the rules are saved again.
 */
function compileStored(doc: unknown): Scorer {
  try {
    return createScorer(doc)
  } catch (err) {
    if (!(err instanceof ScoringError)) throw err
    const bad = new Set(err.issues.map((i) => /^rules\[(\d+)\]/.exec(i.path)?.[1]).map(Number))
    const rules = (doc as { rules?: unknown }).rules
    try {
      if (!Array.isArray(rules)) throw err
      return createScorer({ ...(doc as object), rules: rules.filter((_, i) => !bad.has(i)) })
    } catch {
      return createScorer(DEFAULT_RULES)
    }
  }
}
