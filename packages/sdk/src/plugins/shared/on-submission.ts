import type { Off } from '../../core/teardowns.js'
import { ignored, listen, removeAll } from './listen'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const hasEmail = (root: Element): boolean =>
  Array.from(root.querySelectorAll('input')).some(
    (input) =>
      input.type !== 'password' && input.type !== 'hidden' && EMAIL.test(input.value.trim()),
  )

// A "form" without a <form>: the nearest ancestor (up to four levels) holding inputs.
const fieldContainer = (el: Element): Element | null => {
  let node: Element | null = el
  for (let i = 0; i < 4 && (node = node.parentElement) && node !== document.body; i++)
    if (node.querySelector('input')) return node
  return null
}

/**
 * Calls `handler(root)` once per form submission: on every `submit` event (capture phase, so a
 * page handler calling preventDefault does not hide it), and on clicks of buttons that submit
 * without one (type="button" handlers, <div> forms) when the fields hold an email address —
 * the one reliable sign that a click sent a form. Submissions of one root within a second count once;
 * roots marked `data-lodestone-ignore` never count.
 */
export const onSubmission = (handler: (root: Element) => void): Off => {
  const last = new WeakMap<Element, number>()
  const fire = (root: Element) => {
    const now = Date.now()
    if (ignored(root) || now - (last.get(root) ?? -Infinity) < 1000) return
    last.set(root, now)
    handler(root)
  }
  return removeAll([
    listen(document, 'submit', (event) => {
      if (event.target instanceof HTMLFormElement) fire(event.target)
    }),
    listen(document, 'click', (event) => {
      const button = (event.target as Element | null)?.closest?.(
        'button,input[type=submit],input[type=button],[role=button]',
      )
      if (!button) return
      const type = (
        button.getAttribute('type') || (button.tagName === 'BUTTON' ? 'submit' : '')
      ).toLowerCase()
      const form = button.closest('form')
      // A submit button inside a <form> raises `submit` itself (and rightly not when invalid).
      if (type === 'reset' || (form && type === 'submit')) return
      const root = form || button.closest('[data-lodestone-form]') || fieldContainer(button)
      if (root && hasEmail(root)) fire(root)
    }),
  ])
}
