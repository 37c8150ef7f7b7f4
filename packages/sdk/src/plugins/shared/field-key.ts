// Maps what a field is called (name, id, label, in English or Chinese) to a trait.
// Order matters: "company size" is a team size before it is a company, and "first name"
// is a first name before it is a name.

/**
 * Lower-cases and strips separators, keeping CJK ideographs and Japanese kana:
 * "Work E-mail:" → "workemail", "姓名：" → "姓名", "メールアドレス" → "メールアドレス".
 */
export const normalize = (text: string | null | undefined): string =>
  (text || '').toLowerCase().replace(/[^a-z0-9\u3040-\u30ff\u4e00-\u9fff]+/g, '')

// Every pattern is tested against whole normalized keys, so each was checked for the words that
// contain it (field-key.test.ts runs real builder names and Chinese, Japanese and German labels):
// "fullname" holds "lname" (a full name, not a last name), "username" and "filename" hold
// "name" (never traits), "businessemail" holds "business" (the email comes first), a billing
// or cardholder name is the payer's (never the contact's name), "countrycode" is a dialling code.
const TRAITS: [string, RegExp][] = [
  [
    '',
    /username|userid|login|account|file|captcha|card|holder|inhaber|billing\w*name|countrycode|卡|カード/,
  ],
  ['email', /email|邮箱|邮件|メール/],
  ['teamSize', /teamsize|companysize|employees|headcount|mitarbeiter|员工|人数|规模/],
  ['annualRevenue', /revenue|turnover|umsatz|营收|营业额/],
  [
    'company',
    /company|organi[sz]ation|business|employer|^firm|unternehmen|公司|单位|企业|机构|会社|企業/,
  ],
  ['name', /fullname|姓名|氏名|名前/],
  ['firstName', /first|given|fname|vorname|^名$/],
  ['lastName', /last|surname|family|lname|nachname|^姓$/],
  ['name', /name|名字|称呼/],
  ['phone', /phone|mobile|^tel|handy|手机|电话|電話|携帯/],
  ['title', /title|position|role|职位|职务|头衔/],
  ['industry', /industry|sector|branche|行业/],
  ['budget', /budget|预算/],
  ['country', /country|^land$|国/],
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
