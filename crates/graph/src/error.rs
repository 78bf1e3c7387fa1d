//! The one error type of this crate, and the classes the rest of the app acts on.
//!
//! A class is decided from Meta's error object (`code`, `error_subcode`, `is_transient` and
//! the message phrases listed in `docs/API-FACTS.md` (f)), never from the HTTP status alone:
//! Meta sends throttling, bad parameters and expired tokens with 400 and other statuses alike.
//! Throttling is checked first, so it can never be mistaken for "no data".

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::redact::redact_text;

/// What the caller should do about an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorClass {
    /// The token is expired, revoked or invalid: sign in again.
    NeedsReauth,
    /// Meta (or our own governor) is limiting calls; try again after `retry_after` when known.
    Throttled { retry_after: Option<Duration> },
    /// Meta no longer answers this metric for this kind of media or account. `metric` is
    /// `None` only when neither the message nor the request could name it.
    MetricUnsupported { metric: Option<String> },
    /// A story with fewer than 5 viewers: skip it, there is nothing to read.
    NotEnoughViewers,
    /// Media posted before the account became professional: skip it.
    MediaBeforeBusinessConversion,
    /// A passing fault (Meta's `is_transient`, codes 1/2, 5xx, timeouts, resets, garbled
    /// bodies): the same call may work later.
    Transient,
    /// A permission is missing or the object is not visible to this token.
    Permission,
    /// Anything else: a bad parameter, an unexpected answer.
    Other,
}

impl ErrorClass {
    /// Whether repeating the same request can succeed without anything changing first.
    pub fn is_retryable(&self) -> bool {
        matches!(self, ErrorClass::Transient | ErrorClass::Throttled { .. })
    }
}

/// Which of Meta's two error shapes a body used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorShape {
    /// `{"error":{"message","type","code","error_subcode",...}}`.
    Graph,
    /// Instagram Login's OAuth endpoints: `{"error_type","code","error_message"}`.
    InstagramOAuth,
}

/// Meta's error object, read from either shape. Its message has credential-looking
/// `name=value` pairs masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaError {
    pub shape: ErrorShape,
    pub code: Option<i64>,
    pub subcode: Option<i64>,
    /// `type` (Graph) or `error_type` (Instagram Login).
    pub kind: Option<String>,
    pub message: String,
    pub user_title: Option<String>,
    pub user_message: Option<String>,
    pub is_transient: Option<bool>,
    pub fbtrace_id: Option<String>,
}

/// Codes Meta uses for rate limiting (Platform, Pages, custom, and the BUC family).
const THROTTLE_CODES: &[i64] = &[
    4, 17, 32, 613, 80000, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009, 80014,
];
/// Subcodes of 190 and friends meaning the session is gone.
const REAUTH_SUBCODES: &[i64] = &[458, 459, 460, 463, 464, 467, 492];
const MEDIA_BEFORE_CONVERSION_SUBCODE: i64 = 2_108_006;
/// Phrases with which Meta says a metric is not (or no longer) answered.
const UNSUPPORTED_METRIC_PHRASES: &[&str] = &[
    "no longer supported",
    "does not support the",
    "must be one of the following values",
    "incompatible metric",
    "should be specified with parameter metric_type",
];

impl MetaError {
    /// Reads an error object out of a parsed body, if the body is one.
    pub fn from_value(value: &Value) -> Option<MetaError> {
        let object = value.as_object()?;
        match object.get("error") {
            Some(Value::Object(error)) => {
                let text = |key: &str| error.get(key).and_then(Value::as_str).map(str::to_owned);
                Some(MetaError {
                    shape: ErrorShape::Graph,
                    code: error.get("code").and_then(as_int),
                    subcode: error.get("error_subcode").and_then(as_int),
                    kind: text("type"),
                    message: redact_text(&text("message").unwrap_or_default()),
                    user_title: text("error_user_title").map(|t| redact_text(&t)),
                    user_message: text("error_user_msg").map(|t| redact_text(&t)),
                    is_transient: error.get("is_transient").and_then(Value::as_bool),
                    fbtrace_id: text("fbtrace_id"),
                })
            }
            // Plain OAuth 2.0 errors: {"error":"invalid_request","error_description":"..."}.
            Some(Value::String(code)) => Some(MetaError {
                shape: ErrorShape::InstagramOAuth,
                code: None,
                subcode: None,
                kind: Some(code.clone()),
                message: redact_text(
                    object
                        .get("error_description")
                        .and_then(Value::as_str)
                        .unwrap_or(code),
                ),
                user_title: None,
                user_message: None,
                is_transient: None,
                fbtrace_id: None,
            }),
            _ if object.contains_key("error_type") || object.contains_key("error_message") => {
                Some(MetaError {
                    shape: ErrorShape::InstagramOAuth,
                    code: object.get("code").and_then(as_int),
                    subcode: None,
                    kind: object
                        .get("error_type")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    message: redact_text(
                        object
                            .get("error_message")
                            .and_then(Value::as_str)
                            .unwrap_or_default(),
                    ),
                    user_title: None,
                    user_message: None,
                    is_transient: None,
                    fbtrace_id: None,
                })
            }
            _ => None,
        }
    }

    /// Reads an error object from raw bytes; `None` when the bytes are not one.
    pub fn from_body(body: &[u8]) -> Option<MetaError> {
        let value: Value = serde_json::from_slice(body).ok()?;
        Self::from_value(&value)
    }

    /// The class of this error with no knowledge of the request.
    pub fn class(&self) -> ErrorClass {
        self.class_for(&[])
    }

    /// The class of this error for a request that asked for `requested` metrics (in request
    /// order), which names the metric in messages like `metric[1] must be one of ...`.
    pub fn class_for(&self, requested: &[String]) -> ErrorClass {
        let message = self.message.to_lowercase();
        let user_title = self
            .user_title
            .as_deref()
            .unwrap_or_default()
            .to_lowercase();
        let code = self.code.unwrap_or_default();
        let subcode = self.subcode.unwrap_or_default();

        if THROTTLE_CODES.contains(&code) {
            return ErrorClass::Throttled { retry_after: None };
        }
        if code == 190 || code == 102 || REAUTH_SUBCODES.contains(&subcode) {
            return ErrorClass::NeedsReauth;
        }
        if subcode == MEDIA_BEFORE_CONVERSION_SUBCODE
            || message.contains("before business account conversion")
            || user_title.contains("before business account conversion")
        {
            return ErrorClass::MediaBeforeBusinessConversion;
        }
        if message.contains("not enough viewers") {
            return ErrorClass::NotEnoughViewers;
        }
        if (code == 100 || self.code.is_none())
            && UNSUPPORTED_METRIC_PHRASES
                .iter()
                .any(|p| message.contains(p))
        {
            return ErrorClass::MetricUnsupported {
                metric: unsupported_metric(&message, requested),
            };
        }
        // Code 1 is also what the token endpoint answers for a wrong app id or secret
        // ("Error validating client secret."): a setup problem that no retry fixes.
        if message.contains("error validating") {
            return ErrorClass::Other;
        }
        if self.is_transient == Some(true) || code == 1 || code == 2 {
            return ErrorClass::Transient;
        }
        if code == 10
            || (200..=299).contains(&code)
            || (code == 100 && subcode == 33)
            || message.contains("missing permission")
            || message.contains("does not have permission")
        {
            return ErrorClass::Permission;
        }
        if self.shape == ErrorShape::InstagramOAuth || message.contains("authorization code") {
            // A sign-in code that was already used, expired or never existed: the only way on
            // is to sign in again.
            let code_gone = ["not found", "already used", "been used", "expired"]
                .iter()
                .any(|p| message.contains(p));
            if message.contains("code") && code_gone {
                return ErrorClass::NeedsReauth;
            }
        }
        ErrorClass::Other
    }
}

fn as_int(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

fn is_metric_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The metric an "unsupported metric" message is about, from the message itself or, for
/// `metric[N] must be one of ...`, from the request.
fn unsupported_metric(message: &str, requested: &[String]) -> Option<String> {
    let word_after = |marker: &str| -> Option<String> {
        let start = message.find(marker)? + marker.len();
        let name: String = message[start..]
            .trim_start()
            .chars()
            .take_while(|c| is_metric_char(*c))
            .collect();
        (!name.is_empty()).then_some(name)
    };
    let word_before = |marker: &str| -> Option<String> {
        let end = message.find(marker)?;
        let head = message[..end].trim_end();
        let start = head
            .char_indices()
            .rev()
            .find(|(_, c)| !is_metric_char(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let name = &head[start..];
        (!name.is_empty()).then(|| name.to_owned())
    };
    let in_parens_after = |marker: &str| -> Vec<String> {
        let Some(start) = message.find(marker) else {
            return Vec::new();
        };
        let rest = &message[start + marker.len()..];
        let Some(open) = rest.find('(') else {
            return Vec::new();
        };
        let inner = &rest[open + 1..];
        let close = inner.find(')').unwrap_or(inner.len());
        inner[..close]
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty() && n.chars().all(is_metric_char))
            .map(str::to_owned)
            .collect()
    };
    let prefer_requested = |names: Vec<String>| -> Option<String> {
        names
            .iter()
            .find(|n| requested.iter().any(|r| r.eq_ignore_ascii_case(n)))
            .or(names.first())
            .cloned()
    };

    // "the following metric is no longer supported: video_views."
    if let Some(name) = word_after("no longer supported:") {
        return Some(name);
    }
    // "the impressions metric is no longer supported for the queried media"
    if let Some(name) = word_before(" metric is no longer supported")
        && name != "following"
    {
        return Some(name);
    }
    // "does not support the views metric for this media product type"
    if let Some(name) = word_after("does not support the ")
        && message.contains(&format!("the {name} metric"))
    {
        return Some(name);
    }
    // "(#100) incompatible metric (impressions) with the media"
    let names = in_parens_after("incompatible metric");
    if !names.is_empty() {
        return prefer_requested(names);
    }
    // "the following metrics (profile_views, website_clicks) should be specified with
    // parameter metric_type=total_value" (or `=time_series`, for a metric that only answers
    // as a time series)
    if message.contains("should be specified with parameter metric_type") {
        let names = in_parens_after("following metric");
        if !names.is_empty() {
            return prefer_requested(names);
        }
    }
    // "metric[0] must be one of the following values: reach, follower_count, ..."
    if let Some(pos) = message.find("metric[") {
        let index: String = message[pos + "metric[".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Some(name) = index.parse::<usize>().ok().and_then(|i| requested.get(i)) {
            return Some(name.clone());
        }
    }
    if let Some(pos) = message.find("one of the following values:") {
        let allowed: Vec<&str> = message[pos + "one of the following values:".len()..]
            .split(|c: char| !is_metric_char(c))
            .filter(|s| !s.is_empty())
            .collect();
        return requested
            .iter()
            .find(|r| !allowed.iter().any(|a| a.eq_ignore_ascii_case(r)))
            .cloned();
    }
    None
}

/// Every error this crate returns. Each `Display` is a sentence; URLs in it are redacted and
/// no variant ever holds a token.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// Meta answered with an error object.
    #[error("{}", ApiErrorText(self))]
    Api {
        class: ErrorClass,
        meta: Box<MetaError>,
        status: u16,
        /// The request, redacted: `GET https://graph.facebook.com/v26.0/...`.
        request: String,
    },
    #[error("Meta answered {request} with HTTP status {status} and no error details.")]
    Status { status: u16, request: String },
    #[error("Insightdesk could not reach Meta for {request}: {reason}.")]
    Transport {
        request: String,
        reason: String,
        timed_out: bool,
    },
    #[error("Meta's answer to {request} was not readable JSON ({reason}).")]
    Malformed { request: String, reason: String },
    #[error(
        "Meta's answer to {request} did not have the expected shape at `{path}` ({reason}); Instagram may have changed this endpoint."
    )]
    Shape {
        request: String,
        path: String,
        reason: String,
    },
    #[error(
        "Insightdesk paused its calls to Meta to stay within this account's rate limit; it can call again at {until}."
    )]
    Budget {
        until: DateTime<Utc>,
        retry_after: Duration,
    },
    #[error("The request to Meta was cancelled.")]
    Cancelled,
    #[error("The address {url} is not a valid URL ({reason}).")]
    InvalidUrl { url: String, reason: String },
    #[error("“{0}” is not a Graph API version; use one like v26.0.")]
    InvalidVersion(String),
    #[error("Insightdesk's metric catalog could not be read ({0}); this build is broken.")]
    Catalog(String),
    #[error("There is no access token for this account; sign in again.")]
    MissingToken,
    #[error("This step needs the app secret, and Insightdesk does not have it.")]
    MissingAppSecret,
    #[error("{0} is not available with this login kind.")]
    Unsupported(&'static str),
    #[error(
        "Meta answers insights for at most 30 days per request and this one spans {days} days; ask for it in 30-day windows."
    )]
    RangeTooLong { days: i64 },
}

impl GraphError {
    /// What the caller should do about this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            GraphError::Api { class, .. } => class.clone(),
            GraphError::Status { status, .. } if *status >= 500 || *status == 429 => {
                ErrorClass::Transient
            }
            GraphError::Transport { .. } | GraphError::Malformed { .. } => ErrorClass::Transient,
            GraphError::Budget { retry_after, .. } => ErrorClass::Throttled {
                retry_after: Some(*retry_after),
            },
            GraphError::MissingToken => ErrorClass::NeedsReauth,
            GraphError::Status { .. }
            | GraphError::Shape { .. }
            | GraphError::Cancelled
            | GraphError::InvalidUrl { .. }
            | GraphError::InvalidVersion(_)
            | GraphError::Catalog(_)
            | GraphError::MissingAppSecret
            | GraphError::Unsupported(_)
            | GraphError::RangeTooLong { .. } => ErrorClass::Other,
        }
    }

    /// Meta's error object, when Meta sent one.
    pub fn meta(&self) -> Option<&MetaError> {
        match self {
            GraphError::Api { meta, .. } => Some(meta),
            _ => None,
        }
    }

    pub fn is_cancelled(&self) -> bool {
        matches!(self, GraphError::Cancelled)
    }
}

struct ApiErrorText<'a>(&'a GraphError);

impl fmt::Display for ApiErrorText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let GraphError::Api {
            class,
            meta,
            request,
            ..
        } = self.0
        else {
            return Ok(());
        };
        let said = meta
            .user_message
            .as_deref()
            .filter(|m| !m.is_empty())
            .unwrap_or(&meta.message);
        let code = match (meta.code, meta.subcode) {
            (Some(c), Some(s)) => format!("code {c}/{s}"),
            (Some(c), None) => format!("code {c}"),
            _ => "no code".to_owned(),
        };
        match class {
            ErrorClass::NeedsReauth => write!(
                f,
                "Instagram needs you to sign in again: Meta said “{said}” ({code}, {request})."
            ),
            ErrorClass::Throttled { retry_after } => {
                write!(f, "Meta is limiting calls for this account")?;
                if let Some(wait) = retry_after {
                    write!(f, " for about {} minute(s)", wait.as_secs().div_ceil(60))?;
                }
                write!(f, ": Meta said “{said}” ({code}, {request}).")
            }
            ErrorClass::MetricUnsupported { metric } => match metric {
                Some(m) => write!(
                    f,
                    "Instagram no longer provides the metric “{m}” here: Meta said “{said}” ({code}, {request})."
                ),
                None => write!(
                    f,
                    "Instagram no longer provides one of the requested metrics: Meta said “{said}” ({code}, {request})."
                ),
            },
            ErrorClass::NotEnoughViewers => write!(
                f,
                "Instagram shows no insights for this story because too few people viewed it ({code}, {request})."
            ),
            ErrorClass::MediaBeforeBusinessConversion => write!(
                f,
                "Instagram has no insights for this post because it was published before the account became a professional account ({code}, {request})."
            ),
            ErrorClass::Transient => write!(
                f,
                "Meta had a temporary problem: it said “{said}” ({code}, {request}); trying again later should work."
            ),
            ErrorClass::Permission => write!(
                f,
                "Insightdesk is missing a permission Meta requires for this: Meta said “{said}” ({code}, {request}); reconnect and grant every permission asked for."
            ),
            ErrorClass::Other => write!(
                f,
                "Meta refused the request: it said “{said}” ({code}, {request})."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(code: i64, subcode: Option<i64>, message: &str) -> MetaError {
        let mut error =
            serde_json::json!({"message": message, "type": "OAuthException", "code": code});
        if let Some(s) = subcode {
            error["error_subcode"] = s.into();
        }
        MetaError::from_value(&serde_json::json!({ "error": error })).unwrap()
    }

    fn metric_of(m: &MetaError, requested: &[&str]) -> Option<String> {
        let requested: Vec<String> = requested.iter().map(|s| s.to_string()).collect();
        match m.class_for(&requested) {
            ErrorClass::MetricUnsupported { metric } => metric,
            other => panic!("expected MetricUnsupported, got {other:?}"),
        }
    }

    #[test]
    fn names_the_metric_in_every_known_wording() {
        let cases = [
            (
                "(#100) Starting from version 21+, the following metric is no longer supported: video_views. Instead, see docs.",
                "video_views",
            ),
            (
                "(#100) Starting from version 22 and above, the impressions metric is no longer supported for the queried user",
                "impressions",
            ),
            (
                "(#100) Starting from version v22.0 and above, the impressions metric is no longer supported for the queried media",
                "impressions",
            ),
            (
                "(#100) The Media Insights API does not support the views metric for this media product type.",
                "views",
            ),
            (
                "(#100) The Media Insights API does not support the impressions metric for this media product type.",
                "impressions",
            ),
            ("(#100) Incompatible metric (plays) with the media", "plays"),
            (
                "(#100) The following metrics (profile_views) should be specified with parameter metric_type=total_value",
                "profile_views",
            ),
            (
                "(#100) The following metrics (impressions) should be specified with parameter metric_type=time_series",
                "impressions",
            ),
        ];
        for (message, metric) in cases {
            assert_eq!(
                metric_of(&graph(100, None, message), &[]),
                Some(metric.to_owned()),
                "{message}"
            );
        }
    }

    #[test]
    fn must_be_one_of_uses_the_index_or_elimination() {
        let m = graph(
            100,
            None,
            "(#100) metric[1] must be one of the following values: reach, follower_count, views",
        );
        assert_eq!(
            metric_of(&m, &["reach", "impressions"]),
            Some("impressions".into())
        );
        let m = graph(
            100,
            None,
            "(#100) metric must be one of the following values: reach, follower_count, views",
        );
        assert_eq!(
            metric_of(&m, &["reach", "impressions", "views"]),
            Some("impressions".into())
        );
        assert_eq!(metric_of(&m, &[]), None);
    }

    #[test]
    fn range_and_bad_parameter_messages_are_not_unsupported_metrics() {
        for message in [
            "(#100) (follower_count) metric only supports querying data for the last 30 days excluding the current day",
            "(#100) There cannot be more than 30 days (2592000 s) between since and until",
            "(#100) Object does not exist, cannot be loaded due to missing permission or reviewable feature, or does not support this operation.",
        ] {
            assert!(
                !matches!(
                    graph(100, None, message).class(),
                    ErrorClass::MetricUnsupported { .. }
                ),
                "{message}"
            );
        }
    }

    #[test]
    fn classes_from_codes() {
        assert_eq!(graph(190, Some(460), "x").class(), ErrorClass::NeedsReauth);
        assert_eq!(graph(102, None, "x").class(), ErrorClass::NeedsReauth);
        assert_eq!(
            graph(80002, None, "x").class(),
            ErrorClass::Throttled { retry_after: None }
        );
        assert_eq!(
            graph(613, Some(1996), "x").class(),
            ErrorClass::Throttled { retry_after: None }
        );
        assert_eq!(graph(2, None, "x").class(), ErrorClass::Transient);
        assert_eq!(
            graph(1, None, "An unknown error has occurred.").class(),
            ErrorClass::Transient
        );
        assert_eq!(
            graph(1, None, "Error validating client secret.").class(),
            ErrorClass::Other
        );
        assert_eq!(
            graph(
                10,
                None,
                "(#10) Not enough viewers for the media to show insights"
            )
            .class(),
            ErrorClass::NotEnoughViewers
        );
        assert_eq!(graph(270, None, "x").class(), ErrorClass::Permission);
        assert_eq!(
            graph(100, Some(33), "Unsupported get request").class(),
            ErrorClass::Permission
        );
        assert_eq!(graph(368, None, "blocked").class(), ErrorClass::Other);
        // A throttle code wins over an "is_transient" flag and any wording.
        let mut t = graph(4, None, "the impressions metric is no longer supported");
        t.is_transient = Some(true);
        assert_eq!(t.class(), ErrorClass::Throttled { retry_after: None });
    }

    #[test]
    fn non_ascii_text_does_not_confuse_metric_names() {
        assert_eq!(
            metric_of(
                &graph(100, None, "(#100) Ⱥ the é metric is no longer supported"),
                &[]
            ),
            None
        );
    }

    #[test]
    fn plain_oauth_errors_are_read() {
        let e = MetaError::from_value(
            &serde_json::json!({"error":"invalid_request","error_description":"code=abc expired"}),
        )
        .unwrap();
        assert_eq!(e.message, "code=REDACTED expired");
        assert_eq!(e.class(), ErrorClass::NeedsReauth);
        assert!(MetaError::from_value(&serde_json::json!({"data":[]})).is_none());
        assert!(MetaError::from_value(&serde_json::json!([1, 2])).is_none());
    }
}
