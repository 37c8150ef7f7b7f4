// Stands in for teardowns.ts in the script-tag builds (see rollup.config.mjs).
export const TEARDOWNS: boolean = false

export type Off = (() => void) | undefined
