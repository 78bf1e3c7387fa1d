//! Insights in all three shapes Meta answers with:
//!
//! - time series: `data[].values[{value, end_time}]` (user metrics with `period=day`),
//! - total value: `data[].total_value{value, breakdowns[{dimension_keys, results[...]}]}`,
//! - lifetime: `data[].values[0].value` with `period: "lifetime"` (every media metric).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::paging::Page;
use super::{de, open_enum};

/// The answer of an `/insights` call (or of an expanded `insights` field).
pub type Insights = Page<InsightMetric>;

open_enum! {
    /// `period`.
    Period {
        Day => "day",
        Week => "week",
        Days28 => "days_28",
        Month => "month",
        Lifetime => "lifetime",
        TotalOverRange => "total_over_range",
    }
}

/// One metric of an insights answer.
#[derive(Debug, Clone, Deserialize)]
pub struct InsightMetric {
    pub name: String,
    #[serde(default)]
    pub period: Option<Period>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
    /// Time series (one entry per period) or lifetime (one entry, no `end_time`).
    #[serde(default)]
    pub values: Vec<InsightValue>,
    #[serde(default)]
    pub total_value: Option<TotalValue>,
}

impl InsightMetric {
    /// The metric's single number: `total_value.value` when present, else the only (or last)
    /// entry of `values` (how media insights answer). `None` when Meta sent no number, which
    /// is "no data", never zero.
    pub fn single_value(&self) -> Option<&MetricValue> {
        self.total_value
            .as_ref()
            .and_then(|t| t.value.as_ref())
            .or_else(|| self.values.last().and_then(|v| v.value.as_ref()))
    }
}

/// One point of a time series or the value of a lifetime metric.
#[derive(Debug, Clone, Deserialize)]
pub struct InsightValue {
    #[serde(default)]
    pub value: Option<MetricValue>,
    #[serde(default, deserialize_with = "de::meta_time_opt")]
    pub end_time: Option<DateTime<Utc>>,
}

/// A metric's value: a count, a decimal (averages, rates), or a keyed map (e.g.
/// `online_followers` answers an hour → count map).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum MetricValue {
    Count(i64),
    Decimal(f64),
    Map(BTreeMap<String, MetricValue>),
}

impl MetricValue {
    /// The value as a plain number, when it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            MetricValue::Count(n) => Some(*n as f64),
            MetricValue::Decimal(x) => Some(*x),
            MetricValue::Map(_) => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            MetricValue::Count(n) => Some(*n),
            MetricValue::Decimal(_) | MetricValue::Map(_) => None,
        }
    }
}

/// `total_value`: a total (absent for demographics) and its breakdowns.
#[derive(Debug, Clone, Deserialize)]
pub struct TotalValue {
    #[serde(default)]
    pub value: Option<MetricValue>,
    #[serde(default)]
    pub breakdowns: Vec<Breakdown>,
}

/// One breakdown: which dimensions, and a value per combination of dimension values.
///
/// Dimension values of enumerated dimensions (`action_type`, `story_navigation_action_type`,
/// `contact_button_type`, `media_product_type`, `follow_type`, ...) are upper-cased on the way
/// in because Meta sometimes sends them lower-case (`tap_forward`, `email`,
/// `bio_link_clicked`). Free-text dimensions (`city`) keep Meta's spelling.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "RawBreakdown")]
pub struct Breakdown {
    pub dimension_keys: Vec<String>,
    pub results: Vec<BreakdownResult>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BreakdownResult {
    #[serde(default)]
    pub dimension_values: Vec<String>,
    #[serde(default)]
    pub value: Option<MetricValue>,
    #[serde(default, deserialize_with = "de::meta_time_opt")]
    pub end_time: Option<DateTime<Utc>>,
}

impl Breakdown {
    /// The value for one combination of dimension values (compared case-insensitively).
    pub fn value_for(&self, values: &[&str]) -> Option<&MetricValue> {
        self.results
            .iter()
            .find(|r| {
                r.dimension_values.len() == values.len()
                    && r.dimension_values
                        .iter()
                        .zip(values)
                        .all(|(a, b)| a.eq_ignore_ascii_case(b))
            })
            .and_then(|r| r.value.as_ref())
    }
}

/// Dimensions whose values are names of places, not enumerated constants.
const FREE_TEXT_DIMENSIONS: &[&str] = &["city"];

#[derive(Deserialize)]
struct RawBreakdown {
    #[serde(default)]
    dimension_keys: Vec<String>,
    #[serde(default)]
    results: Vec<BreakdownResult>,
}

impl From<RawBreakdown> for Breakdown {
    fn from(raw: RawBreakdown) -> Self {
        let enumerated: Vec<bool> = raw
            .dimension_keys
            .iter()
            .map(|k| {
                !FREE_TEXT_DIMENSIONS
                    .iter()
                    .any(|f| f.eq_ignore_ascii_case(k))
            })
            .collect();
        let results = raw
            .results
            .into_iter()
            .map(|mut r| {
                for (i, value) in r.dimension_values.iter_mut().enumerate() {
                    // A value beyond the declared keys is normalised too: Meta's keys and
                    // values should pair up, and an upper-cased enum is the safer reading.
                    if enumerated.get(i).copied().unwrap_or(true) {
                        *value = value.to_uppercase();
                    }
                }
                r
            })
            .collect();
        Breakdown {
            dimension_keys: raw.dimension_keys,
            results,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_breakdown_values_are_normalised_but_cities_are_not() {
        let b: Breakdown = serde_json::from_str(
            r#"{"dimension_keys":["story_navigation_action_type"],"results":[{"dimension_values":["tap_forward"],"value":3}]}"#,
        )
        .unwrap();
        assert_eq!(b.results[0].dimension_values, vec!["TAP_FORWARD"]);
        assert_eq!(b.value_for(&["tap_forward"]), Some(&MetricValue::Count(3)));
        let c: Breakdown = serde_json::from_str(
            r#"{"dimension_keys":["city"],"results":[{"dimension_values":["São Paulo, São Paulo (state)"],"value":1}]}"#,
        )
        .unwrap();
        assert_eq!(
            c.results[0].dimension_values,
            vec!["São Paulo, São Paulo (state)"]
        );
    }

    #[test]
    fn values_of_every_shape() {
        let m: InsightMetric = serde_json::from_str(
            r#"{"name":"online_followers","period":"lifetime","values":[{"value":{"0":3,"1":4},"end_time":"2024-01-15T07:00:00+0000"}]}"#,
        )
        .unwrap();
        let MetricValue::Map(hours) = m.values[0].value.clone().unwrap() else {
            panic!("expected a map")
        };
        assert_eq!(hours.get("1"), Some(&MetricValue::Count(4)));
        assert_eq!(
            m.values[0].end_time.map(|t| t.to_rfc3339()),
            Some("2024-01-15T07:00:00+00:00".into())
        );
        let avg: InsightMetric =
            serde_json::from_str(r#"{"name":"reels_skip_rate","values":[{"value":0.42}]}"#)
                .unwrap();
        assert_eq!(avg.single_value().and_then(MetricValue::as_f64), Some(0.42));
        let empty: InsightMetric = serde_json::from_str(r#"{"name":"reach","values":[]}"#).unwrap();
        assert_eq!(empty.single_value(), None);
    }
}
