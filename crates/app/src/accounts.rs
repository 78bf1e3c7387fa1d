//! Accounts and sign-in: who is connected, connecting (both login kinds, own app or broker,
//! and the demo), choosing the account on screen, and signing out.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use insightdesk_auth::{
    DiscoveryNote, Exchanger, Grant, LoginKind, OwnApp, PastedToken, SignInFlow, SignedIn,
    TokenHealth, adopt_token, redirect_uri, sign_out, token_health,
};
use insightdesk_secret::Sensitive;
use insightdesk_store::{AccountProfile, Store};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::demo::approve_consent;
use crate::error::AppError;
use crate::host::AppEvent;
use crate::session::{ProfileKind, Session};
use crate::{App, info::NoArgs};

/// The store setting that remembers the account on screen.
const ACTIVE_ACCOUNT_SETTING: &str = "ui.active_account";

/// Which of Meta's two sign-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    Facebook,
    Instagram,
}

impl Provider {
    pub fn login_kind(self) -> LoginKind {
        match self {
            Provider::Facebook => LoginKind::Facebook,
            Provider::Instagram => LoginKind::Instagram,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Provider::Facebook => "Facebook",
            Provider::Instagram => "Instagram",
        }
    }
}

impl From<LoginKind> for Provider {
    fn from(kind: LoginKind) -> Self {
        match kind {
            LoginKind::Facebook => Provider::Facebook,
            LoginKind::Instagram => Provider::Instagram,
        }
    }
}

/// How healthy an account's sign-in is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SignInHealth {
    Fine,
    /// It will be refreshed at the next sync.
    RefreshDue,
    /// It cannot be refreshed and ends in `days` days: sign in again before then.
    ExpiresSoon {
        days: i64,
    },
    /// It has ended: sign in again.
    Expired,
}

impl From<TokenHealth> for SignInHealth {
    fn from(health: TokenHealth) -> Self {
        match health {
            TokenHealth::Fine => SignInHealth::Fine,
            TokenHealth::RefreshDue => SignInHealth::RefreshDue,
            TokenHealth::ExpiresSoon { days } => SignInHealth::ExpiresSoon { days },
            TokenHealth::Expired => SignInHealth::Expired,
        }
    }
}

/// A connected Instagram account as the UI shows it. No token in it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AccountView {
    /// Meta's id of the professional account.
    pub id: String,
    pub username: Option<String>,
    pub provider: Provider,
    /// The Facebook Page it is linked to (Facebook Login).
    pub page_name: Option<String>,
    /// When the sign-in ends (ISO 8601), if it ends.
    pub sign_in_expires_at: Option<String>,
    pub health: SignInHealth,
}

/// Whether each sign-in can start, and how.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ProviderSetup {
    pub provider: Provider,
    /// "own_app" (App ID saved), "broker" (the build's sign-in service), or "needs_setup".
    pub method: String,
    /// The saved App ID, when the own-app path is set up.
    pub app_id: Option<String>,
}

/// Everything the UI needs to draw its frame: profile, accounts, the one on screen, setup.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SessionState {
    pub profile: ProfileKind,
    pub accounts: Vec<AccountView>,
    pub active_account: Option<String>,
    pub providers: Vec<ProviderSetup>,
    /// The exact redirect URI to register in a Meta app for the own-app path.
    pub redirect_uri: String,
}

/// What a sign-in added, and what it could not add (with what to do about it).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SignInResult {
    pub accounts: Vec<AccountView>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SignInArgs {
    pub provider: Provider,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct OwnAppArgs {
    pub provider: Provider,
    pub app_id: String,
    /// Goes straight to the keyring; never stored elsewhere, never sent back.
    pub app_secret: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct AccountArgs {
    pub account: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct SignOutArgs {
    /// One account; all accounts of the profile when absent.
    #[serde(default)]
    pub account: Option<String>,
}

/// Runs a blocking store operation off the async runtime.
pub(crate) async fn with_store<T, F>(session: &Arc<Session>, work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut Store) -> Result<T, AppError> + Send + 'static,
{
    let session = Arc::clone(session);
    tokio::task::spawn_blocking(move || {
        let mut store = session.open_store()?;
        work(&mut store)
    })
    .await?
}

/// Runs a blocking vault operation off the async runtime.
async fn grants(session: &Arc<Session>) -> Result<Vec<Grant>, AppError> {
    let tokens = session.tokens.clone();
    Ok(tokio::task::spawn_blocking(move || tokens.grants()).await??)
}

fn account_views(grants: &[Grant], now: DateTime<Utc>) -> Vec<AccountView> {
    let mut views: Vec<AccountView> = grants
        .iter()
        .flat_map(|grant| {
            let health = SignInHealth::from(token_health(grant, now));
            grant.accounts.iter().map(move |account| AccountView {
                id: account.ig_user_id.clone(),
                username: account.username.clone(),
                provider: grant.kind.into(),
                page_name: account.page_name.clone(),
                sign_in_expires_at: grant.expires_at.map(|t| t.to_rfc3339()),
                health: health.clone(),
            })
        })
        .collect();
    views.sort_by(|a, b| a.username.cmp(&b.username).then(a.id.cmp(&b.id)));
    views.dedup_by(|a, b| a.id == b.id);
    views
}

impl App {
    /// The frame of the UI: profile, accounts and the one on screen.
    pub async fn session_state(&self) -> Result<SessionState, AppError> {
        let session = self.session().await?;
        let grants = grants(&session).await?;
        let now = session.meta.now();
        let accounts = account_views(&grants, now);
        let remembered =
            with_store(&session, |store| Ok(store.setting(ACTIVE_ACCOUNT_SETTING)?)).await?;
        let active_account = remembered
            .filter(|id| accounts.iter().any(|a| &a.id == id))
            .or_else(|| accounts.first().map(|a| a.id.clone()));
        let mut providers = Vec::new();
        for provider in [Provider::Facebook, Provider::Instagram] {
            providers.push(self.provider_setup(&session, provider).await?);
        }
        Ok(SessionState {
            profile: session.kind,
            accounts,
            active_account,
            providers,
            redirect_uri: redirect_uri(self.config.loopback_port),
        })
    }

    async fn provider_setup(
        &self,
        session: &Arc<Session>,
        provider: Provider,
    ) -> Result<ProviderSetup, AppError> {
        if session.kind == ProfileKind::Demo {
            return Ok(ProviderSetup {
                provider,
                method: "demo".into(),
                app_id: None,
            });
        }
        let tokens = session.tokens.clone();
        let app = tokio::task::spawn_blocking(move || tokens.app(provider.login_kind())).await??;
        Ok(match (app, &self.config.broker_url) {
            (Some(app), _) => ProviderSetup {
                provider,
                method: "own_app".into(),
                app_id: Some(app.app_id),
            },
            (None, Some(_)) => ProviderSetup {
                provider,
                method: "broker".into(),
                app_id: None,
            },
            (None, None) => ProviderSetup {
                provider,
                method: "needs_setup".into(),
                app_id: None,
            },
        })
    }

    /// The account on screen (or the first connected one).
    pub async fn active_account(&self) -> Result<String, AppError> {
        self.session_state()
            .await?
            .active_account
            .ok_or(AppError::NoAccount)
    }

    /// Puts `account` on screen.
    pub async fn select_account(&self, account: &str) -> Result<SessionState, AppError> {
        let session = self.session().await?;
        let known = grants(&session)
            .await?
            .iter()
            .any(|g| g.has_account(account));
        if !known {
            return Err(AppError::UnknownAccount(account.to_owned()));
        }
        let id = account.to_owned();
        with_store(&session, move |store| {
            Ok(store.write(|b| b.set_setting(ACTIVE_ACCOUNT_SETTING, &id))?)
        })
        .await?;
        self.host.emit(AppEvent::SessionChanged);
        self.session_state().await
    }

    /// Saves the own-app credentials for a login kind; the secret goes to the vault.
    pub async fn save_own_app(&self, args: OwnAppArgs) -> Result<SessionState, AppError> {
        let app_id = args.app_id.trim().to_owned();
        if app_id.is_empty() || !app_id.chars().all(|c| c.is_ascii_digit()) {
            return Err(AppError::InvalidInput(
                "The App ID is the number shown at the top of your app in Meta's App Dashboard (for Instagram Login: the Instagram App ID under Instagram → API setup).".into(),
            ));
        }
        let secret = args.app_secret.trim().to_owned();
        if secret.len() < 16 || !secret.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(AppError::InvalidInput(
                "The App Secret is the 32-character code under App settings → Basic (press Show to see it).".into(),
            ));
        }
        let session = self.open_profile(ProfileKind::Main).await?;
        let tokens = session.tokens.clone();
        let kind = args.provider.login_kind();
        let app = OwnApp {
            app_id,
            app_secret: Sensitive::new(secret),
        };
        tokio::task::spawn_blocking(move || tokens.save_app(kind, &app)).await??;
        self.session_state().await
    }

    /// Signs in with Meta in the browser: the own app saved for this login kind, or the
    /// build's sign-in service. Waits until the browser comes back (or the sign-in is
    /// cancelled or times out).
    pub async fn sign_in(&self, provider: Provider) -> Result<SignInResult, AppError> {
        let session = self.open_profile(ProfileKind::Main).await?;
        let kind = provider.login_kind();
        let tokens = session.tokens.clone();
        let own_app = tokio::task::spawn_blocking(move || tokens.app(kind)).await??;
        let exchanger = match (own_app, &self.config.broker_url) {
            (Some(app), _) => Exchanger::Direct(app),
            (None, Some(url)) => Exchanger::Broker { url: url.clone() },
            (None, None) => {
                return Err(AppError::SetupRequired {
                    provider: provider.label().into(),
                });
            }
        };
        let flow = SignInFlow::new(kind, exchanger)
            .meta(session.meta.clone())
            .port(self.config.loopback_port);
        self.run_sign_in(&session, flow, BrowserStep::Host).await
    }

    /// "Explore the demo": opens the demo profile and, unless already done, signs its
    /// creator in through the real flow against the in-process simulated Meta.
    pub async fn explore_demo(self: &Arc<Self>) -> Result<SessionState, AppError> {
        use std::sync::atomic::Ordering;
        self.demo_preparing.store(true, Ordering::SeqCst);
        let prepared = self.prepare_demo().await;
        self.demo_preparing.store(false, Ordering::SeqCst);
        prepared?;
        self.session_state().await
    }

    /// Whether the demo is signing in or replaying its weeks (the schedule waits).
    pub fn demo_preparing(&self) -> bool {
        self.demo_preparing
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    async fn prepare_demo(self: &Arc<Self>) -> Result<(), AppError> {
        let session = self.open_profile(ProfileKind::Demo).await?;
        if grants(&session).await?.is_empty() {
            let credentials = session
                .demo_credentials()
                .ok_or_else(|| AppError::Demo("the simulated Meta is not running".into()))?;
            let app = OwnApp {
                app_id: credentials.facebook_app.app_id.clone(),
                app_secret: Sensitive::new(credentials.facebook_app.app_secret.clone()),
            };
            // An ephemeral port: the demo's app accepts any loopback redirect, and a fixed
            // port could collide with a real sign-in waiting elsewhere.
            let flow = SignInFlow::new(LoginKind::Facebook, Exchanger::Direct(app))
                .meta(session.meta.clone())
                .port(0);
            self.run_sign_in(&session, flow, BrowserStep::DemoConsent)
                .await?;
        }
        // A demo without history gets its weeks replayed: after its first sign-in, and also
        // when its tokens outlived its data folder (the keyring is the user's, not the
        // folder's).
        let never_synced =
            with_store(&session, |store| Ok(store.sync_runs(None, 1)?.is_empty())).await?;
        if never_synced && self.config.demo_history_days > 0 {
            self.replay_demo_history(&session, self.config.demo_history_days)
                .await?;
        }
        Ok(())
    }

    /// Leaves the demo for the creator's own profile.
    pub async fn leave_demo(&self) -> Result<SessionState, AppError> {
        self.open_profile(ProfileKind::Main).await?;
        self.session_state().await
    }

    /// Stops a sign-in that is waiting for the browser.
    pub async fn cancel_sign_in(&self) -> bool {
        match self.sign_in.lock().await.take() {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    async fn run_sign_in(
        &self,
        session: &Arc<Session>,
        flow: SignInFlow,
        browser: BrowserStep,
    ) -> Result<SignInResult, AppError> {
        let cancel = CancellationToken::new();
        {
            let mut slot = self.sign_in.lock().await;
            if slot.as_ref().is_some_and(|t| !t.is_cancelled()) {
                return Err(AppError::SignInBusy);
            }
            *slot = Some(cancel.clone());
        }
        let outcome = async {
            let pending = flow.start().await?;
            let url = pending.authorize_url().expose().to_owned();
            let finish = pending.finish();
            tokio::pin!(finish);
            let opened = match browser {
                BrowserStep::Host if !is_sign_in_page(&url, &session.meta.endpoints, self.config.broker_url.as_ref()) => {
                    // Tauri's opener checks no scope when called from Rust: this is the check.
                    Err(AppError::InvalidInput(format!(
                        "Insightdesk will only open Meta's sign-in pages or your sign-in service, not {}.",
                        insightdesk_secret::redact_url(&url)
                    )))
                }
                BrowserStep::Host => self
                    .host
                    .open_sign_in_page(&url)
                    .map_err(|reason| AppError::InvalidInput(format!(
                        "Insightdesk could not open your browser ({reason}). Open a browser and try again."
                    ))),
                BrowserStep::DemoConsent => {
                    // The consent page redirects to the receiver that `finish` is polling, so
                    // both must run at once.
                    let approve = approve_consent(&url);
                    tokio::pin!(approve);
                    tokio::select! {
                        result = &mut approve => result,
                        done = &mut finish => return done.map_err(AppError::from),
                    }
                }
            };
            opened?;
            tokio::select! {
                done = &mut finish => done.map_err(AppError::from),
                () = cancel.cancelled() => Err(AppError::Auth(insightdesk_auth::AuthError::Cancelled)),
            }
        }
        .await;
        *self.sign_in.lock().await = None;
        let signed_in = outcome?;
        self.keep_grant(session, signed_in).await
    }

    /// `insightdesk login --token -`: adopts a long-lived token pasted from the Graph API
    /// Explorer (or the sandbox's second line), checked like a fresh sign-in.
    pub async fn adopt_pasted_token(
        &self,
        provider: Provider,
        token: Sensitive<String>,
    ) -> Result<SignInResult, AppError> {
        let session = self.session().await?;
        let kind = provider.login_kind();
        let tokens = session.tokens.clone();
        let app = match session.demo_credentials() {
            Some(credentials) => Some(demo_app(&credentials, kind)),
            None => tokio::task::spawn_blocking(move || tokens.app(kind)).await??,
        };
        let signed_in = adopt_token(
            &session.meta,
            app.as_ref(),
            PastedToken {
                kind,
                token,
                expires_in: None,
            },
        )
        .await?;
        self.keep_grant(&session, signed_in).await
    }

    /// Stores the grant's accounts in the store and the grant in the vault.
    async fn keep_grant(
        &self,
        session: &Arc<Session>,
        signed_in: SignedIn,
    ) -> Result<SignInResult, AppError> {
        let SignedIn { grant, notes } = signed_in;
        let now = session.meta.now();
        let profiles: Vec<AccountProfile> = grant
            .accounts
            .iter()
            .map(|a| AccountProfile {
                ig_user_id: a.ig_user_id.clone(),
                login_kind: match grant.kind {
                    LoginKind::Facebook => insightdesk_store::LoginKind::Facebook,
                    LoginKind::Instagram => insightdesk_store::LoginKind::Instagram,
                },
                username: a.username.clone().unwrap_or_else(|| a.ig_user_id.clone()),
                name: None,
                profile_picture_url: None,
            })
            .collect();
        with_store(session, move |store| {
            store.write(|b| {
                for profile in &profiles {
                    b.upsert_account(profile, now)?;
                }
                Ok::<(), AppError>(())
            })
        })
        .await?;
        // The vault last: whoever sees the grant (the window asks for the session state at
        // any moment) must find the accounts' rows in the store already.
        let tokens = session.tokens.clone();
        let saved = grant.clone();
        tokio::task::spawn_blocking(move || tokens.save_grant(&saved)).await??;
        log::info!("signed in: {} account(s)", grant.accounts.len());
        self.host.emit(AppEvent::SessionChanged);
        Ok(SignInResult {
            accounts: account_views(std::slice::from_ref(&grant), now),
            notes: notes.iter().map(DiscoveryNote::message).collect(),
        })
    }

    /// Signs one account (or every account of the profile) out: revokes the grant at Meta
    /// and deletes the tokens. The history stays on this computer.
    pub async fn sign_out(&self, account: Option<&str>) -> Result<SessionState, AppError> {
        let session = self.session().await?;
        let all = grants(&session).await?;
        let chosen: Vec<&Grant> = match account {
            Some(id) => {
                let found: Vec<&Grant> = all.iter().filter(|g| g.has_account(id)).collect();
                if found.is_empty() {
                    return Err(AppError::UnknownAccount(id.to_owned()));
                }
                found
            }
            None => all.iter().collect(),
        };
        for grant in chosen {
            match account {
                Some(id) => {
                    insightdesk_auth::sign_out_account(&session.meta, &session.tokens, id).await?;
                }
                None => {
                    sign_out(&session.meta, &session.tokens, grant).await?;
                }
            }
        }
        self.host.emit(AppEvent::SessionChanged);
        self.session_state().await
    }
}

/// Who plays the browser.
#[derive(Debug, Clone, Copy)]
enum BrowserStep {
    /// The user's browser, opened by the front end.
    Host,
    /// The demo presses Allow itself.
    DemoConsent,
}

/// Whether `url` is a page the browser may be sent to for signing in: Meta's Facebook Login
/// dialog or Instagram Login authorize page under the profile's endpoints (Meta's hosts, or
/// the `--meta-base` sandbox), or the start page of the configured sign-in broker. Nothing
/// else, whatever built the address.
pub fn is_sign_in_page(
    url: &str,
    endpoints: &insightdesk_graph::Endpoints,
    broker: Option<&url::Url>,
) -> bool {
    let Ok(url) = url::Url::parse(url) else {
        return false;
    };
    if !url.username().is_empty() || url.password().is_some() {
        return false;
    }
    let under = |prefix: &str| {
        let Ok(prefix) = url::Url::parse(prefix) else {
            return false;
        };
        let path = prefix.path().trim_end_matches('/');
        url.scheme() == prefix.scheme()
            && url.host() == prefix.host()
            && url.port_or_known_default() == prefix.port_or_known_default()
            && url
                .path()
                .strip_prefix(path)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    let dialog_pages = [
        format!("{}/", endpoints.base(insightdesk_graph::Host::WwwFacebook)),
        format!(
            "{}/oauth/",
            endpoints.base(insightdesk_graph::Host::WwwInstagram)
        ),
    ];
    let on_meta = dialog_pages.iter().any(|page| {
        under(page)
            && (url.path().ends_with("/dialog/oauth") || url.path().ends_with("/oauth/authorize"))
    });
    let on_broker = broker
        .and_then(|b| b.join("start").ok())
        .is_some_and(|start| url.origin() == start.origin() && url.path() == start.path());
    on_meta || on_broker
}

pub(crate) fn demo_app(
    credentials: &insightdesk_sandbox::DemoCredentials,
    kind: LoginKind,
) -> OwnApp {
    let app = match kind {
        LoginKind::Facebook => &credentials.facebook_app,
        LoginKind::Instagram => &credentials.instagram_app,
    };
    OwnApp {
        app_id: app.app_id.clone(),
        app_secret: Sensitive::new(app.app_secret.clone()),
    }
}

// IPC adapters: the command table calls these.

pub async fn session_state(app: &App, _args: NoArgs) -> Result<SessionState, AppError> {
    app.session_state().await
}

pub async fn explore_demo(app: &Arc<App>, _args: NoArgs) -> Result<SessionState, AppError> {
    app.explore_demo().await
}

pub async fn leave_demo(app: &App, _args: NoArgs) -> Result<SessionState, AppError> {
    app.leave_demo().await
}

pub async fn sign_in(app: &App, args: SignInArgs) -> Result<SignInResult, AppError> {
    app.sign_in(args.provider).await
}

pub async fn cancel_sign_in(app: &App, _args: NoArgs) -> Result<bool, AppError> {
    Ok(app.cancel_sign_in().await)
}

pub async fn save_own_app(app: &App, args: OwnAppArgs) -> Result<SessionState, AppError> {
    app.save_own_app(args).await
}

pub async fn select_account(app: &App, args: AccountArgs) -> Result<SessionState, AppError> {
    app.select_account(&args.account).await
}

pub async fn sign_out_account(app: &App, args: SignOutArgs) -> Result<SessionState, AppError> {
    app.sign_out(args.account.as_deref()).await
}

#[cfg(test)]
mod tests {
    use insightdesk_graph::Endpoints;

    use super::is_sign_in_page;

    #[test]
    fn only_metas_sign_in_pages_and_the_brokers_start_are_opened() {
        let meta = Endpoints::meta();
        let broker = url::Url::parse("https://signin.example.org/insightdesk/").unwrap();
        for page in [
            "https://www.facebook.com/v24.0/dialog/oauth?client_id=1&state=s",
            "https://www.instagram.com/oauth/authorize?client_id=1&state=s",
            "https://signin.example.org/insightdesk/start?kind=facebook&port=1&state=s",
        ] {
            assert!(is_sign_in_page(page, &meta, Some(&broker)), "{page}");
        }
        for page in [
            "http://www.facebook.com/v24.0/dialog/oauth",
            "https://www.facebook.com.evil.example/v24.0/dialog/oauth",
            "https://www.facebook.com/v24.0/dialog/share",
            "https://www.facebook.com:444/v24.0/dialog/oauth",
            "https://user@www.facebook.com/v24.0/dialog/oauth",
            "https://evil.example/?next=https://www.facebook.com/v24.0/dialog/oauth",
            "https://www.instagram.com/p/Cx1/",
            "https://signin.example.org/other/start",
            "https://signin.example.org/insightdesk/exchange",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "",
        ] {
            assert!(!is_sign_in_page(page, &meta, Some(&broker)), "{page}");
        }
        assert!(!is_sign_in_page(
            "https://signin.example.org/insightdesk/start",
            &meta,
            None
        ));
        // `--meta-base`: the sandbox's pages under its base, and Meta's real hosts no more.
        let sandbox = Endpoints::sandbox("http://127.0.0.1:4000/meta");
        assert!(is_sign_in_page(
            "http://127.0.0.1:4000/meta/www.facebook.com/v24.0/dialog/oauth?state=s",
            &sandbox,
            None
        ));
        assert!(is_sign_in_page(
            "http://127.0.0.1:4000/meta/www.instagram.com/oauth/authorize?state=s",
            &sandbox,
            None
        ));
        for page in [
            "http://127.0.0.1:4001/meta/www.facebook.com/v24.0/dialog/oauth",
            "http://127.0.0.1:4000/other/www.facebook.com/v24.0/dialog/oauth",
            "http://127.0.0.1:4000/meta/graph.facebook.com/v24.0/dialog/oauth",
            "https://www.facebook.com/v24.0/dialog/oauth",
        ] {
            assert!(!is_sign_in_page(page, &sandbox, None), "{page}");
        }
    }
}
