import { describe, expect, it } from 'vitest'
import type { IngestResult, ScoreChange } from '../../ports.js'
import { split } from './group-commit.js'

// split() hands each request of a group-committed batch its own outcome (no database needed).

const req = (...ids: string[]) => ({ events: ids.map((messageId) => ({ messageId })) })
const stored = (messageId: string, contactId: string) => ({
  messageId,
  contactId,
  type: 'track',
  name: null,
  path: null,
  timestamp: '2026-01-01T00:00:00.000Z',
})
const change = (contactId: string): ScoreChange => ({
  contactId,
  fit: 0,
  engagement: 1,
  total: 1,
  grade: 'C',
  previousTotal: 0,
  previousGrade: null,
  at: '2026-01-01T00:00:00.000Z',
})

describe('split', () => {
  it('credits a stored event to the first request that carried its messageId', () => {
    const result: IngestResult = {
      inserted: 3,
      duplicates: 2,
      changes: [],
      stored: [stored('a', 'c1'), stored('b', 'c1'), stored('c', 'c2')],
    }
    const parts = split([req('a', 'b'), req('b', 'c'), req('a')], result)
    expect(parts.map((p) => [p.inserted, p.duplicates])).toEqual([
      [2, 0],
      [1, 1],
      [0, 1],
    ])
    expect(parts.map((p) => p.stored.map((s) => s.messageId))).toEqual([['a', 'b'], ['c'], []])
  })

  it('counts a copy repeated inside one request as that request’s duplicate', () => {
    const result: IngestResult = {
      inserted: 1,
      duplicates: 2,
      changes: [],
      stored: [stored('a', 'c1')],
    }
    const parts = split([req('a', 'a'), req('a')], result)
    expect(parts.map((p) => [p.inserted, p.duplicates])).toEqual([
      [1, 1],
      [0, 1],
    ])
  })

  it('reports events the workspace already had as duplicates of whoever sent them', () => {
    const parts = split([req('old'), req('old', 'new')], {
      inserted: 1,
      duplicates: 2,
      changes: [],
      stored: [stored('new', 'c1')],
    })
    expect(parts.map((p) => [p.inserted, p.duplicates])).toEqual([
      [0, 1],
      [1, 1],
    ])
  })

  it('publishes each score change and alert once: with the last request that touched the contact', () => {
    const alert = {
      id: 'al1',
      contactId: 'c1',
      ruleId: 'r',
      kind: 'churn_risk_above',
      name: null,
      value: 70,
      message: 'm',
      at: '2026-01-01T00:00:00.000Z',
    }
    const result = {
      inserted: 3,
      duplicates: 0,
      changes: [change('c1'), change('c2'), change('merged-away')],
      alerts: [alert],
      stored: [stored('a', 'c1'), stored('b', 'c1'), stored('c', 'c2')],
    } as IngestResult
    const parts = split([req('a'), req('b'), req('c')], result)
    expect(parts.map((p) => p.changes.map((c) => c.contactId))).toEqual([
      ['merged-away'],
      ['c1'],
      ['c2'],
    ])
    expect(parts.map((p) => p.alerts!.length)).toEqual([0, 1, 0])
    expect(parts.flatMap((p) => p.changes)).toHaveLength(3)
  })
})
