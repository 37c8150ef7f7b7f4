import { describe, expect, it } from 'vitest'
import { csvCell, csvRow, exportCells, exportColumns } from './export-csv.js'

describe('CSV export cells', () => {
  it('neutralises text a spreadsheet would run as a formula', () => {
    for (const s of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\tx', '\r=x']) {
      expect(csvCell(s).replace(/^"/, '').startsWith("'")).toBe(true)
    }
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvCell(-5)).toBe('-5')
    expect(csvCell('a-b')).toBe('a-b')
  })

  it('quotes separators, quotes and line breaks; empties null; JSON for objects', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell(null)).toBe('')
    expect(csvCell(undefined)).toBe('')
    expect(csvCell({ city: 'Paris' })).toBe('"{""city"":""Paris""}"')
    expect(csvRow([1, 'x', true])).toBe('1,x,true\r\n')
  })

  it('orders columns: base, identity traits, then the rest sorted', () => {
    const cols = exportColumns(['zeta', 'company', 'email', 'alpha', 'email'])
    expect(cols.slice(7)).toEqual(['traits.email', 'traits.company', 'traits.alpha', 'traits.zeta'])
    const cells = exportCells({ id: 'c1', total: 5, traits: { email: 'a@b.c', zeta: 1 } }, [
      'id',
      'total',
      'traits.email',
      'traits.company',
      'traits.zeta',
    ])
    expect(cells).toEqual(['c1', 5, 'a@b.c', null, 1])
  })
})
