// The CLI's data commands as functions over the store's roles, so tests call them directly.
import type { LifecycleStore } from '../lifecycle/port.js'
import type { ContactRef, ContactStore } from '../ports.js'
import { exportContact } from '../contacts/export.js'
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
 * `lodestone export`: with a contact (`ref`), everything held on it as JSON (GDPR access);
 * without, every contact with traits and scores as CSV or JSON. `export-contacts` is the old
 * name of the second form and stays an alias.
 * @example await exportCommand(store, 'ws_1', { format: 'csv' }, (s) => process.stdout.write(s))
 */
export async function exportCommand(
  store: ContactExportSource & Pick<ContactStore, 'getContact' | 'contactEvents'>,
  workspaceId: string,
  opts: { ref?: ContactRef; format?: string },
  write: (chunk: string) => void,
): Promise<void> {
  if (opts.ref) {
    if (opts.format) throw new Error('--format is for exporting every contact; one contact is JSON')
    const doc = await exportContact(store, workspaceId, opts.ref, new Date())
    if (!doc) throw new Error('no such contact')
    return write(JSON.stringify(doc, null, 2) + '\n')
  }
  const format = opts.format ?? 'csv'
  if (!EXPORT_FORMATS.includes(format as ExportFormat))
    throw new Error('--format must be csv or json')
  for await (const chunk of exportChunks(store, workspaceId, format as ExportFormat, new Date()))
    write(chunk)
}
