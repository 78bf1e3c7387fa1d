//! Token endpoint answers and `debug_token`. Every token is [`Sensitive`] from the moment it
//! is parsed.

use chrono::{DateTime, Utc};
use insightdesk_secret::Sensitive;
use serde::Deserialize;

use super::de;

/// `{"access_token", "token_type", "expires_in"}`: the Facebook code exchange,
/// `fb_exchange_token`, `ig_exchange_token` and `ig_refresh_token`.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenResponse {
    #[serde(deserialize_with = "de::sensitive")]
    pub access_token: Sensitive<String>,
    #[serde(default)]
    pub token_type: Option<String>,
    /// Seconds until the token expires; absent for tokens that do not expire.
    #[serde(default)]
    pub expires_in: Option<u64>,
}

impl TokenResponse {
    /// When the token expires, counted from `now` (when the answer was received).
    pub fn expires_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        // A lifetime past chrono's range (a broken or hostile answer) is no expiry we can
        // name: `try_seconds`, as `seconds` would panic.
        let secs = i64::try_from(self.expires_in?).ok()?;
        now.checked_add_signed(chrono::Duration::try_seconds(secs)?)
    }
}

/// Instagram Login's code exchange: `{"data":[{access_token, user_id, permissions}]}` as
/// documented, or the flat `{access_token, user_id, permissions}` some clients report.
#[derive(Debug, Clone)]
pub struct IgCodeExchange {
    pub access_token: Sensitive<String>,
    pub user_id: String,
    pub permissions: Vec<String>,
}

#[derive(Deserialize)]
struct IgCodeExchangeItem {
    #[serde(deserialize_with = "de::sensitive")]
    access_token: Sensitive<String>,
    #[serde(deserialize_with = "de::id")]
    user_id: String,
    #[serde(default, deserialize_with = "de::comma_list")]
    permissions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum IgCodeExchangeShape {
    Wrapped { data: Vec<IgCodeExchangeItem> },
    Flat(IgCodeExchangeItem),
}

impl<'de> Deserialize<'de> for IgCodeExchange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let item = match IgCodeExchangeShape::deserialize(d)? {
            IgCodeExchangeShape::Flat(item) => item,
            IgCodeExchangeShape::Wrapped { data } => data.into_iter().next().ok_or_else(|| {
                serde::de::Error::custom("the code exchange answered an empty `data` list")
            })?,
        };
        Ok(IgCodeExchange {
            access_token: item.access_token,
            user_id: item.user_id,
            permissions: item.permissions,
        })
    }
}

/// `GET /debug_token?input_token=...`.
#[derive(Debug, Clone, Deserialize)]
pub struct DebugToken {
    pub data: DebugTokenData,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DebugTokenData {
    #[serde(default, deserialize_with = "de::id_opt")]
    pub app_id: Option<String>,
    #[serde(default, rename = "type")]
    pub token_type: Option<String>,
    #[serde(default)]
    pub application: Option<String>,
    /// UNIX seconds; 0 means the data access never expires.
    #[serde(default)]
    pub data_access_expires_at: Option<i64>,
    /// UNIX seconds; 0 means the token never expires.
    #[serde(default)]
    pub expires_at: Option<i64>,
    #[serde(default)]
    pub issued_at: Option<i64>,
    #[serde(default)]
    pub is_valid: bool,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub granular_scopes: Vec<GranularScope>,
    #[serde(default, deserialize_with = "de::id_opt")]
    pub user_id: Option<String>,
    /// Why the token is not valid, when it is not.
    #[serde(default)]
    pub error: Option<DebugTokenError>,
}

/// `data.error` of `debug_token` for an invalid token.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DebugTokenError {
    #[serde(default)]
    pub code: Option<i64>,
    #[serde(default)]
    pub subcode: Option<i64>,
    #[serde(default)]
    pub message: Option<String>,
}

impl DebugTokenData {
    /// When the token expires; `None` when it never does (or Meta did not say).
    pub fn expires(&self) -> Option<DateTime<Utc>> {
        self.expires_at
            .filter(|s| *s > 0)
            .and_then(|s| DateTime::from_timestamp(s, 0))
    }

    /// When Meta stops serving data to this token (the 90-day data-access window).
    pub fn data_access_expires(&self) -> Option<DateTime<Utc>> {
        self.data_access_expires_at
            .filter(|s| *s > 0)
            .and_then(|s| DateTime::from_timestamp(s, 0))
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GranularScope {
    pub scope: String,
    #[serde(default)]
    pub target_ids: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_exchange_parses_both_shapes_and_numeric_ids() {
        let wrapped: IgCodeExchange = serde_json::from_str(
            r#"{"data":[{"access_token":"T1","user_id":"42","permissions":"a,b"}]}"#,
        )
        .unwrap();
        assert_eq!(wrapped.user_id, "42");
        assert_eq!(wrapped.permissions, vec!["a", "b"]);
        let flat: IgCodeExchange = serde_json::from_str(
            r#"{"access_token":"T2","user_id":17841405793187218,"permissions":["a"]}"#,
        )
        .unwrap();
        assert_eq!(flat.user_id, "17841405793187218");
        assert_eq!(flat.access_token.expose(), "T2");
        assert!(serde_json::from_str::<IgCodeExchange>(r#"{"data":[]}"#).is_err());
    }

    #[test]
    fn debug_token_zero_means_never() {
        let t: DebugToken =
            serde_json::from_str(r#"{"data":{"is_valid":true,"expires_at":0}}"#).unwrap();
        assert_eq!(t.data.expires(), None);
        let t: DebugToken = serde_json::from_str(
            r#"{"data":{"is_valid":false,"error":{"code":190,"subcode":463,"message":"Session has expired"}}}"#,
        )
        .unwrap();
        assert_eq!(t.data.error.and_then(|e| e.subcode), Some(463));
    }
}
