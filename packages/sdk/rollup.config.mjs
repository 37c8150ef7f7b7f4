import { fileURLToPath } from 'node:url'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import { dts } from 'rollup-plugin-dts'

const ts = () => typescript({ tsconfig: './tsconfig.build.json', outputToFilesystem: false })
const external = ['@lodestone/protocol']

// The script-tag builds drop the prose of debug messages (see src/core/debug-text.ts), the
// removers nothing in them can call (see src/core/teardowns.ts) and the chat vendor adapters,
// which ship in the chat add-on (see src/plugins/chat/vendors.ts).
const scriptTagFlags = {
  name: 'script-tag-flags',
  resolveId(source) {
    const flag = /\/(debug-text|teardowns|vendors)\.js$/.exec(source)?.[1]
    const dir = flag === 'vendors' ? 'plugins/chat' : 'core'
    if (flag) return fileURLToPath(new URL(`./src/${dir}/${flag}.script-tag.ts`, import.meta.url))
    return null
  },
}

// Property names are mostly left alone: the public API, the load options, the plugin contract,
// the wire and storage formats, vendor chat APIs and the DOM are made of them. Only the names
// below are shortened: each is internal to the SDK and never read from a browser, vendor or
// user object in the script-tag build. Add a name only after checking all of that: `builtins`
// is on, so a listed name is shortened even where the DOM has a property of that name (`send`,
// `start`, `store`…); none of those DOM properties is used by the SDK.
const INTERNAL_PROPERTIES = [
  'strings',
  'objects',
  'callback',
  'queueStore',
  'pageProperties',
  'optOutSignal',
  'optOut',
  'setReferrer',
  'busy',
  'retryAfterMs',
  'updateSubscriptions',
  'setAnonymousId',
  'forget',
  'persist',
  'release',
  'restore',
  'retryNow',
  'hold',
  'onChange',
  'backoff',
  'storage',
  'watch',
  'hide',
  'show',
  'online',
  'route',
  'stop',
  'save',
  'send',
  'store',
  'dropped',
  'events',
  'start',
  'chars',
  'clear',
]

const minify = () =>
  terser({
    ecma: 2020,
    toplevel: true,
    // `module`: the bundle is strict ES module code wrapped in an IIFE (no "use strict" needed).
    // The `unsafe_*` transforms assume built-ins behave as specified, which the SDK relies on
    // (not `unsafe_methods`: it makes `{ a: () => x }` the longer `{ a() { return x } }`).
    module: true,
    compress: {
      passes: 3,
      pure_getters: true,
      unsafe: true,
      unsafe_arrows: true,
      unsafe_undefined: true,
    },
    mangle: {
      properties: { regex: new RegExp(`^(${INTERNAL_PROPERTIES.join('|')})$`), builtins: true },
    },
    // Escaped non-ASCII (the CJK field names) compresses better than UTF-8 bytes, and the
    // script then parses right even when served without a charset.
    format: { comments: false, ascii_only: true },
  })

// After minification every `const` becomes `let` and back-to-back declarations become one
// (`let a=1;let b=a` → `let a=1,b=a`): the same block scoping and temporal dead zone, fewer bytes.
// Only parsed declarations are touched (never a string or a name), and the SDK never assigns
// to a constant, so nothing that runs changes.
const mergeDeclarations = {
  name: 'merge-declarations',
  renderChunk(code) {
    const edits = [] // [start, end, text], never overlapping
    const lexical = (node) => node?.type === 'VariableDeclaration' && node.kind !== 'var'
    const visit = (node) => {
      if (Array.isArray(node)) {
        // A statement list: join a declaration to the one right before it.
        node.forEach((child, i) => {
          const previous = node[i - 1]
          if (lexical(child) && lexical(previous) && previous.end === child.start)
            edits.push([previous.declarations.at(-1).end, child.declarations[0].start, ','])
        })
        return node.forEach(visit)
      }
      if (!node || typeof node.type !== 'string') return
      const joined = edits.some(([start, end]) => start <= node.start && node.start < end)
      if (node.type === 'VariableDeclaration' && node.kind === 'const' && !joined)
        edits.push([node.start, node.start + 'const'.length, 'let'])
      for (const key in node) if (node[key] && typeof node[key] === 'object') visit(node[key])
    }
    visit(this.parse(code))
    let out = ''
    let at = 0
    for (const [start, end, text] of edits.sort((a, b) => a[0] - b[0])) {
      out += code.slice(at, start) + text
      at = end
    }
    return { code: out + code.slice(at), map: null }
  },
}

const iife = (input, file) => ({
  input,
  plugins: [scriptTagFlags, ts()],
  output: { file, format: 'iife', plugins: [minify(), mergeDeclarations] },
})

export default [
  iife('src/script-tag/core.ts', 'dist/lodestone.core.iife.js'),
  iife('src/script-tag/full.ts', 'dist/lodestone.iife.js'),
  iife('src/script-tag/chat-addon.ts', 'dist/lodestone.chat.iife.js'),
  iife('src/script-tag/segments-addon.ts', 'dist/lodestone.segments.iife.js'),
  {
    input: 'src/index.ts',
    external,
    plugins: [ts()],
    output: [
      { dir: 'dist/esm', format: 'es', preserveModules: true, preserveModulesRoot: 'src' },
      { file: 'dist/cjs/index.cjs', format: 'cjs' },
    ],
  },
  {
    input: 'src/index.ts',
    external,
    plugins: [dts({ tsconfig: './tsconfig.build.json' })],
    output: { file: 'dist/index.d.ts', format: 'es' },
  },
]
