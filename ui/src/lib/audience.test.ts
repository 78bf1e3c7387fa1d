import { describe, expect, it } from "vitest";
import type { DemographicGroup } from "./bindings";
import { ageGender, countryName, topBuckets } from "./audience";

const bucket = (key: string, value: number, share = 0) => ({ key, label: key, value, share });

describe("ageGender", () => {
  it("pivots Meta's buckets into ages × genders, youngest first, women first", () => {
    const group: DemographicGroup = {
      dimension: "age,gender",
      title: "Age and gender",
      snapshot_day: "2026-11-01",
      buckets: [bucket("25-34,M", 30), bucket("18-24,F", 40), bucket("25-34,F", 20), bucket("65+,U", 10)],
    };
    const pivot = ageGender(group);
    expect(pivot.ages).toEqual(["18-24", "25-34", "65+"]);
    expect(pivot.genders.map((g) => g.label)).toEqual(["Women", "Men", "Unspecified"]);
    expect(pivot.shares[0]).toEqual([0.4, 0, 0]);
    expect(pivot.shares[1]).toEqual([0.2, 0.3, 0]);
    expect(pivot.max).toBe(0.4);
  });
  it("is empty without buckets", () => {
    const pivot = ageGender({ dimension: "age,gender", title: "", snapshot_day: "2026-11-01", buckets: [] });
    expect(pivot.ages).toEqual([]);
    expect(pivot.max).toBe(0);
  });
});

describe("countryName", () => {
  it("names region codes and leaves the rest", () => {
    expect(countryName("DE")).toBe("Germany");
    expect(countryName("us")).toBe("United States");
    expect(countryName("Berlin, Germany")).toBe("Berlin, Germany");
  });
});

describe("topBuckets", () => {
  it("keeps the largest and adds up the rest", () => {
    const { top, otherShare } = topBuckets([bucket("a", 1, 0.1), bucket("b", 5, 0.5), bucket("c", 4, 0.4)], 2);
    expect(top.map((b) => b.key)).toEqual(["b", "c"]);
    expect(otherShare).toBeCloseTo(0.1);
  });
});

describe("byAge", () => {
  it("orders ages youngest first", async () => {
    const { byAge } = await import("./audience");
    expect(byAge([bucket("25-34", 9), bucket("65+", 1), bucket("13-17", 2), bucket("18-24", 5)]).map((b) => b.key)).toEqual([
      "13-17",
      "18-24",
      "25-34",
      "65+",
    ]);
  });
});
