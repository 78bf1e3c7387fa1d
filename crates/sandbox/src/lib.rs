//! A faithful in-process simulation of Meta's OAuth and Instagram Graph API, with synthetic
//! creator accounts: the demo's Meta and every test's Meta.
//!
//! One HTTP server on 127.0.0.1 serves every Meta host under a path prefix:
//! `{base}/graph.facebook.com/vNN.0/...`, `{base}/graph.instagram.com/[vNN.0/]...`,
//! `{base}/api.instagram.com/oauth/access_token`, `{base}/www.facebook.com/vNN.0/dialog/oauth`,
//! `{base}/www.instagram.com/oauth/authorize`, plus generated images under
//! `{base}/cdn.instagram.com/` and control endpoints under `{base}/__sandbox/`.
//!
//! The behaviour follows `docs/API-FACTS.md` and the recorded responses in `fixtures/graph/`.
//! This crate depends on no other crate of the workspace, so a misunderstanding in the client
//! cannot be mirrored here.

mod catalog;
mod core;
mod errors;
mod faults;
mod graph;
mod insights;
mod ledger;
mod limits;
mod oauth;
mod prng;
mod request;
mod server;
mod thumbnails;
mod time;
mod tokens;
mod world;

pub use errors::SandboxError;
pub use faults::{FaultKind, FaultPlan, FaultRule, Trigger};
pub use ledger::LedgerEntry;
pub use limits::BucConfig;
pub use time::{ClockConfig, parse_instant};
pub use tokens::LoginKind;

use crate::core::{Core, State};
use crate::faults::FaultRuntime;
use crate::time::Clock;
use crate::tokens::{Claims, Identities, LONG_LIVED_SECONDS, TokenKind};
use crate::world::{MediaType, Product, World};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Everything generated (accounts, media, ids, app secrets) follows from the seed.
    pub seed: u64,
    pub clock: ClockConfig,
    /// `None`: an ephemeral port.
    pub port: Option<u16>,
    pub faults: FaultPlan,
    pub buc: BucConfig,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            seed: 42,
            clock: ClockConfig::RealTime(None),
            port: None,
            faults: FaultPlan::none(),
            buc: BucConfig::default(),
        }
    }
}

/// An app's id and secret as the App Dashboard shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppCredentials {
    pub app_id: String,
    pub app_secret: String,
}

/// A token as the token endpoints return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenGrant {
    pub access_token: String,
    pub token_type: String,
    /// Seconds from the sandbox's start-up "now".
    pub expires_in: i64,
}

/// What Meta's Graph API Explorer would hand a developer: line 2 of `insightdesk sandbox`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoCredentials {
    /// The Meta app (Facebook Login).
    pub facebook_app: AppCredentials,
    /// The Instagram app of the same Meta app (Instagram Login); its id differs from the Meta app id.
    pub instagram_app: AppCredentials,
    pub fb_user_id: String,
    /// The demo creator's Instagram professional account id.
    pub ig_user_id: String,
    pub ig_username: String,
    /// The Page linked to the demo creator.
    pub page_id: String,
    /// The demo creator's app-scoped id under Instagram Login (`/me` `id`).
    pub instagram_login_user_id: String,
    /// An account under 100 followers and its Page.
    pub small_ig_user_id: String,
    pub small_page_id: String,
    /// A Page with no linked Instagram account.
    pub unlinked_page_id: String,
    /// The newest Graph API version at start-up.
    pub graph_version: String,
    /// A long-lived Facebook Login user token with every Page granted.
    pub user_token: TokenGrant,
    /// A long-lived Instagram Login token for the demo creator.
    pub instagram_token: TokenGrant,
}

/// Ids of media that show particular rules, at the sandbox's current "now".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Landmarks {
    /// Posted before the business conversion: insights fail with 100/2108006.
    pub media_before_conversion: String,
    /// A live story seen by fewer than 5 accounts: insights fail with code 10.
    pub story_under_5_viewers: Option<String>,
    /// Stories of the last 24 hours, newest first.
    pub live_stories: Vec<String>,
    pub latest_image: Option<String>,
    pub latest_carousel: Option<String>,
    pub carousel_child: Option<String>,
    pub latest_feed_video: Option<String>,
    pub latest_reel: Option<String>,
    /// A reel cross-posted to Facebook (`facebook_views` works).
    pub crossposted_reel: Option<String>,
    /// Someone else's post in which the creator is tagged (`/tags`, `mentioned_media`).
    pub tagged_media: Option<String>,
    /// The newest comment under someone else's post that @mentions the creator
    /// (`mentioned_comment`).
    pub mentioning_comment: Option<String>,
}

/// A running simulated Meta.
#[derive(Debug)]
pub struct Sandbox {
    core: Arc<Core>,
    address: SocketAddr,
    credentials: DemoCredentials,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

pub(crate) fn demo_credentials(core: &Core) -> DemoCredentials {
    let now = core.clock.now();
    let world = core.world(now);
    let ids = &core.ids;
    // Issued two days before "now" so Instagram's 24-hour refresh rule already allows a refresh.
    let issued_at = DateTime::from_timestamp(now.timestamp() - 2 * 86_400, 0).unwrap_or(now);
    let expires_at = issued_at + Duration::seconds(LONG_LIVED_SECONDS);
    let grant = |login: LoginKind, nonce: u32| {
        let claims = Claims {
            kind: TokenKind::User,
            login,
            subject: 0,
            scopes: crate::oauth::demo_scopes(login),
            assets: if login == LoginKind::Facebook {
                0b111
            } else {
                1
            },
            long_lived: true,
            issued_at,
            expires_at: Some(expires_at),
            nonce,
        };
        TokenGrant {
            access_token: ids.encode(&claims),
            token_type: "bearer".into(),
            expires_in: (expires_at - now).num_seconds(),
        }
    };
    let demo = &world.accounts[0];
    let small = &world.accounts[1];
    DemoCredentials {
        facebook_app: AppCredentials {
            app_id: ids.facebook_app.id.clone(),
            app_secret: ids.facebook_app.secret.clone(),
        },
        instagram_app: AppCredentials {
            app_id: ids.instagram_app.id.clone(),
            app_secret: ids.instagram_app.secret.clone(),
        },
        fb_user_id: ids.fb_user_id.clone(),
        ig_user_id: demo.ig_user_id.clone(),
        ig_username: demo.username.clone(),
        page_id: ids.pages[0].id.clone(),
        instagram_login_user_id: demo.app_scoped_id.clone(),
        small_ig_user_id: small.ig_user_id.clone(),
        small_page_id: ids.pages[1].id.clone(),
        unlinked_page_id: ids.pages[2].id.clone(),
        graph_version: format!("v{}.0", catalog::latest(now)),
        user_token: grant(LoginKind::Facebook, 1),
        instagram_token: grant(LoginKind::Instagram, 2),
    }
}

impl Sandbox {
    /// Generates the world and starts serving on 127.0.0.1.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let port = config.port.unwrap_or(0);
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|source| SandboxError::Bind { port, source })?;
        let address = listener
            .local_addr()
            .map_err(|source| SandboxError::Bind { port, source })?;
        let clock = Clock::new(&config.clock);
        let world = World::generate(config.seed, clock.now());
        let core = Arc::new(Core {
            seed: config.seed,
            clock,
            ids: Identities::new(config.seed),
            world: RwLock::new(Arc::new(world)),
            state: Mutex::new(State {
                faults: FaultRuntime::new(config.faults),
                ..State::default()
            }),
            buc: Mutex::new(config.buc),
            base_url: RwLock::new(format!("http://{address}")),
            sequence: AtomicU64::new(1),
        });
        let credentials = demo_credentials(&core);
        let (shutdown, receiver) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, Arc::clone(&core), receiver));
        log::info!("sandbox listening on http://{address}");
        Ok(Sandbox {
            core,
            address,
            credentials,
            shutdown,
            task,
        })
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The demo app's credentials, account ids and long-lived tokens (issued at start-up).
    pub fn credentials(&self) -> DemoCredentials {
        self.credentials.clone()
    }

    /// Credentials with tokens issued at the current "now" (like asking the Graph API Explorer
    /// for a new token), for tests that travel further than a token lives.
    pub fn fresh_credentials(&self) -> DemoCredentials {
        demo_credentials(&self.core)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.core.clock.now()
    }

    pub fn set_now(&self, at: DateTime<Utc>) {
        self.core.clock.set(at);
    }

    pub fn advance(&self, by: Duration) {
        self.core.clock.advance(by);
    }

    /// Replaces the fault plan; its counters start from zero.
    pub fn set_faults(&self, plan: FaultPlan) {
        self.core.lock().faults = FaultRuntime::new(plan);
    }

    /// Replaces the rate-limit knobs.
    pub fn set_buc(&self, config: BucConfig) {
        if let Ok(mut buc) = self.core.buc.lock() {
            *buc = config;
        }
    }

    pub fn ledger(&self) -> Vec<LedgerEntry> {
        self.core.lock().ledger.entries()
    }

    /// HTTP requests answered since start or the last `clear_ledger`.
    pub fn http_requests(&self) -> u64 {
        self.core.lock().ledger.http_requests()
    }

    /// Calls Meta would count against rate limits (batch items and expanded insights each count).
    pub fn counted_calls(&self) -> u64 {
        self.core.lock().ledger.counted_calls()
    }

    pub fn clear_ledger(&self) {
        self.core.lock().ledger.clear();
    }

    /// Changes the demo user's password: every session issued so far fails with 190/460.
    pub fn invalidate_sessions(&self, login: LoginKind) {
        let now = self.now();
        self.core
            .lock()
            .tokens
            .per_user
            .insert((login, 0), (tokens::Revocation::SessionInvalidated, now));
    }

    /// Ids of media that show particular rules, at the current "now".
    pub fn landmarks(&self) -> Landmarks {
        let now = self.now();
        let world = self.core.world(now);
        let demo = &world.accounts[0];
        let visible = demo.visible_media(now);
        let latest = |pick: &dyn Fn(&world::Media) -> bool| {
            visible.iter().rev().find(|m| pick(m)).map(|m| m.id.clone())
        };
        let live: Vec<&world::Media> = demo
            .stories
            .iter()
            .rev()
            .filter(|s| s.timestamp <= now && now - s.timestamp < Duration::hours(24))
            .collect();
        Landmarks {
            media_before_conversion: demo
                .media
                .iter()
                .find(|m| m.before_conversion)
                .map(|m| m.id.clone())
                .unwrap_or_default(),
            story_under_5_viewers: live.iter().find(|s| s.few_viewers).map(|s| s.id.clone()),
            live_stories: live.iter().map(|s| s.id.clone()).collect(),
            latest_image: latest(&|m| m.media_type == MediaType::Image && !m.before_conversion),
            latest_carousel: latest(&|m| {
                m.media_type == MediaType::CarouselAlbum && !m.before_conversion
            }),
            carousel_child: latest(&|m| m.media_type == MediaType::CarouselAlbum).and_then(|id| {
                visible
                    .iter()
                    .find(|m| m.id == id)
                    .and_then(|m| m.children.first())
                    .map(|c| c.id.clone())
            }),
            latest_feed_video: latest(&|m| {
                m.media_type == MediaType::Video
                    && m.product == Product::Feed
                    && !m.before_conversion
            }),
            latest_reel: latest(&|m| m.product == Product::Reels && !m.before_conversion),
            crossposted_reel: latest(&|m| {
                m.product == Product::Reels && m.crossposted && !m.before_conversion
            }),
            tagged_media: demo
                .tagged
                .iter()
                .rev()
                .find(|m| m.timestamp <= now)
                .map(|m| m.id.clone()),
            mentioning_comment: demo
                .mentioning_comments
                .iter()
                .rev()
                .find(|c| c.timestamp <= now)
                .map(|c| c.id.clone()),
        }
    }

    /// Stops serving and closes every connection.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }
}

/// Generates the demo world without serving it (for the benchmark's generation figure).
pub fn generate_demo_world(seed: u64, now: DateTime<Utc>) -> usize {
    let world = World::generate(seed, now);
    world
        .accounts
        .iter()
        .map(|a| a.media.len() + a.stories.len())
        .sum()
}
