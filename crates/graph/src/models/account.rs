//! Who the token belongs to: the Facebook user, their Pages, and the Instagram professional
//! account (through a Page with Facebook Login, or directly with Instagram Login).

use insightdesk_secret::Sensitive;
use serde::Deserialize;

use super::de;

/// `{"id": "..."}`, as in `instagram_business_account`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IdRef {
    #[serde(deserialize_with = "de::id")]
    pub id: String,
}

/// `GET graph.facebook.com/vNN/me` (Facebook Login).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FacebookUser {
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// One entry of `/me/accounts`: a Facebook Page the user manages. Pages without a linked
/// Instagram professional account have no `instagram_business_account`.
#[derive(Debug, Clone, Deserialize)]
pub struct PageAccount {
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// The Page token; never shown, never stored outside the keyring.
    #[serde(default, deserialize_with = "de::sensitive_opt")]
    pub access_token: Option<Sensitive<String>>,
    #[serde(default)]
    pub instagram_business_account: Option<IdRef>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub tasks: Vec<String>,
}

impl PageAccount {
    /// The Instagram user id to use for `/insights` and `/media`, if the Page has one.
    pub fn ig_user_id(&self) -> Option<&str> {
        self.instagram_business_account
            .as_ref()
            .map(|r| r.id.as_str())
    }
}

/// An Instagram professional account: `GET /{ig-user-id}?fields=...` (Facebook Login) or
/// `GET graph.instagram.com/vNN/me?fields=...` (Instagram Login). Every field but the id is
/// optional because each is only present when asked for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IgUser {
    /// With Instagram Login `/me` answers `id` (app-scoped) and `user_id`; with Facebook Login
    /// the IG user node answers `id` only.
    #[serde(default, deserialize_with = "de::id_opt")]
    pub id: Option<String>,
    /// Instagram Login's professional-account id (what webhooks send as `entry.id`).
    #[serde(default, deserialize_with = "de::id_opt")]
    pub user_id: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub account_type: Option<String>,
    #[serde(default)]
    pub biography: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub profile_picture_url: Option<String>,
    #[serde(default)]
    pub followers_count: Option<u64>,
    #[serde(default)]
    pub follows_count: Option<u64>,
    #[serde(default)]
    pub media_count: Option<u64>,
    #[serde(default, deserialize_with = "de::id_opt")]
    pub legacy_instagram_user_id: Option<String>,
    #[serde(default)]
    pub has_profile_pic: Option<bool>,
    #[serde(default)]
    pub is_published: Option<bool>,
}

impl IgUser {
    /// The id to use for this account's insights and media: `user_id` under Instagram Login,
    /// `id` under Facebook Login.
    pub fn account_id(&self) -> Option<&str> {
        self.user_id.as_deref().or(self.id.as_deref())
    }
}
