//! "Sign out and wipe": every account of the open profile signed out (revoked at Meta, tokens
//! deleted), the own Meta app's credentials forgotten, the profile's folder — store, thumbnail
//! cache, file vault — deleted, and the creator's own profile opened afresh.

use std::time::Duration;

use insightdesk_auth::{LoginKind, sign_out};

use crate::App;
use crate::accounts::SessionState;
use crate::error::AppError;
use crate::info::NoArgs;
use crate::session::ProfileKind;

/// How long a running sync gets to stop after it was cancelled.
const SYNC_STOP_WAIT: Duration = Duration::from_secs(20);

impl App {
    pub async fn wipe_profile(&self) -> Result<SessionState, AppError> {
        let session = self.session().await?;
        let state = self.session_state().await?;
        // A sync writing into the folder while it is deleted would leave half a store behind.
        for account in &state.accounts {
            self.cancel_sync(&account.id);
        }
        let deadline = tokio::time::Instant::now() + SYNC_STOP_WAIT;
        for account in &state.accounts {
            while self.sync_status(Some(account.id.clone())).await?.running {
                if tokio::time::Instant::now() > deadline {
                    return Err(AppError::InvalidInput(
                        "A sync is still stopping. Nothing was deleted; try again in a moment."
                            .into(),
                    ));
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        let tokens = session.tokens.clone();
        let grants = tokio::task::spawn_blocking(move || tokens.grants()).await??;
        for grant in &grants {
            // Revoking may fail offline; the tokens are deleted here either way.
            sign_out(&session.meta, &session.tokens, grant).await?;
        }
        let tokens = session.tokens.clone();
        tokio::task::spawn_blocking(move || {
            for kind in [LoginKind::Facebook, LoginKind::Instagram] {
                tokens.delete_app(kind)?;
            }
            Ok::<(), insightdesk_auth::AuthError>(())
        })
        .await??;

        let kind = session.kind;
        let dir = session.dir().to_path_buf();
        drop(session);
        {
            // Hold the slot while the folder goes, so nothing reopens the profile half-deleted.
            let mut slot = self.session.write().await;
            if let Some(open) = slot.take()
                && let Ok(open) = std::sync::Arc::try_unwrap(open)
            {
                open.close().await;
            }
            let removed = dir.clone();
            tokio::task::spawn_blocking(move || match std::fs::remove_dir_all(&removed) {
                Ok(()) => Ok(()),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(source) => Err(AppError::DataDir {
                    path: removed.display().to_string(),
                    source,
                }),
            })
            .await??;
            crate::paths::remember_profile(&self.config.data_dir, ProfileKind::Main);
        }
        log::info!("profile {} wiped", kind.name());
        self.open_profile(ProfileKind::Main).await?;
        self.session_state().await
    }
}

pub async fn wipe_profile(app: &App, _args: NoArgs) -> Result<SessionState, AppError> {
    app.wipe_profile().await
}
