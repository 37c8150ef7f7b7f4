import type { Messages } from '../locales.js'

/** The sign-in page. */
export const messages: Messages = {
  en: {
    'login.title': 'Sign in',
    'login.intro': 'Sign in with your workspace secret key (sk_…).',
    'login.key': 'Secret key',
    'login.submit': 'Sign in',
    'login.help':
      'The key was printed once by “lodestone workspace create”. It is checked and then forgotten: it never goes in a URL or a cookie.',
    'login.expired': 'The sign-in form expired. Please try again.',
    'login.wrongKey': 'That secret key does not match a workspace.',
  },
  'zh-CN': {
    'login.title': '登录',
    'login.intro': '请使用工作区密钥（sk_…）登录。',
    'login.key': '密钥',
    'login.submit': '登录',
    'login.help':
      '密钥在执行“lodestone workspace create”时显示过一次。它只用于校验，随即丢弃，不会出现在网址或 Cookie 中。',
    'login.expired': '登录表单已过期，请重试。',
    'login.wrongKey': '该密钥不属于任何工作区。',
  },
}
