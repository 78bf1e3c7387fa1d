import { describe, expect, it } from "vitest";
import { captureLabel, isDurationMetric, metricLabel, postMetricDefinition, storyMetricDefinition } from "./labels";

describe("captureLabel", () => {
  it("names each capture state with a tone and an explanation", () => {
    expect(captureLabel("final")).toMatchObject({ label: "Final", tone: "ok" });
    expect(captureLabel("last_seen")).toMatchObject({ label: "Last seen", tone: "warn" });
    expect(captureLabel("missed")).toMatchObject({ label: "No numbers", tone: "quiet" });
    expect(captureLabel("missed").explain).toMatch(/fewer than 5 accounts/);
    expect(captureLabel("something_else").label).toBe("Not recorded");
  });
});

describe("metricLabel", () => {
  it("uses words a creator knows", () => {
    expect(metricLabel("saved")).toBe("Saves");
    expect(metricLabel("total_interactions")).toBe("Interactions");
    expect(metricLabel("ig_reels_avg_watch_time")).toBe("Average watch time");
    expect(metricLabel("ig_new_metric_name")).toBe("New metric name");
  });
  it("knows which metrics are percentages", async () => {
    const { isPercentMetric } = await import("./labels");
    expect(isPercentMetric("reels_skip_rate")).toBe(true);
    expect(isPercentMetric("reach")).toBe(false);
    expect(metricLabel("reels_skip_rate")).toBe("Skip rate");
  });
  it("knows which metrics are durations", () => {
    expect(isDurationMetric("ig_reels_avg_watch_time")).toBe(true);
    expect(isDurationMetric("reach")).toBe(false);
  });
});

describe("metric definitions", () => {
  it("define every column of the stories table, navigation as the completion measure splits it", () => {
    // report::measure: TAP_EXIT and SWIPE_FORWARD leave; TAP_FORWARD and TAP_BACK stay.
    expect(storyMetricDefinition("tap_forward")).toMatch(/TAP_FORWARD.*stayed/);
    expect(storyMetricDefinition("tap_back")).toMatch(/TAP_BACK.*stayed/);
    expect(storyMetricDefinition("tap_exit")).toMatch(/TAP_EXIT.*left/);
    expect(storyMetricDefinition("swipe_forward")).toMatch(/SWIPE_FORWARD.*left/);
    for (const name of ["views", "reach", "replies"]) expect(storyMetricDefinition(name), name).not.toBeNull();
  });
  it("count a post's interactions as the engagement rate's definition does", () => {
    expect(postMetricDefinition("total_interactions")).toMatch(/likes, comments, saves, shares and reposts/);
    expect(postMetricDefinition("saves")).toBe(postMetricDefinition("saved"));
    expect(postMetricDefinition("made_up_metric")).toBeNull();
  });
});
