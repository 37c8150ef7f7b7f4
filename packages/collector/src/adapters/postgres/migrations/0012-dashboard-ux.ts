import { SORT_INDEXES } from '../dashboard/sort-keys.js'

/**
 * The dashboard language each person chose (docs/dashboard.md: kept on the user, so it follows
 * them to every device; null until they pick one, when Accept-Language decides), and one index
 * per sortable column of the contacts list (adapters/postgres/dashboard/sort-keys.ts).
 */
export const up = /* sql */ `
alter table users add column locale text;
${Object.entries(SORT_INDEXES)
  .map(([name, def]) => `create index ${name} on contacts ${def};`)
  .join('\n')}
`
