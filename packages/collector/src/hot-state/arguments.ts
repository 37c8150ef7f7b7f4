import { hotStateCommandError } from './errors.js'

// Both adapters validate the same way, so a bad argument fails identically in memory and in Redis
// (Redis would reject most of these too, but with messages that differ by command).

export function checkTtl(ttlSeconds: number): number {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw hotStateCommandError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`)
  }
  return ttlSeconds
}

export function checkInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value)) {
    throw hotStateCommandError(`${name} must be an integer, got ${value}`)
  }
  return value
}

export function checkPositive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw hotStateCommandError(`${name} must be a positive integer, got ${value}`)
  }
  return value
}

const STREAM_ID = /^(\d{1,15})-(\d{1,15})$/

/** Parses a stream id `<ms>-<seq>` (a bare `<ms>` means `<ms>-0`, as in Redis). */
export function parseFeedId(id: string): { ms: number; seq: number } {
  const m = STREAM_ID.exec(/^\d{1,15}$/.test(id) ? `${id}-0` : id)
  if (!m) throw hotStateCommandError(`invalid feed id ${JSON.stringify(id)}`)
  return { ms: Number(m[1]), seq: Number(m[2]) }
}
