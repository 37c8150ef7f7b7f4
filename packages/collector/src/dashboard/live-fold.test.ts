import { describe, expect, it } from 'vitest'
import type { LiveEntry } from '../live/feed.js'
import { changeEntries } from '../live/publish.js'
import { foldVisits } from './live-fold.js'

const at = '2026-12-07T12:00:00.000Z'
const visit = (...contacts: string[]): Extract<LiveEntry, { kind: 'events' }> => ({
  kind: 'events',
  events: contacts.map((contactId, i) => ({
    messageId: `m-${contactId}-${i}`,
    contactId,
    type: 'page',
    name: null,
    path: '/pricing',
    timestamp: at,
  })),
})
const change = (
  contactId: string,
  previousTotal: number,
  total: number,
  previous: string,
  grade: string,
) => ({
  contactId,
  fit: 0,
  engagement: total,
  total,
  previousTotal,
  grade,
  previousGrade: previous,
  at,
})
/** As the feed numbers them: one epoch, rising seq. */
const numbered = (entries: LiveEntry[], from = 1) =>
  entries.map((entry, i) => ({ entry, id: `0a1b2c3d-${from + i}` }))
const kinds = (out: ReturnType<typeof foldVisits>) => out.map((o) => o.entry.kind)

describe('foldVisits', () => {
  it('folds the score and grade change of a stored batch into its visit: one message, the last id', () => {
    // As routes/ingest.ts publishes a batch: events, an alert, then the changes (live/publish.ts).
    const alert: LiveEntry = {
      kind: 'alert',
      event: 'Alert Fired',
      id: 'a1',
      contactId: 'alice',
      ruleId: 'r',
      alertKind: 'score_above',
      name: null,
      value: 52,
      message: 'm',
      at,
    }
    const out = foldVisits(
      numbered([
        visit('alice', 'alice'),
        alert,
        ...changeEntries([change('alice', 34, 52, 'warm', 'hot')]),
      ]),
    )
    expect(kinds(out)).toEqual(['events', 'alert'])
    expect(out[0]!.entry).toMatchObject({
      kind: 'events',
      changes: { alice: { previousTotal: 34, total: 52, previousGrade: 'warm', grade: 'hot' } },
    })
    // The visit holds entries 1, 3 and 4; the alert (2) is sent after it, so it carries 4 too:
    // a client that got both resumes after everything.
    expect(out.map((o) => o.id)).toEqual(['0a1b2c3d-4', '0a1b2c3d-4'])
  })

  it('a score change without a grade crossing folds without a grade', () => {
    const out = foldVisits(
      numbered([visit('bob'), ...changeEntries([change('bob', 10, 15, 'cold', 'cold')])]),
    )
    expect(kinds(out)).toEqual(['events'])
    expect(out[0]!.entry).toMatchObject({ changes: { bob: { previousTotal: 10, total: 15 } } })
    expect((out[0]!.entry as { changes: Record<string, object> }).changes.bob).not.toHaveProperty(
      'grade',
    )
  })

  it('keeps a line of its own for a change with no visit before it, or of another contact', () => {
    // A decay sweep (no events entry), then a visit by carol followed by dave's change.
    const out = foldVisits(
      numbered([
        ...changeEntries([change('erin', 60, 40, 'hot', 'warm')]),
        visit('carol'),
        ...changeEntries([change('dave', 1, 2, 'cold', 'cold')]),
      ]),
    )
    expect(kinds(out)).toEqual(['score', 'grade', 'events', 'score'])
    expect(out.map((o) => o.id)).toEqual(['0a1b2c3d-1', '0a1b2c3d-2', '0a1b2c3d-3', '0a1b2c3d-4'])
  })

  it('a change after a later visit goes to that visit, never to an earlier one', () => {
    const out = foldVisits(
      numbered([
        visit('alice'),
        visit('bob'),
        ...changeEntries([change('alice', 1, 9, 'cold', 'cold')]),
      ]),
    )
    expect(kinds(out)).toEqual(['events', 'events', 'score'])
    expect(out[0]!.entry).toMatchObject({ changes: {} })
  })

  it('folds one change per contact; a second (a rescore in the same run) keeps its line', () => {
    const out = foldVisits(
      numbered([
        visit('alice'),
        ...changeEntries([
          change('alice', 1, 9, 'cold', 'cold'),
          change('alice', 9, 30, 'cold', 'warm'),
        ]),
      ]),
    )
    expect(kinds(out)).toEqual(['events', 'score', 'grade'])
  })

  it("a decay change right after a visit that did not change the contact's score keeps its own line", () => {
    // The visit's batch changed nobody's score (`scored` empty); a time sweep's change for the
    // same contact, published next, reaches the page in the same write.
    const quiet: LiveEntry = { ...visit('carol'), scored: [] }
    const decay = changeEntries([change('carol', 52, 48, 'hot', 'warm')])
    const out = foldVisits(numbered([quiet, ...decay]))
    expect(kinds(out)).toEqual(['events', 'score', 'grade'])
    expect((out[0]!.entry as { changes: object }).changes).toEqual({})
    // The batch's own change, when it has one, still folds; a second change after it does not.
    const busy: LiveEntry = { ...visit('carol'), scored: ['carol'] }
    const own = changeEntries([change('carol', 40, 52, 'warm', 'hot')])
    const folded = foldVisits(numbered([busy, ...own, ...decay]))
    expect(kinds(folded)).toEqual(['events', 'score', 'grade'])
    expect(folded[0]!.entry).toMatchObject({ changes: { carol: { previousTotal: 40, total: 52 } } })
  })
})
