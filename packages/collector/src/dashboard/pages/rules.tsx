/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */

export interface RuleIssue {
  path: string
  message: string
}

/** The scoring rules as JSON: edit, validate, save (which rescores every contact). */
export function RulesBody(props: {
  csrf: string
  version: number
  updatedAt: string | null
  text: string
  issues: RuleIssue[]
  saved?: { version: number; rescored: number; changed: number }
}) {
  return (
    <>
      <h1>Scoring rules</h1>
      <p class="muted">
        {props.version === 0
          ? 'Version 0: the built-in defaults.'
          : `Version ${props.version}${props.updatedAt ? `, saved ${props.updatedAt}` : ''}.`}{' '}
        Saving validates the JSON, stores a new version and rescores every contact. See
        docs/scoring.md for the rule language.
      </p>
      {props.saved ? (
        <p class="ok" role="status" id="saved">
          {`Saved version ${props.saved.version}: rescored ${props.saved.rescored} contacts, ${props.saved.changed} changed.`}
        </p>
      ) : null}
      {props.issues.length > 0 ? (
        <div class="card error" role="alert" id="issues">
          <h2>Not saved: the rules have problems</h2>
          <ul>
            {props.issues.map((i) => (
              <li>
                {i.path ? <code>{i.path}</code> : null} {i.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action="/app/rules">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <textarea name="rules" spellcheck={false} aria-label="Rules JSON">
          {props.text}
        </textarea>
        <p>
          <button class="primary" type="submit">
            Validate and save
          </button>
        </p>
      </form>
    </>
  )
}
