//! Item history in SQLite (embedded, bundled): dedupe by key, first-seen, edits, the newest N
//! per category, and each source's last success and failure.
//!
//! One file, `<data_dir>/tinfeed.sqlite`, in WAL mode with a busy timeout, so a daemon and a
//! `tinfeed once` (or two threads) may share it: readers never block, writers queue. Every write
//! is one `BEGIN IMMEDIATE` transaction, so a crash leaves either the whole batch or none of it.
//!
//! - [`schema`]: connection settings and the append-only list of migrations.
//! - [`upsert`]: new / edited / unchanged items, category membership, what feeds changed.
//! - [`read`]: the newest items of a feed, as [`StoredItem`]s with their original offsets.
//! - [`fingerprint`]: the version of a feed's items, to skip rendering a feed that is current.
//! - [`sources`]: each source's last success and failure, and its backoff.
//! - [`pages`]: pages fetched (validators, fetch time) and robots.txt files, per origin.

mod fingerprint;
mod pages;
mod read;
mod schema;
mod sources;
mod upsert;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, SecondsFormat};
use rusqlite::OptionalExtension;
use thiserror::Error;

pub use fingerprint::FeedVersion;
pub use pages::{KnownPage, StoredRobots};
pub use schema::SCHEMA_VERSION;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot create the data directory `{path}`: {source}")]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error("cannot open the store `{path}`: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    /// The file was written by a newer tinfeed: we refuse rather than misread or damage it.
    #[error(
        "the store `{path}` has schema version {found} but this tinfeed knows only up to \
         {known}: upgrade tinfeed, or point `data_dir` at another directory"
    )]
    SchemaTooNew { path: PathBuf, found: i64, known: i64 },
    #[error("cannot apply migration {version} to the store `{path}`: {source}")]
    Migration { path: PathBuf, version: i64, source: rusqlite::Error },
    /// Only a hand-edited or damaged file gets here: the store writes RFC 3339 itself.
    #[error("the store holds `{value}` as {column} of `{row}`, which is not an RFC 3339 date")]
    BadDate { row: String, column: &'static str, value: String },
    #[error("store: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// What one `upsert` changed. Each distinct key of the batch is counted once, in exactly one of
/// `new`, `updated`, `recategorized`, `unchanged`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Upserted {
    /// Keys not stored before.
    pub new: usize,
    /// Keys whose reader-visible content changed (their `updated` moved to `now`).
    pub updated: usize,
    /// Keys with unchanged content that were filed under a category for the first time (or
    /// whose category name changed). Their `updated` stays, but the feeds that list them change.
    pub recategorized: usize,
    /// Keys stored already with the same content and categories: nothing was written.
    pub unchanged: usize,
    /// Category slugs whose feeds now differ: every category of every new, updated or
    /// recategorized item. The all-items feed changed exactly when this is not empty.
    pub changed_slugs: BTreeSet<String>,
}

impl Upserted {
    /// Whether any feed changed, the all-items feed included.
    pub fn changed(&self) -> bool {
        !self.changed_slugs.is_empty()
    }
}

/// A source's health as the store remembers it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceStatus {
    pub last_success: Option<DateTime<FixedOffset>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<FixedOffset>>,
    pub consecutive_failures: u32,
    /// The class of the last error (`timeout`, `http_5xx`, `layout`…), for metrics.
    pub last_error_class: Option<String>,
    /// Runs still to skip before the source is tried again (a failing source backs off).
    pub skip_runs: u32,
    /// The source is not tried before this time (the server's `Retry-After`).
    pub not_before: Option<DateTime<FixedOffset>>,
}

/// A handle on the store. Not `Sync`: give each thread (or task) its own `Store::open`; they
/// share the file safely.
pub struct Store {
    conn: rusqlite::Connection,
}

impl Store {
    /// Opens (creating if needed) `<data_dir>/tinfeed.sqlite`, creating `data_dir` too, and
    /// applies pending migrations. Fails with [`StoreError::SchemaTooNew`] on a file from a newer
    /// tinfeed.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::CreateDir { path: data_dir.to_path_buf(), source })?;
        let path = data_dir.join("tinfeed.sqlite");
        let mut conn = rusqlite::Connection::open(&path)
            .and_then(|conn| schema::configure(&conn).map(|()| conn))
            .map_err(|source| StoreError::Open { path: path.clone(), source })?;
        schema::migrate(&mut conn, &path)?;
        Ok(Store { conn })
    }

    /// Runs `read` on one snapshot of the store (a read transaction): its queries all see the
    /// same items, whatever another process writes meanwhile, and the file is locked once for
    /// them rather than once per query.
    pub fn snapshot<T, E: From<StoreError>>(&self, read: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let tx = self.conn.unchecked_transaction().map_err(StoreError::from)?;
        let out = read()?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Whether an item with this key is stored already.
    pub fn contains(&self, key: &str) -> Result<bool, StoreError> {
        let found = self
            .conn
            .prepare_cached("SELECT 1 FROM items WHERE key = ?1")?
            .query_row([key], |_| Ok(()))
            .optional()?;
        Ok(found.is_some())
    }
}

/// How the store writes dates: RFC 3339 with the original offset (never `Z`), fractions only
/// when present, so the text parses back to the same instant and offset.
fn rfc3339(at: DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// Parses a date the store wrote; `row` (an item key, a source id) and `column` name the
/// culprit if it does not parse.
fn parse_date(value: &str, row: &str, column: &'static str) -> Result<DateTime<FixedOffset>, StoreError> {
    DateTime::parse_from_rfc3339(value).map_err(|_| StoreError::BadDate {
        row: row.to_string(),
        column,
        value: value.to_string(),
    })
}
