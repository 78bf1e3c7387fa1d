// The best-time screen's words. Rust's summary (the headline) already names the slot, its
// posts, how many slots were compared and the posts considered; the line under it adds only
// what the headline leaves out: the slot's rate and why the confidence is what it is.
import type { BestTime, Slot } from "./bindings";
import { formatCount, formatCountOf, formatPercent } from "./format";
import { hourLabel } from "./heatmap";

export const FULL_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** How many times the minimum a slot needs before its confidence is moderate; the report
 * crate's `MODERATE_FACTOR` (analytics/best_time.rs). */
const MODERATE_FACTOR = 2;

/** "Sunday 19:00–20:00", as Rust's `Slot::label` writes it. */
export function slotLabel(slot: Pick<Slot, "weekday" | "hour">): string {
  return `${FULL_DAYS[slot.weekday] ?? ""} ${hourLabel(slot.hour)}`;
}

/** "1 post", "1,204 posts". */
export function posts(count: number): string {
  return formatCountOf(count, "post");
}

/** The line under the headline, or null when the headline already says everything. */
export function bestTimeDetail(best: BestTime): string | null {
  const slot = best.best_slot;
  if (!slot) return null;
  const rate = formatPercent(slot.stats.median_rate);
  if (best.slots_compared < 2) {
    return `Only ${slotLabel(slot)} has at least ${posts(best.min_posts)} (median engagement rate ${rate}), so there is nothing to compare it with yet.`;
  }
  const pattern = MODERATE_FACTOR * best.min_posts;
  if (best.confidence === "moderate") {
    return `Median engagement rate in that slot: ${rate}. Moderate confidence: its ${posts(slot.stats.posts)} make a pattern, but what you post matters more than when.`;
  }
  return `Median engagement rate in that slot: ${rate}. Low confidence: a pattern takes ${posts(pattern)} in a slot and this one has ${formatCount(slot.stats.posts)}, so treat it as a hint and keep testing.`;
}
