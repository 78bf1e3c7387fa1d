//! The desktop binary's few flags. The full command line is `insightdesk` (crates/cli).

use std::ffi::OsString;
use std::path::PathBuf;

use insightdesk_app::{AppConfig, DataDir, MetaTarget};
use insightdesk_secret::Sensitive;

pub const USAGE: &str = "Usage: insightdesk-desktop [--demo] [--data-dir DIR] [--meta-base URL] [--api-version vNN.0] [--vault keyring|file]

  --demo             open on the demo creator (a simulated Meta inside the app)
  --data-dir DIR     where profiles and logs live (also INSIGHTDESK_DATA_DIR)
  --meta-base URL    talk to `insightdesk sandbox` at URL instead of Meta
  --api-version V    the Graph API version (default: the newest live one)
  --vault KIND       keyring (default) or file (key in INSIGHTDESK_VAULT_KEY)";

#[derive(Debug, Default)]
pub struct Flags {
    pub demo: bool,
    pub data_dir: Option<PathBuf>,
    pub meta_base: Option<String>,
    pub api_version: Option<String>,
    pub vault: Option<String>,
}

impl Flags {
    pub fn from_args(args: impl IntoIterator<Item = OsString>) -> Result<Flags, String> {
        let mut flags = Flags::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let arg = arg.to_string_lossy().into_owned();
            let mut value = |name: &str| {
                args.next()
                    .map(|v| v.to_string_lossy().into_owned())
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match arg.as_str() {
                "--demo" => flags.demo = true,
                "--data-dir" => flags.data_dir = Some(PathBuf::from(value("--data-dir")?)),
                "--meta-base" => flags.meta_base = Some(value("--meta-base")?),
                "--api-version" => flags.api_version = Some(value("--api-version")?),
                "--vault" => flags.vault = Some(value("--vault")?),
                other => return Err(format!("unknown argument “{other}”")),
            }
        }
        Ok(flags)
    }

    pub fn app_config(&self) -> Result<AppConfig, String> {
        let data_dir = DataDir::from_environment(self.data_dir.clone())
            .ok_or("cannot tell where to keep data: set INSIGHTDESK_DATA_DIR or pass --data-dir")?;
        let mut config = AppConfig::new(data_dir);
        if let Some(base) = &self.meta_base {
            let url =
                url::Url::parse(base).map_err(|_| format!("--meta-base “{base}” is not a URL"))?;
            config.meta = MetaTarget::Base(url);
        }
        if let Some(version) = &self.api_version {
            config.api_version = version.parse().map_err(|_| {
                format!("--api-version “{version}” is not a Graph API version such as v26.0")
            })?;
        }
        if let Some(vault) = &self.vault {
            config.vault = vault
                .parse()
                .map_err(|e: insightdesk_auth::AuthError| e.to_string())?;
        }
        config.vault_key = std::env::var("INSIGHTDESK_VAULT_KEY")
            .ok()
            .filter(|k| !k.is_empty())
            .map(Sensitive::new);
        config.broker_url = std::env::var("INSIGHTDESK_BROKER_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .map(|u| {
                url::Url::parse(&u)
                    .map_err(|_| format!("INSIGHTDESK_BROKER_URL “{u}” is not a URL"))
            })
            .transpose()?;
        Ok(config)
    }
}
