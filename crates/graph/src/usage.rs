//! Meta's usage headers.
//!
//! - `X-Business-Use-Case-Usage`: a JSON string keyed by business-object id (the IG user id)
//!   → array of `{type, call_count, total_cputime, total_time, estimated_time_to_regain_access}`
//!   (percentages 0–100; the regain time in minutes). Instagram insights are limited here.
//! - `X-App-Usage`: `{call_count, total_cputime, total_time}` (Platform limit).
//!
//! Parsing never fails a call: a header that does not parse is logged and ignored.

use std::time::Duration;

use serde_json::Value;

pub const BUSINESS_USE_CASE_HEADER: &str = "x-business-use-case-usage";
pub const APP_USAGE_HEADER: &str = "x-app-usage";

/// One business object's usage from `X-Business-Use-Case-Usage`.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessUsage {
    /// The business object (the IG user id in Instagram's case).
    pub object_id: String,
    /// `type`, e.g. `instagram`.
    pub kind: Option<String>,
    pub call_count: f64,
    pub total_cputime: f64,
    pub total_time: f64,
    /// `estimated_time_to_regain_access`, in minutes; 0 when not blocked.
    pub regain_minutes: f64,
}

impl BusinessUsage {
    /// The highest of the three percentages: the one that will throttle first.
    pub fn highest(&self) -> f64 {
        self.call_count.max(self.total_cputime).max(self.total_time)
    }
}

/// `X-App-Usage`.
#[derive(Debug, Clone, PartialEq)]
pub struct AppUsage {
    pub call_count: f64,
    pub total_cputime: f64,
    pub total_time: f64,
}

impl AppUsage {
    pub fn highest(&self) -> f64 {
        self.call_count.max(self.total_cputime).max(self.total_time)
    }
}

/// The usage a response reported.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Usage {
    pub business: Vec<BusinessUsage>,
    pub app: Option<AppUsage>,
}

/// Why a usage header could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {header} header could not be read: {reason}")]
pub struct UsageError {
    pub header: &'static str,
    pub reason: String,
}

impl Usage {
    /// Reads the usage headers of a response. Headers that do not parse are logged and left
    /// out.
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Usage {
        Self::from_pairs(
            headers
                .iter()
                .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?))),
        )
    }

    /// Reads usage from `(name, value)` pairs (names compared case-insensitively).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Usage {
        let mut usage = Usage::default();
        for (name, value) in pairs {
            if name.eq_ignore_ascii_case(BUSINESS_USE_CASE_HEADER) {
                match parse_business_use_case(value) {
                    Ok(entries) => usage.business.extend(entries),
                    Err(e) => log::warn!("{e}"),
                }
            } else if name.eq_ignore_ascii_case(APP_USAGE_HEADER) {
                match parse_app_usage(value) {
                    Ok(app) => usage.app = Some(app),
                    Err(e) => log::warn!("{e}"),
                }
            }
        }
        usage
    }

    pub fn is_empty(&self) -> bool {
        self.business.is_empty() && self.app.is_none()
    }

    /// The highest percentage that applies to `account` (its business-use-case entries, or
    /// all of them when none names it, and the app's usage).
    pub fn highest_percent(&self, account: Option<&str>) -> Option<f64> {
        let app = self.app.as_ref().map(AppUsage::highest);
        let business = self
            .relevant(account)
            .map(BusinessUsage::highest)
            .reduce(f64::max);
        match (business, app) {
            (Some(b), Some(a)) => Some(b.max(a)),
            (b, a) => b.or(a),
        }
    }

    /// How long Meta says the account is blocked, when it says so.
    pub fn regain_after(&self, account: Option<&str>) -> Option<Duration> {
        let minutes = self
            .relevant(account)
            .map(|b| b.regain_minutes)
            .reduce(f64::max)?;
        (minutes > 0.0).then(|| Duration::from_secs_f64((minutes * 60.0).min(7.0 * 86_400.0)))
    }

    fn relevant<'a>(
        &'a self,
        account: Option<&'a str>,
    ) -> impl Iterator<Item = &'a BusinessUsage> + 'a {
        let named = account.is_some_and(|a| self.business.iter().any(|b| b.object_id == a));
        self.business
            .iter()
            .filter(move |b| !named || account == Some(b.object_id.as_str()))
    }
}

fn percent(value: Option<&Value>) -> f64 {
    let number = match value {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    number.filter(|n| n.is_finite() && *n >= 0.0).unwrap_or(0.0)
}

/// Parses `X-Business-Use-Case-Usage`.
pub fn parse_business_use_case(text: &str) -> Result<Vec<BusinessUsage>, UsageError> {
    let error = |reason: String| UsageError {
        header: BUSINESS_USE_CASE_HEADER,
        reason,
    };
    let value: Value = serde_json::from_str(text).map_err(|e| error(e.to_string()))?;
    let objects = value
        .as_object()
        .ok_or_else(|| error("expected an object keyed by business id".into()))?;
    let mut out = Vec::new();
    for (id, entries) in objects {
        let entries = entries
            .as_array()
            .ok_or_else(|| error(format!("entry `{id}` is not a list")))?;
        for entry in entries {
            let Some(entry) = entry.as_object() else {
                return Err(error(format!("entry `{id}` holds a non-object")));
            };
            out.push(BusinessUsage {
                object_id: id.clone(),
                kind: entry.get("type").and_then(Value::as_str).map(str::to_owned),
                call_count: percent(entry.get("call_count")),
                total_cputime: percent(entry.get("total_cputime")),
                total_time: percent(entry.get("total_time")),
                regain_minutes: percent(entry.get("estimated_time_to_regain_access")),
            });
        }
    }
    Ok(out)
}

/// Parses `X-App-Usage`.
pub fn parse_app_usage(text: &str) -> Result<AppUsage, UsageError> {
    let error = |reason: String| UsageError {
        header: APP_USAGE_HEADER,
        reason,
    };
    let value: Value = serde_json::from_str(text).map_err(|e| error(e.to_string()))?;
    let object = value
        .as_object()
        .ok_or_else(|| error("expected an object".into()))?;
    Ok(AppUsage {
        call_count: percent(object.get("call_count")),
        total_cputime: percent(object.get("total_cputime")),
        total_time: percent(object.get("total_time")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_headers() {
        let usage = Usage::from_pairs([
            (
                "X-Business-Use-Case-Usage",
                r#"{"1":[{"type":"instagram","call_count":12,"total_cputime":72,"total_time":10,"estimated_time_to_regain_access":20}],"2":[{"type":"pages","call_count":99}]}"#,
            ),
            (
                "x-app-usage",
                r#"{"call_count":"5","total_cputime":1,"total_time":2}"#,
            ),
        ]);
        assert_eq!(usage.business.len(), 2);
        assert_eq!(usage.highest_percent(Some("1")), Some(72.0));
        assert_eq!(usage.highest_percent(None), Some(99.0));
        assert_eq!(usage.highest_percent(Some("unknown")), Some(99.0));
        assert_eq!(
            usage.regain_after(Some("1")),
            Some(Duration::from_secs(20 * 60))
        );
        assert_eq!(usage.regain_after(Some("2")), None);
        assert_eq!(usage.app.as_ref().map(|a| a.call_count), Some(5.0));
    }

    #[test]
    fn bad_headers_are_ignored() {
        let usage = Usage::from_pairs([
            ("x-business-use-case-usage", "not json"),
            ("x-app-usage", "[1,2]"),
        ]);
        assert!(usage.is_empty());
        assert!(parse_business_use_case(r#"{"1":{"call_count":1}}"#).is_err());
        assert_eq!(Usage::default().highest_percent(None), None);
    }
}
