//! The demo creator as Insightdesk would know them after some weeks of use.
//!
//! A real creator's history grows one sync at a time: a post's growth curve needs readings at
//! several ages, the followers chart one snapshot a day, a story its final reading before it
//! vanishes. A demo signed in a moment ago would show one reading of each, so the charts the
//! demo is there to show would be empty. Instead, the demo's first sign-in replays the last
//! weeks: its simulated Meta's clock is set back, and the ordinary sync engine runs once a day
//! and once in each story's last hour, up to the present. Nothing here is special to the
//! demo's data: these are the syncs a creator running the app would have had.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use insightdesk_store::{AccountId, CaptureState, MediaFilter, MediaQuery, MediaSort, TimeRange};
use insightdesk_sync::{SyncJob, SyncPolicy};
use serde::Serialize;

use crate::App;
use crate::error::AppError;
use crate::host::AppEvent;
use crate::session::Session;

/// The weeks replayed when nothing else is configured: enough for a month's report and the
/// growth curves of a month's posts, short enough to prepare in seconds.
pub const DEFAULT_DEMO_HISTORY_DAYS: u32 = 30;

/// The longest replay `INSIGHTDESK_DEMO_HISTORY_DAYS` may ask for.
pub const MAX_DEMO_HISTORY_DAYS: u32 = 90;

/// How long into its last hour a story's final reading is taken (the engine takes it from
/// 23 h on; the middle of the hour leaves room either side).
const STORY_FINAL_STEP: i64 = 23 * 60 + 30;

/// What the replay did, for tests and logs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DemoHistory {
    /// Sync runs, over every account.
    pub syncs: u32,
    /// How many instants were synced at.
    pub steps: u32,
}

impl App {
    /// Replays `days` of syncs of every connected account of the demo profile, ending at
    /// the simulated Meta's present, which then goes on with the computer's clock.
    ///
    /// The sync engine's future is not `Send` (it holds its SQLite connection across
    /// awaits), and this is awaited from IPC commands, whose futures must be: the replay
    /// runs on a blocking thread of its own, driven by the same runtime.
    pub(crate) async fn replay_demo_history(
        self: &Arc<Self>,
        session: &Arc<Session>,
        days: u32,
    ) -> Result<DemoHistory, AppError> {
        let app = Arc::clone(self);
        let session = Arc::clone(session);
        let runtime = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            runtime.block_on(async move { app.replay_on_this_thread(&session, days).await })
        })
        .await?
    }

    async fn replay_on_this_thread(
        &self,
        session: &Arc<Session>,
        days: u32,
    ) -> Result<DemoHistory, AppError> {
        let Some(sandbox) = session.sandbox() else {
            return Ok(DemoHistory::default());
        };
        let accounts: Vec<String> = self
            .session_state()
            .await?
            .accounts
            .into_iter()
            .map(|a| a.id)
            .collect();
        // While the replay runs, the schedule must not start a sync of its own: it would
        // read at a moment of the replay's choosing, not its own.
        let claimed: Vec<String> = accounts
            .into_iter()
            .filter(|account| self.syncs.claim(account).is_some())
            .collect();
        let present = sandbox.now();
        let began = std::time::Instant::now();
        let outcome = self.replay_steps(session, &claimed, present, days).await;
        // Back to the present, as if the replay had taken no time at all.
        sandbox.set_now(present + Duration::from_std(began.elapsed()).unwrap_or_default());
        for account in &claimed {
            self.syncs.release(account);
        }
        let mut done = outcome?;
        // And the present itself, as a desktop sync reads it (with its follow-ups:
        // thumbnails, comments, alerts), so the window opens on today's numbers.
        for account in &claimed {
            self.sync_account(account, "demo").await?;
            done.syncs += 1;
        }
        Ok(done)
    }

    async fn replay_steps(
        &self,
        session: &Arc<Session>,
        accounts: &[String],
        present: DateTime<Utc>,
        days: u32,
    ) -> Result<DemoHistory, AppError> {
        let Some(sandbox) = session.sandbox() else {
            return Ok(DemoHistory::default());
        };
        let start = present - Duration::days(i64::from(days));
        // Each instant to sync at, with the accounts to sync then: every account once a day,
        // and an account again in the last hour of each of its stories.
        let mut due: BTreeMap<DateTime<Utc>, BTreeSet<&str>> = (0..i64::from(days))
            .map(|day| {
                let every: BTreeSet<&str> = accounts.iter().map(String::as_str).collect();
                (start + Duration::days(day), every)
            })
            .collect();
        let mut done = DemoHistory::default();
        let total = u32::try_from(due.len()).unwrap_or(u32::MAX);
        while let Some((at, due_accounts)) = due.pop_first() {
            if at >= present {
                break;
            }
            sandbox.set_now(at);
            for account in &due_accounts {
                self.replay_one(session, account).await?;
                done.syncs += 1;
            }
            done.steps += 1;
            let store = session.open_store()?;
            for account in due_accounts {
                for step in steps_due(&store, account, at, present)? {
                    // One sync reads every story whose last hour it falls in, and every post
                    // whose growth age it has just passed.
                    let near = step - Duration::minutes(25)..=step + Duration::minutes(25);
                    let covered = due
                        .range(near)
                        .any(|(_, accounts)| accounts.contains(account));
                    if !covered {
                        due.entry(step).or_default().insert(account);
                    }
                }
                self.host.emit(AppEvent::SyncProgress {
                    account: account.to_owned(),
                    step: format!(
                        "Preparing the demo: its creator's last {days} days, as the app would have read them"
                    ),
                    done: u32::try_from((at - start).num_days()).unwrap_or(0),
                    total,
                    resumes_at: None,
                });
            }
        }
        log::info!(
            "demo history: {} syncs at {} instants over {days} days",
            done.syncs,
            done.steps
        );
        Ok(done)
    }

    /// One ordinary sync run, without the follow-ups of a desktop sync (alerts about weeks
    /// past would only be noise; thumbnails come with the first sync in the present).
    async fn replay_one(&self, session: &Arc<Session>, ig_user_id: &str) -> Result<(), AppError> {
        let access = self.account_access(session, ig_user_id).await?;
        let mut store = session.open_store()?;
        SyncJob::new(
            &mut store,
            self.client_builder(session, &access),
            ig_user_id,
        )
        .policy(self.sync_policy().await?)
        .started_by("demo history")
        .run()
        .await?;
        Ok(())
    }
}

/// A young post is read as it passes each growth age of the policy (1 h, 6 h, 24 h, 3 d...):
/// for the posts of the replay's last this-many days those moments are replayed too, so their
/// growth curves start where a creator's would; older posts are read at the daily syncs.
const YOUNG_POST_DAYS: i64 = 10;

/// Growth ages past this one are caught by the daily syncs well enough.
const YOUNG_POST_LAST_AGE_HOURS: i64 = 72;

/// The instants after `at` (and before the present) at which an account's stories are due
/// their final readings and its young posts their first growth readings.
fn steps_due(
    store: &insightdesk_store::Store,
    ig_user_id: &str,
    at: DateTime<Utc>,
    present: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, AppError> {
    let account = crate::syncing::account_row(store, ig_user_id)?;
    let mut steps = story_final_steps(store, account, at)?;
    steps.extend(young_post_steps(store, account, at, present)?);
    steps.retain(|step| *step > at && *step < present);
    Ok(steps)
}

/// When to read the posts of the replay's last days at their first growth ages.
fn young_post_steps(
    store: &insightdesk_store::Store,
    account: AccountId,
    at: DateTime<Utc>,
    present: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, AppError> {
    let from = (at - Duration::hours(YOUNG_POST_LAST_AGE_HOURS))
        .max(present - Duration::days(YOUNG_POST_DAYS));
    if from > at {
        return Ok(Vec::new());
    }
    let page = store.media_page(&MediaQuery {
        filter: MediaFilter::account(account)
            .posted(TimeRange::new(from, at + Duration::seconds(1))),
        sort: MediaSort::PostedAt,
        descending: false,
        limit: 1000,
        offset: 0,
    })?;
    let ages = SyncPolicy::default().growth_ages;
    Ok(page
        .rows
        .iter()
        .filter(|post| post.media.item.product_type != "STORY")
        .flat_map(|post| {
            ages.iter()
                .filter(|age| **age <= Duration::hours(YOUNG_POST_LAST_AGE_HOURS))
                // A few minutes past the age, as a sync an hour apart would be.
                .map(move |age| post.media.item.posted_at + *age + Duration::minutes(5))
        })
        .collect())
}

/// When to take the final readings of the stories that are live at `at` and have none yet.
fn story_final_steps(
    store: &insightdesk_store::Store,
    account: AccountId,
    at: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, AppError> {
    let live = TimeRange::new(at - Duration::hours(24), at + Duration::seconds(1));
    Ok(store
        .stories(account, live)?
        .into_iter()
        .filter(|story| !matches!(story.capture, Some(CaptureState::Final { .. })))
        .map(|story| story.media.item.posted_at + Duration::minutes(STORY_FINAL_STEP))
        .collect())
}
