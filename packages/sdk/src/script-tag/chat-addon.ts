// Script-tag entry, chat add-on (/sdk-chat.js): the live-chat vendor adapters, kept out of the
// full build so that it stays in its size budget (see docs/capture.md, Live chat). It needs the
// full build on the page: what the widgets report goes through `lodestone.chat.capture`, or
// into the snippet's queue while the SDK has not loaded yet (replayed by the full build).
import { VENDORS } from '../plugins/chat/adapters'
import { watchVendors } from '../plugins/chat/adapters'
import type { ChatCaptureInput } from '../plugins/chat/recorder'
import { safe } from '../plugins/shared/listen'

const w = window as unknown as { lodestone?: unknown }

const capture = (input: ChatCaptureInput) => {
  const l = (w.lodestone ||= []) as { chat?: { capture(i: ChatCaptureInput): void } } & unknown[]
  if (l.chat) l.chat.capture(input)
  else if (Array.isArray(l)) l.push(['chat.capture', input])
}

safe(() =>
  watchVendors(VENDORS, (kind, provider, conversationId, detail) =>
    capture({
      provider,
      conversationId: conversationId as string,
      ...(kind < 1
        ? { started: true }
        : kind < 2
          ? { message: (detail ?? '') as string }
          : { ...(detail as object), contact: true }),
    }),
  ),
)()
