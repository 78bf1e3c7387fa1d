//! A grant: what one sign-in leaves behind (the token, when it dies, what it may do, which
//! Instagram accounts it reaches), the vault's record of it, and its health over time.
//!
//! ## The vault record
//!
//! A grant is stored as one vault entry named `grant.{kind}.{user_id}` whose secret is a small
//! JSON document (the only serialized form that holds a token, and it only ever lives inside
//! the vault):
//!
//! ```json
//! {"format":1,"kind":"facebook","user_id":"1019…","token":"EAAG…",
//!  "obtained_at":"2026-11-26T12:00:00Z","expires_at":"2027-01-25T12:00:00Z",
//!  "data_access_expires_at":"2027-02-24T12:00:00Z",
//!  "scopes":["instagram_basic","instagram_manage_insights","pages_show_list","pages_read_engagement"],
//!  "accounts":[{"ig_user_id":"1784…","username":"maya.bakes","page_id":"1234…",
//!               "page_name":"Maya Bakes Bread","page_token":"EAAG…"}]}
//! ```
//!
//! `user_id` is the Facebook user for Facebook Login and the professional account for
//! Instagram Login. Page tokens (Facebook Login) come from `/me/accounts` with the long-lived
//! user token and do not expire; the user token is what Graph calls use and what expires.

use chrono::{DateTime, Duration, Utc};
use insightdesk_graph::LoginKind;
use insightdesk_secret::Sensitive;
use serde::{Deserialize, Serialize};

use crate::error::AuthError;

/// The permissions Insightdesk asks for and needs, per login kind (API-FACTS (a)).
pub fn required_scopes(kind: LoginKind) -> &'static [&'static str] {
    match kind {
        LoginKind::Facebook => &[
            "instagram_basic",
            "instagram_manage_insights",
            "pages_show_list",
            "pages_read_engagement",
        ],
        LoginKind::Instagram => &[
            "instagram_business_basic",
            "instagram_business_manage_insights",
        ],
    }
}

/// The permission that lets Insightdesk read comments (for new-comment alerts); asked for but
/// not required: without it everything else works.
pub fn comments_scope(kind: LoginKind) -> &'static str {
    match kind {
        LoginKind::Facebook => "instagram_manage_comments",
        LoginKind::Instagram => "instagram_business_manage_comments",
    }
}

/// What the consent page asks for: the required permissions and the comments permission.
pub fn requested_scopes(kind: LoginKind) -> Vec<&'static str> {
    let mut scopes = required_scopes(kind).to_vec();
    scopes.push(comments_scope(kind));
    scopes
}

/// The required permissions not in `granted`, in the order [`required_scopes`] lists them.
pub fn missing_scopes(kind: LoginKind, granted: &[String]) -> Vec<String> {
    required_scopes(kind)
        .iter()
        .filter(|s| !granted.iter().any(|g| g == *s))
        .map(|s| (*s).to_owned())
        .collect()
}

/// One Instagram professional account a grant reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedAccount {
    /// The id for `/insights` and `/media`.
    pub ig_user_id: String,
    pub username: Option<String>,
    /// Facebook Login: the Page the account is linked to.
    pub page_id: Option<String>,
    pub page_name: Option<String>,
    /// Facebook Login: the Page token (no expiry), for Page-scoped calls such as webhook
    /// subscriptions.
    pub page_token: Option<Sensitive<String>>,
}

/// The token of one sign-in and everything known about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub kind: LoginKind,
    /// The Facebook user (Facebook Login) or the professional account (Instagram Login).
    pub user_id: String,
    /// The long-lived user token (Facebook Login) or Instagram token.
    pub token: Sensitive<String>,
    /// When this token was issued (or last refreshed): Instagram's 24-hour rule counts from here.
    pub obtained_at: DateTime<Utc>,
    /// `None` when Meta says the token never expires.
    pub expires_at: Option<DateTime<Utc>>,
    /// Facebook Login: when Meta stops serving data to this token (90 days after consent).
    pub data_access_expires_at: Option<DateTime<Utc>>,
    pub scopes: Vec<String>,
    pub accounts: Vec<LinkedAccount>,
}

/// What the UI and the CLI may show about a stored account: no token in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountSummary {
    pub ig_user_id: String,
    pub username: Option<String>,
    pub kind: LoginKind,
    pub page_id: Option<String>,
    pub page_name: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub scopes: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct AccountRecord {
    ig_user_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    page_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    page_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    page_token: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct GrantRecord {
    format: u32,
    kind: LoginKind,
    user_id: String,
    token: String,
    obtained_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    data_access_expires_at: Option<DateTime<Utc>>,
    scopes: Vec<String>,
    accounts: Vec<AccountRecord>,
}

const RECORD_FORMAT: u32 = 1;

impl Grant {
    /// The vault entry name of this grant.
    pub fn vault_name(&self) -> String {
        grant_name(self.kind, &self.user_id)
    }

    /// The vault record: JSON, wrapped so it is never printed.
    pub fn to_record(&self) -> Sensitive<String> {
        let record = GrantRecord {
            format: RECORD_FORMAT,
            kind: self.kind,
            user_id: self.user_id.clone(),
            token: self.token.expose().clone(),
            obtained_at: self.obtained_at,
            expires_at: self.expires_at,
            data_access_expires_at: self.data_access_expires_at,
            scopes: self.scopes.clone(),
            accounts: self
                .accounts
                .iter()
                .map(|a| AccountRecord {
                    ig_user_id: a.ig_user_id.clone(),
                    username: a.username.clone(),
                    page_id: a.page_id.clone(),
                    page_name: a.page_name.clone(),
                    page_token: a.page_token.as_ref().map(|t| t.expose().clone()),
                })
                .collect(),
        };
        // Serializing plain strings and dates cannot fail.
        Sensitive::new(serde_json::to_string(&record).unwrap_or_default())
    }

    /// Reads a vault record. The error names the entry, never its content.
    pub fn from_record(name: &str, record: &Sensitive<String>) -> Result<Grant, AuthError> {
        let damaged = |reason: String| AuthError::VaultRecord {
            name: name.to_owned(),
            reason,
        };
        let record: GrantRecord = serde_json::from_str(record.expose()).map_err(|e| {
            // serde's message may quote the offending value; keep only where it failed.
            damaged(format!(
                "unreadable at line {} column {}",
                e.line(),
                e.column()
            ))
        })?;
        if record.format != RECORD_FORMAT {
            return Err(damaged(format!("unknown format {}", record.format)));
        }
        Ok(Grant {
            kind: record.kind,
            user_id: record.user_id,
            token: Sensitive::new(record.token),
            obtained_at: record.obtained_at,
            expires_at: record.expires_at,
            data_access_expires_at: record.data_access_expires_at,
            scopes: record.scopes,
            accounts: record
                .accounts
                .into_iter()
                .map(|a| LinkedAccount {
                    ig_user_id: a.ig_user_id,
                    username: a.username,
                    page_id: a.page_id,
                    page_name: a.page_name,
                    page_token: a.page_token.map(Sensitive::new),
                })
                .collect(),
        })
    }

    pub fn summaries(&self) -> Vec<AccountSummary> {
        self.accounts
            .iter()
            .map(|a| AccountSummary {
                ig_user_id: a.ig_user_id.clone(),
                username: a.username.clone(),
                kind: self.kind,
                page_id: a.page_id.clone(),
                page_name: a.page_name.clone(),
                expires_at: self.expires_at,
                scopes: self.scopes.clone(),
            })
            .collect()
    }

    pub fn has_account(&self, ig_user_id: &str) -> bool {
        self.accounts.iter().any(|a| a.ig_user_id == ig_user_id)
    }
}

/// The vault entry name of a grant.
pub fn grant_name(kind: LoginKind, user_id: &str) -> String {
    format!("grant.{}.{user_id}", kind.as_str())
}

/// How soon before expiry a token that cannot be refreshed (any more) raises a warning.
pub const WARN_BEFORE_EXPIRY: Duration = Duration::days(7);
/// Instagram refuses to refresh a token younger than this.
pub const MIN_REFRESH_AGE: Duration = Duration::hours(24);
/// Instagram Login tokens are refreshed once they are this old…
pub const REFRESH_AFTER: Duration = Duration::days(7);
/// …or, whatever their age, once they expire within this.
pub const REFRESH_WITHIN: Duration = Duration::days(20);

/// What a stored token needs, at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TokenHealth {
    /// Nothing to do.
    Fine,
    /// Instagram Login: refresh it now (the sync does, quietly).
    RefreshDue,
    /// It dies in `days` days (rounded up: 1 means within a day) and no refresh will save it: warn the user to
    /// sign in again. Facebook Login tokens always end here 7 days before expiry; Instagram
    /// Login tokens only if their refreshes kept failing.
    ExpiresSoon { days: i64 },
    /// It no longer works: sign in again.
    Expired,
}

/// The health of a grant's token at `now`. Pure.
///
/// Policy (Instagram Login): refresh when the token is at least 24 hours old (Meta's rule) and
/// either a week old or within 20 days of expiry. Refreshing weekly keeps a token that is used
/// at least every ~50 days alive for ever, and asks Meta for at most one refresh a week.
pub fn token_health(grant: &Grant, now: DateTime<Utc>) -> TokenHealth {
    let Some(expires_at) = grant.expires_at else {
        return TokenHealth::Fine;
    };
    if now >= expires_at {
        return TokenHealth::Expired;
    }
    let left = expires_at - now;
    if left <= WARN_BEFORE_EXPIRY {
        return TokenHealth::ExpiresSoon {
            days: (left.num_seconds() + 86_399) / 86_400,
        };
    }
    if grant.kind == LoginKind::Instagram && refresh_due(grant, now) {
        return TokenHealth::RefreshDue;
    }
    TokenHealth::Fine
}

/// Whether the refresh policy of [`token_health`] says refresh now (Instagram Login only).
pub fn refresh_due(grant: &Grant, now: DateTime<Utc>) -> bool {
    if grant.kind != LoginKind::Instagram {
        return false;
    }
    if grant.expires_at.is_some_and(|at| at <= now) {
        return false;
    }
    let age = now - grant.obtained_at;
    let expiring = grant
        .expires_at
        .is_some_and(|at| at > now && at - now <= REFRESH_WITHIN);
    age >= MIN_REFRESH_AGE && (age >= REFRESH_AFTER || expiring)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn grant(kind: LoginKind, obtained: &str, expires: Option<&str>) -> Grant {
        Grant {
            kind,
            user_id: "u".into(),
            token: Sensitive::new("CANARYtokenGrant1".into()),
            obtained_at: at(obtained),
            expires_at: expires.map(at),
            data_access_expires_at: None,
            scopes: vec!["a".into()],
            accounts: vec![LinkedAccount {
                ig_user_id: "17841".into(),
                username: Some("maya".into()),
                page_id: Some("p".into()),
                page_name: None,
                page_token: Some(Sensitive::new("CANARYpageToken1".into())),
            }],
        }
    }

    #[test]
    fn records_round_trip_and_debug_hides_tokens() {
        let g = grant(
            LoginKind::Facebook,
            "2026-11-26T12:00:00Z",
            Some("2027-01-25T12:00:00Z"),
        );
        let record = g.to_record();
        assert!(record.expose().contains("\"format\":1"));
        assert_eq!(Grant::from_record("x", &record).unwrap(), g);
        let shown = format!(
            "{g:?} {record:?} {}",
            serde_json::to_string(&g.summaries()).unwrap()
        );
        assert!(!shown.contains("CANARY"), "{shown}");
        let damaged =
            Grant::from_record("grant.x", &Sensitive::new("{\"token\":\"CANARYx\"".into()))
                .unwrap_err()
                .to_string();
        assert!(
            !damaged.contains("CANARY") && damaged.contains("grant.x"),
            "{damaged}"
        );
    }

    #[test]
    fn facebook_tokens_warn_a_week_before_they_die() {
        let g = grant(
            LoginKind::Facebook,
            "2026-11-26T12:00:00Z",
            Some("2027-01-25T12:00:00Z"),
        );
        assert_eq!(
            token_health(&g, at("2027-01-10T12:00:00Z")),
            TokenHealth::Fine
        );
        assert_eq!(
            token_health(&g, at("2027-01-18T11:00:00Z")),
            TokenHealth::Fine
        );
        assert_eq!(
            token_health(&g, at("2027-01-18T13:00:00Z")),
            TokenHealth::ExpiresSoon { days: 7 }
        );
        assert_eq!(
            token_health(&g, at("2027-01-25T11:00:00Z")),
            TokenHealth::ExpiresSoon { days: 1 }
        );
        assert_eq!(
            token_health(&g, at("2027-01-25T12:00:00Z")),
            TokenHealth::Expired
        );
        let never = grant(LoginKind::Facebook, "2026-11-26T12:00:00Z", None);
        assert_eq!(
            token_health(&never, at("2030-01-01T00:00:00Z")),
            TokenHealth::Fine
        );
    }

    #[test]
    fn instagram_tokens_refresh_after_a_week_or_near_expiry_never_before_a_day() {
        let g = grant(
            LoginKind::Instagram,
            "2026-11-26T12:00:00Z",
            Some("2027-01-25T12:00:00Z"),
        );
        assert_eq!(
            token_health(&g, at("2026-11-27T11:00:00Z")),
            TokenHealth::Fine
        );
        assert_eq!(
            token_health(&g, at("2026-11-30T12:00:00Z")),
            TokenHealth::Fine
        );
        assert_eq!(
            token_health(&g, at("2026-12-03T12:00:00Z")),
            TokenHealth::RefreshDue
        );
        let short = grant(
            LoginKind::Instagram,
            "2026-11-26T12:00:00Z",
            Some("2026-12-10T12:00:00Z"),
        );
        assert!(
            !refresh_due(&short, at("2026-11-27T11:59:00Z")),
            "under 24 h"
        );
        assert!(
            refresh_due(&short, at("2026-11-27T12:00:00Z")),
            "within 20 days"
        );
        assert_eq!(
            token_health(&short, at("2026-12-05T12:00:00Z")),
            TokenHealth::ExpiresSoon { days: 5 }
        );
        assert!(!refresh_due(&short, at("2026-12-11T00:00:00Z")), "expired");
    }

    #[test]
    fn missing_scopes_are_named_in_order() {
        let granted = vec!["instagram_basic".to_owned(), "pages_show_list".to_owned()];
        assert_eq!(
            missing_scopes(LoginKind::Facebook, &granted),
            ["instagram_manage_insights", "pages_read_engagement"]
        );
        assert!(
            missing_scopes(
                LoginKind::Instagram,
                &[
                    "instagram_business_basic".into(),
                    "instagram_business_manage_insights".into()
                ]
            )
            .is_empty()
        );
    }
}
