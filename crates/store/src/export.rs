//! Every table's rows in a stable order, for the CSV export and for the canonical dump.
//!
//! Rows are exported by their natural keys (Meta's ids, metric names), never by this file's
//! internal row ids, which depend on the order rows were first written: two stores with the same
//! content export the same rows even if a sync wrote them in a different order. The canonical
//! dump is the export without the columns that only record when Insightdesk fetched something
//! (and without archived bodies, which it replaces by their hash).

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::Row;
use serde::Serialize;

use crate::Store;
use crate::archive;
use crate::error::{AtPath, StoreError};
use crate::migrate::SCHEMA_VERSION;
use crate::time::{from_unix, parse_day};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Real,
    Text,
    /// Unix seconds, exported as ISO-8601 UTC.
    Instant,
    Day,
    /// A zlib blob, exported as its uncompressed text.
    CompressedText,
}

/// One exported column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportColumn {
    pub name: &'static str,
    kind: Kind,
    /// False for the columns the canonical dump leaves out.
    pub in_dump: bool,
}

const fn col(name: &'static str, kind: Kind) -> ExportColumn {
    ExportColumn {
        name,
        kind,
        in_dump: true,
    }
}

/// A column that records when Insightdesk did something, left out of the dump.
const fn volatile(name: &'static str, kind: Kind) -> ExportColumn {
    ExportColumn {
        name,
        kind,
        in_dump: false,
    }
}

impl ExportColumn {
    /// Whether the column holds calendar days (`YYYY-MM-DD`) rather than instants or values.
    pub fn is_day(&self) -> bool {
        self.kind == Kind::Day
    }
}

/// Whose rows a table holds, and so which of them an export of one account keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// Rows of one account: those for which this SQL condition holds, `?1` being the
    /// account's Instagram id.
    Account(&'static str),
    /// Rows that belong to no account and tell nothing about one (the names of metrics):
    /// exported whole either way.
    Nobody,
    /// The profile's own rows (settings, which also list every account's reports): left out
    /// of an export of one account.
    Profile,
}

/// The media rows of the account `?1`, for tables that reach the account through a post.
const MEDIA_OF_ACCOUNT: &str = "m.account_id IN (SELECT id FROM account WHERE ig_user_id = ?1)";

/// The sync runs of the account `?1`, for tables that reach the account through a run.
const RUN_OF_ACCOUNT: &str = "run_id IN (SELECT r.id FROM sync_run r \
     JOIN account a ON a.id = r.account_id WHERE a.ig_user_id = ?1)";

/// One exported table: its name (the CSV file's) and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportTable {
    pub name: &'static str,
    pub columns: &'static [ExportColumn],
    /// The query without its order: an export of one account adds a `WHERE` between the two.
    select: &'static str,
    order_by: &'static str,
    owner: Owner,
}

use Kind::{CompressedText, Day, Instant, Integer, Real, Text};

const TABLES: &[ExportTable] = &[
    ExportTable {
        name: "account",
        columns: &[
            col("ig_user_id", Text),
            col("login_kind", Text),
            col("username", Text),
            col("name", Text),
            col("profile_picture_url", Text),
            volatile("fetched_at", Instant),
        ],
        select: "SELECT ig_user_id, login_kind, username, name, profile_picture_url, fetched_at
              FROM account",
        order_by: "ig_user_id",
        owner: Owner::Account("ig_user_id = ?1"),
    },
    ExportTable {
        name: "metric",
        columns: &[col("name", Text)],
        select: "SELECT name FROM metric",
        order_by: "name",
        owner: Owner::Nobody,
    },
    ExportTable {
        name: "media",
        columns: &[
            col("account", Text),
            col("ig_media_id", Text),
            col("product_type", Text),
            col("media_type", Text),
            col("posted_at", Instant),
            col("caption", Text),
            col("permalink", Text),
            col("media_url", Text),
            col("thumbnail_url", Text),
            volatile("fetched_at", Instant),
        ],
        select: "SELECT a.ig_user_id, m.ig_media_id, m.product_type, m.media_type, m.posted_at,
                     m.caption, m.permalink, m.media_url, m.thumbnail_url, m.fetched_at
              FROM media m JOIN account a ON a.id = m.account_id",
        order_by: "m.ig_media_id",
        owner: Owner::Account("a.ig_user_id = ?1"),
    },
    ExportTable {
        name: "media_metric",
        columns: &[
            col("ig_media_id", Text),
            col("metric", Text),
            col("captured_at", Instant),
            col("age_seconds", Integer),
            col("value", Real),
        ],
        select: "SELECT m.ig_media_id, mt.name, r.captured_at, r.age_seconds, r.value
              FROM media_metric r JOIN media m ON m.id = r.media_id
              JOIN metric mt ON mt.id = r.metric_id",
        order_by: "m.ig_media_id, mt.name, r.captured_at",
        owner: Owner::Account(MEDIA_OF_ACCOUNT),
    },
    ExportTable {
        name: "media_metric_breakdown",
        columns: &[
            col("ig_media_id", Text),
            col("metric", Text),
            col("captured_at", Instant),
            col("dimension", Text),
            col("dimension_value", Text),
            col("value", Real),
        ],
        select: "SELECT m.ig_media_id, mt.name, r.captured_at, r.dimension, r.dimension_value,
                     r.value
              FROM media_metric_breakdown r JOIN media m ON m.id = r.media_id
              JOIN metric mt ON mt.id = r.metric_id",
        order_by: "m.ig_media_id, mt.name, r.captured_at, r.dimension, r.dimension_value",
        owner: Owner::Account(MEDIA_OF_ACCOUNT),
    },
    ExportTable {
        name: "account_daily",
        columns: &[
            col("account", Text),
            col("metric", Text),
            col("day", Day),
            col("dimension", Text),
            col("dimension_value", Text),
            col("value", Real),
            volatile("fetched_at", Instant),
        ],
        select: "SELECT a.ig_user_id, mt.name, d.day, d.dimension, d.dimension_value, d.value,
                     d.fetched_at
              FROM account_daily d JOIN account a ON a.id = d.account_id
              JOIN metric mt ON mt.id = d.metric_id",
        order_by: "a.ig_user_id, mt.name, d.dimension, d.day, d.dimension_value",
        owner: Owner::Account("a.ig_user_id = ?1"),
    },
    ExportTable {
        name: "account_window",
        columns: &[
            col("account", Text),
            col("metric", Text),
            col("first_day", Day),
            col("last_day", Day),
            col("dimension", Text),
            col("dimension_value", Text),
            col("value", Real),
            volatile("fetched_at", Instant),
        ],
        select: "SELECT a.ig_user_id, mt.name, w.first_day, w.last_day, w.dimension,
                     w.dimension_value, w.value, w.fetched_at
              FROM account_window w JOIN account a ON a.id = w.account_id
              JOIN metric mt ON mt.id = w.metric_id",
        order_by: "a.ig_user_id, mt.name, w.dimension, w.first_day, w.last_day, w.dimension_value",
        owner: Owner::Account("a.ig_user_id = ?1"),
    },
    ExportTable {
        name: "followers_snapshot",
        columns: &[
            col("account", Text),
            col("day", Day),
            col("followers_count", Integer),
            col("follows_count", Integer),
            col("media_count", Integer),
            volatile("fetched_at", Instant),
        ],
        select: "SELECT a.ig_user_id, f.day, f.followers_count, f.follows_count, f.media_count,
                     f.fetched_at
              FROM followers_snapshot f JOIN account a ON a.id = f.account_id",
        order_by: "a.ig_user_id, f.day",
        owner: Owner::Account("a.ig_user_id = ?1"),
    },
    ExportTable {
        name: "demographics",
        columns: &[
            col("account", Text),
            col("metric", Text),
            col("timeframe", Text),
            col("dimension", Text),
            col("snapshot_day", Day),
            col("dimension_value", Text),
            col("value", Real),
            volatile("fetched_at", Instant),
        ],
        select: "SELECT a.ig_user_id, mt.name, s.timeframe, s.dimension, s.snapshot_day,
                     b.dimension_value, b.value, s.fetched_at
              FROM demographics_snapshot s JOIN account a ON a.id = s.account_id
              JOIN metric mt ON mt.id = s.metric_id
              LEFT JOIN demographics_bucket b ON b.snapshot_id = s.id",
        order_by: "a.ig_user_id, mt.name, s.timeframe, s.dimension, s.snapshot_day, \
                   b.dimension_value",
        owner: Owner::Account("a.ig_user_id = ?1"),
    },
    ExportTable {
        name: "story",
        columns: &[
            col("ig_media_id", Text),
            col("capture_state", Text),
            col("seen_at", Instant),
        ],
        select: "SELECT m.ig_media_id, s.capture_state, s.seen_at
              FROM story s JOIN media m ON m.id = s.media_id",
        order_by: "m.ig_media_id",
        owner: Owner::Account(MEDIA_OF_ACCOUNT),
    },
    ExportTable {
        name: "raw_response",
        columns: &[
            col("account", Text),
            col("endpoint", Text),
            col("api_version", Text),
            col("body_sha256", Text),
            col("body_len", Integer),
            ExportColumn {
                name: "body",
                kind: CompressedText,
                in_dump: false,
            },
            volatile("fetched_at", Instant),
        ],
        select: "SELECT a.ig_user_id, r.endpoint, r.api_version, r.body_sha256, r.body_len,
                     r.body_zlib, r.fetched_at
              FROM raw_response r LEFT JOIN account a ON a.id = r.account_id",
        order_by: "r.endpoint, r.api_version, r.body_sha256",
        owner: Owner::Account("a.ig_user_id = ?1"),
    },
    ExportTable {
        name: "metric_exclusion",
        columns: &[
            col("account", Text),
            col("login_kind", Text),
            col("level", Text),
            col("product_type", Text),
            col("media_type", Text),
            col("metric_type", Text),
            col("metric", Text),
            col("reason", Text),
            col("api_version", Text),
            volatile("learned_at", Instant),
        ],
        select: "SELECT a.ig_user_id, e.login_kind, e.level, e.product_type, e.media_type,
                     e.metric_type, mt.name, e.reason, e.api_version, e.learned_at
              FROM metric_exclusion e JOIN account a ON a.id = e.account_id
              JOIN metric mt ON mt.id = e.metric_id",
        order_by: "a.ig_user_id, e.login_kind, e.level, e.product_type, e.media_type, \
                   e.metric_type, mt.name",
        owner: Owner::Account("a.ig_user_id = ?1"),
    },
    ExportTable {
        name: "sync_run",
        columns: &[
            col("id", Integer),
            col("account", Text),
            col("started_by", Text),
            col("status", Text),
            volatile("started_at", Instant),
            volatile("finished_at", Instant),
            col("error", Text),
            col("resume_state", Text),
        ],
        select: "SELECT r.id, a.ig_user_id, r.started_by, r.status, r.started_at, r.finished_at,
                     r.error, r.resume_state
              FROM sync_run r LEFT JOIN account a ON a.id = r.account_id",
        order_by: "r.id",
        owner: Owner::Account("a.ig_user_id = ?1"),
    },
    ExportTable {
        name: "sync_run_counter",
        columns: &[
            col("run_id", Integer),
            col("name", Text),
            col("value", Integer),
        ],
        select: "SELECT run_id, name, value FROM sync_run_counter",
        order_by: "run_id, name",
        owner: Owner::Account(RUN_OF_ACCOUNT),
    },
    ExportTable {
        name: "sync_run_warning",
        columns: &[col("run_id", Integer), col("message", Text)],
        select: "SELECT run_id, message FROM sync_run_warning",
        order_by: "run_id, id",
        owner: Owner::Account(RUN_OF_ACCOUNT),
    },
    ExportTable {
        name: "annotation",
        columns: &[
            col("id", Integer),
            col("account", Text),
            col("starts_at", Instant),
            col("ends_at", Instant),
            col("text", Text),
            col("created_at", Instant),
            col("updated_at", Instant),
        ],
        select: "SELECT n.id, a.ig_user_id, n.starts_at, n.ends_at, n.text, n.created_at,
                     n.updated_at
              FROM annotation n JOIN account a ON a.id = n.account_id",
        order_by: "n.id",
        owner: Owner::Account("a.ig_user_id = ?1"),
    },
    ExportTable {
        name: "comment",
        columns: &[
            col("account", Text),
            col("ig_comment_id", Text),
            col("ig_media_id", Text),
            col("parent_ig_comment_id", Text),
            col("username", Text),
            col("text", Text),
            col("commented_at", Instant),
            col("source", Text),
            volatile("fetched_at", Instant),
        ],
        select: "SELECT a.ig_user_id, c.ig_comment_id, c.ig_media_id, c.parent_ig_comment_id,
                     c.username, c.text, c.commented_at, c.source, c.fetched_at
              FROM comment c JOIN account a ON a.id = c.account_id",
        order_by: "c.ig_comment_id",
        owner: Owner::Account("a.ig_user_id = ?1"),
    },
    ExportTable {
        name: "mention",
        columns: &[
            col("account", Text),
            col("ig_media_id", Text),
            col("ig_comment_id", Text),
            col("username", Text),
            col("text", Text),
            col("mentioned_at", Instant),
            volatile("fetched_at", Instant),
        ],
        select: "SELECT a.ig_user_id, n.ig_media_id, n.ig_comment_id, n.username, n.text,
                     n.mentioned_at, n.fetched_at
              FROM mention n JOIN account a ON a.id = n.account_id",
        order_by: "a.ig_user_id, n.ig_media_id, n.ig_comment_id",
        owner: Owner::Account("a.ig_user_id = ?1"),
    },
    ExportTable {
        name: "alert_state",
        columns: &[
            col("account", Text),
            col("alert", Text),
            col("state", Text),
            col("last_fired_at", Instant),
            volatile("updated_at", Instant),
        ],
        select: "SELECT a.ig_user_id, s.alert, s.state, s.last_fired_at, s.updated_at
              FROM alert_state s JOIN account a ON a.id = s.account_id",
        order_by: "a.ig_user_id, s.alert",
        owner: Owner::Account("a.ig_user_id = ?1"),
    },
    ExportTable {
        name: "setting",
        columns: &[col("key", Text), col("value", Text)],
        select: "SELECT key, value FROM setting",
        order_by: "key",
        owner: Owner::Profile,
    },
    ExportTable {
        name: "fetch_state",
        columns: &[
            col("account", Text),
            col("data_kind", Text),
            volatile("fetched_at", Instant),
            col("cursor", Text),
        ],
        select: "SELECT a.ig_user_id, f.data_kind, f.fetched_at, f.cursor
              FROM fetch_state f JOIN account a ON a.id = f.account_id",
        order_by: "a.ig_user_id, f.data_kind",
        owner: Owner::Account("a.ig_user_id = ?1"),
    },
];

impl ExportTable {
    /// Every exported table, in a fixed order (parents before children).
    pub fn all() -> &'static [ExportTable] {
        TABLES
    }

    pub fn named(name: &str) -> Option<&'static ExportTable> {
        TABLES.iter().find(|t| t.name == name)
    }
}

/// One exported cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ExportValue {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Time(DateTime<Utc>),
    Day(NaiveDate),
}

/// How a cell reads in a CSV file: empty for null, ISO-8601 UTC for instants.
impl fmt::Display for ExportValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportValue::Null => Ok(()),
            ExportValue::Integer(v) => write!(f, "{v}"),
            ExportValue::Real(v) => write!(f, "{v}"),
            ExportValue::Text(v) => f.write_str(v),
            ExportValue::Time(v) => f.write_str(&v.to_rfc3339_opts(SecondsFormat::Secs, true)),
            ExportValue::Day(v) => write!(f, "{}", v.format(crate::time::DAY_FORMAT)),
        }
    }
}

fn cell(row: &Row<'_>, index: usize, kind: Kind) -> rusqlite::Result<ExportValue> {
    Ok(match kind {
        Integer => row
            .get::<_, Option<i64>>(index)?
            .map_or(ExportValue::Null, ExportValue::Integer),
        Real => row
            .get::<_, Option<f64>>(index)?
            .map_or(ExportValue::Null, ExportValue::Real),
        Text => row
            .get::<_, Option<String>>(index)?
            .map_or(ExportValue::Null, ExportValue::Text),
        Instant => match row.get::<_, Option<i64>>(index)? {
            Some(seconds) => ExportValue::Time(from_unix(index, seconds)?),
            None => ExportValue::Null,
        },
        Day => match row.get::<_, Option<String>>(index)? {
            Some(text) => ExportValue::Day(parse_day(index, &text)?),
            None => ExportValue::Null,
        },
        CompressedText => match row.get::<_, Option<Vec<u8>>>(index)? {
            Some(blob) => {
                let body = archive::decompress(&blob, blob.len() * 4).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        index,
                        rusqlite::types::Type::Blob,
                        Box::new(e),
                    )
                })?;
                ExportValue::Text(String::from_utf8_lossy(&body).into_owned())
            }
            None => ExportValue::Null,
        },
    })
}

impl ExportTable {
    /// The table's query: every row, or only those of the account with Instagram id `?1`.
    /// `None` when the table holds nothing of one account.
    fn query(&self, one_account: bool) -> Option<String> {
        match (one_account, self.owner) {
            (false, _) | (true, Owner::Nobody) => {
                Some(format!("{} ORDER BY {}", self.select, self.order_by))
            }
            (true, Owner::Account(condition)) => Some(format!(
                "{} WHERE {condition} ORDER BY {}",
                self.select, self.order_by
            )),
            (true, Owner::Profile) => None,
        }
    }
}

impl Store {
    /// Calls `visit` with every row of `table`, in the table's stable order, inside one read
    /// transaction (the export is one consistent snapshot). Rows are streamed, not collected.
    pub fn export_rows<E>(
        &self,
        table: &ExportTable,
        visit: impl FnMut(&[ExportValue]) -> Result<(), E>,
    ) -> Result<(), E>
    where
        E: From<StoreError>,
    {
        self.export_account_rows(table, None, visit)
    }

    /// [`Store::export_rows`] narrowed to one account (its Instagram id) when `account` is
    /// given: that account's rows, the names of metrics, and none of the profile's settings
    /// (they list every account's reports). An id the store does not know gives no rows.
    pub fn export_account_rows<E>(
        &self,
        table: &ExportTable,
        account: Option<&str>,
        mut visit: impl FnMut(&[ExportValue]) -> Result<(), E>,
    ) -> Result<(), E>
    where
        E: From<StoreError>,
    {
        let Some(sql) = table.query(account.is_some()) else {
            return Ok(());
        };
        let tx = self.conn.unchecked_transaction().at(&self.path)?;
        {
            let mut statement = tx.prepare(&sql).at(&self.path)?;
            let parameter = match table.owner {
                Owner::Account(_) => account,
                Owner::Nobody | Owner::Profile => None,
            };
            let mut rows = match parameter {
                Some(ig_user_id) => statement.query([ig_user_id]),
                None => statement.query([]),
            }
            .at(&self.path)?;
            let mut values = Vec::with_capacity(table.columns.len());
            while let Some(row) = rows.next().at(&self.path)? {
                values.clear();
                for (index, column) in table.columns.iter().enumerate() {
                    values.push(cell(row, index, column.kind).at(&self.path)?);
                }
                visit(&values)?;
            }
        }
        tx.finish().at(&self.path)?;
        Ok(())
    }

    /// The whole content as deterministic text: per table a header line and one JSON array per
    /// row, without the columns that only say when Insightdesk fetched something (fetch,
    /// learn and update times, sync-run start and end) and with archived bodies as their hash.
    /// Two stores holding the same readings dump the same text, whatever order and however
    /// many times the readings were written.
    pub fn canonical_dump(&self) -> Result<String, StoreError> {
        let mut dump = format!("insightdesk store, schema {SCHEMA_VERSION}\n");
        for table in TABLES {
            let names: Vec<&str> = table
                .columns
                .iter()
                .filter(|c| c.in_dump)
                .map(|c| c.name)
                .collect();
            let _ = writeln!(dump, "## {} ({})", table.name, names.join(", "));
            self.export_rows(table, |values| {
                let kept: Vec<&ExportValue> = values
                    .iter()
                    .zip(table.columns)
                    .filter(|(_, column)| column.in_dump)
                    .map(|(value, _)| value)
                    .collect();
                // Serializing plain values cannot fail; an error here would be a bug worth
                // seeing in the dump rather than a panic.
                let line = serde_json::to_string(&kept)
                    .unwrap_or_else(|e| format!("<unserializable row: {e}>"));
                dump.push_str(&line);
                dump.push('\n');
                Ok::<(), StoreError>(())
            })?;
        }
        Ok(dump)
    }

    /// How many rows each table of the schema holds, by table name.
    pub fn row_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let tables: Vec<String> = self
            .conn
            .prepare(
                "SELECT name FROM sqlite_schema
                 WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .at(&self.path)?;
        let mut counts = BTreeMap::new();
        for table in tables {
            // Table names come from sqlite_schema, not from the caller.
            let count: u64 = self
                .conn
                .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
                    r.get(0)
                })
                .at(&self.path)?;
            counts.insert(table, count);
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_export_query_selects_its_declared_columns() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("s.sqlite3")).unwrap();
        for table in TABLES {
            for one_account in [false, true] {
                let Some(sql) = table.query(one_account) else {
                    assert_eq!(table.owner, Owner::Profile, "{}", table.name);
                    continue;
                };
                let statement = store.conn.prepare(&sql).unwrap();
                assert_eq!(
                    statement.column_count(),
                    table.columns.len(),
                    "{} declares {} columns",
                    table.name,
                    table.columns.len()
                );
                let parameters = usize::from(one_account && table.owner != Owner::Nobody);
                assert_eq!(statement.parameter_count(), parameters, "{sql}");
            }
        }
    }

    #[test]
    fn cells_print_as_csv_expects() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        assert_eq!(ExportValue::Time(at).to_string(), "2023-11-14T22:13:20Z");
        assert_eq!(ExportValue::Null.to_string(), "");
        assert_eq!(ExportValue::Real(12.5).to_string(), "12.5");
        let day = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        assert_eq!(ExportValue::Day(day).to_string(), "2024-03-01");
    }
}
