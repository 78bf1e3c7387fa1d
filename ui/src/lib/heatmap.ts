// The weekday × hour heatmaps (best time to post, online followers): which shade each cell
// gets, and which cells have too few posts behind them to be trusted.

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
