//! Webhook subscriptions: which of an account's events Meta POSTs to the app's webhook server.
//!
//! - Facebook Login: the app subscribes to the account's **Page**,
//!   `POST /{page-id}/subscribed_apps?subscribed_fields=…`, authorised by the *Page* token
//!   (`/me/accounts` hands it out; a user token is refused with code 210).
//! - Instagram Login: the app subscribes to the **account itself**,
//!   `POST graph.instagram.com/me/subscribed_apps?subscribed_fields=…` with the account's token.
//!
//! `story_insights` exists for Facebook Login only (API-FACTS (h)), so asking for it on an
//! Instagram Login client is refused here before any call is spent.
//!
//! Subscribing is additive on Meta's side (fields already subscribed stay), and asking again
//! for the same fields changes nothing, so it is safe to run on every start of a server.

use insightdesk_secret::Sensitive;
use reqwest::Method;
use serde::Deserialize;

use super::comma;
use crate::client::{Auth, GraphClient};
use crate::endpoints::LoginKind;
use crate::error::GraphError;
use crate::models::Page;

/// The fields Insightdesk's webhook server stores, for a Facebook Login account.
pub const FACEBOOK_LOGIN_FIELDS: &[&str] = &["comments", "mentions", "story_insights"];

/// The fields Insightdesk's webhook server stores, for an Instagram Login account (no
/// `story_insights`: Meta does not send it to Instagram Login apps).
pub const INSTAGRAM_LOGIN_FIELDS: &[&str] = &["comments", "mentions"];

/// One app subscribed to a Page or account, as `GET …/subscribed_apps` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AppSubscription {
    /// The app's id.
    #[serde(deserialize_with = "crate::models::de::id")]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub subscribed_fields: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Success {
    #[serde(default)]
    success: bool,
}

/// `client.subscriptions()`.
#[derive(Debug, Clone)]
pub struct Subscriptions {
    client: GraphClient,
}

impl GraphClient {
    /// Webhook subscriptions of the client's login kind.
    pub fn subscriptions(&self) -> Subscriptions {
        Subscriptions {
            client: self.clone(),
        }
    }
}

impl Subscriptions {
    fn require(&self, login: LoginKind, what: &'static str) -> Result<(), GraphError> {
        if self.client.login() == login {
            Ok(())
        } else {
            Err(GraphError::Unsupported(what))
        }
    }

    /// Facebook Login: subscribes the app to `fields` of the Page linked to the account.
    /// Returns Meta's `success`.
    pub async fn subscribe_page(
        &self,
        page_id: &str,
        page_token: &Sensitive<String>,
        fields: &[&str],
    ) -> Result<bool, GraphError> {
        self.require(LoginKind::Facebook, "Page webhook subscriptions")?;
        let request = self
            .client
            .graph(Method::POST, &format!("{page_id}/subscribed_apps"))
            .auth(Auth::Token(page_token.clone()))
            .query("subscribed_fields", comma(fields));
        let answer: Success = self.client.execute(&request).await?;
        Ok(answer.success)
    }

    /// Facebook Login: the apps subscribed to the Page and their fields.
    pub async fn page_subscriptions(
        &self,
        page_id: &str,
        page_token: &Sensitive<String>,
    ) -> Result<Vec<AppSubscription>, GraphError> {
        self.require(LoginKind::Facebook, "Page webhook subscriptions")?;
        let request = self
            .client
            .graph(Method::GET, &format!("{page_id}/subscribed_apps"))
            .auth(Auth::Token(page_token.clone()));
        let page: Page<AppSubscription> = self.client.execute(&request).await?;
        Ok(page.data)
    }

    /// Instagram Login: subscribes the app to `fields` of the token's own account
    /// (`POST graph.instagram.com/me/subscribed_apps`). Returns Meta's `success`.
    pub async fn subscribe_account(&self, fields: &[&str]) -> Result<bool, GraphError> {
        self.require(LoginKind::Instagram, "Account webhook subscriptions")?;
        if fields.contains(&"story_insights") {
            return Err(GraphError::Unsupported(
                "The story_insights webhook (Meta sends it to Facebook Login apps only)",
            ));
        }
        let request = self
            .client
            .graph(Method::POST, "me/subscribed_apps")
            .query("subscribed_fields", comma(fields));
        let answer: Success = self.client.execute(&request).await?;
        Ok(answer.success)
    }

    /// Instagram Login: the apps subscribed to the token's own account and their fields.
    pub async fn account_subscriptions(&self) -> Result<Vec<AppSubscription>, GraphError> {
        self.require(LoginKind::Instagram, "Account webhook subscriptions")?;
        let request = self.client.graph(Method::GET, "me/subscribed_apps");
        let page: Page<AppSubscription> = self.client.execute(&request).await?;
        Ok(page.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_reads_ids_as_strings_or_numbers() {
        let page: Page<AppSubscription> = serde_json::from_str(
            r#"{"data":[{"id":1234,"name":"Insightdesk","subscribed_fields":["comments"]}]}"#,
        )
        .unwrap();
        assert_eq!(page.data[0].id, "1234");
        assert_eq!(page.data[0].subscribed_fields, ["comments"]);
    }
}
