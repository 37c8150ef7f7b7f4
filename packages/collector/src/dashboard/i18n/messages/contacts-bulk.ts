import type { Messages } from '../locales.js'

/** The contacts list's bulk "add to a list" action, its sort links, its segment filter. */
export const messages: Messages = {
  en: {
    'bulk.heading': 'Selected contacts',
    'bulk.list': 'Add to list',
    'bulk.more': 'Bulk actions',
    'bulk.pickList': 'Choose a list…',
    'bulk.newList': 'or a new list named',
    'bulk.newListHint': 'Webinar attendees',
    'bulk.scope': 'Which contacts',
    'bulk.scopeSelected': 'The ticked contacts',
    'bulk.scopeAll': 'All contacts matching the filters (up to {n})',
    'bulk.add': 'Add to list',
    'bulk.added': '{n} contacts added to “{list}” ({already} were already in it).',
    'bulk.addedCapped':
      '{n} contacts added to “{list}” ({already} were already in it): the first {max} matching contacts. Narrow the filters to add the rest.',
    'bulk.viewList': 'Show the list',
    'bulk.nothing':
      'Nothing added: tick contacts (or choose “all matching”) and pick a list or name a new one.',
    'bulk.noList': 'That list no longer exists.',
    'sort.by': 'Sort by {column}',
    'contacts.segment': 'Segment or list',
    'bulk.segments': 'Segments',
    'bulk.lists': 'Lists',
  },
  'zh-CN': {
    'bulk.heading': '所选联系人',
    'bulk.list': '加入列表',
    'bulk.more': '批量操作',
    'bulk.pickList': '选择列表…',
    'bulk.newList': '或新建列表，名称',
    'bulk.newListHint': '网络研讨会参会者',
    'bulk.scope': '要加入的联系人',
    'bulk.scopeSelected': '已勾选的联系人',
    'bulk.scopeAll': '符合当前筛选条件的全部联系人（最多 {n} 位）',
    'bulk.add': '加入列表',
    'bulk.added': '已将 {n} 位联系人加入“{list}”（其中 {already} 位原本就在列表中）。',
    'bulk.addedCapped':
      '已将 {n} 位联系人加入“{list}”（其中 {already} 位原本就在列表中）：仅包含前 {max} 位符合条件的联系人。请缩小筛选范围后再添加其余联系人。',
    'bulk.viewList': '查看列表',
    'bulk.nothing':
      '未添加任何联系人：请勾选联系人（或选择“全部符合条件的联系人”），并选择一个列表或填写新列表名称。',
    'bulk.noList': '该列表已不存在。',
    'sort.by': '按{column}排序',
    'contacts.segment': '分群或列表',
    'bulk.segments': '分群',
    'bulk.lists': '列表',
  },
}
