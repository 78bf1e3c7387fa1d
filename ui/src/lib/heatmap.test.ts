import { describe, expect, it } from "vitest";
import { cellSentence, firstFocus, hourLabel, moveCell, shadeGrid, topCells, type HeatCell } from "./heatmap";

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

describe("moveCell", () => {
  const at = { row: 3, col: 10 };
  it("moves one cell with the arrows and stops at the edges", () => {
    expect(moveCell(at, "ArrowLeft", 7, 24)).toEqual({ row: 3, col: 9 });
    expect(moveCell(at, "ArrowRight", 7, 24)).toEqual({ row: 3, col: 11 });
    expect(moveCell(at, "ArrowUp", 7, 24)).toEqual({ row: 2, col: 10 });
    expect(moveCell(at, "ArrowDown", 7, 24)).toEqual({ row: 4, col: 10 });
    expect(moveCell({ row: 0, col: 0 }, "ArrowLeft", 7, 24)).toEqual({ row: 0, col: 0 });
    expect(moveCell({ row: 0, col: 0 }, "ArrowUp", 7, 24)).toEqual({ row: 0, col: 0 });
    expect(moveCell({ row: 6, col: 23 }, "ArrowRight", 7, 24)).toEqual({ row: 6, col: 23 });
    expect(moveCell({ row: 6, col: 23 }, "ArrowDown", 7, 24)).toEqual({ row: 6, col: 23 });
  });
  it("jumps to the row's ends, the grid's corners and the column's ends", () => {
    expect(moveCell(at, "Home", 7, 24)).toEqual({ row: 3, col: 0 });
    expect(moveCell(at, "End", 7, 24)).toEqual({ row: 3, col: 23 });
    expect(moveCell(at, "Home", 7, 24, true)).toEqual({ row: 0, col: 0 });
    expect(moveCell(at, "End", 7, 24, true)).toEqual({ row: 6, col: 23 });
    expect(moveCell(at, "PageUp", 7, 24)).toEqual({ row: 0, col: 10 });
    expect(moveCell(at, "PageDown", 7, 24)).toEqual({ row: 6, col: 10 });
  });
  it("leaves other keys, Tab among them, to the page", () => {
    expect(moveCell(at, "Tab", 7, 24)).toBeNull();
    expect(moveCell(at, "a", 7, 24)).toBeNull();
    expect(moveCell(at, "ArrowLeft", 0, 0)).toBeNull();
  });
});

describe("firstFocus", () => {
  it("enters on the strongest trusted cell, or the first when none is trusted", () => {
    expect(firstFocus([[c(1, 5), c(9, 1)], [c(4, 6), c(null, 0)]], 3)).toEqual({ row: 1, col: 0 });
    expect(firstFocus([[c(1, 1)]], 3)).toEqual({ row: 0, col: 0 });
  });
});

describe("cellSentence", () => {
  it("says the slot, the value and what it rests on, like the hover", () => {
    expect(cellSentence("Sun", "19", "14.5%", 5, "post")).toBe("Sun 19:00 — 14.5% (5 posts)");
    expect(cellSentence("Mon", "03", "1,204", 1, "day")).toBe("Mon 03:00 — 1,204 (1 day)");
    expect(cellSentence("Mon", "03", "1.2K", 1200, "day")).toBe("Mon 03:00 — 1.2K (1,200 days)");
    expect(cellSentence("Tue", "08", null, 0, "post")).toBe("Tue 08:00 — no posts");
  });
});
