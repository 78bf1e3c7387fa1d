//! Meta's answers as store rows. Pure: each function takes an answer and the facts of its
//! request and returns what to write. A metric Meta sent no number for is left out (Meta's
//! "no data" is an empty answer, never zero), and every value keeps the granularity it was
//! answered in: a day, a window of days, or a lifetime reading at an instant.

use chrono::NaiveDate;
use insightdesk_graph::InsightsAnswer;
use insightdesk_graph::models::{Breakdown as GraphBreakdown, InsightMetric, MetricValue};
use insightdesk_graph::models::{Media, MediaProductType};
use insightdesk_store::{
    AccountDailyValue, AccountWindowValue, Breakdown, DemographicsSnapshot, MediaItem,
};

use crate::days::{DaySpan, day_ending_at};

/// A breakdown as the store keeps it: the dimension keys joined with `,`, and per cell the
/// values joined the same way. `skip` drops a dimension (demographics' `timeframe`, which the
/// store keeps in its own column).
fn cells(breakdown: &GraphBreakdown, skip: Option<&str>) -> (String, Vec<(String, f64)>) {
    let keep: Vec<usize> = breakdown
        .dimension_keys
        .iter()
        .enumerate()
        .filter(|(_, k)| skip.is_none_or(|s| !k.eq_ignore_ascii_case(s)))
        .map(|(i, _)| i)
        .collect();
    let dimension = keep
        .iter()
        .filter_map(|i| breakdown.dimension_keys.get(*i).cloned())
        .collect::<Vec<_>>()
        .join(",");
    let values = breakdown
        .results
        .iter()
        .filter_map(|result| {
            let value = result.value.as_ref()?.as_f64()?;
            let key = keep
                .iter()
                .filter_map(|i| result.dimension_values.get(*i).cloned())
                .collect::<Vec<_>>()
                .join(",");
            Some((key, value))
        })
        .collect();
    (dimension, values)
}

/// A lifetime reading of a post or story: its plain values and its breakdown cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MediaValues {
    pub values: Vec<(String, f64)>,
    /// (metric, cells).
    pub breakdowns: Vec<(String, Vec<(Breakdown, f64)>)>,
}

pub fn media_values(answer: &InsightsAnswer) -> MediaValues {
    let mut out = MediaValues::default();
    for metric in &answer.metrics {
        if let Some(value) = metric.single_value().and_then(MetricValue::as_f64) {
            out.values.push((metric.name.clone(), value));
        }
        for breakdown in metric.total_value.iter().flat_map(|t| t.breakdowns.iter()) {
            let (dimension, values) = cells(breakdown, None);
            if dimension.is_empty() || values.is_empty() {
                continue;
            }
            let cells = values
                .into_iter()
                .map(|(key, value)| (Breakdown::new(dimension.clone(), key), value))
                .collect();
            out.breakdowns.push((metric.name.clone(), cells));
        }
    }
    out
}

/// Time-series values, one per day.
pub fn series_values(answer: &InsightsAnswer) -> Vec<AccountDailyValue> {
    let mut out = Vec::new();
    for metric in &answer.metrics {
        for point in &metric.values {
            let (Some(end), Some(value)) = (
                point.end_time,
                point.value.as_ref().and_then(MetricValue::as_f64),
            ) else {
                continue;
            };
            out.push(AccountDailyValue {
                metric: metric.name.clone(),
                day: day_ending_at(end),
                breakdown: None,
                value,
            });
        }
    }
    out
}

/// (metric, breakdown cell, value) of a total-value answer: the total, then its cells.
fn totals(metric: &InsightMetric) -> Vec<(Option<Breakdown>, f64)> {
    let mut out = Vec::new();
    let Some(total) = &metric.total_value else {
        return out;
    };
    if let Some(value) = total.value.as_ref().and_then(MetricValue::as_f64) {
        out.push((None, value));
    }
    for breakdown in &total.breakdowns {
        let (dimension, values) = cells(breakdown, None);
        if dimension.is_empty() {
            continue;
        }
        for (key, value) in values {
            out.push((Some(Breakdown::new(dimension.clone(), key)), value));
        }
    }
    out
}

/// A total-value answer for one day, as daily values.
pub fn daily_totals(answer: &InsightsAnswer, day: NaiveDate) -> Vec<AccountDailyValue> {
    answer
        .metrics
        .iter()
        .flat_map(|metric| {
            totals(metric)
                .into_iter()
                .map(move |(breakdown, value)| AccountDailyValue {
                    metric: metric.name.clone(),
                    day,
                    breakdown,
                    value,
                })
        })
        .collect()
}

/// A total-value answer for a window of days, as window totals.
pub fn window_totals(answer: &InsightsAnswer, span: DaySpan) -> Vec<AccountWindowValue> {
    answer
        .metrics
        .iter()
        .flat_map(|metric| {
            totals(metric)
                .into_iter()
                .map(move |(breakdown, value)| AccountWindowValue {
                    metric: metric.name.clone(),
                    first_day: span.first,
                    last_day: span.last,
                    breakdown,
                    value,
                })
        })
        .collect()
}

/// A demographics answer as a snapshot of `day`; `None` when Meta sent no buckets (under 100
/// followers or engagements Meta answers nothing).
pub fn demographics(
    answer: &InsightsAnswer,
    metric: &str,
    timeframe: Option<&str>,
    day: NaiveDate,
) -> Option<DemographicsSnapshot> {
    let found = answer.metric(metric)?;
    let breakdown = found.total_value.as_ref()?.breakdowns.first()?;
    let (dimension, buckets) = cells(breakdown, Some("timeframe"));
    if dimension.is_empty() || buckets.is_empty() {
        return None;
    }
    Some(DemographicsSnapshot {
        metric: metric.to_owned(),
        timeframe: timeframe.map(str::to_owned),
        dimension,
        snapshot_day: day,
        buckets,
    })
}

/// `online_followers`: per day an hour → followers map, kept as a snapshot per day.
pub fn online_followers(answer: &InsightsAnswer) -> Vec<DemographicsSnapshot> {
    let mut out = Vec::new();
    for metric in &answer.metrics {
        for point in &metric.values {
            let (Some(end), Some(MetricValue::Map(hours))) = (point.end_time, point.value.as_ref())
            else {
                continue;
            };
            let buckets: Vec<(String, f64)> = hours
                .iter()
                .filter_map(|(hour, value)| Some((hour.clone(), value.as_f64()?)))
                .collect();
            if buckets.is_empty() {
                continue;
            }
            out.push(DemographicsSnapshot {
                metric: metric.name.clone(),
                timeframe: None,
                dimension: "hour".to_owned(),
                snapshot_day: day_ending_at(end),
                buckets,
            });
        }
    }
    out
}

/// A listed post or story as the store keeps it; `None` without the fields every post has
/// (an id and a publishing time).
pub fn media_item(media: &Media, default_product: &MediaProductType) -> Option<MediaItem> {
    Some(MediaItem {
        ig_media_id: media.id.clone(),
        product_type: media
            .media_product_type
            .as_ref()
            .unwrap_or(default_product)
            .as_str()
            .to_owned(),
        media_type: media.media_type.as_ref()?.as_str().to_owned(),
        posted_at: media.timestamp?,
        caption: media.caption.clone(),
        permalink: media.permalink.clone(),
        media_url: media.media_url.clone(),
        thumbnail_url: media.thumbnail_url.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(json: &str) -> InsightsAnswer {
        let page: insightdesk_graph::models::Insights = serde_json::from_str(json).unwrap();
        InsightsAnswer {
            metrics: page.data,
            paging: page.paging,
            dropped: Vec::new(),
        }
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn media_readings_keep_values_and_breakdowns_and_skip_missing_numbers() {
        let a = answer(
            r#"{"data":[
                {"name":"reach","period":"lifetime","values":[{"value":120}]},
                {"name":"views","period":"lifetime","values":[]},
                {"name":"navigation","period":"lifetime","values":[{"value":9}],
                 "total_value":{"value":9,"breakdowns":[{"dimension_keys":["story_navigation_action_type"],
                   "results":[{"dimension_values":["tap_forward"],"value":7},{"dimension_values":["tap_back"],"value":2}]}]}}
            ]}"#,
        );
        let values = media_values(&a);
        assert_eq!(
            values.values,
            [("reach".into(), 120.0), ("navigation".into(), 9.0)]
        );
        assert_eq!(values.breakdowns.len(), 1);
        let (metric, cells) = &values.breakdowns[0];
        assert_eq!(metric, "navigation");
        assert_eq!(
            cells,
            &[
                (
                    Breakdown::new("story_navigation_action_type", "TAP_FORWARD"),
                    7.0
                ),
                (
                    Breakdown::new("story_navigation_action_type", "TAP_BACK"),
                    2.0
                )
            ]
        );
    }

    #[test]
    fn series_are_filed_under_the_pacific_day_they_describe() {
        let a = answer(
            r#"{"data":[{"name":"reach","period":"day","values":[
                {"value":10,"end_time":"2026-11-20T08:00:00+0000"},
                {"value":11,"end_time":"2026-11-21T08:00:00+0000"}]}]}"#,
        );
        let days: Vec<(NaiveDate, f64)> =
            series_values(&a).iter().map(|v| (v.day, v.value)).collect();
        assert_eq!(days, [(day("2026-11-19"), 10.0), (day("2026-11-20"), 11.0)]);
    }

    #[test]
    fn totals_keep_their_granularity() {
        let a = answer(
            r#"{"data":[{"name":"views","period":"day","total_value":{"value":30,
                "breakdowns":[{"dimension_keys":["media_product_type"],"results":[
                  {"dimension_values":["REEL"],"value":20},{"dimension_values":["POST"],"value":10}]}]}}]}"#,
        );
        let daily = daily_totals(&a, day("2026-11-20"));
        assert_eq!(daily.len(), 3);
        assert!(daily.iter().all(|v| v.day == day("2026-11-20")));
        assert_eq!(daily[0].breakdown, None);
        assert_eq!(
            daily[1].breakdown,
            Some(Breakdown::new("media_product_type", "REEL"))
        );
        let span = DaySpan {
            first: day("2026-10-01"),
            last: day("2026-10-30"),
        };
        let windows = window_totals(&a, span);
        assert_eq!(windows.len(), 3);
        assert!(
            windows
                .iter()
                .all(|w| w.first_day == span.first && w.last_day == span.last)
        );
        assert!(daily_totals(&answer(r#"{"data":[]}"#), day("2026-11-20")).is_empty());
    }

    #[test]
    fn demographics_drop_the_timeframe_dimension_and_empty_answers_are_none() {
        let a = answer(
            r#"{"data":[{"name":"engaged_audience_demographics","period":"lifetime","total_value":{
                "breakdowns":[{"dimension_keys":["timeframe","age"],"results":[
                  {"dimension_values":["THIS_MONTH","25-34"],"value":40},
                  {"dimension_values":["THIS_MONTH","18-24"],"value":25}]}]}}]}"#,
        );
        let snapshot = demographics(
            &a,
            "engaged_audience_demographics",
            Some("this_month"),
            day("2026-11-26"),
        )
        .unwrap();
        assert_eq!(snapshot.dimension, "age");
        assert_eq!(
            snapshot.buckets,
            [("25-34".into(), 40.0), ("18-24".into(), 25.0)]
        );
        assert_eq!(snapshot.timeframe.as_deref(), Some("this_month"));
        assert!(
            demographics(
                &answer(r#"{"data":[]}"#),
                "follower_demographics",
                None,
                day("2026-11-26")
            )
            .is_none()
        );
        let online = answer(
            r#"{"data":[{"name":"online_followers","period":"lifetime","values":[
                {"value":{"0":3,"1":4},"end_time":"2026-11-21T08:00:00+0000"}]}]}"#,
        );
        let snapshots = online_followers(&online);
        assert_eq!(snapshots.len(), 1);
        assert_eq!(snapshots[0].snapshot_day, day("2026-11-20"));
        assert_eq!(snapshots[0].buckets, [("0".into(), 3.0), ("1".into(), 4.0)]);
    }
}
