//! The client's memory of refused metrics, kept in the store so it lasts across runs.
//!
//! The client asks [`MetricExclusions::is_excluded`] before every insights request, so the
//! learned exclusions are held in memory (loaded once per run). A refusal learned during the
//! run is added to that memory at once and queued; the engine writes the queue in the same
//! store step as the data of that step, and turns each new refusal into one warning.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use insightdesk_graph::catalog::{Level, MetricType};
use insightdesk_graph::models::{MediaProductType, MediaType};
use insightdesk_graph::{ExclusionScope, LoginKind, MetricExclusions};
use insightdesk_store::{AccountId, MetricLevel, MetricScope, Store, StoreError, WriteBatch};

/// One refusal learned in this run, not yet written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearnedExclusion {
    pub scope: ExclusionScope,
    pub metric: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

impl LearnedExclusion {
    /// The warning a creator sees, once, when the refusal is learned.
    pub fn warning(&self) -> String {
        format!(
            "Instagram no longer provides the metric “{}” for {}; Insightdesk stopped asking \
             for it and keeps the values it already has.",
            self.metric,
            place(&self.scope)
        )
    }
}

/// Where a refusal applies, in words.
fn place(scope: &ExclusionScope) -> String {
    match scope.level {
        Level::User => match scope.metric_type {
            Some(MetricType::TotalValue) => "your account's totals".to_owned(),
            Some(MetricType::TimeSeries) => "your account's day-by-day series".to_owned(),
            None => "your account".to_owned(),
        },
        Level::Media => {
            let kind = scope.media_type.as_ref();
            match scope.product_type.as_ref() {
                Some(MediaProductType::Reels) => "reels".to_owned(),
                Some(MediaProductType::Story) => match kind {
                    Some(MediaType::Image) => "photo stories".to_owned(),
                    Some(MediaType::Video) => "video stories".to_owned(),
                    _ => "stories".to_owned(),
                },
                Some(MediaProductType::Feed) => match kind {
                    Some(MediaType::Image) => "photo posts".to_owned(),
                    Some(MediaType::Video) => "video posts".to_owned(),
                    Some(MediaType::CarouselAlbum) => "carousel posts".to_owned(),
                    _ => "posts".to_owned(),
                },
                None => "posts".to_owned(),
                Some(other) => format!("{} posts", other.as_str().to_lowercase()),
            }
        }
    }
}

/// [`MetricExclusions`] over the store, for one Instagram account.
#[derive(Debug)]
pub struct StoreExclusions {
    known: Mutex<HashSet<(ExclusionScope, String)>>,
    pending: Mutex<Vec<LearnedExclusion>>,
}

fn store_login(login: LoginKind) -> insightdesk_store::LoginKind {
    match login {
        LoginKind::Facebook => insightdesk_store::LoginKind::Facebook,
        LoginKind::Instagram => insightdesk_store::LoginKind::Instagram,
    }
}

fn graph_login(login: insightdesk_store::LoginKind) -> LoginKind {
    match login {
        insightdesk_store::LoginKind::Facebook => LoginKind::Facebook,
        insightdesk_store::LoginKind::Instagram => LoginKind::Instagram,
    }
}

fn metric_type(text: &str) -> Option<MetricType> {
    match text {
        "time_series" => Some(MetricType::TimeSeries),
        "total_value" => Some(MetricType::TotalValue),
        _ => None,
    }
}

/// The store's form of a client scope.
pub fn store_scope(scope: &ExclusionScope, account: AccountId) -> MetricScope {
    MetricScope {
        account,
        login_kind: store_login(scope.login),
        level: match scope.level {
            Level::User => MetricLevel::User,
            Level::Media => MetricLevel::Media,
        },
        product_type: scope.product_type.as_ref().map(|p| p.as_str().to_owned()),
        media_type: scope.media_type.as_ref().map(|m| m.as_str().to_owned()),
        metric_type: scope.metric_type.map(|t| t.as_str().to_owned()),
    }
}

impl StoreExclusions {
    /// The exclusions the store holds for the account (none when it is not stored yet).
    pub fn load(store: &Store, ig_user_id: &str) -> Result<Arc<Self>, StoreError> {
        let mut known = HashSet::new();
        if let Some(account) = store.account_by_ig_id(ig_user_id)? {
            for row in store.metric_exclusions(account.id)? {
                let scope = ExclusionScope {
                    account: ig_user_id.to_owned(),
                    login: graph_login(row.scope.login_kind),
                    level: match row.scope.level {
                        MetricLevel::User => Level::User,
                        MetricLevel::Media => Level::Media,
                    },
                    product_type: row
                        .scope
                        .product_type
                        .as_deref()
                        .map(MediaProductType::parse),
                    media_type: row.scope.media_type.as_deref().map(MediaType::parse),
                    metric_type: row.scope.metric_type.as_deref().and_then(metric_type),
                };
                known.insert((scope, row.metric));
            }
        }
        Ok(Arc::new(Self {
            known: Mutex::new(known),
            pending: Mutex::new(Vec::new()),
        }))
    }

    /// The refusals learned since the last call.
    pub fn take_learned(&self) -> Vec<LearnedExclusion> {
        self.pending
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }

    /// Puts refusals back (their step was not written).
    pub fn restore_learned(&self, learned: Vec<LearnedExclusion>) {
        if let Ok(mut pending) = self.pending.lock() {
            let mut restored = learned;
            restored.append(&mut pending);
            *pending = restored;
        }
    }

    /// Writes refusals into the store through the step's batch.
    pub fn write(
        batch: &mut WriteBatch<'_>,
        account: AccountId,
        learned: &[LearnedExclusion],
        api_version: &str,
    ) -> Result<(), StoreError> {
        for item in learned {
            batch.exclude_metric(
                &store_scope(&item.scope, account),
                &item.metric,
                &item.reason,
                api_version,
                item.at,
            )?;
        }
        Ok(())
    }
}

impl MetricExclusions for StoreExclusions {
    fn is_excluded(&self, scope: &ExclusionScope, metric: &str) -> bool {
        self.known
            .lock()
            .map(|k| k.contains(&(scope.clone(), metric.to_owned())))
            .unwrap_or(false)
    }

    fn record_exclusion(
        &self,
        scope: &ExclusionScope,
        metric: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) {
        let new = self
            .known
            .lock()
            .map(|mut k| k.insert((scope.clone(), metric.to_owned())))
            .unwrap_or(false);
        if new && let Ok(mut pending) = self.pending.lock() {
            pending.push(LearnedExclusion {
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

    fn learned(scope: ExclusionScope) -> LearnedExclusion {
        LearnedExclusion {
            scope,
            metric: "impressions".to_owned(),
            reason: "(#100) no longer supported".to_owned(),
            at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn warnings_say_where_the_metric_is_gone_in_words() {
        let media = |p, m| ExclusionScope::media("1", LoginKind::Facebook, Some(p), Some(m));
        assert!(
            learned(media(MediaProductType::Feed, MediaType::CarouselAlbum))
                .warning()
                .contains("for carousel posts;")
        );
        assert!(
            learned(media(MediaProductType::Story, MediaType::Video))
                .warning()
                .contains("for video stories;")
        );
        assert!(
            learned(media(MediaProductType::Reels, MediaType::Video))
                .warning()
                .contains("for reels;")
        );
        let totals = ExclusionScope::user("1", LoginKind::Facebook, Some(MetricType::TotalValue));
        assert_eq!(
            learned(totals).warning(),
            "Instagram no longer provides the metric “impressions” for your account's totals; \
             Insightdesk stopped asking for it and keeps the values it already has."
        );
    }

    #[test]
    fn refusals_are_remembered_once_queued_and_loaded_back_from_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("s.sqlite3")).unwrap();
        let exclusions = StoreExclusions::load(&store, "1").unwrap();
        let scope = ExclusionScope::media(
            "1",
            LoginKind::Facebook,
            Some(MediaProductType::Reels),
            Some(MediaType::Video),
        );
        assert!(!exclusions.is_excluded(&scope, "plays"));
        exclusions.record_exclusion(&scope, "plays", "gone", DateTime::<Utc>::UNIX_EPOCH);
        exclusions.record_exclusion(&scope, "plays", "gone again", DateTime::<Utc>::UNIX_EPOCH);
        assert!(exclusions.is_excluded(&scope, "plays"));
        let learned = exclusions.take_learned();
        assert_eq!(learned.len(), 1, "learned once");
        assert!(exclusions.take_learned().is_empty());
        exclusions.restore_learned(learned);
        let learned = exclusions.take_learned();
        assert_eq!(learned.len(), 1, "put back when its step was not written");

        store
            .write(|b| {
                let account = b.upsert_account(
                    &insightdesk_store::AccountProfile {
                        ig_user_id: "1".into(),
                        login_kind: insightdesk_store::LoginKind::Facebook,
                        username: "one".into(),
                        name: None,
                        profile_picture_url: None,
                    },
                    DateTime::<Utc>::UNIX_EPOCH,
                )?;
                StoreExclusions::write(b, account, &learned, "v26.0")
            })
            .unwrap();
        let reloaded = StoreExclusions::load(&store, "1").unwrap();
        assert!(
            reloaded.is_excluded(&scope, "plays"),
            "remembered across runs"
        );
        let other = ExclusionScope::media(
            "1",
            LoginKind::Facebook,
            Some(MediaProductType::Feed),
            Some(MediaType::Video),
        );
        assert!(!reloaded.is_excluded(&other, "plays"));
        assert!(
            reloaded.take_learned().is_empty(),
            "nothing new to write or say"
        );
    }
}
