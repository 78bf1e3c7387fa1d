import { describe, expect, it } from "vitest";
import type { Kpi } from "./bindings";
import { presentKpi } from "./kpi";

function kpi(partial: Partial<Kpi> & Pick<Kpi, "delta">): Kpi {
  return { measure: "views", label: "Views", unit: "count", note: null, ...partial };
}

const delta = (current: number | null, previous: number | null) => ({
  current,
  previous,
  change: current !== null && previous !== null ? current - previous : null,
  change_ratio: current !== null && previous ? (current - previous) / Math.abs(previous) : null,
});

describe("presentKpi", () => {
  it("shows counts with a relative change and the previous value", () => {
    const view = presentKpi(kpi({ delta: delta(12_500, 10_000) }));
    expect(view.value).toBe("12,500");
    expect(view.change).toBe("+25.0%");
    expect(view.direction).toBe("up");
    expect(view.previous).toBe("vs 10,000");
  });
  it("shows rates as percentages and changes in points", () => {
    const view = presentKpi(kpi({ measure: "median_engagement_rate", unit: "rate", delta: delta(0.046, 0.041) }));
    expect(view.value).toBe("4.60%");
    expect(view.change).toBe("+0.5 pt");
    expect(view.previous).toBe("vs 4.10%");
  });
  it("signs follower change and compares it in followers", () => {
    const view = presentKpi(kpi({ measure: "follower_change", delta: delta(-40, 25) }));
    expect(view.value).toBe("\u221240");
    expect(view.change).toBe("\u221265");
    expect(view.direction).toBe("down");
    expect(view.previous).toBe("vs +25");
  });
  it("keeps missing values as dashes with the note, and finds the definition", () => {
    const view = presentKpi(
      kpi({ measure: "account_reach", delta: delta(null, 900), note: "Instagram gives reach totals for 30 days at most" }),
      [{ measure: "account_reach", label: "Reach", text: "Accounts that saw your content." }],
    );
    expect(view.value).toBe("—");
    expect(view.change).toBe("—");
    expect(view.direction).toBe("none");
    expect(view.note).toMatch(/30 days/);
    expect(view.definition).toBe("Accounts that saw your content.");
  });
  it("shortens millions only", () => {
    expect(presentKpi(kpi({ delta: delta(2_345_678, null) })).value).toBe("2.3M");
    expect(presentKpi(kpi({ delta: delta(234_567, null) })).previous).toBeNull();
  });
});
