import { describe, expect, it } from "vitest";
import type { BestTime, SlotStats } from "./bindings";
import { bestTimeDetail, posts, slotLabel } from "./besttime";

const stats = (posts: number, median_rate: number | null = 0.145): SlotStats => ({ posts, median_rate });
const best = (partial: Partial<BestTime>): BestTime => ({
  window_first: "2025-11-27",
  window_last: "2026-11-26",
  min_posts: 5,
  grid: [],
  by_weekday: [],
  by_hour: [],
  posts_considered: 304,
  posts_without_rate: 0,
  slots_compared: 9,
  best_slot: { weekday: 6, hour: 19, stats: stats(5) },
  best_weekday: null,
  best_hour: null,
  confidence: "low",
  note: "",
  ...partial,
});
// What Rust's headline (dashboard::best_time_summary) already says for the same grid.
const headline =
  "Your posts published Sunday 19:00–20:00 got the highest median engagement rate (5 posts), among 9 time slots with at least 5 posts each. Based on 304 posts.";

describe("bestTimeDetail", () => {
  it("adds the slot's rate and why the confidence is low, without repeating the headline", () => {
    const detail = bestTimeDetail(best({}));
    expect(detail).toBe(
      "Median engagement rate in that slot: 14.5%. Low confidence: a pattern takes 10 posts in a slot and this one has 5, so treat it as a hint and keep testing.",
    );
    for (const repeated of ["Sunday 19:00", "9 time slots", "304 posts", "highest"]) {
      expect(headline).toContain(repeated);
      expect(detail).not.toContain(repeated);
    }
  });
  it("says what moderate confidence means", () => {
    expect(bestTimeDetail(best({ confidence: "moderate", best_slot: { weekday: 0, hour: 9, stats: stats(1204, 0.051) } }))).toBe(
      "Median engagement rate in that slot: 5.10%. Moderate confidence: its 1,204 posts make a pattern, but what you post matters more than when.",
    );
  });
  it("names the one slot with enough posts when there is nothing to compare it with", () => {
    expect(bestTimeDetail(best({ slots_compared: 1 }))).toBe(
      "Only Sunday 19:00–20:00 has at least 5 posts (median engagement rate 14.5%), so there is nothing to compare it with yet.",
    );
  });
  it("goes when no slot has enough posts: the headline says so", () => {
    expect(bestTimeDetail(best({ best_slot: null, slots_compared: 0, confidence: "not_enough_data" }))).toBeNull();
  });
});

describe("slot words", () => {
  it("reads like Rust's Slot::label and counts posts with grouping", () => {
    expect(slotLabel({ weekday: 0, hour: 23 })).toBe("Monday 23:00–00:00");
    expect(posts(1)).toBe("1 post");
    expect(posts(1204)).toBe("1,204 posts");
  });
});
