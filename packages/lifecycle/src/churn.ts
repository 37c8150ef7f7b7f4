/**
 * The default churn-risk formula (0–100). It starts at 20 and moves with satisfaction and
 * support load; each survey term counts only when that survey was answered, so a contact who
 * never answered one is not punished for it.
 * - CSAT 1–5: +24 at 1 … −24 at 5 · NPS 0–10: +28 at 0 … −12 at 10 · CES 1–7: +12 at 1 … −12 at 7
 * - tickets in the last 30 days: +6 each (at most 5) · open tickets: +5 each (at most 3)
 * - a buyer with no order for 180 days: +15
 */
export const DEFAULT_CHURN_FORMULA = `clamp(
  20
  + (hasCsat ? (3 - csat) * 12 : 0)
  + (hasNps ? (7 - nps) * 4 : 0)
  + (hasCes ? (4 - ces) * 4 : 0)
  + min(ticketsLast30Days, 5) * 6
  + min(ticketsOpen, 3) * 5
  + (hasOrders && daysSinceLastOrder > 180 ? 15 : 0),
  0, 100)`
