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
      return {
        label: "Missed",
        tone: "bad",
        explain: "Instagram forgot this story before Insightdesk could read it (the app was closed for its whole day).",
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
