//! A post's growth curve against the median of its kind at the same age
//! ([`crate::Measure::GrowthAgainstMedian`]).

use insightdesk_store::{AgeMedian, MetricReading, value_at_age};
use serde::Serialize;
use ts_rs::TS;

/// The ages the comparison is made at, in hours: 1 h, 6 h, 1 day, 3 days, 7 days, 30 days.
pub const GROWTH_AGES_HOURS: [i64; 6] = [1, 6, 24, 72, 168, 720];

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct GrowthPoint {
    pub age_seconds: i64,
    /// "1 h", "3 days".
    pub label: String,
    /// The post's value at this age (estimated from its readings).
    pub post: Option<f64>,
    /// The peers' median at this age.
    pub median: Option<f64>,
    /// How many peers the median is taken over.
    pub peers: u32,
    /// `post / median`.
    pub ratio: Option<f64>,
}

pub fn age_label(age_seconds: i64) -> String {
    let hours = age_seconds / 3600;
    match hours {
        1 => "1 h".to_owned(),
        h if h < 24 => format!("{h} h"),
        24 => "1 day".to_owned(),
        h => format!("{} days", h / 24),
    }
}

/// Pairs the post's value at each age of `medians` (from its `readings`, as
/// [`insightdesk_store::value_at_age`] estimates it) with the peers' median there.
pub fn growth_against_median(
    readings: &[MetricReading],
    medians: &[AgeMedian],
) -> Vec<GrowthPoint> {
    let mut curve: Vec<(i64, f64)> = readings.iter().map(|r| (r.age_seconds, r.value)).collect();
    curve.sort_by_key(|(age, _)| *age);
    medians
        .iter()
        .map(|m| {
            let post = value_at_age(&curve, m.age_seconds);
            GrowthPoint {
                age_seconds: m.age_seconds,
                label: age_label(m.age_seconds),
                post,
                median: m.median,
                peers: m.media_count,
                ratio: post
                    .zip(m.median)
                    .filter(|(_, median)| *median > 0.0)
                    .map(|(post, median)| post / median),
            }
        })
        .collect()
}
