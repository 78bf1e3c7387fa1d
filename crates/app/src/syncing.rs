//! Syncing: one account or all, now or on the schedule, with progress events; afterwards the
//! follow-ups that ride on a fresh store — new comments and mentions, thumbnails, alerts and
//! scheduled reports.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use chrono::{DateTime, Utc};
use insightdesk_store::{AccountId, Store, SyncStatus};
use insightdesk_sync::{Phase, ProgressUpdate, SyncJob, SyncPolicy, SyncReport};
use insightdesk_webhooks::{PollBudget, poll_engagement};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::App;
use crate::accounts::with_store;
use crate::error::AppError;
use crate::host::AppEvent;
use crate::pause_notice::LastProgress;
use crate::session::Session;

/// What a finished sync did, as the UI and `insightdesk sync --json` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncSummary {
    pub account: String,
    pub http_requests: u64,
    pub counted_calls: u64,
    pub media_seen: u64,
    pub media_new: u64,
    pub rows_written: u64,
    pub duration_ms: u64,
    pub warnings: Vec<String>,
    /// Comments and mentions found by polling after the sync.
    pub new_comments: u64,
    pub new_mentions: u64,
    /// Pictures added to the local thumbnail cache.
    pub thumbnails_fetched: u64,
}

impl SyncSummary {
    fn from_report(report: SyncReport) -> Self {
        Self {
            account: report.account,
            http_requests: report.http_requests,
            counted_calls: report.counted_calls,
            media_seen: report.media_seen,
            media_new: report.media_new,
            rows_written: report.rows_written,
            duration_ms: report.duration_ms,
            warnings: report.warnings,
            new_comments: 0,
            new_mentions: 0,
            thumbnails_fetched: 0,
        }
    }

    /// One sentence for the status line.
    pub fn sentence(&self) -> String {
        let count = |n: u64| insightdesk_report::format_count(n as f64);
        let new = match self.media_new {
            0 => "no new posts".to_owned(),
            1 => "1 new post".to_owned(),
            n => format!("{} new posts", count(n)),
        };
        let calls = match self.counted_calls {
            1 => "1 call".to_owned(),
            n => format!("{} calls", count(n)),
        };
        format!(
            "Synced: {new}, {} readings saved, {calls} to Instagram.",
            count(self.rows_written)
        )
    }
}

/// The sync status of the account on screen.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SyncStatusView {
    pub account: String,
    pub running: bool,
    /// When the newest reading was taken (ISO 8601): "data as of".
    pub data_as_of: Option<String>,
    pub last_finished_at: Option<String>,
    /// "succeeded", "failed", "cancelled" or "running".
    pub last_status: Option<String>,
    pub last_warnings: Vec<String>,
    /// Minutes between automatic syncs (0: only on request).
    pub every_minutes: u32,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct SyncArgs {
    /// The account to sync; the one on screen when absent.
    #[serde(default)]
    pub account: Option<String>,
}

/// The running syncs, by account, so a second request joins nothing and can cancel; and the
/// syncs Instagram's limits stopped, with when they may go on.
#[derive(Debug, Default)]
pub struct RunningSyncs(
    std::sync::Mutex<HashMap<String, CancellationToken>>,
    std::sync::Mutex<HashMap<String, DateTime<Utc>>>,
);

impl RunningSyncs {
    fn set_resume(&self, account: &str, at: Option<DateTime<Utc>>) {
        if let Ok(mut resumes) = self.1.lock() {
            match at {
                Some(at) => {
                    resumes.insert(account.to_owned(), at);
                }
                None => {
                    resumes.remove(account);
                }
            }
        }
    }

    /// The accounts whose stopped sync may go on at `now`, taken off the list.
    pub(crate) fn take_due_resumes(&self, now: DateTime<Utc>) -> Vec<String> {
        let Ok(mut resumes) = self.1.lock() else {
            return Vec::new();
        };
        let due: Vec<String> = resumes
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(account, _)| account.clone())
            .collect();
        for account in &due {
            resumes.remove(account);
        }
        due
    }

    pub(crate) fn claim(&self, account: &str) -> Option<CancellationToken> {
        let mut running = self.0.lock().ok()?;
        if running.contains_key(account) {
            return None;
        }
        let token = CancellationToken::new();
        running.insert(account.to_owned(), token.clone());
        Some(token)
    }

    pub(crate) fn release(&self, account: &str) {
        if let Ok(mut running) = self.0.lock() {
            running.remove(account);
        }
    }

    pub(crate) fn is_running(&self, account: &str) -> bool {
        self.0
            .lock()
            .map(|r| r.contains_key(account))
            .unwrap_or(false)
    }

    fn cancel(&self, account: &str) -> bool {
        match self.0.lock().ok().and_then(|r| r.get(account).cloned()) {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }
}

fn phase_text(phase: Phase) -> &'static str {
    match phase {
        Phase::Overview => "Checking the profile, new posts and live stories",
        Phase::MediaList => "Listing posts",
        Phase::Insights => "Reading insights",
    }
}

/// The store's row id of an Instagram account.
pub(crate) fn account_row(store: &Store, ig_user_id: &str) -> Result<AccountId, AppError> {
    store
        .account_by_ig_id(ig_user_id)?
        .map(|a| a.id)
        .ok_or_else(|| AppError::UnknownAccount(ig_user_id.to_owned()))
}

impl App {
    /// Syncs one account now and waits for it. Progress goes to the host as events.
    pub async fn sync_account(
        &self,
        ig_user_id: &str,
        started_by: &str,
    ) -> Result<SyncSummary, AppError> {
        let cancel = self.syncs.claim(ig_user_id).ok_or(AppError::SyncBusy)?;
        let result = self.run_sync(ig_user_id, started_by, cancel).await;
        self.syncs.release(ig_user_id);
        // A sync stopped by Instagram's limits goes on by itself at the time it named.
        let resume_at = match &result {
            Err(AppError::Sync(insightdesk_sync::SyncError::RateLimited { resume_at })) => {
                Some(*resume_at)
            }
            _ => None,
        };
        self.syncs.set_resume(ig_user_id, resume_at);
        match &result {
            Ok(summary) => self.host.emit(AppEvent::SyncFinished {
                account: ig_user_id.to_owned(),
                summary: summary.sentence(),
                warnings: summary.warnings.clone(),
            }),
            Err(error) => self.host.emit(AppEvent::SyncFailed {
                account: ig_user_id.to_owned(),
                code: error.code(),
                message: error.to_string(),
            }),
        }
        result
    }

    async fn run_sync(
        &self,
        ig_user_id: &str,
        started_by: &str,
        cancel: CancellationToken,
    ) -> Result<SyncSummary, AppError> {
        let session = self.session().await?;
        let access = self.account_access(&session, ig_user_id).await?;
        let host = Arc::clone(&self.host);
        let account = ig_user_id.to_owned();
        let last = Arc::new(LastProgress::default());
        let seen = Arc::clone(&last);
        let progress = move |update: ProgressUpdate| {
            let done = u32::try_from(update.done).unwrap_or(u32::MAX);
            let total = u32::try_from(update.total).unwrap_or(u32::MAX);
            seen.done.store(done, Ordering::Relaxed);
            seen.total.store(total, Ordering::Relaxed);
            host.emit(AppEvent::SyncProgress {
                account: account.clone(),
                step: phase_text(update.phase).to_owned(),
                done,
                total,
                resumes_at: None,
            });
        };
        let paused = CancellationToken::new();
        crate::pause_notice::watch(
            Arc::clone(&self.host),
            self.governor(&access),
            Arc::clone(&session.meta.clock),
            self.time_zone().await.unwrap_or(chrono_tz::Tz::UTC),
            ig_user_id.to_owned(),
            last,
            paused.clone(),
        );
        let _stop_watching = paused.drop_guard();
        let mut store = session.open_store()?;
        let report = SyncJob::new(
            &mut store,
            self.client_builder(&session, &access),
            ig_user_id,
        )
        .policy(self.sync_policy().await?)
        .progress(&progress)
        .cancel(cancel)
        .started_by(started_by)
        .run()
        .await?;
        let mut summary = SyncSummary::from_report(report);
        let builder = self.client_builder(&session, &access);
        self.after_sync(&session, &access, builder, &mut store, &mut summary)
            .await;
        Ok(summary)
    }

    /// The rules every sync of this profile follows: the defaults with the creator's
    /// freshness windows.
    pub(crate) async fn sync_policy(&self) -> Result<SyncPolicy, AppError> {
        Ok(SyncPolicy {
            freshness: self.sync_freshness().await?,
            ..SyncPolicy::default()
        })
    }

    /// The follow-ups of a good sync. Each is best effort: a failure is logged and the sync
    /// still counts as done.
    async fn after_sync(
        &self,
        session: &Arc<Session>,
        access: &crate::clients::AccountAccess,
        builder: insightdesk_graph::GraphClientBuilder,
        store: &mut Store,
        summary: &mut SyncSummary,
    ) {
        let ig_user_id = access.account.ig_user_id.clone();
        let Ok(account) = account_row(store, &ig_user_id) else {
            return;
        };
        let now = session.meta.now();
        let client = match builder.account(ig_user_id.clone()).build() {
            Ok(client) => client,
            Err(error) => {
                log::warn!("follow-ups skipped: {error}");
                return;
            }
        };
        // New comments on recent posts and new mentions, within a small budget. Comments need
        // a permission the creator may have declined; then only mentions are looked at.
        let since = now - chrono::Duration::days(7);
        let mut budget = PollBudget::default();
        let comments_scope = insightdesk_auth::comments_scope(access.grant.kind);
        if !access.grant.scopes.iter().any(|s| s == comments_scope) {
            budget.max_posts = 0;
        }
        match poll_engagement(&client, store, account, since, &budget).await {
            Ok(poll) => {
                summary.new_comments = poll.new_comments.len() as u64;
                summary.new_mentions = poll.new_mentions.len() as u64;
            }
            Err(error) => log::warn!("polling comments and mentions failed: {error}"),
        }
        summary.thumbnails_fetched =
            crate::thumbnails::fetch_missing(session, &client, store, account).await;
        // Reports never wait on Meta: the reach of the periods reports are usually made for
        // (last week, last month, and the ones before them) is kept in the store ahead of time.
        let tz = self.time_zone().await.unwrap_or(chrono_tz::Tz::UTC);
        for period in [
            insightdesk_report::Period::last_complete_week(now, tz),
            insightdesk_report::Period::last_complete_month(now, tz),
        ] {
            if let Err(error) = self
                .fill_period_reach(session, &ig_user_id, period, tz)
                .await
            {
                log::info!(
                    "the reach of {} could not be fetched: {error}",
                    period.title()
                );
            }
        }
        self.raise_alerts(store, account, now, access.grant.expires_at);
        if let Err(error) = self.write_scheduled_report(session, store, account, now) {
            log::warn!("the scheduled report could not be written: {error}");
            self.host
                .notify("Scheduled report not written", &error.to_string());
        }
    }

    fn raise_alerts(
        &self,
        store: &mut Store,
        account: AccountId,
        now: DateTime<Utc>,
        token_expires_at: Option<DateTime<Utc>>,
    ) {
        let settings = match insightdesk_alerts::AlertSettings::load(store) {
            Ok(settings) => settings,
            Err(error) => {
                log::warn!("alert settings unreadable: {error}");
                return;
            }
        };
        match insightdesk_alerts::evaluate(store, account, now, &settings, token_expires_at) {
            Ok(alerts) => {
                for alert in alerts {
                    self.host.notify(&alert.title, &alert.text);
                    self.host.emit(AppEvent::Alert {
                        title: alert.title,
                        body: alert.text,
                    });
                }
            }
            Err(error) => log::warn!("alerts could not be evaluated: {error}"),
        }
    }

    /// Syncs every connected account of the open profile, one after another.
    pub async fn sync_all(&self, started_by: &str) -> Vec<(String, Result<SyncSummary, AppError>)> {
        let accounts = match self.session_state().await {
            Ok(state) => state.accounts,
            Err(error) => return vec![(String::new(), Err(error))],
        };
        let mut results = Vec::new();
        for account in accounts {
            let result = self.sync_account(&account.id, started_by).await;
            results.push((account.id, result));
        }
        results
    }

    /// Starts a sync in the background and returns at once; progress and the outcome arrive
    /// as events.
    pub async fn start_sync(
        self: &Arc<Self>,
        account: Option<String>,
    ) -> Result<SyncStatusView, AppError> {
        let account = match account {
            Some(account) => account,
            None => self.active_account().await?,
        };
        if self.syncs.is_running(&account) || self.demo_preparing() {
            return self.sync_status(Some(account)).await;
        }
        let app = Arc::clone(self);
        let id = account.clone();
        run_detached(move || async move {
            if let Err(error) = app.sync_account(&id, "user").await {
                // The sentence went to the window; the log keeps Meta's own words and codes.
                log::warn!("sync of {id} ended: {error}; {error:?}");
            }
        });
        // Let the task claim the account so the status says "running".
        tokio::task::yield_now().await;
        self.sync_status(Some(account)).await
    }

    pub fn cancel_sync(&self, account: &str) -> bool {
        self.syncs.cancel(account)
    }

    pub async fn sync_status(&self, account: Option<String>) -> Result<SyncStatusView, AppError> {
        let account = match account {
            Some(account) => account,
            None => self.active_account().await?,
        };
        let session = self.session().await?;
        let running = self.syncs.is_running(&account);
        let id = account.clone();
        let (runs, as_of, every) = with_store(&session, move |store| {
            // An account signed in a moment ago may have no history yet: nothing synced.
            let (runs, as_of) = match store.account_by_ig_id(&id)? {
                Some(account) => (
                    store.sync_runs(Some(account.id), 5)?,
                    store
                        .fetch_states(account.id)?
                        .into_iter()
                        .map(|f| f.fetched_at)
                        .max(),
                ),
                None => (Vec::new(), None),
            };
            let every = store
                .setting("sync.every_minutes")?
                .and_then(|m| m.parse().ok())
                .unwrap_or(crate::settings::DEFAULT_SYNC_MINUTES);
            Ok((runs, as_of, every))
        })
        .await?;
        // While a run is going, "last" is the one before it.
        let last = runs.iter().find(|r| r.status != SyncStatus::Running);
        Ok(SyncStatusView {
            account,
            running,
            data_as_of: as_of.map(|t| t.to_rfc3339()),
            last_finished_at: last.and_then(|r| r.finished_at).map(|t| t.to_rfc3339()),
            last_status: last.map(|r| r.status.as_str().to_owned()),
            last_warnings: last.map(|r| r.warnings.clone()).unwrap_or_default(),
            every_minutes: every,
        })
    }
}

/// Runs a sync in the background. The sync engine holds its SQLite connection across awaits,
/// and a connection may not be shared between threads, so its future is not `Send`: it runs
/// on a blocking thread of its own, driven by the same runtime.
pub(crate) fn run_detached<F, Fut>(make: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || handle.block_on(make()));
}

pub async fn sync_now(app: &Arc<App>, args: SyncArgs) -> Result<SyncStatusView, AppError> {
    app.start_sync(args.account).await
}

pub async fn sync_status(app: &Arc<App>, args: SyncArgs) -> Result<SyncStatusView, AppError> {
    app.sync_status(args.account).await
}

pub async fn cancel_sync(app: &Arc<App>, args: SyncArgs) -> Result<bool, AppError> {
    let account = match args.account {
        Some(account) => account,
        None => app.active_account().await?,
    };
    Ok(app.cancel_sync(&account))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_stopped_sync_is_due_again_at_the_time_instagram_named_and_only_once() {
        let syncs = RunningSyncs::default();
        syncs.set_resume("a", Some(at("2026-11-26T14:05:00Z")));
        syncs.set_resume("b", Some(at("2026-11-26T15:00:00Z")));
        assert!(
            syncs
                .take_due_resumes(at("2026-11-26T14:00:00Z"))
                .is_empty()
        );
        assert_eq!(syncs.take_due_resumes(at("2026-11-26T14:05:00Z")), ["a"]);
        assert!(
            syncs
                .take_due_resumes(at("2026-11-26T14:30:00Z"))
                .is_empty()
        );
        // A later good sync clears the wait.
        syncs.set_resume("b", None);
        assert!(
            syncs
                .take_due_resumes(at("2026-11-26T16:00:00Z"))
                .is_empty()
        );
    }
}
