// A KPI card's text: the value, its change against the previous period and what it rests on.
// Rust computes the numbers (report::Kpi); this decides how they read.
import type { ChartSpec, Definition, Kpi, Measure } from "./bindings";
import { formatCount, formatDelta, formatPercent, formatPointDelta, type Direction } from "./format";

export interface KpiView {
  measure: Measure;
  label: string;
  value: string;
  /** The change chip: "+12.5%", "−0.4 pt", "+32", or "—". */
  change: string;
  direction: Direction;
  /** "vs 1,234 in the previous period", or null when there is nothing to compare with. */
  previous: string | null;
  note: string | null;
  definition: string | null;
}

function signed(value: number): string {
  if (value === 0) return "0";
  return value > 0 ? `+${formatCount(value)}` : `\u2212${formatCount(Math.abs(value))}`;
}

/** How one value of a KPI reads. */
export function kpiValue(kpi: Kpi, value: number | null): string {
  if (value === null) return "—";
  if (kpi.unit === "rate") return formatPercent(value);
  if (kpi.measure === "follower_change") return signed(value);
  return formatCount(value, value >= 1_000_000);
}

/** A measure's definition in the report crate's words, or null when not (yet) known. */
export function definitionOf(definitions: Definition[], measure: Measure): string | null {
  return definitions.find((d) => d.measure === measure)?.text ?? null;
}

// The measure each chart of the overview and the report draws, by the chart's id.
const CHART_MEASURE: Record<string, Measure> = {
  followers: "followers",
  daily_reach: "daily_reach",
  daily_views: "views",
  content_mix: "content_mix",
  best_time: "best_time",
  growth: "growth_against_median",
};

/** The definition of the measure a chart draws, or null. */
export function chartDefinition(spec: ChartSpec, definitions: Definition[]): string | null {
  const measure = CHART_MEASURE[spec.id];
  return measure ? definitionOf(definitions, measure) : null;
}

export function presentKpi(kpi: Kpi, definitions: Definition[] = []): KpiView {
  const { current, previous, change } = kpi.delta;
  let delta;
  if (kpi.unit === "rate") {
    delta = formatPointDelta(current, previous);
  } else if (kpi.measure === "follower_change") {
    // A relative change of a net change says little (+50 after +20 is "+150%"): show the
    // difference in followers instead.
    delta =
      change === null
        ? { label: "—", direction: "none" as Direction }
        : {
            label: signed(change),
            direction: (change > 0 ? "up" : change < 0 ? "down" : "flat") as Direction,
          };
  } else {
    delta = formatDelta(current, previous);
  }
  return {
    measure: kpi.measure,
    label: kpi.label,
    value: kpiValue(kpi, current),
    change: delta.label,
    direction: delta.direction,
    previous: previous === null ? null : `vs ${kpiValue(kpi, previous)}`,
    note: kpi.note,
    definition: definitionOf(definitions, kpi.measure),
  };
}
