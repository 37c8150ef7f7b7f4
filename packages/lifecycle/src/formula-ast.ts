/** Nodes of a parsed formula. `pos` is the source offset used in error messages. */
export type FormulaNode =
  | { type: 'number'; value: number; pos: number }
  | { type: 'variable'; name: string; path: string[]; pos: number }
  | { type: 'unary'; op: '-' | '+' | '!'; arg: FormulaNode; pos: number }
  | { type: 'binary'; op: BinaryOperator; left: FormulaNode; right: FormulaNode; pos: number }
  | { type: 'conditional'; test: FormulaNode; then: FormulaNode; else: FormulaNode; pos: number }
  | { type: 'call'; name: string; args: FormulaNode[]; pos: number }

export type BinaryOperator =
  '+' | '-' | '*' | '/' | '%' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||'

/** Limits that bound the cost of compiling and evaluating an untrusted formula. */
export interface FormulaLimits {
  /** Characters in the source. */
  maxLength: number
  /** Nesting of parentheses, unary operators, calls and conditionals. */
  maxDepth: number
  /** Nodes in the tree. */
  maxNodes: number
}

export const DEFAULT_FORMULA_LIMITS: FormulaLimits = {
  maxLength: 2000,
  maxDepth: 40,
  maxNodes: 500,
}
