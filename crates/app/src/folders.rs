//! Asking the creator for a folder (for scheduled reports): the dialog is the host's, so the
//! webview needs no dialog permission of its own.
//!
//! The folders chosen here are remembered in the profile's store, and the settings accept a
//! scheduled-report folder only if it was chosen here (or is the one saved already): the
//! webview names no folder Insightdesk writes to that the creator did not pick.

use std::sync::Arc;

use insightdesk_store::Store;
use serde::Deserialize;
use ts_rs::TS;

use crate::App;
use crate::accounts::with_store;
use crate::error::AppError;

/// The store setting listing the folders chosen in the dialog, newest last.
const CHOSEN_FOLDERS_KEY: &str = "folders.chosen";
/// How many chosen folders are remembered.
const CHOSEN_FOLDERS_KEPT: usize = 20;

/// The folders the creator chose in the dialog (the newest [`CHOSEN_FOLDERS_KEPT`]).
pub(crate) fn chosen_folders(store: &Store) -> Result<Vec<String>, AppError> {
    Ok(store
        .setting(CHOSEN_FOLDERS_KEY)?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

fn remember_chosen(store: &mut Store, folder: &str) -> Result<(), AppError> {
    let mut folders = chosen_folders(store)?;
    folders.retain(|f| f != folder);
    folders.push(folder.to_owned());
    let excess = folders.len().saturating_sub(CHOSEN_FOLDERS_KEPT);
    folders.drain(..excess);
    let json = serde_json::to_string(&folders)?;
    store.write(|b| b.set_setting(CHOSEN_FOLDERS_KEY, &json))?;
    Ok(())
}

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
    let Some(folder) = folder.map(|path| path.display().to_string()) else {
        return Ok(None);
    };
    let session = app.session().await?;
    let kept = folder.clone();
    with_store(&session, move |store| remember_chosen(store, &kept)).await?;
    Ok(Some(folder))
}
