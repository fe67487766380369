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

/// A category feed: `category`/`category_slug` are the feed's own, so a publisher filing the
/// item under this feed's category gets the right label for an item listed in two.
const RECENT_IN_CATEGORY: &str = "
SELECT i.key, i.url, i.title, i.summary, i.content_html, i.published, i.author, i.image,
       c.name, c.slug, i.source_id, i.first_seen, i.updated, i.content_hash
FROM item_categories c JOIN items i ON i.key = c.key
WHERE c.slug = ?1
ORDER BY c.sort_ts DESC, c.key ASC
LIMIT ?2";

/// The all-items feed: each item once, under the category it was first filed under.
const RECENT_ALL: &str = "
SELECT key, url, title, summary, content_html, published, author, image,
       category, category_slug, source_id, first_seen, updated, content_hash
FROM items
ORDER BY sort_ts DESC, key ASC
LIMIT ?2";

/// Sorted by SQLite's binary collation: UTF-8 byte order, the same as sorting Rust strings.
pub(super) const CATEGORIES_OF: &str = "SELECT name FROM item_categories WHERE key = ?1 ORDER BY name";

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
        })
    }

    fn into_stored(self, categories: Vec<String>) -> Result<StoredItem, StoreError> {
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
            categories,
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
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let (sql, slug) = match category_slug {
            Some(slug) => (RECENT_IN_CATEGORY, slug),
            // ?1 is unused by this query; binding it keeps one code path.
            None => (RECENT_ALL, ""),
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt
            .query_map(rusqlite::params![slug, limit], RawRow::read)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut categories_of = self.conn.prepare_cached(CATEGORIES_OF)?;
        rows.into_iter()
            .map(|row| {
                let categories = categories_of
                    .query_map([&row.key], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                row.into_stored(categories)
            })
            .collect()
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
