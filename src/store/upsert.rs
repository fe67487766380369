//! Writing a batch of items: new, edited or unchanged, and filed under their category.
//!
//! An item is identified by its key alone. An edit is told from a re-fetch by the hash of what
//! a reader sees; the key, first-seen time, home category and source of an item never change.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use super::{Store, StoreError, Upserted, rfc3339};
use crate::model::Item;

/// What happened to one key. Ordered so that, for a key met twice in one batch, the larger
/// outcome is the one reported (new beats updated beats recategorized beats unchanged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Unchanged,
    Recategorized,
    Updated,
    New,
}

const SELECT_HASH: &str = "SELECT content_hash FROM items WHERE key = ?1";

const INSERT: &str = "
INSERT INTO items (key, url, title, summary, content_html, published, published_ts, author, image,
                   category, category_slug, source_id, first_seen, first_seen_ts,
                   updated, updated_ts, content_hash, sort_ts)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?13, ?14, ?15,
        coalesce(?7, ?14))";

/// Keeps key, first-seen, home category and source; the trigger moves `item_categories.sort_ts`.
const UPDATE: &str = "
UPDATE items SET url = ?2, title = ?3, summary = ?4, content_html = ?5, published = ?6,
                 published_ts = ?7, author = ?8, image = ?9, updated = ?10, updated_ts = ?11,
                 content_hash = ?12, sort_ts = coalesce(?7, first_seen_ts)
WHERE key = ?1";

/// Files the item under a category; touches nothing (0 rows) when it is filed there already
/// under the same name. (`WHERE key = ?1` also keeps the parser from reading `ON` as a join.)
const FILE: &str = "
INSERT INTO item_categories (key, slug, name, sort_ts, filed_at, filed_ts)
SELECT key, ?2, ?3, sort_ts, ?4, ?5 FROM items WHERE key = ?1
ON CONFLICT (key, slug) DO UPDATE SET name = excluded.name WHERE name IS NOT excluded.name";

const SLUGS_OF: &str = "SELECT slug FROM item_categories WHERE key = ?1";

impl Store {
    /// Adds new items, updates edited ones (keeping key and first-seen), files each under its
    /// category. `now` is the first-seen time of new items and the `updated` time of edited ones.
    ///
    /// One transaction: the batch is stored whole or not at all. A key repeated in the batch
    /// (an article listed in two categories) is counted once and filed under each category.
    pub fn upsert(&mut self, items: &[Item], now: DateTime<FixedOffset>) -> Result<Upserted, StoreError> {
        // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then
        // writes cannot wait for a concurrent writer and would fail with "database is locked".
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now_text = rfc3339(now);
        let mut outcomes: HashMap<&str, Outcome> = HashMap::new();
        let mut report = Upserted::default();
        for item in items {
            let outcome = upsert_one(&tx, item, &now_text, now.timestamp())?;
            if outcome != Outcome::Unchanged {
                let mut stmt = tx.prepare_cached(SLUGS_OF)?;
                let slugs = stmt.query_map([&item.key], |row| row.get::<_, String>(0))?;
                for slug in slugs {
                    report.changed_slugs.insert(slug?);
                }
            }
            let merged = outcomes.entry(item.key.as_str()).or_insert(outcome);
            *merged = (*merged).max(outcome);
        }
        tx.commit()?;
        for outcome in outcomes.values() {
            match outcome {
                Outcome::New => report.new += 1,
                Outcome::Updated => report.updated += 1,
                Outcome::Recategorized => report.recategorized += 1,
                Outcome::Unchanged => report.unchanged += 1,
            }
        }
        Ok(report)
    }
}

/// Inserts, updates or leaves one item, then files it under its category.
fn upsert_one(tx: &Transaction<'_>, item: &Item, now: &str, now_ts: i64) -> Result<Outcome, StoreError> {
    let hash = content_hash(item);
    let published = item.published.map(rfc3339);
    let published_ts = item.published.map(|at| at.timestamp());
    let stored: Option<String> =
        tx.prepare_cached(SELECT_HASH)?.query_row([&item.key], |row| row.get(0)).optional()?;
    let mut outcome = match stored {
        None => {
            tx.prepare_cached(INSERT)?.execute(params![
                item.key,
                item.url,
                item.title,
                item.summary,
                item.content_html,
                published,
                published_ts,
                item.author,
                item.image,
                item.category,
                item.category_slug,
                item.source_id,
                now,
                now_ts,
                hash,
            ])?;
            Outcome::New
        }
        Some(stored) if stored == hash => Outcome::Unchanged,
        Some(_) => {
            tx.prepare_cached(UPDATE)?.execute(params![
                item.key,
                item.url,
                item.title,
                item.summary,
                item.content_html,
                published,
                published_ts,
                item.author,
                item.image,
                now,
                now_ts,
                hash,
            ])?;
            Outcome::Updated
        }
    };
    let filed = tx.prepare_cached(FILE)?.execute(params![
        item.key,
        item.category_slug,
        item.category,
        now,
        now_ts
    ])?;
    if filed > 0 && outcome == Outcome::Unchanged {
        outcome = Outcome::Recategorized;
    }
    Ok(outcome)
}

/// SHA-256 (hex) of the fields a reader sees: title, url, summary, content, published (as
/// stored, offset included), author, image. Category and source are left out: filing an item
/// elsewhere is not an edit.
///
/// Each field is tagged absent/present and length-prefixed, so no two different items hash
/// alike by shifting text between fields. Changing this recipe marks every stored item as
/// edited on its next fetch: treat it like a migration.
pub(super) fn content_hash(item: &Item) -> String {
    let published = item.published.map(rfc3339);
    let fields: [Option<&str>; 7] = [
        Some(&item.title),
        Some(&item.url),
        Some(&item.summary),
        item.content_html.as_deref(),
        published.as_deref(),
        item.author.as_deref(),
        item.image.as_deref(),
    ];
    let mut hasher = Sha256::new();
    hasher.update(b"tinfeed item v1");
    for field in fields {
        match field {
            None => hasher.update([0u8]),
            Some(text) => {
                hasher.update([1u8]);
                hasher.update((text.len() as u64).to_le_bytes());
                hasher.update(text.as_bytes());
            }
        }
    }
    hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}
