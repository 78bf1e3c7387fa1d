import { describe, expect, it } from "vitest";
import { captureLabel, isDurationMetric, metricLabel } from "./labels";

describe("captureLabel", () => {
  it("names each capture state with a tone and an explanation", () => {
    expect(captureLabel("final")).toMatchObject({ label: "Final", tone: "ok" });
    expect(captureLabel("last_seen")).toMatchObject({ label: "Last seen", tone: "warn" });
    expect(captureLabel("missed").explain).toMatch(/forgot/);
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
