// Keys for spotting the same person or company written differently. Lossy on purpose:
// they only ever suggest duplicates for a human to review, never merge on their own.

const LEGAL_SUFFIXES = new Set(
  (
    'inc incorporated corp corporation co company ltd limited llc llp lp plc gmbh mbh ag kg ug ' +
    'sa sas sarl srl spa bv nv oy oyj ab as asa aps pty pvt kk se sl sro group holding holdings'
  ).split(' '),
)

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/&/g, ' and ')
    .replace(/['’.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()

/**
 * A company's comparison key: accents, case, punctuation and legal suffixes removed.
 * @example companyKey('Müller & Söhne GmbH') === companyKey('MULLER AND SOHNE') // true
 */
export function companyKey(company: string): string {
  const words = fold(company).split(' ').filter(Boolean)
  if (words[0] === 'the' && words.length > 1) words.shift()
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1] as string)) words.pop()
  return words.join(' ')
}

/**
 * A person's name key: folded like {@link companyKey}, words sorted so "Smith, John" and
 * "John Smith" meet.
 * @example nameKey('José  García') === nameKey('garcia jose') // true
 */
export function nameKey(name: string): string {
  return fold(name).split(' ').filter(Boolean).sort().join(' ')
}

/** Edit distance, giving up (returning `max + 1`) as soon as it must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const v = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      )
      row.push(v)
      best = Math.min(best, v)
    }
    if (best > max) return max + 1
    prev = row
  }
  return prev[b.length] as number
}
