//! Embedded, numbered schema migrations.
//!
//! Migration `n` is `migrations/000n_*.sql`, compiled into the binary. `PRAGMA user_version`
//! holds the number of the last one applied; each runs in its own transaction together with
//! the bump of `user_version`, so a crash mid-migration leaves the previous schema. A file whose
//! `user_version` is above [`SCHEMA_VERSION`] comes from a newer Insightdesk and is refused
//! before anything is written to it.

use rusqlite::{Connection, TransactionBehavior};

/// `PRAGMA application_id` of an Insightdesk store ('IDSK').
pub const APPLICATION_ID: i32 = 0x4944_534B;

/// Every migration in order; the position in the list is the version it brings the file to.
pub(crate) const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_initial.sql",
        include_str!("../migrations/0001_initial.sql"),
    ),
    (
        "0002_account_window.sql",
        include_str!("../migrations/0002_account_window.sql"),
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// What an existing file is, read before anything is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// New or empty: migrations start from 0.
    Empty,
    /// An Insightdesk store at this schema version.
    Insightdesk { version: u32 },
    /// Some other SQLite database.
    Foreign,
}

pub(crate) fn inspect(conn: &Connection) -> rusqlite::Result<FileKind> {
    let application_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if application_id == APPLICATION_ID {
        return Ok(FileKind::Insightdesk { version });
    }
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    if application_id == 0 && version == 0 && objects == 0 {
        Ok(FileKind::Empty)
    } else {
        Ok(FileKind::Foreign)
    }
}

/// Applies every migration above `from`, one transaction each.
pub(crate) fn apply(conn: &mut Connection, from: u32) -> rusqlite::Result<()> {
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let version = index + 1;
        log::info!("store: applying migration {name}");
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A migration file added to the folder but not to `MIGRATIONS` would never run; one
    /// listed out of order would run in the wrong order.
    #[test]
    fn every_migration_file_is_listed_in_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|(name, _)| *name).collect();
        assert_eq!(files, listed);
        for (index, name) in listed.iter().enumerate() {
            assert!(
                name.starts_with(&format!("{:04}_", index + 1)),
                "{name} is at position {}",
                index + 1
            );
        }
    }
}
