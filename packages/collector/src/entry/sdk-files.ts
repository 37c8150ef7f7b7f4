import { readFile, stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const FILES = {
  full: new URL('../../../sdk/dist/lodestone.iife.js', import.meta.url),
  core: new URL('../../../sdk/dist/lodestone.core.iife.js', import.meta.url),
  chat: new URL('../../../sdk/dist/lodestone.chat.iife.js', import.meta.url),
  segments: new URL('../../../sdk/dist/lodestone.segments.iife.js', import.meta.url),
}

export type SdkVariant = keyof typeof FILES

/** Reads the SDK's script-tag builds from packages/sdk/dist, re-reading when they change. */
export function createSdkFiles(
  paths: {
    full: string | URL
    core: string | URL
    chat?: string | URL
    segments?: string | URL
  } = FILES,
) {
  const cache = new Map<string, { mtime: number; text: string }>()
  return async function sdkScript(variant: SdkVariant): Promise<string | null> {
    const file = paths[variant]
    if (!file) return null
    const path = typeof file === 'string' ? file : fileURLToPath(file)
    try {
      const { mtimeMs } = await stat(path)
      const hit = cache.get(path)
      if (hit && hit.mtime === mtimeMs) return hit.text
      const text = await readFile(path, 'utf8')
      cache.set(path, { mtime: mtimeMs, text })
      return text
    } catch {
      // The full build is optional while only the core is built.
      return variant === 'full' ? sdkScript('core') : null
    }
  }
}
