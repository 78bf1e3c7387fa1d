//! The store's one error type.
//!
//! SQLite reports failures by result code; the ones a creator can do something about (a full
//! disk, a damaged file, a folder they cannot write to, another Insightdesk holding the
//! database, a file from a newer version) each get their own variant and a sentence that says
//! what to do. Everything else is [`StoreError::Database`], which still names the file.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("Insightdesk could not save: the disk is full. Free some space and sync again.")]
    DiskFull,
    #[error(
        "Insightdesk's database is busy: another Insightdesk window or `insightdesk sync` kept it \
         locked for more than {seconds} seconds. Wait for it to finish and try again."
    )]
    Busy { seconds: u64 },
    #[error(
        "Insightdesk's database {path} is damaged and cannot be read safely. Restore it from a \
         backup, or move it away and sync again to start a new history."
    )]
    Corrupt { path: PathBuf },
    #[error(
        "{path} is not an Insightdesk database. Choose another data folder with --data-dir or \
         INSIGHTDESK_DATA_DIR, or move the file away."
    )]
    NotInsightdesk { path: PathBuf },
    #[error(
        "Insightdesk cannot write to its database {path}. Check that the folder exists, that you \
         may write to it and that the disk is not read-only, or choose another data folder with \
         --data-dir."
    )]
    CannotWrite { path: PathBuf },
    #[error(
        "This database was written by a newer version of Insightdesk (schema {found}; this \
         version knows up to {supported}). Update Insightdesk to open it; the file was left \
         untouched."
    )]
    TooNew { found: u32, supported: u32 },
    #[error("Insightdesk has no account {0} in its database.")]
    UnknownAccount(i64),
    #[error("Insightdesk has no post {0} in its database.")]
    UnknownMedia(String),
    #[error("Insightdesk has no sync run {0} in its database.")]
    UnknownSyncRun(i64),
    #[error(
        "Instagram post {ig_media_id} is already stored under another account; Insightdesk \
         will not move it."
    )]
    MediaOfAnotherAccount { ig_media_id: String },
    #[error(
        "Insightdesk refused to archive a response from an address that carries a credential \
         ({endpoint}); archived addresses must be redacted first."
    )]
    CredentialInEndpoint { endpoint: String },
    #[error(
        "Insightdesk refused to store an account total over a window that ends ({last_day}) \
         before it starts ({first_day})."
    )]
    BackwardsWindow {
        first_day: chrono::NaiveDate,
        last_day: chrono::NaiveDate,
    },
    #[error("Insightdesk can compare at most {limit} metrics at once; {asked} were asked for.")]
    TooManyMetrics { asked: usize, limit: usize },
    #[error("Insightdesk could not read an archived response: {0}")]
    Archive(#[source] std::io::Error),
    #[error("Insightdesk's database {path} failed: {source}")]
    Database {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

/// How long a write waits for another connection's lock before giving up with
/// [`StoreError::Busy`].
pub const BUSY_TIMEOUT_SECONDS: u64 = 5;

impl StoreError {
    /// Turns a SQLite error into the variant a creator can act on.
    pub(crate) fn from_sqlite(source: rusqlite::Error, path: &Path) -> Self {
        match source.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy {
                seconds: BUSY_TIMEOUT_SECONDS,
            },
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
                path: path.to_owned(),
            },
            Some(ErrorCode::NotADatabase) => StoreError::NotInsightdesk {
                path: path.to_owned(),
            },
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
                StoreError::CannotWrite {
                    path: path.to_owned(),
                }
            }
            _ => StoreError::Database {
                path: path.to_owned(),
                source,
            },
        }
    }

    /// True for the errors after which the data already stored is still whole and a later
    /// attempt may succeed (a full disk, a busy database).
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::DiskFull | StoreError::Busy { .. })
    }
}

/// Attaches the database path to SQLite errors on the way out of the crate.
pub(crate) trait AtPath<T> {
    fn at(self, path: &Path) -> Result<T, StoreError>;
}

impl<T> AtPath<T> for rusqlite::Result<T> {
    fn at(self, path: &Path) -> Result<T, StoreError> {
        self.map_err(|e| StoreError::from_sqlite(e, path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::ffi;

    fn classify(code: i32) -> StoreError {
        let error = rusqlite::Error::SqliteFailure(ffi::Error::new(code), None);
        StoreError::from_sqlite(error, Path::new("/data/insightdesk.sqlite3"))
    }

    #[test]
    fn result_codes_map_to_distinct_variants() {
        assert!(matches!(classify(ffi::SQLITE_FULL), StoreError::DiskFull));
        assert!(matches!(
            classify(ffi::SQLITE_BUSY),
            StoreError::Busy { seconds: 5 }
        ));
        assert!(matches!(
            classify(ffi::SQLITE_LOCKED),
            StoreError::Busy { .. }
        ));
        assert!(matches!(
            classify(ffi::SQLITE_CORRUPT),
            StoreError::Corrupt { .. }
        ));
        assert!(matches!(
            classify(ffi::SQLITE_NOTADB),
            StoreError::NotInsightdesk { .. }
        ));
        assert!(matches!(
            classify(ffi::SQLITE_READONLY),
            StoreError::CannotWrite { .. }
        ));
        assert!(matches!(
            classify(ffi::SQLITE_CANTOPEN),
            StoreError::CannotWrite { .. }
        ));
        assert!(matches!(
            classify(ffi::SQLITE_PERM),
            StoreError::CannotWrite { .. }
        ));
        assert!(matches!(
            classify(ffi::SQLITE_IOERR),
            StoreError::Database { .. }
        ));
    }

    #[test]
    fn extended_codes_keep_their_primary_meaning() {
        // SQLITE_READONLY_DBMOVED and SQLITE_CANTOPEN_ISDIR carry extra bits above the
        // primary code; they must still read as "cannot write".
        assert!(matches!(
            classify(ffi::SQLITE_READONLY_DBMOVED),
            StoreError::CannotWrite { .. }
        ));
        assert!(matches!(
            classify(ffi::SQLITE_CANTOPEN_ISDIR),
            StoreError::CannotWrite { .. }
        ));
        assert!(matches!(
            classify(ffi::SQLITE_CORRUPT_INDEX),
            StoreError::Corrupt { .. }
        ));
    }

    #[test]
    fn messages_are_sentences_that_name_the_file() {
        assert_eq!(
            classify(ffi::SQLITE_FULL).to_string(),
            "Insightdesk could not save: the disk is full. Free some space and sync again."
        );
        let corrupt = classify(ffi::SQLITE_CORRUPT).to_string();
        assert!(corrupt.contains("/data/insightdesk.sqlite3"), "{corrupt}");
        assert!(corrupt.ends_with('.'), "{corrupt}");
    }
}
