import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { exportCommand, qualityCommand } from './cli-commands.js'

describe.each(BACKENDS)('lodestone quality and export on %s', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store)
    const res = await t.post('/v1/batch', {
      batch: [
        {
          type: 'identify',
          userId: 'u1',
          traits: { email: 'ana@example.com', name: 'Ana Lopez', company: 'Acme' },
        },
        { type: 'identify', userId: 'u2', traits: { name: 'ana lópez', company: 'ACME Inc.' } },
        { type: 'identify', userId: 'u3', traits: { email: 'x@yopmail.com', company: '@SUM(A1)' } },
      ],
    })
    expect(res.status).toBe(200)
  })
  afterAll(() => store.close())

  it('prints a summary and the full report', async () => {
    const lines: string[] = []
    await qualityCommand(store, t.ws.id, {}, (l) => lines.push(l))
    const text = lines.join('\n')
    expect(text).toMatch(/contacts:\s+3/)
    expect(text).toMatch(/complete:\s+1 \(33%\)/)
    expect(text).toMatch(/missing e-mail:\s+1/)
    expect(text).toMatch(/disposable_email/)
    expect(text).toMatch(/suspected duplicates: 1 groups/)
    const json: string[] = []
    await qualityCommand(store, t.ws.id, { json: true }, (l) => json.push(l))
    expect(JSON.parse(json.join('')).duplicates[0].contactIds).toHaveLength(2)
  })

  it('exports every contact as CSV (formula-safe) and JSON', async () => {
    let csv = ''
    await exportCommand(store, t.ws.id, {}, (c) => (csv += c))
    const lines = csv.trim().split('\r\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toBe(
      'id,firstSeen,lastSeen,fit,engagement,total,grade,traits.email,traits.name,traits.company',
    )
    expect(csv).toContain(",'@SUM(A1)")
    let json = ''
    await exportCommand(store, t.ws.id, { format: 'json' }, (c) => (json += c))
    const doc = JSON.parse(json)
    expect(doc.contacts).toHaveLength(3)
    expect(doc.contacts[0]).toHaveProperty('total')
    await expect(exportCommand(store, t.ws.id, { format: 'xml' }, () => {})).rejects.toThrow(
      /csv or json/,
    )
  })

  it('exports one contact with its events when one is named', async () => {
    let out = ''
    const ref = { kind: 'email', value: 'ana@example.com' }
    await exportCommand(store, t.ws.id, { ref }, (c) => (out += c))
    const doc = JSON.parse(out)
    expect(doc.contact.traits.email).toBe('ana@example.com')
    expect(doc.events).toHaveLength(1)
    await expect(
      exportCommand(
        store,
        t.ws.id,
        { ref: { kind: 'email', value: 'nobody@example.com' } },
        () => {},
      ),
    ).rejects.toThrow(/no such contact/)
    await expect(exportCommand(store, t.ws.id, { ref, format: 'csv' }, () => {})).rejects.toThrow(
      /one contact is JSON/,
    )
  })
})
