//! Handlers per area, octocrab style: `client.user(id)`, `client.media(id)`, `client.me()`,
//! `client.oauth()`, `client.batch(...)`.

pub mod insights;
pub mod me;
pub mod media;
pub mod subscriptions;
pub mod user;

pub use insights::{InsightsAnswer, InsightsWindow, MediaInsights, UserInsights};
pub use me::MeHandler;
pub use media::MediaHandler;
pub use subscriptions::{AppSubscription, Subscriptions};
pub use user::{MediaList, UserHandler};

use crate::client::GraphClient;

impl GraphClient {
    /// An Instagram professional account (its IG user id).
    pub fn user(&self, ig_user_id: &str) -> UserHandler {
        UserHandler::new(self.clone(), ig_user_id)
    }

    /// One media object.
    pub fn media(&self, media_id: &str) -> MediaHandler {
        MediaHandler::new(self.clone(), media_id)
    }

    /// The token's own user: `/me`, `/me/accounts`.
    pub fn me(&self) -> MeHandler {
        MeHandler::new(self.clone())
    }
}

/// `a,b,c` for a `fields=` or `metric=` parameter.
pub(crate) fn comma(items: &[impl AsRef<str>]) -> String {
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(",")
}
