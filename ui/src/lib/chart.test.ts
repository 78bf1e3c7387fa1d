import { describe, expect, it } from "vitest";
import type { ChartSpec } from "./bindings";
import { formatValue, isZoomed, seriesData, stepPoint, visibleRange, yRange, type SeriesData } from "./chart";

function spec(partial: Partial<ChartSpec>): ChartSpec {
  return {
    id: "t",
    kind: "line",
    title: "T",
    subtitle: null,
    x_axis: { label: "Day", unit: "day", from_zero: false },
    y_axis: { label: "Reach", unit: "count", from_zero: true },
    data: {
      type: "series",
      x: { unit: "day", labels: ["2026-11-01", "2026-11-02"] },
      series: [{ name: "Reach", unit: "count", values: [10, null] }],
    },
    empty_message: null,
    ...partial,
  };
}

describe("seriesData", () => {
  it("puts days at UTC midnight and keeps gaps as null", () => {
    const data = seriesData(spec({}))!;
    expect(data.xs).toEqual([Date.UTC(2026, 10, 1) / 1000, Date.UTC(2026, 10, 2) / 1000]);
    expect(data.ys).toEqual([[10, null]]);
    expect(data.categories).toBeNull();
  });
  it("indexes categories", () => {
    const data = seriesData(
      spec({
        data: {
          type: "series",
          x: { unit: "category", labels: ["Reels", "Posts"] },
          series: [{ name: "Share", unit: "rate", values: [0.6, 0.4] }],
        },
      }),
    )!;
    expect(data.xs).toEqual([0, 1]);
    expect(data.categories).toEqual(["Reels", "Posts"]);
  });
  it("has nothing for a heatmap", () => {
    expect(
      seriesData(
        spec({
          data: { type: "grid", rows: [], columns: [], values: [], counts: [], unit: "count", min_count: 3 },
        }),
      ),
    ).toBeNull();
  });
});

describe("yRange", () => {
  it("starts at zero when asked and pads the top", () => {
    const s = spec({});
    expect(yRange(s, seriesData(s)!)).toEqual([0, 10.8]);
  });
  it("hugs the data when not from zero", () => {
    const s = spec({
      y_axis: { label: "Followers", unit: "count", from_zero: false },
      data: {
        type: "series",
        x: { unit: "day", labels: ["2026-11-01", "2026-11-02"] },
        series: [{ name: "Followers", unit: "count", values: [12_000, 12_100] }],
      },
    });
    const [lo, hi] = yRange(s, seriesData(s)!);
    expect(lo).toBeCloseTo(11_990);
    expect(hi).toBeCloseTo(12_110);
  });
});

describe("formatValue", () => {
  it("follows the unit", () => {
    expect(formatValue(0.052, "rate")).toBe("5.20%");
    expect(formatValue(15_400, "count")).toBe("15.4K");
    expect(formatValue(null, "count")).toBe("—");
  });
});

describe("tooltip", () => {
  it("labels days and lists exact values, gaps as no reading", async () => {
    const { tooltipLines, xLabel } = await import("./chart");
    const s = spec({
      data: {
        type: "series",
        x: { unit: "day", labels: ["2026-11-03", "2026-11-04"] },
        series: [
          { name: "Reach", unit: "count", values: [12_345, null] },
          { name: "Views", unit: "count", values: [50_000, 2] },
        ],
      },
    });
    const data = seriesData(s)!;
    expect(xLabel(data, 0)).toBe("Tue 3 Nov 2026");
    expect(tooltipLines(data, 0, "count")).toEqual([
      { name: "Reach", value: "12,345" },
      { name: "Views", value: "50,000" },
    ]);
    expect(tooltipLines(data, 1, "count")[0]).toEqual({ name: "Reach", value: "no reading" });
  });
  it("names categories", async () => {
    const { xLabel } = await import("./chart");
    const data = seriesData(
      spec({
        data: { type: "series", x: { unit: "category", labels: ["Reels", "Photos"] }, series: [{ name: "Posts", unit: "count", values: [3, 4] }] },
      }),
    )!;
    expect(xLabel(data, 1)).toBe("Photos");
  });
});

describe("dayTicks", () => {
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
  it("names days, with the year where it changes", async () => {
    const { dayTicks } = await import("./chart");
    expect(dayTicks([day("2026-12-28"), day("2026-12-31"), day("2027-01-03")])).toEqual(["28 Dec", "31 Dec", "3 Jan 2027"]);
  });
  it("names months when ticks are a month apart", async () => {
    const { dayTicks } = await import("./chart");
    expect(dayTicks([day("2026-11-01"), day("2026-12-01"), day("2027-01-01")])).toEqual(["Nov", "Dec", "Jan 2027"]);
  });
});

describe("singleReading", () => {
  it("finds the only reading, and nothing when there are more", async () => {
    const { singleReading } = await import("./chart");
    const one = seriesData(spec({ data: { type: "series", x: { unit: "day", labels: ["2026-11-01", "2026-11-02"] }, series: [{ name: "Followers", unit: "count", values: [null, 11_451] }] } }))!;
    expect(singleReading(one)).toEqual({ name: "Followers", index: 1, value: 11_451 });
    const two = seriesData(spec({ data: { type: "series", x: { unit: "day", labels: ["2026-11-01", "2026-11-02"] }, series: [{ name: "Followers", unit: "count", values: [11_400, 11_451] }] } }))!;
    expect(singleReading(two)).toBeNull();
  });
});

describe("keyboard and zoom", () => {
  // Five days; the third has no reading in any series.
  const day = (d: number) => Date.UTC(2026, 10, d) / 1000;
  const data: SeriesData = {
    xs: [day(1), day(2), day(3), day(4), day(5)],
    ys: [
      [1, 2, null, 4, 5],
      [null, 7, null, null, 9],
    ],
    names: ["Reach", "Views"],
    categories: null,
  };
  it("moves point by point over the days with a reading, stopping at the ends", () => {
    expect(stepPoint(data, 1, "ArrowRight")).toBe(3);
    expect(stepPoint(data, 3, "ArrowLeft")).toBe(1);
    expect(stepPoint(data, 4, "ArrowRight")).toBe(4);
    expect(stepPoint(data, 0, "ArrowLeft")).toBe(0);
    expect(stepPoint(data, 2, "Home")).toBe(0);
    expect(stepPoint(data, 0, "End")).toBe(4);
  });
  it("starts at the most recent reading and ignores other keys", () => {
    expect(stepPoint(data, null, "ArrowLeft")).toBe(4);
    expect(stepPoint(data, null, "ArrowRight")).toBe(4);
    expect(stepPoint(data, 1, "Enter")).toBeNull();
    expect(stepPoint({ ...data, ys: [[null, null, null, null, null]] }, null, "ArrowLeft")).toBeNull();
  });
  it("stays inside the zoomed range", () => {
    const shown = visibleRange(data, day(2), day(4));
    expect(shown).toEqual([1, 3]);
    expect(stepPoint(data, 3, "ArrowRight", shown)).toBe(3);
    expect(stepPoint(data, null, "End", shown)).toBe(3);
    expect(stepPoint(data, 4, "ArrowLeft", shown)).toBe(3);
  });
  it("knows when the x scale shows less than every day", () => {
    expect(isZoomed(data, day(1), day(5))).toBe(false);
    expect(isZoomed(data, day(1) - 3600, day(5) + 3600)).toBe(false);
    expect(isZoomed(data, day(2), day(5))).toBe(true);
    expect(isZoomed(data, day(1), day(4) + 7200)).toBe(true);
    expect(isZoomed(data, undefined, undefined)).toBe(false);
  });
});
