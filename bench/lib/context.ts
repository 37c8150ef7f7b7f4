import { startBenchPostgres, type BenchPostgres } from './postgres.js'

export interface BenchContext {
  /** Scales every phase's duration (`--quick`: a smoke run of a few seconds each). */
  seconds(full: number): number
  quick: boolean
  postgres(): Promise<BenchPostgres>
  /** Figures of earlier parts of this run or of the last full run (for ratios across parts). */
  results: Record<string, unknown>
  log(message: string): void
  close(): Promise<void>
}

export function createContext(results: Record<string, unknown>, quick: boolean): BenchContext {
  let pg: Promise<BenchPostgres> | null = null
  const started = Date.now()
  return {
    quick,
    seconds: (full) => (quick ? Math.max(3, Math.round(full / 4)) : full),
    postgres: () => (pg ??= startBenchPostgres()),
    results,
    log: (m) => console.log(`[bench +${Math.round((Date.now() - started) / 1000)}s] ${m}`),
    async close() {
      if (pg) await (await pg).stop()
    },
  }
}
