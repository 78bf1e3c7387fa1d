//! Asking the creator for a folder (for scheduled reports): the dialog is the host's, so the
//! webview needs no dialog permission of its own.

use std::sync::Arc;

use serde::Deserialize;
use ts_rs::TS;

use crate::App;
use crate::error::AppError;

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ChooseFolderArgs {
    /// The dialog's title.
    #[serde(default)]
    pub title: Option<String>,
}

/// The folder chosen, or `None` when the dialog was closed without one.
pub async fn choose_folder(app: &App, args: ChooseFolderArgs) -> Result<Option<String>, AppError> {
    let host = Arc::clone(app.host());
    let title = args
        .title
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| "Choose a folder".to_owned());
    let folder = tokio::task::spawn_blocking(move || host.choose_folder(&title)).await?;
    Ok(folder.map(|path| path.display().to_string()))
}
