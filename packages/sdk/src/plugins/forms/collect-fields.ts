import { normalize, traitFor } from '../shared/field-key'
import { ignored } from '../shared/listen'
import { deepQuery } from '../shared/on-submission'
import { isSensitiveName, isSensitiveValue } from '../shared/sensitive'

export interface CollectedFields {
  /** Names of the fields captured (filled or not). */
  fields: string[]
  /** Captured values by field name, sanitised and truncated. */
  values: Record<string, string | boolean>
  /** Contact traits found among the fields. */
  traits: Record<string, string>
  /** A bot-trap field was filled: the submission is probably a bot's (no traits then). */
  bot?: boolean
}

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement

const SKIPPED_TYPES = /^(password|hidden|file|submit|button|reset|image)$/
const MAX_FIELDS = 50
const MAX_LENGTH = 200

/** The visible label of a field: <label for>, a wrapping <label>, aria-label or placeholder. */
export const labelOf = (el: Element): string => {
  const label = (el as HTMLInputElement).labels?.[0] || el.closest('label')
  return (
    label?.textContent ||
    el.getAttribute('aria-label') ||
    el.getAttribute('placeholder') ||
    ''
  )
    .trim()
    .slice(0, 80)
}

// Bot traps by the builders' conventions (Mailchimp's b_<u>_<id>, WPForms' wpforms[hp], Ninja
// Forms' nf-field-hp, Gravity Forms' gform_validation_container, Elementor's honeypot field type)
// or any name or class saying honeypot.
// (Tested on "<name> <id>".)
const TRAP_NAME = /^b_[\da-f]+_[\da-f]+ |\[hp\]|honeypot/i
const TRAP_CLASS = '[class*=honeypot],[class*=-hp],.gform_validation_container'

/**
 * True for a bot-trap field: one named or classed as such by a builder, or a text field laid
 * out off the page or at (near) zero size that also carries one of the marks traps carry
 * (inside `aria-hidden`, `tabindex="-1"`, `autocomplete="off"`). Never for being invisible
 * alone: a multi-step form keeps its earlier steps' fields hidden (not laid out) until the
 * final submit, and widget libraries hide the `<select>` they replace (Select2: 1px, with
 * `aria-hidden` and `tabindex="-1"`), so selects are never traps by layout.
 */
export const isHoneypot = (el: Field): boolean => {
  const rect = el.getBoundingClientRect()
  return (
    TRAP_NAME.test(el.name + ' ' + el.id) ||
    !!el.closest(TRAP_CLASS) ||
    (el.tagName != 'SELECT' &&
      // Laid out (a display:none field has no boxes) but off the page or (near) zero-sized.
      !!el.getClientRects().length &&
      (rect.right < 0 || rect.bottom + scrollY < 0 || rect.width * rect.height < 2) &&
      !!(
        el.closest('[aria-hidden=true]') ||
        el.getAttribute('tabindex') == '-1' ||
        el.getAttribute('autocomplete') == 'off'
      ))
  )
}

// Two-character family names (the common ones): 欧阳修 is 欧阳 / 修, not 欧 / 阳修.
const COMPOUND_SURNAME = /^(欧阳|司马|诸葛|上官)/

/**
 * A full name as [first, last]. Western order splits at the first space ("Ada King Lovelace"
 * → Ada / King Lovelace); a name in CJK script is family name first ("山田 太郎" → 太郎 / 山田),
 * and without a space (王芳) the family name is its first character, or its first two when the
 * name has four characters or starts with a common compound surname (欧阳娜娜, 欧阳修).
 * Undefined when there is nothing to split.
 */
export const splitName = (name: string): [string, string] | undefined => {
  const [head, ...rest] = name.split(/\s+/)
  const tail = rest.join(' ')
  const cjk = /[\u3040-\u30ff\u4e00-\u9fff]/.test(name)
  if (tail) return cjk ? [tail, head!] : [head!, tail]
  if (cjk && /^[\u4e00-\u9fff]{2,4}$/.test(name)) {
    const n = name.length > 3 || COMPOUND_SURNAME.test(name) ? 2 : 1
    return [name.slice(n), name.slice(0, n)]
  }
}

/**
 * Reads the fields under `root` (and in open shadow roots under it), leaving out passwords,
 * hidden and file inputs, disabled fields, fields marked `data-lodestone-ignore`, bot traps
 * (a filled one sets `bot` and no traits are kept), fields named like secrets or ids, and
 * card-like or national-id-like values. Maps the rest to traits where their name, id, label or
 * autocomplete says what they are; a full name with no first and last name is split in two.
 *
 * @example
 * const { traits, values } = collectFields(document.querySelector('form')!)
 */
export const collectFields = (root: Element): CollectedFields => {
  const out: CollectedFields = { fields: [], values: {}, traits: {} }
  for (const el of deepQuery<Field>(root, 'input,select,textarea')) {
    if (out.fields.length >= MAX_FIELDS) break
    const type = (el.getAttribute('type') || el.type || '').toLowerCase()
    if (SKIPPED_TYPES.test(type) || el.disabled || ignored(el)) continue
    if (isHoneypot(el)) {
      if (el.value) out.bot = true
      continue
    }
    const label = labelOf(el)
    // The field's kind is the last word (`section-billing shipping email` is an email).
    const autocomplete = (el.getAttribute('autocomplete') || '').trim().split(/\s+/).pop()!
    const key = (el.name || el.id || normalize(label)).slice(0, 64)
    if (!key || isSensitiveName([el.name, el.id, label].map(normalize), autocomplete)) continue
    if (type === 'radio' || type === 'checkbox') {
      const input = el as HTMLInputElement
      if (!out.fields.includes(key)) out.fields.push(key)
      const bare = !input.hasAttribute('value') || input.value === 'on'
      if (type === 'checkbox' && bare) out.values[key] = input.checked
      else if (input.checked) {
        const previous = out.values[key]
        out.values[key] = typeof previous === 'string' ? `${previous}, ${input.value}` : input.value
      }
      continue
    }
    const trait =
      type === 'email'
        ? 'email'
        : traitFor([el.name, el.id, label], autocomplete) || (type === 'tel' ? 'phone' : undefined)
    const value = (
      el instanceof HTMLSelectElement && el.multiple
        ? Array.from(el.selectedOptions, (option) => option.value).join(', ')
        : el.value
    )
      .trim()
      .slice(0, MAX_LENGTH)
    if (value && isSensitiveValue(value, trait === 'phone')) continue
    out.fields.push(key)
    if (!value) continue
    out.values[key] = value
    if (trait && !out.traits[trait] && (trait !== 'email' || value.includes('@')))
      out.traits[trait] = value
  }
  const { traits } = out
  const { firstName, lastName, name } = traits
  if (!name && (firstName || lastName))
    traits.name = [firstName, lastName].filter(Boolean).join(' ')
  const split = !firstName && !lastName && name && splitName(name)
  if (split) [traits.firstName, traits.lastName] = split
  if (out.bot) out.traits = {}
  return out
}
