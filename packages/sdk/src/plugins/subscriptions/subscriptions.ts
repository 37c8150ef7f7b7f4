import type { Plugin } from '../../core/plugin'
import { normalize } from '../shared/field-key'
import { compact, ignored } from '../shared/listen'
import { deepQuery, onSubmission } from '../shared/on-submission'
import { labelOf } from '../forms/collect-fields'

type Status = 'subscribed' | 'unsubscribed'

const OPT_IN = /newsletter|subscri|optin|marketingemail|emailupdates|订阅/
const OPT_OUT = /unsubscri|optout|退订/

/**
 * The subscription topics a submitted form sets. A checkbox marked
 * `data-lodestone-subscription="topic"` reports that topic either way (ticked: subscribed,
 * unticked: unsubscribed). A checkbox that only looks like a newsletter opt-in (name, id or
 * label says newsletter, subscribe, opt-in, marketing emails, 订阅) reports `newsletter` only
 * when ticked: an unticked box on a webinar form is not a request to unsubscribe.
 *
 * @example
 * topicsOf(form) // → { newsletter: 'subscribed' }
 */
export const topicsOf = (root: Element): Record<string, Status> => {
  const topics: Record<string, Status> = {}
  for (const box of deepQuery<HTMLInputElement>(root, 'input[type=checkbox]')) {
    if (ignored(box) || box.disabled) continue
    const topic = box.getAttribute('data-lodestone-subscription')?.trim().slice(0, 64)
    if (topic) {
      topics[topic] = box.checked ? 'subscribed' : 'unsubscribed'
      continue
    }
    const key = [box.name, box.id, labelOf(box)].map(normalize).join(' ')
    if (box.checked && OPT_IN.test(key) && !OPT_OUT.test(key)) topics.newsletter ??= 'subscribed'
  }
  return topics
}

/**
 * Emits `Subscription Preferences Updated` `{ topics, source: 'form', formId }` when a
 * submitted form carries subscription checkboxes (see `topicsOf`).
 *
 * @example
 * load('wk_…', { plugins: [subscriptions()] })
 */
export const subscriptions = (): Plugin => {
  return {
    name: 'subscriptions',
    setup(ctx) {
      return onSubmission((root) => {
        const topics = topicsOf(root)
        if (!Object.keys(topics).length) return
        ctx.track(
          'Subscription Preferences Updated',
          compact({ topics, source: 'form', formId: root.id || root.getAttribute('name') }),
        )
        ctx.flush({ beacon: true })
      })
    },
  }
}
