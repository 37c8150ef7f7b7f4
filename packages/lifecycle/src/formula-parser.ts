import { LifecycleError } from './errors.js'
import type { BinaryOperator, FormulaLimits, FormulaNode } from './formula-ast.js'
import { FORMULA_FUNCTIONS } from './formula-functions.js'
import { tokenize, type Token } from './formula-lexer.js'

// Binding powers, low to high. `?:` (1) is handled separately; unary operators bind at 8.
const BINARY: Record<string, number> = {
  '||': 2,
  '&&': 3,
  '==': 4,
  '!=': 4,
  '<': 5,
  '<=': 5,
  '>': 5,
  '>=': 5,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '%': 7,
}
const TERNARY_BP = 1
const UNARY_BP = 8

/** Parses a formula into a tree, enforcing length, depth and node-count limits. */
export function parseFormula(source: string, limits: FormulaLimits): FormulaNode {
  if (source.length > limits.maxLength) {
    throw new LifecycleError(
      'formula_too_long',
      `A formula is at most ${limits.maxLength} characters`,
      { position: limits.maxLength, limit: limits.maxLength },
    )
  }
  const tokens = tokenize(source)
  let at = 0
  let nodes = 0
  let nesting = 0

  const peek = (): Token => tokens[at] as Token
  const next = (): Token => tokens[at++] as Token
  const fail = (t: Token, message: string): never => {
    throw new LifecycleError('formula_syntax', `${message} at ${t.pos}`, { position: t.pos })
  }
  const expect = (text: string): Token => {
    const t = peek()
    if (t.kind !== 'op' || t.text !== text) fail(t, `Expected "${text}"`)
    return next()
  }
  // Left-deep chains (`a + b + c …`) are bounded by the node count, not the depth limit, so a
  // long weighted sum stays legal; evaluating 500 nested closures is well within the stack.
  const make = <N extends FormulaNode>(node: N): N => {
    nodes++
    if (nodes > limits.maxNodes) {
      throw new LifecycleError(
        'formula_too_complex',
        `A formula has at most ${limits.maxNodes} parts`,
        {
          position: node.pos,
          limit: limits.maxNodes,
        },
      )
    }
    return node
  }
  const tooDeep = (pos: number): never => {
    throw new LifecycleError(
      'formula_too_deep',
      `A formula nests at most ${limits.maxDepth} deep`,
      {
        position: pos,
        limit: limits.maxDepth,
      },
    )
  }

  const expression = (minBp: number): FormulaNode => {
    // Counts recursion, not tree depth: `((((1))))` adds no nodes but still recurses.
    if (++nesting > limits.maxDepth) tooDeep(peek().pos)
    let left = prefix()
    for (;;) {
      const t = peek()
      if (t.kind !== 'op') break
      if (t.text === '?' && TERNARY_BP > minBp) {
        next()
        const then = expression(0)
        expect(':')
        const otherwise = expression(0)
        left = make({ type: 'conditional', test: left, then, else: otherwise, pos: t.pos })
        continue
      }
      const bp = BINARY[t.text]
      if (bp === undefined || bp <= minBp) break
      next()
      const right = expression(bp)
      const op = t.text as BinaryOperator
      left = make({ type: 'binary', op, left, right, pos: t.pos })
    }
    nesting--
    return left
  }

  const prefix = (): FormulaNode => {
    const t = next()
    if (t.kind === 'num') return make({ type: 'number', value: t.value, pos: t.pos })
    if (t.kind === 'name') return peekIs('(') ? call(t) : variable(t)
    if (t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '!')) {
      const arg = expression(UNARY_BP)
      return make({ type: 'unary', op: t.text, arg, pos: t.pos })
    }
    if (t.kind === 'op' && t.text === '(') {
      const inner = expression(0)
      expect(')')
      return inner
    }
    return fail(t, t.kind === 'eof' ? 'Unexpected end of formula' : `Unexpected "${t.text}"`)
  }

  const peekIs = (text: string) => peek().kind === 'op' && peek().text === text

  const variable = (t: Token): FormulaNode =>
    make({ type: 'variable', name: t.text, path: t.text.split('.'), pos: t.pos })

  const call = (t: Token): FormulaNode => {
    const fn = FORMULA_FUNCTIONS.get(t.text)
    if (!fn) {
      throw new LifecycleError('formula_unknown_function', `Unknown function "${t.text}"`, {
        position: t.pos,
        allowed: [...FORMULA_FUNCTIONS.keys()],
      })
    }
    expect('(')
    const args: FormulaNode[] = []
    if (!peekIs(')')) {
      do args.push(expression(0))
      while (peekIs(',') && next())
    }
    expect(')')
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      const want = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`
      throw new LifecycleError(
        'formula_arity',
        `${t.text}() takes ${want} argument(s), got ${args.length}`,
        { position: t.pos },
      )
    }
    return make({ type: 'call', name: t.text, args, pos: t.pos })
  }

  const tree = expression(0)
  if (peek().kind !== 'eof') fail(peek(), `Unexpected "${peek().text}"`)
  return tree
}
