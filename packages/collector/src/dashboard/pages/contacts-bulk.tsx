/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// The contacts page's bulk actions: CSV export (plain and for Excel), add to a list, erase.
import type { ListView } from '../../lists/port.js'
import { queryString, type ContactFilters } from '../contacts-query.js'
import type { Fmt } from '../views/intl.js'

/** At most this many contacts join a list from "all matching the filters" (routes/contacts.tsx). */
export const ADD_ALL_MAX = 10_000

export function Bulk(props: {
  f: Fmt
  filters: ContactFilters
  csrf: string
  canErase: boolean
  canExport: boolean
  canAddToList: boolean
  lists: ListView[]
}) {
  const { f } = props
  const q = queryString({ ...props.filters })
  return (
    <div class="actions bulk">
      {props.canExport ? (
        <>
          <a class="button" id="export" href={`/app/contacts/export.csv${q}`}>
            {f.t('contacts.export')}
          </a>
          <a
            class="button"
            id="export-excel"
            href={`/app/contacts/export.csv${queryString({ ...props.filters, bom: '1' })}`}
          >
            {f.t('contacts.exportExcel')}
          </a>
        </>
      ) : null}
      {props.canErase || props.canAddToList ? (
        <form method="post" action="/app/contacts/add-to-list" id="bulk" class="actions">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="hidden" name="query" value={q.slice(1)} />
          {/* Folded on a phone, like the contacts filters (views/styles.ts). */}
          <details class="more">
            <summary>{f.t('bulk.more')}</summary>
            <div class="more-fields">
              {props.canAddToList ? (
                <fieldset class="actions add-to-list">
                  <legend>{f.t('bulk.list')}</legend>
                  <label>
                    {f.t('bulk.scope')}
                    <select name="scope" id="bulk-scope">
                      <option value="selected">{f.t('bulk.scopeSelected')}</option>
                      <option value="all">{f.t('bulk.scopeAll', { n: f.num(ADD_ALL_MAX) })}</option>
                    </select>
                  </label>
                  <label>
                    {f.t('bulk.list')}
                    <select name="list" id="bulk-list">
                      <option value="">{f.t('bulk.pickList')}</option>
                      {props.lists.map((l) => (
                        <option value={l.id}>
                          {l.name} ({f.num(l.members)})
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {f.t('bulk.newList')}
                    <input
                      name="newList"
                      id="bulk-new-list"
                      maxlength={200}
                      size={16}
                      placeholder={f.t('bulk.newListHint')}
                    />
                  </label>
                  <button type="submit" id="add-to-list" formnovalidate>
                    {f.t('bulk.add')}
                  </button>
                </fieldset>
              ) : null}
              {props.canErase ? (
                <>
                  <label class="inline">
                    <input type="checkbox" name="confirm" value="1" required />
                    {f.t('contacts.eraseConfirm')}
                  </label>
                  <button type="submit" class="danger" formaction="/app/contacts/erase" id="erase">
                    {f.t('contacts.erase')}
                  </button>
                </>
              ) : null}
            </div>
          </details>
        </form>
      ) : null}
    </div>
  )
}
