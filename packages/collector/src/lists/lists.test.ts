import { describe, expect, it } from 'vitest'
import { BACKENDS, closingStores } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { MAX_MEMBER_REFS } from '../routes/lists.js'
import { createListsStore } from '../adapters/postgres/lists-store.js'
import { createApp } from '../app.js'

// Static lists and streamed exports (issue 16, docs/segments.md), on PGlite and PostgreSQL:
// CRUD, adding by e-mail, id and CSV upload, a segment with a `list` condition following the
// list at once, exports equal to the members as this test tracks them, and bad input → 4xx.

const stores = closingStores()

const PEOPLE = ['ana', 'ben', 'cai', 'dee', 'eve', 'fay']

/** A minimal RFC 4180 reader for the exported file (quoted cells, doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"'
      i++
    } else if (ch === '"') quoted = !quoted
    else if (quoted || (ch !== ',' && ch !== '\n' && ch !== '\r')) cell += ch
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    }
  }
  return rows
}

describe.each(BACKENDS)('static lists and exports (%s)', (backend) => {
  it('CRUD, members by e-mail, id and CSV, segments follow, exports equal the members', async () => {
    const store = await stores.open(backend)
    const t = await createTestApp(store)
    const call = async (
      method: string,
      path: string,
      body?: unknown,
      type = 'application/json',
    ) => {
      const res = await t.app.request(path, {
        method,
        headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': type },
        body:
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      })
      return {
        status: res.status, // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked below
        body: (await res.json()) as Record<string, any>,
      }
    }

    // Six people; one with a name a spreadsheet would run as a formula.
    const batch = PEOPLE.map((p, i) => ({
      type: 'identify',
      userId: `u-${p}`,
      traits: { email: `${p}@example.com`, name: i === 0 ? '=HYPERLINK("http://x")' : p },
    }))
    expect((await t.post('/v1/batch', { batch })).status).toBe(200)
    const id: Record<string, string> = {}
    for (const p of PEOPLE) {
      const r = await call('GET', `/v1/contacts/lookup?email=${p}@example.com`)
      id[p] = r.body.id
    }
    expect(Object.values(id).every((v) => typeof v === 'string')).toBe(true)

    const created = await call('POST', '/v1/lists', { name: ' VIP ' })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: 'VIP', members: 0 })
    const list = created.body.id as string

    const seg = await call('POST', '/v1/segments', {
      name: 'VIP not Eve',
      conditions: { all: [{ list }, { not: { traits: { name: { equals: 'eve' } } } }] },
    })
    expect(seg.status).toBe(201)
    while ((await t.segments.backfillStep(new Date())) !== null);

    const expected = new Set<string>()
    const members = async (path: string, limit = 2) => {
      const out: string[] = []
      let cursor: string | null = null
      do {
        const r = await call('GET', `${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
        expect(r.status).toBe(200)
        out.push(...r.body.contacts.map((c: { id: string }) => c.id))
        cursor = r.body.next
      } while (cursor)
      return out
    }
    const segmentExpected = () => [...expected].filter((c) => c !== id.eve).sort()
    const check = async () => {
      expect(await members(`/v1/lists/${list}/members`)).toEqual([...expected].sort())
      expect(await members(`/v1/segments/${seg.body.id}/members`)).toEqual(segmentExpected())
    }

    // By e-mail (case and spaces ignored), unknown addresses reported.
    const a = await call('POST', `/v1/lists/${list}/members`, {
      emails: ['ANA@example.com ', 'ben@example.com', 'nobody@example.com'],
    })
    expect(a.status).toBe(200)
    expect(a.body).toMatchObject({ added: 2, alreadyMembers: 0, notFound: ['nobody@example.com'] })
    expect(a.body.segmentTransitions).toBe(2)
    expected.add(id.ana!).add(id.ben!)
    await check()

    // By id, one already in.
    const b = await call('POST', `/v1/lists/${list}/members`, {
      contactIds: [id.cai, id.ana, '00000000-0000-0000-0000-000000000000', 'not-a-uuid'],
    })
    expect(b.body).toMatchObject({ added: 1, alreadyMembers: 1, notFoundCount: 2 })
    expected.add(id.cai!)
    await check()

    // CSV upload: e-mails, then ids; Eve joins the list but not the segment.
    const csv = await call(
      'POST',
      `/v1/lists/${list}/members`,
      '\uFEFFemail\r\n"dee@example.com"\r\neve@example.com\r\n\r\n',
      'text/csv',
    )
    expect(csv.body).toMatchObject({ added: 2, notFoundCount: 0, segmentTransitions: 1 })
    expected.add(id.dee!).add(id.eve!)
    const csv2 = await call(
      'POST',
      `/v1/lists/${list}/members`,
      `contactId\n${id.fay}\n`,
      'text/csv; charset=utf-8',
    )
    expect(csv2.body).toMatchObject({ added: 1 })
    expected.add(id.fay!)
    await check()

    // The contact's profile names the segment; the segment's Entered event is on the contact.
    const profile = await call('GET', `/v1/contacts/${id.fay}`)
    expect(profile.body.segments.map((s: { id: string }) => s.id)).toEqual([seg.body.id])

    // Removing: the segment follows at once.
    const r = await call('DELETE', `/v1/lists/${list}/members`, {
      emails: ['ana@example.com', 'eve@example.com'],
    })
    expect(r.body).toMatchObject({ removed: 2, notMembers: 0, segmentTransitions: 1 })
    expected.delete(id.ana!)
    expected.delete(id.eve!)
    await check()
    const events = await call('GET', `/v1/contacts/${id.ana}/events?limit=100`)
    const names = events.body.events.map((e: { event?: string }) => e.event).filter(Boolean)
    expect(names.filter((n: string) => n === 'Segment Entered')).toHaveLength(1)
    expect(names.filter((n: string) => n === 'Segment Exited')).toHaveLength(1)

    const lists = await call('GET', '/v1/lists')
    expect(lists.body.lists).toEqual([
      expect.objectContaining({ id: list, members: expected.size }),
    ])
    expect((await call('GET', `/v1/lists/${list}`)).body.members).toBe(expected.size)

    // Exports: CSV (formula neutralised, optional BOM) and JSON equal the members.
    const dl = (path: string) =>
      t.app.request(path, { headers: { authorization: `Bearer ${t.ws.secretKey}` } })
    await call('POST', `/v1/lists/${list}/members`, { emails: ['ana@example.com'] })
    expected.add(id.ana!)
    const csvRes = await dl(`/v1/lists/${list}/export?format=csv&bom=1`)
    expect(csvRes.headers.get('content-type')).toContain('text/csv')
    // Read as bytes: Response.text() would drop the byte-order mark.
    const bytes = new Uint8Array(await csvRes.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    expect(text.startsWith('\uFEFFid,')).toBe(true)
    const rows = parseCsv(text.slice(1))
    const header = rows[0]!
    const body = rows.slice(1)
    expect(body.map((row) => row[0]).sort()).toEqual([...expected].sort())
    const nameCol = header.indexOf('traits.name')
    const anaRow = body.find((row) => row[0] === id.ana)!
    expect(anaRow[nameCol]).toBe(`'=HYPERLINK("http://x")`)
    expect((await (await dl(`/v1/lists/${list}/export?format=csv`)).text()).startsWith('id,')).toBe(
      true,
    )
    const segJson = (await (await dl(`/v1/segments/${seg.body.id}/export?format=json`)).json()) as {
      contacts: { id: string; traits: { email: string } }[]
    }
    expect(segJson.contacts.map((c) => c.id)).toEqual(segmentExpected())
    expect(segJson.contacts.find((c) => c.id === id.ben)!.traits.email).toBe('ben@example.com')
    const listJson = (await (await dl(`/v1/lists/${list}/export`)).json()) as {
      contacts: { id: string }[]
    }
    expect(listJson.contacts.map((c) => c.id)).toEqual([...expected].sort())

    // Bad input: 4xx with a JSON error, never a 500.
    const bad: [string, string, unknown, string?][] = [
      ['POST', '/v1/lists', {}],
      ['POST', '/v1/lists', { name: 'x'.repeat(201) }],
      ['POST', '/v1/lists', 'not json'],
      ['POST', `/v1/lists/${list}/members`, {}],
      ['POST', `/v1/lists/${list}/members`, { emails: [], contactIds: [] }],
      ['POST', `/v1/lists/${list}/members`, { emails: 'ana@example.com' }],
      ['POST', `/v1/lists/${list}/members`, { emails: [1] }],
      ['POST', `/v1/lists/${list}/members`, { emails: Array(MAX_MEMBER_REFS + 1).fill('a@b.c') }],
      ['POST', `/v1/lists/${list}/members`, [1, 2]],
      ['POST', `/v1/lists/${list}/members`, 'name\nana\n', 'text/csv'],
      ['POST', `/v1/lists/${list}/members`, '', 'text/csv'],
      ['POST', `/v1/lists/${list}/members`, 'email\nana@example.com,ben@example.com\n', 'text/csv'],
      ['DELETE', `/v1/lists/${list}/members`, { contactIds: [null] }],
      ['GET', `/v1/lists/${list}/members?cursor=zzz`, undefined],
      ['GET', `/v1/lists/${list}/members?limit=0`, undefined],
      ['GET', `/v1/lists/${list}/export?format=xml`, undefined],
      ['GET', `/v1/lists/${list}/export?bom=2`, undefined],
      ['GET', `/v1/segments/${seg.body.id}/export?format=pdf`, undefined],
    ]
    for (const [method, path, payload, type] of bad) {
      const res = await call(method, path, payload, type)
      expect(res.status, `${method} ${path}`).toBe(400)
      expect(res.body.error, `${method} ${path}`).toBeTruthy()
    }
    for (const [method, path, payload] of [
      ['GET', '/v1/lists/lst_nope', undefined],
      ['GET', '/v1/lists/lst_nope/members', undefined],
      ['POST', '/v1/lists/lst_nope/members', { emails: ['ana@example.com'] }],
      ['GET', '/v1/lists/lst_nope/export', undefined],
      ['GET', '/v1/segments/seg_nope/export', undefined],
      ['DELETE', '/v1/lists/lst_nope', undefined],
    ] as const) {
      expect((await call(method, path, payload)).status, `${method} ${path}`).toBe(404)
    }
    // The write key may not read or change lists.
    const wk = await t.post(`/v1/lists/${list}/members`, { emails: ['fay@example.com'] })
    expect(wk.status).toBeGreaterThanOrEqual(401)
    expect(wk.status).toBeLessThan(404)

    // A list a segment refers to is kept; once the segment is gone it can be deleted.
    expect((await call('DELETE', `/v1/lists/${list}`)).status).toBe(409)
    expect((await call('DELETE', `/v1/segments/${seg.body.id}`)).status).toBe(200)
    expect((await call('DELETE', `/v1/lists/${list}`)).status).toBe(200)
    expect((await call('GET', `/v1/lists/${list}`)).status).toBe(404)
    expect((await call('GET', '/v1/lists')).body.lists).toEqual([])
  }, 120_000)

  it('exports a list larger than one page, read a page at a time', async () => {
    const store = await stores.open(backend)
    const t = await createTestApp(store)
    const auth = { authorization: `Bearer ${t.ws.secretKey}` }
    const n = 2300
    const emails = Array.from({ length: n }, (_, i) => `p${i}@example.com`)
    for (let i = 0; i < n; i += 500) {
      const batch = emails
        .slice(i, i + 500)
        .map((email) => ({ type: 'identify', userId: email, traits: { email } }))
      expect((await t.post('/v1/batch', { batch })).status).toBe(200)
    }
    // Every other person on the list, uploaded as one CSV.
    const chosen = emails.filter((_, i) => i % 2 === 0)
    const list = (await (
      await t.app.request('/v1/lists', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Half' }),
      })
    ).json()) as { id: string }
    const up = await t.app.request(`/v1/lists/${list.id}/members`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: `email\n${chosen.join('\n')}\n`,
    })
    expect(await up.json()).toMatchObject({ added: chosen.length, notFoundCount: 0 })

    // Count the pages the export reads through the port.
    const pages: number[] = []
    const source = createListsStore(store.sql)
    const original = source.exportSource.bind(source)
    source.exportSource = (audience, now) => {
      const inner = original(audience, now)
      return {
        contactTraitKeys: (ws) => inner.contactTraitKeys(ws),
        exportContacts: async (ws, opts) => {
          const page = await inner.exportContacts(ws, opts)
          pages.push(page.contacts.length)
          return page
        },
      }
    }
    const app = createApp({ store, clock: { now: () => new Date() }, config: {}, lists: source })
    const res = await app.request(`/v1/lists/${list.id}/export?format=json`, { headers: auth })
    const doc = (await res.json()) as { contacts: { traits: { email: string } }[] }
    expect(doc.contacts.map((c) => c.traits.email).sort()).toEqual([...chosen].sort())
    expect(pages.length).toBeGreaterThanOrEqual(2)
    expect(Math.max(...pages)).toBeLessThanOrEqual(1000)
    expect(pages.reduce((a, b) => a + b, 0)).toBe(chosen.length)

    const csv = await (
      await app.request(`/v1/lists/${list.id}/export?format=csv`, { headers: auth })
    ).text()
    const rows = parseCsv(csv)
    const col = rows[0]!.indexOf('traits.email')
    expect(
      rows
        .slice(1)
        .map((r) => r[col])
        .sort(),
    ).toEqual([...chosen].sort())
  }, 180_000)
})
