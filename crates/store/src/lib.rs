//! The local SQLite store: every reading Insightdesk ever took of an Instagram account.
//!
//! One file per profile; the caller passes its path (the app resolves `--data-dir` /
//! `INSIGHTDESK_DATA_DIR`). The file runs in WAL mode with foreign keys on, `synchronous=NORMAL`
//! (with WAL a committed transaction survives a killed process; only a power cut can take the
//! last few commits, never leave a half one) and a busy timeout, so the desktop app and
//! `insightdesk sync` from cron can share it.
//!
//! * Writing: [`Store::batch`] (or [`Store::write`]) opens one transaction, a [`WriteBatch`];
//!   everything written through it — readings, the sync run's progress cursor and counters —
//!   lands together or not at all. Every write is an upsert on the row's natural key, so
//!   writing the same reading again never adds a row.
//! * Reading: the dashboard's and the reports' queries are methods on [`Store`] (see `read`).
//! * Proving: [`Store::canonical_dump`] prints the whole content minus the columns that only
//!   say when Insightdesk fetched something, so a test can show that a killed and resumed sync
//!   ends where an uninterrupted one does; [`Store::integrity_check`] runs SQLite's checks.
//! * Exporting: [`Store::export_rows`] walks every table in a stable order for the CSV export.
//!
//! Time: instants are stored as unix seconds (UTC), calendar days as `YYYY-MM-DD` text; see
//! `time.rs`. Nothing reads the clock: every write that records a time takes it as an argument.

mod archive;
mod error;
mod export;
mod median;
mod migrate;
mod model;
mod read;
mod time;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use error::{BUSY_TIMEOUT_SECONDS, StoreError};
pub use export::{ExportColumn, ExportTable, ExportValue};
pub use median::value_at_age;
pub use migrate::{APPLICATION_ID, SCHEMA_VERSION};
pub use model::*;
pub use read::{MediaFilter, MediaQuery, MediaSort, POSTING_TIME_METRICS, PeerQuery};
pub use write::{
    AccountDailyValue, AccountWindowValue, ArchivedResponse, DemographicsSnapshot, FollowersCounts,
    WriteBatch,
};

use error::AtPath;
use migrate::FileKind;

/// The page cache each connection keeps, in KiB. The dashboard's working set (indexes of the
/// media and reading tables of a few years) fits, so repeated queries do not touch the disk.
const CACHE_KIB: i64 = 32 * 1024;

/// An open store. One connection: give each thread its own `Store` (opening is cheap and WAL
/// lets readers run beside a writer).
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    ///
    /// Fails with [`StoreError::TooNew`] for a file from a newer Insightdesk and
    /// [`StoreError::NotInsightdesk`] for any other database or file, in both cases without
    /// writing to it.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_owned();
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(&path, flags).at(&path)?;
        conn.busy_timeout(Duration::from_secs(BUSY_TIMEOUT_SECONDS))
            .at(&path)?;

        let version = match migrate::inspect(&conn).at(&path)? {
            FileKind::Empty => 0,
            FileKind::Insightdesk { version } if version > SCHEMA_VERSION => {
                return Err(StoreError::TooNew {
                    found: version,
                    supported: SCHEMA_VERSION,
                });
            }
            FileKind::Insightdesk { version } => version,
            FileKind::Foreign => return Err(StoreError::NotInsightdesk { path }),
        };

        let journal: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .at(&path)?;
        if !journal.eq_ignore_ascii_case("wal") {
            // WAL cannot be used on some network file systems; SQLite then keeps its rollback
            // journal, which is just as safe, only slower with concurrent readers.
            log::warn!("store: {} runs in journal mode {journal}", path.display());
        }
        conn.pragma_update(None, "foreign_keys", true).at(&path)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .at(&path)?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)
            .at(&path)?;
        migrate::apply(&mut conn, version).at(&path)?;
        Ok(Self { conn, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file (always [`SCHEMA_VERSION`] after `open`).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .at(&self.path)
    }

    /// Starts one atomic write. Nothing is visible to other connections until
    /// [`WriteBatch::commit`]; dropping the batch without committing rolls it back.
    ///
    /// The transaction takes the write lock at once, so two writers queue up (for up to
    /// [`BUSY_TIMEOUT_SECONDS`]) instead of failing halfway through.
    pub fn batch(&mut self) -> Result<WriteBatch<'_>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .at(&self.path)?;
        Ok(WriteBatch::new(tx, &self.path))
    }

    /// Runs `f` in one [`WriteBatch`] and commits if it returns `Ok`; any error rolls back
    /// everything `f` wrote.
    pub fn write<T, E>(
        &mut self,
        f: impl FnOnce(&mut WriteBatch<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut batch = self.batch()?;
        let value = f(&mut batch)?;
        batch.commit()?;
        Ok(value)
    }

    /// SQLite's `integrity_check` (structure, indexes, constraints) and `foreign_key_check`.
    /// Damage is reported as problems, not as an error, even where SQLite gives up on the
    /// check itself.
    pub fn integrity_check(&self) -> Result<IntegrityReport, StoreError> {
        let mut problems = Vec::new();
        let checks = self
            .integrity_problems(&mut problems)
            .and_then(|()| self.foreign_key_problems(&mut problems));
        match checks {
            Ok(()) => {}
            Err(error)
                if matches!(
                    error.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
                ) =>
            {
                problems.push(error.to_string());
            }
            Err(error) => return Err(StoreError::from_sqlite(error, &self.path)),
        }
        Ok(IntegrityReport { problems })
    }

    fn integrity_problems(&self, problems: &mut Vec<String>) -> rusqlite::Result<()> {
        let mut check = self.conn.prepare("PRAGMA integrity_check")?;
        let mut rows = check.query([])?;
        while let Some(row) = rows.next()? {
            let line: String = row.get(0)?;
            if line != "ok" {
                problems.push(line);
            }
        }
        Ok(())
    }

    fn foreign_key_problems(&self, problems: &mut Vec<String>) -> rusqlite::Result<()> {
        let mut check = self.conn.prepare("PRAGMA foreign_key_check")?;
        let mut rows = check.query([])?;
        while let Some(row) = rows.next()? {
            problems.push(format!(
                "row {} of {} points at a missing {} row",
                row.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                row.get::<_, String>(0)?,
                row.get::<_, String>(2)?
            ));
        }
        Ok(())
    }

    /// Caps the database file at about `max_bytes` for this connection: a write that would
    /// grow it further fails with [`StoreError::DiskFull`] and leaves the stored data as it
    /// was. Returns the cap SQLite settled on (never below the current size). Useful to keep a
    /// profile inside a quota, and how the tests simulate a full disk.
    pub fn limit_file_size(&self, max_bytes: u64) -> Result<u64, StoreError> {
        let page_size: u64 = self
            .conn
            .pragma_query_value(None, "page_size", |r| r.get(0))
            .at(&self.path)?;
        let pages = (max_bytes / page_size.max(1)).max(1);
        let settled: u64 = self
            .conn
            .pragma_update_and_check(None, "max_page_count", pages, |r| r.get(0))
            .at(&self.path)?;
        Ok(settled * page_size)
    }

    /// The size of the database's content in bytes (pages in use times page size; the WAL
    /// file is not counted).
    pub fn size_bytes(&self) -> Result<u64, StoreError> {
        let pages: u64 = self
            .conn
            .pragma_query_value(None, "page_count", |r| r.get(0))
            .at(&self.path)?;
        let page_size: u64 = self
            .conn
            .pragma_query_value(None, "page_size", |r| r.get(0))
            .at(&self.path)?;
        Ok(pages * page_size)
    }

    /// Writes the WAL back into the main file and truncates it (e.g. before copying the file
    /// for a backup).
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .at(&self.path)
    }

    /// Refreshes the query planner's statistics; cheap, and worth running after a large
    /// backfill.
    pub fn optimize(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("PRAGMA optimize").at(&self.path)
    }
}
