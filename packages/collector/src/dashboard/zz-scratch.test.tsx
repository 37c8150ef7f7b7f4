/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { launchChromium } from '../../../../test/support/chromium.js'
import { ContactsBody } from './pages/contacts.js'
import { Layout } from './views/layout.js'
import { fmtFor } from './views/intl.js'

const people = Array.from({ length: 25 }, (_, i) => ({
  id: `${(0xc88ff001 + i).toString(16)}-0000-4000-8000-000000000000`,
  traits:
    i === 24
      ? {}
      : {
          name: i % 3 === 0 ? `张伟${i}` : `Person ${i}`,
          email: `person${i}@example.com`,
          company: i % 2 ? 'Northwind' : '北方贸易',
          ...(i % 5 === 0 ? { lifetimeValue: 120000000, churnRisk: 20 } : {}),
        },
  firstSeen: new Date(Date.now() - (i + 20) * 86400000).toISOString(),
  lastSeen: new Date(Date.now() - i * 86400000).toISOString(),
  score: { total: 63.8 - i, fit: 10, engagement: 53.8, grade: i < 6 ? 'hot' : 'cold' },
}))

it('measures', async () => {
  const browser = await launchChromium()
  for (const locale of ['en', 'zh-CN'] as const) {
    const f = fmtFor(locale, 'UTC')
    const html = String(
      await (
        <Layout title="x" locale={locale} nonce="n" section="contacts" workspace="E2E" role="owner">
          <ContactsBody
            f={f}
            csrf="x"
            filters={{}}
            grades={['cold', 'warm', 'hot']}
            views={[]}
            contacts={people as never}
            next={null}
            scanned={0}
            windowFull={false}
            paged={false}
            canErase
            canExport
            canAddToList
            lists={[]}
            audiences={{ segments: [], lists: [] } as never}
            currency="CNY"
            currencies={new Map()}
          />
        </Layout>
      ).toString(),
    )
    writeFileSync(`/tmp/contacts-${locale}.html`, '<!doctype html>' + html)
    for (const width of [1280, 390]) {
      const ctx = await browser.newContext({ viewport: { width, height: 900 }, locale })
      const page = await ctx.newPage()
      await page.setContent('<!doctype html>' + html)
      const m = await page.locator('#contacts').evaluate((t) => ({
        scroll: t.parentElement!.scrollWidth,
        client: t.parentElement!.clientWidth,
        cols: [...t.querySelectorAll('thead th')].map(
          (th) => `${(th as HTMLElement).innerText.trim()}=${Math.round(th.getBoundingClientRect().width)}`,
        ),
        rowH: Math.round(t.querySelector('tbody tr')!.getBoundingClientRect().height),
      }))
      console.log(locale, width, JSON.stringify(m))
      if (width === 1280) await page.screenshot({ path: `/tmp/contacts-${locale}-${width}.png`, fullPage: true })
      else await page.screenshot({ path: `/tmp/contacts-${locale}-${width}.png` })
      await ctx.close()
    }
  }
  await browser.close()
}, 60000)
