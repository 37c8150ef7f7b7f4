// The vendor adapters the chat plugin hooks by itself. The script-tag builds swap this module
// for `vendors.script-tag.ts` (see rollup.config.mjs): there the adapters ship in the chat
// add-on (/sdk-chat.js, src/script-tag/chat-addon.ts), which keeps the full build in budget.
import { VENDORS as ALL, type VendorSpec } from './adapters'

export const VENDORS: VendorSpec[] | undefined = ALL
