//! The one error type of the sync. Every variant is a sentence a creator understands, and
//! every stop leaves what was read so far in the store: the next sync continues from there.

use chrono::{DateTime, Utc};
use insightdesk_graph::{ErrorClass, GraphError};
use insightdesk_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The token is expired, revoked or otherwise refused: only signing in again helps.
    /// `reason` (Meta's words and codes) is for the log; the sentence is for the creator.
    #[error(
        "Instagram needs you to sign in again before Insightdesk can sync. \
         Everything read so far is saved; the next sync continues where this one stopped."
    )]
    NeedsReauth { reason: String },
    /// Meta's rate limit would make the sync wait longer than it may.
    #[error(
        "Instagram limits reached, resuming at {} UTC. Everything read so far is saved.",
        resume_at.format("%H:%M")
    )]
    RateLimited { resume_at: DateTime<Utc> },
    #[error("The sync was cancelled. Everything read so far is saved; the next sync continues.")]
    Cancelled,
    /// `reason` (Meta's words and codes) is for the log; the sentence is for the creator.
    #[error(
        "Insightdesk is missing a permission Instagram requires for insights. \
         Sign in again and grant every permission asked for."
    )]
    Permission { reason: String },
    #[error("Insightdesk does not know which Instagram account to sync; sign in to choose one.")]
    NoAccount,
    #[error("Insightdesk could not finish the sync: {0}")]
    Graph(#[source] GraphError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl SyncError {
    /// What went wrong with Meta, sorted the way the rest of the app acts on it.
    pub fn from_graph(error: GraphError, now: DateTime<Utc>) -> Self {
        match error.class() {
            _ if error.is_cancelled() => SyncError::Cancelled,
            ErrorClass::NeedsReauth => SyncError::NeedsReauth {
                reason: error.to_string(),
            },
            ErrorClass::Throttled { retry_after } => {
                let wait = retry_after
                    .and_then(|w| chrono::Duration::from_std(w).ok())
                    .unwrap_or_else(|| chrono::Duration::minutes(5));
                let resume_at = match &error {
                    GraphError::Budget { until, .. } => *until,
                    _ => now + wait,
                };
                SyncError::RateLimited { resume_at }
            }
            ErrorClass::Permission => SyncError::Permission {
                reason: error.to_string(),
            },
            _ => SyncError::Graph(error),
        }
    }

    /// True when only signing in again lets the sync go on.
    pub fn needs_reauth(&self) -> bool {
        matches!(self, SyncError::NeedsReauth { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_say_what_to_do() {
        let at = DateTime::parse_from_rfc3339("2026-11-26T14:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            SyncError::RateLimited { resume_at: at }.to_string(),
            "Instagram limits reached, resuming at 14:05 UTC. Everything read so far is saved."
        );
        let budget = GraphError::Budget {
            until: at,
            retry_after: std::time::Duration::from_secs(600),
        };
        assert!(matches!(
            SyncError::from_graph(budget, at),
            SyncError::RateLimited { resume_at } if resume_at == at
        ));
        let reauth = SyncError::from_graph(GraphError::MissingToken, at);
        assert!(reauth.needs_reauth());
        assert!(reauth.to_string().contains("sign in again"), "{reauth}");
        let expired = SyncError::NeedsReauth {
            reason: "Meta said “Session has expired” (code 190/463, GET https://graph.facebook.com/v26.0/1)".into(),
        };
        assert!(
            !expired.to_string().contains("190") && !expired.to_string().contains("http"),
            "no codes or addresses in the sentence: {expired}"
        );
        assert!(matches!(
            SyncError::from_graph(GraphError::Cancelled, at),
            SyncError::Cancelled
        ));
    }
}
