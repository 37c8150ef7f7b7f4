import type { Messages } from '../locales.js'

/** The Setup (onboarding) and Settings pages. */
export const messages: Messages = {
  en: {
    'setup.intro':
      'Three ways to send data: the script tag for websites, the npm package for web apps, and the HTTP API for servers. Any of them completes setup.',
    'setup.waiting':
      'Waiting for your first event… Open your site with the script installed, or send a server call below.',
    'setup.received': 'First event received ({at}). Your workspace is collecting data.',
    'setup.checkAgain': 'Check again',
    'setup.key': 'Write key',
    'setup.keyUnknown':
      'The write key is stored only as a fingerprint, so it cannot be shown. Create a new one here to get snippets ready to paste.',
    'setup.keyConfirm': 'I understand the previous write key stops working',
    'setup.keyCreate': 'Create a write key',
    'setup.keyReplace': 'Replace the write key',
    'setup.tag': 'Website: script tag',
    'setup.tagNote':
      'Paste before </head> on every page. The write key is public by design: it can only send events.',
    'setup.npm': 'Web app: npm package',
    'setup.server': 'Server: HTTP API',
    'setup.serverNote':
      'Send events and traits from your backend, CRM or shop with the same write key.',
    'setup.copy': 'Copy',
    'setup.copied': 'Copied',
    'settings.saved': 'Settings saved.',
    'settings.timeZone': 'Time zone',
    'settings.timeZoneHelp':
      'Every date and time in the dashboard is shown in this time zone, for everyone in the workspace.',
    'settings.example': 'Now in this time zone: {now}',
    'settings.badZone': 'Choose a time zone from the list.',
    'settings.languageHelp':
      'Each person chooses their own language with the switcher at the top right; it is remembered in this browser.',
  },
  'zh-CN': {
    'setup.intro':
      '三种接入方式：网站用跟踪代码，Web 应用用 npm 包，服务器用 HTTP API。任选其一即可完成接入。',
    'setup.waiting':
      '正在等待第一个事件…请打开已安装跟踪代码的网站，或使用下方的服务器调用发送一个事件。',
    'setup.received': '已收到第一个事件（{at}）。工作区已开始收集数据。',
    'setup.checkAgain': '重新检查',
    'setup.key': '写入密钥',
    'setup.keyUnknown':
      '写入密钥仅以指纹形式保存，无法显示。可在此创建新密钥，生成可直接粘贴的代码。',
    'setup.keyConfirm': '我知道旧的写入密钥将失效',
    'setup.keyCreate': '创建写入密钥',
    'setup.keyReplace': '更换写入密钥',
    'setup.tag': '网站：跟踪代码',
    'setup.tagNote': '粘贴到每个页面的 </head> 之前。写入密钥本身是公开的，只能用于发送事件。',
    'setup.npm': 'Web 应用：npm 包',
    'setup.server': '服务器：HTTP API',
    'setup.serverNote':
      '使用同一个写入密钥从后端发送事件和属性。订单、商机、工单和调研属于服务端事件，请改用密钥发送（Authorization: Bearer sk_…）。',
    'setup.copy': '复制',
    'setup.copied': '已复制',
    'settings.saved': '设置已保存。',
    'settings.timeZone': '时区',
    'settings.timeZoneHelp': '仪表盘中的所有日期和时间都按此时区显示，对工作区所有成员生效。',
    'settings.example': '该时区当前时间：{now}',
    'settings.badZone': '请从列表中选择时区。',
    'settings.languageHelp':
      '每个人可通过右上角的切换按钮选择自己的语言，选择会保存在当前浏览器中。',
  },
}
