import { describe, expect, it } from "vitest";
import { hourLabel, shadeGrid, topCells, type HeatCell } from "./heatmap";

const c = (value: number | null, samples: number): HeatCell => ({ value, samples });

describe("shadeGrid", () => {
  it("scales between the trusted minimum and maximum", () => {
    const grid = [[c(100, 5), c(200, 5), c(300, 5)]];
    expect(shadeGrid(grid, 3).map((r) => r.map((s) => s.level))).toEqual([[1, 3, 5]]);
  });
  it("does not let a thin outlier stretch the scale, and gives it no shade", () => {
    // One post at 10,000 must neither turn every real cell pale nor shout itself.
    const grid = [[c(100, 5), c(300, 5), c(10_000, 1)]];
    const shades = shadeGrid(grid, 3);
    expect(shades[0]!.map((s) => s.level)).toEqual([1, 5, 0]);
    expect(shades[0]!.map((s) => s.thin)).toEqual([false, false, true]);
  });
  it("leaves empty cells empty", () => {
    const shades = shadeGrid([[c(null, 0), c(5, 4)]], 3);
    expect(shades[0]![0]).toEqual({ level: 0, thin: true });
    expect(shades[0]![1]).toEqual({ level: 5, thin: false });
  });
  it("copes with a grid where nothing is trusted", () => {
    const shades = shadeGrid([[c(5, 1), c(7, 2)]], 3);
    expect(shades[0]!.every((s) => s.thin && s.level === 0)).toBe(true);
  });
});

describe("topCells", () => {
  it("names only trusted cells, best first, ties by sample size", () => {
    const grid = [
      [c(50, 3), c(90, 1)],
      [c(70, 4), c(70, 9)],
    ];
    expect(topCells(grid, 3, 2)).toEqual([
      { row: 1, col: 1, value: 70, samples: 9 },
      { row: 1, col: 0, value: 70, samples: 4 },
    ]);
  });
});

describe("hourLabel", () => {
  it("wraps at midnight", () => {
    expect(hourLabel(18)).toBe("18:00\u201319:00");
    expect(hourLabel(23)).toBe("23:00\u201300:00");
  });
});
