//! "About this app": the first round trip between the window and Rust.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{App, AppError};

/// The app's version and where it keeps its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    /// The version of this build, e.g. "0.1.0".
    pub version: String,
    /// The folder that holds this profile's database, logs and exports.
    pub data_dir: String,
}

/// The command's arguments: none.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct NoArgs {}

pub async fn app_info(app: &App, _args: NoArgs) -> Result<AppInfo, AppError> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: app.data_dir().path().display().to_string(),
    })
}
