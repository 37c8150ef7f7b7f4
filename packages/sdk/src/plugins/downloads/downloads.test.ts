import { afterEach, describe, expect, it } from 'vitest'
import { fakeContext } from '../shared/fake-context'
import { downloads, type DownloadsOptions } from './downloads'

let teardown: (() => void) | void
afterEach(() => {
  if (teardown) teardown()
  teardown = undefined
  document.body.innerHTML = ''
})

function click(html: string, options?: DownloadsOptions) {
  document.body.innerHTML = html
  const ctx = fakeContext()
  teardown = downloads(options).setup!(ctx)
  const target = document.querySelector('[data-click]') || document.querySelector('a')!
  // Links must not really navigate the test page.
  document.addEventListener('click', (e) => e.preventDefault(), { once: true })
  target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
  return ctx
}

describe('downloads', () => {
  it('reports a document link with file name and extension, without query string', () => {
    const ctx = click(
      `<a href="/files/Whitepaper%202025.PDF?token=secret#p2"><span data-click>Get it</span></a>`,
    )
    expect(ctx.tracks).toEqual([
      {
        event: 'File Downloaded',
        properties: {
          url: `${location.origin}/files/Whitepaper%202025.PDF`,
          fileName: 'Whitepaper 2025.PDF',
          extension: 'pdf',
        },
      },
    ])
    expect(ctx.flushes).toEqual([{ beacon: true }])
  })

  it.each(['docx', 'xlsx', 'pptx', 'zip', 'csv'])('counts .%s by default', (extension) => {
    expect(click(`<a href="/f/report.${extension}">x</a>`).tracks[0]!.properties.extension).toBe(
      extension,
    )
  })

  it('honours configured extensions and the download attribute', () => {
    expect(click(`<a href="/app.dmg">x</a>`, { extensions: ['dmg'] }).tracks[0]!.event).toBe(
      'File Downloaded',
    )
    expect(click(`<a href="/report.pdf">x</a>`, { extensions: ['dmg'] }).tracks).toEqual([])
    expect(click(`<a href="/export" download>x</a>`).tracks[0]!.properties).toMatchObject({
      fileName: 'export',
      extension: '',
    })
  })

  it('reports links to other domains as outbound, with the domain', () => {
    const ctx = click(`<a href="https://partner.example.net/page?utm=1">partner</a>`)
    expect(ctx.tracks).toEqual([
      {
        event: 'Outbound Link Clicked',
        properties: { url: 'https://partner.example.net/page', domain: 'partner.example.net' },
      },
    ])
  })

  it('ignores same-site links, mailto links and ignored links', () => {
    expect(click(`<a href="/pricing.html">pricing</a>`).tracks).toEqual([])
    expect(click(`<a href="mailto:sales@example.com">mail</a>`).tracks).toEqual([])
    expect(
      click(`<div data-lodestone-ignore><a href="https://other.example.org/">x</a></div>`).tracks,
    ).toEqual([])
  })
})
