// How numbers, changes and times read in the UI. Pure functions, unit-tested: every figure a
// creator sees goes through here so the whole app speaks the same way.

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

/** 1234 → "1,234"; 12_345 → "12.3K" when `short`; null → "—" (no data is not zero). */
export function formatCount(value: number | null | undefined, short = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  if (short && Math.abs(value) >= 10_000) return compact.format(value);
  return whole.format(value);
}

/** A count with its noun: "1 post", "1,204 posts", "3 days". */
export function formatCountOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

// The nouns Rust's sentences count ("13217 readings saved"): only a number right before one
// of these is a count. Years, clock times and Instagram ids in the same sentences stay as
// they are; ids are longer than any count. No lookbehind: older WebKitGTK builds reject it
// while parsing the bundle, which would leave the window blank.
const COUNTED = /(^|[^\d.,:#/\w-])(\d{4,12})(?= (?:new )?(?:posts?|reels?|stories|story|readings?|calls?|comments?|mentions?|followers?|accounts?|days?|pictures?|thumbnails?|rows?|files?)\b)/g;

/** Groups the counts in a sentence written elsewhere (Rust) the way `formatCount` does:
 * "13217 readings saved" → "13,217 readings saved". */
export function formatCountsIn(sentence: string): string {
  return sentence.replace(COUNTED, (_match, before: string, digits: string) => before + whole.format(Number(digits)));
}

/** A ratio (0.0523) as a percentage ("5.23%"), with sensible precision for small values. */
export function formatPercent(ratio: number | null | undefined, digits?: number): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return "—";
  const pct = ratio * 100;
  const d = digits ?? (Math.abs(pct) < 10 ? 2 : 1);
  return `${pct.toFixed(d)}%`;
}

export type Direction = "up" | "down" | "flat" | "none";

export interface Delta {
  /** "+12.5%", "−3.0%", "±0%", or "new" when the previous period had nothing to compare with. */
  label: string;
  direction: Direction;
}

/** The change from `previous` to `current`, as shown under a KPI. */
export function formatDelta(
  current: number | null | undefined,
  previous: number | null | undefined,
): Delta {
  if (current === null || current === undefined || previous === null || previous === undefined) {
    return { label: "—", direction: "none" };
  }
  if (previous === 0) {
    return current === 0 ? { label: "±0%", direction: "flat" } : { label: "new", direction: "up" };
  }
  const change = (current - previous) / Math.abs(previous);
  if (Math.abs(change) < 0.0005) return { label: "±0%", direction: "flat" };
  const pct = Math.abs(change * 100);
  const text = pct >= 100 ? pct.toFixed(0) : pct.toFixed(1);
  return change > 0
    ? { label: `+${text}%`, direction: "up" }
    : { label: `\u2212${text}%`, direction: "down" };
}

/** A change in percentage points, for rates (engagement 4.1% → 4.6% is "+0.5 pt"). */
export function formatPointDelta(
  current: number | null | undefined,
  previous: number | null | undefined,
): Delta {
  if (current === null || current === undefined || previous === null || previous === undefined) {
    return { label: "—", direction: "none" };
  }
  const points = (current - previous) * 100;
  if (Math.abs(points) < 0.05) return { label: "±0 pt", direction: "flat" };
  return points > 0
    ? { label: `+${points.toFixed(1)} pt`, direction: "up" }
    : { label: `\u2212${Math.abs(points).toFixed(1)} pt`, direction: "down" };
}

/** "3 min ago", "5 h ago", "2 days ago" — for "data as of". `now` is passed in. */
export function formatAgo(then: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? "1 day ago" : `${days} days ago`;
}

/** The parts of an instant as seen in a time zone; built from parts so every engine (Node's
 * ICU, WebKitGTK's) produces the same text. */
function partsIn(iso: string, timeZone: string): Record<string, string> {
  const parts = new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).formatToParts(new Date(iso));
  const out: Record<string, string> = {};
  for (const part of parts) out[part.type] = part.value;
  return out;
}

/** A calendar date in a time zone: "Tue 3 Nov 2026". */
export function formatDate(iso: string, timeZone: string): string {
  const p = partsIn(iso, timeZone);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** Date and time in a time zone: "3 Nov 2026, 18:05". */
export function formatDateTime(iso: string, timeZone: string): string {
  const p = partsIn(iso, timeZone);
  return `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** Milliseconds of watch time as "12.4 s", "1 min 05 s" or "51 h 39 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) {
    const m = Math.floor(seconds / 60);
    const s = Math.round(seconds - m * 60);
    return `${m} min ${s.toString().padStart(2, "0")} s`;
  }
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds - h * 3600) / 60);
  return `${whole.format(h)} h ${m.toString().padStart(2, "0")} min`;
}

/** A day without the weekday, for dense tables: "3 Nov 2026". */
export function formatDay(iso: string, timeZone: string): string {
  const p = partsIn(iso, timeZone);
  return `${p.day} ${p.month} ${p.year}`;
}

/** The time of day in a time zone: "18:05". */
export function formatTime(iso: string, timeZone: string): string {
  const p = partsIn(iso, timeZone);
  return `${p.hour}:${p.minute}`;
}
