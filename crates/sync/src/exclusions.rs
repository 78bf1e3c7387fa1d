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
        let place = match self.scope.level {
            Level::User => "your account".to_owned(),
            Level::Media => {
                let kind = [
                    self.scope
                        .product_type
                        .as_ref()
                        .map(|p| p.as_str().to_owned()),
                    self.scope
                        .media_type
                        .as_ref()
                        .map(|m| m.as_str().to_owned()),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
                if kind.is_empty() {
                    "posts".to_owned()
                } else {
                    format!("posts of kind {kind}")
                }
            }
        };
        format!(
            "Instagram no longer provides the metric “{}” for {place}; Insightdesk stopped \
             asking for it and keeps the values it already has.",
            self.metric
        )
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
