//! What Meta accepts, by API version and by date: versions and their lifetimes, user metrics,
//! media metrics per product type, and the removal dates after which old names fail.

use chrono::{DateTime, NaiveDate, Utc};

fn date(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .unwrap_or_default()
}

/// (major, released, expires) from Meta's changelog table.
fn version_table() -> [(u32, DateTime<Utc>, Option<DateTime<Utc>>); 9] {
    [
        (18, date(2023, 9, 12), Some(date(2026, 1, 26))),
        (19, date(2024, 1, 23), Some(date(2026, 5, 21))),
        (20, date(2024, 5, 21), Some(date(2026, 9, 24))),
        (21, date(2024, 10, 2), Some(date(2027, 1, 21))),
        (22, date(2025, 1, 21), Some(date(2027, 5, 20))),
        (23, date(2025, 5, 29), Some(date(2027, 10, 8))),
        (24, date(2025, 10, 8), Some(date(2028, 2, 18))),
        (25, date(2026, 2, 18), Some(date(2028, 7, 29))),
        (26, date(2026, 7, 29), None),
    ]
}

/// The version a request is served with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Served {
    pub(crate) major: u32,
    /// What the path asked for (0 when unversioned).
    pub(crate) requested: u32,
}

impl Served {
    pub(crate) fn label(self) -> String {
        format!("v{}.0", self.major)
    }
}

/// Whether a path segment looks like a version (`v19.0`, `v2.12`).
pub(crate) fn parse_version(segment: &str) -> Option<(u32, u32)> {
    let rest = segment.strip_prefix('v')?;
    let (major, minor) = rest.split_once('.')?;
    if major.is_empty()
        || minor.is_empty()
        || !major.bytes().all(|b| b.is_ascii_digit())
        || !minor.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Versions that ever existed before the table (v2.0–v2.12, v3.0–v3.3, v4.0–v17.0): all expired.
fn historic(major: u32, minor: u32) -> bool {
    match major {
        2 => minor <= 12,
        3 => minor <= 3,
        4..=17 => minor == 0,
        _ => false,
    }
}

/// The oldest version still available at `now`.
pub(crate) fn oldest_live(now: DateTime<Utc>) -> u32 {
    version_table()
        .iter()
        .find(|(_, released, expires)| *released <= now && expires.is_none_or(|e| now < e))
        .map(|(major, _, _)| *major)
        .unwrap_or(26)
}

/// The newest version released by `now`.
pub(crate) fn latest(now: DateTime<Utc>) -> u32 {
    version_table()
        .iter()
        .rev()
        .find(|(_, released, _)| *released <= now)
        .map(|(m, _, _)| *m)
        .unwrap_or(18)
}

/// Resolves a requested version: live versions serve themselves, expired ones are served by the
/// oldest live version, unknown or unreleased ones are `None` (Meta: unknown path components).
pub(crate) fn resolve(major: u32, minor: u32, now: DateTime<Utc>) -> Option<Served> {
    if historic(major, minor) {
        return Some(Served {
            major: oldest_live(now),
            requested: major,
        });
    }
    if minor != 0 {
        return None;
    }
    let (_, released, expires) = version_table().into_iter().find(|(m, _, _)| *m == major)?;
    if now < released {
        return None;
    }
    if expires.is_some_and(|e| now >= e) {
        return Some(Served {
            major: oldest_live(now),
            requested: major,
        });
    }
    Some(Served {
        major,
        requested: major,
    })
}

// ---- removal and introduction dates -------------------------------------------------------

/// v18 removals (engagement, carousel_album_*, taps/exits, audience_*), all versions.
pub(crate) fn removed_v18(now: DateTime<Utc>) -> bool {
    now >= date(2023, 12, 11)
}
/// v21 removals (video_views, time-series profile_views/website_clicks, *_clicks): all versions on 8 Jan 2025.
pub(crate) fn removed_v21(version: Served, now: DateTime<Utc>) -> bool {
    version.major >= 21 || now >= date(2025, 1, 8)
}
/// v22 removals (impressions, plays, clips_replays_count, ig_reels_aggregated_all_plays_count): all versions on 21 Apr 2025.
pub(crate) fn removed_v22(version: Served, now: DateTime<Utc>) -> bool {
    version.major >= 22 || now >= date(2025, 4, 21)
}
pub(crate) fn v22_all_versions(now: DateTime<Utc>) -> bool {
    now >= date(2025, 4, 21)
}
/// `impressions` kept working on v21 and older for media created on or before 1 Jul 2024.
pub(crate) fn impressions_grandfathered(version: Served, media_time: DateTime<Utc>) -> bool {
    version.major <= 21 && media_time <= date(2024, 7, 2)
}
/// `reposts` (user and media) and `reels_skip_rate` arrived in Dec 2025.
pub(crate) fn has_reposts(now: DateTime<Utc>) -> bool {
    now >= date(2025, 12, 1)
}
/// `total_likes`, `total_comments`, `total_views` (FB Login) from Apr 2026.
pub(crate) fn has_total_counts(now: DateTime<Utc>) -> bool {
    now >= date(2026, 4, 1)
}
/// Story `link_clicks` (FB Login) from 22 Jun 2026.
pub(crate) fn has_link_clicks(now: DateTime<Utc>) -> bool {
    now >= date(2026, 6, 22)
}
/// Old demographic timeframes (last_14_days, ...) went away with v20 and on 19 Aug 2024.
pub(crate) fn old_timeframes_gone(version: Served, now: DateTime<Utc>) -> bool {
    version.major >= 20 || now >= date(2024, 8, 19)
}
/// Instagram Login's old scope names stopped working on 27 Jan 2025.
pub(crate) fn old_ig_scopes_gone(now: DateTime<Utc>) -> bool {
    now >= date(2025, 1, 27)
}

// ---- user insights ------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetricType {
    TimeSeries,
    TotalValue,
}

/// One user-level metric as Meta accepts it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UserMetric {
    pub(crate) name: &'static str,
    pub(crate) title: &'static str,
    pub(crate) description: &'static str,
    pub(crate) periods: &'static [&'static str],
    pub(crate) time_series: bool,
    pub(crate) total_value: bool,
    pub(crate) breakdowns: &'static [&'static str],
}

const DAY: &[&str] = &["day"];
const LIFETIME: &[&str] = &["lifetime"];
const DEMOGRAPHIC: &[&str] = &["age", "city", "country", "gender"];

pub(crate) const USER_METRICS: &[UserMetric] = &[
    UserMetric {
        name: "reach",
        title: "Accounts reached",
        description: "The number of unique accounts that have seen your content, at least once, including in ads. Content includes posts, stories, reels, videos and live videos. Reach is different from impressions, which may include multiple views of your content by the same accounts. This metric is estimated and in development.",
        periods: &["day", "week", "days_28"],
        time_series: true,
        total_value: true,
        breakdowns: &["media_product_type", "follow_type"],
    },
    UserMetric {
        name: "follower_count",
        title: "Follower Count",
        description: "Total number of unique accounts following this profile",
        periods: DAY,
        time_series: true,
        total_value: false,
        breakdowns: &[],
    },
    UserMetric {
        name: "website_clicks",
        title: "Website Clicks",
        description: "Total number of taps on the website link in this profile",
        periods: DAY,
        time_series: false,
        total_value: true,
        breakdowns: &[],
    },
    UserMetric {
        name: "profile_views",
        title: "Profile Views",
        description: "Total number of users who have viewed the business account's profile within the specified period",
        periods: DAY,
        time_series: false,
        total_value: true,
        breakdowns: &[],
    },
    UserMetric {
        name: "online_followers",
        title: "Online Followers",
        description: "Total number of this profile's followers that were online during the specified period",
        periods: LIFETIME,
        time_series: true,
        total_value: false,
        breakdowns: &[],
    },
    UserMetric {
        name: "accounts_engaged",
        title: "Accounts engaged",
        description: "The number of accounts that have interacted with your content, including in ads. Content includes posts, stories, reels, videos and live videos. Interactions can include actions such as likes, saves, comments, shares or replies. This metric is estimated and in development.",
        periods: DAY,
        time_series: false,
        total_value: true,
        breakdowns: &[],
    },
    UserMetric {
        name: "total_interactions",
        title: "Content interactions",
        description: "The total number of post interactions, story interactions, reels interactions, video interactions and live video interactions, including any interactions on boosted content.",
        periods: DAY,
        time_series: false,
        total_value: true,
        breakdowns: &["media_product_type"],
    },
    UserMetric {
        name: "likes",
        title: "Likes",
        description: "The number of likes on your posts, reels and videos.",
        periods: DAY,
        time_series: false,
        total_value: true,
        breakdowns: &["media_product_type"],
    },
    UserMetric {
        name: "comments",
        title: "Comments",
        description: "The number of comments on your posts, reels, videos and live videos.",
        periods: DAY,
        time_series: false,
        total_value: true,
        breakdowns: &["media_product_type"],
    },
    UserMetric {
        name: "shares",
        title: "Shares",
        description: "The number of shares of your posts, stories, reels, videos and live videos.",
        periods: DAY,
        time_series: false,
        total_value: true,
        breakdowns: &["media_product_type"],
    },
    UserMetric {
        name: "saves",
        title: "Saves",
        description: "The number of saves of your posts, reels and videos.",
        periods: DAY,
        time_series: false,
        total_value: true,
        breakdowns: &["media_product_type"],
    },
    UserMetric {
        name: "replies",
        title: "Replies",
        description: "The number of replies you received from your story, including text replies and quick reaction replies.",
        periods: DAY,
        time_series: false,
        total_value: true,
        breakdowns: &[],
    },
    UserMetric {
        name: "engaged_audience_demographics",
        title: "Engaged audience demographics",
        description: "The demographic characteristics of the engaged audience, including countries, cities and gender distribution.",
        periods: LIFETIME,
        time_series: false,
        total_value: true,
        breakdowns: DEMOGRAPHIC,
    },
    UserMetric {
        name: "reached_audience_demographics",
        title: "Reached audience demographics",
        description: "The demographic characteristics of the reached audience, including countries, cities and gender distribution.",
        periods: LIFETIME,
        time_series: false,
        total_value: true,
        breakdowns: DEMOGRAPHIC,
    },
    UserMetric {
        name: "follower_demographics",
        title: "Follower demographics",
        description: "The demographic characteristics of followers, including countries, cities and gender distribution.",
        periods: LIFETIME,
        time_series: false,
        total_value: true,
        breakdowns: DEMOGRAPHIC,
    },
    UserMetric {
        name: "follows_and_unfollows",
        title: "Follows and unfollows",
        description: "The number of accounts that followed you and the number of accounts that unfollowed you or left Instagram in the selected time period.",
        periods: DAY,
        time_series: false,
        total_value: true,
        breakdowns: &["follow_type"],
    },
    UserMetric {
        name: "profile_links_taps",
        title: "Profile links taps",
        description: "The number of taps on your business address, call button, email button and text button.",
        periods: DAY,
        time_series: false,
        total_value: true,
        breakdowns: &["contact_button_type"],
    },
    UserMetric {
        name: "views",
        title: "Views",
        description: "The number of times your content was played or displayed. Content includes reels, posts, stories. This metric is in development.",
        periods: DAY,
        time_series: false,
        total_value: true,
        breakdowns: &["follow_type", "follower_type", "media_product_type"],
    },
    UserMetric {
        name: "reposts",
        title: "Reposts",
        description: "The number of times your content was reposted.",
        periods: DAY,
        time_series: false,
        total_value: true,
        breakdowns: &[],
    },
];

/// Threads metrics the same endpoint lists; they never carry Instagram data.
pub(crate) const THREADS_METRICS: &[&str] = &[
    "threads_views",
    "threads_likes",
    "threads_replies",
    "threads_reposts",
    "threads_quotes",
    "threads_followers",
    "threads_follower_demographics",
];

pub(crate) fn user_metric(name: &str) -> Option<&'static UserMetric> {
    USER_METRICS.iter().find(|m| m.name == name)
}

/// The list printed in "metric[i] must be one of the following values: …" at this time.
pub(crate) fn user_metric_list(version: Served, now: DateTime<Utc>) -> String {
    let mut names: Vec<&str> = Vec::new();
    if !removed_v22(version, now) {
        names.push("impressions");
    }
    for metric in USER_METRICS {
        if metric.name == "reposts" && !has_reposts(now) {
            continue;
        }
        names.push(metric.name);
        if metric.name == "website_clicks" && !removed_v21(version, now) {
            names.extend([
                "email_contacts",
                "phone_call_clicks",
                "text_message_clicks",
                "get_directions_clicks",
            ]);
        }
    }
    names.extend(THREADS_METRICS);
    names.join(", ")
}

// ---- media insights -----------------------------------------------------------------------

/// The shape of a media for the support matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaShape {
    FeedImage,
    FeedCarousel,
    FeedVideo,
    Reel,
    Story,
}

pub(crate) struct MediaMetricInfo {
    pub(crate) name: &'static str,
    pub(crate) title: &'static str,
    pub(crate) description: &'static str,
}

pub(crate) const MEDIA_METRICS: &[MediaMetricInfo] = &[
    MediaMetricInfo {
        name: "views",
        title: "Views",
        description: "The number of times your content was played or displayed. This metric is in development.",
    },
    MediaMetricInfo {
        name: "reach",
        title: "Accounts reached",
        description: "The number of unique accounts that have seen this content, at least once. This metric is estimated.",
    },
    MediaMetricInfo {
        name: "total_interactions",
        title: "Interactions",
        description: "The number of likes, saves, comments and shares on this content, minus the number of unlikes, unsaves and deleted comments.",
    },
    MediaMetricInfo {
        name: "shares",
        title: "Shares",
        description: "The number of shares of your content.",
    },
    MediaMetricInfo {
        name: "reposts",
        title: "Reposts",
        description: "The number of times your content was reposted.",
    },
    MediaMetricInfo {
        name: "likes",
        title: "Likes",
        description: "The number of likes on your content.",
    },
    MediaMetricInfo {
        name: "comments",
        title: "Comments",
        description: "The number of comments on your content.",
    },
    MediaMetricInfo {
        name: "saved",
        title: "Saved",
        description: "The number of saves of your content.",
    },
    MediaMetricInfo {
        name: "follows",
        title: "Follows",
        description: "The number of accounts that started following you from this content.",
    },
    MediaMetricInfo {
        name: "profile_visits",
        title: "Profile visits",
        description: "The number of times your profile was visited from this content.",
    },
    MediaMetricInfo {
        name: "profile_activity",
        title: "Profile activity",
        description: "The number of actions people take when they visit your profile after engaging with this content.",
    },
    MediaMetricInfo {
        name: "navigation",
        title: "Navigation",
        description: "The total number of actions taken from your story: taps forward, taps back, exits and swipes forward.",
    },
    MediaMetricInfo {
        name: "replies",
        title: "Replies",
        description: "The number of replies to your story.",
    },
    MediaMetricInfo {
        name: "ig_reels_avg_watch_time",
        title: "Average Watch Time",
        description: "The average watch time of your reel in milliseconds.",
    },
    MediaMetricInfo {
        name: "ig_reels_video_view_total_time",
        title: "Total View Time",
        description: "The total view time of your reel in milliseconds.",
    },
    MediaMetricInfo {
        name: "reels_skip_rate",
        title: "Skip rate",
        description: "The percentage of views of your reel that were skipped in the first seconds. This metric is in development.",
    },
    MediaMetricInfo {
        name: "facebook_views",
        title: "Facebook views",
        description: "The number of views of this content on Facebook.",
    },
    MediaMetricInfo {
        name: "crossposted_views",
        title: "Cross-posted views",
        description: "The number of views of this reel on Instagram and Facebook.",
    },
    MediaMetricInfo {
        name: "total_likes",
        title: "Total likes",
        description: "Likes including those on ads and boosts.",
    },
    MediaMetricInfo {
        name: "total_comments",
        title: "Total comments",
        description: "Comments including those on ads and boosts.",
    },
    MediaMetricInfo {
        name: "total_views",
        title: "Total views",
        description: "Views including those on ads and boosts.",
    },
    MediaMetricInfo {
        name: "link_clicks",
        title: "Link clicks",
        description: "The number of taps on the link sticker of your story.",
    },
    // Removed metrics, answered while their version and date allow.
    MediaMetricInfo {
        name: "impressions",
        title: "Impressions",
        description: "Total number of times the media object has been seen",
    },
    MediaMetricInfo {
        name: "video_views",
        title: "Video Views",
        description: "Total number of times the video has been seen",
    },
    MediaMetricInfo {
        name: "plays",
        title: "Plays",
        description: "The number of plays of your reel.",
    },
    MediaMetricInfo {
        name: "clips_replays_count",
        title: "Replays",
        description: "The number of replays of your reel.",
    },
    MediaMetricInfo {
        name: "ig_reels_aggregated_all_plays_count",
        title: "Aggregated plays",
        description: "The number of plays of your reel, including replays.",
    },
];

pub(crate) fn media_metric_info(name: &str) -> Option<&'static MediaMetricInfo> {
    MEDIA_METRICS.iter().find(|m| m.name == name)
}

/// Whether a current metric is supported for a shape (Meta's v25 matrix and the 2026 live matrix).
pub(crate) fn media_metric_supported(
    name: &str,
    shape: MediaShape,
    facebook_login: bool,
    now: DateTime<Utc>,
) -> bool {
    use MediaShape::*;
    let feed_still = matches!(shape, FeedImage | FeedCarousel);
    match name {
        "views" | "reach" | "total_interactions" | "shares" => true,
        "reposts" => has_reposts(now),
        "likes" | "comments" | "saved" => shape != Story,
        "follows" | "profile_visits" | "profile_activity" => feed_still || shape == Story,
        "navigation" | "replies" => shape == Story,
        "ig_reels_avg_watch_time" | "ig_reels_video_view_total_time" => shape == Reel,
        "reels_skip_rate" => shape == Reel && has_reposts(now),
        "facebook_views" => true,
        "crossposted_views" => shape == Reel,
        "total_likes" | "total_comments" => {
            facebook_login && has_total_counts(now) && shape != Story
        }
        "total_views" => facebook_login && has_total_counts(now),
        "link_clicks" => facebook_login && has_link_clicks(now) && shape == Story,
        _ => false,
    }
}

/// Names listed by "metric[i] must be one of the following values: …" for media.
pub(crate) fn media_metric_list(now: DateTime<Utc>, facebook_login: bool) -> String {
    MEDIA_METRICS
        .iter()
        .take(22)
        .map(|m| m.name)
        .filter(|name| match *name {
            "reposts" | "reels_skip_rate" => has_reposts(now),
            "total_likes" | "total_comments" | "total_views" => {
                facebook_login && has_total_counts(now)
            }
            "link_clicks" => facebook_login && has_link_clicks(now),
            _ => true,
        })
        .collect::<Vec<_>>()
        .join(", ")
}
