//! The crate's one error type. Every message is a sentence a creator can act on.

use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use insightdesk_store::{AccountId, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The store's own messages are already sentences for the user.
    #[error(transparent)]
    Store(#[from] StoreError),

    #[error("There is no account {0} in this Insightdesk profile.")]
    UnknownAccount(AccountId),

    #[error(
        "The report period ends on {last}, before it starts on {first}. Pick an end date on or after the start date."
    )]
    PeriodReversed { first: NaiveDate, last: NaiveDate },

    #[error(
        "A report can cover at most {max_days} days; this one asks for {days}. Pick a shorter range."
    )]
    PeriodTooLong { days: i64, max_days: i64 },

    #[error("Insightdesk could not write {}: {}. Choose a place you can write to and try again.", path.display(), reason(source))]
    CannotWrite {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("{} is a folder, not a file name. Add a file name such as report.pdf.", path.display())]
    IsAFolder { path: PathBuf },

    #[error("{} is a file, not a folder. Choose a folder for the exported files.", path.display())]
    NotAFolder { path: PathBuf },

    #[error("The chart \"{chart}\" could not be drawn ({reason}). Please report this problem.")]
    Chart { chart: String, reason: String },

    #[error("The PDF could not be put together ({0}). Please report this problem.")]
    Pdf(String),

    #[error("The report could not be written as JSON ({0}). Please report this problem.")]
    Json(#[from] serde_json::Error),
}

impl ReportError {
    pub(crate) fn cannot_write(path: &Path, source: io::Error) -> Self {
        ReportError::CannotWrite {
            path: path.to_owned(),
            source,
        }
    }
}

/// The reason part of a write error, in words rather than an OS error number.
fn reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::PermissionDenied => "you do not have permission to write there".into(),
        io::ErrorKind::NotFound => "the folder does not exist".into(),
        io::ErrorKind::StorageFull => "the disk is full".into(),
        io::ErrorKind::ReadOnlyFilesystem => "the disk is read-only".into(),
        io::ErrorKind::IsADirectory => "a folder of that name is in the way".into(),
        io::ErrorKind::NotADirectory => "part of the path is a file, not a folder".into(),
        _ => {
            let text = error.to_string();
            // "Permission denied (os error 13)" reads better without the number.
            match text.find(" (os error") {
                Some(cut) => text[..cut].to_lowercase(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_errors_are_sentences_without_os_numbers() {
        let error = ReportError::cannot_write(
            Path::new("/reports/march.pdf"),
            io::Error::from_raw_os_error(13),
        );
        assert_eq!(
            error.to_string(),
            "Insightdesk could not write /reports/march.pdf: you do not have permission to write \
             there. Choose a place you can write to and try again."
        );
        let other = ReportError::cannot_write(
            Path::new("/r.pdf"),
            io::Error::other("Something odd (os error 99)"),
        );
        assert!(other.to_string().contains(": something odd."), "{other}");
    }
}
