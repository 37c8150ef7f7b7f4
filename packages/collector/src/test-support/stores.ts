import postgres from 'postgres'
import { afterAll, inject } from 'vitest'
import { openStore } from '../adapters/open-store.js'
import type { PostgresStore } from '../adapters/postgres/store.js'

export type TestStore = PostgresStore & { embedded: boolean }

/** The two backends every storage test runs against: embedded PGlite and a real PostgreSQL 15. */
export const BACKENDS = ['pglite', 'postgres'] as const
export type Backend = (typeof BACKENDS)[number]

let dbCounter = 0

/** Opens a fresh, migrated store on the backend: a new in-memory PGlite, or a new database. */
export async function openTestStore(backend: Backend): Promise<TestStore> {
  if (backend === 'pglite') {
    const store = await openStore({ dataDir: null })
    await store.migrate()
    return store
  }
  const admin = postgres(inject('pgUrl'), { max: 1, onnotice: () => {} })
  const name = `t_${process.pid}_${Date.now()}_${++dbCounter}`
  try {
    await admin.unsafe(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(inject('pgUrl'))
  url.pathname = `/${name}`
  const store = await openStore({ databaseUrl: url.toString(), poolSize: 60 })
  await store.migrate()
  return store
}

/**
 * Stores opened through `open` close when the file's tests are done (vitest `afterAll`).
 * @example
 * const stores = closingStores()
 * const store = await stores.open('pglite')
 */
export function closingStores() {
  const opened: TestStore[] = []
  afterAll(async () => {
    for (const s of opened) await s.close()
  })
  return {
    async open(backend: Backend) {
      const store = await openTestStore(backend)
      opened.push(store)
      return store
    },
  }
}
