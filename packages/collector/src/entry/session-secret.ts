import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { randomToken } from '../team/tokens.js'

/**
 * The session secret (docs/team.md): `LODESTONE_SESSION_SECRET` when set; otherwise one generated
 * once into the data directory (`session-secret`, mode 0600), like the demo keys. Never derived
 * from anything in the database. `dataDir` null (tests): a random secret for this process only.
 */
export function loadSessionSecret(fromEnv: string | undefined, dataDir: string | null): string {
  if (fromEnv) {
    if (fromEnv.length < 32)
      throw new Error('LODESTONE_SESSION_SECRET must be at least 32 characters')
    return fromEnv
  }
  if (dataDir === null) return randomToken()
  const dir = resolve(dataDir)
  const file = join(dir, 'session-secret')
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim()
    if (stored.length >= 32) return stored
  }
  const secret = randomToken()
  mkdirSync(dir, { recursive: true })
  writeFileSync(file, secret + '\n', { mode: 0o600 })
  return secret
}
