// A post's page: which figures it shows, how each reads and what each means.
import type { Definition, PostDetail } from "./bindings";
import { formatCount, formatDuration, formatPercent } from "./format";
import { definitionOf } from "./kpi";
import { isDurationMetric, isPercentMetric, metricLabel, postMetricDefinition } from "./labels";

/** The headline figures first, in a fixed order; whatever else Instagram gave follows. */
export const HEADLINE = ["reach", "views", "likes", "comments", "saved", "shares", "total_interactions"];

export interface MetricCard {
  label: string;
  value: string;
  /** What the figure means, for the hover; null when it is not known (yet). */
  definition: string | null;
  /** The value's test hook, for the figures end-to-end tests read. */
  testid: string | null;
}

/** How one of Instagram's figures of a post reads. */
export function metricValue(name: string, value: number | null): string {
  if (value === null) return formatCount(null);
  if (isDurationMetric(name)) return formatDuration(value);
  if (isPercentMetric(name)) return `${value.toFixed(value < 10 ? 1 : 0)}%`;
  return formatCount(value);
}

/** The cards at the top of a post's page. The engagement rates are the report crate's
 * measures and read its definitions; `definitions` is what the glossary holds. */
export function postCards(post: PostDetail, definitions: Definition[]): MetricCard[] {
  const metric = (name: string) => post.metrics.find(([n]) => n === name)?.[1] ?? null;
  return [
    ...HEADLINE.map((name) => ({
      label: metricLabel(name),
      value: formatCount(metric(name)),
      definition: postMetricDefinition(name),
      testid: `metric-${name}`,
    })),
    {
      label: "Engagement rate",
      value: formatPercent(post.row.engagement_rate),
      definition: definitionOf(definitions, "engagement_rate_by_reach"),
      testid: "metric-engagement_rate",
    },
    {
      label: "By followers",
      value: formatPercent(post.engagement_rate_by_followers),
      definition: definitionOf(definitions, "engagement_rate_by_followers"),
      testid: "metric-engagement_rate_by_followers",
    },
    {
      label: "Followers when posted",
      value: formatCount(post.followers_at_posting),
      // The follower figure the rate by followers divides by, in that definition's words.
      definition:
        "Followers when posted: your followers on the day it went up (that day's snapshot in your time zone, or the closest earlier one up to 3 days before). Without a snapshot there is none.",
      testid: "metric-followers_at_posting",
    },
  ];
}

/** Everything else Instagram reported for the post, by label. */
export function otherMetrics(post: PostDetail): MetricCard[] {
  return post.metrics
    .filter(([name]) => !HEADLINE.includes(name))
    .map(([name, value]) => ({ label: metricLabel(name), value: metricValue(name, value), definition: postMetricDefinition(name), testid: null }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
