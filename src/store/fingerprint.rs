//! What a feed's items are, in a few bytes: a run where nothing changed can tell, without
//! reading and rendering every item's HTML, that its feed files would come out the same.
//!
//! A row is rewritten only when its `content_hash` changes (it covers every field a reader sees
//! but the dates of record and categories, see `upsert::content_hash`), so the hash, those
//! dates and the categories stand for the whole row.

use rusqlite::Row;
use sha2::{Digest, Sha256};

use super::read::{categories_of_i, category_names, limited};
use super::{Store, StoreError};

/// The newest rows of a category feed, as `recent` reads them, without their content.
const VERSIONS_IN_CATEGORY: &str = concat!(
    "
SELECT i.key, i.content_hash, i.updated, i.first_seen, c.name, c.slug, i.source_id, ",
    categories_of_i!(),
    "
FROM item_categories c JOIN items i ON i.key = c.key
WHERE c.slug = ?1
ORDER BY c.sort_ts DESC, c.key ASC"
);

/// The newest rows of the all-items feed.
const VERSIONS_ALL: &str = concat!(
    "
SELECT i.key, i.content_hash, i.updated, i.first_seen, i.category, i.category_slug, i.source_id, ",
    categories_of_i!(),
    "
FROM items i
ORDER BY i.sort_ts DESC, i.key ASC"
);

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
        let sql = if category_slug.is_some() { VERSIONS_IN_CATEGORY } else { VERSIONS_ALL };
        let mut stmt = self.conn.prepare_cached(&limited(sql, limit))?;
        let mut hasher = Sha256::new();
        hasher.update(b"tinfeed feed items v1");
        let mut items = 0;
        let mut rows = stmt.query(rusqlite::params_from_iter(category_slug))?;
        while let Some(row) = rows.next()? {
            items += 1;
            for column in 0..7 {
                field(&mut hasher, &text(row, column)?);
            }
            for name in category_names(row, 7)? {
                field(&mut hasher, &name);
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
