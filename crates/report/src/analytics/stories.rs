//! Story completion ([`crate::Measure::StoryCompletion`]) from Meta's `navigation` breakdown.

use std::collections::HashMap;
use ts_rs::TS;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use insightdesk_store::{CaptureState, MediaId, Story};
use serde::Serialize;

use super::{ContentType, median};

/// A story's navigation actions (`navigation` by `story_navigation_action_type`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, TS)]
pub struct Navigation {
    /// On to your next story (or the next account's after your last one).
    pub tap_forward: f64,
    /// Back to see it again.
    pub tap_back: f64,
    /// Left stories altogether.
    pub tap_exit: f64,
    /// Swiped on to the next account's stories.
    pub swipe_forward: f64,
}

impl Navigation {
    /// From breakdown cells; Meta sends the keys upper- or lower-case. Unknown keys are
    /// ignored (Meta may add actions).
    pub fn from_cells<'a>(cells: impl IntoIterator<Item = (&'a str, f64)>) -> Self {
        let mut navigation = Self::default();
        for (key, value) in cells {
            match key.to_ascii_uppercase().as_str() {
                "TAP_FORWARD" => navigation.tap_forward += value,
                "TAP_BACK" => navigation.tap_back += value,
                "TAP_EXIT" => navigation.tap_exit += value,
                "SWIPE_FORWARD" => navigation.swipe_forward += value,
                _ => {}
            }
        }
        navigation
    }

    /// Actions that leave your stories.
    pub fn exits(&self) -> f64 {
        self.tap_exit + self.swipe_forward
    }

    fn add(&mut self, other: &Navigation) {
        self.tap_forward += other.tap_forward;
        self.tap_back += other.tap_back;
        self.tap_exit += other.tap_exit;
        self.swipe_forward += other.swipe_forward;
    }
}

/// `1 − exits / views`; `None` without views. Never below zero: Meta's counts are estimated
/// and can disagree slightly.
pub fn story_completion(navigation: &Navigation, views: Option<f64>) -> Option<f64> {
    views
        .filter(|v| *v > 0.0)
        .map(|views| (1.0 - navigation.exits() / views).max(0.0))
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StoryRow {
    pub ig_media_id: String,
    pub content_type: ContentType,
    pub media_type: String,
    pub posted_local: DateTime<FixedOffset>,
    /// `final`, `last_seen`, `missed` or `not_recorded`.
    pub capture: &'static str,
    pub views: Option<f64>,
    pub reach: Option<f64>,
    pub replies: Option<f64>,
    pub navigation: Option<Navigation>,
    pub completion: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StorySummary {
    /// Oldest first.
    pub stories: Vec<StoryRow>,
    /// Stories Meta forgot before Insightdesk read them.
    pub missed: u32,
    /// The period's navigation actions, over stories that have both navigation and views.
    pub totals: Navigation,
    /// The views of those stories.
    pub views: f64,
    /// `1 − totals.exits() / views`.
    pub completion: Option<f64>,
    pub median_reach: Option<f64>,
}

fn capture_name(capture: Option<CaptureState>) -> &'static str {
    match capture {
        Some(CaptureState::Final { .. }) => "final",
        Some(CaptureState::LastSeen { .. }) => "last_seen",
        Some(CaptureState::Missed) => "missed",
        None => "not_recorded",
    }
}

/// `navigation` holds the latest navigation breakdown of each story that has one.
pub fn story_summary(
    stories: &[Story],
    navigation: &HashMap<MediaId, Navigation>,
    tz: Tz,
) -> StorySummary {
    let mut rows: Vec<StoryRow> = stories
        .iter()
        .map(|story| {
            let item = &story.media.item;
            let value = |name: &str| story.latest.get(name).map(|r| r.value);
            let nav = navigation.get(&story.media.id).copied();
            let views = value("views");
            StoryRow {
                ig_media_id: item.ig_media_id.clone(),
                content_type: ContentType::of(&item.product_type, &item.media_type),
                media_type: item.media_type.clone(),
                posted_local: item.posted_at.with_timezone(&tz).fixed_offset(),
                capture: capture_name(story.capture),
                views,
                reach: value("reach"),
                replies: value("replies"),
                completion: nav.and_then(|n| story_completion(&n, views)),
                navigation: nav,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.posted_local
            .cmp(&b.posted_local)
            .then_with(|| a.ig_media_id.cmp(&b.ig_media_id))
    });

    let mut totals = Navigation::default();
    let mut views = 0.0;
    for row in &rows {
        if let (Some(nav), Some(v)) = (row.navigation, row.views.filter(|v| *v > 0.0)) {
            totals.add(&nav);
            views += v;
        }
    }
    let mut reach: Vec<f64> = rows.iter().filter_map(|r| r.reach).collect();
    StorySummary {
        missed: rows.iter().filter(|r| r.capture == "missed").count() as u32,
        completion: story_completion(&totals, Some(views)),
        median_reach: median(&mut reach),
        totals,
        views,
        stories: rows,
    }
}
