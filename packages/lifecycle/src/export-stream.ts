import { csvRow, exportCells, exportColumns } from './export-csv.js'

export type ExportFormat = 'csv' | 'json'
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json']

const PAGE = 1000

/** One exported contact: traits (computed ones included) and scores. */
export interface ExportedContact {
  id: string
  firstSeen: string
  lastSeen: string
  fit: number
  engagement: number
  total: number
  grade: string | null
  traits: Record<string, unknown>
}

/** Where an export reads contacts from (the collector's lifecycle store implements it). */
export interface ContactExportSource {
  /** Every trait name used by the workspace's live contacts (the CSV export's columns). */
  contactTraitKeys(workspaceId: string): Promise<string[]>
  /** Live contacts in id order, a page at a time, scores as of `now` (decay applied). */
  exportContacts(
    workspaceId: string,
    opts: { limit: number; after?: string; now?: Date },
  ): Promise<{ contacts: ExportedContact[]; next: string | null }>
}

/**
 * Every live contact of a workspace, with traits (computed ones included) and scores, as
 * chunks of a CSV or JSON document, a page of contacts at a time. The first page is read
 * before anything is yielded, so a store outage fails before output starts.
 * @example
 * for await (const chunk of exportChunks(store, 'ws_1', 'csv', new Date())) process.stdout.write(chunk)
 */
export async function* exportChunks(
  store: ContactExportSource,
  workspaceId: string,
  format: ExportFormat,
  exportedAt: Date,
): AsyncGenerator<string> {
  let page = await store.exportContacts(workspaceId, { limit: PAGE, now: exportedAt })
  const columns = format === 'csv' ? exportColumns(await store.contactTraitKeys(workspaceId)) : []
  yield format === 'csv'
    ? csvRow(columns)
    : `{"exportedAt":${JSON.stringify(exportedAt.toISOString())},"contacts":[`
  let n = 0
  for (;;) {
    let chunk = ''
    for (const contact of page.contacts) {
      if (format === 'csv') chunk += csvRow(exportCells({ ...contact }, columns))
      else chunk += (n++ ? ',' : '') + JSON.stringify(contact)
    }
    if (chunk) yield chunk
    if (!page.next) break
    page = await store.exportContacts(workspaceId, {
      limit: PAGE,
      after: page.next,
      now: exportedAt,
    })
  }
  if (format === 'json') yield ']}\n'
}
