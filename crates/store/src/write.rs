//! Writing: one [`WriteBatch`] is one SQLite transaction.
//!
//! Every method is an upsert on the row's natural key, so the sync can write a step again after
//! a crash or a retry without adding rows; the rule for what a second write changes is stated
//! on each method. A sync writes a whole step — its readings, archived responses, counters and
//! the run's resume state — through one batch, so a killed process leaves either all of it or
//! none.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Params, Row, Transaction, params};
use serde::Serialize;

use crate::archive;
use crate::error::{AtPath, StoreError};
use crate::model::{
    AccountId, AccountProfile, AnnotationId, Breakdown, CaptureState, Comment, MediaId, MediaItem,
    Mention, MetricScope, RawResponseId, SyncRunId, SyncStatus,
};
use crate::time::{day_text, to_unix};

/// One day of one account metric, optionally one breakdown cell of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountDailyValue {
    pub metric: String,
    pub day: NaiveDate,
    pub breakdown: Option<Breakdown>,
    pub value: f64,
}

/// One account metric's total over a window of days (both ends included), optionally one
/// breakdown cell of it: what Meta's total_value metrics answer for a since/until window
/// longer than a day. Never a sum of days: unique counts such as reach are counted once over
/// the whole window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountWindowValue {
    pub metric: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub breakdown: Option<Breakdown>,
    pub value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FollowersCounts {
    pub followers_count: i64,
    pub follows_count: Option<i64>,
    pub media_count: Option<i64>,
}

/// One demographics answer: a metric broken down by one dimension (e.g. `age,gender`) on a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemographicsSnapshot {
    pub metric: String,
    /// `this_week` / `this_month`; `None` for `follower_demographics`.
    pub timeframe: Option<String>,
    pub dimension: String,
    pub snapshot_day: NaiveDate,
    /// (bucket, value), e.g. ("25-34,F", 25.0).
    pub buckets: Vec<(String, f64)>,
}

/// A Graph response to keep. The endpoint must already be redacted (no token in it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArchivedResponse<'a> {
    pub account: Option<AccountId>,
    /// Path and query as sent, e.g. `/v24.0/1784.../insights?metric=reach&period=day`.
    pub endpoint: &'a str,
    pub api_version: &'a str,
    pub body: &'a [u8],
}

/// One open write transaction. Commit it with [`WriteBatch::commit`]; dropping it rolls back.
pub struct WriteBatch<'a> {
    tx: Transaction<'a>,
    path: &'a Path,
    /// Metric ids looked up or created in this transaction. Scoped to the batch so an id
    /// created by a rolled-back batch is never reused.
    metric_ids: HashMap<String, i64>,
}

impl std::fmt::Debug for WriteBatch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteBatch")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl<'a> WriteBatch<'a> {
    pub(crate) fn new(tx: Transaction<'a>, path: &'a Path) -> Self {
        Self {
            tx,
            path,
            metric_ids: HashMap::new(),
        }
    }

    /// Makes everything written through this batch durable and visible, at once.
    pub fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().at(self.path)
    }

    /// Runs one cached statement; returns how many rows it changed.
    fn run(&self, sql: &str, params: impl Params) -> rusqlite::Result<usize> {
        self.tx.prepare_cached(sql)?.execute(params)
    }

    /// Runs one cached statement that returns a row.
    fn row<T>(
        &self,
        sql: &str,
        params: impl Params,
        map: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        self.tx.prepare_cached(sql)?.query_row(params, map)
    }

    fn metric_id(&mut self, name: &str) -> Result<i64, StoreError> {
        if let Some(id) = self.metric_ids.get(name) {
            return Ok(*id);
        }
        let existing: Option<i64> = self
            .row("SELECT id FROM metric WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .at(self.path)?;
        let id = match existing {
            Some(id) => id,
            None => self
                .row(
                    "INSERT INTO metric (name) VALUES (?1) RETURNING id",
                    [name],
                    |r| r.get(0),
                )
                .at(self.path)?,
        };
        self.metric_ids.insert(name.to_owned(), id);
        Ok(id)
    }

    /// Adds the account or updates its profile fields (keyed by Meta's user id).
    pub fn upsert_account(
        &mut self,
        profile: &AccountProfile,
        fetched_at: DateTime<Utc>,
    ) -> Result<AccountId, StoreError> {
        self.row(
            "INSERT INTO account (ig_user_id, login_kind, username, name, profile_picture_url,
                                      fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (ig_user_id) DO UPDATE SET
                     login_kind = excluded.login_kind, username = excluded.username,
                     name = excluded.name, profile_picture_url = excluded.profile_picture_url,
                     fetched_at = excluded.fetched_at
                 RETURNING id",
            params![
                profile.ig_user_id,
                profile.login_kind,
                profile.username,
                profile.name,
                profile.profile_picture_url,
                to_unix(fetched_at)
            ],
            |r| r.get(0),
        )
        .at(self.path)
    }

    /// Adds the post or updates its fields (keyed by Meta's media id). A post already stored
    /// under another account is refused rather than moved.
    pub fn upsert_media(
        &mut self,
        account: AccountId,
        item: &MediaItem,
        fetched_at: DateTime<Utc>,
    ) -> Result<MediaId, StoreError> {
        let posted = to_unix(item.posted_at);
        let before: Option<i64> = self
            .row(
                "SELECT posted_at FROM media WHERE ig_media_id = ?1",
                [&item.ig_media_id],
                |r| r.get(0),
            )
            .optional()
            .at(self.path)?;
        let id: MediaId = self
            .row(
                "INSERT INTO media (account_id, ig_media_id, product_type, media_type, posted_at,
                                    caption, permalink, media_url, thumbnail_url, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (ig_media_id) DO UPDATE SET
                     product_type = excluded.product_type, media_type = excluded.media_type,
                     posted_at = excluded.posted_at, caption = excluded.caption,
                     permalink = excluded.permalink, media_url = excluded.media_url,
                     thumbnail_url = excluded.thumbnail_url, fetched_at = excluded.fetched_at
                 WHERE media.account_id = excluded.account_id
                 RETURNING id",
                params![
                    account,
                    item.ig_media_id,
                    item.product_type,
                    item.media_type,
                    posted,
                    item.caption,
                    item.permalink,
                    item.media_url,
                    item.thumbnail_url,
                    to_unix(fetched_at)
                ],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.unknown_account_or(e, account))?
            .ok_or_else(|| StoreError::MediaOfAnotherAccount {
                ig_media_id: item.ig_media_id.clone(),
            })?;
        if before.is_some_and(|before| before != posted) {
            // Ages are measured from posted_at: a corrected posted_at moves every reading's age.
            self.run(
                "UPDATE media_metric SET age_seconds = max(captured_at - ?2, 0)
                 WHERE media_id = ?1",
                params![id, posted],
            )
            .at(self.path)?;
            self.run(
                "UPDATE media_metric_latest SET posted_at = ?2,
                                                age_seconds = max(captured_at - ?2, 0)
                 WHERE media_id = ?1",
                params![id, posted],
            )
            .at(self.path)?;
        }
        Ok(id)
    }

    /// Records lifetime readings of a post's metrics taken at `captured_at`; the post's age at
    /// the reading is computed from its `posted_at` (0 if the clock says it was read before it
    /// went up). Keyed by (post, metric, captured_at): a second write of the same reading
    /// replaces its value.
    pub fn record_media_metrics(
        &mut self,
        media: MediaId,
        captured_at: DateTime<Utc>,
        values: &[(&str, f64)],
    ) -> Result<(), StoreError> {
        let captured = to_unix(captured_at);
        let (account, posted) = self.media_home(media)?;
        let age = (captured - posted).max(0);
        for (metric, value) in values {
            let metric_id = self.metric_id(metric)?;
            self.run(
                "INSERT INTO media_metric (media_id, metric_id, captured_at, age_seconds, value)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT DO UPDATE SET age_seconds = excluded.age_seconds,
                                           value = excluded.value",
                params![media, metric_id, captured, age, value],
            )
            .at(self.path)?;
            // The newest reading wins whatever order readings arrive in; a re-read of the
            // newest one replaces it.
            self.run(
                "INSERT INTO media_metric_latest (media_id, metric_id, account_id, posted_at,
                                                  captured_at, age_seconds, value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT DO UPDATE SET captured_at = excluded.captured_at,
                     age_seconds = excluded.age_seconds, value = excluded.value
                 WHERE excluded.captured_at >= media_metric_latest.captured_at",
                params![media, metric_id, account, posted, captured, age, value],
            )
            .at(self.path)?;
        }
        Ok(())
    }

    /// Records one reading of a post's metric broken down (e.g. `navigation` by
    /// `story_navigation_action_type`). Same key and rule as [`Self::record_media_metrics`],
    /// plus the breakdown cell.
    pub fn record_media_breakdown(
        &mut self,
        media: MediaId,
        metric: &str,
        captured_at: DateTime<Utc>,
        cells: &[(Breakdown, f64)],
    ) -> Result<(), StoreError> {
        self.media_home(media)?;
        let metric_id = self.metric_id(metric)?;
        for (cell, value) in cells {
            self.run(
                "INSERT INTO media_metric_breakdown
                         (media_id, metric_id, captured_at, dimension, dimension_value, value)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT DO UPDATE SET value = excluded.value",
                params![
                    media,
                    metric_id,
                    to_unix(captured_at),
                    cell.dimension,
                    cell.value,
                    value
                ],
            )
            .at(self.path)?;
        }
        Ok(())
    }

    /// The post's account and `posted_at`; fails for a post that does not exist.
    fn media_home(&self, media: MediaId) -> Result<(AccountId, i64), StoreError> {
        self.row(
            "SELECT account_id, posted_at FROM media WHERE id = ?1",
            [media],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .at(self.path)?
        .ok_or_else(|| StoreError::UnknownMedia(media.to_string()))
    }

    /// Records daily account values. Keyed by (account, metric, day, breakdown dimension,
    /// breakdown value): a re-read replaces the value and its `fetched_at` (Meta revises the
    /// most recent days).
    pub fn record_account_daily(
        &mut self,
        account: AccountId,
        values: &[AccountDailyValue],
        fetched_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        for value in values {
            let metric_id = self.metric_id(&value.metric)?;
            let (dimension, cell) = value
                .breakdown
                .as_ref()
                .map_or(("", ""), |b| (b.dimension.as_str(), b.value.as_str()));
            self.run(
                "INSERT INTO account_daily (account_id, metric_id, dimension, day,
                                                dimension_value, value, fetched_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT DO UPDATE SET value = excluded.value,
                                               fetched_at = excluded.fetched_at",
                params![
                    account,
                    metric_id,
                    dimension,
                    day_text(value.day),
                    cell,
                    value.value,
                    to_unix(fetched_at)
                ],
            )
            .map_err(|e| self.unknown_account_or(e, account))?;
        }
        Ok(())
    }

    /// Records account totals over windows of days. Keyed by (account, metric, breakdown
    /// dimension, first day, last day, breakdown value): a re-read of the same window replaces
    /// the value and its `fetched_at`; another window of the same metric is another row.
    pub fn record_account_window(
        &mut self,
        account: AccountId,
        values: &[AccountWindowValue],
        fetched_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        for value in values {
            if value.last_day < value.first_day {
                return Err(StoreError::BackwardsWindow {
                    first_day: value.first_day,
                    last_day: value.last_day,
                });
            }
            let metric_id = self.metric_id(&value.metric)?;
            let (dimension, cell) = value
                .breakdown
                .as_ref()
                .map_or(("", ""), |b| (b.dimension.as_str(), b.value.as_str()));
            self.run(
                "INSERT INTO account_window (account_id, metric_id, dimension, first_day, last_day,
                                                 dimension_value, value, fetched_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT DO UPDATE SET value = excluded.value,
                                               fetched_at = excluded.fetched_at",
                params![
                    account,
                    metric_id,
                    dimension,
                    day_text(value.first_day),
                    day_text(value.last_day),
                    cell,
                    value.value,
                    to_unix(fetched_at)
                ],
            )
            .map_err(|e| self.unknown_account_or(e, account))?;
        }
        Ok(())
    }

    /// Records the day's `followers_count` snapshot; a second snapshot on the same day
    /// replaces the first.
    pub fn record_followers(
        &mut self,
        account: AccountId,
        day: NaiveDate,
        counts: &FollowersCounts,
        fetched_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.run(
            "INSERT INTO followers_snapshot (account_id, day, followers_count, follows_count,
                                                 media_count, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT DO UPDATE SET followers_count = excluded.followers_count,
                     follows_count = excluded.follows_count, media_count = excluded.media_count,
                     fetched_at = excluded.fetched_at",
            params![
                account,
                day_text(day),
                counts.followers_count,
                counts.follows_count,
                counts.media_count,
                to_unix(fetched_at)
            ],
        )
        .map_err(|e| self.unknown_account_or(e, account))?;
        Ok(())
    }

    /// Records a whole demographics snapshot, keyed by (account, metric, timeframe, dimension,
    /// day). Writing the same snapshot again replaces its buckets, so a bucket that fell out of
    /// Meta's top 45 between two reads of the same day does not linger.
    pub fn record_demographics(
        &mut self,
        account: AccountId,
        snapshot: &DemographicsSnapshot,
        fetched_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let metric_id = self.metric_id(&snapshot.metric)?;
        let snapshot_id: i64 = self
            .row(
                "INSERT INTO demographics_snapshot (account_id, metric_id, timeframe, dimension,
                                                    snapshot_day, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT DO UPDATE SET fetched_at = excluded.fetched_at
                 RETURNING id",
                params![
                    account,
                    metric_id,
                    snapshot.timeframe.as_deref().unwrap_or(""),
                    snapshot.dimension,
                    day_text(snapshot.snapshot_day),
                    to_unix(fetched_at)
                ],
                |r| r.get(0),
            )
            .map_err(|e| self.unknown_account_or(e, account))?;
        self.run(
            "DELETE FROM demographics_bucket WHERE snapshot_id = ?1",
            [snapshot_id],
        )
        .at(self.path)?;
        for (bucket, value) in &snapshot.buckets {
            self.run(
                "INSERT INTO demographics_bucket (snapshot_id, dimension_value, value)
                     VALUES (?1, ?2, ?3)
                     ON CONFLICT DO UPDATE SET value = excluded.value",
                params![snapshot_id, bucket, value],
            )
            .at(self.path)?;
        }
        Ok(())
    }

    /// Records how far the capture of a story got. The state only moves forward — `missed`,
    /// then `last_seen` (a later time wins), then `final` — so writes in any order, or twice,
    /// end in the same state.
    pub fn record_story_capture(
        &mut self,
        media: MediaId,
        state: CaptureState,
    ) -> Result<(), StoreError> {
        self.media_home(media)?;
        let (state, seen_at) = state.columns();
        self.run(
            "INSERT INTO story (media_id, capture_state, seen_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (media_id) DO UPDATE SET capture_state = excluded.capture_state,
                                                      seen_at = excluded.seen_at
                 WHERE (CASE excluded.capture_state WHEN 'final' THEN 2 WHEN 'last_seen' THEN 1
                        ELSE 0 END, coalesce(excluded.seen_at, 0))
                     > (CASE story.capture_state WHEN 'final' THEN 2 WHEN 'last_seen' THEN 1
                        ELSE 0 END, coalesce(story.seen_at, 0))",
            params![media, state, seen_at],
        )
        .at(self.path)?;
        Ok(())
    }

    /// Archives a response body (compressed). Keyed by (endpoint, API version, body hash): the
    /// same answer fetched again keeps its first row and `fetched_at`.
    pub fn archive_response(
        &mut self,
        response: &ArchivedResponse<'_>,
        fetched_at: DateTime<Utc>,
    ) -> Result<RawResponseId, StoreError> {
        if archive::carries_credential(response.endpoint) {
            return Err(StoreError::CredentialInEndpoint {
                endpoint: insightdesk_secret::redact_url(response.endpoint),
            });
        }
        let sha = archive::sha256_hex(response.body);
        let existing: Option<RawResponseId> = self
            .row(
                "SELECT id FROM raw_response
                 WHERE endpoint = ?1 AND api_version = ?2 AND body_sha256 = ?3",
                params![response.endpoint, response.api_version, sha],
                |r| r.get(0),
            )
            .optional()
            .at(self.path)?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let compressed = archive::compress(response.body).map_err(StoreError::Archive)?;
        self.row(
            "INSERT INTO raw_response (account_id, endpoint, api_version, body_sha256,
                                           body_len, body_zlib, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 RETURNING id",
            params![
                response.account,
                response.endpoint,
                response.api_version,
                sha,
                response.body.len() as i64,
                compressed,
                to_unix(fetched_at)
            ],
            |r| r.get(0),
        )
        .at(self.path)
    }

    /// Remembers that Meta does not provide `metric` in `scope`. Learning it again updates
    /// the reason, the API version and when.
    pub fn exclude_metric(
        &mut self,
        scope: &MetricScope,
        metric: &str,
        reason: &str,
        api_version: &str,
        learned_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let metric_id = self.metric_id(metric)?;
        let [product_type, media_type, metric_type] = scope.key_texts();
        self.run(
            "INSERT INTO metric_exclusion (account_id, login_kind, level, product_type,
                                               media_type, metric_type, metric_id, reason,
                                               api_version, learned_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT DO UPDATE SET reason = excluded.reason,
                     api_version = excluded.api_version, learned_at = excluded.learned_at",
            params![
                scope.account,
                scope.login_kind,
                scope.level,
                product_type,
                media_type,
                metric_type,
                metric_id,
                reason,
                api_version,
                to_unix(learned_at)
            ],
        )
        .map_err(|e| self.unknown_account_or(e, scope.account))?;
        Ok(())
    }

    /// Forgets an exclusion (e.g. to try the metric again after an API upgrade). Returns
    /// whether there was one.
    pub fn forget_metric_exclusion(
        &mut self,
        scope: &MetricScope,
        metric: &str,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "DELETE FROM metric_exclusion WHERE {}",
            MetricScope::MATCH_SQL
        );
        let removed = self.run(&sql, scope.match_params(metric)).at(self.path)?;
        Ok(removed > 0)
    }

    /// Starts a sync run (status `running`).
    pub fn start_sync_run(
        &mut self,
        account: Option<AccountId>,
        started_by: &str,
        started_at: DateTime<Utc>,
    ) -> Result<SyncRunId, StoreError> {
        let result = self.row(
            "INSERT INTO sync_run (account_id, started_by, status, started_at)
                 VALUES (?1, ?2, 'running', ?3)
                 RETURNING id",
            params![account, started_by, to_unix(started_at)],
            |r| r.get(0),
        );
        match account {
            Some(account) => result.map_err(|e| self.unknown_account_or(e, account)),
            None => result.at(self.path),
        }
    }

    /// Saves the run's resume state; written in the same batch as the step it describes, it
    /// is exactly as durable as that step.
    pub fn save_sync_progress(
        &mut self,
        run: SyncRunId,
        resume_state: &str,
    ) -> Result<(), StoreError> {
        let changed = self
            .run(
                "UPDATE sync_run SET resume_state = ?2 WHERE id = ?1",
                params![run, resume_state],
            )
            .at(self.path)?;
        self.expect_run(changed, run)
    }

    /// Adds to the run's named counters (e.g. `http_requests`, `rows_written`).
    pub fn add_sync_counters(
        &mut self,
        run: SyncRunId,
        deltas: &[(&str, i64)],
    ) -> Result<(), StoreError> {
        for (name, delta) in deltas {
            self.run(
                "INSERT INTO sync_run_counter (run_id, name, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT DO UPDATE SET value = value + excluded.value",
                params![run, name, delta],
            )
            .map_err(|e| self.foreign_key_or(e, StoreError::UnknownSyncRun(run.0)))?;
        }
        Ok(())
    }

    /// Adds a warning to the run; the same message twice is kept once.
    pub fn add_sync_warning(&mut self, run: SyncRunId, message: &str) -> Result<(), StoreError> {
        self.run(
            "INSERT INTO sync_run_warning (run_id, message) VALUES (?1, ?2)
                 ON CONFLICT DO NOTHING",
            params![run, message],
        )
        .map_err(|e| self.foreign_key_or(e, StoreError::UnknownSyncRun(run.0)))?;
        Ok(())
    }

    /// Ends the run. Its resume state is kept (it describes where the run ended).
    pub fn finish_sync_run(
        &mut self,
        run: SyncRunId,
        status: SyncStatus,
        finished_at: DateTime<Utc>,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let changed = self
            .run(
                "UPDATE sync_run SET status = ?2, finished_at = ?3, error = ?4 WHERE id = ?1",
                params![run, status.as_str(), to_unix(finished_at), error],
            )
            .at(self.path)?;
        self.expect_run(changed, run)
    }

    fn expect_run(&self, changed: usize, run: SyncRunId) -> Result<(), StoreError> {
        if changed == 0 {
            Err(StoreError::UnknownSyncRun(run.0))
        } else {
            Ok(())
        }
    }

    /// Adds a note to the account's timeline, at an instant or over a span.
    pub fn add_annotation(
        &mut self,
        account: AccountId,
        starts_at: DateTime<Utc>,
        ends_at: Option<DateTime<Utc>>,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<AnnotationId, StoreError> {
        self.row(
            "INSERT INTO annotation (account_id, starts_at, ends_at, text, created_at,
                                         updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                 RETURNING id",
            params![
                account,
                to_unix(starts_at),
                ends_at.map(to_unix),
                text,
                to_unix(now)
            ],
            |r| r.get(0),
        )
        .map_err(|e| self.unknown_account_or(e, account))
    }

    /// Changes a note; returns whether it existed.
    pub fn update_annotation(
        &mut self,
        id: AnnotationId,
        starts_at: DateTime<Utc>,
        ends_at: Option<DateTime<Utc>>,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let changed = self
            .run(
                "UPDATE annotation SET starts_at = ?2, ends_at = ?3, text = ?4, updated_at = ?5
                 WHERE id = ?1",
                params![
                    id,
                    to_unix(starts_at),
                    ends_at.map(to_unix),
                    text,
                    to_unix(now)
                ],
            )
            .at(self.path)?;
        Ok(changed > 0)
    }

    /// Deletes a note; returns whether it existed.
    pub fn delete_annotation(&mut self, id: AnnotationId) -> Result<bool, StoreError> {
        let changed = self
            .run("DELETE FROM annotation WHERE id = ?1", [id])
            .at(self.path)?;
        Ok(changed > 0)
    }

    /// Adds or updates a comment (keyed by Meta's comment id).
    pub fn upsert_comment(
        &mut self,
        account: AccountId,
        comment: &Comment,
        fetched_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.run(
            "INSERT INTO comment (account_id, ig_comment_id, ig_media_id,
                                      parent_ig_comment_id, username, text, commented_at, source,
                                      fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (ig_comment_id) DO UPDATE SET
                     ig_media_id = excluded.ig_media_id,
                     parent_ig_comment_id = excluded.parent_ig_comment_id,
                     username = excluded.username, text = excluded.text,
                     commented_at = excluded.commented_at, source = excluded.source,
                     fetched_at = excluded.fetched_at",
            params![
                account,
                comment.ig_comment_id,
                comment.ig_media_id,
                comment.parent_ig_comment_id,
                comment.username,
                comment.text,
                comment.commented_at.map(to_unix),
                comment.source,
                to_unix(fetched_at)
            ],
        )
        .map_err(|e| self.unknown_account_or(e, account))?;
        Ok(())
    }

    /// Adds or updates a mention (keyed by account, media and comment).
    pub fn upsert_mention(
        &mut self,
        account: AccountId,
        mention: &Mention,
        fetched_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.run(
            "INSERT INTO mention (account_id, ig_media_id, ig_comment_id, username, text,
                                      mentioned_at, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT DO UPDATE SET username = excluded.username, text = excluded.text,
                     mentioned_at = excluded.mentioned_at, fetched_at = excluded.fetched_at",
            params![
                account,
                mention.ig_media_id,
                mention.ig_comment_id.as_deref().unwrap_or(""),
                mention.username,
                mention.text,
                mention.mentioned_at.map(to_unix),
                to_unix(fetched_at)
            ],
        )
        .map_err(|e| self.unknown_account_or(e, account))?;
        Ok(())
    }

    /// Saves what an alert remembers (its own JSON) and when it last fired.
    pub fn set_alert_state(
        &mut self,
        account: AccountId,
        alert: &str,
        state: &str,
        last_fired_at: Option<DateTime<Utc>>,
        updated_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.run(
            "INSERT INTO alert_state (account_id, alert, state, last_fired_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT DO UPDATE SET state = excluded.state,
                     last_fired_at = excluded.last_fired_at, updated_at = excluded.updated_at",
            params![
                account,
                alert,
                state,
                last_fired_at.map(to_unix),
                to_unix(updated_at)
            ],
        )
        .map_err(|e| self.unknown_account_or(e, account))?;
        Ok(())
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.run(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT DO UPDATE SET value = excluded.value",
            [key, value],
        )
        .at(self.path)?;
        Ok(())
    }

    /// Returns whether the setting existed.
    pub fn delete_setting(&mut self, key: &str) -> Result<bool, StoreError> {
        let changed = self
            .run("DELETE FROM setting WHERE key = ?1", [key])
            .at(self.path)?;
        Ok(changed > 0)
    }

    /// Records that `data_kind` (the sync's name, e.g. `media_list`, `account_daily`,
    /// `demographics`) was fetched for the account at `fetched_at`, and where to continue next
    /// time (`None` clears the cursor).
    pub fn mark_fetched(
        &mut self,
        account: AccountId,
        data_kind: &str,
        fetched_at: DateTime<Utc>,
        cursor: Option<&str>,
    ) -> Result<(), StoreError> {
        self.run(
            "INSERT INTO fetch_state (account_id, data_kind, fetched_at, cursor)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO UPDATE SET fetched_at = excluded.fetched_at,
                                           cursor = excluded.cursor",
            params![account, data_kind, to_unix(fetched_at), cursor],
        )
        .map_err(|e| self.unknown_account_or(e, account))?;
        Ok(())
    }

    fn unknown_account_or(&self, error: rusqlite::Error, account: AccountId) -> StoreError {
        self.foreign_key_or(error, StoreError::UnknownAccount(account.0))
    }

    /// A foreign-key failure means the row the write points at does not exist.
    fn foreign_key_or(&self, error: rusqlite::Error, missing: StoreError) -> StoreError {
        let foreign_key = matches!(
            error.sqlite_error(),
            Some(e) if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY
        );
        if foreign_key {
            missing
        } else {
            StoreError::from_sqlite(error, self.path)
        }
    }
}
