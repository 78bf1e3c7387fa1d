//! The desktop binary's few flags. The full command line is `insightdesk` (crates/cli).

use std::ffi::OsString;
use std::path::PathBuf;

use insightdesk_app::{AppConfig, ConfigOptions};

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
        let options = ConfigOptions {
            data_dir: self.data_dir.clone(),
            meta_base: self.meta_base.clone(),
            api_version: self.api_version.clone(),
            vault: self.vault.clone(),
        };
        AppConfig::from_options(
            &options,
            &|name| std::env::var(name).ok(),
            insightdesk_app::paths::platform_data_dir(),
        )
    }
}
