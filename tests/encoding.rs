//! Encodings end to end: page bytes → `fetch::decode` → `extract::article` → `normalize::item`,
//! for a windows-1258 page, a UTF-8 page with pasted TCVN3 text and a page of stored mojibake;
//! and the pages we ship (the demo site, the seed) must come through every repair untouched.

use std::path::{Path, PathBuf};

use chrono::DateTime;
use tinfeed::config::{Config, Selectors};
use tinfeed::fetch::{DecodedBy, decode};
use tinfeed::model::{FetchedPage, Item};
use tinfeed::normalize::{self, Context, repair_html, repair_text};
use unicode_normalization::UnicodeNormalization;
use url::Url;

const CONFIG: &str = r#"
[site]
title = "Báo Hà Nam"
timezone = "Asia/Ho_Chi_Minh"

[[sources]]
id = "van-hoa"
kind = "html"
url = "https://baohanam.com.vn/van-hoa"
category = "Văn hóa"
"#;

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/encoding").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read `{}`: {e}", path.display()))
}

/// The whole path a fetched page takes, from its bytes to a normalized item.
fn item_from(bytes: &[u8], content_type: Option<&str>, site_title: &str) -> (Item, &'static str) {
    let url = Url::parse("https://baohanam.com.vn/van-hoa/bai-viet-123.html").expect("valid url");
    let decoded = decode(bytes, content_type, Some(b"vn"));
    assert!(decoded.text.nfc().eq(decoded.text.chars()), "decoded body is not NFC");
    let fetched_at = DateTime::parse_from_rfc3339("2024-11-28T10:00:00+07:00").expect("valid date");
    let page = FetchedPage {
        requested_url: url.clone(),
        url,
        body: decoded.text,
        content_type: content_type.map(String::from),
        charset: decoded.encoding,
        etag: None,
        last_modified: None,
        fetched_at,
    };
    let raw = tinfeed::extract::article(&page, &Selectors::default());
    let config = Config::parse(Path::new("/etc/tinfeed/tinfeed.toml"), CONFIG).expect("test config");
    let ctx = Context { source: &config.sources[0], site_title, fetched_at };
    (normalize::item(raw, &ctx).expect("an item"), decoded.encoding)
}

fn assert_nfc(item: &Item) {
    for text in [&item.title, &item.summary, item.content_html.as_deref().unwrap_or_default()] {
        assert!(text.nfc().eq(text.chars()), "not NFC: {text}");
    }
}

#[test]
fn windows_1258_page_comes_out_as_nfc() {
    let bytes = fixture("windows-1258.html");
    let (item, encoding) = item_from(&bytes, None, "Báo Khánh Hoà");
    assert_eq!(encoding, "windows-1258");
    assert_eq!(item.title, "Khánh Hoà đón 2 triệu lượt khách quốc tế");
    assert!(
        item.summary.starts_with("Trong 11 tháng năm 2024, tỉnh Khánh Hoà đón hơn 2 triệu"),
        "{}",
        item.summary
    );
    assert!(item.content_html.as_deref().unwrap_or_default().contains("Nhiều cơ sở lưu trú"));
    assert_nfc(&item);
    // "ệ" is one code point, as a reader's search box types it
    assert!(item.title.contains('\u{1EC7}'));
}

#[test]
fn windows_1258_page_behind_a_lying_header() {
    let bytes = fixture("windows-1258.html");
    let decoded = decode(&bytes, Some("text/html; charset=UTF-8"), Some(b"vn"));
    // the header lies; the page's own meta is not consulted once the header is read, so
    // detection decides, and says so
    assert_eq!((decoded.encoding, decoded.by, decoded.overridden), ("windows-1258", DecodedBy::Header, true));
    let (item, _) = item_from(&bytes, Some("text/html; charset=UTF-8"), "Báo Khánh Hoà");
    assert_eq!(item.title, "Khánh Hoà đón 2 triệu lượt khách quốc tế");
}

#[test]
fn pasted_tcvn3_is_converted_and_the_rest_left_alone() {
    let (item, _) = item_from(&fixture("tcvn3-in-utf8.html"), None, "Báo Hà Nam");
    assert_eq!(item.title, "Quyết định về việc tăng cường quản lý hoạt động văn hoá");
    let content = item.content_html.as_deref().unwrap_or_default();
    assert!(content.contains("Các đơn vị cần kiểm tra thường xuyên, xử lý nghiêm các vi phạm."), "{content}");
    assert!(content.contains("Café sáng ở phố cổ vẫn đông khách."), "{content}");
    assert_nfc(&item);
}

#[test]
fn stored_mojibake_is_repaired() {
    let (item, encoding) = item_from(&fixture("mojibake.html"), None, "Báo Hà Nam");
    assert_eq!(encoding, "UTF-8");
    assert_eq!(item.title, "Hà Nam: Đường Hồ Chí Minh qua tỉnh được thông xe");
    assert!(item.summary.starts_with("“Dự án hoàn thành sớm 3 tháng”, ông Trần Văn Lưu"), "{}", item.summary);
    let content = item.content_html.as_deref().unwrap_or_default();
    assert!(content.contains("Người dân đổ ra đường chào mừng."), "{content}");
    assert_nfc(&item);
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "html" || e == "txt") {
            out.push(path);
        }
    }
}

/// Real Vietnamese pages (the demo site, the demo files, the first user's seed) are not
/// touched by any repair: no false positive on text that is fine.
#[test]
fn shipped_pages_are_untouched() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("config/demo"), &mut files);
    let seeds = root.join("../../shared/seeds");
    let seeds = if seeds.is_dir() { seeds } else { PathBuf::from("/work/shared/seeds") };
    if seeds.is_dir() {
        files_under(&seeds, &mut files);
    } else {
        println!("seed folder not found: checking the demo pages only");
    }
    assert!(files.len() > 10, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("UTF-8 fixture");
        let repaired = if path.extension().is_some_and(|e| e == "html") {
            repair_html(&text)
        } else {
            repair_text(&text)
        };
        assert!(repaired.fixes.is_empty(), "{}: {:?}", path.display(), repaired.fixes);
        assert!(!repaired.suspicious, "{}", path.display());
        assert!(repaired.text == text, "{} was changed", path.display());
    }
}

/// The shared benchmark corpus (2,000 synthetic articles with NFD and entity hazards): no
/// article is changed by a repair. Needs a generated corpus:
/// `python3 ../shared/bench/make_corpus.py /tmp/corpus --articles 300`, then
/// `TINFEED_CORPUS=/tmp/corpus cargo test --test encoding -- --ignored`.
#[test]
#[ignore = "needs TINFEED_CORPUS"]
fn benchmark_corpus_is_untouched() {
    let Ok(dir) = std::env::var("TINFEED_CORPUS") else {
        println!("skipped: TINFEED_CORPUS is not set");
        return;
    };
    let mut files = Vec::new();
    files_under(Path::new(&dir), &mut files);
    let start = std::time::Instant::now();
    let mut bytes = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("UTF-8 corpus");
        bytes += text.len();
        let repaired = repair_html(&text);
        assert!(
            repaired.fixes.is_empty() && !repaired.suspicious,
            "{}: {:?}",
            path.display(),
            repaired.fixes
        );
    }
    println!("{} files, {} MB in {:?}", files.len(), bytes / 1_000_000, start.elapsed());
}
