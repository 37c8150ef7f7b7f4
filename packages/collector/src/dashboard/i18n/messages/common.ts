import type { Messages } from '../locales.js'

/** Strings shared by every page: navigation, the shell, generic actions. */
export const messages: Messages = {
  en: {
    'nav.overview': 'Overview',
    'nav.contacts': 'Contacts',
    'nav.live': 'Live',
    'nav.rules': 'Rules',
    'nav.quality': 'Quality',
    'nav.kpis': 'KPIs',
    'action.signOut': 'Sign out',
    'action.save': 'Save',
    'action.cancel': 'Cancel',
    'action.delete': 'Delete',
  },
  'zh-CN': {
    'nav.overview': '概览',
    'nav.contacts': '联系人',
    'nav.live': '实时',
    'nav.rules': '评分规则',
    'nav.quality': '数据质量',
    'nav.kpis': '关键指标',
    'action.signOut': '退出登录',
    'action.save': '保存',
    'action.cancel': '取消',
    'action.delete': '删除',
  },
}
