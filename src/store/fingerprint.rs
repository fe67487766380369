//! What a feed's items are, in a few bytes: a run where nothing changed can tell, without
//! reading and rendering every item's HTML, that its feed files would come out the same.
//!
//! A row is rewritten only when its `content_hash` changes (it covers every field a reader sees
//! but the dates of record and categories, see `upsert::content_hash`), so the hash, those
//! dates and the categories stand for the whole row.

use rusqlite::Row;
use sha2::{Digest, Sha256};

use super::read::CATEGORIES_OF;
use super::{Store, StoreError};

/// The newest rows of a category feed, as `recent` reads them, without their content.
const VERSIONS_IN_CATEGORY: &str = "
SELECT i.key, i.content_hash, i.updated, i.first_seen, c.name, c.slug, i.source_id
FROM item_categories c JOIN items i ON i.key = c.key
WHERE c.slug = ?1
ORDER BY c.sort_ts DESC, c.key ASC
LIMIT ?2";

/// The newest rows of the all-items feed (?1 unused, as in `recent`).
const VERSIONS_ALL: &str = "
SELECT key, content_hash, updated, first_seen, category, category_slug, source_id
FROM items
ORDER BY sort_ts DESC, key ASC
LIMIT ?2";

/// The version of a feed's items: how many there are, and a hash of what [`Store::recent`]
/// would return for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedVersion {
    pub items: usize,
    /// Hex SHA-256.
    pub hash: String,
}

impl Store {
    /// The [`FeedVersion`] of `recent(category_slug, limit)`: equal versions mean equal items,
    /// in the same order, with the same categories.
    pub fn feed_version(&self, category_slug: Option<&str>, limit: usize) -> Result<FeedVersion, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let (sql, slug) = match category_slug {
            Some(slug) => (VERSIONS_IN_CATEGORY, slug),
            None => (VERSIONS_ALL, ""),
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut categories_of = self.conn.prepare_cached(CATEGORIES_OF)?;
        let mut hasher = Sha256::new();
        hasher.update(b"tinfeed feed items v1");
        let mut items = 0;
        let mut rows = stmt.query(rusqlite::params![slug, limit])?;
        while let Some(row) = rows.next()? {
            items += 1;
            for column in 0..7 {
                field(&mut hasher, &text(row, column)?);
            }
            let key = text(row, 0)?;
            let mut names = categories_of.query([&key])?;
            while let Some(name) = names.next()? {
                field(&mut hasher, &text(name, 0)?);
            }
            hasher.update([0xff]);
        }
        let hash = hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect();
        Ok(FeedVersion { items, hash })
    }
}

fn text(row: &Row<'_>, column: usize) -> rusqlite::Result<String> {
    row.get(column)
}

/// One field, length first, so that no two lists of fields hash alike.
fn field(hasher: &mut Sha256, text: &str) {
    hasher.update((text.len() as u64).to_le_bytes());
    hasher.update(text.as_bytes());
}
