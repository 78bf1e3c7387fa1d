import { describe, expect, it } from "vitest";
import { customRange, daysBetween, parseDay, rangeKey, rangeLabel } from "./range";

describe("parseDay", () => {
  it("accepts real days only", () => {
    expect(parseDay("2026-11-02")).toBe("2026-11-02");
    expect(parseDay(" 2024-02-29 ")).toBe("2024-02-29");
    expect(parseDay("2025-02-29")).toBeNull();
    expect(parseDay("2026-13-01")).toBeNull();
    expect(parseDay("2.11.2026")).toBeNull();
    expect(parseDay("")).toBeNull();
  });
});

describe("customRange", () => {
  it("builds a custom choice", () => {
    expect(customRange("2026-10-01", "2026-10-31")).toEqual({
      ok: true,
      range: { kind: "custom", from: "2026-10-01", to: "2026-10-31" },
    });
  });
  it("says what to fix", () => {
    const reversed = customRange("2026-10-31", "2026-10-01");
    expect(reversed.ok).toBe(false);
    expect(!reversed.ok && reversed.error).toMatch(/before the first day/);
    const bad = customRange("yesterday", "2026-10-01");
    expect(!bad.ok && bad.error).toMatch(/first day is not a date/);
    const long = customRange("2000-01-01", "2026-10-01");
    expect(!long.ok && long.error).toMatch(/at most 3660 days/);
  });
  it("counts both ends", () => {
    expect(daysBetween("2026-10-01", "2026-10-01")).toBe(1);
    expect(daysBetween("2026-10-01", "2026-10-31")).toBe(31);
  });
});

describe("labels and keys", () => {
  it("reads well and changes with the range", () => {
    expect(rangeLabel({ kind: "last28" })).toBe("Last 28 days");
    expect(rangeLabel({ kind: "custom", from: "2026-10-01", to: "2026-10-31" })).toBe("2026-10-01 – 2026-10-31");
    expect(rangeKey({ kind: "last7" })).not.toBe(rangeKey({ kind: "last28" }));
    expect(rangeKey({ kind: "custom", from: "a", to: "b" })).toBe("custom:a:b");
  });
});
