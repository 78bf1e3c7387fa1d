//! Webhook payloads Meta POSTs to a subscribed server:
//! `{"object":"instagram","entry":[{"id","time","changes":[{"field","value"}]}]}`.
//! The `value` is typed once its `field` is known ([`Change::typed`]).

use serde::Deserialize;

use super::de;
use super::media::Comment;

#[derive(Debug, Clone, Deserialize)]
pub struct Envelope {
    pub object: String,
    #[serde(default)]
    pub entry: Vec<Entry>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    /// The Instagram professional account the event is about.
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    #[serde(default)]
    pub time: Option<i64>,
    #[serde(default)]
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Change {
    pub field: String,
    pub value: serde_json::Value,
}

/// A change's value, typed by its field.
#[derive(Debug, Clone)]
pub enum ChangeValue {
    Comment(Box<Comment>),
    Mention(Mention),
    StoryInsights(StoryInsights),
    /// A field this client does not type (messaging and the like).
    Other(serde_json::Value),
}

impl Change {
    pub fn typed(&self) -> Result<ChangeValue, serde_json::Error> {
        Ok(match self.field.as_str() {
            "comments" | "live_comments" => {
                ChangeValue::Comment(Box::new(serde_json::from_value(self.value.clone())?))
            }
            "mentions" => ChangeValue::Mention(serde_json::from_value(self.value.clone())?),
            "story_insights" => {
                ChangeValue::StoryInsights(serde_json::from_value(self.value.clone())?)
            }
            _ => ChangeValue::Other(self.value.clone()),
        })
    }
}

/// `mentions`: fetch the content through `mentioned_media` / `mentioned_comment`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Mention {
    #[serde(deserialize_with = "de::id")]
    pub media_id: String,
    #[serde(default, deserialize_with = "de::id_opt")]
    pub comment_id: Option<String>,
}

/// `story_insights` (Facebook Login only), sent about an hour after a story expires. It
/// still uses the old metric names; values below 5 arrive as `-1`, which is "too few to
/// show", so they are read as `None`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StoryInsights {
    #[serde(deserialize_with = "de::id")]
    pub media_id: String,
    #[serde(default, deserialize_with = "suppressed")]
    pub impressions: Option<u64>,
    #[serde(default, deserialize_with = "suppressed")]
    pub reach: Option<u64>,
    #[serde(default, deserialize_with = "suppressed")]
    pub taps_forward: Option<u64>,
    #[serde(default, deserialize_with = "suppressed")]
    pub taps_back: Option<u64>,
    #[serde(default, deserialize_with = "suppressed")]
    pub exits: Option<u64>,
    #[serde(default, deserialize_with = "suppressed")]
    pub replies: Option<u64>,
}

fn suppressed<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(Option::<i64>::deserialize(d)?.and_then(|v| u64::try_from(v).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minus_one_is_suppressed() {
        let s: StoryInsights =
            serde_json::from_str(r#"{"media_id":"1","reach":-1,"replies":0}"#).unwrap();
        assert_eq!(s.reach, None);
        assert_eq!(s.replies, Some(0));
    }
}
