//! Apps, users, Pages and the tokens the sandbox issues.
//!
//! Tokens are self-describing: the claims (login kind, user, scopes, granted assets, issue and
//! expiry times) are packed and signed with a key derived from the seed, then written in base62
//! behind Meta's prefixes (`EAA…` for Facebook Login, `IGAA…` for Instagram Login). A token issued
//! by one run of the sandbox therefore still works after the demo restarts it with the same seed.
//! What changes after issue (revocations, expiry forced by a fault) is kept in memory.

use crate::prng::{base62_decode, base62_encode, mix};
use chrono::{DateTime, Duration, TimeZone, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use std::collections::HashMap;

/// Which of Meta's two logins a token, app or code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginKind {
    Facebook,
    Instagram,
}

/// Every permission the sandbox knows; the bit index is the position here.
pub(crate) const SCOPES: [&str; 20] = [
    "public_profile",
    "email",
    "pages_show_list",
    "pages_read_engagement",
    "instagram_basic",
    "instagram_manage_insights",
    "instagram_manage_comments",
    "business_management",
    "ads_read",
    "ads_management",
    "pages_manage_metadata",
    "instagram_content_publish",
    "read_insights",
    "pages_read_user_content",
    "instagram_manage_messages",
    "instagram_business_basic",
    "instagram_business_manage_insights",
    "instagram_business_manage_comments",
    "instagram_business_manage_messages",
    "instagram_business_content_publish",
];

/// Instagram Login's old scope names, accepted until 27 Jan 2025.
pub(crate) const LEGACY_IG_SCOPES: [(&str, &str); 5] = [
    ("business_basic", "instagram_business_basic"),
    (
        "business_manage_insights",
        "instagram_business_manage_insights",
    ),
    (
        "business_manage_comments",
        "instagram_business_manage_comments",
    ),
    (
        "business_manage_messages",
        "instagram_business_manage_messages",
    ),
    (
        "business_content_publish",
        "instagram_business_content_publish",
    ),
];

pub(crate) fn scope_bit(name: &str) -> Option<u32> {
    SCOPES.iter().position(|s| *s == name).map(|i| 1u32 << i)
}

pub(crate) fn scope_is_for(name: &str, login: LoginKind) -> bool {
    let instagram = name.starts_with("instagram_business_");
    scope_bit(name).is_some() && (instagram == (login == LoginKind::Instagram))
}

pub(crate) fn scope_names(mask: u32) -> Vec<String> {
    SCOPES
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, s)| s.to_string())
        .collect()
}

pub(crate) fn scope_mask<'a>(names: impl IntoIterator<Item = &'a str>) -> u32 {
    names
        .into_iter()
        .filter_map(scope_bit)
        .fold(0, |acc, bit| acc | bit)
}

/// An app registered with the sandbox (one per login kind, like a Meta app's two ids).
#[derive(Debug, Clone)]
pub(crate) struct AppInfo {
    pub(crate) login: LoginKind,
    pub(crate) id: String,
    pub(crate) secret: String,
    pub(crate) name: String,
}

#[derive(Debug, Clone)]
pub(crate) struct PageInfo {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) category: &'static str,
    pub(crate) category_id: &'static str,
    /// The index of the linked Instagram professional account, if any.
    pub(crate) linked: Option<usize>,
}

/// Who exists on the simulated platform besides the accounts' content.
#[derive(Debug, Clone)]
pub(crate) struct Identities {
    pub(crate) facebook_app: AppInfo,
    pub(crate) instagram_app: AppInfo,
    pub(crate) fb_user_id: String,
    pub(crate) fb_user_name: String,
    pub(crate) pages: Vec<PageInfo>,
    key: [u8; 32],
}

impl Identities {
    pub(crate) fn new(seed: u64) -> Identities {
        let hex32 = |salt: u64| {
            format!(
                "{:016x}{:016x}",
                mix(&[seed, salt, 1]),
                mix(&[seed, salt, 2])
            )
        };
        let mut key = [0u8; 32];
        for (i, chunk) in key.chunks_mut(8).enumerate() {
            chunk.copy_from_slice(&mix(&[seed, 0x7E1, i as u64]).to_be_bytes());
        }
        let page_id = |salt: u64| {
            format!(
                "{}",
                100_000_000_000_000 + mix(&[seed, salt]) % 900_000_000_000_000
            )
        };
        Identities {
            facebook_app: AppInfo {
                login: LoginKind::Facebook,
                id: format!(
                    "{}",
                    1_000_000_000_000_000 + mix(&[seed, 0xFA]) % 900_000_000_000_000
                ),
                secret: hex32(0xFA5),
                name: "Insightdesk Sandbox".into(),
            },
            instagram_app: AppInfo {
                login: LoginKind::Instagram,
                id: format!(
                    "{}",
                    1_000_000_000_000_000 + mix(&[seed, 0x16]) % 900_000_000_000_000
                ),
                secret: hex32(0x165),
                name: "Insightdesk Sandbox-IG".into(),
            },
            fb_user_id: format!(
                "{}",
                10_000_000_000_000_000 + mix(&[seed, 0x05E]) % 9_000_000_000_000_000
            ),
            fb_user_name: "Maya Okafor".into(),
            pages: vec![
                PageInfo {
                    id: page_id(0xBA1),
                    name: "Maya Bakes Bread".into(),
                    category: "Bakery",
                    category_id: "197873800225236",
                    linked: Some(0),
                },
                PageInfo {
                    id: page_id(0xBA2),
                    name: "Tiny Pottery Studio".into(),
                    category: "Arts & Crafts Store",
                    category_id: "2250",
                    linked: Some(1),
                },
                PageInfo {
                    id: page_id(0xBA3),
                    name: "Maya's Supper Club".into(),
                    category: "Community",
                    category_id: "2612",
                    linked: None,
                },
            ],
            key,
        }
    }

    pub(crate) fn app(&self, login: LoginKind) -> &AppInfo {
        match login {
            LoginKind::Facebook => &self.facebook_app,
            LoginKind::Instagram => &self.instagram_app,
        }
    }

    pub(crate) fn app_by_id(&self, id: &str) -> Option<&AppInfo> {
        [&self.facebook_app, &self.instagram_app]
            .into_iter()
            .find(|a| a.id == id)
    }

    pub(crate) fn page(&self, id: &str) -> Option<(usize, &PageInfo)> {
        self.pages.iter().enumerate().find(|(_, p)| p.id == id)
    }

    pub(crate) fn encode(&self, claims: &Claims) -> String {
        let mut payload = Vec::with_capacity(40);
        payload.push(1u8);
        payload.push(match claims.kind {
            TokenKind::User => 1,
            TokenKind::Page => 2,
        });
        payload.push(match claims.login {
            LoginKind::Facebook => 1,
            LoginKind::Instagram => 2,
        });
        payload.push(claims.subject);
        payload.extend_from_slice(&claims.scopes.to_be_bytes());
        payload.extend_from_slice(&claims.assets.to_be_bytes());
        payload.push(u8::from(claims.long_lived));
        payload.extend_from_slice(&claims.issued_at.timestamp().to_be_bytes());
        payload.extend_from_slice(
            &claims
                .expires_at
                .map(|t| t.timestamp())
                .unwrap_or(0)
                .to_be_bytes(),
        );
        payload.extend_from_slice(&claims.nonce.to_be_bytes());
        let tag = self.mac(&payload);
        // The tag goes first and masks the claims, so tokens look random like Meta's.
        let mut masked = tag.to_vec();
        masked.extend(payload.iter().zip(self.keystream(&tag)).map(|(b, k)| b ^ k));
        // Three whole base62 blocks: no run of padding zeros in the text.
        masked.extend(self.keystream(&tag).iter().skip(24).take(45 - masked.len()));
        let payload = masked;
        let prefix = match claims.login {
            LoginKind::Facebook => "EAAG",
            LoginKind::Instagram => "IGAA",
        };
        format!("{prefix}{}", base62_encode(&payload))
    }

    /// `None` for anything this sandbox (with this seed) did not issue.
    pub(crate) fn decode(&self, token: &str) -> Option<Claims> {
        let body = token
            .strip_prefix("EAAG")
            .or_else(|| token.strip_prefix("IGAA"))?;
        let bytes = base62_decode(body)?;
        if bytes.len() != 45 {
            return None;
        }
        let bytes = &bytes[..39];
        let (tag, masked) = bytes.split_at(8);
        let unmasked: Vec<u8> = masked
            .iter()
            .zip(self.keystream(tag))
            .map(|(b, k)| b ^ k)
            .collect();
        let payload = unmasked.as_slice();
        if self.mac(payload) != tag {
            return None;
        }
        let u32_at = |i: usize| {
            payload
                .get(i..i + 4)
                .and_then(|b| b.try_into().ok())
                .map(u32::from_be_bytes)
        };
        let i64_at = |i: usize| {
            payload
                .get(i..i + 8)
                .and_then(|b| b.try_into().ok())
                .map(i64::from_be_bytes)
        };
        let kind = match payload[1] {
            1 => TokenKind::User,
            2 => TokenKind::Page,
            _ => return None,
        };
        let login = match payload[2] {
            1 => LoginKind::Facebook,
            2 => LoginKind::Instagram,
            _ => return None,
        };
        let expires = i64_at(19)?;
        Some(Claims {
            kind,
            login,
            subject: payload[3],
            scopes: u32_at(4)?,
            assets: u16::from_be_bytes([payload[8], payload[9]]),
            long_lived: payload[10] == 1,
            issued_at: Utc.timestamp_opt(i64_at(11)?, 0).single()?,
            expires_at: if expires == 0 {
                None
            } else {
                Utc.timestamp_opt(expires, 0).single()
            },
            nonce: u32_at(27)?,
        })
    }

    fn keystream(&self, tag: &[u8]) -> Vec<u8> {
        let seed = tag.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        (0..4u64)
            .flat_map(|i| mix(&[seed, i, u64::from(self.key[0])]).to_be_bytes())
            .collect()
    }

    fn mac(&self, payload: &[u8]) -> [u8; 8] {
        let mut tag = [0u8; 8];
        if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) {
            mac.update(payload);
            tag.copy_from_slice(&mac.finalize().into_bytes()[..8]);
        }
        tag
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    User,
    Page,
}

/// What a token says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Claims {
    pub(crate) kind: TokenKind,
    pub(crate) login: LoginKind,
    /// Facebook user tokens: 0; Page tokens: the Page's index; Instagram tokens: the account index.
    pub(crate) subject: u8,
    pub(crate) scopes: u32,
    /// Granted Pages (Facebook Login) or accounts (Instagram Login), one bit each.
    pub(crate) assets: u16,
    pub(crate) long_lived: bool,
    pub(crate) issued_at: DateTime<Utc>,
    pub(crate) expires_at: Option<DateTime<Utc>>,
    pub(crate) nonce: u32,
}

impl Claims {
    pub(crate) fn has_asset(&self, index: usize) -> bool {
        index < 16 && self.assets & (1 << index) != 0
    }
}

/// Short-lived Facebook user tokens last about 1.5 hours; Instagram's one hour.
pub(crate) fn short_lived(login: LoginKind) -> Duration {
    match login {
        LoginKind::Facebook => Duration::seconds(5_400),
        LoginKind::Instagram => Duration::seconds(3_600),
    }
}

/// Meta's long-lived lifetime as the token endpoints report it (`expires_in: 5183944`).
pub(crate) const LONG_LIVED_SECONDS: i64 = 5_183_944;

/// Why a token stopped working before its expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Revocation {
    /// DELETE /me/permissions: error 190/458.
    Deauthorized,
    /// Password changed: error 190/460.
    SessionInvalidated,
    /// A fault forced expiry: error 190/463.
    Expired,
}

/// In-memory token state: what happened to tokens and users after issue.
#[derive(Debug, Default)]
pub(crate) struct TokenState {
    /// Per token: revoked or force-expired at an instant.
    pub(crate) per_token: HashMap<String, (Revocation, DateTime<Utc>)>,
    /// Per (login, subject): every token issued before the instant is dead for this reason.
    pub(crate) per_user: HashMap<(LoginKind, u8), (Revocation, DateTime<Utc>)>,
    /// Per (login, subject): scopes removed one by one with DELETE /me/permissions/{name}.
    pub(crate) removed_scopes: HashMap<(LoginKind, u8), u32>,
    /// Authorization codes waiting to be exchanged.
    pub(crate) codes: HashMap<String, CodeRecord>,
    pub(crate) issued: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct CodeRecord {
    pub(crate) login: LoginKind,
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) scopes: u32,
    pub(crate) assets: u16,
    pub(crate) subject: u8,
    pub(crate) issued_at: DateTime<Utc>,
    pub(crate) used: bool,
}

/// A token that passed every check, with the app it belongs to.
#[derive(Debug, Clone)]
pub(crate) struct Authorized {
    pub(crate) token: String,
    pub(crate) claims: Claims,
    pub(crate) app_id: String,
    pub(crate) app_secret: String,
}

impl TokenState {
    /// The effective state of a decoded token at `now`: `Err` with why it no longer works.
    pub(crate) fn check(
        &self,
        token: &str,
        claims: &Claims,
        now: DateTime<Utc>,
    ) -> Result<u32, (Revocation, DateTime<Utc>)> {
        if let Some((reason, at)) = self.per_token.get(token) {
            return Err((*reason, *at));
        }
        let owner = match claims.kind {
            TokenKind::User => (claims.login, claims.subject),
            TokenKind::Page => (claims.login, 0),
        };
        if let Some((reason, at)) = self.per_user.get(&owner)
            && claims.issued_at <= *at
        {
            return Err((*reason, *at));
        }
        if let Some(expiry) = claims.expires_at
            && now >= expiry
        {
            return Err((Revocation::Expired, expiry));
        }
        let removed = self.removed_scopes.get(&owner).copied().unwrap_or(0);
        Ok(claims.scopes & !removed)
    }
}
