// The range picker: the fixed choices, custom ranges typed as dates, and how a range reads.
// Rust resolves a choice to days in the creator's time zone; this only builds and checks it.
import type { RangeChoice } from "./bindings";

export type FixedRangeKind = Exclude<RangeChoice["kind"], "custom">;

export const RANGE_OPTIONS: { kind: FixedRangeKind; short: string; label: string }[] = [
  { kind: "last7", short: "7 d", label: "Last 7 days" },
  { kind: "last28", short: "28 d", label: "Last 28 days" },
  { kind: "last90", short: "90 d", label: "Last 90 days" },
  { kind: "last_year", short: "1 y", label: "Last 12 months" },
];

/** The longest custom range Rust accepts (report::MAX_PERIOD_DAYS). */
export const MAX_RANGE_DAYS = 3660;

/** "2026-11-02" when `text` is a real calendar day in that form, else null. */
export function parseDay(text: string): string | null {
  const trimmed = text.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return trimmed;
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

export type CustomResult = { ok: true; range: RangeChoice } | { ok: false; error: string };

/** Checks a typed custom range and says what to fix when it is not one. */
export function customRange(fromText: string, toText: string): CustomResult {
  const from = parseDay(fromText);
  const to = parseDay(toText);
  if (!from) return { ok: false, error: "The first day is not a date; use YYYY-MM-DD, e.g. 2026-11-02." };
  if (!to) return { ok: false, error: "The last day is not a date; use YYYY-MM-DD, e.g. 2026-11-30." };
  if (to < from) return { ok: false, error: "The last day comes before the first day; swap them." };
  if (daysBetween(from, to) > MAX_RANGE_DAYS) {
    return { ok: false, error: `A range can be at most ${MAX_RANGE_DAYS} days long.` };
  }
  return { ok: true, range: { kind: "custom", from, to } };
}

/** The range as a short label for the picker and headings. */
export function rangeLabel(range: RangeChoice): string {
  if (range.kind === "custom") return `${range.from} – ${range.to}`;
  return RANGE_OPTIONS.find((o) => o.kind === range.kind)?.label ?? range.kind;
}

/** A stable key, so screens reload exactly when the range changes. */
export function rangeKey(range: RangeChoice): string {
  return range.kind === "custom" ? `custom:${range.from}:${range.to}` : range.kind;
}
