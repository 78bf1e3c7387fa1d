//! How this run of Insightdesk is configured: where data lives, which Meta it talks to, how
//! it keeps secrets. Built by the binaries from flags and the environment, then passed in.

use std::ops::RangeInclusive;

use insightdesk_auth::VaultKind;
use insightdesk_graph::ApiVersion;
use insightdesk_secret::Sensitive;

use crate::DataDir;

/// The variable that sets the sign-in's loopback port (the command line's `--login-port`).
pub const LOGIN_PORT_ENV: &str = "INSIGHTDESK_LOGIN_PORT";

/// The ports a sign-in may listen on: the ones below 1024 need administrator rights.
pub const LOGIN_PORTS: RangeInclusive<u16> = 1024..=u16::MAX;

/// Reads a sign-in port as the user typed it; the error says what a port may be, and the
/// caller says where the text came from.
pub fn parse_login_port(text: &str) -> Result<u16, String> {
    text.trim()
        .parse::<u16>()
        .ok()
        .filter(|port| LOGIN_PORTS.contains(port))
        .ok_or_else(|| {
            format!(
                "a sign-in port is a number from {} to {} (the default is {}); register http://localhost:PORT/callback for it in your Meta app",
                LOGIN_PORTS.start(),
                LOGIN_PORTS.end(),
                insightdesk_auth::DEFAULT_PORT
            )
        })
}

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
    /// The loopback port Meta redirects to on the own-app path (the redirect URI to register):
    /// `INSIGHTDESK_LOGIN_PORT` or the command line's `--login-port`, else
    /// [`insightdesk_auth::DEFAULT_PORT`].
    pub loopback_port: u16,
    /// The seed of the demo's simulated creator.
    pub demo_seed: u64,
    /// How many days of syncs the demo's first sign-in replays
    /// (`INSIGHTDESK_DEMO_HISTORY_DAYS`; 0: none, the demo starts with one reading of each).
    pub demo_history_days: u32,
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
            demo_history_days: crate::demo_history::DEFAULT_DEMO_HISTORY_DAYS,
        }
    }
}

/// The options both binaries take, before they are checked.
#[derive(Debug, Clone, Default)]
pub struct ConfigOptions {
    pub data_dir: Option<std::path::PathBuf>,
    pub meta_base: Option<String>,
    pub api_version: Option<String>,
    pub vault: Option<String>,
}

impl AppConfig {
    /// Builds the configuration from a binary's options and its environment (`env` looks a
    /// variable up: `INSIGHTDESK_DATA_DIR`, `INSIGHTDESK_VAULT_KEY`, `INSIGHTDESK_BROKER_URL`,
    /// `INSIGHTDESK_LOGIN_PORT`), with a sentence for anything that does not make sense.
    pub fn from_options(
        options: &ConfigOptions,
        env: &dyn Fn(&str) -> Option<String>,
        platform_data_dir: Option<std::path::PathBuf>,
    ) -> Result<AppConfig, String> {
        let data_dir = DataDir::resolve(
            options.data_dir.clone(),
            env(crate::paths::DATA_DIR_ENV).map(std::path::PathBuf::from),
            platform_data_dir,
        )
        .ok_or("Insightdesk cannot tell where to keep its data: set INSIGHTDESK_DATA_DIR or pass --data-dir.")?;
        let mut config = AppConfig::new(data_dir);
        if let Some(base) = &options.meta_base {
            let url = url::Url::parse(base)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| format!("--meta-base “{base}” is not an http(s) URL."))?;
            config.meta = MetaTarget::Base(url);
        }
        if let Some(version) = &options.api_version {
            config.api_version = version.parse().map_err(|_| {
                format!("--api-version “{version}” is not a Graph API version such as v26.0.")
            })?;
        }
        if let Some(vault) = &options.vault {
            config.vault = vault
                .parse()
                .map_err(|e: insightdesk_auth::AuthError| e.to_string())?;
        }
        config.vault_key = env(insightdesk_auth::VAULT_KEY_VAR)
            .filter(|k| !k.is_empty())
            .map(Sensitive::new);
        if let Some(days) = env("INSIGHTDESK_DEMO_HISTORY_DAYS").filter(|d| !d.is_empty()) {
            let max = crate::demo_history::MAX_DEMO_HISTORY_DAYS;
            config.demo_history_days = days.parse().ok().filter(|d| *d <= max).ok_or_else(|| {
                format!("INSIGHTDESK_DEMO_HISTORY_DAYS “{days}” is not a number of days from 0 to {max}.")
            })?;
        }
        config.broker_url = env("INSIGHTDESK_BROKER_URL")
            .filter(|u| !u.is_empty())
            .map(|u| {
                url::Url::parse(&u)
                    .map_err(|_| format!("INSIGHTDESK_BROKER_URL “{u}” is not a URL."))
            })
            .transpose()?;
        if let Some(port) = env(LOGIN_PORT_ENV).filter(|p| !p.trim().is_empty()) {
            config.loopback_port = parse_login_port(&port)
                .map_err(|reason| format!("{LOGIN_PORT_ENV} “{port}” is not usable: {reason}."))?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn options_are_checked_with_sentences() {
        let base = ConfigOptions {
            data_dir: Some("/tmp/x".into()),
            ..ConfigOptions::default()
        };
        let ok = AppConfig::from_options(&base, &no_env, None).unwrap();
        assert_eq!(ok.meta, MetaTarget::Meta);
        let bad = ConfigOptions {
            meta_base: Some("ftp://x".into()),
            ..base.clone()
        };
        assert!(
            AppConfig::from_options(&bad, &no_env, None)
                .unwrap_err()
                .contains("--meta-base")
        );
        let bad = ConfigOptions {
            api_version: Some("latest".into()),
            ..base.clone()
        };
        assert!(
            AppConfig::from_options(&bad, &no_env, None)
                .unwrap_err()
                .contains("v26.0")
        );
        let none = ConfigOptions::default();
        assert!(
            AppConfig::from_options(&none, &no_env, None)
                .unwrap_err()
                .contains("INSIGHTDESK_DATA_DIR")
        );
    }

    #[test]
    fn the_environment_supplies_vault_key_and_broker() {
        let env = |name: &str| match name {
            "INSIGHTDESK_DATA_DIR" => Some("/data".to_owned()),
            "INSIGHTDESK_BROKER_URL" => Some("https://broker.example/".to_owned()),
            "INSIGHTDESK_VAULT_KEY" => Some("k".repeat(40)),
            _ => None,
        };
        let config = AppConfig::from_options(&ConfigOptions::default(), &env, None).unwrap();
        assert_eq!(config.data_dir.path(), std::path::Path::new("/data"));
        assert!(config.broker_url.is_some());
        assert!(config.vault_key.is_some());
        assert_eq!(config.loopback_port, insightdesk_auth::DEFAULT_PORT);
    }

    #[test]
    fn the_sign_in_port_comes_from_the_environment_within_1024_to_65535() {
        let with_port = |port: &'static str| {
            move |name: &str| match name {
                "INSIGHTDESK_DATA_DIR" => Some("/data".to_owned()),
                "INSIGHTDESK_LOGIN_PORT" => Some(port.to_owned()),
                _ => None,
            }
        };
        let options = ConfigOptions::default();
        for (text, port) in [("1024", 1024), ("50123", 50123), (" 65535 ", 65535)] {
            let config = AppConfig::from_options(&options, &with_port(text), None).unwrap();
            assert_eq!(config.loopback_port, port, "{text}");
        }
        for text in ["80", "0", "65536", "-1", "port"] {
            let error = AppConfig::from_options(&options, &with_port(text), None).unwrap_err();
            assert!(
                error.starts_with(&format!("INSIGHTDESK_LOGIN_PORT “{text}” is not usable"))
                    && error.contains("1024 to 65535"),
                "{error}"
            );
        }
    }

    #[test]
    fn the_demos_replayed_days_are_a_small_number() {
        let env = |days: &'static str| {
            move |name: &str| match name {
                "INSIGHTDESK_DATA_DIR" => Some("/data".to_owned()),
                "INSIGHTDESK_DEMO_HISTORY_DAYS" => Some(days.to_owned()),
                _ => None,
            }
        };
        let options = ConfigOptions::default();
        let default = AppConfig::from_options(&options, &env(""), None).unwrap();
        assert_eq!(
            default.demo_history_days,
            crate::demo_history::DEFAULT_DEMO_HISTORY_DAYS
        );
        let none = AppConfig::from_options(&options, &env("0"), None).unwrap();
        assert_eq!(none.demo_history_days, 0);
        for bad in ["-1", "a week", "91"] {
            let error = AppConfig::from_options(&options, &env(bad), None).unwrap_err();
            assert!(error.contains("INSIGHTDESK_DEMO_HISTORY_DAYS"), "{error}");
        }
    }
}
