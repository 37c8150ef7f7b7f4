import type { Messages } from '../locales.js'

/**
 * The shell's grouped navigation (Reports, Settings), the reports landing page, the
 * "follow my browser" language choice, the default grades' labels and empty charts.
 */
export const messages: Messages = {
  en: {
    'shell.nav.reports': 'Reports',
    'shell.nav.settings': 'Settings',
    'shell.nav.workspace': 'Workspace',
    'shell.reports.all': 'All reports',
    'shell.reports.intro': 'What your contacts, customers and campaigns add up to. Pick a report:',
    'shell.reports.kpis':
      'NPS, CSAT, CES and retention per week or month, from surveys and orders.',
    'shell.reports.quality':
      'How complete and valid the contact data is right now: missing e-mails, invalid values, address problems.',
    'shell.reports.qualityHistory':
      'The scheduled data-quality scans side by side: is the data getting better?',
    'shell.reports.reasons':
      'Why deals are won and lost and why customers leave or stay, counted per period.',
    'shell.reports.campaigns':
      'Each campaign’s visitors, contacts, deals and revenue, with imported ad cost: CTR, CPC, CPA, ROAS.',
    'shell.reports.alerts':
      'Customers who crossed an alert rule and data-quality scans that got worse.',
    'shell.lang.auto': 'Follow browser',
    'shell.alert.quality': '{measure}: from {before} % to {after} % of contacts',
    'shell.grade.cold': 'cold',
    'shell.grade.warm': 'warm',
    'shell.grade.hot': 'hot',
    'shell.chart.noScoreChanges': 'No score changes recorded yet.',
    'shell.chart.noSurveys':
      'No {name} responses in this range. Send “Survey Responded” events to see {name}.',
    'shell.chart.noRetention':
      'No customer ordered in two periods in a row in this range yet, so there is no retention to show.',
    'shell.chart.noRevenue': 'No revenue was attributed to a campaign in this range.',
    'shell.chart.noCost':
      'No ad cost, impressions or clicks imported for this range: import a cost file below.',
    'shell.chart.noNewContacts': 'No new contacts in the last {n} days.',
    'shell.chart.noContactsScanned':
      'The scans so far found no contacts: the trend charts start with the first scan that does.',
  },
  'zh-CN': {
    'shell.nav.reports': '报表',
    'shell.nav.settings': '设置',
    'shell.nav.workspace': '工作区',
    'shell.reports.all': '全部报表',
    'shell.reports.intro': '联系人、客户和营销活动的汇总数据。请选择报表：',
    'shell.reports.kpis': '按周或按月查看 NPS、CSAT、CES 和留存率，数据来自问卷和订单。',
    'shell.reports.quality': '联系人数据当前的完整度和有效性：缺少邮箱、无效值、地址问题。',
    'shell.reports.qualityHistory': '定期数据质量扫描的结果对比：数据是否在变好？',
    'shell.reports.reasons': '商机为何赢单、为何丢单，客户为何流失、为何留下，按期统计。',
    'shell.reports.campaigns':
      '每个营销活动的访客、联系人、商机和收入，结合导入的广告花费计算点击率、单次点击成本、获客成本和广告支出回报率。',
    'shell.reports.alerts': '越过提醒规则的客户，以及变差的数据质量扫描结果。',
    'shell.lang.auto': '跟随浏览器',
    'shell.alert.quality': '{measure}：从占联系人的 {before}% 变为 {after}%',
    'shell.grade.cold': '冷线索',
    'shell.grade.warm': '温线索',
    'shell.grade.hot': '热线索',
    'shell.chart.noScoreChanges': '尚无分数变化记录。',
    'shell.chart.noSurveys':
      '该时间范围内没有 {name} 回复。发送“Survey Responded”事件后即可查看 {name}。',
    'shell.chart.noRetention': '该时间范围内还没有客户在连续两个周期下单，暂无留存数据。',
    'shell.chart.noRevenue': '该时间范围内没有归因到营销活动的收入。',
    'shell.chart.noCost': '该时间范围内没有导入广告花费、展示或点击数据：请在下方导入花费文件。',
    'shell.chart.noNewContacts': '最近 {n} 天没有新增联系人。',
    'shell.chart.noContactsScanned':
      '目前的扫描都没有找到联系人：有联系人的扫描完成后才会显示趋势图。',
  },
}
