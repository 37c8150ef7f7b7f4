import type { SegmentEvent } from '@lodestone/protocol'
import { identifierKey, identifiersOf, type Identifier } from './identifiers.js'

/** What the planner knows of a contact. */
export interface ContactNode {
  id: string
  userId: string | null
  firstSeen: string
}

/** The slice of the identity graph that a request touches: identifier → owning contact. */
export interface IdentityGraph {
  owners: Map<string, string>
  contacts: Map<string, ContactNode>
}

export type IdentityAction =
  | { kind: 'create'; contact: ContactNode }
  | { kind: 'link'; contactId: string; identifier: Identifier; at: string }
  | { kind: 'merge'; from: string; into: string; messageId: string; via: Identifier[] }
  | {
      kind: 'conflict'
      contactId: string
      otherContactId: string
      identifier: Identifier
      messageId: string
    }

export function createGraph(): IdentityGraph {
  return { owners: new Map(), contacts: new Map() }
}

/** Oldest first: earliest first-seen, then smallest id, so the choice never depends on order. */
function older(a: ContactNode, b: ContactNode): ContactNode {
  if (a.firstSeen !== b.firstSeen) return a.firstSeen < b.firstSeen ? a : b
  return a.id < b.id ? a : b
}

function mergeInGraph(graph: IdentityGraph, from: ContactNode, into: ContactNode): void {
  for (const [key, owner] of graph.owners) if (owner === from.id) graph.owners.set(key, into.id)
  into.userId ??= from.userId
  if (from.firstSeen < into.firstSeen) into.firstSeen = from.firstSeen
  graph.contacts.delete(from.id)
}

function resolvePreviousId(graph: IdentityGraph, previousId: string): Identifier {
  const asUser = { kind: 'userId', value: previousId }
  return graph.owners.has(identifierKey(asUser))
    ? asUser
    : { kind: 'anonymousId', value: previousId }
}

/**
 * Decides which contact an event belongs to, and which contacts, links and conflicts it implies
 * (docs/identity.md, Rules). Mutates `graph` so the next event of the same request sees the
 * outcome.
 *
 * Rules: identifiers spread over several contacts merge them into the oldest; two contacts with
 * different userIds never merge (the conflict is recorded and the shared identifier stays
 * where it was); an event with a userId always lands on that user's contact.
 */
export function planEvent(
  graph: IdentityGraph,
  event: SegmentEvent & { messageId: string; timestamp: string },
  newId: () => string,
): { contactId: string; actions: IdentityAction[] } {
  const { ids, previousId } = identifiersOf(event)
  if (previousId) ids.push(resolvePreviousId(graph, previousId))
  const actions: IdentityAction[] = []
  const userId = event.userId ?? null
  const ownerOf = (id: Identifier) => {
    const owner = graph.owners.get(identifierKey(id))
    return owner ? graph.contacts.get(owner) : undefined
  }

  // The anchor is the contact the event surely belongs to: the user's, else the device's when
  // that device's contact is not already another user's.
  let anchor = userId ? ownerOf({ kind: 'userId', value: userId }) : undefined
  if (!anchor && event.anonymousId) {
    const device = ownerOf({ kind: 'anonymousId', value: event.anonymousId })
    if (device && !(userId && device.userId && device.userId !== userId)) anchor = device
  }
  const anchorUser = userId ?? anchor?.userId ?? null

  const joinable: ContactNode[] = anchor ? [anchor] : []
  const blocked = new Set<string>()
  for (const id of ids) {
    const owner = ownerOf(id)
    if (!owner || joinable.includes(owner)) continue
    const clash = owner.userId && anchorUser && owner.userId !== anchorUser
    // Without an anchor, the first known user met becomes the anchor user for the rest.
    if (clash) blocked.add(identifierKey(id))
    else joinable.push(owner)
  }

  let target: ContactNode
  if (joinable.length === 0) {
    target = { id: newId(), userId, firstSeen: event.timestamp }
    graph.contacts.set(target.id, target)
    actions.push({ kind: 'create', contact: { ...target } })
  } else {
    // Without an anchor, contacts of two different users can meet here (e.g. an email shared by two
    // known users): keep the first user's side, block the others.
    const users = new Set(joinable.map((c) => c.userId).filter(Boolean))
    let group = joinable
    if (!anchorUser && users.size > 1) {
      const first = joinable.find((c) => c.userId)!.userId
      group = joinable.filter((c) => !c.userId || c.userId === first)
      for (const id of ids) {
        const owner = ownerOf(id)
        if (owner && !group.includes(owner)) blocked.add(identifierKey(id))
      }
    }
    target = group.reduce(older)
    for (const c of group) {
      if (c === target) continue
      const via = ids.filter((id) => ownerOf(id) === c)
      actions.push({ kind: 'merge', from: c.id, into: target.id, messageId: event.messageId, via })
      mergeInGraph(graph, c, target)
    }
  }

  for (const id of ids) {
    const key = identifierKey(id)
    if (blocked.has(key)) {
      const other = ownerOf(id)!
      actions.push({
        kind: 'conflict',
        contactId: target.id,
        otherContactId: other.id,
        identifier: id,
        messageId: event.messageId,
      })
      continue
    }
    if (graph.owners.get(key) === target.id) continue
    graph.owners.set(key, target.id)
    actions.push({ kind: 'link', contactId: target.id, identifier: id, at: event.timestamp })
  }
  if (userId) target.userId ??= userId
  if (event.timestamp < target.firstSeen) target.firstSeen = event.timestamp
  return { contactId: target.id, actions }
}
