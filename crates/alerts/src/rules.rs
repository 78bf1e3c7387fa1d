//! The rules: pure functions from store rows and the time to candidate alerts. Whether a
//! candidate is new (and whether its kind is on) is decided by [`crate::evaluate`].
//!
//! Definitions (each alert's text states the numbers it compares):
//! * **Sign-in expiring**: the token expires within `warn_days` of now; **expired**: it has.
//! * **Story not captured**: a story posted within the lookback that has expired (24 h after it
//!   went up) with state `missed` (no reading at all) or `last_seen` (no final reading).
//! * **Post outlier** (reach or interactions): a post published within the lookback whose
//!   latest value is more than `factor` × the median of the latest values of the account's
//!   posts **of the same product type** (feed posts with feed posts, reels with reels)
//!   published in the 28 days before it, given at least [`MIN_PEERS`] of them. Reels reach
//!   more accounts than feed posts as a rule, so a median over both would make every ordinary
//!   reel look viral.
//! * **Daily reach outlier**: a day within the lookback, and at least two days old (Meta's
//!   numbers lag up to 48 hours, so a recent day can still be incomplete), whose account reach
//!   is above `factor` × or below 1 / `factor` × the median of the 28 days before it, given at
//!   least [`MIN_BASELINE_DAYS`] of them with a value.
//! * **New mention**: a mention (tag, caption or comment) made within the lookback.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use insightdesk_store::{CaptureState, DailyValue, MediaWithMetrics, Mention, Story};

use crate::AlertKind;
use crate::text::{count, day, moment, quote, times};

/// Fewer earlier posts than this make no "usual" to compare with.
pub const MIN_PEERS: usize = 5;
/// Fewer earlier days with a value than this make no "usual" daily reach.
pub const MIN_BASELINE_DAYS: usize = 14;
/// How far back the "usual" reaches.
pub const BASELINE_DAYS: i64 = 28;
/// Meta's account numbers may lag this long.
pub const DAILY_LAG_DAYS: i64 = 2;

/// An alert before deduplication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub kind: AlertKind,
    /// What the alert is about (a media id, a day, …); one alert per kind and subject, ever.
    pub subject: String,
    pub title: String,
    pub text: String,
}

impl Candidate {
    fn new(kind: AlertKind, subject: String, title: String, text: String) -> Self {
        Self {
            kind,
            subject,
            title,
            text,
        }
    }
}

/// The sign-in expires within `warn_days`, or has expired.
pub fn token_expiry(
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    warn_days: u32,
) -> Option<Candidate> {
    let expires_at = expires_at?;
    let when = day(expires_at.date_naive(), now);
    if expires_at <= now {
        return Some(Candidate::new(
            AlertKind::TokenExpiry,
            format!("expired:{}", expires_at.timestamp()),
            "Sign in to Instagram again".into(),
            format!(
                "Your Instagram sign-in expired on {when}. Insightdesk cannot collect new numbers until you sign in again."
            ),
        ));
    }
    let left = expires_at - now;
    if left > Duration::days(i64::from(warn_days)) {
        return None;
    }
    let within = match left.num_days() {
        0 => "in less than a day".to_owned(),
        1 => "in 1 day".to_owned(),
        n => format!("in {n} days"),
    };
    Some(Candidate::new(
        AlertKind::TokenExpiry,
        format!("expiring:{}", expires_at.timestamp()),
        "Your Instagram sign-in expires soon".into(),
        format!(
            "Your Instagram sign-in expires on {when}, {within}. Sign in again before then so Insightdesk keeps collecting your numbers."
        ),
    ))
}

/// Expired stories of the lookback without a final reading.
pub fn stories_not_captured(
    stories: &[Story],
    now: DateTime<Utc>,
    lookback: Duration,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for story in stories {
        let posted_at = story.media.item.posted_at;
        let expired = posted_at + Duration::hours(24) <= now;
        if !expired || posted_at < now - lookback {
            continue;
        }
        let from = moment(posted_at, now);
        let text = match story.capture {
            Some(CaptureState::Missed) => format!(
                "Your story from {from} expired before Insightdesk could read its numbers, so they are missing from your history. Keep Insightdesk running while your stories are live to catch them."
            ),
            Some(CaptureState::LastSeen { at }) => {
                let hours = (at - posted_at).num_hours().max(0);
                format!(
                    "Your story from {from} expired before Insightdesk took its final reading; the numbers kept are from {}, {hours} hours after it went up.",
                    moment(at, now)
                )
            }
            Some(CaptureState::Final { .. }) | None => continue,
        };
        out.push(Candidate::new(
            AlertKind::StoryMissed,
            story.media.item.ig_media_id.clone(),
            "A story's numbers were not captured".into(),
            text,
        ));
    }
    out
}

/// Which metric a post rule reads, and how its sentence says it.
fn post_metric(kind: AlertKind) -> Option<&'static str> {
    match kind {
        AlertKind::PostReach => Some("reach"),
        AlertKind::PostEngagement => Some("total_interactions"),
        _ => None,
    }
}

/// Posts of the lookback far above the median of their kind's 28 days before them. `posts`
/// must include those 28 days; stories among them are left out.
pub fn post_outliers(
    kind: AlertKind,
    posts: &[MediaWithMetrics],
    now: DateTime<Utc>,
    lookback: Duration,
    factor: f64,
) -> Vec<Candidate> {
    let Some(metric) = post_metric(kind) else {
        return Vec::new();
    };
    let valued: Vec<(&MediaWithMetrics, f64)> = posts
        .iter()
        .filter(|p| p.media.item.product_type != "STORY")
        .filter_map(|p| p.latest.get(metric).map(|r| (p, r.value)))
        .collect();
    let mut out = Vec::new();
    for (post, value) in &valued {
        let item = &post.media.item;
        if item.posted_at < now - lookback || item.posted_at > now {
            continue;
        }
        let from = item.posted_at - Duration::days(BASELINE_DAYS);
        let peers: Vec<f64> = valued
            .iter()
            .filter(|(peer, _)| {
                let peer = &peer.media.item;
                peer.product_type == item.product_type
                    && peer.posted_at >= from
                    && peer.posted_at < item.posted_at
            })
            .map(|(_, v)| *v)
            .collect();
        if peers.len() < MIN_PEERS {
            continue;
        }
        let Some(usual) = median(peers.clone()).filter(|m| *m > 0.0) else {
            continue;
        };
        let ratio = value / usual;
        if ratio <= factor {
            continue;
        }
        let (noun, plural) = nouns(&item.product_type, &item.media_type);
        let when = day(item.posted_at.date_naive(), now);
        let basis = format!(
            "the median of your {} {plural} from the 28 days before it: {}",
            peers.len(),
            count(usual)
        );
        let (title, text) = if kind == AlertKind::PostReach {
            (
                format!("Your {noun} is reaching far more people than usual"),
                format!(
                    "Your {noun} from {when} reached {} accounts — {}× your usual reach ({basis}).",
                    count(*value),
                    times(ratio)
                ),
            )
        } else {
            (
                format!("Your {noun} is drawing far more interactions than usual"),
                format!(
                    "Your {noun} from {when} has {} interactions (likes, comments, saves and shares) — {}× your usual ({basis}).",
                    count(*value),
                    times(ratio)
                ),
            )
        };
        out.push(Candidate::new(kind, item.ig_media_id.clone(), title, text));
    }
    out
}

/// How a sentence names one post and its peers.
fn nouns(product_type: &str, media_type: &str) -> (&'static str, &'static str) {
    match (product_type, media_type) {
        ("REELS", _) => ("reel", "reels"),
        ("FEED", "IMAGE") => ("photo", "posts"),
        ("FEED", "CAROUSEL_ALBUM") => ("carousel", "posts"),
        ("FEED", "VIDEO") => ("video", "posts"),
        _ => ("post", "posts"),
    }
}

/// Days of the lookback (at least two days old) whose reach is far from the usual.
/// `series` is the account's daily `reach`, with the 28 days before the lookback.
pub fn daily_reach_outliers(
    series: &[DailyValue],
    now: DateTime<Utc>,
    lookback: Duration,
    factor: f64,
) -> Vec<Candidate> {
    let today = now.date_naive();
    let newest = today - Duration::days(DAILY_LAG_DAYS);
    let oldest = (now - lookback).date_naive();
    let mut out = Vec::new();
    for point in series.iter().filter(|p| p.breakdown_value.is_none()) {
        if point.day > newest || point.day < oldest {
            continue;
        }
        let first: NaiveDate = point.day - Duration::days(BASELINE_DAYS);
        let baseline: Vec<f64> = series
            .iter()
            .filter(|p| p.breakdown_value.is_none() && p.day >= first && p.day < point.day)
            .map(|p| p.value)
            .collect();
        if baseline.len() < MIN_BASELINE_DAYS {
            continue;
        }
        let days_used = baseline.len();
        let Some(usual) = median(baseline).filter(|m| *m > 0.0) else {
            continue;
        };
        let ratio = point.value / usual;
        let when = day(point.day, now);
        let basis = if days_used as i64 == BASELINE_DAYS {
            format!("your median over the 28 days before: {}", count(usual))
        } else {
            format!(
                "your median over the {days_used} days with numbers in the 28 before: {}",
                count(usual)
            )
        };
        let (title, text) = if ratio > factor {
            (
                format!("Your reach jumped on {when}"),
                format!(
                    "Your account reached {} accounts on {when} — {}× your usual daily reach ({basis}).",
                    count(point.value),
                    times(ratio)
                ),
            )
        } else if ratio < 1.0 / factor {
            (
                format!("Your reach dropped on {when}"),
                format!(
                    "Your account reached only {} accounts on {when} — {}% of your usual daily reach ({basis}).",
                    count(point.value),
                    (ratio * 100.0).round()
                ),
            )
        } else {
            continue;
        };
        out.push(Candidate::new(
            AlertKind::DailyReach,
            point.day.to_string(),
            title,
            text,
        ));
    }
    out
}

/// Mentions made within the lookback (a mention without a date cannot be placed and is left
/// out).
pub fn new_mentions(
    mentions: &[Mention],
    now: DateTime<Utc>,
    lookback: Duration,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for mention in mentions {
        let Some(at) = mention.mentioned_at else {
            continue;
        };
        if at < now - lookback || at > now {
            continue;
        }
        let when = day(at.date_naive(), now);
        let place = if mention.ig_comment_id.is_some() {
            "a comment"
        } else {
            "a post"
        };
        let who = mention
            .username
            .as_deref()
            .map_or_else(|| "Someone".to_owned(), |u| format!("@{u}"));
        let text = match mention.text.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(words) => format!("{who} mentioned you in {place} on {when}: {}", quote(words)),
            None => format!("{who} mentioned you in {place} on {when}. Open Instagram to see it."),
        };
        let subject = match &mention.ig_comment_id {
            Some(comment) => format!("{}/{comment}", mention.ig_media_id),
            None => mention.ig_media_id.clone(),
        };
        out.push(Candidate::new(
            AlertKind::Mention,
            subject,
            format!("You were mentioned in {place}"),
            text,
        ));
    }
    out
}

/// The median (the mean of the middle two for an even count); `None` for no values.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }
}
