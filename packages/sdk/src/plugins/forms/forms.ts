import type { Plugin } from '../../core/plugin'
import { compact } from '../shared/listen'
import { onSubmission } from '../shared/on-submission'
import { collectFields } from './collect-fields'

/**
 * Captures every form submission on the page with no code: an `identify` with the contact
 * traits found (email, names, company, phone, title, industry, team size, budget, revenue,
 * country) and a `Form Submitted` event with the form's id, name, action, field names and
 * sanitised values, then flushes with the beacon transport because a submit may navigate away.
 * A filled bot trap (honeypot) marks the event `probableBot: true` and sends no identify; the
 * trap's value is never sent.
 * Forms or fields marked `data-lodestone-ignore` are left alone.
 *
 * @example
 * load('wk_…', { plugins: [forms()] })
 */
export const forms = (): Plugin => {
  return {
    name: 'forms',
    setup(ctx) {
      return onSubmission((root) => {
        const { fields, values, traits, bot } = collectFields(root)
        if (!fields.length) return
        if (Object.keys(traits).length) ctx.identify(undefined, traits)
        ctx.track(
          'Form Submitted',
          compact({
            formId: root.id,
            formName: root.getAttribute('name'),
            formAction: root.getAttribute('action'),
            fields,
            values,
            probableBot: bot,
          }),
        )
        ctx.flush({ beacon: true })
      })
    },
  }
}
