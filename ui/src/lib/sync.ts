// What the sync bar says: progress while a sync runs, the last outcome as a sentence with
// what to do, and how fresh the data is. Fed by events from Rust (live) and `sync_status`
// (what the store remembers from before this window opened).
import type { ErrorCode, SyncStatusView } from "./bindings";
import { formatAgo, formatCount, formatCountsIn, formatDateTime } from "./format";

/** What the events of this window said about one account's sync. */
export interface LiveSync {
  running: boolean;
  step: string;
  done: number;
  total: number;
  /** The last outcome's sentence (finished or failed), or null. */
  message: string | null;
  failed: boolean;
  code: ErrorCode | null;
  warnings: string[];
  /** While Instagram's limits pause the running sync: when it goes on. */
  resumesAt: string | null;
}

export const IDLE: LiveSync = {
  running: false,
  step: "",
  done: 0,
  total: 0,
  message: null,
  failed: false,
  code: null,
  warnings: [],
  resumesAt: null,
};

export type Tone = "running" | "ok" | "warn" | "error" | "quiet";
export type SyncAction = "sync" | "cancel" | "sign_in";

export interface SyncBarView {
  tone: Tone;
  /** The main sentence. */
  text: string;
  /** "12 of 48" while running. */
  count: string | null;
  /** 0..1 while running with a known total, else null. */
  progress: number | null;
  /** "Data as of 3 Nov 2026, 18:05 (5 min ago)", or why there is none. */
  asOf: string;
  /** What the last sync said the creator should know (shown on demand). */
  notes: string[];
  action: SyncAction;
}

/** The sync bar's view. Rust's sentences carry bare counts ("13217 readings saved"); they are
 * grouped here like every other figure in the window. */
export function presentSync(
  live: LiveSync | undefined,
  view: SyncStatusView | null,
  now: Date,
  timeZone: string,
): SyncBarView {
  const bar = describeSync(live, view, now, timeZone);
  return { ...bar, text: formatCountsIn(bar.text), notes: bar.notes.map(formatCountsIn) };
}

function describeSync(
  live: LiveSync | undefined,
  view: SyncStatusView | null,
  now: Date,
  timeZone: string,
): SyncBarView {
  const asOf = view?.data_as_of
    ? `Data as of ${formatDateTime(view.data_as_of, timeZone)} (${formatAgo(new Date(view.data_as_of), now)})`
    : "No data read yet";
  const state = live ?? IDLE;
  if (state.running || (view?.running && !state.message)) {
    const total = state.total;
    return {
      tone: state.resumesAt ? "warn" : "running",
      text: state.step || "Starting the sync…",
      count: total > 0 ? `${formatCount(Math.min(state.done, total))} of ${formatCount(total)}` : null,
      progress: total > 0 ? Math.min(1, state.done / total) : null,
      asOf,
      notes: [],
      action: "cancel",
    };
  }
  if (state.message) {
    if (!state.failed) {
      return { tone: "ok", text: state.message, count: null, progress: null, asOf, notes: state.warnings, action: "sync" };
    }
    switch (state.code) {
      case "needs_sign_in":
        return { tone: "error", text: state.message, count: null, progress: null, asOf, notes: [], action: "sign_in" };
      case "throttled":
        return { tone: "warn", text: state.message, count: null, progress: null, asOf, notes: [], action: "sync" };
      case "cancelled":
        return { tone: "quiet", text: state.message, count: null, progress: null, asOf, notes: [], action: "sync" };
      default:
        return { tone: "error", text: state.message, count: null, progress: null, asOf, notes: [], action: "sync" };
    }
  }
  switch (view?.last_status) {
    case "failed":
      return {
        tone: "warn",
        text: "The last sync did not finish. Sync now to continue where it stopped.",
        count: null,
        progress: null,
        asOf,
        notes: view.last_warnings,
        action: "sync",
      };
    case "cancelled":
      return {
        tone: "quiet",
        text: "The last sync was cancelled. Sync now to continue where it stopped.",
        count: null,
        progress: null,
        asOf,
        notes: view.last_warnings,
        action: "sync",
      };
    default:
      return {
        tone: "quiet",
        text: scheduleSentence(view?.every_minutes ?? null),
        count: null,
        progress: null,
        asOf,
        notes: view?.last_warnings ?? [],
        action: "sync",
      };
  }
}

/** How the schedule reads: "Syncs every hour while Insightdesk is open." */
export function scheduleSentence(everyMinutes: number | null): string {
  if (everyMinutes === null) return "";
  if (everyMinutes === 0) return "Syncs only when you ask.";
  return `Syncs ${everyText(everyMinutes)} while Insightdesk is open.`;
}

export function everyText(minutes: number): string {
  if (minutes === 60) return "every hour";
  if (minutes === 1440) return "once a day";
  if (minutes % 60 === 0) return `every ${minutes / 60} hours`;
  return `every ${minutes} minutes`;
}
