/** A minimal SSE reader over fetch: calls `onEntry(event, data, receivedAtMs)` per message. */
export async function openStream(
  url: string,
  secretKey: string,
  onEntry: (event: string, data: string, at: number) => void,
) {
  const abort = new AbortController()
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${secretKey}`, accept: 'text/event-stream' },
    signal: abort.signal,
  })
  if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`)
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
  let ready!: () => void
  const isReady = new Promise<void>((r) => (ready = r))
  const pump = (async () => {
    let buf = ''
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        const at = performance.now()
        buf += value
        let end: number
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end)
          buf = buf.slice(end + 2)
          let event = 'message'
          let data = ''
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim()
            else if (line.startsWith('data:')) data += line.slice(5).trim()
          }
          if (event === 'ready') ready()
          onEntry(event, data, at)
        }
      }
    } catch {
      // aborted by close()
    }
  })()
  await isReady
  return {
    async close() {
      abort.abort()
      await pump
    },
  }
}
