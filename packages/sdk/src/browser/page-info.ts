/**
 * The page as events describe it. After an SPA route change the referrer is the previous
 * URL, not `document.referrer` (which never changes in a single-page app).
 *
 * @example
 * const info = createPageInfo()
 * info.properties().path // '/pricing'
 */
export const createPageInfo = () => {
  let referrer = document.referrer
  const properties = () => ({
    url: location.href,
    path: location.pathname,
    search: location.search,
    title: document.title,
    referrer,
  })
  return {
    properties,
    context: () => ({
      page: properties(),
      userAgent: navigator.userAgent,
      locale: navigator.language,
    }),
    setReferrer(url: string) {
      referrer = url
    },
  }
}

/** Do Not Track or Global Privacy Control is switched on in this browser. */
export const optOutSignal = (): boolean => {
  const n = navigator as Navigator & { globalPrivacyControl?: boolean }
  const w = window as Window & { doNotTrack?: string }
  return n.doNotTrack === '1' || w.doNotTrack === '1' || n.globalPrivacyControl === true
}
