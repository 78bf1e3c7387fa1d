//! The one error type that crosses the IPC boundary and the command line's exit path.
//!
//! Each variant renders as a sentence a creator understands (what happened, what to do). The
//! UI branches on `code` only where it must act differently; everything else is shown as the
//! message. Nothing here may carry a token, a secret or a URL that holds one: the errors of
//! the crates below are built to that rule, and this layer adds none of its own.

use insightdesk_auth::AuthError;
use insightdesk_graph::ErrorClass;
use insightdesk_store::StoreError;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("The app asked for “{0}”, which this version does not know. Restart Insightdesk.")]
    UnknownCommand(String),
    #[error("The app sent incomplete details for “{command}”: {detail}")]
    InvalidArguments { command: String, detail: String },
    #[error("{0}")]
    InvalidInput(String),
    #[error("Insightdesk could not use its data folder {path}: {source}")]
    DataDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("Insightdesk could not prepare its answer: {0}")]
    Encode(#[from] serde_json::Error),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("The demo could not start: {0}.")]
    Demo(String),
    #[error(
        "The encrypted-file vault needs its key: set INSIGHTDESK_VAULT_KEY (at least 32 characters), or use the OS keyring."
    )]
    VaultKeyMissing,
    #[error(
        "No account is connected yet. Sign in with Facebook or Instagram, or explore the demo."
    )]
    NoAccount,
    #[error("The Instagram account {0} is not connected in this profile.")]
    UnknownAccount(String),
    #[error(
        "To sign in with {provider}, first enter your Meta app's App ID and App Secret (Settings → Connection), or use a build that comes with a sign-in service."
    )]
    SetupRequired { provider: String },
    #[error("A sign-in is already waiting for the browser. Finish it there, or cancel it first.")]
    SignInBusy,
    #[error("Insightdesk's background work stopped unexpectedly ({0}). Try again.")]
    Task(String),
    #[error(transparent)]
    Sync(insightdesk_sync::SyncError),
    #[error(transparent)]
    Report(#[from] insightdesk_report::ReportError),
    #[error(transparent)]
    Alerts(#[from] insightdesk_alerts::AlertError),
    #[error(transparent)]
    Webhooks(#[from] insightdesk_webhooks::WebhookError),
    #[error(transparent)]
    Graph(#[from] insightdesk_graph::GraphError),
    #[error("A sync of this account is already running.")]
    SyncBusy,
    #[error("Nothing was saved: you closed the dialog without choosing where.")]
    SaveCancelled,
}

/// Stable codes for the few errors the UI treats differently from "show the message".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Anything the UI only has to show.
    Failed,
    /// The token is gone or expired: offer "Sign in again".
    NeedsSignIn,
    /// Nothing is connected: show the welcome screen.
    NoAccount,
    /// The own-app credentials are missing: open the setup panel.
    SetupRequired,
    /// No keyring is running: show how to start one.
    KeyringUnavailable,
    /// The user cancelled or declined: say nothing alarming.
    Cancelled,
    /// Instagram's limits were reached: the message says when work resumes.
    Throttled,
}

/// What the webview receives when a command fails.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::NoAccount => ErrorCode::NoAccount,
            AppError::SetupRequired { .. } => ErrorCode::SetupRequired,
            AppError::Auth(auth) => match auth {
                AuthError::Cancelled | AuthError::Declined => ErrorCode::Cancelled,
                AuthError::KeyringUnavailable { .. } | AuthError::KeyringLocked { .. } => {
                    ErrorCode::KeyringUnavailable
                }
                AuthError::NotRefreshable { .. } | AuthError::UnknownAccount(_) => {
                    ErrorCode::NeedsSignIn
                }
                AuthError::Graph(graph) => graph_code(graph.class()),
                _ => ErrorCode::Failed,
            },
            AppError::Sync(sync) => match sync {
                insightdesk_sync::SyncError::NeedsReauth { .. } => ErrorCode::NeedsSignIn,
                insightdesk_sync::SyncError::RateLimited { .. } => ErrorCode::Throttled,
                insightdesk_sync::SyncError::Cancelled => ErrorCode::Cancelled,
                _ => ErrorCode::Failed,
            },
            AppError::Graph(graph) => graph_code(graph.class()),
            AppError::SaveCancelled => ErrorCode::Cancelled,
            _ => ErrorCode::Failed,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

/// The UI's reaction to a Graph error class.
pub fn graph_code(class: ErrorClass) -> ErrorCode {
    match class {
        ErrorClass::NeedsReauth => ErrorCode::NeedsSignIn,
        ErrorClass::Throttled { .. } => ErrorCode::Throttled,
        _ => ErrorCode::Failed,
    }
}

impl Serialize for AppError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(error: tokio::task::JoinError) -> Self {
        AppError::Task(error.to_string())
    }
}

impl From<insightdesk_sync::SyncError> for AppError {
    fn from(error: insightdesk_sync::SyncError) -> Self {
        AppError::Sync(error)
    }
}
