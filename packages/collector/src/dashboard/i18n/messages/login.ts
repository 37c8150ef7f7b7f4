import type { Messages } from '../locales.js'

/** The sign-in page and the page an invite or reset link opens (docs/team.md). */
export const messages: Messages = {
  en: {
    'login.title': 'Sign in',
    'login.intro': 'Sign in with your e-mail address and password.',
    'login.email': 'E-mail',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.help':
      'No account yet? An owner of your workspace can invite you from the Team page. Forgot your password? An owner can send you a new link.',
    'login.expired': 'The sign-in form expired. Please try again.',
    'login.invalid': 'That e-mail and password do not match an account.',
    'login.throttled': 'Too many attempts. Try again in {seconds} seconds.',
    'login.invite.title': 'Set your password',
    'login.invite.intro': 'Choose a password for {email}. You will be signed in right away.',
    'login.invite.submit': 'Set password and sign in',
    'login.invite.gone': 'This link has expired or was already used. Ask an owner for a new one.',
    'login.invite.short': 'Use at least {min} characters.',
    'login.invite.long': 'That password is too long.',
    'login.oidc': 'Sign in with your company account',
    'login.continue': 'Continue to the dashboard',
  },
  'zh-CN': {
    'login.title': '登录',
    'login.intro': '请使用邮箱和密码登录。',
    'login.email': '邮箱',
    'login.password': '密码',
    'login.submit': '登录',
    'login.help':
      '还没有账号？请工作区所有者在“团队”页面邀请您。忘记密码？请所有者为您生成新的链接。',
    'login.expired': '登录表单已过期，请重试。',
    'login.invalid': '邮箱或密码不正确。',
    'login.throttled': '尝试次数过多，请在 {seconds} 秒后重试。',
    'login.invite.title': '设置密码',
    'login.invite.intro': '为 {email} 设置密码，设置后将自动登录。',
    'login.invite.submit': '设置密码并登录',
    'login.invite.gone': '此链接已过期或已被使用，请联系所有者重新获取。',
    'login.invite.short': '密码至少需要 {min} 个字符。',
    'login.invite.long': '密码太长。',
    'login.oidc': '使用公司账号登录',
    'login.continue': '进入控制台',
  },
}
