/**
 * Whether setups and hooks hand back removers. The script-tag builds swap this module for
 * `teardowns.script-tag.ts` (see rollup.config.mjs): nothing in them can tear a plugin or hook
 * down (autoLoad keeps no removers and `load` ignores what `setup` returns), so there the
 * removers are compiled out. The npm package and the tests keep them.
 */
export const TEARDOWNS: boolean = true

/** A remover, or undefined where removers are compiled out (see TEARDOWNS). */
export type Off = (() => void) | undefined
