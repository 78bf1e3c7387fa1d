//! A profile opened for use: its folder, its store file, its vault, and the Meta it talks to.
//!
//! Two profiles exist. `main` is the creator's own: real Meta (or `--meta-base`), the OS
//! keyring. `demo` is "Explore the demo": a simulated Meta (the sandbox) running inside the
//! process, its own store file and its own vault namespace, so the demo never touches real
//! tokens or real history. Everything else — sign-in, sync, reports — runs the same code.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use insightdesk_auth::{
    FileVault, KeyringVault, MetaConfig, Profile, TokenStore, Vault, VaultKind,
};
use insightdesk_graph::clock::Sleep;
use insightdesk_graph::{Clock, Endpoints};
use insightdesk_sandbox::{ClockConfig, DemoCredentials, Sandbox, SandboxConfig};
use insightdesk_store::Store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::config::{AppConfig, MetaTarget};
use crate::error::AppError;

/// Which profile is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    /// The creator's own accounts.
    Main,
    /// The simulated demo creator.
    Demo,
}

impl ProfileKind {
    pub fn name(self) -> &'static str {
        match self {
            ProfileKind::Main => "main",
            ProfileKind::Demo => "demo",
        }
    }
}

/// The file name of a profile's store inside its folder.
pub const STORE_FILE: &str = "insightdesk.sqlite";

#[derive(Debug)]
pub struct Session {
    pub kind: ProfileKind,
    dir: PathBuf,
    pub tokens: TokenStore,
    pub meta: MetaConfig,
    /// The demo's simulated Meta, alive as long as the session.
    sandbox: Option<Arc<Sandbox>>,
}

impl Session {
    /// Opens a profile: creates its folder and store, opens its vault, and for the demo
    /// starts the simulated Meta.
    pub async fn open(config: &AppConfig, kind: ProfileKind) -> Result<Session, AppError> {
        let profiles = config.data_dir.path().join("profiles");
        let dir = profiles.join(kind.name());
        for folder in [&profiles, &dir] {
            crate::paths::private_folder(folder).map_err(|source| AppError::DataDir {
                path: folder.display().to_string(),
                source,
            })?;
        }
        let vault = open_vault(config, kind, &dir)?;
        let (meta, sandbox) = match kind {
            ProfileKind::Main => {
                let endpoints = match &config.meta {
                    MetaTarget::Meta => Endpoints::meta(),
                    MetaTarget::Base(base) => {
                        Endpoints::sandbox(base.as_str().trim_end_matches('/'))
                    }
                };
                (
                    MetaConfig::new(endpoints).with_version(config.api_version),
                    None,
                )
            }
            ProfileKind::Demo => {
                let sandbox = Arc::new(
                    Sandbox::start(SandboxConfig {
                        seed: config.demo_seed,
                        // The demo follows the computer's clock so stories and new posts keep
                        // appearing while the app runs.
                        clock: ClockConfig::RealTime(None),
                        ..SandboxConfig::default()
                    })
                    .await
                    .map_err(|e| AppError::Demo(e.to_string()))?,
                );
                // The demo's "now" is its simulated Meta's: the same instant as the computer's,
                // except while the demo's first weeks are replayed (see `demo_history`).
                let meta = MetaConfig::new(Endpoints::sandbox(&sandbox.base_url()))
                    .with_version(config.api_version)
                    .with_clock(Arc::new(SimulatedMetaTime(Arc::downgrade(&sandbox))));
                (meta, Some(sandbox))
            }
        };
        let session = Session {
            kind,
            dir,
            tokens: TokenStore::new(vault),
            meta,
            sandbox,
        };
        // Create the store (and run its migrations) now, so a broken file is reported when
        // the profile opens rather than halfway through a screen.
        session.open_store()?;
        Ok(session)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn store_path(&self) -> PathBuf {
        self.dir.join(STORE_FILE)
    }

    /// A connection to this profile's store. Each caller gets its own (WAL lets readers and
    /// the sync's writer run side by side).
    pub fn open_store(&self) -> Result<Store, AppError> {
        Ok(Store::open(self.store_path())?)
    }

    /// The demo's app credentials and ids (the demo profile only).
    pub fn demo_credentials(&self) -> Option<DemoCredentials> {
        self.sandbox.as_deref().map(Sandbox::credentials)
    }

    /// The demo's simulated Meta (the demo profile only).
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.sandbox.as_deref()
    }

    pub async fn close(self) {
        if let Some(sandbox) = self.sandbox {
            match Arc::try_unwrap(sandbox) {
                Ok(sandbox) => sandbox.stop().await,
                // Someone still holds it; it stops when the last holder lets go.
                Err(_) => log::warn!("the demo's simulated Meta is still in use; it stops later"),
            }
        }
    }
}

/// The time of the demo's simulated Meta. It holds the sandbox weakly so the session alone
/// decides when the sandbox stops; once it has, the computer's time is the best answer left.
struct SimulatedMetaTime(std::sync::Weak<Sandbox>);

impl Clock for SimulatedMetaTime {
    fn now(&self) -> DateTime<Utc> {
        self.0.upgrade().map_or_else(
            || insightdesk_graph::SystemClock.now(),
            |sandbox| sandbox.now(),
        )
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> Sleep<'_> {
        let wait = (deadline - self.now())
            .to_std()
            .unwrap_or(std::time::Duration::ZERO);
        Box::pin(tokio::time::sleep(wait))
    }
}

fn open_vault(
    config: &AppConfig,
    kind: ProfileKind,
    dir: &Path,
) -> Result<Arc<dyn Vault>, AppError> {
    let profile = Profile::new(kind.name())?;
    match config.vault {
        VaultKind::Keyring => {
            let vault = KeyringVault::new(&profile);
            vault.check()?;
            Ok(Arc::new(vault))
        }
        VaultKind::File => {
            let key = config.vault_key.as_ref().ok_or(AppError::VaultKeyMissing)?;
            Ok(Arc::new(FileVault::open(&dir.join("tokens.vault"), key)?))
        }
    }
}
