import type { ExportFormat } from '@lodestone/lifecycle'

/**
 * A streamed CSV/JSON download from export chunks. The first chunk is pulled before answering,
 * so a store outage is a 503, not a cut-off file. `bom`: a UTF-8 byte-order mark first, for
 * spreadsheet apps that otherwise misread non-ASCII CSV.
 */
export async function exportResponse(
  chunks: AsyncGenerator<string>,
  format: ExportFormat,
  filename: string,
  opts: { bom?: boolean } = {},
): Promise<Response> {
  const first = await chunks.next()
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (opts.bom) controller.enqueue(encoder.encode('\uFEFF'))
      if (!first.done) controller.enqueue(encoder.encode(first.value))
    },
    async pull(controller) {
      try {
        const next = await chunks.next()
        if (next.done) controller.close()
        else controller.enqueue(encoder.encode(next.value))
      } catch (err) {
        controller.error(err)
      }
    },
  })
  const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8'
  return new Response(body, {
    headers: {
      'content-type': type,
      'content-disposition': `attachment; filename="${filename}.${format}"`,
    },
  })
}
