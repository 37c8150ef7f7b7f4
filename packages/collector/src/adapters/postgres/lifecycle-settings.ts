import type { Tx } from './contact-rows.js'
import {
  createReasonLists,
  createTraitComputer,
  DEFAULT_TRAITS_CONFIG,
  LifecycleError,
  parseAlertRules,
  type AlertRule,
  type TraitComputer,
} from '@lodestone/lifecycle'
import type { LifecycleSettings } from '../../lifecycle/port.js'

/**
 * Alert rules a workspace starts with; replaced as a whole through `PUT /v1/lifecycle/alert-rules`.
 */
export const DEFAULT_ALERT_RULES: AlertRule[] = [
  {
    id: 'csat-low',
    name: 'Unhappy customer',
    kind: 'satisfaction_below',
    metric: 'csat',
    threshold: 3,
  },
  {
    id: 'nps-detractor',
    name: 'Detractor',
    kind: 'satisfaction_below',
    metric: 'nps',
    threshold: 7,
  },
  { id: 'ticket-burst', name: 'Ticket burst', kind: 'tickets_within', count: 3, windowDays: 7 },
  { id: 'churn-high', name: 'Churn risk high', kind: 'churn_risk_above', threshold: 60 },
  { id: 'became-hot', name: 'Lead became hot', kind: 'grade_became', grade: 'hot' },
]

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : d == null ? null : String(d))

/** Settings from a stored row (or none): stored JSON is re-validated, defaults fill the gaps. */
export function settingsFromRow(row: Record<string, unknown> | undefined): LifecycleSettings {
  return {
    reasons: createReasonLists((row?.reasons as Record<string, unknown> | null) ?? {}),
    alertRules: row?.alert_rules ? parseAlertRules(row.alert_rules) : DEFAULT_ALERT_RULES,
    traitsConfig: createTraitComputer((row?.traits_config as Record<string, unknown> | null) ?? {})
      .config,
    updatedAt: iso(row?.updated_at),
  }
}

// Parsed settings by workspace, with the `updated_at` they were parsed from. Every ingest
// transaction with lifecycle work reads the row (so it always sees committed settings), but
// re-validates and re-compiles it only when it changed: the profile had that at 3 % of CPU.
const parsed = new Map<string, { stamp: string | null; settings: LifecycleSettings }>()

export async function loadLifecycleSettings(
  tx: Tx,
  workspaceId: string,
): Promise<LifecycleSettings> {
  const [row] = await tx`select ${tx.unsafe(LIFECYCLE_SETTINGS_COLUMNS)}
    from lifecycle_settings l where workspace_id = ${workspaceId}`
  return lifecycleSettingsOf(workspaceId, row)
}

/** The settings row's columns, as `loadLifecycleSettings` and the ingest's workspace read select them. */
export const LIFECYCLE_SETTINGS_COLUMNS = 'l.reasons, l.alert_rules, l.traits_config, l.updated_at'

/**
 * The settings of a row read with `LIFECYCLE_SETTINGS_COLUMNS` (all null, or undefined, when the
 * workspace has none), parsed once per `updated_at`.
 */
export function lifecycleSettingsOf(
  workspaceId: string,
  row: Record<string, unknown> | undefined,
): LifecycleSettings {
  if (row && row.updated_at == null) row = undefined
  const stamp = iso(row?.updated_at)
  const hit = parsed.get(workspaceId)
  if (hit && hit.stamp === stamp) return hit.settings
  const settings = settingsFromRow(row)
  if (parsed.size >= 10_000) parsed.clear()
  parsed.set(workspaceId, { stamp, settings })
  return settings
}

const computers = new WeakMap<LifecycleSettings['traitsConfig'], TraitComputer>()

/** The compiled trait computer of a settings object (compiled once per settings version). */
export function traitComputerFor(settings: LifecycleSettings): TraitComputer {
  let computer = computers.get(settings.traitsConfig)
  if (!computer)
    computers.set(settings.traitsConfig, (computer = createTraitComputer(settings.traitsConfig)))
  return computer
}

/**
 * Validates one part and saves it. Reason lists merge kind by kind over the current ones;
 * alert rules replace the list; the traits configuration merges setting by setting over the
 * current one.
 */
export async function saveLifecycleSettings(
  tx: Tx,
  workspaceId: string,
  part: { reasons?: unknown; alertRules?: unknown; traitsConfig?: unknown },
): Promise<LifecycleSettings> {
  const current = await loadLifecycleSettings(tx, workspaceId)
  const reasons =
    part.reasons === undefined
      ? null
      : createReasonLists({ ...current.reasons, ...asObject(part.reasons, 'reasons') })
  const rules = part.alertRules === undefined ? null : parseAlertRules(part.alertRules)
  const config =
    part.traitsConfig === undefined
      ? null
      : createTraitComputer(mergeConfig(current.traitsConfig, part.traitsConfig)).config
  const json = (v: unknown) => (v === null ? null : tx.json(v as never))
  await tx`insert into lifecycle_settings (workspace_id, reasons, alert_rules, traits_config)
    values (${workspaceId}, ${json(reasons)}, ${json(rules)}, ${json(config)})
    on conflict (workspace_id) do update set
      reasons = coalesce(excluded.reasons, lifecycle_settings.reasons),
      alert_rules = coalesce(excluded.alert_rules, lifecycle_settings.alert_rules),
      traits_config = coalesce(excluded.traits_config, lifecycle_settings.traits_config),
      updated_at = now()`
  return loadLifecycleSettings(tx, workspaceId)
}

/**
 * The traits configuration with the given settings changed and the rest kept (PATCH, and PUT
 * for compatibility: docs/lifecycle.md); `null` puts a setting back to its default.
 */
function mergeConfig(current: object, change: unknown): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...DEFAULT_TRAITS_CONFIG, ...current }
  for (const [k, v] of Object.entries(asObject(change, 'traitsConfig'))) {
    if (v === null) {
      delete merged[k]
      if (k in DEFAULT_TRAITS_CONFIG) merged[k] = DEFAULT_TRAITS_CONFIG[k as 'churnFormula']
    } else merged[k] = v
  }
  return merged
}

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  throw new LifecycleError(
    what === 'reasons' ? 'invalid_reason_list' : 'invalid_config',
    `${what} must be a JSON object`,
  )
}
