//! Reading feeds back: the newest items of a category, or of every category.
//!
//! Order is `sort_ts DESC, key ASC`, where `sort_ts` is the published time, else the first-seen
//! time (unix seconds): the same items always come back in the same order, so the same feed
//! bytes come out.

use chrono::{DateTime, FixedOffset};
use rusqlite::types::ValueRef;
use rusqlite::{OptionalExtension, Row};

use super::{Store, StoreError, parse_date};
use crate::model::{Item, StoredItem};

/// The names of the item `i`'s categories, as a JSON array sorted by SQLite's binary collation
/// (UTF-8 byte order, the same as sorting Rust strings): read with the item's row, rather than
/// by one more query per item. (An aggregate's `ORDER BY` needs SQLite 3.44; ours is bundled.)
macro_rules! categories_of_i {
    () => {
        "(SELECT json_group_array(name ORDER BY name) FROM item_categories WHERE key = i.key)"
    };
}
pub(super) use categories_of_i;

/// A category feed: `category`/`category_slug` are the feed's own, so a publisher filing the
/// item under this feed's category gets the right label for an item listed in two.
const RECENT_IN_CATEGORY: &str = concat!(
    "
SELECT i.key, i.url, i.title, i.summary, i.content_html, i.published, i.author, i.image,
       c.name, c.slug, i.source_id, i.first_seen, i.updated, i.content_hash, ",
    categories_of_i!(),
    "
FROM item_categories c JOIN items i ON i.key = c.key
WHERE c.slug = ?1
ORDER BY c.sort_ts DESC, c.key ASC"
);

/// The all-items feed: each item once, under the category it was first filed under.
const RECENT_ALL: &str = concat!(
    "
SELECT i.key, i.url, i.title, i.summary, i.content_html, i.published, i.author, i.image,
       i.category, i.category_slug, i.source_id, i.first_seen, i.updated, i.content_hash, ",
    categories_of_i!(),
    "
FROM items i
ORDER BY i.sort_ts DESC, i.key ASC"
);

/// `sql` with its `LIMIT` written in. SQLite (3.54) plans a statement whose `LIMIT` is a
/// parameter again whenever its bindings are cleared, and `rusqlite` clears them each time a
/// cached statement goes back to the cache: a bound `LIMIT` made every feed re-plan its query.
pub(super) fn limited(sql: &str, limit: usize) -> String {
    format!("{sql}\nLIMIT {}", i64::try_from(limit).unwrap_or(i64::MAX))
}

/// The names of the categories of the row's item, read from the JSON array of
/// [`categories_of_i`] in `column`.
pub(super) fn category_names(row: &Row<'_>, column: usize) -> rusqlite::Result<Vec<String>> {
    let json = row.get_ref(column)?.as_str()?;
    serde_json::from_str(json).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The latest content edit or filing among a category's items (both change the feed).
const UPDATED_IN_CATEGORY: &str = "
SELECT at FROM (
    SELECT i.updated AS at, i.updated_ts AS ts
    FROM item_categories c JOIN items i ON i.key = c.key WHERE c.slug = ?1
    UNION ALL
    SELECT filed_at, filed_ts FROM item_categories WHERE slug = ?1
)
ORDER BY ts DESC, at DESC
LIMIT 1";

const UPDATED_ALL: &str = "
SELECT at FROM (
    SELECT updated AS at, updated_ts AS ts FROM items
    UNION ALL
    SELECT filed_at, filed_ts FROM item_categories
)
ORDER BY ts DESC, at DESC
LIMIT 1";

/// One row as SQLite returns it, before dates are parsed (parsing can fail, rows cannot).
struct RawRow {
    key: String,
    url: String,
    title: String,
    summary: String,
    content_html: Option<String>,
    published: Option<String>,
    author: Option<String>,
    image: Option<String>,
    category: String,
    category_slug: String,
    source_id: String,
    first_seen: String,
    updated: String,
    content_hash: String,
    categories: Vec<String>,
}

impl RawRow {
    fn read(row: &Row<'_>) -> rusqlite::Result<RawRow> {
        Ok(RawRow {
            key: row.get(0)?,
            url: row.get(1)?,
            title: row.get(2)?,
            summary: row.get(3)?,
            content_html: html_column(row, 4)?,
            published: row.get(5)?,
            author: row.get(6)?,
            image: row.get(7)?,
            category: row.get(8)?,
            category_slug: row.get(9)?,
            source_id: row.get(10)?,
            first_seen: row.get(11)?,
            updated: row.get(12)?,
            content_hash: row.get(13)?,
            categories: category_names(row, 14)?,
        })
    }

    fn into_stored(self) -> Result<StoredItem, StoreError> {
        let published = match &self.published {
            Some(text) => Some(parse_date(text, &self.key, "published")?),
            None => None,
        };
        let first_seen = parse_date(&self.first_seen, &self.key, "first_seen")?;
        let updated = parse_date(&self.updated, &self.key, "updated")?;
        Ok(StoredItem {
            item: Item {
                key: self.key,
                url: self.url,
                title: self.title,
                summary: self.summary,
                content_html: self.content_html,
                published,
                author: self.author,
                image: self.image,
                category: self.category,
                category_slug: self.category_slug,
                source_id: self.source_id,
            },
            first_seen,
            updated,
            content_hash: self.content_hash,
            categories: self.categories,
        })
    }
}

/// The article HTML of a row. Its UTF-8 is checked by `simdutf8`: it is the longest text read
/// back, mostly not ASCII, and the standard check of it was most of what reading a feed's items
/// cost. Anything but text (or NULL) gets `rusqlite`'s own answer.
fn html_column(row: &Row<'_>, column: usize) -> rusqlite::Result<Option<String>> {
    match row.get_ref(column)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(bytes) => match simdutf8::basic::from_utf8(bytes) {
            Ok(text) => Ok(Some(text.to_owned())),
            Err(_) => row.get(column),
        },
        _ => row.get(column),
    }
}

impl Store {
    /// The newest `limit` items of a category (`None`: every category, each item once), newest
    /// first, ties broken by key. Each carries the names of all its categories, sorted.
    pub fn recent(&self, category_slug: Option<&str>, limit: usize) -> Result<Vec<StoredItem>, StoreError> {
        let sql = if category_slug.is_some() { RECENT_IN_CATEGORY } else { RECENT_ALL };
        let mut stmt = self.conn.prepare_cached(&limited(sql, limit))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(category_slug), RawRow::read)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(RawRow::into_stored).collect()
    }

    /// When a feed last changed: the latest `updated` or filing time among all the items of the
    /// category (`None`: of every item), with its original offset; `None` for an empty feed.
    /// It covers every stored item, not just the newest N a feed shows.
    pub fn category_updated(
        &self,
        category_slug: Option<&str>,
    ) -> Result<Option<DateTime<FixedOffset>>, StoreError> {
        let text: Option<String> = match category_slug {
            Some(slug) => self
                .conn
                .prepare_cached(UPDATED_IN_CATEGORY)?
                .query_row([slug], |row| row.get(0))
                .optional()?,
            None => self.conn.prepare_cached(UPDATED_ALL)?.query_row([], |row| row.get(0)).optional()?,
        };
        text.map(|text| parse_date(&text, category_slug.unwrap_or("all items"), "updated")).transpose()
    }
}
