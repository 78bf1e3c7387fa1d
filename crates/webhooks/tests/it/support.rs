//! A webhook server on loopback over a fresh store that holds the accounts of Meta's recorded
//! payloads, a client that signs like Meta, and a logger that keeps every line.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Utc};
use insightdesk_graph::{Clock, ManualClock};
use insightdesk_secret::Sensitive;
use insightdesk_store::{AccountId, AccountProfile, LoginKind, Store};
use insightdesk_webhooks::{DeliveryStats, ServerConfig, WebhookServer, signature_header};

pub const APP_SECRET: &str = "sandbox-app-secret-for-webhooks";
pub const VERIFY_TOKEN: &str = "verify-me-please";
/// The account of `webhook_mentions_comment_envelope_meta_doc.json`.
pub const MENTIONS_ACCOUNT: &str = "17841405726653026";
/// The account of `webhook_story_insights_envelope_meta_doc.json`.
pub const STORY_ACCOUNT: &str = "17841405309211844";
/// An account the comments sample is wrapped for.
pub const COMMENTS_ACCOUNT: &str = "17841400000000001";

pub fn received_at() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A fixture of `fixtures/graph/`, as bytes.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/graph")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The comments sample is only the inner change; Meta delivers it in the envelope the other
/// two samples show.
pub fn comments_delivery() -> Vec<u8> {
    let change: serde_json::Value =
        serde_json::from_slice(&fixture("webhook_comments_change_meta_sample.json")).unwrap();
    serde_json::to_vec(&serde_json::json!({
        "object": "instagram",
        "entry": [{ "id": COMMENTS_ACCOUNT, "time": 1_764_158_400, "changes": [change] }]
    }))
    .unwrap()
}

pub struct Harness {
    pub server: WebhookServer,
    pub path: PathBuf,
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
}

pub async fn start() -> Harness {
    start_with(|_| {}).await
}

pub async fn start_with(adjust: impl FnOnce(&mut ServerConfig)) -> Harness {
    install_logger();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("insightdesk.sqlite");
    let mut store = Store::open(&path).unwrap();
    store
        .write(|batch| {
            for (id, name) in [
                (MENTIONS_ACCOUNT, "mentioned"),
                (STORY_ACCOUNT, "storyteller"),
                (COMMENTS_ACCOUNT, "commented"),
            ] {
                batch.upsert_account(&profile(id, name), received_at())?;
            }
            Ok::<_, insightdesk_store::StoreError>(())
        })
        .unwrap();
    drop(store);
    let mut config = ServerConfig::new(
        Sensitive::new(APP_SECRET.into()),
        Sensitive::new(VERIFY_TOKEN.into()),
    );
    config.clock = Arc::new(ManualClock::new(received_at())) as Arc<dyn Clock>;
    adjust(&mut config);
    let server = WebhookServer::start("127.0.0.1:0".parse().unwrap(), path.as_path(), config)
        .await
        .unwrap();
    Harness {
        server,
        path,
        http: reqwest::Client::new(),
        _dir: dir,
    }
}

pub fn profile(ig_user_id: &str, username: &str) -> AccountProfile {
    AccountProfile {
        ig_user_id: ig_user_id.into(),
        login_kind: LoginKind::Facebook,
        username: username.into(),
        name: None,
        profile_picture_url: None,
    }
}

impl Harness {
    pub fn url(&self, path_and_query: &str) -> String {
        format!("http://{}{path_and_query}", self.server.local_addr())
    }

    /// POSTs `body` signed with the app secret; returns the status.
    pub async fn deliver(&self, body: &[u8]) -> u16 {
        let signature = signature_header(&Sensitive::new(APP_SECRET.into()), body);
        self.post(body, Some(&signature)).await
    }

    /// POSTs `body` with the given `X-Hub-Signature-256` (or none).
    pub async fn post(&self, body: &[u8], signature: Option<&str>) -> u16 {
        let mut request = self
            .http
            .post(self.url("/webhooks/instagram"))
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(signature) = signature {
            request = request.header("x-hub-signature-256", signature);
        }
        request.send().await.unwrap().status().as_u16()
    }

    /// Stops the server; its store, opened again, and the folder that holds it.
    pub async fn stop(self) -> (DeliveryStats, Store, tempfile::TempDir) {
        let stats = self.server.stop().await.unwrap();
        (stats, Store::open(&self.path).unwrap(), self._dir)
    }

    /// A second connection to the server's store: what a desktop reading it would see.
    pub fn store(&self) -> Store {
        Store::open(&self.path).unwrap()
    }

    pub fn account(&self, ig_user_id: &str) -> AccountId {
        self.store()
            .account_by_ig_id(ig_user_id)
            .unwrap()
            .unwrap()
            .id
    }
}

/// Every line logged by any test of this binary.
pub fn logged() -> Vec<String> {
    LINES.lock().map(|l| l.clone()).unwrap_or_default()
}

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Keep;

impl log::Log for Keep {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        if let Ok(mut lines) = LINES.lock() {
            lines.push(format!("{} {}", record.level(), record.args()));
        }
    }

    fn flush(&self) {}
}

fn install_logger() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let _ = log::set_logger(&Keep);
        log::set_max_level(log::LevelFilter::Info);
    });
}
