import type { Period } from '@lodestone/lifecycle'
import type { ContactAlert } from '../lifecycle/port.js'
import type { CampaignQuery, CampaignReport } from './campaigns.js'
import type { AdCost } from './costs.js'
import type { QualityMeasures, QualitySchedule, Worsened } from './quality-scan.js'
import type { ReasonsReport } from './reasons-report.js'

/** One kept quality scan (the history behind the trend chart). */
export interface QualityScan {
  id: string
  at: string
  trigger: 'schedule' | 'manual'
  measures: QualityMeasures
  worsened: Worsened[]
}

/** An alert as the Alerts page lists it: a contact's, or workspace-wide (contactId null). */
export interface WorkspaceAlert extends Omit<ContactAlert, 'contactId'> {
  contactId: string | null
  acknowledgedAt: string | null
}

/** Reports, ad costs, scheduled quality scans and alerts (adapters/postgres/reports.ts). */
export interface ReportsStore {
  reasonsReport(
    workspaceId: string,
    range: { from: Date; to: Date; period: Period },
  ): Promise<ReasonsReport>
  campaignReport(workspaceId: string, opts: CampaignQuery): Promise<CampaignReport>
  /** Inserts or replaces each campaign's line for the day (idempotent per campaign and day). */
  importAdCosts(workspaceId: string, costs: AdCost[]): Promise<{ imported: number }>
  listAdCosts(workspaceId: string, range: { from: string; to: string }): Promise<AdCost[]>
  getQualitySchedule(workspaceId: string, now: Date): Promise<QualitySchedule>
  /** Changes only the settings given (PATCH semantics). */
  patchQualitySchedule(
    workspaceId: string,
    patch: Partial<Pick<QualitySchedule, 'everyDays' | 'enabled' | 'thresholds'>>,
    now: Date,
  ): Promise<QualitySchedule>
  /**
   * Runs every scan that is due at `now` and not already claimed: each due schedule is claimed
   * by one conditional update, so with several processes each period's scan runs exactly once.
   */
  runDueQualityScans(now: Date): Promise<{ workspaceId: string; scan: QualityScan }[]>
  runQualityScan(workspaceId: string, now: Date): Promise<QualityScan>
  qualityHistory(workspaceId: string, limit: number): Promise<QualityScan[]>
  listAlerts(
    workspaceId: string,
    opts: { kind?: string; open?: boolean; contactId?: string; limit: number },
  ): Promise<WorkspaceAlert[]>
  /**
   * Measures the observed average customer lifetime from the workspace's orders and saves it in
   * the traits configuration (used by LTV when `lifespanMethod` is `observed`).
   */
  refreshObservedLifespan(
    workspaceId: string,
    now: Date,
  ): Promise<{ years: number | null; customers: number }>
  /** Marks an alert seen; false when there is no such alert. */
  acknowledgeAlert(workspaceId: string, id: string, now: Date): Promise<boolean>
}
