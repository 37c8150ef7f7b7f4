// @vitest-environment node
// The npm package is tree-shakable (`sideEffects: false`, docs/sdk.md): an app that does not
// import `segments` must not carry it. Bundles an app from the package's source with rollup (the
// SDK's own bundler; TypeScript only transpiled) and looks for the personalisation code.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { rollup, type Plugin } from 'rollup'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const INDEX = fileURLToPath(new URL('./index.ts', import.meta.url))

/** An app's entry (virtual), the package's `.js` imports resolved to their `.ts` sources. */
const source = (app: string): Plugin => ({
  name: 'sdk-source',
  resolveId(id, importer) {
    if (id === 'app') return id
    if (id === '@lodestone/sdk') return INDEX
    if (importer && id.startsWith('.'))
      return fileURLToPath(new URL(id.replace(/\.js$/, '') + '.ts', `file://${importer}`))
    return null
  },
  load(id) {
    if (id === 'app') return app
    const code = readFileSync(id, 'utf8')
    return ts.transpileModule(code, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText
  },
})

async function bundle(app: string): Promise<string> {
  const build = await rollup({ input: 'app', plugins: [source(app)], logLevel: 'silent' })
  const { output } = await build.generate({ format: 'es' })
  await build.close()
  return output.map((o) => ('code' in o ? o.code : '')).join('\n')
}

describe('tree shaking', () => {
  it('leaves segments() out of an app that does not import it', async () => {
    const without = await bundle(
      `import { createLodestone } from '@lodestone/sdk'\ncreateLodestone().load('wk_1')`,
    )
    const withIt = await bundle(
      `import { createLodestone, segments } from '@lodestone/sdk'\n` +
        `const l = createLodestone(); l.load('wk_1'); segments(l).then(console.log)`,
    )
    expect(without).toContain('/v1/batch') // the SDK itself is there
    expect(without).not.toContain('/v1/personalize/segments')
    expect(withIt).toContain('/v1/personalize/segments')
    expect(withIt.length).toBeGreaterThan(without.length)
  }, 60_000)
})
