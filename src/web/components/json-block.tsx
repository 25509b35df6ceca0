/** JSON shown as indented text that wraps rather than widening the page. */
export function JsonBlock({ value }: { value: unknown }) {
  return <pre class="json">{value === undefined ? '—' : JSON.stringify(value, null, 2)}</pre>;
}
