import { describe, expect, it } from 'vitest'
import { readEnv } from './env.js'

describe('readEnv', () => {
  it('reads the ingest concurrency as a positive number, ignoring anything else', () => {
    expect(readEnv({ LODESTONE_INGEST_TRANSACTIONS: '3' }).ingestTransactions).toBe(3)
    for (const bad of ['0', '-1', 'many', ''])
      expect(readEnv({ LODESTONE_INGEST_TRANSACTIONS: bad }).ingestTransactions).toBeUndefined()
    expect(readEnv({}).ingestTransactions).toBeUndefined()
  })

  it('reads the per-address connection cap, with 0 turning it off', () => {
    expect(readEnv({ LODESTONE_MAX_CONNECTIONS_PER_IP: '50' }).maxConnectionsPerIp).toBe(50)
    expect(readEnv({ LODESTONE_MAX_CONNECTIONS_PER_IP: '0' }).maxConnectionsPerIp).toBe(0)
    expect(readEnv({ LODESTONE_MAX_CONNECTIONS_PER_IP: 'x' }).maxConnectionsPerIp).toBeUndefined()
  })

  it('defaults to the embedded store on loopback port 8787', () => {
    const env = readEnv({})
    expect(env).toMatchObject({ port: 8787, host: '127.0.0.1', databaseUrl: undefined })
  })
})
