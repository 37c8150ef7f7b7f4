import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { EnvError, readEnv } from './env.js'
import { LIVE_STREAM_DEFAULTS } from '../live/subscriber.js'
import { REPLAY_DEFAULTS } from '../live/ring.js'
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

/**
 * Runs `lodestone start` with `env` added (the embedded store in a fresh directory) and checks it
 * exits 1 without listening; answers the run for its stderr.
 */
function startRefused(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'lodestone-env-'))
  try {
    const run = spawnSync(process.execPath, [BIN, 'start'], {
      env: { ...process.env, PORT: '0', DATABASE_URL: '', LODESTONE_DATA_DIR: dir, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(run.status).toBe(1)
    expect(run.stdout).not.toContain('listening')
    return run
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
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
    const run = startRefused({
      REDIS_CLUSTER_NODES: '127.0.0.1:1',
      UPSTASH_REDIS_REST_URL: 'https://eu1.upstash.io',
      UPSTASH_REDIS_REST_TOKEN: 't',
    })
    expect(run.stderr).toContain('REDIS_CLUSTER_NODES and UPSTASH_REDIS_REST_URL are exclusive')
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

  it("reads the live streams' caps and replay buffer; unset ones keep their defaults", () => {
    expect(readEnv({}).liveStream).toEqual({})
    expect(readEnv({}).liveReplay).toEqual({})
    const env = readEnv({
      LODESTONE_LIVE_QUEUE_ENTRIES: '2000',
      LODESTONE_LIVE_QUEUE_BYTES: '1048576',
      LODESTONE_LIVE_DROP_GRACE_MS: '250',
      LODESTONE_LIVE_MAX_STREAMS: ' 7 ',
      LODESTONE_LIVE_REPLAY_ENTRIES: '0',
      LODESTONE_LIVE_REPLAY_IDLE_MS: '60000',
      LODESTONE_LIVE_REPLAY_WORKSPACES: '20',
    })
    expect(env.liveStream).toEqual({
      maxEntries: 2000,
      maxBytes: 1048576,
      dropGraceMs: 250,
      maxSubscribers: 7,
    })
    expect(env.liveReplay).toEqual({ maxEntries: 0, idleMs: 60000, maxIdleWorkspaces: 20 })
    // As live/subscriber.ts merges them: a variable left unset does not hide its default.
    const partial = readEnv({ LODESTONE_LIVE_MAX_STREAMS: '3' }).liveStream
    expect({ ...LIVE_STREAM_DEFAULTS, ...partial }).toEqual({
      ...LIVE_STREAM_DEFAULTS,
      maxSubscribers: 3,
    })
    expect({
      ...REPLAY_DEFAULTS,
      ...readEnv({ LODESTONE_LIVE_REPLAY_BYTES: '' }).liveReplay,
    }).toEqual(REPLAY_DEFAULTS)
  })

  it('refuses nonsense live-stream settings, naming each variable', () => {
    const problems = problemsOf({
      LODESTONE_LIVE_QUEUE_ENTRIES: '0',
      LODESTONE_LIVE_QUEUE_BYTES: '100',
      LODESTONE_LIVE_DROP_GRACE_MS: '5s',
      LODESTONE_LIVE_MAX_STREAMS: '-1',
      LODESTONE_LIVE_REPLAY_ENTRIES: '1e9',
      LODESTONE_LIVE_REPLAY_BYTES: '2.5',
      LODESTONE_LIVE_REPLAY_IDLE_MS: '5 min',
      LODESTONE_LIVE_REPLAY_WORKSPACES: '-3',
    })
    expect(problems).toEqual([
      'LODESTONE_LIVE_QUEUE_ENTRIES must be a whole number of entries from 1 to 1000000 (got "0")',
      'LODESTONE_LIVE_QUEUE_BYTES must be a whole number of bytes from 65536 (64 KiB) to 1073741824 (1 GiB) (got "100")',
      'LODESTONE_LIVE_DROP_GRACE_MS must be a whole number of milliseconds from 1 to 600000 (got "5s")',
      'LODESTONE_LIVE_MAX_STREAMS must be a whole number of streams from 1 to 100000 (got "-1")',
      'LODESTONE_LIVE_REPLAY_ENTRIES must be a whole number of entries from 0 (none kept) to 100000 (got "1e9")',
      'LODESTONE_LIVE_REPLAY_BYTES must be a whole number of bytes from 0 to 268435456 (256 MiB) (got "2.5")',
      'LODESTONE_LIVE_REPLAY_IDLE_MS must be a whole number of milliseconds from 0 (forgotten when the last stream closes) to 86400000 (a day) (got "5 min")',
      'LODESTONE_LIVE_REPLAY_WORKSPACES must be a whole number of workspaces from 0 to 100000 (got "-3")',
    ])
    for (const bad of ['2000000', '99999999999999999999', 'lots'])
      expect(problemsOf({ LODESTONE_LIVE_QUEUE_ENTRIES: bad })[0]).toMatch(
        /^LODESTONE_LIVE_QUEUE_ENTRIES must be/,
      )
  })

  it.each([
    [
      'LODESTONE_LIVE_QUEUE_BYTES',
      '100',
      'must be a whole number of bytes from 65536 (64 KiB) to 1073741824 (1 GiB) (got "100")',
    ],
    ['LODESTONE_RATE_LIMIT', 'abc', 'must be a positive number of events per second (got "abc")'],
  ])('lodestone start refuses %s=%s with one line naming it', (name, value, problem) => {
    const run = startRefused({ [name]: value })
    expect(run.stderr.trim()).toBe(`lodestone: invalid environment: ${name} ${problem}`)
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
