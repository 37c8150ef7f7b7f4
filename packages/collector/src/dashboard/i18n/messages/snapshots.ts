import type { Messages } from '../locales.js'

/** Pages of whole-workspace figures while their first snapshot is computed (snapshots.ts). */
export const messages: Messages = {
  en: {
    'snapshots.computing':
      'Computing these figures for your whole workspace… they appear in a few seconds.',
    'snapshots.reload': 'Reload',
  },
  'zh-CN': {
    'snapshots.computing': '正在为整个工作区计算这些数据……几秒钟后即可显示。',
    'snapshots.reload': '刷新',
  },
}
