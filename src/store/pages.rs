//! What was fetched and when: validators of listing pages for a conditional GET, the fetch time
//! of every article page (so it is not fetched again), and each origin's robots.txt.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use rusqlite::params;

use super::{Store, StoreError, parse_date, rfc3339};

/// A page a source fetched before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownPage {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub fetched_at: DateTime<FixedOffset>,
}

/// A remembered robots.txt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRobots {
    /// `scheme://host[:port]`.
    pub origin: String,
    /// The file's text; empty when the site had none.
    pub body: String,
    pub fetched_at: DateTime<FixedOffset>,
}

const PAGES: &str = "SELECT url, etag, last_modified, fetched_at FROM pages WHERE source_id = ?1";

const RECORD_PAGE: &str = "
INSERT INTO pages (source_id, url, etag, last_modified, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (source_id, url) DO UPDATE SET etag = excluded.etag,
    last_modified = excluded.last_modified, fetched_at = excluded.fetched_at";

/// `julianday` compares instants, whatever offset each stored date was written with.
const FORGET_PAGES: &str = "
DELETE FROM pages WHERE source_id = ?1 AND etag IS NULL AND last_modified IS NULL
    AND julianday(fetched_at) < julianday(?2)";

const ROBOTS: &str = "SELECT origin, body, fetched_at FROM robots ORDER BY origin";

const RECORD_ROBOTS: &str = "
INSERT INTO robots (origin, body, fetched_at) VALUES (?1, ?2, ?3)
ON CONFLICT (origin) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at";

impl Store {
    /// Every page `source_id` fetched before, by URL.
    pub fn known_pages(&self, source_id: &str) -> Result<HashMap<String, KnownPage>, StoreError> {
        let mut statement = self.conn.prepare_cached(PAGES)?;
        let rows = statement.query_map([source_id], |row| {
            Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?, row.get::<_, String>(3)?))
        })?;
        let mut pages = HashMap::new();
        for row in rows {
            let (url, etag, last_modified, fetched_at) = row?;
            let fetched_at = parse_date(&fetched_at, &url, "fetched_at")?;
            pages.insert(url, KnownPage { etag, last_modified, fetched_at });
        }
        Ok(pages)
    }

    /// Remembers pages `source_id` fetched (replacing what was known of them), in one transaction.
    pub fn record_pages(&mut self, source_id: &str, pages: &[(String, KnownPage)]) -> Result<(), StoreError> {
        if pages.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut statement = tx.prepare_cached(RECORD_PAGE)?;
            for (url, page) in pages {
                statement.execute(params![
                    source_id,
                    url,
                    page.etag,
                    page.last_modified,
                    rfc3339(page.fetched_at)
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Forgets the article pages `source_id` fetched before `before` (listing pages, which carry
    /// validators, are kept). Without this the table, which every run reads whole, grows with
    /// every article ever read; an old article still listed is simply fetched once more.
    /// Returns how many were forgotten.
    pub fn forget_pages(
        &mut self,
        source_id: &str,
        before: DateTime<FixedOffset>,
    ) -> Result<usize, StoreError> {
        let forgotten =
            self.conn.prepare_cached(FORGET_PAGES)?.execute(params![source_id, rfc3339(before)])?;
        Ok(forgotten)
    }

    /// Every remembered robots.txt.
    pub fn robots(&self) -> Result<Vec<StoredRobots>, StoreError> {
        let mut statement = self.conn.prepare_cached(ROBOTS)?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (origin, body, fetched_at) = row?;
            let fetched_at = parse_date(&fetched_at, &origin, "fetched_at")?;
            out.push(StoredRobots { origin, body, fetched_at });
        }
        Ok(out)
    }

    pub fn record_robots(&mut self, robots: &StoredRobots) -> Result<(), StoreError> {
        self.conn.prepare_cached(RECORD_ROBOTS)?.execute(params![
            robots.origin,
            robots.body,
            rfc3339(robots.fetched_at)
        ])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;

    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).expect("test date")
    }

    const LISTING: &str = "https://baohanam.com.vn/chinh-tri/";
    const ARTICLE: &str = "https://baohanam.com.vn/chinh-tri/ky-hop-thu-ba-hdnd-tinh-122943.html";

    #[test]
    fn pages_are_remembered_per_source_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let listing = KnownPage {
            etag: Some("\"5f3a-1b\"".into()),
            last_modified: Some("Wed, 25 Nov 2026 04:40:00 GMT".into()),
            fetched_at: at("2026-11-25T11:45:00+07:00"),
        };
        let article =
            KnownPage { etag: None, last_modified: None, fetched_at: at("2026-11-25T11:45:01+07:00") };
        store
            .record_pages(
                "chinh-tri",
                &[(LISTING.into(), listing.clone()), (ARTICLE.into(), article.clone())],
            )
            .unwrap();
        let known = store.known_pages("chinh-tri").unwrap();
        assert_eq!(known.len(), 2);
        assert_eq!(known[LISTING], listing);
        assert_eq!(known[ARTICLE], article);
        // the same article under another source is that source's own business
        assert!(store.known_pages("thoi-su").unwrap().is_empty());

        let newer = KnownPage { etag: Some("\"5f3a-1c\"".into()), ..listing };
        store.record_pages("chinh-tri", &[(LISTING.into(), newer.clone())]).unwrap();
        assert_eq!(store.known_pages("chinh-tri").unwrap()[LISTING], newer);
    }

    #[test]
    fn old_article_pages_are_forgotten_listings_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let old = at("2026-08-01T09:00:00+07:00");
        let listing = KnownPage { etag: Some("\"a1\"".into()), last_modified: None, fetched_at: old };
        let article = |fetched_at| KnownPage { etag: None, last_modified: None, fetched_at };
        let recent = format!("{ARTICLE}?moi");
        store
            .record_pages(
                "chinh-tri",
                &[
                    (LISTING.into(), listing),
                    (ARTICLE.into(), article(old)),
                    // written in UTC: compared as an instant, not as text
                    (recent.clone(), article(at("2026-11-20T01:00:00+00:00"))),
                ],
            )
            .unwrap();
        store.record_pages("thoi-su", &[(ARTICLE.into(), article(old))]).unwrap();
        let forgotten = store.forget_pages("chinh-tri", at("2026-11-20T07:30:00+07:00")).unwrap();
        assert_eq!(forgotten, 1);
        let known = store.known_pages("chinh-tri").unwrap();
        assert!(known.contains_key(LISTING) && known.contains_key(&recent) && !known.contains_key(ARTICLE));
        assert_eq!(store.known_pages("thoi-su").unwrap().len(), 1, "another source's pages stay");
    }

    #[test]
    fn robots_files_are_remembered_by_origin() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let robots = StoredRobots {
            origin: "https://baohanam.com.vn".into(),
            body: "User-agent: *\nDisallow: /tim-kiem\n".into(),
            fetched_at: at("2026-11-25T11:45:00+07:00"),
        };
        store.record_robots(&robots).unwrap();
        let empty = StoredRobots {
            origin: "https://baoninhbinh.org.vn".into(),
            body: String::new(),
            ..robots.clone()
        };
        store.record_robots(&empty).unwrap();
        assert_eq!(store.robots().unwrap(), vec![robots, empty]);
    }

    #[test]
    fn backoff_is_recorded_consumed_and_cleared_by_a_success() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let t = at("2026-11-25T11:45:00+07:00");
        store.record_failure("kinh-te", t, "`https://baohanam.com.vn/kinh-te/` answered HTTP 429").unwrap();
        store.set_backoff("kinh-te", "rate_limited", 2, Some(at("2026-11-25T12:45:00+07:00"))).unwrap();
        let status = store.source_status("kinh-te").unwrap().unwrap();
        assert_eq!(
            (status.last_error_class.as_deref(), status.skip_runs, status.not_before),
            (Some("rate_limited"), 2, Some(at("2026-11-25T12:45:00+07:00")))
        );
        for left in [1, 0, 0] {
            store.record_skip("kinh-te").unwrap();
            assert_eq!(store.source_status("kinh-te").unwrap().unwrap().skip_runs, left);
        }
        store.set_backoff("kinh-te", "timeout", 4, None).unwrap();
        store.record_success("kinh-te", t).unwrap();
        let healed = store.source_status("kinh-te").unwrap().unwrap();
        assert_eq!((healed.consecutive_failures, healed.skip_runs, healed.not_before), (0, 0, None));
        assert_eq!(healed.last_error_class.as_deref(), Some("timeout"), "kept for the record");
    }

    #[test]
    fn a_version_1_file_is_migrated_keeping_its_source_health() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = rusqlite::Connection::open(dir.path().join("tinfeed.sqlite")).unwrap();
            conn.execute_batch(super::super::schema::V1).unwrap();
            conn.execute_batch(
                "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
                 INSERT INTO schema_migrations VALUES (1, '2026-11-01T00:00:00Z');
                 INSERT INTO sources (id, last_error, consecutive_failures) VALUES ('thoi-su', 'HTTP 500', 3);",
            )
            .unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let status = store.source_status("thoi-su").unwrap().unwrap();
        assert_eq!((status.consecutive_failures, status.skip_runs), (3, 0));
        assert_eq!(status.last_error.as_deref(), Some("HTTP 500"));
        assert!(store.known_pages("thoi-su").unwrap().is_empty());
    }
}
