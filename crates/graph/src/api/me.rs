//! The token's own user: Facebook Login's `/me` and `/me/accounts`, Instagram Login's `/me`.

use futures::stream::BoxStream;
use reqwest::Method;

use super::comma;
use crate::client::GraphClient;
use crate::endpoints::LoginKind;
use crate::error::GraphError;
use crate::models::{FacebookUser, IgUser, Page, PageAccount};
use crate::pagination::{cursor_pages, items};

/// Instagram Login's `/me` fields: `user_id` is the professional-account id.
pub const IG_ME_FIELDS: &[&str] = &[
    "id",
    "user_id",
    "username",
    "name",
    "account_type",
    "profile_picture_url",
    "followers_count",
    "follows_count",
    "media_count",
];

/// `client.me()`.
#[derive(Debug, Clone)]
pub struct MeHandler {
    client: GraphClient,
}

impl MeHandler {
    pub(crate) fn new(client: GraphClient) -> Self {
        Self { client }
    }

    fn require(&self, login: LoginKind, what: &'static str) -> Result<(), GraphError> {
        if self.client.login() == login {
            Ok(())
        } else {
            Err(GraphError::Unsupported(what))
        }
    }

    /// Facebook Login: `GET /me?fields=id,name`.
    pub async fn facebook_user(&self) -> Result<FacebookUser, GraphError> {
        self.require(LoginKind::Facebook, "The Facebook user (/me)")?;
        let request = self
            .client
            .graph(Method::GET, "me")
            .query("fields", "id,name");
        self.client.execute(&request).await
    }

    /// Instagram Login: `GET graph.instagram.com/vNN/me?fields=...` — the professional
    /// account the token belongs to.
    pub async fn instagram_user(&self) -> Result<IgUser, GraphError> {
        self.require(LoginKind::Instagram, "The Instagram Login account (/me)")?;
        let request = self
            .client
            .graph(Method::GET, "me")
            .query("fields", comma(IG_ME_FIELDS));
        self.client.execute(&request).await
    }

    /// Facebook Login: the Pages the user manages (`/me/accounts`), each with its linked
    /// `instagram_business_account` when it has one.
    pub fn pages(&self) -> BoxStream<'static, Result<PageAccount, GraphError>> {
        let client = self.client.clone();
        if let Err(error) = self.require(LoginKind::Facebook, "The Page list (/me/accounts)") {
            return Box::pin(futures::stream::once(async move { Err(error) }));
        }
        let first = client
            .graph(Method::GET, "me/accounts")
            .query("fields", "id,name,access_token,instagram_business_account")
            .query("limit", "100");
        let pages = cursor_pages(first, move |request| {
            let client = client.clone();
            async move { client.execute::<Page<PageAccount>>(&request).await }
        });
        items(pages, usize::MAX)
    }
}
