import type { LifecycleStore } from '../lifecycle/port.js'
import {
  exportChunks,
  EXPORT_FORMATS,
  type ContactExportSource,
  type ExportFormat,
} from '@lodestone/lifecycle'

/**
 * `lodestone quality`: the data-quality report, as JSON or a short summary.
 * @example await qualityCommand(store, 'ws_1', { json: false }, console.log)
 */
export async function qualityCommand(
  store: Pick<LifecycleStore, 'qualityReport'>,
  workspaceId: string,
  opts: { json?: boolean },
  print: (line: string) => void,
): Promise<void> {
  const r = await store.qualityReport(workspaceId)
  if (opts.json) return print(JSON.stringify(r, null, 2))
  const pct = (n: number) => (r.total ? `${Math.round((n / r.total) * 100)}%` : '-')
  print(`contacts:            ${r.total}`)
  print(`complete:            ${r.complete} (${pct(r.complete)})`)
  print(`missing e-mail:      ${r.missingEmail.length}`)
  print(`missing company:     ${r.missingCompany.length}`)
  print(`invalid values:      ${r.invalid.length}`)
  for (const c of r.invalid.slice(0, 20))
    print(`  ${c.id}  ${c.issues.map((i) => `${i.path}: ${i.code}`).join(', ')}`)
  print(`suspected duplicates: ${r.duplicates.length} groups`)
  for (const d of r.duplicates.slice(0, 20)) print(`  ${d.company}: ${d.contactIds.join(', ')}`)
  if (r.invalid.length > 20 || r.duplicates.length > 20) print('(--json for the full report)')
}

/**
 * `lodestone export-contacts`: every contact with traits and scores, CSV or JSON, to `write`.
 * @example await exportContactsCommand(store, 'ws_1', 'csv', (s) => process.stdout.write(s))
 */
export async function exportContactsCommand(
  store: ContactExportSource,
  workspaceId: string,
  format: string,
  write: (chunk: string) => void,
): Promise<void> {
  if (!EXPORT_FORMATS.includes(format as ExportFormat))
    throw new Error('--format must be csv or json')
  for await (const chunk of exportChunks(store, workspaceId, format as ExportFormat, new Date()))
    write(chunk)
}
