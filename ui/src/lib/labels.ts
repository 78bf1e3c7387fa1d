// Words for Meta's names: story capture states and post metrics.

export interface CaptureLabel {
  label: string;
  tone: "ok" | "warn" | "bad" | "quiet";
  explain: string;
}

/** A story's capture state (`final`, `last_seen`, `missed`, `not_recorded`). */
export function captureLabel(capture: string): CaptureLabel {
  switch (capture) {
    case "final":
      return { label: "Final", tone: "ok", explain: "Read in its last hour, before Instagram forgot it: these are its final numbers." };
    case "last_seen":
      return {
        label: "Last seen",
        tone: "warn",
        explain: "Read while it was live but not in its last hour: the numbers are from the last reading and may be a little low.",
      };
    case "missed":
      // Two causes Insightdesk cannot tell apart afterwards: Instagram shows no numbers for a
      // story seen by fewer than 5 accounts (a close-friends story, say), and none once it
      // has vanished after 24 hours.
      return {
        label: "No numbers",
        tone: "quiet",
        explain:
          "Instagram gave no numbers for this story: it shows none for a story seen by fewer than 5 accounts, and none after its 24 hours are over (if Insightdesk was closed all that time).",
      };
    default:
      return { label: "Not recorded", tone: "quiet", explain: "No reading of this story was taken." };
  }
}

const METRICS: Record<string, string> = {
  reach: "Reach",
  views: "Views",
  impressions: "Impressions",
  likes: "Likes",
  comments: "Comments",
  saved: "Saves",
  saves: "Saves",
  shares: "Shares",
  total_interactions: "Interactions",
  reposts: "Reposts",
  follows: "Follows",
  profile_visits: "Profile visits",
  profile_activity: "Profile activity",
  replies: "Replies",
  navigation: "Navigation",
  ig_reels_avg_watch_time: "Average watch time",
  ig_reels_video_view_total_time: "Total watch time",
  clips_replays_count: "Replays",
  plays: "Plays",
  video_views: "Video views",
  reels_skip_rate: "Skip rate",
};

/** "ig_reels_avg_watch_time" → "Average watch time"; unknown names become words. */
export function metricLabel(name: string): string {
  const known = METRICS[name];
  if (known) return known;
  const words = name.replace(/^ig_/, "").replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// What Instagram's own figures of one post mean. They are not measures of a period, so
// report::measure has no entry for them; the sentences agree with its definitions (a post's
// interactions are "likes, comments, saves, shares and reposts", reach is estimated and
// unique, views count every showing) and with Meta's media insights reference.
const POST_METRICS: Record<string, string> = {
  reach: "Reach: how many different accounts saw this post, as Instagram estimates it. It is the post's latest reading and grows while people still find the post.",
  views: "Views: how many times this post was played or shown, as Instagram counts them. One person can view many times.",
  likes: "Likes: how many accounts liked this post. Likes on ads made from it are not counted.",
  comments: "Comments: how many comments this post received. Comments on ads made from it are not counted.",
  saved: "Saves: how many times accounts saved this post to come back to it.",
  saves: "Saves: how many times accounts saved this post to come back to it.",
  shares: "Shares: how many times this post was shared.",
  total_interactions:
    "Interactions: likes, comments, saves, shares and reposts on this post, as Instagram counts them (total_interactions).",
  reposts: "Reposts: how many times this post was reposted.",
  follows: "Follows: how many accounts started following you from this post.",
  profile_visits: "Profile visits: how many times accounts went to your profile from this post.",
  ig_reels_avg_watch_time: "Average watch time: how long one play of this reel lasted, on average.",
  ig_reels_video_view_total_time: "Total watch time: how long this reel was watched, all its plays added up.",
  reels_skip_rate: "Skip rate: the share of this reel's views in which the viewer skipped it within the first 3 seconds.",
  total_likes: "Total likes: likes on this post including those on ads and boosts made from it.",
  total_comments: "Total comments: comments on this post including those on ads and boosts made from it.",
  total_views: "Total views: views of this post including those of ads and boosts made from it.",
};

/** What one of Instagram's figures of a post means, or null for a name Insightdesk does not
 * know well enough to explain. */
export function postMetricDefinition(name: string): string | null {
  return POST_METRICS[name] ?? null;
}

// A story's figures and the navigation actions the completion measure is built from
// (TAP_FORWARD and TAP_BACK stay with your stories; TAP_EXIT and SWIPE_FORWARD leave).
const STORY_METRICS: Record<string, string> = {
  views: "Views: how many times this story was shown. One person can view it many times.",
  reach: "Reach: how many different accounts saw this story, as Instagram estimates it.",
  replies: "Replies: messages viewers sent in answer to this story.",
  tap_forward: "Next: taps on to your next story (Instagram's TAP_FORWARD). The viewer stayed with your stories.",
  tap_back: "Back: taps back to your story before (TAP_BACK). The viewer stayed with your stories.",
  tap_exit: "Exits: taps that closed your stories (TAP_EXIT). The viewer left.",
  swipe_forward: "Swipes: swipes on to the next account's stories (SWIPE_FORWARD). The viewer left yours.",
};

/** What one of a story's figures means, or null. */
export function storyMetricDefinition(name: string): string | null {
  return STORY_METRICS[name] ?? null;
}

/** Whether a metric is a percentage Instagram gives as 0–100. */
export function isPercentMetric(name: string): boolean {
  return name.endsWith("_rate");
}

/** Whether a metric is a duration in milliseconds. */
export function isDurationMetric(name: string): boolean {
  return name.endsWith("watch_time") || name.endsWith("_total_time");
}

/** Content kinds for the filter: the `content` command's `kind` values. */
export const CONTENT_KINDS: { kind: string; label: string }[] = [
  { kind: "all", label: "All" },
  { kind: "reel", label: "Reels" },
  { kind: "image", label: "Photos" },
  { kind: "carousel", label: "Carousels" },
  { kind: "video", label: "Videos" },
];

/** A content type as a word: "reel" → "Reel". */
export function kindLabel(kind: string): string {
  return ({ reel: "Reel", image: "Photo", carousel: "Carousel", video: "Video", story: "Story" } as Record<string, string>)[kind] ?? "Post";
}
