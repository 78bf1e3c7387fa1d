// The weekday × hour heatmaps (best time to post, online followers): which shade each cell
// gets, which cells have too few posts behind them to be trusted, and how the keyboard
// moves through the grid.
import { formatCountOf } from "./format";

export interface HeatCell {
  /** The cell's figure (e.g. median reach of posts published then), or null when empty. */
  value: number | null;
  /** How many posts (or days) the figure rests on. */
  samples: number;
}

export interface HeatShade {
  /** 0 = empty or too thin to compare, 1..steps = light to strong. */
  level: number;
  /** True when the cell has fewer samples than the trustworthy minimum. */
  thin: boolean;
}

/**
 * Shades a grid on a linear scale between the smallest and largest value among the cells
 * that have at least `minSamples` behind them. Thin cells get no place on the scale — one pale
 * tint (level 0, flagged thin) — so the eye is not drawn to a lucky single post, as the
 * report's definition says.
 */
export function shadeGrid(grid: HeatCell[][], minSamples: number, steps = 5): HeatShade[][] {
  const trusted: number[] = [];
  for (const row of grid) {
    for (const cell of row) {
      if (cell.value !== null && cell.samples >= minSamples) trusted.push(cell.value);
    }
  }
  const lo = trusted.length > 0 ? Math.min(...trusted) : 0;
  const hi = trusted.length > 0 ? Math.max(...trusted) : 0;
  return grid.map((row) =>
    row.map((cell) => {
      const thin = cell.samples < minSamples;
      if (cell.value === null || cell.samples === 0 || thin) return { level: 0, thin };
      if (hi === lo) return { level: steps, thin };
      const t = Math.min(1, Math.max(0, (cell.value - lo) / (hi - lo)));
      return { level: 1 + Math.round(t * (steps - 1)), thin };
    }),
  );
}

/** The strongest trusted cells, best first: what the "best time" line names. */
export function topCells(
  grid: HeatCell[][],
  minSamples: number,
  count: number,
): { row: number; col: number; value: number; samples: number }[] {
  const cells: { row: number; col: number; value: number; samples: number }[] = [];
  grid.forEach((r, row) =>
    r.forEach((cell, col) => {
      if (cell.value !== null && cell.samples >= minSamples) {
        cells.push({ row, col, value: cell.value, samples: cell.samples });
      }
    }),
  );
  cells.sort((a, b) => b.value - a.value || b.samples - a.samples || a.row - b.row || a.col - b.col);
  return cells.slice(0, count);
}

export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** "18:00–19:00" for hour 18. */
export function hourLabel(hour: number): string {
  const pad = (h: number) => `${(h % 24).toString().padStart(2, "0")}:00`;
  return `${pad(hour)}\u2013${pad(hour + 1)}`;
}

export interface CellPosition {
  row: number;
  col: number;
}

/**
 * Where a key moves the focused cell of a `rows` × `cols` grid: arrows by one cell, Home and
 * End to the row's ends, Ctrl+Home and Ctrl+End to the grid's corners, Page Up and Page Down
 * to the column's ends (the ARIA grid pattern). Moves stop at the edges. Null for any other
 * key, which the grid then leaves alone (Tab must still leave the grid).
 */
export function moveCell(at: CellPosition, key: string, rows: number, cols: number, ctrl = false): CellPosition | null {
  if (rows === 0 || cols === 0) return null;
  const clamp = (row: number, col: number) => ({
    row: Math.min(rows - 1, Math.max(0, row)),
    col: Math.min(cols - 1, Math.max(0, col)),
  });
  switch (key) {
    case "ArrowLeft":
      return clamp(at.row, at.col - 1);
    case "ArrowRight":
      return clamp(at.row, at.col + 1);
    case "ArrowUp":
      return clamp(at.row - 1, at.col);
    case "ArrowDown":
      return clamp(at.row + 1, at.col);
    case "Home":
      return ctrl ? clamp(0, 0) : clamp(at.row, 0);
    case "End":
      return ctrl ? clamp(rows - 1, cols - 1) : clamp(at.row, cols - 1);
    case "PageUp":
      return clamp(0, at.col);
    case "PageDown":
      return clamp(rows - 1, at.col);
    default:
      return null;
  }
}

/** Where keyboard focus enters a grid first: its strongest trusted cell, else the first. */
export function firstFocus(grid: HeatCell[][], minSamples: number): CellPosition {
  const best = topCells(grid, minSamples, 1)[0];
  return best ? { row: best.row, col: best.col } : { row: 0, col: 0 };
}

/** "Sun 19:00 — 14.5% (5 posts)": what hovering or focusing a cell says. `value` is already
 * formatted in the grid's unit. */
export function cellSentence(row: string, column: string, value: string | null, samples: number, sampleNoun: string): string {
  if (value === null || samples === 0) return `${row} ${column}:00 — no ${sampleNoun}s`;
  return `${row} ${column}:00 — ${value} (${formatCountOf(samples, sampleNoun)})`;
}
