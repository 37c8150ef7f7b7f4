// What must never leave the page: secrets named as such, and values shaped like payment
// cards or national ids, whatever the field is called.

const SENSITIVE_NAME =
  /passw|pwd|passcode|secret|token|creditcard|cardnumber|ccnum|cvv|cvc|securitycode|expir|ssn|socialsecurity|nationalid|passport|taxid|iban|routing|accountnumber|nonce|^pin$|密码|身份证|银行卡|卡号|护照/

/**
 * True for a field whose name, id, label or autocomplete token (the last word of the attribute)
 * says it holds a secret or an id.
 */
export const isSensitiveName = (normalizedKeys: string[], autocomplete: string): boolean =>
  /^cc-|password|one-time-code/.test(autocomplete) ||
  normalizedKeys.some((key) => key && SENSITIVE_NAME.test(key))

const luhn = (digits: string): boolean => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = +digits.charAt(digits.length - 1 - i)
    if (i % 2 && (d *= 2) > 9) d -= 9
    sum += d
  }
  return sum % 10 === 0
}

/**
 * True for values shaped like a payment card (13–19 digits passing Luhn), a US SSN, a Chinese
 * resident id, or any other long digit-only id (9+ digits) outside a phone field.
 */
export const isSensitiveValue = (value: string, isPhone = false): boolean => {
  const digits = value.replace(/[\s-]/g, '')
  return (
    (/^\d{13,19}$/.test(digits) && luhn(digits)) ||
    /^\d{3}-\d{2}-\d{4}$/.test(value.trim()) ||
    /^\d{17}[\dx]$/i.test(digits) ||
    (!isPhone && /^\d{9,}$/.test(digits))
  )
}
