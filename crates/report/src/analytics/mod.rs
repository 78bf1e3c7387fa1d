//! The analytics: pure functions over the store's rows. Each result names the [`Measure`]
//! whose definition explains it.
//!
//! [`Measure`]: crate::Measure

mod best_time;
mod content_mix;
mod delta;
mod engagement;
mod followers;
mod growth;
mod stories;
mod top_posts;
mod totals;

pub use best_time::{BestTime, Confidence, Slot, SlotStats, WEEKDAYS, best_time};
pub use content_mix::{ContentMixRow, content_mix};
pub use delta::{Delta, delta};
pub use engagement::{FollowerHistory, Post, PostMetrics, engagement_rate, post_from_media};
pub use followers::{FollowerDay, FollowerGrowth, follower_growth};
pub use growth::{GROWTH_AGES_HOURS, GrowthPoint, age_label, growth_against_median};
pub use stories::{Navigation, StoryRow, StorySummary, story_completion, story_summary};
pub use top_posts::{RankedPost, Ranking, top_posts};
pub use totals::{PeriodSum, period_sum, period_unique};

use serde::Serialize;
use ts_rs::TS;

/// What kind of content a post is, from Meta's product type and media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ContentType {
    Image,
    Carousel,
    Video,
    Reel,
    Story,
    /// Anything else Meta lists (ads, IGTV from old accounts, kinds added later).
    Other,
}

impl ContentType {
    /// The kinds every content mix lists, in this order, even when a period has none of one.
    pub const LISTED: [ContentType; 5] = [
        ContentType::Image,
        ContentType::Carousel,
        ContentType::Video,
        ContentType::Reel,
        ContentType::Story,
    ];

    /// From Meta's `media_product_type` and `media_type`, compared case-insensitively.
    pub fn of(product_type: &str, media_type: &str) -> Self {
        let product = product_type.to_ascii_uppercase();
        let media = media_type.to_ascii_uppercase();
        match (product.as_str(), media.as_str()) {
            ("STORY", _) => ContentType::Story,
            ("REELS" | "REEL" | "CLIPS", _) => ContentType::Reel,
            ("FEED", "IMAGE") => ContentType::Image,
            ("FEED", "CAROUSEL_ALBUM") => ContentType::Carousel,
            ("FEED", "VIDEO") => ContentType::Video,
            _ => ContentType::Other,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContentType::Image => "Image",
            ContentType::Carousel => "Carousel",
            ContentType::Video => "Video",
            ContentType::Reel => "Reel",
            ContentType::Story => "Story",
            ContentType::Other => "Other",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ContentType::Image => "image",
            ContentType::Carousel => "carousel",
            ContentType::Video => "video",
            ContentType::Reel => "reel",
            ContentType::Story => "story",
            ContentType::Other => "other",
        }
    }

    /// Feed posts and reels: what engagement rankings and the best-time grid look at.
    pub fn is_post(self) -> bool {
        matches!(
            self,
            ContentType::Image | ContentType::Carousel | ContentType::Video | ContentType::Reel
        )
    }
}

/// The median (mean of the two middle values for an even count); `None` for no values. The
/// store has the same rule for its median-at-age query but keeps its helper private.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_meta_product_and_media_types() {
        assert_eq!(ContentType::of("FEED", "IMAGE"), ContentType::Image);
        assert_eq!(
            ContentType::of("feed", "carousel_album"),
            ContentType::Carousel
        );
        assert_eq!(ContentType::of("FEED", "VIDEO"), ContentType::Video);
        assert_eq!(ContentType::of("REELS", "VIDEO"), ContentType::Reel);
        assert_eq!(ContentType::of("STORY", "IMAGE"), ContentType::Story);
        assert_eq!(ContentType::of("AD", "IMAGE"), ContentType::Other);
    }

    #[test]
    fn median_of_odd_even_and_no_values() {
        assert_eq!(median(&mut [0.08, 0.03, 0.05]), Some(0.05));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
