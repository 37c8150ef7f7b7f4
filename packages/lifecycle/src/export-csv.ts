/** Columns every exported contact row starts with, before its traits. */
export const EXPORT_BASE_COLUMNS = [
  'id',
  'firstSeen',
  'lastSeen',
  'fit',
  'engagement',
  'total',
  'grade',
] as const

// Spreadsheet apps run a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * One CSV cell (RFC 4180): text that a spreadsheet would read as a formula is prefixed with
 * `'`; cells with a comma, quote or line break are quoted. Objects become JSON; null is empty.
 * @example csvCell('=HYPERLINK("http://x")') // `"'=HYPERLINK(""http://x"")"`
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  let s: string
  if (typeof value === 'number' || typeof value === 'boolean') s = String(value)
  else {
    s = typeof value === 'string' ? value : JSON.stringify(value)
    if (FORMULA_START.test(s)) s = `'${s}`
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** One CSV line (CRLF-terminated, as RFC 4180 says). */
export function csvRow(cells: readonly unknown[]): string {
  return cells.map(csvCell).join(',') + '\r\n'
}

/**
 * The CSV header for a set of trait names: the base columns, then `traits.<name>` sorted
 * (identity traits first so the file reads well).
 * @example exportColumns(['company', 'email']) // [...base, 'traits.email', 'traits.company']
 */
export function exportColumns(traitKeys: readonly string[]): string[] {
  const first = ['email', 'name', 'firstName', 'lastName', 'company', 'phone', 'country']
  const keys = [...new Set(traitKeys)].sort((a, b) => {
    const [ia, ib] = [first.indexOf(a), first.indexOf(b)]
    if (ia !== ib) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib)
    return a < b ? -1 : a > b ? 1 : 0
  })
  return [...EXPORT_BASE_COLUMNS, ...keys.map((k) => `traits.${k}`)]
}

/** The cells of one contact, in the order of `columns`. */
export function exportCells(
  contact: Record<string, unknown> & { traits: Record<string, unknown> },
  columns: readonly string[],
): unknown[] {
  return columns.map((col) =>
    col.startsWith('traits.')
      ? Object.hasOwn(contact.traits, col.slice(7))
        ? contact.traits[col.slice(7)]
        : null
      : contact[col],
  )
}
