//! Top posts ([`crate::Measure::TopPosts`]).

use serde::Serialize;
use ts_rs::TS;

use super::Post;

/// What a top-posts list is ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Ranking {
    EngagementRate,
    Reach,
    SavesAndShares,
}

impl Ranking {
    pub const ALL: [Ranking; 3] = [
        Ranking::EngagementRate,
        Ranking::Reach,
        Ranking::SavesAndShares,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Ranking::EngagementRate => "By engagement rate",
            Ranking::Reach => "By reach",
            Ranking::SavesAndShares => "By saves and shares",
        }
    }

    /// The post's value for this ranking; posts without one are left out.
    pub fn value(self, post: &Post) -> Option<f64> {
        match self {
            Ranking::EngagementRate => post.engagement_rate_by_reach,
            Ranking::Reach => post.metrics.reach,
            Ranking::SavesAndShares => post.metrics.saves_and_shares(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RankedPost {
    /// 1 for the best.
    pub rank: u32,
    pub value: f64,
    pub post: Post,
}

/// The `limit` best feed posts and reels by `ranking`; ties go to the earlier post, then to
/// Meta's media id so the order never depends on storage order.
pub fn top_posts(posts: &[Post], ranking: Ranking, limit: usize) -> Vec<RankedPost> {
    let mut ranked: Vec<(f64, &Post)> = posts
        .iter()
        .filter(|p| p.content_type.is_post())
        .filter_map(|p| ranking.value(p).map(|v| (v, p)))
        .collect();
    ranked.sort_by(|(a_value, a), (b_value, b)| {
        b_value
            .total_cmp(a_value)
            .then(a.posted_at.cmp(&b.posted_at))
            .then_with(|| a.ig_media_id.cmp(&b.ig_media_id))
    });
    ranked
        .into_iter()
        .take(limit)
        .zip(1..)
        .map(|((value, post), rank)| RankedPost {
            rank,
            value,
            post: post.clone(),
        })
        .collect()
}
