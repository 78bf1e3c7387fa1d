import { describe, expect, it } from "vitest";
import {
  formatDateTime,
  formatAgo,
  formatCount,
  formatCountOf,
  formatCountsIn,
  formatDate,
  formatDelta,
  formatDuration,
  formatPercent,
  formatPointDelta,
} from "./format";

describe("formatCount", () => {
  it("groups thousands and shortens large numbers only when asked", () => {
    expect(formatCount(1234)).toBe("1,234");
    expect(formatCount(12_345, true)).toBe("12.3K");
    expect(formatCount(9_999, true)).toBe("9,999");
    expect(formatCount(1_250_000, true)).toBe("1.3M");
  });
  it("shows a dash for missing data, never zero", () => {
    expect(formatCount(null)).toBe("—");
    expect(formatCount(undefined)).toBe("—");
    expect(formatCount(Number.NaN)).toBe("—");
    expect(formatCount(0)).toBe("0");
  });
});

describe("formatCountOf", () => {
  it("groups the count and picks the noun's number", () => {
    expect(formatCountOf(1, "day")).toBe("1 day");
    expect(formatCountOf(0, "day")).toBe("0 days");
    expect(formatCountOf(1204, "post")).toBe("1,204 posts");
    expect(formatCountOf(2, "story", "stories")).toBe("2 stories");
  });
});

describe("formatCountsIn", () => {
  it("groups the counts in a sentence", () => {
    expect(formatCountsIn("Synced: 1 new post, 13217 readings saved, 1222 calls to Instagram.")).toBe(
      "Synced: 1 new post, 13,217 readings saved, 1,222 calls to Instagram.",
    );
    expect(formatCountsIn("1500 new posts")).toBe("1,500 new posts");
  });
  it("leaves years, clock times, ids and decimals alone", () => {
    const untouched = [
      "304 posts from 27 November 2025 – 26 November 2026 were placed in the grid.",
      "Instagram limits reached, resuming at 1642 UTC.",
      "Instagram gave no insights for the post 17841400420359987 (code 100).",
      "The account 17841400420359987 posts nothing.",
      "#10000 posts",
      "1.2345 days",
    ];
    for (const sentence of untouched) expect(formatCountsIn(sentence)).toBe(sentence);
  });
});

describe("formatPercent", () => {
  it("uses two decimals below 10% and one above", () => {
    expect(formatPercent(0.0523)).toBe("5.23%");
    expect(formatPercent(0.1234)).toBe("12.3%");
    expect(formatPercent(null)).toBe("—");
  });
});

describe("formatDelta", () => {
  it("signs the relative change", () => {
    expect(formatDelta(110, 100)).toEqual({ label: "+10.0%", direction: "up" });
    expect(formatDelta(97, 100)).toEqual({ label: "\u22123.0%", direction: "down" });
    expect(formatDelta(350, 100)).toEqual({ label: "+250%", direction: "up" });
  });
  it("treats a zero baseline and tiny changes honestly", () => {
    expect(formatDelta(5, 0)).toEqual({ label: "new", direction: "up" });
    expect(formatDelta(0, 0)).toEqual({ label: "±0%", direction: "flat" });
    expect(formatDelta(100.01, 100)).toEqual({ label: "±0%", direction: "flat" });
  });
  it("has nothing to say without both periods", () => {
    expect(formatDelta(5, null)).toEqual({ label: "—", direction: "none" });
    expect(formatDelta(undefined, 3)).toEqual({ label: "—", direction: "none" });
  });
  it("compares against the magnitude of a negative baseline", () => {
    // Net follows going from −10 to −5 is an improvement.
    expect(formatDelta(-5, -10).direction).toBe("up");
  });
});

describe("formatPointDelta", () => {
  it("reports rates in percentage points", () => {
    expect(formatPointDelta(0.046, 0.041)).toEqual({ label: "+0.5 pt", direction: "up" });
    expect(formatPointDelta(0.041, 0.046)).toEqual({ label: "\u22120.5 pt", direction: "down" });
    expect(formatPointDelta(0.041, 0.0412)).toEqual({ label: "±0 pt", direction: "flat" });
  });
});

describe("formatAgo", () => {
  const now = new Date("2026-11-26T12:00:00Z");
  it("reads like a person would say it", () => {
    expect(formatAgo(new Date("2026-11-26T11:59:30Z"), now)).toBe("just now");
    expect(formatAgo(new Date("2026-11-26T11:57:00Z"), now)).toBe("3 min ago");
    expect(formatAgo(new Date("2026-11-26T07:00:00Z"), now)).toBe("5 h ago");
    expect(formatAgo(new Date("2026-11-24T12:00:00Z"), now)).toBe("2 days ago");
  });
});

describe("formatDate", () => {
  it("shows the day in the user's time zone, not UTC", () => {
    // 23:30 UTC on the 3rd is already the 4th in Berlin.
    expect(formatDate("2026-11-03T23:30:00Z", "Europe/Berlin")).toBe("Wed 4 Nov 2026");
    expect(formatDate("2026-11-03T23:30:00Z", "America/New_York")).toBe("Tue 3 Nov 2026");
  });
});

describe("formatDuration", () => {
  it("formats watch time", () => {
    expect(formatDuration(12_400)).toBe("12.4 s");
    expect(formatDuration(65_000)).toBe("1 min 05 s");
    expect(formatDuration(null)).toBe("—");
  });
});

describe("formatDateTime", () => {
  it("uses a 24-hour clock in the user's zone", () => {
    expect(formatDateTime("2026-11-03T17:05:00Z", "Europe/Berlin")).toBe("3 Nov 2026, 18:05");
    expect(formatDateTime("2026-11-03T00:05:00Z", "UTC")).toBe("3 Nov 2026, 00:05");
  });
});

describe("formatDay and formatTime", () => {
  it("read the instant in the creator's time zone", async () => {
    const { formatDay, formatTime } = await import("./format");
    expect(formatDay("2026-11-03T23:30:00Z", "Europe/Berlin")).toBe("4 Nov 2026");
    expect(formatTime("2026-11-03T23:30:00Z", "Europe/Berlin")).toBe("00:30");
    expect(formatTime("2026-11-03T23:30:00Z", "UTC")).toBe("23:30");
  });
});

describe("formatDuration of long watch times", () => {
  it("switches to hours", () => {
    expect(formatDuration(185_937_000)).toBe("51 h 39 min");
    expect(formatDuration(65_000)).toBe("1 min 05 s");
  });
});
