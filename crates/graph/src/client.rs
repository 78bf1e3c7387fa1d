//! The transport: one place where requests are built, authorised, paced, sent, counted,
//! retried and read.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use insightdesk_secret::{Sensitive, redact_url};
use reqwest::Method;
use serde::de::DeserializeOwned;
use sha2::Sha256;
use tokio_util::sync::CancellationToken;

use crate::catalog::Catalog;
use crate::clock::{Clock, SystemClock};
use crate::endpoints::{ApiVersion, Endpoints, Host, LoginKind};
use crate::error::{ErrorClass, GraphError, MetaError};
use crate::exclusions::{InMemoryExclusions, MetricExclusions};
use crate::governor::{Governor, GovernorConfig, Permit};
use crate::parse::read_answer;
use crate::retry::RetryPolicy;
use crate::sink::{RawAnswer, ResponseSink, endpoint_of};
use crate::usage::Usage;

/// How many HTTP requests went out, and how many calls Meta counts against the rate limit
/// (a batch of N counts N; a media page with expanded insights counts 1 + the media expanded).
#[derive(Debug, Default)]
pub struct Counters {
    http_requests: AtomicU64,
    counted_calls: AtomicU64,
}

/// A reading of [`Counters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CallCounts {
    pub http_requests: u64,
    pub counted_calls: u64,
}

impl Counters {
    pub fn read(&self) -> CallCounts {
        CallCounts {
            http_requests: self.http_requests.load(Ordering::Relaxed),
            counted_calls: self.counted_calls.load(Ordering::Relaxed),
        }
    }
}

/// Whose token authorises a request.
#[derive(Debug, Clone)]
pub(crate) enum Auth {
    /// No token (OAuth code exchange, app-secret calls).
    None,
    /// The client's own token.
    Client,
    /// A token given for this request only.
    Token(Sensitive<String>),
}

/// One request, described before it is sent (and re-sent on retry).
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) method: Method,
    pub(crate) host: Host,
    /// The path after the host, without a leading slash.
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) form: Option<Vec<(String, String)>>,
    pub(crate) auth: Auth,
    /// Calls Meta counts for this request as sent.
    pub(crate) cost: u64,
    /// Further calls the answer may add (expanded insights), reserved with the governor
    /// before sending and counted once the answer says how many there were.
    pub(crate) reserve: u64,
    /// The metrics asked for, in order, so an error can name the one Meta refused.
    pub(crate) metrics: Vec<String>,
    /// Add `appsecret_proof` when the token and the app secret are at hand (not for calls
    /// authorised by something other than a user token, like the app token).
    pub(crate) appsecret_proof: bool,
}

impl Request {
    pub(crate) fn new(method: Method, host: Host, path: impl Into<String>) -> Self {
        Self {
            method,
            host,
            path: path.into(),
            query: Vec::new(),
            form: None,
            auth: Auth::Client,
            cost: 1,
            reserve: 0,
            metrics: Vec::new(),
            appsecret_proof: true,
        }
    }

    pub(crate) fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.set_query(name, value);
        self
    }

    /// Sets a query parameter, replacing an earlier value.
    pub(crate) fn set_query(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.query.iter_mut().find(|(k, _)| k == name) {
            Some(pair) => pair.1 = value,
            None => self.query.push((name.to_owned(), value)),
        }
    }

    pub(crate) fn form(mut self, pairs: Vec<(String, String)>) -> Self {
        self.form = Some(pairs);
        self
    }

    pub(crate) fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    pub(crate) fn cost(mut self, cost: u64) -> Self {
        self.cost = cost;
        self
    }
}

#[derive(Clone)]
struct Inner {
    http: reqwest::Client,
    endpoints: Endpoints,
    version: ApiVersion,
    login: LoginKind,
    token: Option<Sensitive<String>>,
    app_secret: Option<Sensitive<String>>,
    account: Option<String>,
    governor: Arc<Governor>,
    clock: Arc<dyn Clock>,
    retry: RetryPolicy,
    counters: Arc<Counters>,
    catalog: Arc<Catalog>,
    exclusions: Arc<dyn MetricExclusions>,
    cancel: CancellationToken,
    sink: Option<Arc<dyn ResponseSink>>,
}

/// The Graph API client for one login kind, app and (optionally) token. Cloning is cheap and
/// clones share the governor, counters, exclusions and cancellation.
#[derive(Clone)]
pub struct GraphClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphClient")
            .field("endpoints", &self.inner.endpoints)
            .field("version", &self.inner.version)
            .field("login", &self.inner.login)
            .field("token", &self.inner.token)
            .field("app_secret", &self.inner.app_secret)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Builds a [`GraphClient`].
pub struct GraphClientBuilder {
    login: LoginKind,
    endpoints: Endpoints,
    version: ApiVersion,
    token: Option<Sensitive<String>>,
    app_secret: Option<Sensitive<String>>,
    account: Option<String>,
    governor: Option<Arc<Governor>>,
    governor_config: GovernorConfig,
    clock: Arc<dyn Clock>,
    retry: RetryPolicy,
    counters: Arc<Counters>,
    catalog: Option<Arc<Catalog>>,
    exclusions: Arc<dyn MetricExclusions>,
    cancel: CancellationToken,
    timeout: Duration,
    connect_timeout: Duration,
    sink: Option<Arc<dyn ResponseSink>>,
}

impl GraphClientBuilder {
    pub fn endpoints(mut self, endpoints: Endpoints) -> Self {
        self.endpoints = endpoints;
        self
    }

    pub fn version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    pub fn token(mut self, token: Sensitive<String>) -> Self {
        self.token = Some(token);
        self
    }

    /// The app secret, when at hand: every token-bearing Graph call then carries
    /// `appsecret_proof`, and the token exchanges that need the secret can run.
    pub fn app_secret(mut self, secret: Sensitive<String>) -> Self {
        self.app_secret = Some(secret);
        self
    }

    /// The Instagram account this client works for (its business-object id), which picks the
    /// right entry of `X-Business-Use-Case-Usage` for the governor it creates.
    pub fn account(mut self, ig_user_id: impl Into<String>) -> Self {
        self.account = Some(ig_user_id.into());
        self
    }

    /// Shares a governor with other clients of the same (app, account).
    pub fn governor(mut self, governor: Arc<Governor>) -> Self {
        self.governor = Some(governor);
        self
    }

    pub fn governor_config(mut self, config: GovernorConfig) -> Self {
        self.governor_config = config;
        self
    }

    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn counters(mut self, counters: Arc<Counters>) -> Self {
        self.counters = counters;
        self
    }

    pub fn catalog(mut self, catalog: Arc<Catalog>) -> Self {
        self.catalog = Some(catalog);
        self
    }

    pub fn exclusions(mut self, exclusions: Arc<dyn MetricExclusions>) -> Self {
        self.exclusions = exclusions;
        self
    }

    /// Receives the raw body of every successful Graph answer (see [`ResponseSink`]).
    pub fn response_sink(mut self, sink: Arc<dyn ResponseSink>) -> Self {
        self.sink = Some(sink);
        self
    }

    /// Cancelling this token stops every request and wait of the client (and its clones).
    pub fn cancel(mut self, cancel: CancellationToken) -> Self {
        self.cancel = cancel;
        self
    }

    /// The whole-request timeout (a timeout counts as a transient failure).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    pub fn build(self) -> Result<GraphClient, GraphError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!("insightdesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| GraphError::Transport {
                request: "building the HTTP client".into(),
                reason: e.without_url().to_string(),
                timed_out: false,
            })?;
        let catalog = match self.catalog {
            Some(catalog) => catalog,
            None => Catalog::embedded()?,
        };
        let governor = self
            .governor
            .unwrap_or_else(|| Arc::new(Governor::new(self.account.clone(), self.governor_config)));
        Ok(GraphClient {
            inner: Arc::new(Inner {
                http,
                endpoints: self.endpoints,
                version: self.version,
                login: self.login,
                token: self.token,
                app_secret: self.app_secret,
                account: self.account,
                governor,
                clock: self.clock,
                retry: self.retry,
                counters: self.counters,
                catalog,
                exclusions: self.exclusions,
                cancel: self.cancel,
                sink: self.sink,
            }),
        })
    }
}

type HmacSha256 = Hmac<Sha256>;

/// `appsecret_proof`: the HMAC-SHA256 of the token keyed by the app secret, in hex.
pub fn appsecret_proof(
    token: &Sensitive<String>,
    app_secret: &Sensitive<String>,
) -> Sensitive<String> {
    let proof = match HmacSha256::new_from_slice(app_secret.expose().as_bytes()) {
        Ok(mut mac) => {
            mac.update(token.expose().as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        // HMAC takes keys of any length, so this arm is never taken.
        Err(_) => String::new(),
    };
    Sensitive::new(proof)
}

impl GraphClient {
    pub fn builder(login: LoginKind) -> GraphClientBuilder {
        GraphClientBuilder {
            login,
            endpoints: Endpoints::default(),
            version: ApiVersion::default(),
            token: None,
            app_secret: None,
            account: None,
            governor: None,
            governor_config: GovernorConfig::default(),
            clock: Arc::new(SystemClock),
            retry: RetryPolicy::default(),
            counters: Arc::new(Counters::default()),
            catalog: None,
            exclusions: Arc::new(InMemoryExclusions::new()),
            cancel: CancellationToken::new(),
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(15),
            sink: None,
        }
    }

    /// The same client with another token (everything else shared).
    pub fn with_token(&self, token: Sensitive<String>) -> GraphClient {
        let mut inner = (*self.inner).clone();
        inner.token = Some(token);
        GraphClient {
            inner: Arc::new(inner),
        }
    }

    pub fn login(&self) -> LoginKind {
        self.inner.login
    }

    pub fn version(&self) -> ApiVersion {
        self.inner.version
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.inner.endpoints
    }

    /// The Instagram account this client works for, when set on the builder.
    pub fn account(&self) -> Option<&str> {
        self.inner.account.as_deref()
    }

    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.inner.catalog
    }

    pub fn exclusions(&self) -> &Arc<dyn MetricExclusions> {
        &self.inner.exclusions
    }

    pub fn governor(&self) -> &Arc<Governor> {
        &self.inner.governor
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }

    pub fn cancellation(&self) -> &CancellationToken {
        &self.inner.cancel
    }

    pub fn counts(&self) -> CallCounts {
        self.inner.counters.read()
    }

    pub(crate) fn retry_attempts(&self) -> u32 {
        self.inner.retry.max_attempts.max(1)
    }

    pub(crate) fn app_secret(&self) -> Option<&Sensitive<String>> {
        self.inner.app_secret.as_ref()
    }

    /// The Graph host of this client's login kind.
    pub(crate) fn graph_host(&self) -> Host {
        self.inner.login.graph_host()
    }

    /// `vNN.0/{rest}` on this client's Graph host.
    pub(crate) fn graph(&self, method: Method, rest: &str) -> Request {
        Request::new(
            method,
            self.graph_host(),
            format!("{}/{}", self.inner.version, rest.trim_start_matches('/')),
        )
    }

    /// Counts calls Meta charged that were not known before the answer (expanded insights).
    pub(crate) fn spend(&self, calls: u64) {
        if calls == 0 {
            return;
        }
        self.inner
            .counters
            .counted_calls
            .fetch_add(calls, Ordering::Relaxed);
        self.inner.governor.record(calls, self.now());
    }

    fn check_cancelled(&self) -> Result<(), GraphError> {
        if self.inner.cancel.is_cancelled() {
            Err(GraphError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Sleeps on the client's clock until `deadline`, unless cancelled first.
    pub(crate) async fn sleep_until(&self, deadline: DateTime<Utc>) -> Result<(), GraphError> {
        tokio::select! {
            () = self.inner.cancel.cancelled() => Err(GraphError::Cancelled),
            () = self.inner.clock.sleep_until(deadline) => Ok(()),
        }
    }

    /// Waits until the governor allows `n` calls, or fails with [`GraphError::Budget`] when the
    /// wait would be longer than the retry policy accepts.
    pub async fn wait_for_budget(&self, n: u64) -> Result<(), GraphError> {
        loop {
            self.check_cancelled()?;
            let now = self.now();
            match self.inner.governor.permit(n, now) {
                Permit::Now => return Ok(()),
                Permit::At(at) => {
                    let wait = (at - now).to_std().unwrap_or_default();
                    if wait > self.inner.retry.max_wait {
                        return Err(GraphError::Budget {
                            until: at,
                            retry_after: wait,
                        });
                    }
                    log::info!(
                        "pausing Graph calls for {}s to stay within the rate limit",
                        wait.as_secs()
                    );
                    self.sleep_until(at).await?;
                }
            }
        }
    }

    /// Sends a request, retrying what may pass and waiting out throttling, and reads the
    /// answer as `T`.
    pub(crate) async fn execute<T: DeserializeOwned>(
        &self,
        request: &Request,
    ) -> Result<T, GraphError> {
        let retry = &self.inner.retry;
        let mut attempt: u32 = 0;
        let mut throttle_waits: u32 = 0;
        loop {
            self.wait_for_budget(request.cost + request.reserve).await?;
            attempt += 1;
            let error = match self.send_once::<T>(request).await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            match error.class() {
                ErrorClass::Throttled { retry_after }
                    if matches!(error, GraphError::Api { .. }) =>
                {
                    let now = self.now();
                    let until = self.inner.governor.throttled(retry_after, now);
                    let wait = (until - now).to_std().unwrap_or_default();
                    if throttle_waits >= retry.max_throttle_waits || wait > retry.max_wait {
                        return Err(with_retry_after(error, wait));
                    }
                    throttle_waits += 1;
                    log::warn!("{error} Waiting {}s before trying again.", wait.as_secs());
                }
                ErrorClass::Transient if attempt < retry.max_attempts => {
                    let delay = retry.delay(attempt, &mut rand::rng());
                    log::warn!(
                        "{error} Trying again in {}ms (attempt {} of {}).",
                        delay.as_millis(),
                        attempt + 1,
                        retry.max_attempts
                    );
                    let deadline =
                        self.now() + chrono::Duration::from_std(delay).unwrap_or_default();
                    self.sleep_until(deadline).await?;
                }
                _ => return Err(error),
            }
        }
    }

    fn token_for(&self, auth: &Auth) -> Result<Option<Sensitive<String>>, GraphError> {
        match auth {
            Auth::None => Ok(None),
            Auth::Client => self
                .inner
                .token
                .clone()
                .map(Some)
                .ok_or(GraphError::MissingToken),
            Auth::Token(token) => Ok(Some(token.clone())),
        }
    }

    /// One HTTP exchange.
    async fn send_once<T: DeserializeOwned>(&self, request: &Request) -> Result<T, GraphError> {
        self.check_cancelled()?;
        let token = self.token_for(&request.auth)?;
        let mut url = self.inner.endpoints.url(request.host, &request.path)?;
        let mut form = request.form.clone();
        let proof = match (&token, &self.inner.app_secret) {
            (Some(token), Some(secret))
                if request.appsecret_proof
                    && matches!(request.host, Host::GraphFacebook | Host::GraphInstagram) =>
            {
                Some(appsecret_proof(token, secret))
            }
            _ => None,
        };
        {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
            if let (Some(proof), None) = (&proof, &form) {
                pairs.append_pair("appsecret_proof", proof.expose());
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        if let (Some(proof), Some(form)) = (&proof, form.as_mut()) {
            form.push(("appsecret_proof".into(), proof.expose().clone()));
        }
        let shown = format!("{} {}", request.method, redact_url(url.as_str()));

        let mut builder = self.inner.http.request(request.method.clone(), url);
        if let Some(token) = &token {
            builder = builder.bearer_auth(token.expose());
        }
        if let Some(form) = &form {
            builder = builder.form(form);
        }

        let now = self.now();
        self.inner
            .counters
            .http_requests
            .fetch_add(1, Ordering::Relaxed);
        self.inner
            .counters
            .counted_calls
            .fetch_add(request.cost, Ordering::Relaxed);
        self.inner.governor.record(request.cost, now);
        log::debug!("sending {shown}");

        let transport = |e: reqwest::Error| {
            let timed_out = e.is_timeout();
            GraphError::Transport {
                request: shown.clone(),
                reason: error_chain(&e.without_url()),
                timed_out,
            }
        };
        let response = tokio::select! {
            () = self.inner.cancel.cancelled() => return Err(GraphError::Cancelled),
            response = builder.send() => response.map_err(transport)?,
        };
        let status = response.status();
        let usage = Usage::from_headers(response.headers());
        let usage_headers = response.headers().clone();
        self.inner.governor.observe(&usage, self.now());
        let body = tokio::select! {
            () = self.inner.cancel.cancelled() => return Err(GraphError::Cancelled),
            body = response.bytes() => body.map_err(transport)?,
        };
        log::debug!(
            "{shown} answered {} ({} bytes)",
            status.as_u16(),
            body.len()
        );

        let version_header = response_version(&usage_headers);
        let mut answer = read_answer(status.as_u16(), &body, shown, &request.metrics);
        if answer.is_ok() && status.is_success() {
            self.offer(request, version_header.as_deref(), &body);
        }
        if status.is_server_error() && matches!(answer, Err(GraphError::Status { .. })) {
            // A 5xx page without Meta's error object came from Meta's edge, not the Graph
            // API: the call never reached it, so it was not counted.
            self.inner
                .counters
                .counted_calls
                .fetch_sub(request.cost, Ordering::Relaxed);
        }
        if let Err(GraphError::Api { class, meta, .. }) = &mut answer {
            self.scrub(meta);
            if let ErrorClass::Throttled { retry_after } = class {
                *retry_after = usage.regain_after(self.inner.governor.account());
            }
        }
        answer
    }

    /// Hands a successful answer to the response sink, when there is one and the request is
    /// one whose address and body may be kept: a GET on a Graph host with the client's token.
    fn offer(&self, request: &Request, served: Option<&str>, body: &[u8]) {
        let Some(sink) = &self.inner.sink else {
            return;
        };
        let keepable = request.method == Method::GET
            && matches!(request.auth, Auth::Client)
            && matches!(request.host, Host::GraphFacebook | Host::GraphInstagram);
        if !keepable {
            return;
        }
        let endpoint = endpoint_of(&request.path, &request.query);
        let asked = self.inner.version.to_string();
        sink.received(&RawAnswer {
            endpoint: &endpoint,
            api_version: served.unwrap_or(&asked),
            body,
        });
    }

    /// Hands one successful batch item to the response sink (its relative URL carries the
    /// version it asked for).
    pub(crate) fn offer_batch_item(&self, relative_url: &str, body: &[u8]) {
        let Some(sink) = &self.inner.sink else {
            return;
        };
        let endpoint =
            insightdesk_secret::redact_url(&format!("/{}", relative_url.trim_start_matches('/')));
        let asked = self.inner.version.to_string();
        sink.received(&RawAnswer {
            endpoint: &endpoint,
            api_version: &asked,
            body,
        });
    }

    /// Removes this client's own secrets from Meta's text, should Meta ever echo them.
    fn scrub(&self, meta: &mut MetaError) {
        let secrets: Vec<&str> = [self.inner.token.as_ref(), self.inner.app_secret.as_ref()]
            .into_iter()
            .flatten()
            .map(|s| s.expose().as_str())
            .filter(|s| s.len() >= 8)
            .collect();
        let clean = |text: &mut String| {
            for secret in &secrets {
                if text.contains(secret) {
                    *text = text.replace(secret, "<redacted>");
                }
            }
        };
        clean(&mut meta.message);
        if let Some(t) = meta.user_title.as_mut() {
            clean(t);
        }
        if let Some(m) = meta.user_message.as_mut() {
            clean(m);
        }
    }
}

/// The version Meta says served the answer (`facebook-api-version: v26.0`).
fn response_version(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get("facebook-api-version")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// A throttling error that says how long to wait: Meta's estimate when it gave one, else the
/// governor's block.
fn with_retry_after(mut error: GraphError, wait: Duration) -> GraphError {
    if let GraphError::Api {
        class: ErrorClass::Throttled { retry_after },
        ..
    } = &mut error
    {
        retry_after.get_or_insert(wait);
    }
    error
}

/// An error and its causes in one line (hyper's causes say "connection reset" and the like).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    crate::redact::redact_text(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appsecret_proof_is_hmac_sha256_hex() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let proof = appsecret_proof(
            &Sensitive::new("what do ya want for nothing?".to_owned()),
            &Sensitive::new("Jefe".to_owned()),
        );
        assert_eq!(
            proof.expose(),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn debug_hides_the_token_and_secret() {
        let client = GraphClient::builder(LoginKind::Facebook)
            .token(Sensitive::new("CANARYtokenXYZ".into()))
            .app_secret(Sensitive::new("CANARYsecretXYZ".into()))
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("CANARY"), "{shown}");
    }
}

/// The most a media file (a thumbnail) may weigh.
pub const MAX_MEDIA_FILE_BYTES: usize = 8 * 1024 * 1024;

/// A picture Meta's CDN served: its bytes and what kind of image they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    pub bytes: Vec<u8>,
    /// `png`, `jpg`, `webp`, `gif` or `svg`.
    pub extension: &'static str,
}

impl GraphClient {
    /// Downloads a post's picture from the `media_url`/`thumbnail_url` Meta gave, for the
    /// local thumbnail cache. CDN addresses carry their own signature, so no token is sent;
    /// only http(s), no redirects, images only, at most [`MAX_MEDIA_FILE_BYTES`].
    pub async fn fetch_media_file(&self, url: &str) -> Result<MediaFile, GraphError> {
        let shown = insightdesk_secret::redact_url(url);
        let parsed = url::Url::parse(url).map_err(|e| GraphError::InvalidUrl {
            url: shown.clone(),
            reason: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(GraphError::InvalidUrl {
                url: shown,
                reason: "only http and https addresses are fetched".into(),
            });
        }
        let request = format!("GET {shown}");
        let transport = |e: reqwest::Error| {
            let timed_out = e.is_timeout();
            GraphError::Transport {
                request: request.clone(),
                reason: e.without_url().to_string(),
                timed_out,
            }
        };
        let response = self
            .inner
            .http
            .get(parsed)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(GraphError::Status { status, request });
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let extension = match content_type.split(';').next().unwrap_or_default().trim() {
            "image/png" => "png",
            "image/jpeg" | "image/jpg" => "jpg",
            "image/webp" => "webp",
            "image/gif" => "gif",
            "image/svg+xml" => "svg",
            other => {
                return Err(GraphError::Malformed {
                    request,
                    reason: format!("expected an image, got “{other}”"),
                });
            }
        };
        if response
            .content_length()
            .is_some_and(|len| len > MAX_MEDIA_FILE_BYTES as u64)
        {
            return Err(GraphError::Malformed {
                request,
                reason: "the picture is larger than 8 MiB".into(),
            });
        }
        // Read in chunks and stop at the limit: a chunked answer says no length up front, and
        // a server that never stops must not fill the memory.
        let mut response = response;
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if bytes.len() + chunk.len() > MAX_MEDIA_FILE_BYTES {
                return Err(GraphError::Malformed {
                    request,
                    reason: "the picture is larger than 8 MiB".into(),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(MediaFile { bytes, extension })
    }
}
