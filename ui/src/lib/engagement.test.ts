import { describe, expect, it } from "vitest";
import type { CommentItem, EngagementView } from "./bindings";
import { NOTHING_YET, engagementCard } from "./engagement";

const comment = (overrides: Partial<CommentItem>): CommentItem => ({
  id: "c1",
  username: "bake872",
  text: "That crumb though 😍",
  commented_at: "2026-11-26T16:56:13Z",
  is_reply: false,
  post_id: "p1",
  post_caption: "Family recipe: cheddar and jalapeño rolls",
  post_in_history: true,
  ...overrides,
});

const view: EngagementView = {
  comments: [
    comment({}),
    comment({ id: "c2", username: null, is_reply: true, commented_at: "2026-11-24T17:00:00Z", post_caption: null }),
    comment({ id: "c3", post_in_history: false, post_caption: null, commented_at: null }),
  ],
  mentions: [
    {
      media_id: "m1",
      in_comment: false,
      username: "kneadtoknow",
      text: "Baked this following @maya.bakes.bread's recipe!",
      mentioned_at: "2026-11-25T20:20:00Z",
    },
  ],
  comments_total: 141,
  mentions_total: 1,
  as_of: "2026-11-26T17:06:00Z",
};

describe("engagementCard", () => {
  it("reads each comment with who, where and how long ago, and opens its post", () => {
    const card = engagementCard(view, "UTC");
    expect(card.comments[0]).toEqual({
      key: "comment-c1",
      who: "@bake872",
      text: "That crumb though 😍",
      context: "on “Family recipe: cheddar and jalapeño rolls”",
      ago: "10 min ago",
      when: "26 Nov 2026, 16:56",
      postId: "p1",
    });
    expect(card.comments[1]).toMatchObject({
      who: "Someone",
      context: "replied on a post without a caption",
      ago: "2 days ago",
      postId: "p1",
    });
  });

  it("links nowhere for a post that is not in the history, and shows no time it was not given", () => {
    const card = engagementCard(view, "UTC");
    expect(card.comments[2]).toMatchObject({
      context: "on a post not in your history",
      ago: "",
      when: null,
      postId: null,
    });
  });

  it("says a mention is someone else's post, which has no page here", () => {
    const card = engagementCard(view, "Europe/Berlin");
    expect(card.mentions).toEqual([
      {
        key: "mention-m1-caption-2026-11-25T20:20:00Z",
        who: "@kneadtoknow",
        text: "Baked this following @maya.bakes.bread's recipe!",
        context: "mentioned you in a post",
        ago: "21 h ago",
        when: "25 Nov 2026, 21:20",
        postId: null,
      },
    ]);
  });

  it("keeps the newest few and counts the rest", () => {
    const card = engagementCard(view, "UTC", 2);
    expect(card.comments.map((r) => r.key)).toEqual(["comment-c1", "comment-c2"]);
    expect(card.totals).toBe("141 comments and 1 mention in your history");
    expect(card.empty).toBeNull();
  });

  it("says what will come when there is nothing yet", () => {
    const card = engagementCard(
      { comments: [], mentions: [], comments_total: 0, mentions_total: 0, as_of: view.as_of },
      "UTC",
    );
    expect(card.empty).toBe(NOTHING_YET);
    expect(card.totals).toBeNull();
    expect(card.comments).toEqual([]);
  });
});
