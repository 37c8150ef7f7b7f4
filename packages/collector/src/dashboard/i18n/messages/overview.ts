import type { Messages } from '../locales.js'

/** The overview page. */
export const messages: Messages = {
  en: {
    'overview.asOf': 'As of {at} ({tz}), refreshed every 30 seconds.',
    'overview.distribution': 'Score distribution',
    'overview.distributionChart': 'Contacts per score range',
    'overview.byScore': '{n} contacts by total score',
    'overview.bucket': '{from} to {to}: {n} contacts',
    'overview.grades': 'Contacts per grade',
    'overview.newPerDay': 'New contacts per day',
    'overview.lastDays': 'Last {n} days (UTC days)',
    'overview.hot': 'Hot leads this week',
    'overview.hotGrade': 'Hot leads this week (grade {grade}, seen in the last 7 days)',
    'overview.noHot':
      'No hot leads this week yet. Contacts reach the top grade as they engage: check the Rules page to see what counts.',
    'overview.empty.title': 'No data yet',
    'overview.empty.body':
      'Add the tracking script to your website or send events from your server. Charts fill in as soon as the first visitors arrive.',
    'overview.empty.action': 'Set up tracking',
  },
  'zh-CN': {
    'overview.asOf': '数据截至 {at}（{tz}），每 30 秒刷新一次。',
    'overview.distribution': '评分分布',
    'overview.distributionChart': '各评分区间的联系人数',
    'overview.byScore': '按总分统计的 {n} 位联系人',
    'overview.bucket': '{from} 至 {to}：{n} 位联系人',
    'overview.grades': '各等级联系人数',
    'overview.newPerDay': '每日新增联系人',
    'overview.lastDays': '最近 {n} 天（按 UTC 日期）',
    'overview.hot': '本周热门线索',
    'overview.hotGrade': '本周热门线索（等级 {grade}，最近 7 天有访问）',
    'overview.noHot':
      '本周还没有热门线索。联系人互动越多，等级越高；可在“评分规则”页查看计分方式。',
    'overview.empty.title': '还没有数据',
    'overview.empty.body':
      '在网站上添加跟踪代码，或从服务器发送事件。第一批访客到来后，图表会自动显示。',
    'overview.empty.action': '设置跟踪',
  },
}
