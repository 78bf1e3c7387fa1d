//! The desktop's schedule: while the app is open, every connected account is synced every
//! `sync.every_minutes` (default hourly). Whatever that setting, an account with a story in
//! its last hour that has no final reading yet is synced then, so stories are read before
//! they vanish at 24 hours even when the cadence is slower or a tick came late.
//! The desktop calls [`App::schedule_tick`] once a minute; the CLI is scheduled by cron.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use insightdesk_store::{CaptureState, Store, TimeRange};

use crate::App;
use crate::error::AppError;

/// What the last tick decided, for tests and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TickOutcome {
    /// Nothing connected, or syncing only on request.
    Idle,
    /// Not due yet.
    Waiting,
    /// Syncs of every account were started.
    Started,
    /// Syncs of the accounts with a story in its last hour were started.
    StoriesEnding,
}

/// When the schedule last started syncs, and when it last started one for an account's
/// ending stories (so a story Meta will not give numbers for is not asked about every minute).
#[derive(Debug, Default)]
pub struct ScheduleState(
    std::sync::Mutex<Option<Instant>>,
    std::sync::Mutex<HashMap<String, Instant>>,
);

/// How long before an account's ending stories may start another sync.
const STORY_RETRY: Duration = Duration::from_secs(45 * 60);

impl App {
    /// Starts the syncs of every account when they are due. The first tick after start-up
    /// syncs at once, so the data is fresh when the window opens.
    pub async fn schedule_tick(self: &Arc<Self>, now: Instant) -> TickOutcome {
        // The demo's preparation syncs on its own clock; the schedule starts after it.
        if self.demo_preparing() {
            return TickOutcome::Idle;
        }
        let Ok(state) = self.session_state().await else {
            return TickOutcome::Idle;
        };
        if state.accounts.is_empty() {
            return TickOutcome::Idle;
        }
        // Syncs Instagram's limits stopped go on at the time they named, schedule or not.
        let now_utc = match self.session().await {
            Ok(session) => session.meta.now(),
            Err(_) => return TickOutcome::Idle,
        };
        let resumes = self.syncs.take_due_resumes(now_utc);
        if !resumes.is_empty() {
            let app = Arc::clone(self);
            crate::syncing::run_detached(move || async move {
                for account in resumes {
                    if let Err(error) = app.sync_account(&account, "schedule").await {
                        log::warn!("resumed sync of {account}: {error}");
                    }
                }
            });
            return TickOutcome::Started;
        }
        let every = match self.settings().await {
            Ok(settings) => settings.sync_every_minutes,
            Err(_) => crate::settings::DEFAULT_SYNC_MINUTES,
        };
        if every == 0 {
            return TickOutcome::Idle;
        }
        let cadence_due = {
            let Ok(mut last) = self.schedule.0.lock() else {
                return TickOutcome::Idle;
            };
            let due = last.is_none_or(|t| {
                now.duration_since(t) >= Duration::from_secs(u64::from(every) * 60)
            });
            if due {
                *last = Some(now);
            }
            due
        };
        if !cadence_due {
            let connected: Vec<String> = state.accounts.iter().map(|a| a.id.clone()).collect();
            let ending = self
                .accounts_with_stories_ending(now, now_utc, &connected)
                .await;
            if ending.is_empty() {
                return TickOutcome::Waiting;
            }
            let app = Arc::clone(self);
            crate::syncing::run_detached(move || async move {
                for account in ending {
                    if let Err(error) = app.sync_account(&account, "schedule").await {
                        log::warn!("sync of {account} for its ending stories: {error}");
                    }
                }
            });
            return TickOutcome::StoriesEnding;
        }
        let app = Arc::clone(self);
        crate::syncing::run_detached(move || async move {
            for (account, result) in app.sync_all("schedule").await {
                if let Err(error) = result {
                    log::warn!("scheduled sync of {account}: {error}");
                }
            }
        });
        TickOutcome::Started
    }
}

impl App {
    /// The connected accounts with a story in its last hour and no final reading, not syncing
    /// and not started for this reason within [`STORY_RETRY`].
    async fn accounts_with_stories_ending(
        &self,
        now: Instant,
        now_utc: DateTime<Utc>,
        connected: &[String],
    ) -> Vec<String> {
        let Ok(session) = self.session().await else {
            return Vec::new();
        };
        let found =
            crate::accounts::with_store(&session, move |store| stories_ending(store, now_utc))
                .await;
        let accounts = match found {
            Ok(accounts) => accounts,
            Err(error) => {
                log::warn!("the schedule could not look for ending stories: {error}");
                return Vec::new();
            }
        };
        let Ok(mut started) = self.schedule.1.lock() else {
            return Vec::new();
        };
        let mut due = Vec::new();
        for account in accounts {
            let recently = started
                .get(&account)
                .is_some_and(|t| now.duration_since(*t) < STORY_RETRY);
            if connected.contains(&account) && !recently && !self.syncs.is_running(&account) {
                started.insert(account.clone(), now);
                due.push(account);
            }
        }
        due
    }
}

/// The Instagram accounts in the store with a story posted 23 to 24 hours before `now` that
/// has no final reading yet.
pub(crate) fn stories_ending(store: &Store, now: DateTime<Utc>) -> Result<Vec<String>, AppError> {
    let last_hour = TimeRange::new(
        now - chrono::Duration::hours(24),
        // From here on the sync takes a story's final reading.
        now - insightdesk_sync::SyncPolicy::default().story_final_from
            + chrono::Duration::seconds(1),
    );
    let mut accounts = Vec::new();
    for account in store.accounts()? {
        let ending = store
            .stories(account.id, last_hour)?
            .iter()
            .any(|story| !matches!(story.capture, Some(CaptureState::Final { .. })));
        if ending {
            accounts.push(account.profile.ig_user_id);
        }
    }
    Ok(accounts)
}
