/**
 * The recent entries of one workspace's live feed, so a subscriber that reconnects with
 * `Last-Event-ID` gets what it missed (live/feed.ts). Bounded twice: at most `maxEntries`
 * entries and `maxBytes` of their SSE text, whichever comes first; the oldest go first.
 */
export interface ReplayLimits {
  /** Entries kept per workspace (default 1,000). */
  maxEntries?: number
  /** SSE text kept per workspace, counted as in live/subscriber.ts's `maxBytes` (default 2 MiB). */
  maxBytes?: number
  /**
   * How long a workspace's buffer is kept after its last subscriber leaves (default 5 min):
   * EventSource reconnects after about 3 s, a laptop that slept takes longer.
   */
  idleMs?: number
  /** Workspaces whose buffer is kept with no subscriber at once; the longest idle go first. */
  maxIdleWorkspaces?: number
}

export const REPLAY_DEFAULTS = {
  maxEntries: 1_000,
  maxBytes: 2 * 1024 * 1024,
  idleMs: 5 * 60_000,
  maxIdleWorkspaces: 200,
} as const

/** What a resume finds: the entries after the id, or why there is no telling. */
export type Replay<T> = { ok: true; items: { seq: number; item: T }[] } | { ok: false }

/**
 * A ring of `{ seq, item }` in increasing `seq` order (not necessarily consecutive: the sequence
 * is the process's, shared by every workspace). `floor` is the highest seq this ring no longer
 * has anything about: when it was created, or its last eviction. A resume after `seq` is exact
 * only when `seq ≥ floor`: everything after it is still here.
 */
export class ReplayRing<T> {
  private readonly seqs: number[]
  private readonly items: (T | undefined)[]
  private readonly sizes: number[]
  private head = 0 // index of the oldest
  private count = 0
  private bytes = 0

  constructor(
    private floor: number,
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {
    this.seqs = new Array<number>(maxEntries)
    this.items = new Array<T | undefined>(maxEntries)
    this.sizes = new Array<number>(maxEntries)
  }

  get length(): number {
    return this.count
  }

  get size(): number {
    return this.bytes
  }

  /** The oldest seq a resume may name and still be told everything after it. */
  get oldestResumable(): number {
    return this.floor
  }

  /** Adds the newest entry (`seq` above every one held), evicting the oldest past either cap. */
  push(seq: number, item: T, size: number): void {
    if (this.maxEntries === 0 || size > this.maxBytes) {
      // Cannot be held: nothing before it can be resumed from either.
      this.clear(seq)
      return
    }
    while (this.count > 0 && (this.count >= this.maxEntries || this.bytes + size > this.maxBytes))
      this.evict()
    const at = (this.head + this.count) % this.maxEntries
    this.seqs[at] = seq
    this.items[at] = item
    this.sizes[at] = size
    this.count++
    this.bytes += size
  }

  /** The entries after `seq`, oldest first; not ok when some of them are gone. */
  after(seq: number): Replay<T> {
    if (seq < this.floor) return { ok: false }
    const items: { seq: number; item: T }[] = []
    for (let i = 0; i < this.count; i++) {
      const at = (this.head + i) % this.maxEntries
      if (this.seqs[at]! > seq) items.push({ seq: this.seqs[at]!, item: this.items[at]! })
    }
    return { ok: true, items }
  }

  private evict(): void {
    this.floor = this.seqs[this.head]!
    this.bytes -= this.sizes[this.head]!
    this.items[this.head] = undefined // let the entry go
    this.head = (this.head + 1) % this.maxEntries
    this.count--
  }

  private clear(floor: number): void {
    while (this.count > 0) this.evict()
    this.floor = floor
  }
}
