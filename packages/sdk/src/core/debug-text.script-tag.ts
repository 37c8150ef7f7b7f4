// Stands in for debug-text.ts in the script-tag builds (see rollup.config.mjs).
export const DEBUG_TEXT: boolean = false
