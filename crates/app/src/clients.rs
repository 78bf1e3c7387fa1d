//! Graph clients for a connected account: its token, the app secret when it is at hand (for
//! `appsecret_proof`), the profile's Meta and one governor per (app, account) pair shared by
//! everything that spends that pair's budget.

use std::sync::Arc;

use insightdesk_auth::{Grant, LinkedAccount, LoginKind, OwnApp, refresh_if_due};
use insightdesk_graph::{Governor, GraphClient, GraphClientBuilder};

use crate::App;
use crate::error::AppError;
use crate::session::Session;

/// Everything needed to talk to Meta for one account.
pub struct AccountAccess {
    pub grant: Grant,
    pub account: LinkedAccount,
    pub app: Option<OwnApp>,
}

impl AccountAccess {
    pub fn kind(&self) -> LoginKind {
        self.grant.kind
    }
}

impl App {
    /// The grant and app of `ig_user_id`, with the token refreshed first when it is due
    /// (Instagram Login tokens are refreshed ahead of expiry; nothing happens otherwise).
    pub async fn account_access(
        &self,
        session: &Arc<Session>,
        ig_user_id: &str,
    ) -> Result<AccountAccess, AppError> {
        let tokens = session.tokens.clone();
        let id = ig_user_id.to_owned();
        let grant = tokio::task::spawn_blocking(move || tokens.grant_for_account(&id))
            .await??
            .ok_or_else(|| AppError::UnknownAccount(ig_user_id.to_owned()))?;
        let grant = match refresh_if_due(&session.meta, &session.tokens, &grant).await {
            Ok(Some(fresh)) => {
                log::info!("{}: token refreshed ahead of expiry", grant.kind);
                fresh
            }
            Ok(None) => grant,
            // A failed refresh is not fatal while the old token still works; the sync will
            // say "sign in again" if it does not.
            Err(error) => {
                log::warn!("token refresh failed: {error}");
                grant
            }
        };
        let account = grant
            .accounts
            .iter()
            .find(|a| a.ig_user_id == ig_user_id)
            .cloned()
            .ok_or_else(|| AppError::UnknownAccount(ig_user_id.to_owned()))?;
        let app = self.app_credentials(session, grant.kind).await?;
        Ok(AccountAccess {
            grant,
            account,
            app,
        })
    }

    /// The app credentials of a login kind in this profile: the demo's, or the own app's.
    pub async fn app_credentials(
        &self,
        session: &Arc<Session>,
        kind: LoginKind,
    ) -> Result<Option<OwnApp>, AppError> {
        if let Some(credentials) = session.demo_credentials() {
            return Ok(Some(crate::accounts::demo_app(&credentials, kind)));
        }
        let tokens = session.tokens.clone();
        Ok(tokio::task::spawn_blocking(move || tokens.app(kind)).await??)
    }

    /// The governor of the account's (app, account) pair: every client spending that budget
    /// shares it, and the window is told when it holds a sync back.
    pub fn governor(&self, access: &AccountAccess) -> Arc<Governor> {
        let app_id = access
            .app
            .as_ref()
            .map(|a| a.app_id.as_str())
            .unwrap_or("broker");
        self.governors.for_pair(app_id, &access.account.ig_user_id)
    }

    /// A client builder for the account, with its token, secret, governor and clock.
    pub fn client_builder(&self, session: &Session, access: &AccountAccess) -> GraphClientBuilder {
        let mut builder = GraphClient::builder(access.kind())
            .endpoints(session.meta.endpoints.clone())
            .version(session.meta.version)
            .clock(Arc::clone(&session.meta.clock))
            .token(access.grant.token.clone())
            .governor(self.governor(access));
        if let Some(app) = &access.app {
            builder = builder.app_secret(app.app_secret.clone());
        }
        builder
    }
}
