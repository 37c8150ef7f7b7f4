/**
 * Whether debug messages carry their explanatory text. The script-tag builds swap this module
 * for `debug-text.script-tag.ts` (see rollup.config.mjs): there `DEBUG_TEXT && 'text'` folds to
 * `false`, so the prose costs no bytes and `data-debug` still logs every event and error.
 */
export const DEBUG_TEXT: boolean = true
