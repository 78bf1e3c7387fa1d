//! The one error type that crosses the IPC boundary and the command line's exit path.
//!
//! Each variant renders as a sentence a creator understands (what happened, what to do). The
//! UI branches on `code` only where it must act differently; everything else is shown as the
//! message. Nothing here may carry a token, a secret or a URL that holds one.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("The app asked for “{0}”, which this version does not know. Restart Insightdesk.")]
    UnknownCommand(String),
    #[error("The app sent incomplete details for “{command}”: {detail}")]
    InvalidArguments { command: String, detail: String },
    #[error("Insightdesk could not use its data folder {path}: {source}")]
    DataDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("Insightdesk could not prepare its answer: {0}")]
    Encode(#[from] serde_json::Error),
}

/// Stable codes for the few errors the UI treats differently from "show the message".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Anything the UI only has to show.
    Failed,
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
            AppError::UnknownCommand(_)
            | AppError::InvalidArguments { .. }
            | AppError::DataDir { .. }
            | AppError::Encode(_) => ErrorCode::Failed,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

impl Serialize for AppError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}
