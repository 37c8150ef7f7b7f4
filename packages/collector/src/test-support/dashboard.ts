// Drives the dashboard like a browser would, over `app.request()`: a tiny cookie jar and forms.
import type { Hono } from 'hono'

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
  async function signIn(key: string) {
    const login = await (await get('/app/login')).text()
    return post('/app/login', { _login: hidden(login, '_login'), key, next: '/app' })
  }
  /** The CSRF token of the current session, read from a page's sign-out form. */
  async function csrf() {
    return hidden(await (await get('/app/live')).text(), '_csrf')
  }
  return { jar, get, post, hidden, signIn, csrf }
}
