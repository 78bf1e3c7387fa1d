//! Metrics Meta refused, remembered per scope so they are not asked for again. The store
//! implements [`MetricExclusions`] over its database; [`InMemoryExclusions`] serves tests and
//! one-off runs.

use std::sync::Mutex;

use chrono::{DateTime, Utc};

use crate::catalog::{Level, MetricType};
use crate::endpoints::LoginKind;
use crate::models::{MediaProductType, MediaType};

/// Where a metric was refused. Scopes match exactly. The scope with neither product type nor
/// media type at media level is the one of a media page with expanded insights (Meta did not
/// say which media refused the metric), and is only consulted when expanding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExclusionScope {
    /// The Instagram account id.
    pub account: String,
    pub login: LoginKind,
    pub level: Level,
    pub product_type: Option<MediaProductType>,
    pub media_type: Option<MediaType>,
    /// User level: the `metric_type` that was refused (a metric may still answer in the other).
    pub metric_type: Option<MetricType>,
}

impl ExclusionScope {
    pub fn user(account: &str, login: LoginKind, metric_type: Option<MetricType>) -> Self {
        Self {
            account: account.to_owned(),
            login,
            level: Level::User,
            product_type: None,
            media_type: None,
            metric_type,
        }
    }

    pub fn media(
        account: &str,
        login: LoginKind,
        product_type: Option<MediaProductType>,
        media_type: Option<MediaType>,
    ) -> Self {
        Self {
            account: account.to_owned(),
            login,
            level: Level::Media,
            product_type,
            media_type,
            metric_type: None,
        }
    }

    /// The scope of expanded `insights.metric(...)` on a media page.
    pub fn media_page(account: &str, login: LoginKind) -> Self {
        Self::media(account, login, None, None)
    }
}

/// Remembers refused metrics. Implementations must be cheap to query: the client asks before
/// every insights request.
pub trait MetricExclusions: Send + Sync {
    fn is_excluded(&self, scope: &ExclusionScope, metric: &str) -> bool;
    /// Records that Meta refused `metric` in `scope` at `at`; `reason` is Meta's message
    /// (already redacted).
    fn record_exclusion(
        &self,
        scope: &ExclusionScope,
        metric: &str,
        reason: &str,
        at: DateTime<Utc>,
    );
}

/// One remembered refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    pub scope: ExclusionScope,
    pub metric: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// Exclusions kept in memory for the life of the value.
#[derive(Debug, Default)]
pub struct InMemoryExclusions {
    entries: Mutex<Vec<Exclusion>>,
}

impl InMemoryExclusions {
    pub fn new() -> Self {
        Self::default()
    }

    /// Everything recorded so far, oldest first.
    pub fn entries(&self) -> Vec<Exclusion> {
        self.entries.lock().map(|e| e.clone()).unwrap_or_default()
    }
}

impl MetricExclusions for InMemoryExclusions {
    fn is_excluded(&self, scope: &ExclusionScope, metric: &str) -> bool {
        self.entries
            .lock()
            .map(|e| e.iter().any(|x| &x.scope == scope && x.metric == metric))
            .unwrap_or(false)
    }

    fn record_exclusion(
        &self,
        scope: &ExclusionScope,
        metric: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) {
        if let Ok(mut entries) = self.entries.lock()
            && !entries
                .iter()
                .any(|x| &x.scope == scope && x.metric == metric)
        {
            entries.push(Exclusion {
                scope: scope.clone(),
                metric: metric.to_owned(),
                reason: reason.to_owned(),
                at,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_match_exactly() {
        let store = InMemoryExclusions::new();
        let reels = ExclusionScope::media(
            "1",
            LoginKind::Facebook,
            Some(MediaProductType::Reels),
            Some(MediaType::Video),
        );
        store.record_exclusion(
            &reels,
            "views",
            "not supported",
            DateTime::<Utc>::UNIX_EPOCH,
        );
        store.record_exclusion(&reels, "views", "again", DateTime::<Utc>::UNIX_EPOCH);
        assert!(store.is_excluded(&reels, "views"));
        assert!(!store.is_excluded(&reels, "reach"));
        assert!(!store.is_excluded(
            &ExclusionScope::media_page("1", LoginKind::Facebook),
            "views"
        ));
        assert!(!store.is_excluded(
            &ExclusionScope::media(
                "2",
                LoginKind::Facebook,
                Some(MediaProductType::Reels),
                Some(MediaType::Video)
            ),
            "views"
        ));
        assert_eq!(store.entries().len(), 1);
    }
}
