//! The desktop's schedule: while the app is open, every connected account is synced every
//! `sync.every_minutes` (default hourly, so stories get read before they vanish at 24 hours).
//! The desktop calls [`App::schedule_tick`] once a minute; the CLI is scheduled by cron.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::App;

/// What the last tick decided, for tests and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TickOutcome {
    /// Nothing connected, or syncing only on request.
    Idle,
    /// Not due yet.
    Waiting,
    /// Syncs of every account were started.
    Started,
}

/// When the schedule last started syncs.
#[derive(Debug, Default)]
pub struct ScheduleState(std::sync::Mutex<Option<Instant>>);

impl App {
    /// Starts the syncs of every account when they are due. The first tick after start-up
    /// syncs at once, so the data is fresh when the window opens.
    pub async fn schedule_tick(self: &Arc<Self>, now: Instant) -> TickOutcome {
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
        {
            let Ok(mut last) = self.schedule.0.lock() else {
                return TickOutcome::Idle;
            };
            if last
                .is_some_and(|t| now.duration_since(t) < Duration::from_secs(u64::from(every) * 60))
            {
                return TickOutcome::Waiting;
            }
            *last = Some(now);
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
