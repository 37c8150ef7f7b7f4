export function renderReport(results: Record<string, unknown>): string {
  return '# Benchmarks\n\n```json\n' + JSON.stringify(results, null, 2) + '\n```\n'
}
