// Table-driven review of the field-key patterns: real field names and labels from the form
// builders (HubSpot, Gravity Forms, WPForms, Elementor, Ninja Forms, Mailchimp, Webflow,
// Contact Form 7, WooCommerce) and Chinese, Japanese and German labels, including the words
// that contain another pattern (fullname/lname, username/name, businessemail/business).
import { describe, expect, it } from 'vitest'
import { normalize, traitFor } from './field-key'

const CASES: [key: string, trait: string | undefined][] = [
  // HubSpot
  ['firstname', 'firstName'],
  ['lastname', 'lastName'],
  ['email', 'email'],
  ['company', 'company'],
  ['jobtitle', 'title'],
  ['numemployees', 'teamSize'],
  ['annualrevenue', 'annualRevenue'],
  ['mobilephone', 'phone'],
  ['industry', 'industry'],
  // Mailchimp merge tags
  ['FNAME', 'firstName'],
  ['LNAME', 'lastName'],
  ['EMAIL', 'email'],
  ['PHONE', 'phone'],
  // Gravity Forms labels (names are input_1.3 and say nothing)
  ['input_1.3', undefined],
  ['Cardholder Name', undefined],
  ['Name on Card', undefined],
  // WPForms / Elementor / Ninja Forms / Webflow / CF7
  ['wpforms[fields][0][first]', 'firstName'],
  ['form_fields[name]', 'name'],
  ['form_fields[email]', 'email'],
  ['Full-Name', 'name'],
  ['fullname', 'name'],
  ['full_name', 'name'],
  ['Your Name', 'name'],
  ['your-name', 'name'],
  ['Company Name', 'company'],
  ['Business email', 'email'],
  ['Work Email', 'email'],
  ['Phone Number', 'phone'],
  ['Telephone', 'phone'],
  ['Job Title', 'title'],
  ['Company size', 'teamSize'],
  ['Country/Region', 'country'],
  ['Country code', undefined],
  // WooCommerce billing: the payer, not the contact's name
  ['billing_first_name', undefined],
  ['billing_last_name', undefined],
  ['billing_email', 'email'],
  ['billing_company', 'company'],
  ['billing_phone', 'phone'],
  // never traits
  ['username', undefined],
  ['user_login', undefined],
  ['user_email', 'email'],
  ['file_name', undefined],
  ['captcha', undefined],
  ['account_name', undefined],
  // Chinese
  ['姓名', 'name'],
  ['姓', 'lastName'],
  ['名', 'firstName'],
  ['手机号', 'phone'],
  ['电子邮箱', 'email'],
  ['公司名称', 'company'],
  ['职位', 'title'],
  ['员工人数', 'teamSize'],
  ['持卡人姓名', undefined],
  // Japanese
  ['氏名', 'name'],
  ['お名前', 'name'],
  ['メールアドレス', 'email'],
  ['電話番号', 'phone'],
  ['会社名', 'company'],
  ['カード名義', undefined],
  // German
  ['Vorname', 'firstName'],
  ['Nachname', 'lastName'],
  ['E-Mail-Adresse', 'email'],
  ['Telefonnummer', 'phone'],
  ['Handynummer', 'phone'],
  ['Firma', 'company'],
  ['Unternehmen', 'company'],
  ['Mitarbeiteranzahl', 'teamSize'],
  ['Land', 'country'],
  ['Karteninhaber', undefined],
]

describe('field keys', () => {
  it.each(CASES)('%s → %s', (key, trait) => {
    expect(traitFor([key])).toBe(trait)
  })

  it('keeps CJK ideographs and Japanese kana, drops separators', () => {
    expect(normalize('Work E-mail:')).toBe('workemail')
    expect(normalize('メールアドレス（必須）')).toBe('メールアドレス必須')
  })
})
