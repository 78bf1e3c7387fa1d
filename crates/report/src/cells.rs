//! The report's tables as people read them: headers and formatted cells. The PDF and the
//! text rendering print the same tables from here, so they cannot drift apart.

use crate::analytics::{ContentMixRow, GrowthPoint, RankedPost, StoryRow};
use crate::format::{caption, count, count_or_dash, local_time, percent};
use crate::model::{DEMOGRAPHIC_ROWS, DemographicGroup};

/// Horizontal alignment of a column or a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
    Center,
}

/// A column: its header, its share of the table's width (PDF), its alignment.
pub(crate) struct Header {
    pub title: String,
    pub share: f32,
    pub align: Align,
}

fn header(title: &str, share: f32, align: Align) -> Header {
    Header {
        title: title.to_owned(),
        share,
        align,
    }
}

pub(crate) struct Cells {
    pub headers: Vec<Header>,
    pub rows: Vec<Vec<String>>,
}

pub(crate) fn content_mix(rows: &[ContentMixRow]) -> Cells {
    Cells {
        headers: vec![
            header("Kind", 1.0, Align::Left),
            header("Posts", 0.65, Align::Right),
            header("Share", 0.75, Align::Right),
            header("Median reach", 1.15, Align::Right),
            header("Median eng. rate", 1.3, Align::Right),
        ],
        rows: rows
            .iter()
            .map(|row| {
                vec![
                    row.content_type.label().to_owned(),
                    row.posts.to_string(),
                    percent(Some(row.share)),
                    count_or_dash(row.median_reach),
                    percent(row.median_engagement_rate),
                ]
            })
            .collect(),
    }
}

/// A top-posts list; captions cut to `caption_max` characters.
pub(crate) fn top_posts(posts: &[RankedPost], caption_max: usize) -> Cells {
    Cells {
        headers: vec![
            header("#", 0.3, Align::Right),
            header("Posted", 1.55, Align::Left),
            header("Kind", 0.85, Align::Left),
            header("Reach", 0.8, Align::Right),
            header("Eng. rate (reach)", 0.95, Align::Right),
            header("Eng. rate (followers)", 1.0, Align::Right),
            header("Saves + shares", 0.95, Align::Right),
            header("Caption", 2.7, Align::Left),
        ],
        rows: posts
            .iter()
            .map(|ranked| {
                let post = &ranked.post;
                vec![
                    ranked.rank.to_string(),
                    local_time(&post.posted_local),
                    post.content_type.label().to_owned(),
                    count_or_dash(post.metrics.reach),
                    percent(post.engagement_rate_by_reach),
                    percent(post.engagement_rate_by_followers),
                    count_or_dash(post.metrics.saves_and_shares()),
                    caption(post.caption.as_deref(), caption_max),
                ]
            })
            .collect(),
    }
}

pub(crate) fn stories(rows: &[&StoryRow]) -> Cells {
    Cells {
        headers: vec![
            header("Posted", 1.5, Align::Left),
            header("Kind", 0.7, Align::Left),
            header("Views", 0.8, Align::Right),
            header("Reach", 0.8, Align::Right),
            header("Next", 0.7, Align::Right),
            header("Back", 0.65, Align::Right),
            header("Exit", 0.65, Align::Right),
            header("Swipe", 0.7, Align::Right),
            header("Completion", 1.0, Align::Right),
            header("Captured", 0.95, Align::Left),
        ],
        rows: rows
            .iter()
            .map(|story| {
                let nav = story.navigation;
                vec![
                    local_time(&story.posted_local),
                    story.media_type.to_lowercase(),
                    count_or_dash(story.views),
                    count_or_dash(story.reach),
                    count_or_dash(nav.map(|n| n.tap_forward)),
                    count_or_dash(nav.map(|n| n.tap_back)),
                    count_or_dash(nav.map(|n| n.tap_exit)),
                    count_or_dash(nav.map(|n| n.swipe_forward)),
                    percent(story.completion),
                    story.capture.replace('_', " "),
                ]
            })
            .collect(),
    }
}

pub(crate) fn growth(points: &[GrowthPoint]) -> Cells {
    Cells {
        headers: vec![
            header("Age", 0.9, Align::Left),
            header("This post", 1.1, Align::Right),
            header("Median", 1.0, Align::Right),
            header("Peers", 0.75, Align::Right),
            header("× median", 1.0, Align::Right),
        ],
        rows: points
            .iter()
            .map(|p| {
                vec![
                    p.label.clone(),
                    count_or_dash(p.post),
                    count_or_dash(p.median),
                    p.peers.to_string(),
                    p.ratio
                        .map_or_else(|| "—".to_owned(), |r| format!("{r:.2}×")),
                ]
            })
            .collect(),
    }
}

/// The first [`DEMOGRAPHIC_ROWS`] buckets of a demographic group.
pub(crate) fn demographic(group: &DemographicGroup) -> Cells {
    Cells {
        headers: vec![
            header(&group.title, 1.6, Align::Left),
            header("Followers", 1.0, Align::Right),
            header("Share", 0.8, Align::Right),
        ],
        rows: group
            .buckets
            .iter()
            .take(DEMOGRAPHIC_ROWS)
            .map(|b| vec![b.label.clone(), count(b.value), percent(Some(b.share))])
            .collect(),
    }
}
