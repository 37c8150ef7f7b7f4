// `lodestone shards list|move` (docs/scaling.md, "Moving a workspace").
import { routingOf } from '../adapters/sharded/open.js'
import { listShards, moveWorkspace } from '../adapters/sharded/move.js'

/**
 * `shards list [--json]` and `shards move WORKSPACE SHARD [--dry-run] [--abort]` over the
 * store opened with LODESTONE_SHARDS.
 * @example await shardsCommand(store, 'move', ['ws_1', 'two'], {}, console.log)
 */
export async function shardsCommand(
  store: object,
  sub: string | undefined,
  args: readonly string[],
  values: { json?: boolean; 'dry-run'?: boolean; abort?: boolean },
  print: (line: string) => void,
): Promise<void> {
  const routing = routingOf(store)
  if (!routing) throw new Error('shards needs LODESTONE_SHARDS (and NATS_URL)')
  if (sub === 'list') {
    const shards = await listShards(routing)
    if (values.json) return print(JSON.stringify(shards))
    for (const s of shards) {
      print(`${s.shard}\t${s.workspaces.length} workspaces`)
      for (const w of s.workspaces) {
        const note = w.served
          ? ''
          : `\t(${w.movingTo ? `moving to ${w.movingTo}` : 'not served here'})`
        print(`  ${w.id}\t${w.name}\tevents ${w.events}\tcontacts ${w.contacts}${note}`)
      }
    }
    return
  }
  if (sub === 'move') {
    const [workspaceId, shard] = args
    if (!workspaceId || !shard || args.length > 2) {
      throw new Error('shards move needs WORKSPACE SHARD')
    }
    const report = await moveWorkspace(routing, workspaceId, shard, {
      dryRun: values['dry-run'],
      abort: values.abort,
      print,
    })
    if (values.json) print(JSON.stringify(report))
    return
  }
  throw new Error('shards takes list or move')
}
