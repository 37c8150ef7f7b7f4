import type { AppDeps } from '../deps.js'
import type { ScoreChange } from '../ports.js'
import type { LiveEntry } from './feed.js'

/** What a stored batch's events entry says besides its events: when, and whose score changed. */
export const batchFacts = (changes: ScoreChange[]) => ({
  at: new Date().toISOString(),
  scored: changes.map((c) => c.contactId),
})

/** Turns committed score changes into live entries: a score update each, a grade signal on crossings. */
export function changeEntries(changes: ScoreChange[]): LiveEntry[] {
  const out: LiveEntry[] = []
  for (const c of changes) {
    out.push({ kind: 'score', ...c })
    if (c.grade !== c.previousGrade) {
      out.push({
        kind: 'grade',
        event: 'Contact Grade Changed',
        contactId: c.contactId,
        grade: c.grade,
        previousGrade: c.previousGrade,
        total: c.total,
        at: c.at,
      })
    }
  }
  return out
}

/** Publishes after commit; never fails the request (the store already holds the truth). */
export async function publishChanges(
  deps: Pick<AppDeps, 'live'>,
  workspaceId: string,
  changes: ScoreChange[],
  extra: LiveEntry[] = [],
) {
  if (!deps.live) return
  const entries = [...extra, ...changeEntries(changes)]
  if (entries.length === 0) return
  try {
    await deps.live.publish(workspaceId, entries)
  } catch {
    // ignored on purpose: see above
  }
}
