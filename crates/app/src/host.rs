//! What the application needs from whoever runs it: the desktop shell or the command line.
//!
//! Only things a particular front end can do live here — open the browser, ask where to save
//! a file, show a notification, deliver events to a UI. Everything else is in this crate.

use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;
use ts_rs::TS;

/// Something the UI should hear about without asking: progress, results, warnings.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AppEvent {
    /// A sync moved on: `step` says what it is doing, `done` of `total` steps are finished.
    SyncProgress {
        account: String,
        step: String,
        done: u32,
        total: u32,
        /// While Instagram's limits pause the sync: when it goes on (ISO 8601); `step` says so.
        resumes_at: Option<String>,
    },
    /// A sync ended well; `summary` is a sentence, `warnings` what the creator should know.
    SyncFinished {
        account: String,
        summary: String,
        warnings: Vec<String>,
    },
    /// A sync stopped: `message` says why and what to do; `code` as in `ErrorPayload`.
    SyncFailed {
        account: String,
        code: crate::error::ErrorCode,
        message: String,
    },
    /// Something the creator should notice (also shown as a desktop notification).
    Alert { title: String, body: String },
    /// The set of accounts or the open profile changed: reload the session state.
    SessionChanged,
    /// New figures were stored outside a sync (e.g. a period's reach): reload the screen.
    DataChanged,
}

/// The front end.
pub trait Host: Send + Sync + 'static {
    /// Delivers an event to the UI (the desktop) or prints it (the command line).
    fn emit(&self, event: AppEvent);

    /// Opens a sign-in page in the user's browser. The URL carries the sign-in's `state`, so
    /// implementations must not log it.
    fn open_sign_in_page(&self, url: &str) -> Result<(), String>;

    /// Opens a web page (a post on instagram.com) in the user's browser. Front ends that
    /// cannot say so.
    fn open_link(&self, url: &str) -> Result<(), String> {
        let _ = url;
        Err("this front end cannot open a browser".to_owned())
    }

    /// Asks where to save a file; `None` when the user cancelled. Called off the UI thread.
    fn choose_save_path(&self, suggested_name: &str, extension: &str) -> Option<PathBuf>;

    /// Asks for a folder; `None` when the user cancelled. Called off the UI thread.
    fn choose_folder(&self, title: &str) -> Option<PathBuf>;

    /// Shows a desktop notification (or a line on the command line).
    fn notify(&self, title: &str, body: &str);
}

/// A host that remembers what happened: for tests and for headless runs where nobody watches.
#[derive(Debug, Default)]
pub struct RecordingHost {
    events: Mutex<Vec<AppEvent>>,
    opened: Mutex<Vec<String>>,
    notifications: Mutex<Vec<(String, String)>>,
    /// What `choose_save_path`/`choose_folder` answer (a test sets it).
    pub answer_path: Mutex<Option<PathBuf>>,
}

impl RecordingHost {
    pub fn events(&self) -> Vec<AppEvent> {
        self.events.lock().map(|e| e.clone()).unwrap_or_default()
    }

    pub fn opened_urls(&self) -> Vec<String> {
        self.opened.lock().map(|o| o.clone()).unwrap_or_default()
    }

    pub fn notifications(&self) -> Vec<(String, String)> {
        self.notifications
            .lock()
            .map(|n| n.clone())
            .unwrap_or_default()
    }
}

impl Host for RecordingHost {
    fn emit(&self, event: AppEvent) {
        if let Ok(mut events) = self.events.lock() {
            events.push(event);
        }
    }

    fn open_sign_in_page(&self, url: &str) -> Result<(), String> {
        if let Ok(mut opened) = self.opened.lock() {
            opened.push(url.to_owned());
        }
        Ok(())
    }

    fn open_link(&self, url: &str) -> Result<(), String> {
        if let Ok(mut opened) = self.opened.lock() {
            opened.push(url.to_owned());
        }
        Ok(())
    }

    fn choose_save_path(&self, _suggested_name: &str, _extension: &str) -> Option<PathBuf> {
        self.answer_path.lock().ok().and_then(|p| p.clone())
    }

    fn choose_folder(&self, _title: &str) -> Option<PathBuf> {
        self.answer_path.lock().ok().and_then(|p| p.clone())
    }

    fn notify(&self, title: &str, body: &str) {
        if let Ok(mut n) = self.notifications.lock() {
            n.push((title.to_owned(), body.to_owned()));
        }
    }
}
