import type { Plugin } from '../../core/plugin'
import { ignored, listen, removeAll } from '../shared/listen'

export interface DownloadsOptions {
  /** File extensions (without dot) whose links count as downloads; replaces the defaults. */
  extensions?: string[]
}

/** Extensions counted as downloads unless `extensions` is given. */
export const DEFAULT_EXTENSIONS =
  'pdf doc docx xls xlsx ppt pptx csv txt rtf odt ods odp zip rar 7z gz dmg exe msi pkg apk epub mp3 mp4'.split(
    ' ',
  )

const host = (hostname: string) => hostname.replace(/^www\./, '')

/**
 * Emits `File Downloaded` `{ url, fileName, extension }` for clicks on links to files (by
 * extension, or any link with a `download` attribute) and `Outbound Link Clicked`
 * `{ url, domain }` for clicks on links to another host (`www.` aside). URLs are reported
 * without query string or fragment, which often carry tokens. Links inside
 * `data-lodestone-ignore` are left alone.
 *
 * @example
 * load('wk_…', { plugins: [downloads({ extensions: ['pdf', 'dmg'] })] })
 */
export const downloads = (options: DownloadsOptions = {}): Plugin => {
  return {
    name: 'downloads',
    setup(ctx) {
      const extensions = new Set(
        (options.extensions || DEFAULT_EXTENSIONS).map((e) => e.toLowerCase()),
      )
      const onClick = (event: Event) => {
        const link = (event.target as Element | null)?.closest?.(
          'a[href]',
        ) as HTMLAnchorElement | null
        if (!link || ignored(link)) return
        const url = new URL(link.href)
        if (!/^https?:$/.test(url.protocol)) return
        const clean = url.origin + url.pathname
        const fileName = decodeURIComponent(url.pathname.split('/').pop()!)
        const extension = /\.([a-z0-9]{1,8})$/i.exec(fileName)?.[1]?.toLowerCase()
        if ((extension && extensions.has(extension)) || link.hasAttribute('download')) {
          ctx.track('File Downloaded', { url: clean, fileName, extension: extension || '' })
        } else if (host(url.hostname) !== host(location.hostname)) {
          ctx.track('Outbound Link Clicked', { url: clean, domain: url.hostname })
        } else return
        ctx.flush({ beacon: true })
      }
      return removeAll([listen(document, 'click', onClick), listen(document, 'auxclick', onClick)])
    },
  }
}
