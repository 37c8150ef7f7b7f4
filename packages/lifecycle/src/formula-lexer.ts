import { LifecycleError } from './errors.js'

export type TokenKind = 'num' | 'name' | 'op' | 'eof'

export interface Token {
  kind: TokenKind
  /** Operator text (canonical ASCII form), name, or number source. */
  text: string
  value: number
  pos: number
}

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y
const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y
const MAX_NAME_LENGTH = 200

// Two-character operators first so `<=` is not read as `<` then `=`.
const OPERATORS = ['<=', '>=', '==', '!=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '!']
const PUNCTUATION = ['(', ')', ',', '?', ':']
// Typographic forms people paste from documents and spreadsheets.
const ALIASES: Record<string, string> = {
  '×': '*',
  '÷': '/',
  '−': '-',
  '≤': '<=',
  '≥': '>=',
  '≠': '!=',
}

/** Splits a formula into tokens; the list always ends with an `eof` token. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < source.length) {
    const ch = source[i] as string
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++
      continue
    }
    NUMBER.lastIndex = i
    const num = NUMBER.exec(source)
    if (num) {
      const value = Number(num[0])
      if (!Number.isFinite(value)) {
        throw new LifecycleError('formula_syntax', `Number too large at ${i}`, { position: i })
      }
      tokens.push({ kind: 'num', text: num[0], value, pos: i })
      i += num[0].length
      continue
    }
    NAME.lastIndex = i
    const name = NAME.exec(source)
    if (name) {
      if (name[0].length > MAX_NAME_LENGTH) {
        throw new LifecycleError('formula_syntax', `Name too long at ${i}`, { position: i })
      }
      tokens.push({ kind: 'name', text: name[0], value: 0, pos: i })
      i += name[0].length
      continue
    }
    const two = source.slice(i, i + 2)
    const op =
      OPERATORS.find((o) => o === two) ?? OPERATORS.find((o) => o === ch) ?? ALIASES[ch] ?? null
    if (op !== null) {
      tokens.push({ kind: 'op', text: op, value: 0, pos: i })
      i += op.length === 2 && two === op ? 2 : 1
      continue
    }
    if (PUNCTUATION.includes(ch)) {
      tokens.push({ kind: 'op', text: ch, value: 0, pos: i })
      i++
      continue
    }
    const shown = JSON.stringify(String.fromCodePoint(source.codePointAt(i) ?? 0))
    throw new LifecycleError('formula_syntax', `Unexpected character ${shown} at ${i}`, {
      position: i,
    })
  }
  tokens.push({ kind: 'eof', text: '', value: 0, pos: source.length })
  return tokens
}
