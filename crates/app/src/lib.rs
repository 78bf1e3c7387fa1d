//! The application layer: every user-facing Insightdesk operation as a UI-agnostic async
//! function. The desktop shell (`src-tauri/`) and the command line (`crates/cli`) are thin
//! adapters over this crate, so what one can do the other can do too, and both are tested
//! here without a window.
//!
//! The desktop talks to this crate through one IPC entry point ([`rpc::dispatch`]); the
//! command table in [`rpc`] is the single declaration of every command's name, arguments and
//! result, and the TypeScript types of the UI are generated from it. What only a front end can
//! do (open the browser, ask for a file name, notify) comes in through [`Host`].

pub mod accounts;
pub mod clients;
pub mod config;
pub mod crash;
pub mod dashboard;
pub mod demo;
pub mod demo_history;
pub mod engagement;
pub mod error;
pub mod folders;
pub mod host;
pub mod info;
pub mod paths;
pub mod pause_notice;
pub mod permalinks;
pub mod reach;
pub mod reports;
pub mod rpc;
pub mod schedule;
pub mod session;
pub mod settings;
pub mod syncing;
pub mod thumbnails;
pub mod webhooks;
pub mod wipe;

use std::sync::Arc;

use insightdesk_graph::{GovernorConfig, Governors};
use tokio::sync::{Mutex, RwLock};
use tokio_util::sync::CancellationToken;

pub use config::{AppConfig, ConfigOptions, MetaTarget};
pub use error::{AppError, ErrorCode, ErrorPayload};
pub use host::{AppEvent, Host, RecordingHost};
pub use info::AppInfo;
pub use paths::DataDir;
pub use session::{ProfileKind, Session};

/// The application: configuration, the front end, and the open profile.
pub struct App {
    config: AppConfig,
    host: Arc<dyn Host>,
    session: RwLock<Option<Arc<Session>>>,
    /// Cancels the sign-in that is waiting for the browser, if any.
    sign_in: Mutex<Option<CancellationToken>>,
    /// One governor per (app, account): every client spending a pair's budget shares it.
    governors: Governors,
    /// The syncs running now, by account.
    syncs: syncing::RunningSyncs,
    schedule: schedule::ScheduleState,
    /// When each period's reach was last asked of Meta.
    reach_asked: reach::ReachAsked,
    /// True while the demo signs in and replays its weeks: no other sync may start then, or
    /// it would read the simulated Meta at a moment of the replay's choosing.
    demo_preparing: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("data_dir", &self.config.data_dir)
            .finish_non_exhaustive()
    }
}

impl App {
    /// Builds the application; no profile is open until [`App::open_profile`].
    pub fn new(config: AppConfig, host: Arc<dyn Host>) -> Self {
        Self {
            config,
            host,
            session: RwLock::new(None),
            sign_in: Mutex::new(None),
            governors: Governors::new(GovernorConfig::default()),
            syncs: syncing::RunningSyncs::default(),
            schedule: schedule::ScheduleState::default(),
            reach_asked: reach::ReachAsked::default(),
            demo_preparing: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    /// Where this installation keeps its profiles and logs.
    pub fn data_dir(&self) -> &DataDir {
        &self.config.data_dir
    }

    pub fn host(&self) -> &Arc<dyn Host> {
        &self.host
    }

    /// Opens `kind` (closing the profile that was open) and remembers it for next time.
    pub async fn open_profile(&self, kind: ProfileKind) -> Result<Arc<Session>, AppError> {
        let mut slot = self.session.write().await;
        if let Some(current) = slot.as_ref()
            && current.kind == kind
        {
            return Ok(Arc::clone(current));
        }
        let session = Arc::new(Session::open(&self.config, kind).await?);
        if let Some(previous) = slot.replace(Arc::clone(&session))
            && let Ok(previous) = Arc::try_unwrap(previous)
        {
            previous.close().await;
        }
        paths::remember_profile(&self.config.data_dir, kind);
        drop(slot);
        self.host.emit(AppEvent::SessionChanged);
        Ok(session)
    }

    /// The cached picture of a post of the open profile, for the window's `thumb://` scheme.
    /// Never waits: while the profile is being switched there is simply no picture.
    pub fn thumbnail_path(&self, ig_media_id: &str) -> Option<std::path::PathBuf> {
        let slot = self.session.try_read().ok()?;
        let session = slot.as_ref()?;
        thumbnails::cached(session.dir(), ig_media_id)
    }

    /// The open profile, opening the last-used one (or the main one) if none is open yet.
    pub async fn session(&self) -> Result<Arc<Session>, AppError> {
        if let Some(session) = self.session.read().await.as_ref() {
            return Ok(Arc::clone(session));
        }
        let kind = paths::last_profile(&self.config.data_dir).unwrap_or(ProfileKind::Main);
        self.open_profile(kind).await
    }
}
