/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** A form's inline error (announced to screen readers), or nothing without one. */
export function FormError(props: { error?: string | null }) {
  return props.error ? (
    <p class="error" role="alert">
      {props.error}
    </p>
  ) : null
}
