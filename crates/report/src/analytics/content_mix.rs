//! The content mix ([`crate::Measure::ContentMix`]).

use serde::Serialize;
use ts_rs::TS;

use super::{ContentType, Post, median};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ContentMixRow {
    pub content_type: ContentType,
    pub posts: u32,
    /// This kind's share of everything published in the period (0 to 1).
    pub share: f64,
    pub median_reach: Option<f64>,
    pub median_engagement_rate: Option<f64>,
}

/// One row per listed kind (even with no posts), plus "other" when the period has any.
pub fn content_mix(posts: &[Post]) -> Vec<ContentMixRow> {
    let total = posts.len();
    let mut kinds = ContentType::LISTED.to_vec();
    if posts.iter().any(|p| p.content_type == ContentType::Other) {
        kinds.push(ContentType::Other);
    }
    kinds
        .into_iter()
        .map(|kind| {
            let of_kind: Vec<&Post> = posts.iter().filter(|p| p.content_type == kind).collect();
            let mut reach: Vec<f64> = of_kind.iter().filter_map(|p| p.metrics.reach).collect();
            let mut rates: Vec<f64> = of_kind
                .iter()
                .filter_map(|p| p.engagement_rate_by_reach)
                .collect();
            ContentMixRow {
                content_type: kind,
                posts: of_kind.len() as u32,
                share: if total == 0 {
                    0.0
                } else {
                    of_kind.len() as f64 / total as f64
                },
                median_reach: median(&mut reach),
                median_engagement_rate: median(&mut rates),
            }
        })
        .collect()
}
