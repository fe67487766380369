//! Store behaviour a publisher and an operator rely on, on real files in a temporary directory.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};
use pretty_assertions::assert_eq;

use super::upsert::content_hash;
use super::{SCHEMA_VERSION, SourceStatus, Store, StoreError, Upserted};
use crate::model::Item;

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("test date")
}

const CHINH_TRI: (&str, &str) = ("Chính trị", "chinh-tri");
const VHXH: (&str, &str) = ("Văn hóa - Xã hội", "van-hoa-xa-hoi");
const KINH_TE: (&str, &str) = ("Kinh tế", "kinh-te");

/// A Báo Hà Nam article: `id` makes the key, `(name, slug)` its category.
fn item(id: &str, title: &str, category: (&str, &str), published: Option<&str>) -> Item {
    let url = format!("https://baohanam.com.vn/{}/tin-tuc/bai-viet-{id}.html", category.1);
    Item {
        key: url.clone(),
        url,
        title: title.to_string(),
        summary: format!("{title}. Sáng 27/11, UBND tỉnh Hà Nam tổ chức hội nghị."),
        content_html: Some(format!("<p>{title}</p>")),
        published: published.map(at),
        author: Some("Minh Hương".to_string()),
        image: Some(format!("https://media.baohanam.com.vn/{id}.jpg")),
        category: category.0.to_string(),
        category_slug: category.1.to_string(),
        source_id: category.1.to_string(),
    }
}

fn keys(items: &[crate::model::StoredItem]) -> Vec<&str> {
    items.iter().map(|s| s.item.key.as_str()).collect()
}

fn slugs(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

const T1: &str = "2024-11-28T08:30:00+07:00";
const T2: &str = "2024-11-28T09:00:00+07:00";
const T3: &str = "2024-11-28T10:00:00+07:00";

#[test]
fn counts_new_updated_unchanged_and_reports_changed_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let a = item("100001", "Hà Nam khởi công đường vành đai 5", CHINH_TRI, Some(T1));
    let b = item("100002", "Lễ hội chùa Bà Đanh năm 2024", VHXH, None);
    let c = item("100003", "Giá lúa tăng ở Lý Nhân", KINH_TE, Some(T1));
    let first = store.upsert(&[a.clone(), b.clone(), c.clone()], at(T2)).unwrap();
    let expected = Upserted {
        new: 3,
        changed_slugs: slugs(&["chinh-tri", "kinh-te", "van-hoa-xa-hoi"]),
        ..Upserted::default()
    };
    assert_eq!(first, expected);

    let mut edited = c.clone();
    edited.title = "Giá lúa tăng mạnh ở Lý Nhân".to_string();
    let second = store.upsert(&[a, b, edited], at(T3)).unwrap();
    let expected =
        Upserted { updated: 1, unchanged: 2, changed_slugs: slugs(&["kinh-te"]), ..Upserted::default() };
    assert_eq!(second, expected);
    assert!(second.changed());

    let third = store.upsert(std::slice::from_ref(&c), at(T3)).unwrap();
    assert_eq!(third.updated, 1, "reverting an edit is an edit too");
    let fourth = store.upsert(&[c], at(T3)).unwrap();
    assert_eq!(fourth, Upserted { unchanged: 1, ..Upserted::default() });
    assert!(!fourth.changed());
}

#[test]
fn an_edit_keeps_key_and_first_seen_and_moves_updated() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let original = item("100001", "Hà Nam khởi công đường vành đai 5", CHINH_TRI, None);
    store.upsert(std::slice::from_ref(&original), at(T1)).unwrap();
    store.upsert(std::slice::from_ref(&original), at(T2)).unwrap();
    let stored = &store.recent(Some("chinh-tri"), 10).unwrap()[0];
    assert_eq!((stored.first_seen, stored.updated), (at(T1), at(T1)), "a re-fetch is no edit");

    let mut edited = original.clone();
    edited.title = "Hà Nam khởi công dự án đường vành đai 5 qua Duy Tiên".to_string();
    store.upsert(std::slice::from_ref(&edited), at(T3)).unwrap();
    let stored = &store.recent(Some("chinh-tri"), 10).unwrap()[0];
    assert_eq!(stored.item, edited);
    assert_eq!(stored.item.key, original.key);
    assert_eq!((stored.first_seen, stored.updated), (at(T1), at(T3)));
    assert_eq!(stored.published(), at(T1), "undated: the date of record is first-seen");
    assert_eq!(stored.content_hash, content_hash(&edited));
}

#[test]
fn every_reader_visible_field_is_an_edit_and_filing_is_not() {
    let base = item("100001", "Hà Nam khởi công đường vành đai 5", CHINH_TRI, Some(T1));
    /// (field, edit, whether a reader sees it)
    type Edit = (&'static str, fn(&mut Item), bool);
    let edits: [Edit; 10] = [
        ("title", |i| i.title.push('!'), true),
        ("url", |i| i.url.push_str("?page=2"), true),
        ("summary", |i| i.summary = "TP.HCM, 15/4/2024.".to_string(), true),
        ("content", |i| i.content_html = None, true),
        ("published", |i| i.published = Some(at(T2)), true),
        ("same instant, other offset", |i| i.published = Some(at("2024-11-28T01:30:00Z")), true),
        ("author", |i| i.author = None, true),
        ("image", |i| i.image = Some("https://media.baohanam.com.vn/x.jpg".into()), true),
        ("category", |i| i.category = "Thời sự".to_string(), false),
        ("source", |i| i.source_id = "thoi-su".to_string(), false),
    ];
    for (field, edit, changes) in edits {
        let mut edited = base.clone();
        edit(&mut edited);
        assert_eq!(content_hash(&edited) != content_hash(&base), changes, "{field}");
    }
    // text moved from one field to the next is still an edit
    let (mut left, mut right) = (base.clone(), base);
    (left.title, left.summary) = ("Hà Nam".to_string(), " - Phủ Lý".to_string());
    (right.title, right.summary) = ("Hà Nam - ".to_string(), "Phủ Lý".to_string());
    assert_ne!(content_hash(&left), content_hash(&right));
}

#[test]
fn equal_dates_are_ordered_by_key_and_undated_items_by_first_seen() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let same_c = item("300003", "Tin C", CHINH_TRI, Some(T2));
    let same_a = item("300001", "Tin A", CHINH_TRI, Some(T2));
    let same_b = item("300002", "Tin B", CHINH_TRI, Some("2024-11-28T02:00:00Z"));
    let dated_old = item("300009", "Tin cũ", CHINH_TRI, Some("2024-11-27T08:00:00+07:00"));
    store.upsert(&[same_c, dated_old, same_a, same_b], at(T3)).unwrap();
    // undated: sorted by when we saw them, between the dated ones
    let undated_early = item("300010", "Không ngày 1", CHINH_TRI, None);
    let undated_late = item("300008", "Không ngày 2", CHINH_TRI, None);
    store.upsert(&[undated_early], at("2024-11-28T05:00:00+07:00")).unwrap();
    store.upsert(&[undated_late], at("2024-11-28T12:00:00+07:00")).unwrap();

    let recent = store.recent(Some("chinh-tri"), 10).unwrap();
    let ids: Vec<&str> = keys(&recent).iter().map(|k| &k[k.len() - 11..k.len() - 5]).collect();
    assert_eq!(ids, ["300008", "300001", "300002", "300003", "300010", "300009"]);
    let all = store.recent(None, 10).unwrap();
    assert_eq!(keys(&all), keys(&recent));
}

#[test]
fn dates_come_back_with_their_original_offset() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let hanoi = item("400001", "Giờ Hà Nội", CHINH_TRI, Some("2024-11-28T08:30:00.250+07:00"));
    let utc = item("400002", "Giờ UTC", CHINH_TRI, Some("2024-11-28T00:30:00+00:00"));
    store.upsert(&[hanoi, utc], at(T1)).unwrap();
    let recent = store.recent(None, 10).unwrap();
    let shown: Vec<String> = recent.iter().filter_map(|s| s.item.published).map(|d| d.to_rfc3339()).collect();
    assert_eq!(shown, ["2024-11-28T08:30:00.250+07:00", "2024-11-28T00:30:00+00:00"]);
    assert_eq!(recent[0].first_seen.offset().local_minus_utc(), 7 * 3600);
}

#[test]
fn an_article_in_two_categories_is_in_both_feeds_and_once_in_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let shared = item("500001", "Hội nghị văn hóa tỉnh Hà Nam", CHINH_TRI, Some(T1));
    let mut also = shared.clone();
    (also.category, also.category_slug) = (VHXH.0.to_string(), VHXH.1.to_string());
    let other = item("500002", "Đêm nhạc ở Phủ Lý", VHXH, Some(T2));

    // the same key twice in one batch is counted once and filed twice
    let report = store.upsert(&[shared.clone(), also.clone(), other], at(T3)).unwrap();
    assert_eq!((report.new, report.updated, report.recategorized, report.unchanged), (2, 0, 0, 0));

    let politics = store.recent(Some("chinh-tri"), 10).unwrap();
    let culture = store.recent(Some("van-hoa-xa-hoi"), 10).unwrap();
    assert_eq!(keys(&politics), [shared.key.as_str()]);
    assert_eq!(culture.len(), 2);
    assert_eq!(culture[1].item.key, shared.key);
    assert_eq!(culture[1].item.category, "Văn hóa - Xã hội", "labelled as the feed it is in");
    assert_eq!(culture[1].categories, ["Chính trị", "Văn hóa - Xã hội"]);
    let all = store.recent(None, 10).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].item.category, "Chính trị", "home category: where it was first filed");
    assert_eq!(store.recent(Some("the-thao"), 10).unwrap(), []);
}

#[test]
fn filing_an_unchanged_item_elsewhere_is_reported_as_recategorized() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let shared = item("500001", "Hội nghị văn hóa tỉnh Hà Nam", CHINH_TRI, Some(T1));
    store.upsert(std::slice::from_ref(&shared), at(T1)).unwrap();
    let mut also = shared.clone();
    (also.category, also.category_slug) = (VHXH.0.to_string(), VHXH.1.to_string());
    let report = store.upsert(&[also], at(T2)).unwrap();
    let expected = Upserted {
        recategorized: 1,
        // its categories list changed in both feeds
        changed_slugs: slugs(&["chinh-tri", "van-hoa-xa-hoi"]),
        ..Upserted::default()
    };
    assert_eq!(report, expected);
    let stored = &store.recent(Some("van-hoa-xa-hoi"), 1).unwrap()[0];
    assert_eq!(stored.updated, at(T1), "content unchanged: updated stays");
    assert_eq!(store.category_updated(Some("van-hoa-xa-hoi")).unwrap(), Some(at(T2)));
    assert_eq!(store.category_updated(None).unwrap(), Some(at(T2)));
    assert_eq!(store.category_updated(Some("the-thao")).unwrap(), None);
}

#[test]
fn a_changed_date_moves_the_item_in_its_category_feed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let a = item("600001", "Tin A", KINH_TE, Some(T1));
    let b = item("600002", "Tin B", KINH_TE, Some(T2));
    store.upsert(&[a.clone(), b], at(T3)).unwrap();
    let mut redated = a;
    redated.published = Some(at(T3));
    store.upsert(&[redated.clone()], at(T3)).unwrap();
    let recent = store.recent(Some("kinh-te"), 1).unwrap();
    assert_eq!(keys(&recent), [redated.key.as_str()]);
}

#[test]
fn limit_keeps_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let items: Vec<Item> = (1..=5)
        .map(|day| {
            let date = format!("2024-11-0{day}T08:00:00+07:00");
            item(&format!("70000{day}"), &format!("Tin ngày {day}"), CHINH_TRI, Some(&date))
        })
        .collect();
    store.upsert(&items, at(T3)).unwrap();
    let recent = store.recent(Some("chinh-tri"), 2).unwrap();
    assert_eq!(keys(&recent), [items[4].key.as_str(), items[3].key.as_str()]);
    assert_eq!(store.recent(None, 3).unwrap().len(), 3);
    assert_eq!(store.recent(None, 0).unwrap(), []);
    assert_eq!(store.recent(None, usize::MAX).unwrap().len(), 5);
}

#[test]
fn contains_knows_stored_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let a = item("800001", "Tin A", CHINH_TRI, None);
    assert!(!store.contains(&a.key).unwrap());
    store.upsert(std::slice::from_ref(&a), at(T1)).unwrap();
    assert!(store.contains(&a.key).unwrap());
    assert!(!store.contains("https://baohanam.com.vn/khac.html").unwrap());
}

#[test]
fn source_status_counts_failures_in_a_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(store.source_status("chinh-tri").unwrap(), None);
    store.record_failure("chinh-tri", at(T1), "timeout after 30 s").unwrap();
    store.record_failure("chinh-tri", at(T2), "HTTP 503 from `https://baohanam.com.vn`").unwrap();
    let expected = SourceStatus {
        last_success: None,
        last_error: Some("HTTP 503 from `https://baohanam.com.vn`".to_string()),
        last_error_at: Some(at(T2)),
        consecutive_failures: 2,
        last_error_class: None,
        skip_runs: 0,
        not_before: None,
    };
    assert_eq!(store.source_status("chinh-tri").unwrap(), Some(expected.clone()));

    store.record_success("chinh-tri", at(T3)).unwrap();
    let healed = SourceStatus { last_success: Some(at(T3)), consecutive_failures: 0, ..expected };
    assert_eq!(store.source_status("chinh-tri").unwrap(), Some(healed));
    store.record_failure("chinh-tri", at(T3), "timeout").unwrap();
    assert_eq!(store.source_status("chinh-tri").unwrap().unwrap().consecutive_failures, 1);
    assert_eq!(store.source_status("kinh-te").unwrap(), None, "sources are separate");
}

#[test]
fn open_creates_the_directory_migrates_once_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").join("tinfeed");
    let a = item("900001", "Tin A", CHINH_TRI, None);
    {
        let mut store = Store::open(&data).unwrap();
        store.upsert(std::slice::from_ref(&a), at(T1)).unwrap();
    }
    let store = Store::open(&data).unwrap();
    let versions: Vec<i64> = store
        .conn
        .prepare("SELECT version FROM schema_migrations ORDER BY version")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(versions, (1..=SCHEMA_VERSION).collect::<Vec<_>>());
    assert!(store.contains(&a.key).unwrap(), "reopening keeps the items");
    let pragma = |name: &str| -> String {
        store
            .conn
            .query_row(&format!("PRAGMA {name}"), [], |row| row.get::<_, rusqlite::types::Value>(0))
            .map(|v| format!("{v:?}"))
            .unwrap()
    };
    assert_eq!(pragma("journal_mode"), "Text(\"wal\")");
    assert_eq!(pragma("foreign_keys"), "Integer(1)");
    assert_eq!(pragma("synchronous"), "Integer(1)", "NORMAL");
}

#[test]
fn a_store_from_a_newer_tinfeed_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let conn = rusqlite::Connection::open(dir.path().join("tinfeed.sqlite")).unwrap();
    conn.execute("INSERT INTO schema_migrations VALUES (99, '2030-01-01T00:00:00Z')", []).unwrap();
    drop(conn);
    let err = Store::open(dir.path()).err().expect("a newer schema must not open");
    assert!(matches!(err, StoreError::SchemaTooNew { found: 99, .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("schema version 99"), "{message}");
    assert!(message.contains("tinfeed.sqlite`"), "{message}");
    assert!(message.contains(&format!("up to {SCHEMA_VERSION}")), "{message}");
}

#[test]
fn two_handles_in_two_threads_share_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let writers: Vec<_> = [CHINH_TRI, KINH_TE]
        .into_iter()
        .map(|category| {
            let path = dir.path().to_path_buf();
            std::thread::spawn(move || -> Result<usize, StoreError> {
                // both open a fresh file at once: migrations must not race
                let mut store = Store::open(&path)?;
                let mut new = 0;
                for n in 0..25 {
                    let a = item(&format!("{n:06}"), &format!("Tin số {n}"), category, Some(T1));
                    new += store.upsert(&[a], at(T2))?.new;
                    store.record_success("chung", at(T2))?;
                    store.recent(None, 5)?;
                }
                Ok(new)
            })
        })
        .collect();
    for writer in writers {
        assert_eq!(writer.join().expect("writer thread").unwrap(), 25);
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.recent(None, 100).unwrap().len(), 50);
    assert_eq!(store.recent(Some("kinh-te"), 100).unwrap().len(), 25);
}

#[test]
fn a_snapshot_reads_the_same_items_while_another_handle_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (reader, mut writer) = (Store::open(dir.path()).unwrap(), Store::open(dir.path()).unwrap());
    writer
        .upsert(&[item("100001", "Hà Nam khởi công đường vành đai 5", CHINH_TRI, Some(T1))], at(T2))
        .unwrap();
    let during = reader
        .snapshot(|| {
            let before = reader.feed_version(None, 20)?;
            let late = item("100002", "Giá lúa tăng ở Lý Nhân", CHINH_TRI, Some(T3));
            writer.upsert(&[late], at(T3))?;
            let items = reader.recent(None, 20)?;
            assert_eq!(reader.feed_version(None, 20)?, before, "the version moved inside the snapshot");
            Ok::<_, StoreError>(items)
        })
        .unwrap();
    assert_eq!(keys(&during), ["https://baohanam.com.vn/chinh-tri/tin-tuc/bai-viet-100001.html"]);
    assert_eq!(reader.recent(None, 20).unwrap().len(), 2, "the next snapshot sees the write");
}

#[test]
fn a_damaged_date_is_an_error_naming_the_item_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let a = item("950001", "Tin A", CHINH_TRI, Some(T1));
    store.upsert(std::slice::from_ref(&a), at(T1)).unwrap();
    store.conn.execute("UPDATE items SET published = '28/11/2024 08:30'", []).unwrap();
    let err = store.recent(None, 10).expect_err("a damaged date must be reported");
    let message = err.to_string();
    assert!(message.contains("`28/11/2024 08:30` as published"), "{message}");
    assert!(message.contains(&a.key), "{message}");
}

#[test]
fn a_feed_version_changes_exactly_when_its_items_do() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let a = item("100001", "Hà Nam khởi công đường vành đai 5", CHINH_TRI, Some(T1));
    let b = item("100002", "Lễ hội chùa Bà Đanh năm 2024", VHXH, Some(T1));
    store.upsert(&[a.clone(), b.clone()], at(T2)).unwrap();
    let version = |store: &Store, slug: Option<&str>| store.feed_version(slug, 10).unwrap();
    let (chinh_tri, vhxh, all) =
        (version(&store, Some("chinh-tri")), version(&store, Some("van-hoa-xa-hoi")), version(&store, None));
    assert_eq!((chinh_tri.items, vhxh.items, all.items), (1, 1, 2));
    assert_ne!(chinh_tri.hash, vhxh.hash);

    // a re-fetch of the same content changes nothing
    store.upsert(&[a.clone(), b.clone()], at(T3)).unwrap();
    assert_eq!(version(&store, Some("chinh-tri")), chinh_tri);
    assert_eq!(version(&store, None), all);

    // an edit changes its category's feed and the all feed, not the others
    let edited =
        Item { summary: "Sáng 28/11, khởi công đường vành đai 5 qua Hà Nam.".into(), ..a.clone() };
    store.upsert(std::slice::from_ref(&edited), at(T3)).unwrap();
    assert_ne!(version(&store, Some("chinh-tri")), chinh_tri);
    assert_ne!(version(&store, None), all);
    assert_eq!(version(&store, Some("van-hoa-xa-hoi")), vhxh);

    // the same content filed under a second category: both feeds list it with its two
    // categories now
    let vhxh_before = version(&store, Some("van-hoa-xa-hoi"));
    let chinh_tri_before = version(&store, Some("chinh-tri"));
    let also = Item { category: VHXH.0.into(), category_slug: VHXH.1.into(), ..edited };
    assert_eq!(store.upsert(&[also], at(T3)).unwrap().recategorized, 1);
    assert_ne!(version(&store, Some("van-hoa-xa-hoi")), vhxh_before);
    assert_ne!(version(&store, Some("chinh-tri")), chinh_tri_before);

    // the limit is part of the version: fewer items, another version
    assert_eq!(store.feed_version(None, 1).unwrap().items, 1);
    assert_ne!(store.feed_version(None, 1).unwrap(), version(&store, None));
}
