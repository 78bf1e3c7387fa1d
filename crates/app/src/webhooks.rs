//! Meta webhooks for people who run a server: the verified receiver writing into this
//! profile's store, and the subscriptions that make Meta send to it.

use std::net::SocketAddr;

use insightdesk_auth::LoginKind;
use insightdesk_graph::api::AppSubscription;
use insightdesk_graph::api::subscriptions::{FACEBOOK_LOGIN_FIELDS, INSTAGRAM_LOGIN_FIELDS};
use insightdesk_secret::Sensitive;
use insightdesk_webhooks::{DeliveryStats, ServerConfig, serve};
use serde::Serialize;
use ts_rs::TS;

use crate::App;
use crate::error::AppError;

/// The subscriptions of one account, as `insightdesk webhooks list` prints them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SubscriptionView {
    pub account: String,
    /// "page" (Facebook Login, the linked Page) or "account" (Instagram Login).
    pub object: String,
    /// Each subscribed app's id with its fields.
    pub apps: Vec<(String, Vec<String>)>,
}

fn view(account: &str, object: &str, subscriptions: Vec<AppSubscription>) -> SubscriptionView {
    SubscriptionView {
        account: account.to_owned(),
        object: object.to_owned(),
        apps: subscriptions
            .into_iter()
            .map(|s| (s.id, s.subscribed_fields))
            .collect(),
    }
}

impl App {
    /// The app secrets a delivery may be signed with: Meta signs with the secret of the app
    /// that subscribed, so every app this profile holds (Facebook Login and Instagram Login,
    /// from the vault, or the demo's), and the one given (`INSIGHTDESK_APP_SECRET`) too.
    async fn webhook_secrets(
        &self,
        given: Option<Sensitive<String>>,
    ) -> Result<Vec<Sensitive<String>>, AppError> {
        let session = self.session().await?;
        let mut secrets: Vec<Sensitive<String>> = given.into_iter().collect();
        for kind in LoginKind::ALL {
            if let Some(app) = self.app_credentials(&session, kind).await?
                && !secrets.contains(&app.app_secret)
            {
                secrets.push(app.app_secret);
            }
        }
        if secrets.is_empty() {
            return Err(AppError::InvalidInput(
                "Webhook deliveries are signed with your Meta app's secret: save your app with `insightdesk login --provider facebook|instagram --app-id ID --app-secret -`, or set INSIGHTDESK_APP_SECRET.".into(),
            ));
        }
        Ok(secrets)
    }

    /// Serves Meta's webhook deliveries on `bind` until `shutdown` resolves, writing them into
    /// the open profile's store. A delivery signed by any of the profile's apps is taken.
    pub async fn serve_webhooks(
        &self,
        bind: SocketAddr,
        verify_token: Sensitive<String>,
        app_secret: Option<Sensitive<String>>,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> Result<DeliveryStats, AppError> {
        let secrets = self.webhook_secrets(app_secret).await?;
        let session = self.session().await?;
        let config = ServerConfig::for_apps(secrets, verify_token);
        Ok(serve(bind, session.store_path(), config, shutdown).await?)
    }

    /// Subscribes an account (its Page under Facebook Login, the account itself under
    /// Instagram Login) to comments, mentions and — Facebook Login only — story insights.
    pub async fn subscribe_webhooks(&self, account: &str) -> Result<SubscriptionView, AppError> {
        let session = self.session().await?;
        let access = self.account_access(&session, account).await?;
        let client = self
            .client_builder(&session, &access)
            .account(account)
            .build()?;
        let subscriptions = client.subscriptions();
        match access.kind() {
            LoginKind::Facebook => {
                let (Some(page_id), Some(page_token)) =
                    (&access.account.page_id, &access.account.page_token)
                else {
                    return Err(AppError::InvalidInput(
                        "This account's Facebook Page token is missing; sign in again to subscribe its Page.".into(),
                    ));
                };
                subscriptions
                    .subscribe_page(page_id, page_token, FACEBOOK_LOGIN_FIELDS)
                    .await?;
                Ok(view(
                    account,
                    "page",
                    subscriptions
                        .page_subscriptions(page_id, page_token)
                        .await?,
                ))
            }
            LoginKind::Instagram => {
                subscriptions
                    .subscribe_account(INSTAGRAM_LOGIN_FIELDS)
                    .await?;
                Ok(view(
                    account,
                    "account",
                    subscriptions.account_subscriptions().await?,
                ))
            }
        }
    }

    /// What an account is subscribed to.
    pub async fn webhook_subscriptions(&self, account: &str) -> Result<SubscriptionView, AppError> {
        let session = self.session().await?;
        let access = self.account_access(&session, account).await?;
        let client = self
            .client_builder(&session, &access)
            .account(account)
            .build()?;
        let subscriptions = client.subscriptions();
        match access.kind() {
            LoginKind::Facebook => {
                let (Some(page_id), Some(page_token)) =
                    (&access.account.page_id, &access.account.page_token)
                else {
                    return Ok(view(account, "page", Vec::new()));
                };
                Ok(view(
                    account,
                    "page",
                    subscriptions
                        .page_subscriptions(page_id, page_token)
                        .await?,
                ))
            }
            LoginKind::Instagram => Ok(view(
                account,
                "account",
                subscriptions.account_subscriptions().await?,
            )),
        }
    }
}
