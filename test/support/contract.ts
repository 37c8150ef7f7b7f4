import { expect } from 'vitest'

/** Cases run and the statuses they got, for the report a fuzz test prints. */
export interface Tally {
  cases: number
  statuses: Map<number, number>
}

/**
 * The API's answer contract: a 2xx with a JSON body, or a 4xx with
 * `{"success":false,"error":{"code","message"}}`. Never a 5xx.
 */
export async function expectJsonContract(res: Response, tally?: Tally): Promise<unknown> {
  if (tally) {
    tally.cases++
    tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1)
  }
  const text = await res.text()
  expect(res.status, text.slice(0, 300)).toBeLessThan(500)
  expect(res.headers.get('content-type') ?? '').toMatch(/application\/json/)
  const json = JSON.parse(text)
  if (res.status >= 400) {
    expect(json.success, text.slice(0, 300)).toBe(false)
    expect(typeof json.error?.code).toBe('string')
    expect(typeof json.error?.message).toBe('string')
  }
  return json
}
