import { fileURLToPath } from 'node:url'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import { dts } from 'rollup-plugin-dts'

const ts = () => typescript({ tsconfig: './tsconfig.build.json', outputToFilesystem: false })
const external = ['@lodestone/protocol']

// The script-tag builds drop the prose of debug messages (see src/core/debug-text.ts).
const scriptTagDebugText = {
  name: 'script-tag-debug-text',
  resolveId(source) {
    if (/\/debug-text\.js$/.test(source))
      return fileURLToPath(new URL('./src/core/debug-text.script-tag.ts', import.meta.url))
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
  'contact',
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
    // The `unsafe_*` transforms assume built-ins behave as specified, which the SDK relies on.
    module: true,
    compress: {
      passes: 3,
      pure_getters: true,
      unsafe: true,
      unsafe_arrows: true,
      unsafe_methods: true,
      unsafe_undefined: true,
    },
    mangle: {
      properties: { regex: new RegExp(`^(${INTERNAL_PROPERTIES.join('|')})$`), builtins: true },
    },
    format: { comments: false },
  })

const iife = (input, file) => ({
  input,
  plugins: [scriptTagDebugText, ts()],
  output: { file, format: 'iife', plugins: [minify()] },
})

export default [
  iife('src/script-tag/core.ts', 'dist/lodestone.core.iife.js'),
  iife('src/script-tag/full.ts', 'dist/lodestone.iife.js'),
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
