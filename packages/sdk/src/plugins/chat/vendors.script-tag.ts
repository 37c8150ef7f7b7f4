// Stands in for vendors.ts in the script-tag builds (see rollup.config.mjs).
import type { VendorSpec } from './adapters'

export const VENDORS: VendorSpec[] | undefined = undefined
