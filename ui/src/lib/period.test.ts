import { describe, expect, it } from "vitest";
import { periodChoice, periodKey } from "./period";

const form = { kind: "week" as const, weekDay: "", month: "", from: "", to: "" };

describe("periodChoice", () => {
  it("defaults to the last complete week or month", () => {
    expect(periodChoice(form)).toEqual({ ok: true, period: { kind: "week", day: null } });
    expect(periodChoice({ ...form, kind: "month" })).toEqual({ ok: true, period: { kind: "month", day: null } });
  });
  it("takes a day inside the week and a month", () => {
    expect(periodChoice({ ...form, weekDay: "2026-11-04" })).toEqual({ ok: true, period: { kind: "week", day: "2026-11-04" } });
    expect(periodChoice({ ...form, kind: "month", month: "2026-10" })).toEqual({ ok: true, period: { kind: "month", day: "2026-10-01" } });
    expect(periodChoice({ ...form, kind: "month", month: "October" }).ok).toBe(false);
  });
  it("checks custom days", () => {
    expect(periodChoice({ ...form, kind: "custom", from: "2026-10-01", to: "2026-10-15" })).toEqual({
      ok: true,
      period: { kind: "custom", from: "2026-10-01", to: "2026-10-15" },
    });
    const reversed = periodChoice({ ...form, kind: "custom", from: "2026-10-15", to: "2026-10-01" });
    expect(!reversed.ok && reversed.error).toMatch(/before the first day/);
  });
  it("keys periods", () => {
    expect(periodKey({ kind: "week", day: null })).toBe("week:last");
    expect(periodKey({ kind: "custom", from: "a", to: "b" })).toBe("custom:a:b");
  });
});
