//! The sandbox as the tests' Meta, at a fixed instant, and stores in temporary folders.
//!
//! The client's clock reads the sandbox's time; when the client waits (a backoff, a throttle)
//! it moves its own offset, not the sandbox, so the world Meta answers from stays the same and
//! two runs at one sandbox instant can be compared row for row.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use insightdesk_graph::clock::Sleep;
use insightdesk_graph::{
    ApiVersion, AppCredentials, AuthorizeParams, Clock, Endpoints, GraphClient, GraphClientBuilder,
    LoginKind, RetryPolicy,
};
use insightdesk_sandbox::{
    BucConfig, ClockConfig, DemoCredentials, FaultPlan, Sandbox, SandboxConfig, parse_instant,
};
use insightdesk_secret::Sensitive;
use insightdesk_store::{AccountId, MediaFilter, MediaQuery, MediaSort, MediaWithMetrics, Store};
use insightdesk_sync::{SyncError, SyncJob, SyncPolicy, SyncReport};
use tempfile::TempDir;

/// The day the demo creator has two years of history.
pub const NOW: &str = "2026-11-26T12:00:00Z";

pub fn at(text: &str) -> DateTime<Utc> {
    parse_instant(text).expect("a valid instant")
}

/// The sandbox's time, plus whatever the client waited.
pub struct FollowClock {
    sandbox: Arc<Sandbox>,
    waited: Mutex<chrono::Duration>,
}

impl FollowClock {
    pub fn new(sandbox: &Arc<Sandbox>) -> Arc<Self> {
        Arc::new(Self {
            sandbox: Arc::clone(sandbox),
            waited: Mutex::new(chrono::Duration::zero()),
        })
    }

    pub fn waited(&self) -> chrono::Duration {
        *self.waited.lock().unwrap()
    }
}

impl Clock for FollowClock {
    fn now(&self) -> DateTime<Utc> {
        self.sandbox.now() + self.waited()
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> Sleep<'_> {
        let now = self.now();
        if deadline > now {
            *self.waited.lock().unwrap() += deadline - now;
        }
        Box::pin(tokio::task::yield_now())
    }
}

pub struct Meta {
    pub sandbox: Arc<Sandbox>,
    pub creds: DemoCredentials,
}

pub async fn start() -> Meta {
    start_at(NOW).await
}

pub async fn start_at(now: &str) -> Meta {
    let config = SandboxConfig {
        seed: 42,
        clock: ClockConfig::Fixed(at(now)),
        port: None,
        faults: FaultPlan::none(),
        buc: BucConfig::default(),
    };
    let sandbox = Arc::new(Sandbox::start(config).await.expect("the sandbox starts"));
    let creds = sandbox.credentials();
    Meta { sandbox, creds }
}

/// Quick retries: waiting costs no real time on the tests' clock anyway.
pub fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(50),
        max_attempts: 6,
        ..RetryPolicy::default()
    }
}

impl Meta {
    pub fn endpoints(&self) -> Endpoints {
        Endpoints::sandbox(&self.sandbox.base_url())
    }

    pub fn token(&self, login: LoginKind) -> Sensitive<String> {
        Sensitive::new(match login {
            LoginKind::Facebook => self.creds.user_token.access_token.clone(),
            LoginKind::Instagram => self.creds.instagram_token.access_token.clone(),
        })
    }

    pub fn secret(&self, login: LoginKind) -> Sensitive<String> {
        Sensitive::new(match login {
            LoginKind::Facebook => self.creds.facebook_app.app_secret.clone(),
            LoginKind::Instagram => self.creds.instagram_app.app_secret.clone(),
        })
    }

    /// A client builder with the given token, on a fresh clock that follows the sandbox.
    pub fn builder_with(&self, login: LoginKind, token: Sensitive<String>) -> GraphClientBuilder {
        GraphClient::builder(login)
            .endpoints(self.endpoints())
            .version(ApiVersion::LATEST)
            .token(token)
            .app_secret(self.secret(login))
            .clock(FollowClock::new(&self.sandbox) as Arc<dyn Clock>)
            .retry(quick_retry())
            .timeout(Duration::from_secs(10))
    }

    pub fn builder(&self, login: LoginKind) -> GraphClientBuilder {
        self.builder_with(login, self.token(login))
    }

    /// One sync of the demo creator with the default policy.
    pub async fn sync(&self, store: &mut Store, login: LoginKind) -> Result<SyncReport, SyncError> {
        self.sync_with(
            store,
            self.builder(login),
            &self.creds.ig_user_id.clone(),
            SyncPolicy::default(),
        )
        .await
    }

    /// One sync of another account the Facebook Login token sees, with the default policy.
    pub async fn sync_account(
        &self,
        store: &mut Store,
        account: &str,
    ) -> Result<SyncReport, SyncError> {
        self.sync_with(
            store,
            self.builder(LoginKind::Facebook),
            account,
            SyncPolicy::default(),
        )
        .await
    }

    pub async fn sync_with(
        &self,
        store: &mut Store,
        builder: GraphClientBuilder,
        account: &str,
        policy: SyncPolicy,
    ) -> Result<SyncReport, SyncError> {
        SyncJob::new(store, builder, account)
            .policy(policy)
            .started_by("test")
            .run()
            .await
    }
}

/// A store in its own temporary folder (kept alive by the guard).
pub fn new_store() -> (TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.sqlite3");
    let store = Store::open(&path).unwrap();
    (dir, path, store)
}

/// The canonical dump without the sync history (run ids, statuses, counters, warnings and
/// resume states differ between an interrupted and an uninterrupted sync by design).
pub fn content(store: &Store) -> String {
    content_without(store, &[])
}

/// [`content`] without some more tables.
pub fn content_without(store: &Store, tables: &[&str]) -> String {
    let dump = store.canonical_dump().unwrap();
    let mut out = String::new();
    let mut skipping = false;
    for line in dump.lines() {
        if let Some(header) = line.strip_prefix("## ") {
            let name = header.split(' ').next().unwrap_or_default();
            skipping = name.starts_with("sync_run") || tables.contains(&name);
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Every post and story of the account with its latest readings, newest first.
pub fn all_media(store: &Store, account: AccountId) -> Vec<MediaWithMetrics> {
    store
        .media_page(&MediaQuery {
            filter: MediaFilter::account(account),
            sort: MediaSort::PostedAt,
            descending: true,
            limit: 100_000,
            offset: 0,
        })
        .unwrap()
        .rows
}

/// Rows per table, without the sync history.
pub fn row_counts(store: &Store) -> std::collections::BTreeMap<String, u64> {
    let mut counts = store.row_counts().unwrap();
    counts.retain(|table, _| !table.starts_with("sync_run"));
    counts
}

/// The first line where two dumps differ, for a readable failure.
pub fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {i}:\n  left:  {x}\n  right: {y}");
        }
    }
    format!(
        "lengths differ: {} vs {} lines",
        a.lines().count(),
        b.lines().count()
    )
}

const REDIRECT: &str = "http://127.0.0.1:53682/callback";

impl Meta {
    /// Signs the demo user in again with Facebook Login, the way the app does after "sign in
    /// again": consent page, code exchange, long-lived exchange. Returns the new token.
    pub async fn sign_in_again(&self) -> Sensitive<String> {
        let client = GraphClient::builder(LoginKind::Facebook)
            .endpoints(self.endpoints())
            .version(ApiVersion::LATEST)
            .build()
            .unwrap();
        let app = AppCredentials {
            app_id: self.creds.facebook_app.app_id.clone(),
            app_secret: Some(self.secret(LoginKind::Facebook)),
        };
        let state = Sensitive::new("st4te".to_owned());
        let url = client
            .oauth()
            .authorize_url(&AuthorizeParams {
                client_id: &app.app_id,
                redirect_uri: REDIRECT,
                scopes: &[
                    "instagram_basic",
                    "instagram_manage_insights",
                    "pages_show_list",
                    "pages_read_engagement",
                ],
                state: &state,
                pkce_challenge: None,
                force_reauth: false,
            })
            .unwrap();
        let code = self.consent(url.expose()).await;
        let short = client
            .oauth()
            .exchange_facebook_code(&app, &code, REDIRECT, None)
            .await
            .unwrap();
        client
            .oauth()
            .exchange_facebook_token(&app, &short.access_token)
            .await
            .unwrap()
            .access_token
    }

    /// Walks the consent page like a browser that clicks Allow; returns the code.
    async fn consent(&self, authorize_url: &str) -> Sensitive<String> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let page = http
            .get(authorize_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let action = unescape(between(&page, "action=\"", "\"").expect("a consent form"));
        let mut form: Vec<(String, String)> = Vec::new();
        for input in page.split("<input").skip(1) {
            let tag = input.split('>').next().unwrap_or_default();
            if let (Some(name), Some(value)) = (
                between(tag, "name=\"", "\""),
                between(tag, "value=\"", "\""),
            ) {
                form.push((unescape(name), unescape(value)));
            }
        }
        form.push(("decision".into(), "allow".into()));
        let answer = http
            .post(format!("{}{}", self.sandbox.base_url(), action))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 302, "the consent redirects");
        let location = answer.headers()["location"].to_str().unwrap().to_owned();
        let url = url::Url::parse(&location).unwrap();
        let code = url
            .query_pairs()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v.into_owned())
            .expect("a code in the redirect");
        Sensitive::new(code)
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
