import { afterEach, describe, expect, it } from 'vitest'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const BIN = join(__dirname, '..', 'packages', 'collector', 'bin', 'lodestone.mjs')
const running: ChildProcess[] = []
const dirs: string[] = []

function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'lodestone-cli-'))
  dirs.push(d)
  return d
}

/** Starts `lodestone start` and waits for its banner; returns the URL and printed keys. */
async function start(dataDir: string) {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { ...process.env, PORT: '0', LODESTONE_DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.push(child)
  let out = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 60_000)
    child.stdout!.on('data', (d) => {
      out += d
      // The dashboard's sign-in line comes after the keys.
      if (/secret key:/.test(out) && /Dashboard/.test(out)) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
  })
  const url = /listening on (http:\/\/\S+)/.exec(out)![1]!
  const writeKey = /write key:\s+(wk_\S+)/.exec(out)![1]!
  const secretKey = /secret key:\s+(sk_\S+)/.exec(out)![1]!
  return { child, url, writeKey, secretKey, out }
}

/** The page's login challenge and its cookie, for posting a sign-in or password form. */
async function challenge(url: string) {
  const res = await fetch(url)
  const value = /name="_login" value="([^"]+)"/.exec(await res.text())?.[1] ?? ''
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  return { value, cookie, status: res.status }
}

async function postForm(url: string, cookie: string, form: Record<string, string>) {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(form).toString(),
  })
}

const session = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith('lodestone_session='))
    ?.split(';')[0]

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}

afterEach(() => {
  for (const c of running.splice(0)) c.kill('SIGKILL')
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('lodestone CLI on the embedded store', () => {
  it('start prints keys; events acknowledged with 200 survive a restart', async () => {
    const dir = tempDir()
    const first = await start(dir)
    const batch = Array.from({ length: 5 }, (_, i) => ({
      type: 'track',
      event: 'Restart Test',
      anonymousId: 'cli-visitor',
      messageId: `restart-${i}`,
    }))
    const res = await fetch(`${first.url}/v1/batch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${btoa(first.writeKey + ':')}`,
      },
      body: JSON.stringify({ batch }),
    })
    expect(res.status).toBe(200)
    await stop(first.child)

    const second = await start(dir)
    expect(second.writeKey).toBe(first.writeKey)
    const lookup = await fetch(`${second.url}/v1/contacts/lookup?anonymousId=cli-visitor`, {
      headers: { authorization: `Bearer ${second.secretKey}` },
    })
    expect(lookup.status).toBe(200)
    const contact = await lookup.json()
    const events = await (
      await fetch(`${second.url}/v1/contacts/${contact.id}/events`, {
        headers: { authorization: `Bearer ${second.secretKey}` },
      })
    ).json()
    expect(events.events.map((e: { messageId: string }) => e.messageId).sort()).toEqual(
      batch.map((e) => e.messageId).sort(),
    )
    await stop(second.child)
  })

  it('workspace create --json prints exactly one JSON object with the fixed fields', () => {
    const dir = tempDir()
    const env = { ...process.env, LODESTONE_DATA_DIR: dir, DATABASE_URL: '' }
    const out = execFileSync(
      process.execPath,
      [BIN, 'workspace', 'create', '--name', 'Acme', '--json'],
      { env },
    ).toString()
    const ws = JSON.parse(out)
    expect(Object.keys(ws).sort()).toEqual(['id', 'name', 'secretKey', 'writeKey'])
    expect(ws.name).toBe('Acme')
    expect(ws.writeKey).toMatch(/^wk_/)
    expect(ws.secretKey).toMatch(/^sk_/)
    const list = JSON.parse(
      execFileSync(process.execPath, [BIN, 'workspace', 'list', '--json'], { env }).toString(),
    )
    expect(list.map((w: { id: string }) => w.id)).toContain(ws.id)
  })

  it("start prints the demo owner's invite link; the password set there signs in after a restart", async () => {
    const dir = tempDir()
    const first = await start(dir)
    const link = /Dashboard: open (http:\/\/\S+\/app\/invite\/[\w-]+)/.exec(first.out)?.[1]
    expect(link, first.out).toBeDefined()
    expect(first.out).toContain('owner@demo.lodestone.local')
    const form = await challenge(link!)
    expect(form.status).toBe(200)
    const set = await postForm(link!, form.cookie, {
      _login: form.value,
      password: 'demo owner pw 1',
    })
    expect(set.status).toBe(303)
    const cookie = session(set)!
    expect((await fetch(`${first.url}/app`, { headers: { cookie } })).status).toBe(200)
    await stop(first.child)

    const second = await start(dir)
    expect(second.out).toContain('/app/login')
    expect(second.out).not.toContain('owner@demo.lodestone.local')
    expect(second.out).not.toContain('/app/invite/')
    // The session secret lives in the data directory: the session made before the restart holds.
    expect((await fetch(`${second.url}/app`, { headers: { cookie } })).status).toBe(200)
    const login = await challenge(`${second.url}/app/login`)
    const signedIn = await postForm(`${second.url}/app/login`, login.cookie, {
      _login: login.value,
      email: 'owner@demo.lodestone.local',
      password: 'demo owner pw 1',
      next: '/app',
    })
    expect(signedIn.status).toBe(303)
    expect(session(signedIn)).toBeDefined()
    await stop(second.child)
  })
})
