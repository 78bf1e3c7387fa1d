//! The reads the dashboard, the reports and the sync need.
//!
//! Each method runs in one read transaction, so what it returns is one consistent snapshot
//! even while a sync writes. The indexes behind them are named in `0001_initial.sql`; the
//! `queries` benchmark times them on three years of a busy account.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use crate::Store;
use crate::archive;
use crate::error::{AtPath, StoreError};
use crate::median::{median, value_at_age};
use crate::model::{
    Account, AccountId, AccountProfile, AgeMedian, AlertState, Annotation, CaptureState, Comment,
    DailyValue, DayRange, Demographics, DemographicsBucket, FetchState, FollowersPoint, Media,
    MediaId, MediaItem, MediaMetricTotal, MediaPage, MediaTypeCount, MediaWithMetrics, Mention,
    MetricExclusion, MetricReading, MetricScope, MetricTotal, PostingTime, RawResponseId,
    RawResponseInfo, Story, SyncRun, SyncRunId, TimeRange, WindowValue,
};
use crate::time::TimeColumns;

/// Which posts a query looks at. Every filter left `None` matches everything.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaFilter {
    pub account: AccountId,
    /// When the posts went up.
    pub posted: TimeRange,
    pub product_type: Option<String>,
    pub media_type: Option<String>,
    /// Case-insensitive (ASCII letters) substring of the caption.
    pub caption_contains: Option<String>,
}

impl MediaFilter {
    /// Every post of the account.
    pub fn account(account: AccountId) -> Self {
        Self {
            account,
            posted: TimeRange::all(),
            product_type: None,
            media_type: None,
            caption_contains: None,
        }
    }

    pub fn posted(mut self, posted: TimeRange) -> Self {
        self.posted = posted;
        self
    }

    pub fn product_type(mut self, product_type: impl Into<String>) -> Self {
        self.product_type = Some(product_type.into());
        self
    }

    pub fn media_type(mut self, media_type: impl Into<String>) -> Self {
        self.media_type = Some(media_type.into());
        self
    }

    pub fn caption_contains(mut self, text: impl Into<String>) -> Self {
        self.caption_contains = Some(text.into());
        self
    }

    /// The WHERE clause over `media m` and its named parameters. Only the filters that are
    /// set appear, so SQLite can use the (account, product type, time) index when a product
    /// type is given.
    fn sql(&self) -> (String, NamedParams) {
        let (start, end) = self.posted.unix();
        let mut clause = String::from(
            "m.account_id = :account AND m.posted_at >= :start AND m.posted_at < :end",
        );
        let mut params: NamedParams = vec![
            (":account", Box::new(self.account)),
            (":start", Box::new(start)),
            (":end", Box::new(end)),
        ];
        if let Some(product_type) = &self.product_type {
            clause.push_str(" AND m.product_type = :product_type");
            params.push((":product_type", Box::new(product_type.clone())));
        }
        if let Some(media_type) = &self.media_type {
            clause.push_str(" AND m.media_type = :media_type");
            params.push((":media_type", Box::new(media_type.clone())));
        }
        if let Some(text) = &self.caption_contains {
            // LIKE ignores the case of ASCII letters and, unlike lower(), copies nothing per row.
            clause.push_str(r" AND m.caption LIKE :caption ESCAPE '\'");
            params.push((":caption", Box::new(like_pattern(text))));
        }
        (clause, params)
    }
}

/// `%text%` with LIKE's own characters in `text` escaped, so they match literally.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// How the content table is ordered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum MediaSort {
    PostedAt,
    /// By the latest value of this metric; posts without it come last.
    Metric(String),
}

/// One page of the content table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaQuery {
    pub filter: MediaFilter,
    pub sort: MediaSort,
    pub descending: bool,
    pub limit: u32,
    pub offset: u32,
}

/// The posts a post is compared with: a filter (typically its account, product type and a
/// period), without the post itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerQuery {
    pub filter: MediaFilter,
    pub excluding: Option<MediaId>,
}

/// How many metrics [`Store::posting_times`] takes at once.
pub const POSTING_TIME_METRICS: usize = 8;

const MEDIA_COLUMNS: &str = "m.id, m.account_id, m.ig_media_id, m.product_type, m.media_type, \
                             m.posted_at, m.caption, m.permalink, m.media_url, m.thumbnail_url";
/// How many columns [`MEDIA_COLUMNS`] takes, for queries that select more after it.
const MEDIA_COLUMN_COUNT: usize = 10;

fn media_from_row(row: &Row<'_>) -> rusqlite::Result<Media> {
    Ok(Media {
        id: row.get(0)?,
        account_id: row.get(1)?,
        item: MediaItem {
            ig_media_id: row.get(2)?,
            product_type: row.get(3)?,
            media_type: row.get(4)?,
            posted_at: row.instant(5)?,
            caption: row.get(6)?,
            permalink: row.get(7)?,
            media_url: row.get(8)?,
            thumbnail_url: row.get(9)?,
        },
    })
}

fn account_from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: row.get(0)?,
        profile: AccountProfile {
            ig_user_id: row.get(1)?,
            login_kind: row.get(2)?,
            username: row.get(3)?,
            name: row.get(4)?,
            profile_picture_url: row.get(5)?,
        },
        fetched_at: row.instant(6)?,
    })
}

const ACCOUNT_COLUMNS: &str =
    "id, ig_user_id, login_kind, username, name, profile_picture_url, fetched_at";

/// Named parameters of a query built from optional parts.
type NamedParams = Vec<(&'static str, Box<dyn ToSql>)>;

/// Borrows boxed named parameters the way rusqlite takes them.
fn named(params: &NamedParams) -> Vec<(&'static str, &dyn ToSql)> {
    params
        .iter()
        .map(|(name, value)| (*name, value.as_ref()))
        .collect()
}

fn metric_id(conn: &Connection, name: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM metric WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()
}

fn metric_names(conn: &Connection) -> rusqlite::Result<HashMap<i64, String>> {
    conn.prepare_cached("SELECT id, name FROM metric")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// The latest reading of each of a post's metrics.
fn latest_readings(
    conn: &Connection,
    media: MediaId,
    names: &HashMap<i64, String>,
) -> rusqlite::Result<BTreeMap<String, MetricReading>> {
    let mut statement = conn.prepare_cached(
        "SELECT metric_id, captured_at, age_seconds, value FROM media_metric_latest
         WHERE media_id = ?1",
    )?;
    let mut rows = statement.query([media])?;
    let mut latest = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let metric: i64 = row.get(0)?;
        let reading = MetricReading {
            captured_at: row.instant(1)?,
            age_seconds: row.get(2)?,
            value: row.get(3)?,
        };
        if let Some(name) = names.get(&metric) {
            latest.insert(name.clone(), reading);
        }
    }
    Ok(latest)
}

/// Joins `l{n}`, the latest reading of metric `:metric{n}` of post `m` (absent when the post
/// has none).
fn join_latest(n: usize) -> String {
    format!(
        " LEFT JOIN media_metric_latest l{n} ON l{n}.media_id = m.id AND l{n}.metric_id = :metric{n}"
    )
}

impl Store {
    /// Runs `f` inside one read transaction.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        let tx = self.conn.unchecked_transaction().at(&self.path)?;
        let value = f(&tx).at(&self.path)?;
        tx.finish().at(&self.path)?;
        Ok(value)
    }

    /// Every row of one query, mapped.
    fn all<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        self.read(|conn| conn.prepare_cached(sql)?.query_map(params, map)?.collect())
    }

    /// The first row of one query, mapped, if there is one.
    fn one<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        map: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, StoreError> {
        self.read(|conn| conn.prepare_cached(sql)?.query_row(params, map).optional())
    }

    pub fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM account ORDER BY username, id");
        self.all(&sql, [], account_from_row)
    }

    pub fn account(&self, id: AccountId) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE id = ?1");
        self.one(&sql, [id], account_from_row)
    }

    /// The account with Meta's user id `ig_user_id`.
    pub fn account_by_ig_id(&self, ig_user_id: &str) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE ig_user_id = ?1");
        self.one(&sql, [ig_user_id], account_from_row)
    }

    pub fn media(&self, id: MediaId) -> Result<Option<Media>, StoreError> {
        let sql = format!("SELECT {MEDIA_COLUMNS} FROM media m WHERE m.id = ?1");
        self.one(&sql, [id], media_from_row)
    }

    /// The post with Meta's media id `ig_media_id`.
    pub fn media_by_ig_id(&self, ig_media_id: &str) -> Result<Option<Media>, StoreError> {
        let sql = format!("SELECT {MEDIA_COLUMNS} FROM media m WHERE m.ig_media_id = ?1");
        self.one(&sql, [ig_media_id], media_from_row)
    }

    /// Every metric name the store has seen, sorted.
    pub fn metric_names(&self) -> Result<Vec<String>, StoreError> {
        self.all("SELECT name FROM metric ORDER BY name", [], |r| r.get(0))
    }

    /// One account metric day by day over `days`: without a breakdown when `dimension` is
    /// `None`, otherwise every cell of that breakdown (ordered by day, then cell).
    pub fn account_daily_series(
        &self,
        account: AccountId,
        metric: &str,
        dimension: Option<&str>,
        days: DayRange,
    ) -> Result<Vec<DailyValue>, StoreError> {
        let (first, last) = days.texts();
        self.all(
            "SELECT day, dimension_value, value FROM account_daily
             WHERE account_id = ?1 AND metric_id = (SELECT id FROM metric WHERE name = ?2)
               AND dimension = ?3 AND day BETWEEN ?4 AND ?5
             ORDER BY day, dimension_value",
            params![account, metric, dimension.unwrap_or(""), first, last],
            |row| {
                Ok(DailyValue {
                    day: row.day(0)?,
                    breakdown_value: dimension.map(|_| row.get(1)).transpose()?,
                    value: row.get(2)?,
                })
            },
        )
    }

    /// One account metric's totals over the windows that overlap `days` (oldest window first):
    /// without a breakdown when `dimension` is `None`, otherwise every cell of that breakdown.
    /// Each value covers its whole window; it is not a daily value and not a sum of days.
    pub fn account_window_values(
        &self,
        account: AccountId,
        metric: &str,
        dimension: Option<&str>,
        days: DayRange,
    ) -> Result<Vec<WindowValue>, StoreError> {
        let (first, last) = days.texts();
        self.all(
            "SELECT first_day, last_day, dimension_value, value FROM account_window
             WHERE account_id = ?1 AND metric_id = (SELECT id FROM metric WHERE name = ?2)
               AND dimension = ?3 AND last_day >= ?4 AND first_day <= ?5
             ORDER BY first_day, last_day, dimension_value",
            params![account, metric, dimension.unwrap_or(""), first, last],
            |row| {
                Ok(WindowValue {
                    first_day: row.day(0)?,
                    last_day: row.day(1)?,
                    breakdown_value: dimension.map(|_| row.get(2)).transpose()?,
                    value: row.get(3)?,
                })
            },
        )
    }

    /// Every account metric summed over `days` (values without a breakdown), by metric name.
    pub fn account_metric_totals(
        &self,
        account: AccountId,
        days: DayRange,
    ) -> Result<Vec<MetricTotal>, StoreError> {
        let (first, last) = days.texts();
        self.all(
            "SELECT mt.name, total(ad.value), count(*)
             FROM metric mt
             JOIN account_daily ad ON ad.account_id = ?1 AND ad.metric_id = mt.id
                                  AND ad.dimension = '' AND ad.day BETWEEN ?2 AND ?3
             GROUP BY mt.id ORDER BY mt.name",
            params![account, first, last],
            |row| {
                Ok(MetricTotal {
                    metric: row.get(0)?,
                    sum: row.get(1)?,
                    days: row.get(2)?,
                })
            },
        )
    }

    /// The daily `followers_count` snapshots over `days`.
    pub fn followers_series(
        &self,
        account: AccountId,
        days: DayRange,
    ) -> Result<Vec<FollowersPoint>, StoreError> {
        let (first, last) = days.texts();
        self.all(
            "SELECT day, followers_count, follows_count, media_count FROM followers_snapshot
             WHERE account_id = ?1 AND day BETWEEN ?2 AND ?3 ORDER BY day",
            params![account, first, last],
            |row| {
                Ok(FollowersPoint {
                    day: row.day(0)?,
                    followers_count: row.get(1)?,
                    follows_count: row.get(2)?,
                    media_count: row.get(3)?,
                })
            },
        )
    }

    /// One page of posts with the latest reading of every metric, and how many posts match.
    pub fn media_page(&self, query: &MediaQuery) -> Result<MediaPage, StoreError> {
        let (clause, mut params) = query.filter.sql();
        let direction = if query.descending { "DESC" } else { "ASC" };
        self.read(|conn| {
            let total: u64 = conn
                .prepare_cached(&format!("SELECT count(*) FROM media m WHERE {clause}"))?
                .query_row(named(&params).as_slice(), |r| r.get(0))?;
            let (sort_join, order) = match &query.sort {
                MediaSort::PostedAt => (
                    String::new(),
                    format!("m.posted_at {direction}, m.id {direction}"),
                ),
                MediaSort::Metric(name) => {
                    params.push((":metric0", Box::new(metric_id(conn, name)?)));
                    (
                        join_latest(0),
                        format!(
                            "l0.value IS NULL, l0.value {direction}, \
                             m.posted_at {direction}, m.id {direction}"
                        ),
                    )
                }
            };
            params.push((":limit", Box::new(query.limit)));
            params.push((":offset", Box::new(query.offset)));
            let mut statement = conn.prepare_cached(&format!(
                "SELECT {MEDIA_COLUMNS} FROM media m{sort_join} WHERE {clause}
                 ORDER BY {order} LIMIT :limit OFFSET :offset"
            ))?;
            let media: Vec<Media> = statement
                .query_map(named(&params).as_slice(), media_from_row)?
                .collect::<rusqlite::Result<_>>()?;
            let names = metric_names(conn)?;
            let rows = media
                .into_iter()
                .map(|media| {
                    let latest = latest_readings(conn, media.id, &names)?;
                    Ok(MediaWithMetrics { media, latest })
                })
                .collect::<rusqlite::Result<_>>()?;
            Ok(MediaPage { total, rows })
        })
    }

    /// Every reading of one metric of one post, oldest first: its growth curve.
    pub fn growth_curve(
        &self,
        media: MediaId,
        metric: &str,
    ) -> Result<Vec<MetricReading>, StoreError> {
        self.all(
            "SELECT captured_at, age_seconds, value FROM media_metric
             WHERE media_id = ?1 AND metric_id = (SELECT id FROM metric WHERE name = ?2)
             ORDER BY captured_at",
            params![media, metric],
            |row| {
                Ok(MetricReading {
                    captured_at: row.instant(0)?,
                    age_seconds: row.get(1)?,
                    value: row.get(2)?,
                })
            },
        )
    }

    /// The median of `metric` over the peer posts at each of `ages`, each post's value at an
    /// age estimated as [`crate::value_at_age`] describes. One pass over the peers' readings
    /// serves every age, so a whole median curve costs one query.
    pub fn median_at_ages(
        &self,
        peers: &PeerQuery,
        metric: &str,
        ages: &[TimeDelta],
    ) -> Result<Vec<AgeMedian>, StoreError> {
        let targets: Vec<i64> = ages.iter().map(|age| age.num_seconds().max(0)).collect();
        let (Some(lowest), Some(highest)) = (targets.iter().min(), targets.iter().max()) else {
            return Ok(Vec::new());
        };
        let (clause, mut params) = peers.filter.sql();
        params.push((":excluding", Box::new(peers.excluding)));
        params.push((":min_age", Box::new(lowest / 2)));
        params.push((":max_age", Box::new(highest.saturating_mul(2))));
        let mut readings: Vec<(MediaId, i64, f64)> = self.read(|conn| {
            let Some(metric_id) = metric_id(conn, metric)? else {
                return Ok(Vec::new());
            };
            params.push((":metric", Box::new(metric_id)));
            let mut statement = conn.prepare_cached(&format!(
                "SELECT mm.media_id, mm.age_seconds, mm.value
                 FROM media m
                 JOIN media_metric mm ON mm.media_id = m.id AND mm.metric_id = :metric
                 WHERE {clause} AND m.id IS NOT :excluding
                   AND mm.age_seconds BETWEEN :min_age AND :max_age"
            ))?;
            statement
                .query_map(named(&params).as_slice(), |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })?
                .collect()
        })?;
        readings.sort_unstable_by_key(|(media, age, _)| (*media, *age));

        let mut values_at: Vec<Vec<f64>> = vec![Vec::new(); targets.len()];
        let mut curve: Vec<(i64, f64)> = Vec::new();
        for (index, (media, age, value)) in readings.iter().enumerate() {
            curve.push((*age, *value));
            let last_of_post = readings.get(index + 1).is_none_or(|next| next.0 != *media);
            if last_of_post {
                for (target, values) in targets.iter().zip(values_at.iter_mut()) {
                    if let Some(value) = value_at_age(&curve, *target) {
                        values.push(value);
                    }
                }
                curve.clear();
            }
        }
        Ok(targets
            .iter()
            .zip(values_at.iter_mut())
            .map(|(target, values)| AgeMedian {
                age_seconds: *target,
                median: median(values),
                media_count: values.len() as u32,
            })
            .collect())
    }

    /// Sums of the latest value of each metric over the posts the filter matches.
    pub fn media_totals(
        &self,
        filter: &MediaFilter,
        metrics: &[&str],
    ) -> Result<Vec<MediaMetricTotal>, StoreError> {
        let (clause, mut params) = filter.sql();
        // The conditions on l0 repeat the filter's account and period so SQLite can read the
        // metric's slice of media_metric_latest_by_time instead of visiting every post.
        let sql = format!(
            "SELECT count(l0.value), total(l0.value) FROM media m{}
             WHERE {clause} AND l0.account_id = :account
               AND l0.posted_at >= :start AND l0.posted_at < :end",
            join_latest(0)
        );
        self.read(|conn| {
            params.push((":metric0", Box::new(None::<i64>)));
            let mut totals = Vec::with_capacity(metrics.len());
            for metric in metrics {
                if let Some(last) = params.last_mut() {
                    last.1 = Box::new(metric_id(conn, metric)?);
                }
                let (media_count, sum) = conn
                    .prepare_cached(&sql)?
                    .query_row(named(&params).as_slice(), |r| Ok((r.get(0)?, r.get(1)?)))?;
                totals.push(MediaMetricTotal {
                    metric: (*metric).to_owned(),
                    sum,
                    media_count,
                });
            }
            Ok(totals)
        })
    }

    /// How many posts of each (product type, media type) the filter matches.
    pub fn media_type_counts(
        &self,
        filter: &MediaFilter,
    ) -> Result<Vec<MediaTypeCount>, StoreError> {
        let (clause, params) = filter.sql();
        self.read(|conn| {
            conn.prepare_cached(&format!(
                "SELECT m.product_type, m.media_type, count(*) FROM media m WHERE {clause}
                 GROUP BY m.product_type, m.media_type ORDER BY m.product_type, m.media_type"
            ))?
            .query_map(named(&params).as_slice(), |row| {
                Ok(MediaTypeCount {
                    product_type: row.get(0)?,
                    media_type: row.get(1)?,
                    count: row.get(2)?,
                })
            })?
            .collect()
        })
    }

    /// When each post the filter matches went up, with the latest value of `metrics` (those it
    /// has; at most [`POSTING_TIME_METRICS`]): the best-time heatmap's input, oldest post
    /// first.
    pub fn posting_times(
        &self,
        filter: &MediaFilter,
        metrics: &[&str],
    ) -> Result<Vec<PostingTime>, StoreError> {
        const NAMES: [&str; POSTING_TIME_METRICS] = [
            ":metric0", ":metric1", ":metric2", ":metric3", ":metric4", ":metric5", ":metric6",
            ":metric7",
        ];
        if metrics.len() > NAMES.len() {
            return Err(StoreError::TooManyMetrics {
                asked: metrics.len(),
                limit: NAMES.len(),
            });
        }
        let (clause, mut params) = filter.sql();
        self.read(|conn| {
            let mut columns = String::new();
            let mut joins = String::new();
            for (index, (metric, name)) in metrics.iter().zip(NAMES).enumerate() {
                params.push((name, Box::new(metric_id(conn, metric)?)));
                columns.push_str(&format!(", l{index}.value"));
                joins.push_str(&join_latest(index));
            }
            let mut statement = conn.prepare_cached(&format!(
                "SELECT m.id, m.posted_at, m.product_type, m.media_type{columns}
                 FROM media m{joins} WHERE {clause} ORDER BY m.posted_at, m.id"
            ))?;
            statement
                .query_map(named(&params).as_slice(), |row| {
                    let mut values = BTreeMap::new();
                    for (index, metric) in metrics.iter().enumerate() {
                        if let Some(value) = row.get::<_, Option<f64>>(4 + index)? {
                            values.insert((*metric).to_owned(), value);
                        }
                    }
                    Ok(PostingTime {
                        media_id: row.get(0)?,
                        posted_at: row.instant(1)?,
                        product_type: row.get(2)?,
                        media_type: row.get(3)?,
                        values,
                    })
                })?
                .collect()
        })
    }

    /// The account's stories posted in `posted`, newest first, with their capture state and
    /// latest readings.
    pub fn stories(&self, account: AccountId, posted: TimeRange) -> Result<Vec<Story>, StoreError> {
        let (start, end) = posted.unix();
        self.read(|conn| {
            let mut statement = conn.prepare_cached(&format!(
                "SELECT {MEDIA_COLUMNS}, s.capture_state, s.seen_at
                 FROM media m LEFT JOIN story s ON s.media_id = m.id
                 WHERE m.account_id = ?1 AND m.product_type = 'STORY'
                   AND m.posted_at >= ?2 AND m.posted_at < ?3
                 ORDER BY m.posted_at DESC, m.id DESC"
            ))?;
            let stories: Vec<(Media, Option<CaptureState>)> = statement
                .query_map(params![account, start, end], |row| {
                    let state: Option<String> = row.get(MEDIA_COLUMN_COUNT)?;
                    let seen_at = row.opt_instant(MEDIA_COLUMN_COUNT + 1)?;
                    let capture = state
                        .map(|state| {
                            CaptureState::from_columns(&state, seen_at).ok_or_else(|| {
                                rusqlite::Error::FromSqlConversionFailure(
                                    MEDIA_COLUMN_COUNT,
                                    rusqlite::types::Type::Text,
                                    crate::model::unknown(&state, "capture state"),
                                )
                            })
                        })
                        .transpose()?;
                    Ok((media_from_row(row)?, capture))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let names = metric_names(conn)?;
            stories
                .into_iter()
                .map(|(media, capture)| {
                    let latest = latest_readings(conn, media.id, &names)?;
                    Ok(Story {
                        media,
                        capture,
                        latest,
                    })
                })
                .collect()
        })
    }

    /// The newest snapshot of every demographics breakdown the account has (one per metric,
    /// timeframe and dimension).
    pub fn latest_demographics(&self, account: AccountId) -> Result<Vec<Demographics>, StoreError> {
        self.read(|conn| {
            // The bare columns of a max() aggregate come from the row holding the maximum.
            let mut statement = conn.prepare_cached(
                "SELECT s.id, mt.name, s.timeframe, s.dimension, max(s.snapshot_day)
                 FROM demographics_snapshot s JOIN metric mt ON mt.id = s.metric_id
                 WHERE s.account_id = ?1
                 GROUP BY s.metric_id, s.timeframe, s.dimension
                 ORDER BY mt.name, s.timeframe, s.dimension",
            )?;
            let heads: Vec<(i64, String, String, String, chrono::NaiveDate)> = statement
                .query_map([account], |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.day(4)?,
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut buckets = conn.prepare_cached(
                "SELECT dimension_value, value FROM demographics_bucket WHERE snapshot_id = ?1
                 ORDER BY value DESC, dimension_value",
            )?;
            heads
                .into_iter()
                .map(|(id, metric, timeframe, dimension, snapshot_day)| {
                    Ok(Demographics {
                        metric,
                        timeframe: Some(timeframe).filter(|t| !t.is_empty()),
                        dimension,
                        snapshot_day,
                        buckets: buckets
                            .query_map([id], |row| {
                                Ok(DemographicsBucket {
                                    value_key: row.get(0)?,
                                    value: row.get(1)?,
                                })
                            })?
                            .collect::<rusqlite::Result<_>>()?,
                    })
                })
                .collect()
        })
    }

    /// Every snapshot of one metric and dimension taken on a day in `days`, oldest first
    /// (e.g. `online_followers` by `hour`, one snapshot per day, for the week × hour grid).
    pub fn demographics_history(
        &self,
        account: AccountId,
        metric: &str,
        dimension: &str,
        days: DayRange,
    ) -> Result<Vec<Demographics>, StoreError> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT s.id, s.timeframe, s.snapshot_day
                 FROM demographics_snapshot s JOIN metric mt ON mt.id = s.metric_id
                 WHERE s.account_id = ?1 AND mt.name = ?2 AND s.dimension = ?3
                   AND s.snapshot_day >= ?4 AND s.snapshot_day <= ?5
                 ORDER BY s.snapshot_day, s.timeframe",
            )?;
            let heads: Vec<(i64, String, chrono::NaiveDate)> = statement
                .query_map(
                    rusqlite::params![
                        account,
                        metric,
                        dimension,
                        days.first.to_string(),
                        days.last.to_string()
                    ],
                    |row| Ok((row.get(0)?, row.get(1)?, row.day(2)?)),
                )?
                .collect::<rusqlite::Result<_>>()?;
            let mut buckets = conn.prepare_cached(
                "SELECT dimension_value, value FROM demographics_bucket WHERE snapshot_id = ?1
                 ORDER BY value DESC, dimension_value",
            )?;
            heads
                .into_iter()
                .map(|(id, timeframe, snapshot_day)| {
                    Ok(Demographics {
                        metric: metric.to_owned(),
                        timeframe: Some(timeframe).filter(|t| !t.is_empty()),
                        dimension: dimension.to_owned(),
                        snapshot_day,
                        buckets: buckets
                            .query_map([id], |row| {
                                Ok(DemographicsBucket {
                                    value_key: row.get(0)?,
                                    value: row.get(1)?,
                                })
                            })?
                            .collect::<rusqlite::Result<_>>()?,
                    })
                })
                .collect()
        })
    }

    /// The account's notes that overlap `range` (a note without an end is a moment).
    pub fn annotations(
        &self,
        account: AccountId,
        range: TimeRange,
    ) -> Result<Vec<Annotation>, StoreError> {
        let (start, end) = range.unix();
        self.all(
            "SELECT id, account_id, starts_at, ends_at, text, created_at, updated_at
             FROM annotation
             WHERE account_id = ?1 AND starts_at < ?3 AND coalesce(ends_at, starts_at) >= ?2
             ORDER BY starts_at, id",
            params![account, start, end],
            |row| {
                Ok(Annotation {
                    id: row.get(0)?,
                    account_id: row.get(1)?,
                    starts_at: row.instant(2)?,
                    ends_at: row.opt_instant(3)?,
                    text: row.get(4)?,
                    created_at: row.instant(5)?,
                    updated_at: row.instant(6)?,
                })
            },
        )
    }

    /// The newest `limit` sync runs, of one account or (with `None`) of all.
    pub fn sync_runs(
        &self,
        account: Option<AccountId>,
        limit: u32,
    ) -> Result<Vec<SyncRun>, StoreError> {
        self.sync_runs_where(
            "(:account IS NULL OR account_id = :account)",
            account,
            limit,
        )
    }

    /// The newest run of `account` (`None`: the all-accounts runs) that never finished — killed
    /// or still going — so a new sync can resume from its state.
    pub fn unfinished_sync_run(
        &self,
        account: Option<AccountId>,
    ) -> Result<Option<SyncRun>, StoreError> {
        Ok(self
            .sync_runs_where("status = 'running' AND account_id IS :account", account, 1)?
            .pop())
    }

    pub fn sync_run(&self, id: SyncRunId) -> Result<Option<SyncRun>, StoreError> {
        self.read(|conn| {
            conn.prepare_cached(&format!(
                "SELECT {SYNC_RUN_COLUMNS} FROM sync_run WHERE id = ?1"
            ))?
            .query_row([id], sync_run_from_row)
            .optional()?
            .map(|run| with_counters_and_warnings(conn, run))
            .transpose()
        })
    }

    fn sync_runs_where(
        &self,
        condition: &str,
        account: Option<AccountId>,
        limit: u32,
    ) -> Result<Vec<SyncRun>, StoreError> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(&format!(
                "SELECT {SYNC_RUN_COLUMNS} FROM sync_run WHERE {condition}
                 ORDER BY started_at DESC, id DESC LIMIT :limit"
            ))?;
            let runs: Vec<SyncRun> = statement
                .query_map(
                    &[(":account", &account as &dyn ToSql), (":limit", &limit)],
                    sync_run_from_row,
                )?
                .collect::<rusqlite::Result<_>>()?;
            runs.into_iter()
                .map(|run| with_counters_and_warnings(conn, run))
                .collect()
        })
    }

    /// When each kind of data was last fetched for the account.
    pub fn fetch_states(&self, account: AccountId) -> Result<Vec<FetchState>, StoreError> {
        self.all(
            "SELECT data_kind, fetched_at, cursor FROM fetch_state WHERE account_id = ?1
             ORDER BY data_kind",
            [account],
            fetch_state_from_row,
        )
    }

    pub fn fetch_state(
        &self,
        account: AccountId,
        data_kind: &str,
    ) -> Result<Option<FetchState>, StoreError> {
        self.one(
            "SELECT data_kind, fetched_at, cursor FROM fetch_state
             WHERE account_id = ?1 AND data_kind = ?2",
            params![account, data_kind],
            fetch_state_from_row,
        )
    }

    /// True when `data_kind` was fetched for the account less than `max_age` before `now`, so
    /// the sync may skip it.
    pub fn is_fresh(
        &self,
        account: AccountId,
        data_kind: &str,
        max_age: TimeDelta,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        Ok(self
            .fetch_state(account, data_kind)?
            .is_some_and(|state| now - state.fetched_at < max_age))
    }

    /// The account's learned metric exclusions, by scope then metric.
    pub fn metric_exclusions(
        &self,
        account: AccountId,
    ) -> Result<Vec<MetricExclusion>, StoreError> {
        self.all(
            "SELECT e.account_id, e.login_kind, e.level, e.product_type, e.media_type,
                    e.metric_type, mt.name, e.reason, e.api_version, e.learned_at
             FROM metric_exclusion e JOIN metric mt ON mt.id = e.metric_id
             WHERE e.account_id = ?1
             ORDER BY e.login_kind, e.level, e.product_type, e.media_type, e.metric_type, mt.name",
            [account],
            |row| {
                let text = |index| -> rusqlite::Result<Option<String>> {
                    Ok(Some(row.get::<_, String>(index)?).filter(|t| !t.is_empty()))
                };
                Ok(MetricExclusion {
                    scope: MetricScope {
                        account: row.get(0)?,
                        login_kind: row.get(1)?,
                        level: row.get(2)?,
                        product_type: text(3)?,
                        media_type: text(4)?,
                        metric_type: text(5)?,
                    },
                    metric: row.get(6)?,
                    reason: row.get(7)?,
                    api_version: row.get(8)?,
                    learned_at: row.instant(9)?,
                })
            },
        )
    }

    /// True when Meta said it does not provide `metric` in exactly this scope.
    pub fn is_metric_excluded(
        &self,
        scope: &MetricScope,
        metric: &str,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "SELECT 1 FROM metric_exclusion WHERE {}",
            MetricScope::MATCH_SQL
        );
        Ok(self
            .one(&sql, scope.match_params(metric), |_| Ok(()))?
            .is_some())
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.one("SELECT value FROM setting WHERE key = ?1", [key], |r| {
            r.get(0)
        })
    }

    pub fn alert_states(&self, account: AccountId) -> Result<Vec<AlertState>, StoreError> {
        self.all(
            "SELECT alert, state, last_fired_at, updated_at FROM alert_state
             WHERE account_id = ?1 ORDER BY alert",
            [account],
            |row| {
                Ok(AlertState {
                    alert: row.get(0)?,
                    state: row.get(1)?,
                    last_fired_at: row.opt_instant(2)?,
                    updated_at: row.instant(3)?,
                })
            },
        )
    }

    /// The account's comments, of one post or of all, oldest first.
    pub fn comments(
        &self,
        account: AccountId,
        ig_media_id: Option<&str>,
    ) -> Result<Vec<Comment>, StoreError> {
        self.all(
            "SELECT ig_comment_id, ig_media_id, parent_ig_comment_id, username, text,
                    commented_at, source
             FROM comment WHERE account_id = ?1 AND (?2 IS NULL OR ig_media_id = ?2)
             ORDER BY commented_at, ig_comment_id",
            params![account, ig_media_id],
            |row| {
                Ok(Comment {
                    ig_comment_id: row.get(0)?,
                    ig_media_id: row.get(1)?,
                    parent_ig_comment_id: row.get(2)?,
                    username: row.get(3)?,
                    text: row.get(4)?,
                    commented_at: row.opt_instant(5)?,
                    source: row.get(6)?,
                })
            },
        )
    }

    /// The account's mentions, oldest first.
    pub fn mentions(&self, account: AccountId) -> Result<Vec<Mention>, StoreError> {
        self.all(
            "SELECT ig_media_id, ig_comment_id, username, text, mentioned_at FROM mention
             WHERE account_id = ?1 ORDER BY mentioned_at, ig_media_id, ig_comment_id",
            [account],
            |row| {
                Ok(Mention {
                    ig_media_id: row.get(0)?,
                    ig_comment_id: Some(row.get::<_, String>(1)?).filter(|c| !c.is_empty()),
                    username: row.get(2)?,
                    text: row.get(3)?,
                    mentioned_at: row.opt_instant(4)?,
                })
            },
        )
    }

    /// Archived responses fetched in `fetched`, optionally only those whose endpoint starts
    /// with `endpoint_prefix`, oldest first.
    pub fn raw_responses(
        &self,
        fetched: TimeRange,
        endpoint_prefix: Option<&str>,
    ) -> Result<Vec<RawResponseInfo>, StoreError> {
        let (start, end) = fetched.unix();
        self.all(
            "SELECT id, account_id, endpoint, api_version, body_sha256, body_len, fetched_at
             FROM raw_response
             WHERE fetched_at >= ?1 AND fetched_at < ?2
               AND (?3 IS NULL OR substr(endpoint, 1, length(?3)) = ?3)
             ORDER BY fetched_at, id",
            params![start, end, endpoint_prefix],
            |row| {
                Ok(RawResponseInfo {
                    id: row.get(0)?,
                    account_id: row.get(1)?,
                    endpoint: row.get(2)?,
                    api_version: row.get(3)?,
                    body_sha256: row.get(4)?,
                    body_len: row.get(5)?,
                    fetched_at: row.instant(6)?,
                })
            },
        )
    }

    /// The uncompressed body of an archived response.
    pub fn raw_response_body(&self, id: RawResponseId) -> Result<Option<Vec<u8>>, StoreError> {
        let stored: Option<(Vec<u8>, i64)> = self.one(
            "SELECT body_zlib, body_len FROM raw_response WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        stored
            .map(|(blob, len)| {
                archive::decompress(&blob, usize::try_from(len).unwrap_or(0))
                    .map_err(StoreError::Archive)
            })
            .transpose()
    }
}

const SYNC_RUN_COLUMNS: &str =
    "id, account_id, started_by, status, started_at, finished_at, error, resume_state";

fn sync_run_from_row(row: &Row<'_>) -> rusqlite::Result<SyncRun> {
    Ok(SyncRun {
        id: row.get(0)?,
        account_id: row.get(1)?,
        started_by: row.get(2)?,
        status: row.get(3)?,
        started_at: row.instant(4)?,
        finished_at: row.opt_instant(5)?,
        error: row.get(6)?,
        resume_state: row.get(7)?,
        counters: BTreeMap::new(),
        warnings: Vec::new(),
    })
}

fn with_counters_and_warnings(conn: &Connection, mut run: SyncRun) -> rusqlite::Result<SyncRun> {
    run.counters = conn
        .prepare_cached("SELECT name, value FROM sync_run_counter WHERE run_id = ?1")?
        .query_map([run.id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    run.warnings = conn
        .prepare_cached("SELECT message FROM sync_run_warning WHERE run_id = ?1 ORDER BY id")?
        .query_map([run.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(run)
}

fn fetch_state_from_row(row: &Row<'_>) -> rusqlite::Result<FetchState> {
    Ok(FetchState {
        data_kind: row.get(0)?,
        fetched_at: row.instant(1)?,
        cursor: row.get(2)?,
    })
}
