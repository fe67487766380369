//! Connection settings and schema migrations.
//!
//! Migrations are an append-only list: version N is `MIGRATIONS[N - 1]`. A shipped script is
//! never edited; a change is a new script, so every existing file reaches the same schema by
//! the same steps and no history is lost. Each script runs in its own transaction together with
//! its `schema_migrations` row, so a crash leaves the file at the previous version, not between.

use std::path::Path;
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use rusqlite::{Connection, TransactionBehavior, params};

use super::StoreError;

/// How long a connection waits for another writer (another process, another thread) before
/// giving up with "database is locked". Our transactions last milliseconds; 5 s covers a slow
/// disk without hanging a run forever.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Version 1: items, their categories, source health.
///
/// `item_categories.sort_ts` copies `items.sort_ts` (kept in step by a trigger) so that a
/// category feed is one range of one index: `(slug, sort_ts DESC, key)`.
pub(super) const V1: &str = "
CREATE TABLE items (
    key           TEXT PRIMARY KEY NOT NULL,
    url           TEXT NOT NULL,
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL,
    content_html  TEXT,
    published     TEXT,
    published_ts  INTEGER,
    author        TEXT,
    image         TEXT,
    category      TEXT NOT NULL,
    category_slug TEXT NOT NULL,
    source_id     TEXT NOT NULL,
    first_seen    TEXT NOT NULL,
    first_seen_ts INTEGER NOT NULL,
    updated       TEXT NOT NULL,
    updated_ts    INTEGER NOT NULL,
    content_hash  TEXT NOT NULL,
    sort_ts       INTEGER NOT NULL
) STRICT;
CREATE INDEX items_by_date ON items (sort_ts DESC, key);

CREATE TABLE item_categories (
    key      TEXT NOT NULL REFERENCES items (key) ON DELETE CASCADE,
    slug     TEXT NOT NULL,
    name     TEXT NOT NULL,
    sort_ts  INTEGER NOT NULL,
    filed_at TEXT NOT NULL,
    filed_ts INTEGER NOT NULL,
    PRIMARY KEY (key, slug)
) STRICT, WITHOUT ROWID;
CREATE INDEX item_categories_by_date ON item_categories (slug, sort_ts DESC, key);

CREATE TRIGGER item_categories_follow_sort_ts AFTER UPDATE OF sort_ts ON items
WHEN NEW.sort_ts IS NOT OLD.sort_ts
BEGIN
    UPDATE item_categories SET sort_ts = NEW.sort_ts WHERE key = NEW.key;
END;

CREATE TABLE sources (
    id                   TEXT PRIMARY KEY NOT NULL,
    last_success         TEXT,
    last_error           TEXT,
    last_error_at        TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0
) STRICT;
";

/// Version 2: what makes a run cheap and polite (issue 5).
///
/// - `pages`: each page a source fetched, with its validators (ETag, Last-Modified) for a
///   conditional GET next time and when it was fetched (an article is not fetched again unless
///   the source sets `refetch_interval`). Keyed by source too: an article listed in two
///   categories is fetched once by each, so each files it under its category.
/// - `robots`: each origin's robots.txt, trusted for a day, so an unchanged run sends no request
///   but the listing pages.
/// - `sources`: the class of the last error, and the backoff of a failing source: runs left to
///   skip, and the time a server's `Retry-After` asked us to wait until.
const V2: &str = "
CREATE TABLE pages (
    source_id     TEXT NOT NULL,
    url           TEXT NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    fetched_at    TEXT NOT NULL,
    PRIMARY KEY (source_id, url)
) STRICT, WITHOUT ROWID;

CREATE TABLE robots (
    origin     TEXT PRIMARY KEY NOT NULL,
    body       TEXT NOT NULL,
    fetched_at TEXT NOT NULL
) STRICT;

ALTER TABLE sources ADD COLUMN last_error_class TEXT;
ALTER TABLE sources ADD COLUMN skip_runs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN not_before TEXT;
";

/// Every migration, oldest first. Append only.
const MIGRATIONS: &[&str] = &[V1, V2];

/// The schema version this build creates and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Per-connection settings. The busy timeout comes first so that even switching to WAL waits
/// for a concurrent opener instead of failing.
///
/// `synchronous = NORMAL`: in WAL mode this never corrupts the file; a power cut (not a process
/// crash) may lose the last transactions. What they held is re-fetched on the next run, at the
/// cost of a later first-seen for an undated item; not worth an fsync on every commit.
pub(super) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        // Some file systems (network mounts) refuse WAL; the store still works, with readers
        // and the writer blocking each other.
        tracing::warn!(journal_mode = %mode, "the store could not switch to WAL mode");
    }
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
}

/// Brings the file up to [`SCHEMA_VERSION`], one migration per transaction. Each step re-reads
/// the version under the write lock, so two processes opening a new file at once apply each
/// migration exactly once.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let open_err = |source| StoreError::Open { path: path.to_path_buf(), source };
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(open_err)?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                applied_at TEXT NOT NULL
            )",
        )
        .map_err(open_err)?;
        let found: i64 = tx
            .query_row("SELECT coalesce(max(version), 0) FROM schema_migrations", [], |row| row.get(0))
            .map_err(open_err)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew { path: path.to_path_buf(), found, known: SCHEMA_VERSION });
        }
        if found == SCHEMA_VERSION {
            return tx.commit().map_err(open_err);
        }
        let version = found + 1;
        let migration_err = |source| StoreError::Migration { path: path.to_path_buf(), version, source };
        // A negative version (a hand-edited file) replays V1, which then fails loudly.
        let script = usize::try_from(found).ok().and_then(|i| MIGRATIONS.get(i)).unwrap_or(&V1);
        tx.execute_batch(script).map_err(migration_err)?;
        let applied_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            params![version, applied_at],
        )
        .map_err(migration_err)?;
        tx.commit().map_err(migration_err)?;
        tracing::info!(path = %path.display(), version, "store migrated");
    }
}
