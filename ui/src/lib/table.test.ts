import { describe, expect, it } from "vitest";
import { DEFAULT_SORT, ariaSort, pageInfo, sortArrow, toggleSort, turnPage } from "./table";

describe("sorting", () => {
  it("starts newest first and flips on the same column", () => {
    expect(DEFAULT_SORT).toEqual({ column: "posted_at", ascending: false });
    const flipped = toggleSort(DEFAULT_SORT, "posted_at");
    expect(flipped).toEqual({ column: "posted_at", ascending: true });
    expect(toggleSort(flipped, "posted_at").ascending).toBe(false);
  });
  it("a new column starts with the largest first", () => {
    expect(toggleSort({ column: "reach", ascending: true }, "saves")).toEqual({ column: "saves", ascending: false });
  });
  it("announces the state on the header", () => {
    const state = { column: "reach" as const, ascending: false };
    expect(ariaSort(state, "reach")).toBe("descending");
    expect(ariaSort(state, "likes")).toBe("none");
    expect(sortArrow(state, "reach")).toBe("\u2193");
    expect(sortArrow({ column: "reach", ascending: true }, "reach")).toBe("\u2191");
    expect(sortArrow(state, "views")).toBe("");
  });
});

describe("paging", () => {
  it("says which rows are shown", () => {
    expect(pageInfo(0, 25, 212, 25)).toEqual({ page: 1, pages: 9, text: "1\u201325 of 212", hasPrevious: false, hasNext: true });
    expect(pageInfo(200, 25, 212, 12)).toMatchObject({ page: 9, text: "201\u2013212 of 212", hasNext: false });
    expect(pageInfo(0, 25, 0, 0)).toMatchObject({ pages: 1, text: "No posts", hasNext: false });
    expect(pageInfo(1000, 25, 1212, 25).text).toBe("1,001\u20131,025 of 1,212");
  });
  it("turns pages without leaving the table", () => {
    expect(turnPage(0, 25, 212, 1)).toBe(25);
    expect(turnPage(25, 25, 212, -1)).toBe(0);
    expect(turnPage(0, 25, 212, -1)).toBe(0);
    expect(turnPage(200, 25, 212, 1)).toBe(200);
  });
});
