import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import { dts } from 'rollup-plugin-dts'

const ts = () => typescript({ tsconfig: './tsconfig.build.json', outputToFilesystem: false })
const external = ['@lodestone/protocol']

// Property names are left alone: the public API and the wire format are made of them.
const minify = () =>
  terser({ ecma: 2020, compress: { passes: 3, pure_getters: true }, format: { comments: false } })

const iife = (input, file) => ({
  input,
  plugins: [ts()],
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
