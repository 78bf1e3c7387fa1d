// Turns a ChartSpec (built in Rust, the same one the PDF draws) into what uPlot needs. Pure
// and tested; the Chart component only mounts the result.
import type { ChartSpec, Unit } from "./bindings";
import { formatCount, formatPercent } from "./format";

export interface SeriesData {
  /** x positions: unix seconds for day axes, 0..n-1 for categories. */
  xs: number[];
  /** One array per series, null for a gap. */
  ys: (number | null)[][];
  names: string[];
  /** Category names for a category axis, else null. */
  categories: string[] | null;
}

/** The data of a series chart, or null for a grid (heatmap) spec. */
export function seriesData(spec: ChartSpec): SeriesData | null {
  if (spec.data.type !== "series") return null;
  const { x, series } = spec.data;
  const isDay = x.unit === "day";
  const xs = x.labels.map((label, i) => (isDay ? Date.parse(`${label}T00:00:00Z`) / 1000 : i));
  return {
    xs,
    ys: series.map((s) => s.values.map((v) => (v === null || !Number.isFinite(v) ? null : v))),
    names: series.map((s) => s.name),
    categories: isDay ? null : x.labels,
  };
}

/** How a value of a unit reads on an axis or in a tooltip. */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined) return "—";
  switch (unit) {
    case "rate":
      return formatPercent(value);
    case "count":
      return formatCount(value, true);
    default:
      return String(value);
  }
}

/** The y range to draw: from zero unless the spec says otherwise, padded a little. */
export function yRange(spec: ChartSpec, data: SeriesData): [number, number] {
  const values = data.ys.flat().filter((v): v is number => v !== null);
  if (values.length === 0) return [0, 1];
  const max = Math.max(...values);
  const min = Math.min(...values);
  if (spec.y_axis.from_zero) return [Math.min(0, min), max === 0 ? 1 : max * 1.08];
  const pad = (max - min) * 0.1 || Math.abs(max) * 0.05 || 1;
  return [min - pad, max + pad];
}

/** The CSS custom property of the nth series colour. */
export function seriesColorVar(index: number): string {
  return `--series-${(index % 6) + 1}`;
}

/** The x position's label in a tooltip: "Tue 3 Nov 2026" for days, the category otherwise. */
export function xLabel(data: SeriesData, index: number): string {
  if (data.categories) return data.categories[index] ?? "";
  const x = data.xs[index];
  if (x === undefined) return "";
  const date = new Date(x * 1000);
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][date.getUTCDay()];
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][date.getUTCMonth()];
  return `${weekday} ${date.getUTCDate()} ${month} ${date.getUTCFullYear()}`;
}

/** What the hover tooltip lists at an x position: each series' exact value (full figures,
 * not the axis's short ones), "no reading" for a gap. */
export function tooltipLines(data: SeriesData, index: number, unit: Unit): { name: string; value: string }[] {
  return data.names.map((name, i) => {
    const v = data.ys[i]?.[index] ?? null;
    const value = v === null ? "no reading" : unit === "rate" ? formatPercent(v) : formatCount(v);
    return { name, value };
  });
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Labels of day ticks (unix seconds at UTC midnight): "3 Nov", the year added on the first
 * tick and where it changes; months alone ("Nov", "Jan 2027") when ticks are 28 days or more
 * apart. */
export function dayTicks(splits: number[]): string[] {
  const step = splits.length > 1 ? (splits[1]! - splits[0]!) / 86_400 : 1;
  let lastYear: number | null = null;
  return splits.map((seconds) => {
    const date = new Date(seconds * 1000);
    const year = date.getUTCFullYear();
    const showYear = lastYear !== null && year !== lastYear;
    lastYear = year;
    const month = MONTHS[date.getUTCMonth()];
    if (step >= 28) return showYear ? `${month} ${year}` : `${month}`;
    return showYear ? `${date.getUTCDate()} ${month} ${year}` : `${date.getUTCDate()} ${month}`;
  });
}

/** When a line chart has exactly one reading, drawing a lonely dot says little: this is the
 * reading to state in words instead. */
export function singleReading(data: SeriesData): { name: string; index: number; value: number } | null {
  let found: { name: string; index: number; value: number } | null = null;
  for (let s = 0; s < data.ys.length; s++) {
    const ys = data.ys[s] ?? [];
    for (let i = 0; i < ys.length; i++) {
      const v = ys[i];
      if (v === null || v === undefined) continue;
      if (found) return null;
      found = { name: data.names[s] ?? "", index: i, value: v };
    }
  }
  return found;
}

/** Whether any series has a reading at x position `index`. */
function hasReading(data: SeriesData, index: number): boolean {
  return data.ys.some((ys) => ys[index] !== null && ys[index] !== undefined);
}

/**
 * The x position the keyboard moves a chart's cursor to: left and right arrows to the
 * previous or next position with a reading, Home and End to the first and last. Only
 * positions within `visible` (the zoomed range, by index) count. From no position yet, any
 * of those keys starts at the last reading, the most recent day. Null for other keys.
 */
export function stepPoint(
  data: SeriesData,
  from: number | null,
  key: string,
  visible: [number, number] = [0, data.xs.length - 1],
): number | null {
  const [lo, hi] = [Math.max(0, visible[0]), Math.min(data.xs.length - 1, visible[1])];
  const readings: number[] = [];
  for (let i = lo; i <= hi; i++) if (hasReading(data, i)) readings.push(i);
  if (readings.length === 0) return null;
  const first = readings[0]!;
  const last = readings[readings.length - 1]!;
  switch (key) {
    case "Home":
      return first;
    case "End":
      return last;
    case "ArrowLeft":
      if (from === null) return last;
      return [...readings].reverse().find((i) => i < from) ?? first;
    case "ArrowRight":
      if (from === null) return last;
      return readings.find((i) => i > from) ?? last;
    default:
      return null;
  }
}

/** The index range of the x positions between `min` and `max` (a zoomed x scale). */
export function visibleRange(data: SeriesData, min: number | null | undefined, max: number | null | undefined): [number, number] {
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  let first = data.xs.findIndex((x) => x >= lo);
  let last = data.xs.length - 1;
  while (last >= 0 && data.xs[last]! > hi) last--;
  if (first === -1) first = data.xs.length;
  return [first, last];
}

/** Whether an x scale shows less than all of the data: the chart is zoomed in. */
export function isZoomed(data: SeriesData, min: number | null | undefined, max: number | null | undefined): boolean {
  if (data.xs.length < 2 || min === null || min === undefined || max === null || max === undefined) return false;
  const [lo, hi] = visibleRange(data, min, max);
  return lo > 0 || hi < data.xs.length - 1;
}

/** Tick steps for counts: whole numbers only (no "2.5 posts"). */
export const COUNT_STEPS: number[] = [1, 2, 5].flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7].map((p) => m * p)).sort((a, b) => a - b);
