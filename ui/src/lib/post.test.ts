import { describe, expect, it } from "vitest";
import type { Definition, PostDetail } from "./bindings";
import { otherMetrics, postCards } from "./post";

// The glossary as the overview brings it (report::measure's words, shortened here).
const definitions: Definition[] = [
  { measure: "engagement_rate_by_reach", label: "Engagement rate (reach)", text: "Engagement rate by reach: a post's interactions divided by its reach." },
  { measure: "engagement_rate_by_followers", label: "Engagement rate (followers)", text: "Engagement rate by followers: a post's interactions divided by your followers." },
  { measure: "account_reach", label: "Reach", text: "Reach: how many different accounts saw your content in the period." },
];

const post: PostDetail = {
  row: {
    id: "p1",
    kind: "reel",
    kind_label: "Reel",
    posted_at: "2026-11-20T02:42:00Z",
    caption: "Rye and caraway",
    permalink: null,
    thumbnail: null,
    reach: 12433,
    views: 23777,
    likes: 1535,
    comments: 53,
    saves: 177,
    shares: 235,
    engagement_rate: 0.164,
  },
  metrics: [
    ["reach", 12433],
    ["views", 23777],
    ["likes", 1535],
    ["comments", 53],
    ["saved", 177],
    ["shares", 235],
    ["total_interactions", 2045],
    ["ig_reels_avg_watch_time", 7800],
    ["reels_skip_rate", 49],
    ["some_new_metric", 3],
  ],
  followers_at_posting: null,
  engagement_rate_by_followers: null,
  growth: null,
  growth_note: null,
};

describe("postCards", () => {
  it("gives every figure at the top of a post's page a definition", () => {
    const cards = postCards(post, definitions);
    expect(cards.map((c) => c.label)).toEqual([
      "Reach",
      "Views",
      "Likes",
      "Comments",
      "Saves",
      "Shares",
      "Interactions",
      "Engagement rate",
      "By followers",
      "Followers when posted",
    ]);
    for (const card of cards) expect(card.definition, card.label).toMatch(/^\S.{30,}\.$/);
  });
  it("shows the report crate's definitions for its measures, not a sentence of its own", () => {
    const cards = postCards(post, definitions);
    expect(cards.find((c) => c.label === "Engagement rate")?.definition).toBe(definitions[0]!.text);
    expect(cards.find((c) => c.label === "By followers")?.definition).toBe(definitions[1]!.text);
    // A post's reach is not the account's reach of a period.
    expect(cards.find((c) => c.label === "Reach")?.definition).not.toBe(definitions[2]!.text);
    expect(cards.find((c) => c.label === "Reach")?.definition).toMatch(/this post/);
  });
  it("leaves a measure's hover away until the glossary is known, rather than guessing", () => {
    const cards = postCards(post, []);
    expect(cards.find((c) => c.label === "Engagement rate")?.definition).toBeNull();
    expect(cards.find((c) => c.label === "Views")?.definition).not.toBeNull();
  });
  it("keeps the figures' test hooks and formats them", () => {
    const reach = postCards(post, definitions)[0]!;
    expect(reach).toMatchObject({ testid: "metric-reach", value: "12,433" });
    expect(postCards(post, definitions).find((c) => c.label === "By followers")?.value).toBe("—");
  });
});

describe("otherMetrics", () => {
  it("lists the rest by label, read in their units, defined where Insightdesk knows them", () => {
    expect(otherMetrics(post)).toEqual([
      { label: "Average watch time", value: "7.8 s", definition: expect.stringMatching(/^Average watch time: /), testid: null },
      { label: "Skip rate", value: "49%", definition: expect.stringMatching(/first 3 seconds/), testid: null },
      { label: "Some new metric", value: "3", definition: null, testid: null },
    ]);
  });
});
