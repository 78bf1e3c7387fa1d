//! The one store writer of the server.
//!
//! Request handlers never touch SQLite: they send each verified, parsed delivery down a
//! bounded channel to this task, which owns the store's only connection, writes every delivery
//! waiting at that moment in one transaction, and then answers each handler. Under load the
//! batches grow by themselves (whatever queued during one commit goes into the next), so
//! SQLite sees one writer and few commits instead of many connections fighting for its lock.
//!
//! A handler answers Meta 200 only after its delivery's transaction committed, so a delivery
//! that was acknowledged is on disk; one that was not is sent again by Meta.
//!
//! Every write is an upsert on a natural key — comments by Meta's comment id, mentions by
//! (account, media, comment), story readings by (story, metric, event time) — so a delivery
//! Meta sends again changes nothing.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use insightdesk_store::{
    AccountId, ArchivedResponse, CaptureState, MediaId, MediaItem, Store, StoreError, WriteBatch,
};
use tokio::sync::{mpsc, oneshot};

use crate::payload::{Delivery, Record, StoryReading, StoryValue, under_five_flag};
use crate::server::Counters;

/// One delivery on its way to the store, and where to say how it went.
pub(crate) struct Job {
    pub(crate) delivery: Delivery,
    /// The raw body, archived when the delivery carries story insights (legacy metric names:
    /// kept so the numbers can be read again should their meaning be settled differently).
    pub(crate) body: axum::body::Bytes,
    pub(crate) received_at: DateTime<Utc>,
    pub(crate) reply: oneshot::Sender<Result<Written, String>>,
}

/// What one delivery added or confirmed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Written {
    pub(crate) comments: u64,
    pub(crate) mentions: u64,
    pub(crate) story_readings: u64,
    /// Records about an account this store does not hold (or a story of another account).
    pub(crate) skipped: u64,
}

/// Receives jobs until every sender is gone, writing up to `max_batch` per transaction.
/// Returns the store so its owner can close it in order.
pub(crate) fn run(
    mut store: Store,
    mut jobs: mpsc::Receiver<Job>,
    max_batch: usize,
    counters: Arc<Counters>,
) -> Store {
    while let Some(first) = jobs.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < max_batch.max(1) {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        counters.add_batch();
        match write_jobs(&mut store, &batch) {
            Ok(written) => {
                for (job, written) in batch.into_iter().zip(written) {
                    answer(job, Ok(written), &counters);
                }
            }
            Err(error) => {
                // One delivery must not cost the others theirs: write each alone.
                log::warn!(
                    "webhook: a batch of {} deliveries failed ({error}); writing them one by one",
                    batch.len()
                );
                for job in batch {
                    let result = write_jobs(&mut store, std::slice::from_ref(&job))
                        .map(|mut written| written.pop().unwrap_or_default())
                        .map_err(|e| e.to_string());
                    answer(job, result, &counters);
                }
            }
        }
    }
    store
}

fn answer(job: Job, result: Result<Written, String>, counters: &Counters) {
    if let Ok(written) = &result {
        counters.add_written(written);
    }
    // A handler that gave up waiting (its client left) no longer listens; the rows stay.
    let _ = job.reply.send(result);
}

/// What the writes of one batch need to know before its transaction starts.
struct Known {
    accounts: HashMap<String, Option<AccountId>>,
    /// Stories named by story_insights: their row and account, when stored.
    stories: HashMap<String, Option<(MediaId, AccountId)>>,
    /// Mentions already stored, per account with mentions in the batch.
    mentions: HashMap<AccountId, HashSet<(String, String)>>,
}

impl Known {
    fn read(store: &Store, jobs: &[Job]) -> Result<Self, StoreError> {
        let mut known = Known {
            accounts: HashMap::new(),
            stories: HashMap::new(),
            mentions: HashMap::new(),
        };
        for record in jobs.iter().flat_map(|job| &job.delivery.records) {
            let ig_user_id = record.account();
            if !known.accounts.contains_key(ig_user_id) {
                let id = store.account_by_ig_id(ig_user_id)?.map(|a| a.id);
                known.accounts.insert(ig_user_id.to_owned(), id);
            }
            let Some(Some(account)) = known.accounts.get(ig_user_id).copied() else {
                continue;
            };
            match record {
                Record::StoryInsights { reading, .. }
                    if !known.stories.contains_key(&reading.ig_media_id) =>
                {
                    let media = store
                        .media_by_ig_id(&reading.ig_media_id)?
                        .map(|m| (m.id, m.account_id));
                    known.stories.insert(reading.ig_media_id.clone(), media);
                }
                Record::Mention { .. } if !known.mentions.contains_key(&account) => {
                    // A webhook mention carries no text; one stored by polling has it, so an
                    // existing mention is left as it is rather than overwritten with less.
                    let stored = store
                        .mentions(account)?
                        .into_iter()
                        .map(|m| (m.ig_media_id, m.ig_comment_id.unwrap_or_default()))
                        .collect();
                    known.mentions.insert(account, stored);
                }
                _ => {}
            }
        }
        Ok(known)
    }
}

/// Writes the jobs' records in one transaction; one [`Written`] per job, in order.
fn write_jobs(store: &mut Store, jobs: &[Job]) -> Result<Vec<Written>, StoreError> {
    let mut known = Known::read(store, jobs)?;
    let mut batch = store.batch()?;
    let mut all = Vec::with_capacity(jobs.len());
    for job in jobs {
        let mut written = Written::default();
        let mut archive_for = None;
        for record in &job.delivery.records {
            let Some(Some(account)) = known.accounts.get(record.account()).copied() else {
                written.skipped += 1;
                continue;
            };
            match record {
                Record::Comment { comment, .. } => {
                    batch.upsert_comment(account, comment, job.received_at)?;
                    written.comments += 1;
                }
                Record::Mention { mention, .. } => {
                    let key = (
                        mention.ig_media_id.clone(),
                        mention.ig_comment_id.clone().unwrap_or_default(),
                    );
                    let stored = known.mentions.entry(account).or_default();
                    if stored.insert(key) {
                        batch.upsert_mention(account, mention, job.received_at)?;
                    }
                    written.mentions += 1;
                }
                Record::StoryInsights { reading, .. } => {
                    let media = story_row(&mut batch, &mut known, account, reading, job)?;
                    match media {
                        Some(media) => {
                            record_story(&mut batch, media, reading)?;
                            written.story_readings += 1;
                            archive_for.get_or_insert(account);
                        }
                        None => written.skipped += 1,
                    }
                }
            }
        }
        if let Some(account) = archive_for {
            batch.archive_response(
                &ArchivedResponse {
                    account: Some(account),
                    endpoint: "webhook:story_insights",
                    api_version: "webhook",
                    body: &job.body,
                },
                job.received_at,
            )?;
        }
        log_skips(job, &written, &known);
        all.push(written);
    }
    batch.commit()?;
    Ok(all)
}

/// The story's row: the stored one, or a new one when the sync never saw the story (the
/// reason this webhook exists). Meta does not say when a story went up or what it showed; it
/// sends its insights after the story expired, 24 hours after it went up, so the new row is
/// dated 24 hours before the event (the latest it can have gone up) with media type
/// `UNKNOWN`. `None` for a story stored under another account.
fn story_row(
    batch: &mut WriteBatch<'_>,
    known: &mut Known,
    account: AccountId,
    reading: &StoryReading,
    job: &Job,
) -> Result<Option<MediaId>, StoreError> {
    match known.stories.get(&reading.ig_media_id).copied().flatten() {
        Some((media, owner)) if owner == account => Ok(Some(media)),
        Some(_) => Ok(None),
        None => {
            let item = MediaItem {
                ig_media_id: reading.ig_media_id.clone(),
                product_type: "STORY".into(),
                media_type: "UNKNOWN".into(),
                posted_at: reading.at - Duration::hours(24),
                caption: None,
                permalink: None,
                media_url: None,
                thumbnail_url: None,
            };
            let media = batch.upsert_media(account, &item, job.received_at)?;
            known
                .stories
                .insert(reading.ig_media_id.clone(), Some((media, account)));
            Ok(Some(media))
        }
    }
}

/// The values as readings at the event time, `-1` as the `.under_5` flag (never a negative
/// count), and the story marked captured: these are its final numbers.
fn record_story(
    batch: &mut WriteBatch<'_>,
    media: MediaId,
    reading: &StoryReading,
) -> Result<(), StoreError> {
    let flags: Vec<String> = reading
        .values
        .iter()
        .filter(|(_, value)| *value == StoryValue::UnderFive)
        .map(|(metric, _)| under_five_flag(metric))
        .collect();
    let mut values: Vec<(&str, f64)> = reading
        .values
        .iter()
        .filter_map(|(metric, value)| match value {
            StoryValue::Count(count) => Some((*metric, *count as f64)),
            StoryValue::UnderFive => None,
        })
        .collect();
    values.extend(flags.iter().map(|flag| (flag.as_str(), 1.0)));
    batch.record_media_metrics(media, reading.at, &values)?;
    batch.record_story_capture(media, CaptureState::Final { at: reading.at })
}

fn log_skips(job: &Job, written: &Written, known: &Known) {
    if written.skipped == 0 {
        return;
    }
    let unknown: HashSet<&str> = job
        .delivery
        .records
        .iter()
        .map(Record::account)
        .filter(|id| matches!(known.accounts.get(*id), Some(None)))
        .collect();
    log::info!(
        "webhook: skipped {} change(s) about account(s) {:?} this store does not hold (or a story stored under another account)",
        written.skipped,
        unknown
    );
}
