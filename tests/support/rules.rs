//! The rules of DESIGN.md §3 ("valid" feeds), checked on the bytes we publish. These stand in
//! for the W3C Feed Validation Service in tests: every rule here is one it enforces.

use std::collections::HashSet;

use regex::Regex;

/// Characters XML 1.0 forbids.
fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

fn common(text: &str) {
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
            || text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "XML declaration with UTF-8: {}",
        &text[..80.min(text.len())]
    );
    assert!(!text.chars().any(forbidden), "a character XML 1.0 forbids");
}

/// Every element's text (first occurrence per item block), crude but enough for our own output.
fn all(text: &str, pattern: &str) -> Vec<String> {
    Regex::new(pattern).unwrap().captures_iter(text).map(|c| c[1].to_string()).collect()
}

/// RSS 2.0 per DESIGN.md §3, with the self link `self_url`.
pub fn check_rss(bytes: &[u8], self_url: &str) {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    common(text);
    let (channel, items) = text.split_once("<item>").unwrap_or((text, ""));
    for tag in ["title", "link", "description", "language", "lastBuildDate"] {
        assert!(channel.contains(&format!("<{tag}>")), "channel <{tag}> missing");
    }
    assert!(channel.contains("<language>vi</language>"), "language vi");
    assert!(
        channel.contains(&format!("href=\"{self_url}\"")) && channel.contains("rel=\"self\""),
        "atom:link rel=self {self_url}"
    );
    let rfc822 = Regex::new(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$").unwrap();
    for date in all(text, r"<(?:pubDate|lastBuildDate)>([^<]*)</") {
        assert!(rfc822.is_match(&date), "RFC 822 date with a numeric zone: {date:?}");
    }
    let blocks: Vec<&str> = items.split("<item>").collect();
    let mut guids = HashSet::new();
    for block in blocks.iter().filter(|b| !b.trim().is_empty()) {
        for tag in ["title", "link", "description", "guid", "pubDate", "category"] {
            assert!(block.contains(&format!("<{tag}")), "item <{tag}> missing in {block}");
        }
        assert!(!block.contains("<author>"), "<author> needs an e-mail: use dc:creator");
        let link = &all(block, r"<link>([^<]*)</link>")[0];
        assert!(link.is_ascii() && url::Url::parse(link).is_ok(), "link is an ASCII URL: {link}");
        let guid = &all(block, r"<guid[^>]*>([^<]*)</guid>")[0];
        assert!(guids.insert(guid.clone()), "duplicate guid {guid}");
        if block.contains("isPermaLink=\"true\"") || !block.contains("isPermaLink") {
            assert_eq!(guid, link, "a permalink guid is the link");
        }
    }
}

/// Atom 1.0 per DESIGN.md §3, with the self link `self_url`.
pub fn check_atom(bytes: &[u8], self_url: &str) {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    common(text);
    let (feed, entries) = text.split_once("<entry").unwrap_or((text, ""));
    assert!(feed.contains("xml:lang=\"vi\""), "xml:lang vi");
    for tag in ["id", "title", "updated", "author"] {
        assert!(feed.contains(&format!("<{tag}")), "feed <{tag}> missing");
    }
    assert!(feed.contains(&format!("href=\"{self_url}\"")) && feed.contains("rel=\"self\""), "self link");
    assert!(feed.contains("rel=\"alternate\""), "alternate link");
    let rfc3339 = Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$").unwrap();
    for date in all(text, r"<(?:updated|published)>([^<]*)</") {
        assert!(rfc3339.is_match(&date), "RFC 3339 date: {date:?}");
    }
    let mut ids = HashSet::new();
    for entry in entries.split("<entry").filter(|b| !b.trim().is_empty()) {
        for tag in ["id", "title", "updated", "published", "link", "summary", "category"] {
            assert!(entry.contains(&format!("<{tag}")), "entry <{tag}> missing in {entry}");
        }
        let id = &all(entry, r"<id>([^<]*)</id>")[0];
        assert!(ids.insert(id.clone()), "duplicate id {id}");
    }
}
