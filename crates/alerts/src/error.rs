//! The crate's one error type.

use insightdesk_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    #[error(
        "The alert setting {key} is “{value}”, which is not {expected}; change it in the alert settings."
    )]
    InvalidSetting {
        key: String,
        value: String,
        expected: &'static str,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}
