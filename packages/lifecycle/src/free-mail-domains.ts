/**
 * Free-mail providers: an address there says nothing about the company a person works for,
 * so company-domain matching (docs/accounts.md) never uses these domains.
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.co.jp',
  'ymail.com',
  'hotmail.com',
  'hotmail.co.uk',
  'outlook.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.com',
  'mail.ru',
  'yandex.ru',
  'yandex.com',
  'proton.me',
  'protonmail.com',
  'zoho.com',
  'fastmail.com',
  'tutanota.com',
  'qq.com',
  'foxmail.com',
  '163.com',
  '126.com',
  'yeah.net',
  'sina.com',
  'sina.cn',
  'sohu.com',
  'aliyun.com',
  '139.com',
  'naver.com',
  'daum.net',
  'hanmail.net',
  'libero.it',
  'orange.fr',
  'free.fr',
  't-online.de',
  'rediffmail.com',
])

/**
 * True for a free-mail domain (or a subdomain of one).
 * @example isFreeMailDomain('gmail.com') // true
 */
export function isFreeMailDomain(domain: string): boolean {
  const parts = domain.trim().toLowerCase().replace(/\.$/, '').split('.')
  for (let i = 0; i < parts.length - 1; i++) {
    if (FREE_MAIL_DOMAINS.has(parts.slice(i).join('.'))) return true
  }
  return false
}
