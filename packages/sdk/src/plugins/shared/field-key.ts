// Maps what a field is called (name, id, label, in English or Chinese) to a trait.
// Order matters: "company size" is a team size before it is a company, and "first name"
// is a first name before it is a name.

/** Lower-cases and strips separators, keeping CJK: "Work E-mail:" → "workemail", "姓名：" → "姓名". */
export const normalize = (text: string | null | undefined): string =>
  (text || '').toLowerCase().replace(/[^a-z0-9\u4e00-\u9fff]+/g, '')

const TRAITS: [string, RegExp][] = [
  ['', /user|login|account|file|captcha/],
  ['email', /email|邮箱|邮件/],
  ['teamSize', /teamsize|companysize|employees|headcount|员工|人数|规模/],
  ['annualRevenue', /revenue|turnover|营收|营业额/],
  ['company', /company|organi[sz]ation|business|employer|公司|单位|企业|机构/],
  ['firstName', /first|given|fname|^名$/],
  ['lastName', /last|surname|family|lname|^姓$/],
  ['name', /name|姓名|名字|称呼/],
  ['phone', /phone|mobile|^tel|手机|电话/],
  ['title', /title|position|role|职位|职务|头衔/],
  ['industry', /industry|sector|行业/],
  ['budget', /budget|预算/],
  ['country', /country|国家/],
]

const AUTOCOMPLETE: Record<string, string> = {
  email: 'email',
  'given-name': 'firstName',
  'family-name': 'lastName',
  name: 'name',
  organization: 'company',
  'organization-title': 'title',
  tel: 'phone',
  'tel-national': 'phone',
  country: 'country',
  'country-name': 'country',
}

/**
 * The trait for the field's autocomplete token (the last word of the attribute) if it names one,
 * else for the first of `keys` (most reliable first) that does, or undefined. An empty match
 * ("username") stops the search: such a field is never a trait.
 */
export const traitFor = (
  keys: (string | null | undefined)[],
  autocomplete = '',
): string | undefined => {
  // typeof: tokens such as "constructor" or "toString" find Object.prototype's members.
  const fromAutocomplete = AUTOCOMPLETE[autocomplete]
  if (typeof fromAutocomplete == 'string') return fromAutocomplete
  for (const key of keys) {
    const text = normalize(key)
    if (!text) continue
    const hit = TRAITS.find(([, pattern]) => pattern.test(text))
    if (hit) return hit[0] || undefined
  }
  return undefined
}
