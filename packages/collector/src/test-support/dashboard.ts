// Drives the dashboard like a browser would, over `app.request()`: a tiny cookie jar and forms.
import type { Hono } from 'hono'
import type { Role } from '../team/port.js'

export function dashboardClient(app: Hono, origin = 'http://localhost') {
  const jar = new Map<string, string>()
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const at = pair!.indexOf('=')
      const name = pair!.slice(0, at)
      const value = pair!.slice(at + 1)
      if (value === '' || /max-age=0/i.test(line)) jar.delete(name)
      else jar.set(name, value)
    }
    return res
  }
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const get = async (path: string) =>
    remember(await app.request(origin + path, { headers: { cookie: cookie() } }))
  const post = async (path: string, form: Record<string, string>) =>
    remember(
      await app.request(origin + path, {
        method: 'POST',
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }),
    )
  /** The value of a hidden input in a page. */
  const hidden = (html: string, name: string) =>
    new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? ''
  /**
   * Signs in as a new member of the key's workspace: invites one through `POST /v1/users` (the
   * key needs the admin scope, as `sk_` has), sets a password through the invite link, and keeps
   * the session cookie. Answers the last response (303 when signed in) and the member's e-mail.
   */
  async function signIn(key: string, role: Role = 'owner') {
    const email = `${role}-${crypto.randomUUID().slice(0, 8)}@team.example`
    const invited = await app.request(origin + '/v1/users', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email, role }),
    })
    if (invited.status !== 201) return Object.assign(invited, { email, password: '' })
    const path = new URL(((await invited.json()) as { inviteUrl: string }).inviteUrl).pathname
    const form = await (await get(path)).text()
    const password = `pw-${crypto.randomUUID()}`
    const res = await post(path, { _login: hidden(form, '_login'), password })
    return Object.assign(res, { email, password })
  }
  /** Signs in with an e-mail and password through `/app/login`. */
  async function signInWith(email: string, password: string) {
    const login = await (await get('/app/login')).text()
    return post('/app/login', { _login: hidden(login, '_login'), email, password, next: '/app' })
  }
  /** The CSRF token of the current session, read from a page's sign-out form. */
  async function csrf() {
    return hidden(await (await get('/app/live')).text(), '_csrf')
  }
  return { jar, get, post, hidden, signIn, signInWith, csrf }
}
