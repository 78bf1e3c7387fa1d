//! Typed shapes of Meta's responses. Every body is parsed through
//! [`parse_json`](crate::parse::parse_json), so a renamed or retyped field names its JSON path.
//!
//! The models are lenient where Meta is known to vary (optional fields, ids as strings or
//! numbers, enum values added later) and strict where a change would mean we misread numbers.

pub mod account;
pub mod insights;
pub mod media;
pub mod paging;
pub mod token;
pub mod webhook;

pub use account::{FacebookUser, IdRef, IgUser, PageAccount};
pub use insights::{
    Breakdown, BreakdownResult, InsightMetric, InsightValue, Insights, MetricValue, TotalValue,
};
pub use media::{
    Comment, CommentAuthor, CommentMedia, Media, MediaProductType, MediaType, MentionedComment,
    MentionedMedia,
};
pub use paging::{Cursors, Page, Paging, Summary};
pub use token::{
    DebugToken, DebugTokenData, DebugTokenError, GranularScope, IgCodeExchange, TokenResponse,
};

/// Serde helpers for Meta's value formats.
pub(crate) mod de {
    use chrono::{DateTime, Utc};
    use insightdesk_secret::Sensitive;
    use serde::{Deserialize, Deserializer, de};

    /// Meta's timestamps: `2017-05-04T07:00:00+0000` (no colon in the offset); RFC 3339 is
    /// accepted too.
    pub fn parse_meta_time(text: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z")
            .or_else(|_| DateTime::parse_from_rfc3339(text))
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    pub fn meta_time_opt<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) => parse_meta_time(&text).map(Some).ok_or_else(|| {
                de::Error::custom(format!(
                    "`{text}` is not a timestamp like 2024-01-15T07:00:00+0000"
                ))
            }),
        }
    }

    /// An id Meta sends as a string in one place and as a number in another (`user_id`).
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum StringOrNumber {
        Text(String),
        Int(i64),
        Unsigned(u64),
    }

    impl StringOrNumber {
        fn into_string(self) -> String {
            match self {
                StringOrNumber::Text(s) => s,
                StringOrNumber::Int(n) => n.to_string(),
                StringOrNumber::Unsigned(n) => n.to_string(),
            }
        }
    }

    pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        StringOrNumber::deserialize(d).map(StringOrNumber::into_string)
    }

    pub fn id_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Option::<StringOrNumber>::deserialize(d).map(|v| v.map(StringOrNumber::into_string))
    }

    /// A token in a response body: kept as [`Sensitive`] from the moment it is read.
    pub fn sensitive<'de, D: Deserializer<'de>>(d: D) -> Result<Sensitive<String>, D::Error> {
        String::deserialize(d).map(Sensitive::new)
    }

    pub fn sensitive_opt<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Sensitive<String>>, D::Error> {
        Option::<String>::deserialize(d).map(|v| v.map(Sensitive::new))
    }

    /// A list Meta sends either as a JSON array or as one comma-separated string
    /// (`permissions` in Instagram Login's code exchange).
    pub fn comma_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum ListOrText {
            List(Vec<String>),
            Text(String),
        }
        Ok(match Option::<ListOrText>::deserialize(d)? {
            None => Vec::new(),
            Some(ListOrText::List(items)) => items,
            Some(ListOrText::Text(text)) => text
                .split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }
}

/// An enum over the names Meta documents, keeping names it adds later instead of failing.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of Insightdesk does not know yet.
            Other(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Other(text) => text,
                }
            }

            /// Case-insensitive, so `reels` and `REELS` are the same value.
            pub fn parse(text: &str) -> Self {
                $(if text.eq_ignore_ascii_case($text) { return $name::$variant; })+
                $name::Other(text.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(d)?;
                Ok($name::parse(&text))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use open_enum;
