import { normalize, traitFor } from '../shared/field-key'
import { ignored } from '../shared/listen'
import { isSensitiveName, isSensitiveValue } from '../shared/sensitive'

export interface CollectedFields {
  /** Names of the fields captured (filled or not). */
  fields: string[]
  /** Captured values by field name, sanitised and truncated. */
  values: Record<string, string | boolean>
  /** Contact traits found among the fields. */
  traits: Record<string, string>
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

/**
 * Reads the fields under `root`, leaving out passwords, hidden and file inputs, disabled fields,
 * fields marked `data-lodestone-ignore`, fields named like secrets or ids, and card-like or
 * national-id-like values. Maps the rest to traits where their name, id, label or autocomplete
 * says what they are.
 *
 * @example
 * const { traits, values } = collectFields(document.querySelector('form')!)
 */
export const collectFields = (root: Element): CollectedFields => {
  const out: CollectedFields = { fields: [], values: {}, traits: {} }
  const elements = root.querySelectorAll<Field>('input,select,textarea')
  for (const el of elements) {
    if (out.fields.length >= MAX_FIELDS) break
    const type = (el.getAttribute('type') || el.type || '').toLowerCase()
    if (SKIPPED_TYPES.test(type) || el.disabled || ignored(el)) continue
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
  const { firstName, lastName, name } = out.traits
  if (!name && (firstName || lastName))
    out.traits.name = [firstName, lastName].filter(Boolean).join(' ')
  return out
}
