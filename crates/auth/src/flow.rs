//! The sign-in flow: one code path for both login kinds and all three configurations.
//!
//! - **Own Meta app**: [`Exchanger::Direct`] with the app id and secret the user entered; the
//!   browser goes straight to Meta's dialog, Meta answers on `http://localhost:PORT/callback`,
//!   and this crate performs the exchanges.
//! - **Broker**: [`Exchanger::Broker`] with the publisher's broker URL; the browser goes to
//!   `{broker}/start`, the broker sends it to Meta and bounces Meta's answer to
//!   `http://127.0.0.1:PORT/callback`, and the broker performs the exchanges that need the
//!   secret.
//! - **Sandbox**: `Direct` with the sandbox's demo app and [`MetaConfig`] pointing at the
//!   sandbox (`Endpoints::sandbox(base)`); nothing else differs.
//!
//! [`SignInFlow::start`] listens on the loopback port and returns a [`PendingSignIn`] with the
//! URL to open in the browser (the caller opens it: the desktop with the opener plugin, the
//! CLI by printing it); [`PendingSignIn::finish`] waits for the answer, exchanges the code for a
//! long-lived token, checks the permissions and finds the Instagram accounts.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use insightdesk_graph::models::DebugTokenData;
use insightdesk_graph::{
    ApiVersion, AppCredentials, AuthorizeParams, Clock, Endpoints, ErrorClass, GraphClient,
    LoginKind, SystemClock, pkce_challenge,
};
use insightdesk_secret::{Sensitive, redact_url};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::error::AuthError;
use crate::grant::{Grant, LinkedAccount, MIN_REFRESH_AGE, missing_scopes, requested_scopes};
use crate::loopback::{LoopbackReceiver, redirect_uri};
use crate::vault::OwnApp;

/// The loopback port used unless another is configured. The own-app path registers
/// `http://localhost:47813/callback` ([`redirect_uri`]) in the Meta app.
pub const DEFAULT_PORT: u16 = 47813;

/// How long the receiver waits for the browser.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Where Meta is and what time it is: the only things that differ between Meta and the
/// sandbox (besides credentials).
#[derive(Clone)]
pub struct MetaConfig {
    pub endpoints: Endpoints,
    pub version: ApiVersion,
    pub clock: Arc<dyn Clock>,
}

impl fmt::Debug for MetaConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetaConfig")
            .field("endpoints", &self.endpoints)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl Default for MetaConfig {
    fn default() -> Self {
        Self::new(Endpoints::meta())
    }
}

impl MetaConfig {
    /// The given hosts, the newest API version, the computer's clock.
    pub fn new(endpoints: Endpoints) -> Self {
        Self {
            endpoints,
            version: ApiVersion::default(),
            clock: Arc::new(SystemClock),
        }
    }

    pub fn with_version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// A Graph client of this login kind (with `appsecret_proof` when the secret is given).
    pub fn client(
        &self,
        kind: LoginKind,
        app_secret: Option<&Sensitive<String>>,
    ) -> Result<GraphClient, AuthError> {
        let mut builder = GraphClient::builder(kind)
            .endpoints(self.endpoints.clone())
            .version(self.version)
            .clock(Arc::clone(&self.clock));
        if let Some(secret) = app_secret {
            builder = builder.app_secret(secret.clone());
        }
        Ok(builder.build()?)
    }
}

/// Who performs the exchanges that need the app secret.
#[derive(Debug, Clone)]
pub enum Exchanger {
    /// This installation holds the app secret (own Meta app, or the sandbox's demo app).
    Direct(OwnApp),
    /// A broker deployed by the publisher holds it (`crates/broker`).
    Broker { url: url::Url },
}

impl Exchanger {
    pub fn direct(app_id: impl Into<String>, app_secret: Sensitive<String>) -> Self {
        Exchanger::Direct(OwnApp {
            app_id: app_id.into(),
            app_secret,
        })
    }

    /// A broker at `url` (its base: `/start`, `/exchange` are appended).
    pub fn broker(url: &str) -> Result<Self, AuthError> {
        let bad = || AuthError::BrokerUrl {
            url: redact_url(url),
        };
        let mut parsed = url::Url::parse(url).map_err(|_| bad())?;
        if !matches!(parsed.scheme(), "http" | "https")
            || parsed.host().is_none()
            || parsed.query().is_some()
            || parsed.password().is_some()
        {
            return Err(bad());
        }
        if !parsed.path().ends_with('/') {
            let path = format!("{}/", parsed.path());
            parsed.set_path(&path);
        }
        Ok(Exchanger::Broker { url: parsed })
    }
}

/// The URL to open in the browser. It carries the sign-in's `state`, so `Debug` and `Display`
/// show it redacted; the browser gets [`SignInUrl::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct SignInUrl(url::Url);

impl SignInUrl {
    /// The full URL, for the browser (or the CLI's `--no-browser` line) only.
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for SignInUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SignInUrl({})", redact_url(self.0.as_str()))
    }
}

impl fmt::Display for SignInUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_url(self.0.as_str()))
    }
}

/// 32 random bytes, base64url without padding (43 characters): `state` and PKCE verifiers.
pub fn random_token() -> Sensitive<String> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    Sensitive::new(URL_SAFE_NO_PAD.encode(bytes))
}

/// A sign-in to start.
#[derive(Debug, Clone)]
pub struct SignInFlow {
    kind: LoginKind,
    exchanger: Exchanger,
    meta: MetaConfig,
    port: u16,
    timeout: Duration,
    force_reauth: bool,
}

impl SignInFlow {
    pub fn new(kind: LoginKind, exchanger: Exchanger) -> Self {
        Self {
            kind,
            exchanger,
            meta: MetaConfig::default(),
            port: DEFAULT_PORT,
            timeout: DEFAULT_TIMEOUT,
            force_reauth: false,
        }
    }

    /// Where Meta is (the sandbox: `MetaConfig::new(Endpoints::sandbox(base))`).
    pub fn meta(mut self, meta: MetaConfig) -> Self {
        self.meta = meta;
        self
    }

    /// The loopback port (0: any free port, for tests; the own-app path needs a fixed one
    /// because the redirect URI must be registered).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Instagram Login: make the user enter their credentials again (switch accounts).
    pub fn force_reauth(mut self, force: bool) -> Self {
        self.force_reauth = force;
        self
    }

    pub fn kind(&self) -> LoginKind {
        self.kind
    }

    /// Listens on the loopback port and builds the URL to open. Fails at once with a clear
    /// message when the port is taken.
    pub async fn start(self) -> Result<PendingSignIn, AuthError> {
        let state = random_token();
        // PKCE where the provider takes it: Facebook Login (Instagram Login documents none).
        let verifier = (self.kind == LoginKind::Facebook).then(random_token);
        let challenge = verifier.as_ref().map(pkce_challenge);
        let receiver = LoopbackReceiver::bind(self.port, state.clone()).await?;
        let port = receiver.port();
        let (url, redirect) = match &self.exchanger {
            Exchanger::Direct(app) => {
                let redirect = redirect_uri(port);
                let client = self.meta.client(self.kind, None)?;
                let url = client.oauth().authorize_url(&AuthorizeParams {
                    client_id: &app.app_id,
                    redirect_uri: &redirect,
                    scopes: &requested_scopes(self.kind),
                    state: &state,
                    pkce_challenge: challenge.as_deref(),
                    force_reauth: self.force_reauth,
                })?;
                let url = url::Url::parse(url.expose()).map_err(|_| AuthError::BrokerUrl {
                    url: redact_url(url.expose()),
                })?;
                (url, redirect)
            }
            Exchanger::Broker { url } => {
                let mut start = url.join("start").map_err(|_| AuthError::BrokerUrl {
                    url: redact_url(url.as_str()),
                })?;
                {
                    let mut query = start.query_pairs_mut();
                    query
                        .append_pair("kind", self.kind.as_str())
                        .append_pair("port", &port.to_string())
                        .append_pair("state", state.expose());
                    if let Some(challenge) = &challenge {
                        query.append_pair("code_challenge", challenge);
                    }
                }
                (start, format!("http://127.0.0.1:{port}/callback"))
            }
        };
        log::info!(
            "{} sign-in started; waiting on port {port} for at most {} s",
            self.kind,
            self.timeout.as_secs()
        );
        Ok(PendingSignIn {
            flow: self,
            url: SignInUrl(url),
            redirect_uri: redirect,
            receiver,
            verifier,
        })
    }
}

/// A started sign-in: open [`PendingSignIn::authorize_url`] in the browser, then await
/// [`PendingSignIn::finish`]. Dropping it stops listening.
#[derive(Debug)]
pub struct PendingSignIn {
    flow: SignInFlow,
    url: SignInUrl,
    redirect_uri: String,
    receiver: LoopbackReceiver,
    verifier: Option<Sensitive<String>>,
}

/// Something the user should know about a sign-in, or do in Instagram or Meta Business Suite
/// for an account to appear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DiscoveryNote {
    /// A Facebook Page with no Instagram professional account linked to it.
    PageWithoutInstagram {
        page_id: String,
        page_name: Option<String>,
    },
    /// Instagram Login reached a personal (non-professional) account.
    PersonalAccount { username: Option<String> },
    /// Meta did not say when an Instagram Login token ends (pasted without the app's secret,
    /// and too young to refresh): `expires_at` is the earliest it can end.
    AssumedExpiry { expires_at: DateTime<Utc> },
}

impl DiscoveryNote {
    /// What to do, as a sentence.
    pub fn message(&self) -> String {
        match self {
            DiscoveryNote::PageWithoutInstagram { page_id, page_name } => format!(
                "The Facebook Page “{}” has no Instagram professional account linked to it. In Instagram, switch your account to a professional account (Settings → Account type and tools), then link it to this Page in Meta Business Suite (Settings → Business assets → Instagram accounts), and sign in again.",
                page_name.as_deref().unwrap_or(page_id)
            ),
            DiscoveryNote::PersonalAccount { username } => format!(
                "The Instagram account{} is a personal account, and Instagram gives insights only for professional accounts. In Instagram, open Settings → Account type and tools → Switch to professional account (Creator or Business), then sign in again.",
                username
                    .as_deref()
                    .map(|u| format!(" @{u}"))
                    .unwrap_or_default()
            ),
            DiscoveryNote::AssumedExpiry { expires_at } => format!(
                "Meta tells when an Instagram Login token ends only to your own Meta app, or once the token is a day old, and this one is younger. Insightdesk counts it as ending on {}, the earliest a 60-day token issued within the last day can end, until its first refresh (at a sync once it is a week old) gives it a new 60 days and the real date.",
                expires_at.format("%-d %B %Y")
            ),
        }
    }
}

/// A finished sign-in: the grant to store, and notes about accounts that could not be added.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub grant: Grant,
    pub notes: Vec<DiscoveryNote>,
}

/// A long-lived token as an exchange (or a paste) produced it.
struct Exchanged {
    token: Sensitive<String>,
    expires_in: Option<u64>,
    /// Instagram Login: the account the code exchange named.
    user_id: Option<String>,
    /// Instagram Login: the permissions the code exchange listed.
    permissions: Option<Vec<String>>,
}

impl PendingSignIn {
    /// The URL to open in the browser.
    pub fn authorize_url(&self) -> &SignInUrl {
        &self.url
    }

    /// Where the browser comes back to: the redirect URI Meta is told (own app: the one to
    /// register), or the loopback address the broker bounces to.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    pub fn port(&self) -> u16 {
        self.receiver.port()
    }

    pub fn kind(&self) -> LoginKind {
        self.flow.kind
    }

    /// Waits for the browser, then exchanges, checks and discovers.
    pub async fn finish(mut self) -> Result<SignedIn, AuthError> {
        let code = self.receiver.wait(self.flow.timeout).await?;
        let kind = self.flow.kind;
        log::info!("{kind}: Meta answered; exchanging the code");
        let exchanged = match &self.flow.exchanger {
            Exchanger::Direct(app) => {
                exchange_direct(
                    &self.flow.meta,
                    kind,
                    app,
                    &code,
                    &self.redirect_uri,
                    self.verifier.as_ref(),
                )
                .await?
            }
            Exchanger::Broker { url } => {
                exchange_with_broker(url, kind, &code, self.verifier.as_ref()).await?
            }
        };
        let app = match &self.flow.exchanger {
            Exchanger::Direct(app) => Some(app),
            Exchanger::Broker { .. } => None,
        };
        complete(&self.flow.meta, kind, app, exchanged).await
    }
}

fn credentials(app: Option<&OwnApp>) -> AppCredentials {
    AppCredentials {
        app_id: app.map(|a| a.app_id.clone()).unwrap_or_default(),
        app_secret: app.map(|a| a.app_secret.clone()),
    }
}

async fn exchange_direct(
    meta: &MetaConfig,
    kind: LoginKind,
    app: &OwnApp,
    code: &Sensitive<String>,
    redirect: &str,
    verifier: Option<&Sensitive<String>>,
) -> Result<Exchanged, AuthError> {
    let client = meta.client(kind, Some(&app.app_secret))?;
    let oauth = client.oauth();
    let creds = credentials(Some(app));
    match kind {
        LoginKind::Facebook => {
            let short = oauth
                .exchange_facebook_code(&creds, code, redirect, verifier)
                .await?;
            let long = oauth
                .exchange_facebook_token(&creds, &short.access_token)
                .await?;
            Ok(Exchanged {
                token: long.access_token,
                expires_in: long.expires_in,
                user_id: None,
                permissions: None,
            })
        }
        LoginKind::Instagram => {
            let short = oauth
                .exchange_instagram_code(&creds, code, redirect)
                .await?;
            let long = oauth
                .exchange_instagram_token(&creds, &short.access_token)
                .await?;
            Ok(Exchanged {
                token: long.access_token,
                expires_in: long.expires_in,
                user_id: Some(short.user_id),
                permissions: Some(short.permissions),
            })
        }
    }
}

/// `POST {broker}/exchange`: the broker's answer.
#[derive(Deserialize)]
struct BrokerToken {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    permissions: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct BrokerError {
    error: BrokerErrorBody,
}

#[derive(Deserialize)]
struct BrokerErrorBody {
    message: String,
}

fn http_client() -> Result<reqwest::Client, AuthError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| AuthError::BrokerUnreachable {
            request: "building the HTTP client".into(),
            reason: e.without_url().to_string(),
        })
}

/// The most a broker's answer (a token and a few fields) may take.
const MAX_BROKER_ANSWER: usize = 64 * 1024;

/// Reads a broker's answer in chunks, refusing one larger than [`MAX_BROKER_ANSWER`]: a broken
/// or compromised broker must not fill the memory.
async fn read_broker_answer(
    mut response: reqwest::Response,
    shown: &str,
) -> Result<Vec<u8>, AuthError> {
    let mut bytes = Vec::new();
    loop {
        let chunk = response
            .chunk()
            .await
            .map_err(|e| AuthError::BrokerUnreachable {
                request: shown.to_owned(),
                reason: e.without_url().to_string(),
            })?;
        let Some(chunk) = chunk else {
            return Ok(bytes);
        };
        if bytes.len() + chunk.len() > MAX_BROKER_ANSWER {
            return Err(AuthError::Broker {
                request: shown.to_owned(),
                status: response.status().as_u16(),
                message: "its answer was larger than a token answer can be".into(),
            });
        }
        bytes.extend_from_slice(&chunk);
    }
}

async fn exchange_with_broker(
    broker: &url::Url,
    kind: LoginKind,
    code: &Sensitive<String>,
    verifier: Option<&Sensitive<String>>,
) -> Result<Exchanged, AuthError> {
    let url = broker.join("exchange").map_err(|_| AuthError::BrokerUrl {
        url: redact_url(broker.as_str()),
    })?;
    let shown = format!("POST {}", redact_url(url.as_str()));
    let mut body = serde_json::json!({ "kind": kind.as_str(), "code": code.expose() });
    if let Some(verifier) = verifier {
        body["code_verifier"] = verifier.expose().clone().into();
    }
    let response = http_client()?
        .post(url)
        .json(&body)
        .send()
        .await
        .map_err(|e| AuthError::BrokerUnreachable {
            request: shown.clone(),
            reason: e.without_url().to_string(),
        })?;
    let status = response.status();
    let bytes = read_broker_answer(response, &shown).await?;
    if !status.is_success() {
        let message = serde_json::from_slice::<BrokerError>(&bytes)
            .map(|e| insightdesk_secret::redact_pairs(&e.error.message))
            .unwrap_or_else(|_| "it gave no reason".into());
        return Err(AuthError::Broker {
            request: shown,
            status: status.as_u16(),
            message,
        });
    }
    let token: BrokerToken = serde_json::from_slice(&bytes).map_err(|e| AuthError::Broker {
        request: shown,
        status: status.as_u16(),
        message: format!(
            "its answer was not a token (line {} column {})",
            e.line(),
            e.column()
        ),
    })?;
    Ok(Exchanged {
        token: Sensitive::new(token.access_token),
        expires_in: token.expires_in,
        user_id: token.user_id,
        permissions: token.permissions,
    })
}

fn expiry(
    debug: Option<&DebugTokenData>,
    expires_in: Option<u64>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let from_answer = expires_in
        .and_then(|s| i64::try_from(s).ok())
        .and_then(chrono::Duration::try_seconds)
        .and_then(|d| now.checked_add_signed(d));
    match debug {
        // debug_token's 0 means "never"; it wins over the exchange's count when it answered.
        Some(data) if data.expires_at.is_some() => data.expires(),
        _ => from_answer,
    }
}

/// How long Meta gives a long-lived Instagram Login token: the `expires_in` of its exchange
/// and refresh answers (API-FACTS (a)), about 60 days.
const INSTAGRAM_TOKEN_LIFETIME: chrono::Duration = chrono::Duration::seconds(5_183_944);

/// A token as it is kept: possibly a refreshed one, with when it was issued and when it ends.
struct Lifetime {
    token: Sensitive<String>,
    obtained_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    note: Option<DiscoveryNote>,
}

/// The life of an Instagram Login token Meta said nothing about: one pasted without the app's
/// secret, for which `debug_token` cannot be asked. `ig_refresh_token` needs no secret and
/// answers a token at least a day old with a fresh one and its lifetime, which is kept. A
/// younger token is refused (Meta's refusal is no error class of its own: `Other`); it was
/// then issued within the last day, so it ends no earlier than its lifetime less a day from
/// now, and that date is recorded with a note, so health warns early rather than never. A dead
/// token, throttling and network faults are errors, as they would be in any sign-in.
async fn instagram_lifetime(
    meta: &MetaConfig,
    token: Sensitive<String>,
    now: DateTime<Utc>,
) -> Result<Lifetime, AuthError> {
    let client = meta.client(LoginKind::Instagram, None)?;
    match client.oauth().refresh_instagram_token(&token).await {
        Ok(answer) => {
            log::info!(
                "{}: a pasted token was refreshed to learn its expiry",
                LoginKind::Instagram
            );
            Ok(Lifetime {
                expires_at: answer.expires_at(now),
                token: answer.access_token,
                obtained_at: now,
                note: None,
            })
        }
        Err(error) if error.class() == ErrorClass::Other => {
            let expires_at = now + INSTAGRAM_TOKEN_LIFETIME - MIN_REFRESH_AGE;
            log::info!(
                "{}: Meta would not refresh a pasted token ({error}); assuming it ends at {expires_at}",
                LoginKind::Instagram
            );
            Ok(Lifetime {
                token,
                obtained_at: now,
                expires_at: Some(expires_at),
                note: Some(DiscoveryNote::AssumedExpiry { expires_at }),
            })
        }
        Err(error) => Err(error.into()),
    }
}

/// Permissions, expiry and accounts of a long-lived token, as a grant.
async fn complete(
    meta: &MetaConfig,
    kind: LoginKind,
    app: Option<&OwnApp>,
    exchanged: Exchanged,
) -> Result<SignedIn, AuthError> {
    let now = meta.now();
    let client = meta
        .client(kind, app.map(|a| &a.app_secret))?
        .with_token(exchanged.token.clone());
    // debug_token tells expiry and scopes. Instagram Login's code exchange already listed the
    // permissions; debug_token is asked for its tokens only when a pasted token needs it.
    let debug = match (kind, &exchanged.permissions) {
        (LoginKind::Instagram, Some(_)) => None,
        (LoginKind::Instagram, None) if app.is_none() => None,
        _ => {
            let data = client
                .oauth()
                .debug_token(&credentials(app), &exchanged.token)
                .await?;
            if !data.is_valid {
                let message = data
                    .error
                    .as_ref()
                    .and_then(|e| e.message.clone())
                    .unwrap_or_else(|| "the token is not valid".into());
                return Err(AuthError::Refused {
                    error: "invalid_token".into(),
                    description: insightdesk_secret::redact_pairs(&message),
                });
            }
            Some(data)
        }
    };
    let scopes: Vec<String> = match (&exchanged.permissions, &debug) {
        (Some(p), _) => p.clone(),
        (None, Some(d)) => d.scopes.clone(),
        (None, None) => {
            log::warn!("{kind}: Meta did not say which permissions this token has");
            Vec::new()
        }
    };
    if exchanged.permissions.is_some() || debug.is_some() {
        let missing = missing_scopes(kind, &scopes);
        if !missing.is_empty() {
            return Err(AuthError::MissingPermissions { kind, missing });
        }
    }
    let expires_at = expiry(debug.as_ref(), exchanged.expires_in, now);
    let obtained_at = debug
        .as_ref()
        .and_then(|d| d.issued_at)
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .filter(|t| *t <= now)
        .unwrap_or(now);
    let data_access_expires_at = debug.as_ref().and_then(DebugTokenData::data_access_expires);

    let mut notes = Vec::new();
    let mut accounts = Vec::new();
    let user_id = match kind {
        LoginKind::Facebook => {
            let user_id = match debug.as_ref().and_then(|d| d.user_id.clone()) {
                Some(id) => id,
                None => client.me().facebook_user().await?.id,
            };
            let pages: Vec<_> = client.me().pages().try_collect().await?;
            for page in pages {
                let Some(ig_user_id) = page.ig_user_id().map(str::to_owned) else {
                    notes.push(DiscoveryNote::PageWithoutInstagram {
                        page_id: page.id.clone(),
                        page_name: page.name.clone(),
                    });
                    continue;
                };
                let username = match client
                    .user(&ig_user_id)
                    .profile_fields(&["id", "username"])
                    .await
                {
                    Ok(user) => user.username,
                    Err(e) if e.class() == ErrorClass::Permission => None,
                    Err(e) => return Err(e.into()),
                };
                accounts.push(LinkedAccount {
                    ig_user_id,
                    username,
                    page_id: Some(page.id),
                    page_name: page.name,
                    page_token: page.access_token,
                });
            }
            user_id
        }
        LoginKind::Instagram => {
            let me = client.me().instagram_user().await?;
            let professional = !me
                .account_type
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case("PERSONAL"));
            let account_id = me
                .account_id()
                .map(str::to_owned)
                .or(exchanged.user_id.clone());
            match account_id {
                Some(id) if professional => {
                    accounts.push(LinkedAccount {
                        ig_user_id: id.clone(),
                        username: me.username.clone(),
                        page_id: None,
                        page_name: None,
                        page_token: None,
                    });
                    id
                }
                _ => {
                    notes.push(DiscoveryNote::PersonalAccount {
                        username: me.username.clone(),
                    });
                    account_id.unwrap_or_default()
                }
            }
        }
    };
    if accounts.is_empty() {
        return Err(AuthError::NoAccounts {
            notes: notes.iter().map(DiscoveryNote::message).collect(),
        });
    }
    // Every Instagram Login token ends; "no expiry" here only means nobody said when.
    let lifetime = if kind == LoginKind::Instagram && debug.is_none() && expires_at.is_none() {
        instagram_lifetime(meta, exchanged.token, now).await?
    } else {
        Lifetime {
            token: exchanged.token,
            obtained_at,
            expires_at,
            note: None,
        }
    };
    notes.extend(lifetime.note);
    log::info!(
        "{kind}: signed in; {} Instagram account(s), {} note(s)",
        accounts.len(),
        notes.len()
    );
    Ok(SignedIn {
        grant: Grant {
            kind,
            user_id,
            token: lifetime.token,
            obtained_at: lifetime.obtained_at,
            expires_at: lifetime.expires_at,
            data_access_expires_at,
            scopes,
            accounts,
        },
        notes,
    })
}

/// A token pasted by the user (`insightdesk login --token -`), e.g. from the Graph API
/// Explorer or the sandbox's line 2.
#[derive(Debug, Clone)]
pub struct PastedToken {
    pub kind: LoginKind,
    pub token: Sensitive<String>,
    /// Seconds until it expires, when the source said so.
    pub expires_in: Option<u64>,
}

/// Checks a pasted long-lived token like a fresh sign-in would (permissions, expiry, accounts)
/// and returns the grant to store. With `app` (own app or sandbox) `debug_token` runs with the
/// app token, which also works for Instagram Login tokens; without it, an Instagram Login
/// token's permissions cannot be checked and are recorded as unknown, and its expiry (unless
/// `expires_in` says) is learnt by refreshing it or, for a token under a day old, assumed
/// with a note (see [`DiscoveryNote::AssumedExpiry`]).
pub async fn adopt_token(
    meta: &MetaConfig,
    app: Option<&OwnApp>,
    pasted: PastedToken,
) -> Result<SignedIn, AuthError> {
    let exchanged = Exchanged {
        token: pasted.token,
        expires_in: pasted.expires_in,
        user_id: None,
        permissions: None,
    };
    complete(meta, pasted.kind, app, exchanged).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_tokens_are_43_base64url_characters_and_differ() {
        let a = random_token();
        let b = random_token();
        assert_eq!(a.expose().len(), 43);
        assert!(
            a.expose()
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_ne!(a, b);
    }

    #[test]
    fn broker_urls_are_checked_and_end_with_a_slash() {
        let Exchanger::Broker { url } = Exchanger::broker("https://broker.example/id").unwrap()
        else {
            panic!("a broker");
        };
        assert_eq!(
            url.join("start").unwrap().as_str(),
            "https://broker.example/id/start"
        );
        assert!(Exchanger::broker("ftp://x").is_err());
        assert!(Exchanger::broker("https://x/?a=1").is_err());
        assert!(Exchanger::broker("not a url").is_err());
    }

    #[tokio::test]
    async fn a_broker_answer_larger_than_a_token_is_refused_without_reading_it_all() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = std::sync::Arc::clone(&sent);
        tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .await;
            let chunk = vec![b' '; 16 * 1024];
            let frame = [
                format!("{:x}\r\n", chunk.len()).into_bytes(),
                chunk,
                b"\r\n".to_vec(),
            ]
            .concat();
            for _ in 0..4096 {
                if stream.write_all(&frame).await.is_err() {
                    break;
                }
                counter.fetch_add(16 * 1024, std::sync::atomic::Ordering::Relaxed);
            }
        });
        let broker = url::Url::parse(&format!("http://{address}/")).unwrap();
        let code = Sensitive::new("c0de".to_owned());
        let Err(error) = exchange_with_broker(&broker, LoginKind::Instagram, &code, None).await
        else {
            panic!("a refusal");
        };
        assert!(
            error.to_string().contains("larger than a token answer"),
            "{error}"
        );
        let read = sent.load(std::sync::atomic::Ordering::Relaxed);
        assert!(
            read < 16 * 1024 * 1024,
            "stopped early, not after {read} bytes"
        );
    }

    #[test]
    fn a_lifetime_past_any_date_is_no_expiry_not_a_panic() {
        let now = DateTime::UNIX_EPOCH;
        assert_eq!(
            expiry(None, Some(60), now),
            Some(now + chrono::Duration::seconds(60))
        );
        // Found by the fuzz harness: `Duration::seconds` panics past i64::MAX / 1000.
        for huge in [9_223_372_036_854_776, i64::MAX as u64, u64::MAX] {
            assert_eq!(expiry(None, Some(huge), now), None, "{huge}");
        }
    }

    #[test]
    fn notes_say_what_to_do_in_instagram() {
        let page = DiscoveryNote::PageWithoutInstagram {
            page_id: "1".into(),
            page_name: Some("Supper Club".into()),
        }
        .message();
        assert!(
            page.contains("Supper Club") && page.contains("Meta Business Suite"),
            "{page}"
        );
        let personal = DiscoveryNote::PersonalAccount {
            username: Some("maya".into()),
        }
        .message();
        assert!(
            personal.contains("@maya") && personal.contains("professional"),
            "{personal}"
        );
    }
}
