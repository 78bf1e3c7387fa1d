//! The HTTP endpoint Meta calls (`insightdesk webhooks serve`).
//!
//! Any path answers, so the callback URL's path is the publisher's choice (behind a reverse
//! proxy, typically). `GET` is the subscription handshake; `POST` is a delivery:
//!
//! | request | answer |
//! |---|---|
//! | `GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C`, T right | 200, body C |
//! | any other `GET` | 403 |
//! | `POST` over the size limit | 413 |
//! | `POST` without an `X-Hub-Signature-256` valid for one of the apps | 403 |
//! | `POST` signed, but not a webhook delivery | 400 |
//! | `POST` signed, stored (or nothing in it to store) | 200 |
//! | `POST` signed, the store failed | 500 (Meta sends it again) |
//!
//! Refusals are logged with their reason and the body's length, never the body, the
//! signature or a token.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use insightdesk_graph::{Clock, SystemClock};
use insightdesk_secret::Sensitive;
use insightdesk_store::Store;
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::error::WebhookError;
use crate::payload::parse_delivery;
use crate::signature::{SIGNATURE_HEADER, verify_signature_by_any, verify_token_matches};
use crate::writer::{self, Job, Written};

/// The largest delivery accepted. Meta's deliveries are a few KiB; 1 MiB leaves room for a
/// batch of many entries while keeping a flood of large bodies cheap to refuse.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How the server runs. [`ServerConfig::new`] and [`ServerConfig::for_apps`] give the defaults.
pub struct ServerConfig {
    /// The secrets of the Meta apps whose deliveries are taken: Meta signs each delivery with
    /// the secret of the app that subscribed (a Facebook Login app and an Instagram Login app
    /// have different ones). A delivery signed by none of them is refused.
    pub app_secrets: Vec<Sensitive<String>>,
    /// The token typed into the App Dashboard's webhook form, checked in the handshake.
    pub verify_token: Sensitive<String>,
    pub max_body_bytes: usize,
    /// Deliveries written in one transaction at the most.
    pub max_batch: usize,
    /// Deliveries waiting for the writer at the most; a handler waits for room beyond that.
    pub queue: usize,
    /// The time deliveries are received at (an entry without a `time` is dated by it).
    pub clock: Arc<dyn Clock>,
}

impl ServerConfig {
    /// A server for one Meta app's deliveries.
    pub fn new(app_secret: Sensitive<String>, verify_token: Sensitive<String>) -> Self {
        Self::for_apps(vec![app_secret], verify_token)
    }

    /// A server for the deliveries of any of these apps.
    pub fn for_apps(app_secrets: Vec<Sensitive<String>>, verify_token: Sensitive<String>) -> Self {
        Self {
            app_secrets,
            verify_token,
            max_body_bytes: MAX_BODY_BYTES,
            max_batch: 256,
            queue: 1024,
            clock: Arc::new(SystemClock),
        }
    }
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("app_secrets", &self.app_secrets)
            .field("verify_token", &self.verify_token)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_batch", &self.max_batch)
            .field("queue", &self.queue)
            .finish_non_exhaustive()
    }
}

/// Where the server's store comes from: a file it opens, or a store already open.
#[derive(Debug)]
pub enum StoreSource {
    Path(PathBuf),
    Open(Store),
}

impl From<Store> for StoreSource {
    fn from(store: Store) -> Self {
        StoreSource::Open(store)
    }
}

impl From<PathBuf> for StoreSource {
    fn from(path: PathBuf) -> Self {
        StoreSource::Path(path)
    }
}

impl From<&std::path::Path> for StoreSource {
    fn from(path: &std::path::Path) -> Self {
        StoreSource::Path(path.to_owned())
    }
}

/// What the server did since it started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryStats {
    /// Deliveries answered 200.
    pub accepted: u64,
    /// Refused for a missing or wrong signature (403).
    pub bad_signature: u64,
    /// Refused for their size (413).
    pub too_large: u64,
    /// Signed, but not a delivery (400).
    pub malformed: u64,
    /// The store failed (500).
    pub failed: u64,
    /// Handshakes answered with the challenge, and refused.
    pub handshakes: u64,
    pub handshakes_refused: u64,
    /// Rows written or confirmed (a replay confirms what is there).
    pub comments: u64,
    pub mentions: u64,
    pub story_readings: u64,
    /// Changes about accounts this store does not hold.
    pub skipped: u64,
    /// Changes of fields that are not stored (messages, live_comments, …).
    pub ignored: u64,
    /// Changes of a stored field whose value could not be read.
    pub unreadable: u64,
    /// Transactions the writer committed (or tried to).
    pub write_batches: u64,
}

macro_rules! counters {
    ($($field:ident),+ $(,)?) => {
        /// [`DeliveryStats`] as atomics, shared by the handlers and the writer.
        #[derive(Debug, Default)]
        pub(crate) struct Counters { $($field: AtomicU64,)+ }

        impl Counters {
            fn read(&self) -> DeliveryStats {
                DeliveryStats { $($field: self.$field.load(Ordering::Relaxed),)+ }
            }
        }
    };
}

counters!(
    accepted,
    bad_signature,
    too_large,
    malformed,
    failed,
    handshakes,
    handshakes_refused,
    comments,
    mentions,
    story_readings,
    skipped,
    ignored,
    unreadable,
    write_batches,
);

impl Counters {
    fn bump(counter: &AtomicU64, by: u64) {
        counter.fetch_add(by, Ordering::Relaxed);
    }

    pub(crate) fn add_batch(&self) {
        Self::bump(&self.write_batches, 1);
    }

    pub(crate) fn add_written(&self, written: &Written) {
        Self::bump(&self.comments, written.comments);
        Self::bump(&self.mentions, written.mentions);
        Self::bump(&self.story_readings, written.story_readings);
        Self::bump(&self.skipped, written.skipped);
    }
}

struct Shared {
    app_secrets: Vec<Sensitive<String>>,
    verify_token: Sensitive<String>,
    clock: Arc<dyn Clock>,
    jobs: mpsc::Sender<Job>,
    counters: Arc<Counters>,
}

/// A running webhook server.
pub struct WebhookServer {
    address: SocketAddr,
    counters: Arc<Counters>,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<Result<(), WebhookError>>,
}

impl std::fmt::Debug for WebhookServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookServer")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl WebhookServer {
    /// Opens the store (if given a path), binds `bind` and starts serving.
    pub async fn start(
        bind: SocketAddr,
        store: impl Into<StoreSource>,
        config: ServerConfig,
    ) -> Result<Self, WebhookError> {
        if config.app_secrets.is_empty() {
            return Err(WebhookError::NoAppSecret);
        }
        let store = match store.into() {
            StoreSource::Open(store) => store,
            StoreSource::Path(path) => tokio::task::spawn_blocking(move || Store::open(path))
                .await
                .map_err(|_| WebhookError::WriterStopped)??,
        };
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|source| WebhookError::Bind {
                address: bind,
                source,
            })?;
        let address = listener.local_addr().map_err(|source| WebhookError::Bind {
            address: bind,
            source,
        })?;

        let counters = Arc::new(Counters::default());
        let (jobs, receiver) = mpsc::channel(config.queue.max(1));
        let max_batch = config.max_batch;
        let writer_counters = Arc::clone(&counters);
        let writer = tokio::task::spawn_blocking(move || {
            writer::run(store, receiver, max_batch, writer_counters)
        });
        let shared = Arc::new(Shared {
            app_secrets: config.app_secrets,
            verify_token: config.verify_token,
            clock: config.clock,
            jobs,
            counters: Arc::clone(&counters),
        });
        let router = Router::new()
            .route("/", get(handshake).post(delivery))
            .route("/{*path}", get(handshake).post(delivery))
            .layer(DefaultBodyLimit::max(config.max_body_bytes))
            .with_state(shared);

        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stop.await;
                })
                .await;
            // The router (and with it every job sender) is gone: the writer drains its queue
            // and ends.
            let store = writer.await.map_err(|_| WebhookError::WriterStopped)?;
            drop(store);
            served.map_err(WebhookError::Serve)
        });
        log::info!("webhook server listening on {address}");
        Ok(Self {
            address,
            counters,
            shutdown,
            task,
        })
    }

    /// The address it listens on (with the port the system picked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    pub fn stats(&self) -> DeliveryStats {
        self.counters.read()
    }

    /// Stops taking connections, finishes the requests under way, writes what is queued.
    pub async fn stop(self) -> Result<DeliveryStats, WebhookError> {
        let _ = self.shutdown.send(());
        self.task.await.map_err(|_| WebhookError::WriterStopped)??;
        Ok(self.counters.read())
    }

    /// Serves until `shutdown` resolves (e.g. Ctrl-C), then stops as [`Self::stop`] does.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()>,
    ) -> Result<DeliveryStats, WebhookError> {
        shutdown.await;
        self.stop().await
    }
}

/// `insightdesk webhooks serve`: serves on `bind`, writing into `store`, until `shutdown`.
pub async fn serve(
    bind: SocketAddr,
    store: impl Into<StoreSource>,
    config: ServerConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<DeliveryStats, WebhookError> {
    WebhookServer::start(bind, store, config)
        .await?
        .run_until(shutdown)
        .await
}

#[derive(serde::Deserialize)]
struct Handshake {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

async fn handshake(
    State(shared): State<Arc<Shared>>,
    query: Result<Query<Handshake>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let accepted = query.ok().and_then(|Query(handshake)| {
        let token_ok = handshake
            .verify_token
            .as_deref()
            .is_some_and(|token| verify_token_matches(&shared.verify_token, token));
        (handshake.mode.as_deref() == Some("subscribe") && token_ok)
            .then_some(handshake.challenge)
            .flatten()
    });
    match accepted {
        Some(challenge) => {
            Counters::bump(&shared.counters.handshakes, 1);
            log::info!("webhook: subscription handshake accepted");
            plain(StatusCode::OK, challenge)
        }
        None => {
            Counters::bump(&shared.counters.handshakes_refused, 1);
            log::warn!("webhook: refused a handshake (wrong mode, verify token or challenge)");
            plain(StatusCode::FORBIDDEN, "Forbidden".into())
        }
    }
}

async fn delivery(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let counters = &shared.counters;
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Counters::bump(&counters.too_large, 1);
            log::warn!("webhook: refused a delivery over the size limit");
            return plain(StatusCode::PAYLOAD_TOO_LARGE, "Too large".into());
        }
        Err(rejection) => {
            Counters::bump(&counters.malformed, 1);
            log::warn!("webhook: could not read a delivery's body ({rejection})");
            return plain(rejection.status(), "Unreadable body".into());
        }
    };
    let signature = headers.get(SIGNATURE_HEADER).map(HeaderValue::as_bytes);
    if let Err(reason) = verify_signature_by_any(&shared.app_secrets, signature, &body) {
        Counters::bump(&counters.bad_signature, 1);
        log::warn!(
            "webhook: refused a delivery of {} bytes: {reason}",
            body.len()
        );
        return plain(StatusCode::FORBIDDEN, "Forbidden".into());
    }
    let received_at = shared.clock.now();
    let delivery = match parse_delivery(&body, received_at) {
        Ok(delivery) => delivery,
        Err(error) => {
            Counters::bump(&counters.malformed, 1);
            log::warn!(
                "webhook: a signed delivery of {} bytes is not readable: {error}",
                body.len()
            );
            return plain(StatusCode::BAD_REQUEST, "Not a webhook delivery".into());
        }
    };
    Counters::bump(&counters.ignored, delivery.ignored.len() as u64);
    Counters::bump(&counters.unreadable, delivery.unreadable.len() as u64);
    for problem in &delivery.unreadable {
        log::warn!("webhook: skipped a change: {problem}");
    }
    if delivery.records.is_empty() {
        Counters::bump(&counters.accepted, 1);
        return plain(StatusCode::OK, String::new());
    }
    let (reply, answer) = oneshot::channel();
    let job = Job {
        delivery,
        body,
        received_at,
        reply,
    };
    if shared.jobs.send(job).await.is_err() {
        Counters::bump(&counters.failed, 1);
        return plain(StatusCode::SERVICE_UNAVAILABLE, "Shutting down".into());
    }
    match answer.await {
        Ok(Ok(_)) => {
            Counters::bump(&counters.accepted, 1);
            plain(StatusCode::OK, String::new())
        }
        Ok(Err(error)) => {
            Counters::bump(&counters.failed, 1);
            log::error!("webhook: a delivery could not be stored: {error}");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "Not stored".into())
        }
        Err(_) => {
            Counters::bump(&counters.failed, 1);
            log::error!("webhook: the store writer stopped before answering");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "Not stored".into())
        }
    }
}

/// A plain-text answer that no browser will sniff into HTML (the challenge is echoed).
fn plain(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}
