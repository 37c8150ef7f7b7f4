import { hotStateCommandError, hotStateUnavailable } from '../../hot-state/errors.js'

// Redis answers a refused command with an error reply (ReplyError) whose first word is its
// kind. The cluster's own "not now" replies are outages, as is anything that is not a reply
// (closed connections, no reachable node, our deadline): those only send callers to their
// fallback (hot-state/resilient.ts).
const COMMAND_ERROR = /^(ERR|WRONGTYPE|EXECABORT|NOSCRIPT)\b/
const CLUSTER_NOT_NOW = /^(CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|MOVED|ASK)\b/

/** Maps whatever ioredis threw to a CollectorError with a clear message. */
export function toHotStateError(err: unknown, what: string): Error {
  const text = err instanceof Error ? err.message : String(err)
  const name = err instanceof Error ? err.name : ''
  if (name === 'ReplyError' && COMMAND_ERROR.test(text) && !CLUSTER_NOT_NOW.test(text)) {
    return hotStateCommandError(`${what}: ${firstLine(text)}`, err)
  }
  return hotStateUnavailable(`${what}: ${firstLine(text) || name || 'request failed'}`, err)
}

// ioredis does not put arguments in its messages, but keep one line and no more in any case.
const firstLine = (text: string) => text.split('\n', 1)[0]!.slice(0, 200)
