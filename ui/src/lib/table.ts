// The content table's sorting and paging state. Sorting happens in Rust (the `content`
// command); this keeps the state and says how headers announce it.
import { formatCount } from "./format";

export const SORT_COLUMNS = [
  "posted_at",
  "reach",
  "views",
  "likes",
  "comments",
  "saves",
  "shares",
  "engagement_rate",
] as const;

export type SortColumn = (typeof SORT_COLUMNS)[number];

export interface SortState {
  column: SortColumn;
  ascending: boolean;
}

export const DEFAULT_SORT: SortState = { column: "posted_at", ascending: false };

/** Clicking a header: the same column flips direction; a new one starts with the largest
 * (or newest) first, which is what a creator looks for. */
export function toggleSort(state: SortState, column: SortColumn): SortState {
  if (state.column === column) return { column, ascending: !state.ascending };
  return { column, ascending: false };
}

/** The header's `aria-sort`. */
export function ariaSort(state: SortState, column: SortColumn): "ascending" | "descending" | "none" {
  if (state.column !== column) return "none";
  return state.ascending ? "ascending" : "descending";
}

/** The arrow shown after a sorted header. */
export function sortArrow(state: SortState, column: SortColumn): string {
  if (state.column !== column) return "";
  return state.ascending ? "\u2191" : "\u2193";
}

export interface PageInfo {
  page: number;
  pages: number;
  /** "26–50 of 212", "No posts". */
  text: string;
  hasPrevious: boolean;
  hasNext: boolean;
}

export function pageInfo(offset: number, limit: number, total: number, shown: number): PageInfo {
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.min(pages, Math.floor(offset / limit) + 1);
  const text = total === 0 ? "No posts" : `${formatCount(offset + 1)}\u2013${formatCount(offset + shown)} of ${formatCount(total)}`;
  return { page, pages, text, hasPrevious: offset > 0, hasNext: offset + shown < total };
}

/** The offset of the previous or next page, kept inside the table. */
export function turnPage(offset: number, limit: number, total: number, step: -1 | 1): number {
  const next = offset + step * limit;
  if (next < 0) return 0;
  if (next >= total) return offset;
  return next;
}
