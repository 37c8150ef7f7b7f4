import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { EnvError, readEnv } from './env.js'
import workers from './workers.js'

const BIN = fileURLToPath(new URL('../../bin/lodestone.mjs', import.meta.url))

function problemsOf(env: Record<string, string>): string[] {
  try {
    readEnv(env)
  } catch (err) {
    expect(err).toBeInstanceOf(EnvError)
    return (err as EnvError).problems
  }
  throw new Error('expected readEnv to refuse')
}

describe('readEnv', () => {
  it('defaults to the embedded store on loopback port 8787', () => {
    const env = readEnv({})
    expect(env).toMatchObject({ port: 8787, host: '127.0.0.1', databaseUrl: undefined })
    expect(readEnv({ PORT: '', DATABASE_URL: '' })).toMatchObject({
      port: 8787,
      databaseUrl: undefined,
    })
  })

  it('reads LODESTONE_RATE_LIMIT as a positive number and refuses 0 or text, naming it', () => {
    expect(readEnv({ LODESTONE_RATE_LIMIT: '5000' }).rateLimit).toBe(5000)
    expect(readEnv({}).rateLimit).toBeUndefined()
    for (const bad of ['0', 'abc', '-5', 'Infinity']) {
      expect(problemsOf({ LODESTONE_RATE_LIMIT: bad })).toEqual([
        `LODESTONE_RATE_LIMIT must be a positive number of events per second (got "${bad}")`,
      ])
    }
  })

  it('reads the ingest concurrency and the connection cap (0: no cap)', () => {
    expect(readEnv({ LODESTONE_INGEST_TRANSACTIONS: '3' }).ingestTransactions).toBe(3)
    expect(readEnv({}).ingestTransactions).toBeUndefined()
    for (const bad of ['0', '-1', 'many', '2.5'])
      expect(problemsOf({ LODESTONE_INGEST_TRANSACTIONS: bad })[0]).toMatch(
        /^LODESTONE_INGEST_TRANSACTIONS must be a whole number ≥ 1/,
      )
    expect(readEnv({ LODESTONE_MAX_CONNECTIONS_PER_IP: '50' }).maxConnectionsPerIp).toBe(50)
    expect(readEnv({ LODESTONE_MAX_CONNECTIONS_PER_IP: '0' }).maxConnectionsPerIp).toBe(0)
    expect(problemsOf({ LODESTONE_MAX_CONNECTIONS_PER_IP: 'x' })[0]).toContain(
      'LODESTONE_MAX_CONNECTIONS_PER_IP',
    )
  })

  it('lists every wrong variable at once; flags, URLs and header names are checked too', () => {
    const problems = problemsOf({
      PORT: '99999',
      LODESTONE_ANONYMIZE_IP: 'yes please',
      LODESTONE_REQUEST_TIMEOUT_MS: '30s',
      UPSTASH_REDIS_REST_URL: 'redis://secret@host',
      LODESTONE_TRUSTED_PROXY_HEADER: 'x forwarded for',
    })
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'PORT',
      'UPSTASH_REDIS_REST_URL',
      'LODESTONE_TRUSTED_PROXY_HEADER',
      'LODESTONE_ANONYMIZE_IP',
      'LODESTONE_REQUEST_TIMEOUT_MS',
      'UPSTASH_REDIS_REST_URL',
    ])
    // A URL may carry a credential: it is never echoed.
    expect(problems.join(' ')).not.toContain('secret')
    expect(
      readEnv({ LODESTONE_ANONYMIZE_IP: 'TRUE', LODESTONE_WEBHOOK_ALLOW_PRIVATE: '0' }),
    ).toMatchObject({
      anonymizeIp: true,
      webhookAllowPrivate: false,
    })
  })

  it('reads REDIS_CLUSTER_NODES as host:port pairs and refuses it beside UPSTASH_*', () => {
    expect(
      readEnv({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001' }).redisClusterNodes,
    ).toEqual(['10.0.0.1:7000', '10.0.0.2:7001'])
    expect(readEnv({}).redisClusterNodes).toBeUndefined()
    expect(problemsOf({ REDIS_CLUSTER_NODES: '10.0.0.1' })).toEqual([
      'REDIS_CLUSTER_NODES must be host:port pairs separated by commas (got "10.0.0.1")',
    ])
    expect(
      problemsOf({
        REDIS_CLUSTER_NODES: '127.0.0.1:7000',
        UPSTASH_REDIS_REST_URL: 'https://eu1.upstash.io',
        UPSTASH_REDIS_REST_TOKEN: 't',
      }),
    ).toEqual([
      'REDIS_CLUSTER_NODES and UPSTASH_REDIS_REST_URL are exclusive: hot state lives in one Redis, set one of them',
    ])
  })

  it('lodestone start refuses REDIS_CLUSTER_NODES beside UPSTASH_* before connecting anywhere', () => {
    const run = spawnSync(process.execPath, [BIN, 'start'], {
      env: {
        ...process.env,
        PORT: '0',
        DATABASE_URL: '',
        REDIS_CLUSTER_NODES: '127.0.0.1:1',
        UPSTASH_REDIS_REST_URL: 'https://eu1.upstash.io',
        UPSTASH_REDIS_REST_TOKEN: 't',
      },
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('REDIS_CLUSTER_NODES and UPSTASH_REDIS_REST_URL are exclusive')
    expect(run.stdout).not.toContain('listening')
  })

  it('on Workers, REDIS_CLUSTER_NODES answers misconfigured (TCP is Node only)', async () => {
    const res = await workers.fetch(
      new Request('http://collector.test/health'),
      { DATABASE_URL: 'postgres://127.0.0.1:1/none', REDIS_CLUSTER_NODES: '127.0.0.1:7000' },
      { waitUntil: () => {} },
    )
    expect(res.status).toBe(500)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error).toMatchObject({ code: 'misconfigured' })
    expect(body.error.message).toContain('REDIS_CLUSTER_NODES')
  })

  it('lodestone start refuses LODESTONE_RATE_LIMIT=abc with one line naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lodestone-env-'))
    try {
      const run = spawnSync(process.execPath, [BIN, 'start'], {
        env: {
          ...process.env,
          PORT: '0',
          DATABASE_URL: '',
          LODESTONE_DATA_DIR: dir,
          LODESTONE_RATE_LIMIT: 'abc',
        },
        encoding: 'utf8',
        timeout: 60_000,
      })
      expect(run.status).toBe(1)
      expect(run.stderr.trim()).toBe(
        'lodestone: invalid environment: LODESTONE_RATE_LIMIT must be a positive number of events per second (got "abc")',
      )
      expect(run.stdout).not.toContain('listening')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('on Workers, LODESTONE_RATE_LIMIT=0 answers misconfigured naming it, not a silent default', async () => {
    const res = await workers.fetch(
      new Request('http://collector.test/health'),
      { DATABASE_URL: 'postgres://127.0.0.1:1/none', LODESTONE_RATE_LIMIT: '0' },
      { waitUntil: () => {} },
    )
    expect(res.status).toBe(500)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('misconfigured')
    expect(body.error.message).toContain('LODESTONE_RATE_LIMIT must be a positive number')
  })
})
