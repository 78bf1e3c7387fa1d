//! The token broker: a small stateless HTTP service a publisher deploys so that a published
//! build of Insightdesk signs in with one click while the Meta app secrets stay on a server.
//!
//! - `GET /start?kind=facebook|instagram&port=N&state=NONCE[&code_challenge=C]` answers a
//!   redirect to Meta's dialog. Meta is told to come back to `{public_url}/callback` (the one
//!   HTTPS redirect URI registered in the Meta app) with a `state` the broker signed with
//!   HMAC-SHA256; it carries the login kind, the desktop's loopback port, the desktop's own
//!   state nonce and an expiry.
//! - `GET /callback` receives Meta's redirect, verifies the signed state and bounces the browser
//!   to `http://127.0.0.1:{port}/callback?code=…&state=<desktop's nonce>` (or passes Meta's
//!   `error=…` on the same way).
//! - `POST /exchange` `{"kind","code","code_verifier"?}` performs code → short-lived →
//!   long-lived with the secret it holds and answers the long-lived token JSON.
//! - `POST /refresh` `{"access_token"}` refreshes an Instagram Login token.
//!
//! It stores nothing, logs no token, code or secret, and serves plain HTTP meant to sit behind
//! a TLS terminator. Configuration comes from environment variables ([`BrokerConfig::from_env`]).

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use insightdesk_graph::{
    ApiVersion, AppCredentials, AuthorizeParams, Clock, Endpoints, ErrorClass, GraphClient,
    GraphError, LoginKind, SystemClock,
};
use insightdesk_secret::Sensitive;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// How long a signed state stays valid: the time a user may spend on Meta's page.
pub const STATE_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// The shortest HMAC key accepted.
pub const MIN_STATE_KEY_BYTES: usize = 32;

/// Largest request body accepted (an exchange request is a few hundred bytes).
const MAX_BODY_BYTES: usize = 16 * 1024;

/// Everything the broker can fail with at start-up.
#[derive(Debug, thiserror::Error)]
pub enum BrokerError {
    #[error("{0} is not set; see crates/broker/README.md for the variables the broker needs.")]
    Missing(&'static str),
    #[error("{name} is not valid: {reason}.")]
    Invalid { name: &'static str, reason: String },
    #[error(
        "Neither Facebook Login nor Instagram Login is configured: set the app id and secret of at least one."
    )]
    NoLogin,
    #[error("The broker could not listen on {address}: {reason}.")]
    Listen { address: String, reason: String },
    #[error(transparent)]
    Graph(#[from] GraphError),
}

/// A Meta app the broker holds the secret of.
#[derive(Clone)]
pub struct BrokerApp {
    pub app_id: String,
    pub app_secret: Sensitive<String>,
}

impl fmt::Debug for BrokerApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BrokerApp")
            .field("app_id", &self.app_id)
            .field("app_secret", &self.app_secret)
            .finish()
    }
}

/// The broker's configuration.
#[derive(Debug, Clone)]
pub struct BrokerConfig {
    /// Where to listen (plain HTTP; put a TLS terminator in front).
    pub listen: SocketAddr,
    /// The public HTTPS base URL; `{public_url}/callback` is the redirect URI registered in
    /// the Meta app (Facebook Login and Instagram Login settings).
    pub public_url: url::Url,
    /// The HMAC-SHA256 key that signs `state`.
    pub state_key: Sensitive<Vec<u8>>,
    pub facebook: Option<BrokerApp>,
    pub instagram: Option<BrokerApp>,
    /// Meta's hosts (tests: the sandbox's).
    pub endpoints: Endpoints,
    pub version: ApiVersion,
}

/// The environment variables, in one place.
pub mod env {
    pub const LISTEN: &str = "INSIGHTDESK_BROKER_LISTEN";
    pub const PUBLIC_URL: &str = "INSIGHTDESK_BROKER_PUBLIC_URL";
    pub const STATE_KEY: &str = "INSIGHTDESK_BROKER_STATE_KEY";
    pub const FACEBOOK_APP_ID: &str = "INSIGHTDESK_BROKER_FACEBOOK_APP_ID";
    pub const FACEBOOK_APP_SECRET: &str = "INSIGHTDESK_BROKER_FACEBOOK_APP_SECRET";
    pub const INSTAGRAM_APP_ID: &str = "INSIGHTDESK_BROKER_INSTAGRAM_APP_ID";
    pub const INSTAGRAM_APP_SECRET: &str = "INSIGHTDESK_BROKER_INSTAGRAM_APP_SECRET";
    pub const META_BASE: &str = "INSIGHTDESK_BROKER_META_BASE";
    pub const API_VERSION: &str = "INSIGHTDESK_BROKER_API_VERSION";
}

impl BrokerConfig {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<BrokerConfig, BrokerError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads the configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<BrokerConfig, BrokerError> {
        let listen = lookup(env::LISTEN).unwrap_or_else(|| "127.0.0.1:8787".into());
        let listen: SocketAddr = listen.parse().map_err(|_| BrokerError::Invalid {
            name: env::LISTEN,
            reason: format!("“{listen}” is not an address like 127.0.0.1:8787"),
        })?;
        let public = lookup(env::PUBLIC_URL).ok_or(BrokerError::Missing(env::PUBLIC_URL))?;
        let public_url = url::Url::parse(public.trim_end_matches('/'))
            .ok()
            .filter(|u| {
                matches!(u.scheme(), "https" | "http") && u.host().is_some() && u.query().is_none()
            })
            .ok_or_else(|| BrokerError::Invalid {
                name: env::PUBLIC_URL,
                reason: "use the public base URL, like https://broker.example.com".into(),
            })?;
        let key = lookup(env::STATE_KEY).ok_or(BrokerError::Missing(env::STATE_KEY))?;
        if key.len() < MIN_STATE_KEY_BYTES {
            return Err(BrokerError::Invalid {
                name: env::STATE_KEY,
                reason: format!(
                    "use at least {MIN_STATE_KEY_BYTES} random characters, e.g. from `openssl rand -base64 48`"
                ),
            });
        }
        let app = |id_var, secret_var| -> Result<Option<BrokerApp>, BrokerError> {
            match (lookup(id_var), lookup(secret_var)) {
                (Some(app_id), Some(secret)) => Ok(Some(BrokerApp {
                    app_id,
                    app_secret: Sensitive::new(secret),
                })),
                (None, None) => Ok(None),
                (Some(_), None) => Err(BrokerError::Missing(secret_var)),
                (None, Some(_)) => Err(BrokerError::Missing(id_var)),
            }
        };
        let facebook = app(env::FACEBOOK_APP_ID, env::FACEBOOK_APP_SECRET)?;
        let instagram = app(env::INSTAGRAM_APP_ID, env::INSTAGRAM_APP_SECRET)?;
        if facebook.is_none() && instagram.is_none() {
            return Err(BrokerError::NoLogin);
        }
        let endpoints = match lookup(env::META_BASE) {
            Some(base) => Endpoints::sandbox(&base),
            None => Endpoints::meta(),
        };
        let version = match lookup(env::API_VERSION) {
            Some(v) => v.parse()?,
            None => ApiVersion::default(),
        };
        Ok(BrokerConfig {
            listen,
            public_url,
            state_key: Sensitive::new(key.into_bytes()),
            facebook,
            instagram,
            endpoints,
            version,
        })
    }

    /// The redirect URI to register in the Meta app(s).
    pub fn redirect_uri(&self) -> String {
        format!(
            "{}/callback",
            self.public_url.as_str().trim_end_matches('/')
        )
    }

    fn app(&self, kind: LoginKind) -> Option<&BrokerApp> {
        match kind {
            LoginKind::Facebook => self.facebook.as_ref(),
            LoginKind::Instagram => self.instagram.as_ref(),
        }
    }
}

// ---- the signed state -----------------------------------------------------------------------

/// What the broker's `state` carries through Meta's dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateClaims {
    /// `facebook` or `instagram`.
    pub kind: LoginKind,
    /// The desktop's loopback port.
    pub port: u16,
    /// The desktop's own state nonce, handed back to it unchanged.
    pub nonce: String,
    /// UNIX seconds after which the state is refused.
    pub expires: i64,
}

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &Sensitive<Vec<u8>>) -> Option<HmacSha256> {
    HmacSha256::new_from_slice(key.expose()).ok()
}

/// `base64url(JSON claims) . base64url(HMAC-SHA256(key, first part))`.
pub fn sign_state(key: &Sensitive<Vec<u8>>, claims: &StateClaims) -> String {
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let tag = match mac(key) {
        Some(mut mac) => {
            mac.update(payload.as_bytes());
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        }
        None => String::new(),
    };
    format!("{payload}.{tag}")
}

/// Why a state was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateError {
    Malformed,
    BadSignature,
    Expired,
}

/// Checks a state's signature (constant-time) and expiry.
pub fn verify_state(
    key: &Sensitive<Vec<u8>>,
    state: &str,
    now: DateTime<Utc>,
) -> Result<StateClaims, StateError> {
    let (payload, tag) = state.split_once('.').ok_or(StateError::Malformed)?;
    let tag = URL_SAFE_NO_PAD
        .decode(tag)
        .map_err(|_| StateError::Malformed)?;
    let mut mac = mac(key).ok_or(StateError::BadSignature)?;
    mac.update(payload.as_bytes());
    mac.verify_slice(&tag)
        .map_err(|_| StateError::BadSignature)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| StateError::Malformed)?;
    let claims: StateClaims = serde_json::from_slice(&bytes).map_err(|_| StateError::Malformed)?;
    if now.timestamp() >= claims.expires {
        return Err(StateError::Expired);
    }
    Ok(claims)
}

// ---- the service ----------------------------------------------------------------------------

struct Broker {
    config: BrokerConfig,
    clock: Arc<dyn Clock>,
}

impl Broker {
    fn client(&self, kind: LoginKind) -> Result<GraphClient, GraphError> {
        GraphClient::builder(kind)
            .endpoints(self.config.endpoints.clone())
            .version(self.config.version)
            .clock(Arc::clone(&self.clock))
            .build()
    }
}

/// The broker's routes, with the system clock.
pub fn router(config: BrokerConfig) -> Router {
    router_with_clock(config, Arc::new(SystemClock))
}

/// The broker's routes; `clock` decides when a signed state expires.
pub fn router_with_clock(config: BrokerConfig, clock: Arc<dyn Clock>) -> Router {
    let broker = Arc::new(Broker { config, clock });
    Router::new()
        .route("/start", get(start))
        .route("/callback", get(callback))
        .route("/exchange", post(exchange))
        .route("/refresh", post(refresh))
        .route("/health", get(|| async { "ok\n" }))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(harden))
        .with_state(broker)
}

/// Listens on `config.listen` and serves until `shutdown` resolves.
pub async fn serve(
    config: BrokerConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), BrokerError> {
    let address = config.listen;
    let listener =
        tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| BrokerError::Listen {
                address: address.to_string(),
                reason: e.to_string(),
            })?;
    log::info!(
        "broker listening on http://{address}; Meta redirect URI: {}",
        config.redirect_uri()
    );
    serve_on(listener, router(config), shutdown).await
}

/// Serves `router` on an already bound listener (tests bind port 0 first, to know the public
/// URL) until `shutdown` resolves.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), BrokerError> {
    let address = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| BrokerError::Listen {
            address,
            reason: e.to_string(),
        })
}

/// No answer of the broker may be cached or leak its URL (with a code in it) as a referrer.
async fn harden(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body style=\"font-family:sans-serif;max-width:36em;margin:4em auto\"><h1>{title}</h1><p>{message}</p></body></html>\n"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn json_error(status: StatusCode, class: &str, message: &str) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": { "class": class, "message": message } })),
    )
        .into_response()
}

fn redirect(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
}

fn parse_kind(text: Option<&String>) -> Option<LoginKind> {
    match text.map(String::as_str) {
        Some("facebook") => Some(LoginKind::Facebook),
        Some("instagram") => Some(LoginKind::Instagram),
        _ => None,
    }
}

/// A desktop nonce or PKCE challenge: base64url, 43 to 128 characters.
fn is_base64url_token(text: &str) -> bool {
    (43..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn scopes(kind: LoginKind) -> &'static [&'static str] {
    match kind {
        LoginKind::Facebook => &[
            "instagram_basic",
            "instagram_manage_insights",
            "pages_show_list",
            "pages_read_engagement",
            // Optional: new-comment alerts. Everything else works without it.
            "instagram_manage_comments",
        ],
        LoginKind::Instagram => &[
            "instagram_business_basic",
            "instagram_business_manage_insights",
            "instagram_business_manage_comments",
        ],
    }
}

async fn start(
    State(broker): State<Arc<Broker>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let bad = |message: &str| page(StatusCode::BAD_REQUEST, "Cannot start signing in", message);
    let Some(kind) = parse_kind(query.get("kind")) else {
        return bad("The sign-in kind must be facebook or instagram.");
    };
    let Some(app) = broker.config.app(kind) else {
        return bad("This sign-in service does not offer this login kind.");
    };
    let Some(port) = query
        .get("port")
        .and_then(|p| p.parse::<u16>().ok())
        .filter(|p| *p >= 1024)
    else {
        return bad("The desktop's port is missing or not a port number from 1024 on.");
    };
    let Some(nonce) = query.get("state").filter(|s| is_base64url_token(s)) else {
        return bad("The desktop's state is missing or malformed.");
    };
    let challenge = query.get("code_challenge").map(String::as_str);
    if let Some(c) = challenge
        && !is_base64url_token(c)
    {
        return bad("The PKCE challenge is malformed.");
    }
    if kind == LoginKind::Facebook && challenge.is_none() {
        return bad("Facebook Login through this service needs a PKCE challenge.");
    }
    let expires = broker.clock.now().timestamp() + STATE_LIFETIME.as_secs() as i64;
    let state = Sensitive::new(sign_state(
        &broker.config.state_key,
        &StateClaims {
            kind,
            port,
            nonce: nonce.clone(),
            expires,
        },
    ));
    let client = match broker.client(kind) {
        Ok(client) => client,
        Err(e) => {
            return page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Cannot start signing in",
                &e.to_string(),
            );
        }
    };
    let redirect_uri = broker.config.redirect_uri();
    let url = client.oauth().authorize_url(&AuthorizeParams {
        client_id: &app.app_id,
        redirect_uri: &redirect_uri,
        scopes: scopes(kind),
        state: &state,
        pkce_challenge: challenge,
        force_reauth: false,
    });
    match url {
        Ok(url) => {
            log::info!("start: {} sign-in for loopback port {port}", kind.as_str());
            redirect(url.expose())
        }
        Err(e) => page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Cannot start signing in",
            &e.to_string(),
        ),
    }
}

async fn callback(
    State(broker): State<Arc<Broker>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(state) = query.get("state") else {
        return page(
            StatusCode::BAD_REQUEST,
            "Sign-in link not recognised",
            "This answer carries no sign-in state. Start signing in again from Insightdesk.",
        );
    };
    let claims = match verify_state(&broker.config.state_key, state, broker.clock.now()) {
        Ok(claims) => claims,
        Err(StateError::Expired) => {
            log::warn!("callback: an expired state");
            return page(
                StatusCode::BAD_REQUEST,
                "Sign-in link expired",
                "This sign-in took too long. Start signing in again from Insightdesk.",
            );
        }
        Err(reason) => {
            log::warn!("callback: a state this broker did not sign ({reason:?})");
            return page(
                StatusCode::BAD_REQUEST,
                "Sign-in link not recognised",
                "This answer was not started by this sign-in service. Start signing in again from Insightdesk.",
            );
        }
    };
    let mut target = match url::Url::parse(&format!("http://127.0.0.1:{}/callback", claims.port)) {
        Ok(url) => url,
        Err(_) => {
            return page(
                StatusCode::BAD_REQUEST,
                "Sign-in link not recognised",
                "Bad port.",
            );
        }
    };
    {
        let mut pairs = target.query_pairs_mut();
        if let Some(error) = query.get("error") {
            pairs.append_pair("error", error);
            for name in ["error_reason", "error_description"] {
                if let Some(value) = query.get(name) {
                    pairs.append_pair(name, value);
                }
            }
        } else if let Some(code) = query.get("code") {
            // Instagram appends `#_`; a browser never sends the fragment, but strip any copy.
            let code = code.split('#').next().unwrap_or(code);
            pairs.append_pair("code", code);
        } else {
            return page(
                StatusCode::BAD_REQUEST,
                "Sign-in not completed",
                "Meta's answer carries neither a code nor an error. Start signing in again from Insightdesk.",
            );
        }
        pairs.append_pair("state", &claims.nonce);
    }
    log::info!(
        "callback: {} answer bounced to loopback port {}",
        claims.kind.as_str(),
        claims.port
    );
    redirect(target.as_str())
}

#[derive(Deserialize)]
struct ExchangeRequest {
    kind: LoginKind,
    code: String,
    #[serde(default)]
    code_verifier: Option<String>,
}

#[derive(Deserialize)]
struct RefreshRequest {
    access_token: String,
}

fn graph_failure(step: &str, error: &GraphError) -> Response {
    let (status, class) = match error.class() {
        ErrorClass::NeedsReauth => (StatusCode::UNAUTHORIZED, "needs_reauth"),
        ErrorClass::Permission => (StatusCode::FORBIDDEN, "permission"),
        ErrorClass::Throttled { .. } => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
        ErrorClass::Transient => (StatusCode::BAD_GATEWAY, "transient"),
        _ => (StatusCode::BAD_GATEWAY, "meta_refused"),
    };
    // GraphError's text has every URL redacted and no token; it is safe to log and answer.
    log::warn!("{step} failed: {error}");
    json_error(status, class, &error.to_string())
}

fn token_answer(
    token: &Sensitive<String>,
    expires_in: Option<u64>,
    user_id: Option<String>,
    permissions: Option<Vec<String>>,
) -> Response {
    let mut body = serde_json::json!({
        "access_token": token.expose(),
        "token_type": "bearer",
    });
    if let Some(expires_in) = expires_in {
        body["expires_in"] = expires_in.into();
    }
    if let Some(user_id) = user_id {
        body["user_id"] = user_id.into();
    }
    if let Some(permissions) = permissions {
        body["permissions"] = permissions.into();
    }
    (StatusCode::OK, Json(body)).into_response()
}

async fn exchange(
    State(broker): State<Arc<Broker>>,
    body: Result<Json<ExchangeRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let request = match body {
        Ok(Json(request)) => request,
        Err(rejection) => {
            return json_error(
                rejection.status(),
                "bad_request",
                "The body must be JSON: {\"kind\",\"code\",\"code_verifier\"}, at most 16 KiB.",
            );
        }
    };
    let kind = request.kind;
    let Some(app) = broker.config.app(kind) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "This sign-in service does not offer this login kind.",
        );
    };
    let client = match broker.client(kind) {
        Ok(client) => client,
        Err(e) => return graph_failure("exchange", &e),
    };
    let oauth = client.oauth();
    let creds = AppCredentials {
        app_id: app.app_id.clone(),
        app_secret: Some(app.app_secret.clone()),
    };
    let code = Sensitive::new(request.code);
    let verifier = request.code_verifier.map(Sensitive::new);
    let redirect_uri = broker.config.redirect_uri();
    match kind {
        LoginKind::Facebook => {
            let Some(verifier) = verifier else {
                return json_error(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    "Facebook Login through this service needs the PKCE code_verifier.",
                );
            };
            let short = match oauth
                .exchange_facebook_code(&creds, &code, &redirect_uri, Some(&verifier))
                .await
            {
                Ok(short) => short,
                Err(e) => return graph_failure("facebook code exchange", &e),
            };
            match oauth
                .exchange_facebook_token(&creds, &short.access_token)
                .await
            {
                Ok(long) => {
                    log::info!("exchange: facebook long-lived token issued");
                    token_answer(&long.access_token, long.expires_in, None, None)
                }
                Err(e) => graph_failure("facebook long-lived exchange", &e),
            }
        }
        LoginKind::Instagram => {
            let short = match oauth
                .exchange_instagram_code(&creds, &code, &redirect_uri)
                .await
            {
                Ok(short) => short,
                Err(e) => return graph_failure("instagram code exchange", &e),
            };
            match oauth
                .exchange_instagram_token(&creds, &short.access_token)
                .await
            {
                Ok(long) => {
                    log::info!("exchange: instagram long-lived token issued");
                    token_answer(
                        &long.access_token,
                        long.expires_in,
                        Some(short.user_id),
                        Some(short.permissions),
                    )
                }
                Err(e) => graph_failure("instagram long-lived exchange", &e),
            }
        }
    }
}

async fn refresh(
    State(broker): State<Arc<Broker>>,
    body: Result<Json<RefreshRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let request = match body {
        Ok(Json(request)) => request,
        Err(rejection) => {
            return json_error(
                rejection.status(),
                "bad_request",
                "The body must be JSON: {\"access_token\"}, at most 16 KiB.",
            );
        }
    };
    let client = match broker.client(LoginKind::Instagram) {
        Ok(client) => client,
        Err(e) => return graph_failure("refresh", &e),
    };
    let token = Sensitive::new(request.access_token);
    match client.oauth().refresh_instagram_token(&token).await {
        Ok(fresh) => {
            log::info!("refresh: instagram token refreshed");
            token_answer(&fresh.access_token, fresh.expires_in, None, None)
        }
        Err(e) => graph_failure("refresh", &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Sensitive<Vec<u8>> {
        Sensitive::new(b"0123456789abcdef0123456789abcdef".to_vec())
    }

    #[test]
    fn states_verify_and_refuse_tampering_and_expiry() {
        let now: DateTime<Utc> = "2026-11-26T12:00:00Z".parse().unwrap();
        let claims = StateClaims {
            kind: LoginKind::Instagram,
            port: 47813,
            nonce: "n".repeat(43),
            expires: now.timestamp() + 60,
        };
        let state = sign_state(&key(), &claims);
        assert_eq!(verify_state(&key(), &state, now), Ok(claims.clone()));
        assert_eq!(
            verify_state(&key(), &state, now + chrono::Duration::seconds(60)),
            Err(StateError::Expired)
        );
        let other = Sensitive::new(b"another key that is long enough!!".to_vec());
        assert_eq!(
            verify_state(&other, &state, now),
            Err(StateError::BadSignature)
        );
        let forged = sign_state(&other, &StateClaims { port: 1, ..claims });
        let (payload, _) = forged.split_once('.').unwrap();
        let (_, tag) = state.split_once('.').unwrap();
        assert_eq!(
            verify_state(&key(), &format!("{payload}.{tag}"), now),
            Err(StateError::BadSignature)
        );
        assert_eq!(
            verify_state(&key(), "garbage", now),
            Err(StateError::Malformed)
        );
    }

    #[test]
    fn configuration_needs_a_public_url_a_key_and_one_app() {
        let vars = |pairs: &[(&str, &str)]| {
            let map: HashMap<String, String> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            BrokerConfig::from_lookup(move |name| map.get(name).cloned())
        };
        let key = "k".repeat(40);
        let ok = vars(&[
            (env::PUBLIC_URL, "https://broker.example.com/"),
            (env::STATE_KEY, &key),
            (env::INSTAGRAM_APP_ID, "1"),
            (env::INSTAGRAM_APP_SECRET, "CANARYbrokerSecret"),
        ])
        .unwrap();
        assert_eq!(ok.redirect_uri(), "https://broker.example.com/callback");
        assert!(!format!("{ok:?}").contains("CANARY"));
        assert!(matches!(
            vars(&[
                (env::PUBLIC_URL, "https://b.example"),
                (env::STATE_KEY, &key)
            ]),
            Err(BrokerError::NoLogin)
        ));
        assert!(matches!(
            vars(&[
                (env::PUBLIC_URL, "https://b.example"),
                (env::STATE_KEY, "short")
            ]),
            Err(BrokerError::Invalid { .. })
        ));
        assert!(matches!(
            vars(&[
                (env::PUBLIC_URL, "https://b.example"),
                (env::STATE_KEY, &key),
                (env::FACEBOOK_APP_ID, "1")
            ]),
            Err(BrokerError::Missing(env::FACEBOOK_APP_SECRET))
        ));
    }
}
