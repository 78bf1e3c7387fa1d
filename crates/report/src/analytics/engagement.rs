//! Engagement rates ([`crate::Measure::EngagementRateByReach`],
//! [`crate::Measure::EngagementRateByFollowers`]) and the post row the other analytics share.

use std::collections::BTreeMap;
use ts_rs::TS;

use chrono::{DateTime, Days, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;
use insightdesk_store::{FollowersPoint, MediaId, MediaWithMetrics, MetricReading};
use serde::Serialize;

use super::ContentType;
use crate::measure::FOLLOWER_SNAPSHOT_MAX_AGE_DAYS;

/// `interactions / base`; `None` when either is missing or the base is not positive.
pub fn engagement_rate(interactions: Option<f64>, base: Option<f64>) -> Option<f64> {
    match (interactions, base) {
        (Some(interactions), Some(base)) if base > 0.0 => Some(interactions / base),
        _ => None,
    }
}

/// The daily follower snapshots, looked up by day.
#[derive(Debug, Clone, Default)]
pub struct FollowerHistory {
    by_day: BTreeMap<NaiveDate, i64>,
}

impl FollowerHistory {
    pub fn new(points: &[FollowersPoint]) -> Self {
        Self {
            by_day: points.iter().map(|p| (p.day, p.followers_count)).collect(),
        }
    }

    /// The snapshot of `day`, or the closest earlier one at most
    /// [`FOLLOWER_SNAPSHOT_MAX_AGE_DAYS`] before it.
    pub fn at(&self, day: NaiveDate) -> Option<i64> {
        let oldest = day
            .checked_sub_days(Days::new(FOLLOWER_SNAPSHOT_MAX_AGE_DAYS))
            .unwrap_or(NaiveDate::MIN);
        self.by_day
            .range(oldest..=day)
            .next_back()
            .map(|(_, count)| *count)
    }

    /// The last snapshot strictly before `day`, however old.
    pub fn last_before(&self, day: NaiveDate) -> Option<(NaiveDate, i64)> {
        self.by_day
            .range(..day)
            .next_back()
            .map(|(day, count)| (*day, *count))
    }
}

/// The latest readings of the metrics a report shows. Meta's media metric names: `saved` (not
/// `saves`, which is the account-level name), `total_interactions`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, TS)]
pub struct PostMetrics {
    pub reach: Option<f64>,
    pub views: Option<f64>,
    pub likes: Option<f64>,
    pub comments: Option<f64>,
    pub saved: Option<f64>,
    pub shares: Option<f64>,
    pub total_interactions: Option<f64>,
}

impl PostMetrics {
    pub fn from_latest(latest: &BTreeMap<String, MetricReading>) -> Self {
        let value = |name: &str| latest.get(name).map(|r| r.value);
        Self {
            reach: value("reach"),
            views: value("views"),
            likes: value("likes"),
            comments: value("comments"),
            saved: value("saved"),
            shares: value("shares"),
            total_interactions: value("total_interactions"),
        }
    }

    /// Saves plus shares; `None` when neither was read.
    pub fn saves_and_shares(&self) -> Option<f64> {
        match (self.saved, self.shares) {
            (None, None) => None,
            (saved, shares) => Some(saved.unwrap_or(0.0) + shares.unwrap_or(0.0)),
        }
    }
}

/// A post, reel or story with its latest metrics and engagement rates.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Post {
    #[serde(skip)]
    pub media_id: MediaId,
    pub ig_media_id: String,
    pub content_type: ContentType,
    pub product_type: String,
    pub media_type: String,
    pub posted_at: DateTime<Utc>,
    /// When it went up, in the report's time zone.
    pub posted_local: DateTime<FixedOffset>,
    pub caption: Option<String>,
    pub permalink: Option<String>,
    pub metrics: PostMetrics,
    pub followers_at_posting: Option<i64>,
    pub engagement_rate_by_reach: Option<f64>,
    pub engagement_rate_by_followers: Option<f64>,
}

/// A stored post with its rates worked out; followers are looked up on its local posting day.
pub fn post_from_media(row: &MediaWithMetrics, tz: Tz, followers: &FollowerHistory) -> Post {
    let item = &row.media.item;
    let metrics = PostMetrics::from_latest(&row.latest);
    let local = item.posted_at.with_timezone(&tz);
    let followers_at_posting = followers.at(local.date_naive());
    Post {
        media_id: row.media.id,
        ig_media_id: item.ig_media_id.clone(),
        content_type: ContentType::of(&item.product_type, &item.media_type),
        product_type: item.product_type.clone(),
        media_type: item.media_type.clone(),
        posted_at: item.posted_at,
        posted_local: local.fixed_offset(),
        caption: item.caption.clone(),
        permalink: item.permalink.clone(),
        engagement_rate_by_reach: engagement_rate(metrics.total_interactions, metrics.reach),
        engagement_rate_by_followers: engagement_rate(
            metrics.total_interactions,
            followers_at_posting.map(|f| f as f64),
        ),
        followers_at_posting,
        metrics,
    }
}
