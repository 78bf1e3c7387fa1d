//! How this run of Insightdesk is configured: where data lives, which Meta it talks to, how
//! it keeps secrets. Built by the binaries from flags and the environment, then passed in.

use insightdesk_auth::VaultKind;
use insightdesk_graph::ApiVersion;
use insightdesk_secret::Sensitive;

use crate::DataDir;

/// Which Meta the main profile talks to. The demo profile always talks to the in-process
/// sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetaTarget {
    /// Meta's real hosts.
    Meta,
    /// Every Meta host under `{base}/{host}/...` (`--meta-base`), the sandbox's layout: an
    /// `insightdesk sandbox` running elsewhere.
    Base(url::Url),
}

#[derive(Debug, Clone)]
pub struct AppConfig {
    pub data_dir: DataDir,
    pub meta: MetaTarget,
    pub api_version: ApiVersion,
    pub vault: VaultKind,
    /// The key of the encrypted-file vault (`INSIGHTDESK_VAULT_KEY`), when `vault` is `File`.
    pub vault_key: Option<Sensitive<String>>,
    /// A publisher's sign-in broker (`INSIGHTDESK_BROKER_URL`), for one-click sign-in without
    /// an own Meta app.
    pub broker_url: Option<url::Url>,
    /// The loopback port Meta redirects to on the own-app path (the redirect URI to register).
    pub loopback_port: u16,
    /// The seed of the demo's simulated creator.
    pub demo_seed: u64,
}

impl AppConfig {
    /// Defaults for a data directory: real Meta, newest API version, the OS keyring.
    pub fn new(data_dir: DataDir) -> Self {
        Self {
            data_dir,
            meta: MetaTarget::Meta,
            api_version: ApiVersion::default(),
            vault: VaultKind::Keyring,
            vault_key: None,
            broker_url: None,
            loopback_port: insightdesk_auth::DEFAULT_PORT,
            demo_seed: 42,
        }
    }
}
