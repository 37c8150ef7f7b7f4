import { expect, it } from 'vitest'
import type { HotState } from '../../ports.js'

type Setup = () => Promise<{ hot: HotState; k(key: string): string }>

// Redis trims `MAXLEN ~` streams by whole nodes (stream-node-max-entries, 100 by default), so a
// feed may briefly hold up to that many entries more than asked. Memory trims exactly.
const TRIM_SLACK = 100

const order = (id: string) => id.split('-').map(Number) as [number, number]
const increasing = (ids: string[]) =>
  ids.every((id, i) => {
    if (i === 0) return true
    const [ms, seq] = order(id)
    const [pms, pseq] = order(ids[i - 1]!)
    return ms > pms || (ms === pms && seq > pseq)
  })

/** The live-feed half of the HotState contract (see describeHotState). */
export function describeHotStateFeed(setup: Setup) {
  it('appends feed entries with increasing ids and reads them back in order', async () => {
    const { hot, k } = await setup()
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push(await hot.feedAppend(k('feed'), `e${i}`, 100))
    expect(increasing(ids)).toBe(true)
    const all = await hot.feedRead(k('feed'), null, 100)
    expect(all).toEqual(ids.map((id, i) => ({ id, entry: `e${i}` })))
  })

  it('reads the newest entries when no id is given, and pages forward after an id', async () => {
    const { hot, k } = await setup()
    const ids: string[] = []
    for (let i = 0; i < 10; i++) ids.push(await hot.feedAppend(k('f'), `e${i}`, 100))
    expect((await hot.feedRead(k('f'), null, 3)).map((e) => e.entry)).toEqual(['e7', 'e8', 'e9'])
    expect((await hot.feedRead(k('f'), ids[2]!, 4)).map((e) => e.entry)).toEqual([
      'e3',
      'e4',
      'e5',
      'e6',
    ])
    expect(await hot.feedRead(k('f'), ids[9]!, 10)).toEqual([])
    expect((await hot.feedRead(k('f'), '0-0', 2)).map((e) => e.entry)).toEqual(['e0', 'e1'])
  })

  it('sees entries appended after a reader caught up (the live case)', async () => {
    const { hot, k } = await setup()
    await hot.feedAppend(k('live'), 'old', 100)
    const [caughtUp] = await hot.feedRead(k('live'), null, 1)
    await hot.feedAppend(k('live'), 'new 1', 100)
    await hot.feedAppend(k('live'), 'new 2', 100)
    const fresh = await hot.feedRead(k('live'), caughtUp!.id, 100)
    expect(fresh.map((e) => e.entry)).toEqual(['new 1', 'new 2'])
  })

  it('keeps entries verbatim, including JSON and unicode', async () => {
    const { hot, k } = await setup()
    const entries = ['{"type":"score","total":42}', '', 'é漢字🙂', '123']
    for (const e of entries) await hot.feedAppend(k('raw'), e, 10)
    expect((await hot.feedRead(k('raw'), null, 10)).map((e) => e.entry)).toEqual(entries)
  })

  it('caps a feed near maxLen, keeping the newest entries', async () => {
    const { hot, k } = await setup()
    const maxLen = 10
    let last = ''
    for (let i = 0; i < 300; i++) last = await hot.feedAppend(k('cap'), `e${i}`, maxLen)
    const kept = await hot.feedRead(k('cap'), '0-0', 1_000)
    expect(kept.length).toBeGreaterThanOrEqual(maxLen)
    expect(kept.length).toBeLessThanOrEqual(maxLen + TRIM_SLACK)
    expect(kept.at(-1)).toEqual({ id: last, entry: 'e299' })
    expect(kept.map((e) => e.entry)).toEqual(
      Array.from({ length: kept.length }, (_, i) => `e${300 - kept.length + i}`),
    )
  })

  it('reads an unknown feed as empty and rejects a malformed id', async () => {
    const { hot, k } = await setup()
    expect(await hot.feedRead(k('nobody'), null, 10)).toEqual([])
    await expect(hot.feedRead(k('nobody'), 'not-an-id', 10)).rejects.toThrow(/id/i)
  })
}
