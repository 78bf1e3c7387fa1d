//! Reading a delivery: Meta's envelope `{"object":"instagram","entry":[{"id","time","changes":
//! [{"field","value"}]}]}` (the graph crate's [`Envelope`]) turned into the rows the store keeps.
//!
//! Only `comments`, `mentions` and `story_insights` become rows; every other field
//! (`messages`, `live_comments`, …) is listed as ignored. A change of a stored field whose value
//! cannot be read is listed as unreadable and skipped: Meta would send the same value again on
//! a retry, so refusing the whole delivery would not help. Meta's documentation prints its
//! sample deliveries as a JSON array of envelopes; that form is read too.

use chrono::{DateTime, Utc};
use insightdesk_graph::models::webhook::{Change, ChangeValue, Envelope};
use insightdesk_graph::parse::{BodyError, parse_value};
use insightdesk_store::{Comment, Mention};
use serde_json::Value;

/// `story_insights` still uses the metric names of before v18 (API-FACTS (d), (h)). The
/// readings keep these names: `impressions` is not today's `views`, and the taps are not the
/// `navigation` breakdown, so nothing is renamed into a metric it does not measure. `reach`
/// and `replies` mean what the current metrics of the same name mean.
pub const STORY_WEBHOOK_METRICS: [&str; 6] = [
    "impressions",
    "reach",
    "taps_forward",
    "taps_back",
    "exits",
    "replies",
];

/// The suffix of the flag reading that stands for "fewer than 5" (see [`under_five_flag`]).
pub const UNDER_FIVE_SUFFIX: &str = ".under_5";

/// The metric name under which "`metric` was under 5" is recorded.
///
/// Meta sends `-1` for a story value below 5. The store keeps no negative counts and no NULL
/// readings, so such a value is stored as **no reading of `metric`** (its value is unknown)
/// plus a reading of `metric.under_5` with the value `1`. A dot never occurs in Meta's metric
/// names, so a flag cannot be mistaken for a metric Meta sends.
pub fn under_five_flag(metric: &str) -> String {
    format!("{metric}{UNDER_FIVE_SUFFIX}")
}

/// One value of a `story_insights` change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoryValue {
    Count(u64),
    /// Meta's `-1`: between 0 and 4, not shown for privacy.
    UnderFive,
}

/// The numbers Meta sends about an hour after a story expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryReading {
    pub ig_media_id: String,
    /// When Meta says the event happened (the entry's `time`), else when it was received.
    pub at: DateTime<Utc>,
    /// In the order of [`STORY_WEBHOOK_METRICS`]; a metric Meta left out is absent.
    pub values: Vec<(&'static str, StoryValue)>,
}

/// One row-to-be, for the Instagram account `account` (Meta's id, the entry's `id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Comment {
        account: String,
        comment: Comment,
    },
    Mention {
        account: String,
        mention: Mention,
    },
    StoryInsights {
        account: String,
        reading: StoryReading,
    },
}

impl Record {
    pub fn account(&self) -> &str {
        match self {
            Record::Comment { account, .. }
            | Record::Mention { account, .. }
            | Record::StoryInsights { account, .. } => account,
        }
    }
}

/// What one delivery holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery {
    pub records: Vec<Record>,
    /// Changes of fields that are not stored (by field name), and envelopes of objects other
    /// than `instagram` (as `object <name>`).
    pub ignored: Vec<String>,
    /// Changes of a stored field whose value could not be read: field and why.
    pub unreadable: Vec<String>,
}

/// Why a body is not a delivery. The texts name the JSON path but never quote a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("the body is not JSON ({0})")]
    NotJson(String),
    #[error("the body is JSON but not a webhook delivery at `{path}` ({reason})")]
    Shape { path: String, reason: String },
}

impl From<BodyError> for PayloadError {
    fn from(error: BodyError) -> Self {
        match error {
            BodyError::Malformed(reason) => PayloadError::NotJson(reason),
            BodyError::Shape { path, reason } => PayloadError::Shape { path, reason },
        }
    }
}

/// Reads a delivery's raw body; `received_at` stands in for an entry without a `time`.
pub fn parse_delivery(body: &[u8], received_at: DateTime<Utc>) -> Result<Delivery, PayloadError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| PayloadError::NotJson(e.to_string()))?;
    let envelopes: Vec<Envelope> = match value {
        Value::Array(items) => items
            .into_iter()
            .map(parse_value)
            .collect::<Result<_, _>>()?,
        other => vec![parse_value(other)?],
    };
    let mut delivery = Delivery::default();
    for envelope in envelopes {
        if envelope.object != "instagram" {
            delivery.ignored.push(format!("object {}", envelope.object));
            continue;
        }
        for entry in envelope.entry {
            let at = entry.time.and_then(event_time).unwrap_or(received_at);
            for change in &entry.changes {
                read_change(&mut delivery, &entry.id, at, change);
            }
        }
    }
    Ok(delivery)
}

/// Instagram entries carry unix seconds; messaging events carry milliseconds, so a value too
/// large for seconds in this era is read as milliseconds.
fn event_time(time: i64) -> Option<DateTime<Utc>> {
    const MILLISECONDS_FROM: i64 = 100_000_000_000;
    let seconds = if time >= MILLISECONDS_FROM {
        time / 1000
    } else {
        time
    };
    DateTime::from_timestamp(seconds, 0)
}

fn read_change(delivery: &mut Delivery, account: &str, at: DateTime<Utc>, change: &Change) {
    let field = change.field.as_str();
    if !matches!(field, "comments" | "mentions" | "story_insights") {
        delivery.ignored.push(field.to_owned());
        return;
    }
    let typed = match change.typed() {
        Ok(typed) => typed,
        Err(error) => {
            delivery
                .unreadable
                .push(format!("{field}: {}", without_values(&error)));
            return;
        }
    };
    let account = account.to_owned();
    let record = match typed {
        ChangeValue::Comment(comment) => {
            let Some(media) = comment.media else {
                delivery
                    .unreadable
                    .push("comments: the value has no media.id".into());
                return;
            };
            let username = comment
                .from
                .and_then(|from| from.username)
                .or(comment.username);
            Record::Comment {
                account,
                comment: Comment {
                    ig_comment_id: comment.id,
                    ig_media_id: media.id,
                    parent_ig_comment_id: comment.parent_id,
                    username,
                    text: comment.text.unwrap_or_default(),
                    commented_at: Some(at),
                    source: "webhook".into(),
                },
            }
        }
        ChangeValue::Mention(mention) => Record::Mention {
            account,
            mention: Mention {
                ig_media_id: mention.media_id,
                ig_comment_id: mention.comment_id,
                username: None,
                text: None,
                mentioned_at: Some(at),
            },
        },
        ChangeValue::StoryInsights(insights) => Record::StoryInsights {
            account,
            reading: StoryReading {
                ig_media_id: insights.media_id,
                at,
                values: story_values(&change.value, &mut delivery.unreadable),
            },
        },
        ChangeValue::Other(_) => return,
    };
    delivery.records.push(record);
}

/// The typed model reads `-1` and "absent" alike as `None`; the raw value tells them apart.
fn story_values(value: &Value, unreadable: &mut Vec<String>) -> Vec<(&'static str, StoryValue)> {
    let mut values = Vec::new();
    for metric in STORY_WEBHOOK_METRICS {
        match value.get(metric).and_then(Value::as_i64) {
            None => {}
            Some(-1) => values.push((metric, StoryValue::UnderFive)),
            Some(n) => match u64::try_from(n) {
                Ok(count) => values.push((metric, StoryValue::Count(count))),
                Err(_) => unreadable.push(format!(
                    "story_insights: {metric} is negative but not -1, so it means nothing"
                )),
            },
        }
    }
    values
}

/// serde's message without the values it quotes (a body is not ours to echo into logs).
fn without_values(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.find(['"', '`']) {
        Some(cut) => format!("{} …", text[..cut].trim_end()),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap()
    }

    #[test]
    fn milliseconds_and_seconds_give_the_same_instant() {
        assert_eq!(event_time(1_520_622_968), event_time(1_520_622_968_000));
    }

    #[test]
    fn an_entry_without_time_takes_the_receipt_time() {
        let body = br#"{"object":"instagram","entry":[{"id":"1","changes":[
            {"field":"mentions","value":{"media_id":"5"}}]}]}"#;
        let delivery = parse_delivery(body, now()).unwrap();
        let [Record::Mention { mention, .. }] = delivery.records.as_slice() else {
            panic!("{delivery:?}")
        };
        assert_eq!(mention.mentioned_at, Some(now()));
        assert_eq!(mention.ig_comment_id, None);
    }

    #[test]
    fn other_objects_and_fields_are_ignored_and_bad_values_unreadable() {
        let body = br#"[{"object":"page","entry":[]},
            {"object":"instagram","entry":[{"id":1,"time":5,"changes":[
              {"field":"messages","value":{}},
              {"field":"comments","value":{"id":"9","text":"hi"}},
              {"field":"story_insights","value":{"media_id":"7","reach":-3,"exits":-1}}]}]}]"#;
        let delivery = parse_delivery(body, now()).unwrap();
        assert_eq!(delivery.ignored, ["object page", "messages"]);
        assert_eq!(delivery.unreadable.len(), 2, "{:?}", delivery.unreadable);
        let [Record::StoryInsights { reading, account }] = delivery.records.as_slice() else {
            panic!("{delivery:?}")
        };
        assert_eq!(account, "1");
        assert_eq!(reading.values, [("exits", StoryValue::UnderFive)]);
    }

    #[test]
    fn errors_name_the_path_without_the_value() {
        let error = parse_delivery(
            br#"{"object":"instagram","entry":[{"id":{"x":"SECRETVALUE"}}]}"#,
            now(),
        )
        .unwrap_err();
        let text = error.to_string();
        assert!(text.contains("entry[0].id"), "{text}");
        assert!(!text.contains("SECRETVALUE"), "{text}");
        assert!(matches!(
            parse_delivery(b"{not json", now()),
            Err(PayloadError::NotJson(_))
        ));
    }
}
