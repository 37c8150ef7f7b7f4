import { Redis as IoRedis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startUpstashBridge, type UpstashBridge } from './upstash-bridge.js'

// The wire protocol as Upstash documents it, checked with plain fetch so every byte is visible.
// (@upstash/redis itself drives the bridge in packages/collector/src/adapters/upstash/.)

let bridge: UpstashBridge
let direct: IoRedis
const P = `t:bridge:${Date.now().toString(36)}:`

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisPort: inject('redisPort'), token: 'secret-token' })
  direct = new IoRedis({ port: inject('redisPort'), host: '127.0.0.1' })
})
afterAll(async () => {
  await bridge.stop()
  direct.disconnect()
})

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(bridge.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${bridge.token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as unknown }
}
const b64 = (s: string) => Buffer.from(s).toString('base64')
const BASE64 = { 'upstash-encoding': 'base64' }

describe('startUpstashBridge', () => {
  it('uses the token it was given and refuses others with 401', async () => {
    expect(bridge.token).toBe('secret-token')
    const none = await fetch(bridge.url, { method: 'POST', body: '["PING"]' })
    expect(none.status).toBe(401)
    expect(await none.json()).toEqual({ error: 'Unauthorized' })
    expect((await post('/', ['PING'], { authorization: 'Bearer nope' })).status).toBe(401)
    const viaQuery = await fetch(`${bridge.url}/?_token=secret-token`, {
      method: 'POST',
      body: '["PING"]',
    })
    expect(await viaQuery.json()).toEqual({ result: 'PONG' })
  })

  it('runs one command on the real Redis and answers {"result": …}', async () => {
    expect(await post('/', ['SET', `${P}a`, 'é漢字🙂'])).toEqual({
      status: 200,
      body: { result: 'OK' },
    })
    expect(await direct.get(`${P}a`)).toBe('é漢字🙂')
    expect((await post('/', ['GET', `${P}a`])).body).toEqual({ result: 'é漢字🙂' })
    expect((await post('/', ['INCRBY', `${P}n`, 5])).body).toEqual({ result: 5 })
    expect((await post('/', ['GET', `${P}missing`])).body).toEqual({ result: null })
  })

  it('base64-encodes every string result with Upstash-Encoding: base64, except a top-level OK', async () => {
    expect((await post('/', ['SET', `${P}b`, 'hello'], BASE64)).body).toEqual({ result: 'OK' })
    expect((await post('/', ['GET', `${P}b`], BASE64)).body).toEqual({ result: b64('hello') })
    await post('/', ['RPUSH', `${P}l`, 'OK', 'é'])
    expect((await post('/', ['LRANGE', `${P}l`, 0, -1], BASE64)).body).toEqual({
      result: [b64('OK'), b64('é')],
    })
    const id = (await post('/', ['XADD', `${P}s`, '*', 'e', 'x'])).body as { result: string }
    expect((await post('/', ['XRANGE', `${P}s`, '-', '+'], BASE64)).body).toEqual({
      result: [[b64(id.result), [b64('e'), b64('x')]]],
    })
  })

  it('answers a refused command with 400 and {"error": …}', async () => {
    await post('/', ['SET', `${P}text`, 'abc'])
    expect(await post('/', ['INCR', `${P}text`])).toEqual({
      status: 400,
      body: { error: expect.stringMatching(/^ERR value is not an integer/) },
    })
    expect((await post('/', ['NOSUCHCOMMAND'])).status).toBe(400)
  })

  it('rejects bodies that are not a command with 400', async () => {
    for (const body of ['{not json', '[]', '{"a":1}', '[1,2]', '[["GET","k"]]']) {
      const res = await post('/', body)
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ error: expect.any(String) })
    }
    expect((await post('/nowhere', ['PING'])).status).toBe(404)
  })

  it('runs /pipeline in order, with per-command results and errors', async () => {
    const res = await post('/pipeline', [
      ['SET', `${P}p`, '1'],
      ['INCR', `${P}p`],
      ['INCR', `${P}text`],
      ['GET', `${P}p`],
    ])
    expect(res).toEqual({
      status: 200,
      body: [
        { result: 'OK' },
        { result: 2 },
        { error: expect.stringMatching(/^ERR value is not an integer/) },
        { result: '2' },
      ],
    })
  })

  it('runs /multi-exec as a transaction, refusing it whole when Redis aborts it', async () => {
    const ok = await post(
      '/multi-exec',
      [
        ['INCRBY', `${P}m`, 3],
        ['EXPIRE', `${P}m`, 60, 'NX'],
        ['GET', `${P}m`],
      ],
      BASE64,
    )
    expect(ok).toEqual({ status: 200, body: [{ result: 3 }, { result: 1 }, { result: b64('3') }] })
    const aborted = await post('/multi-exec', [['SET', `${P}never`, 'x'], ['NOSUCHCOMMAND']])
    expect(aborted.status).toBe(400)
    expect(aborted.body).toEqual({ error: expect.stringMatching(/EXECABORT/) })
    expect(await direct.exists(`${P}never`)).toBe(0)
  })

  it('simulates an outage: 503, a reset, or silence, until resume()', async () => {
    const before = bridge.commands
    bridge.pause()
    expect(await post('/', ['PING'])).toEqual({ status: 503, body: { error: expect.any(String) } })
    bridge.pause('reset')
    await expect(post('/', ['PING'])).rejects.toThrow()
    bridge.pause('hang')
    const hung = fetch(bridge.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}` },
      body: '["PING"]',
      signal: AbortSignal.timeout(200),
    })
    await expect(hung).rejects.toThrow()
    bridge.resume()
    expect(bridge.commands).toBe(before)
    expect((await post('/', ['PING'])).body).toEqual({ result: 'PONG' })
    expect(bridge.commands).toBe(before + 1)
  })

  it('stops listening on stop()', async () => {
    const other = await startUpstashBridge({ redisPort: inject('redisPort') })
    expect(other.token).toMatch(/^test_[0-9a-f]{24}$/)
    await other.stop()
    await expect(fetch(other.url, { method: 'POST', body: '["PING"]' })).rejects.toThrow()
  })
})
