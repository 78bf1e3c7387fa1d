// The report's period: a week, a month or two days, as the `PeriodChoice` Rust resolves.
import type { PeriodChoice } from "./bindings";
import { customRange, parseDay } from "./range";

export type PeriodKind = PeriodChoice["kind"];

export interface PeriodForm {
  kind: PeriodKind;
  /** Any day of the week to report, or "" for the last complete week. */
  weekDay: string;
  /** "2026-10", or "" for the last complete month. */
  month: string;
  from: string;
  to: string;
}

export type PeriodResult = { ok: true; period: PeriodChoice } | { ok: false; error: string };

export function periodChoice(form: PeriodForm): PeriodResult {
  switch (form.kind) {
    case "week": {
      if (form.weekDay.trim() === "") return { ok: true, period: { kind: "week", day: null } };
      const day = parseDay(form.weekDay);
      return day ? { ok: true, period: { kind: "week", day } } : { ok: false, error: "Pick a day of the week you want, e.g. 2026-11-02." };
    }
    case "month": {
      if (form.month.trim() === "") return { ok: true, period: { kind: "month", day: null } };
      const day = /^\d{4}-\d{2}$/.test(form.month.trim()) ? parseDay(`${form.month.trim()}-01`) : null;
      return day ? { ok: true, period: { kind: "month", day } } : { ok: false, error: "Pick a month, e.g. 2026-10." };
    }
    case "custom": {
      const result = customRange(form.from, form.to);
      if (!result.ok) return result;
      const range = result.range;
      return range.kind === "custom"
        ? { ok: true, period: { kind: "custom", from: range.from, to: range.to } }
        : { ok: false, error: "Pick the first and last day." };
    }
  }
}

/** A stable key of a period, for reloading the preview only when it changed. */
export function periodKey(period: PeriodChoice): string {
  return period.kind === "custom" ? `custom:${period.from}:${period.to}` : `${period.kind}:${period.day ?? "last"}`;
}
