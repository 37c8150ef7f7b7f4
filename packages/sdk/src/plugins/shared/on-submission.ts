import type { Off } from '../../core/teardowns.js'
import { ignored, listen, removeAll } from './listen'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * Every element under `root` matching `selector`, in document order, including those inside
 * open shadow roots (nested ones too) of the elements under it. Closed shadow roots cannot be
 * read by any script on the page and are out of reach.
 *
 * @example
 * deepQuery(form, 'input,select,textarea')
 */
export const deepQuery = <E extends Element>(root: ParentNode, selector: string): E[] => {
  const out: E[] = []
  for (const el of root.querySelectorAll('*')) {
    if (el.matches(selector)) out.push(el as E)
    if (el.shadowRoot) out.push(...deepQuery<E>(el.shadowRoot, selector))
  }
  return out
}

const hasEmail = (root: Element): boolean =>
  deepQuery<HTMLInputElement>(root, 'input').some(
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

// Buttons that never send a form: a multi-step form's next-step buttons, and show/hide
// password toggles, named in English, German, Chinese or Japanese.
const NOT_SENDING = /^\s*(next|continue|weiter|下一步|次へ)|passw|密码|パスワード/i

/** The button's text (or value) and its accessible name. */
const buttonText = (button: Element): string =>
  ((button as HTMLInputElement).value || button.textContent) + button.getAttribute('aria-label')

/**
 * Calls `handler(root)` once per form submission: on every `submit` event (capture phase, so a
 * page handler calling preventDefault does not hide it), and on clicks of buttons that submit
 * without one (a type="button" handler in a form with no submit button, <div> forms) when the
 * fields hold an email address — the one reliable sign that a click sent a form. Next-step
 * buttons of multi-step forms and show/hide toggles are never submissions. Forms inside open
 * shadow roots (web components, nested too) are found through the event's composed path: a
 * `submit` listener is added to a shadow root the first time a click or focus lands in it.
 * Submissions of one root within a second count once; roots marked `data-lodestone-ignore`
 * never count.
 */
export const onSubmission = (handler: (root: Element) => void): Off => {
  const last = new WeakMap<Element, number>()
  const roots = new WeakSet<Node>()
  const offs: Off[] = []
  const fire = (root: Element) => {
    const now = Date.now()
    if (ignored(root) || now - (last.get(root) ?? -Infinity) < 1000) return
    last.set(root, now)
    handler(root)
  }
  // A next-step submit button counts only when the page lets its submit go (known once every
  // handler has run): a multi-step form that shows its next step cancels it.
  const onSubmit = (event: Event) => {
    const form = event.target
    const submitter = (event as SubmitEvent).submitter
    if (form instanceof HTMLFormElement)
      if (submitter && NOT_SENDING.test(buttonText(submitter)))
        setTimeout(() => event.defaultPrevented || fire(form))
      else fire(form)
  }
  // The element the event really happened on, inside any shadow roots; and that shadow root
  // learns to report its submissions.
  const origin = (event: Event): Element | undefined => {
    const target = event.composedPath()[0] as Element
    const root = target?.getRootNode?.() as ShadowRoot | undefined
    if (root?.host && !roots.has(root)) {
      roots.add(root)
      offs.push(listen(root, 'submit', onSubmit))
    }
    return target
  }
  offs.push(
    listen(document, 'submit', onSubmit),
    listen(document, 'focusin', origin),
    listen(document, 'click', (event) => {
      const button = origin(event)?.closest?.(
        'button,input[type=submit],input[type=button],[role=button]',
      )
      if (!button || NOT_SENDING.test(buttonText(button))) return
      const type = (
        button.getAttribute('type') || (button.tagName === 'BUTTON' ? 'submit' : '')
      ).toLowerCase()
      const form = button.closest('form')
      // A submit button inside a <form> raises `submit` itself (and rightly not when invalid);
      // so does the submit button of a form whose other buttons only step or toggle.
      if (
        type === 'reset' ||
        (form && (type === 'submit' || form.querySelector('[type=submit],button:not([type])')))
      )
        return
      const root = form || button.closest('[data-lodestone-form]') || fieldContainer(button)
      if (root && hasEmail(root)) fire(root)
    }),
  )
  return removeAll(offs)
}
