//! What both feed formats share: text fit for XML 1.0, links that are URLs (not IRIs), the
//! dates a feed derives from its items, and the list of items that may appear once each.

use std::borrow::Cow;
use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, Timelike};
use url::Url;

use crate::model::StoredItem;

/// The Media RSS namespace, for an item's image (`media:content`): we never know an image's byte
/// length, which an RSS `enclosure` requires.
pub(super) const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";

/// The `updated` / `lastBuildDate` of a feed with no items. Feeds must not read the clock (same
/// items, same bytes), so an empty feed carries a fixed date: 2000-01-01T00:00:00+07:00, old
/// enough that any real item is newer and recent enough that validators find it plausible.
pub(super) fn empty_feed_updated() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2000-01-01T00:00:00+07:00").unwrap_or_default()
}

/// `s` without the characters XML 1.0 forbids (C0 controls but tab, newline and carriage
/// return; U+FFFE, U+FFFF) nor the C1 controls it discourages: normalize removes them already,
/// but one stray byte would make the whole feed unreadable, so every text is filtered again.
pub(super) fn clean(s: &str) -> Cow<'_, str> {
    if all_allowed(s) { Cow::Borrowed(s) } else { Cow::Owned(s.chars().filter(|&c| allowed(c)).collect()) }
}

/// Whether every character of `s` is [`allowed`]. Only a C0 control, DEL, or a character whose
/// UTF-8 starts with 0xC2 (C1) or 0xEF (U+FFFE, U+FFFF) can be forbidden: a pass over the bytes
/// without branches (which the compiler vectorizes) clears an item's HTML; the rare text with
/// such a byte is checked character by character.
fn all_allowed(s: &str) -> bool {
    let suspect = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) | matches!(b, 0x7f | 0xC2 | 0xEF);
    !s.bytes().fold(false, |any, b| any | suspect(b)) || s.chars().all(allowed)
}

fn allowed(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// `s` as a URL: validators reject IRIs in `<link>`, so non-ASCII must be percent-encoded (and
/// an international host punycoded). Our URLs come from `url::Url` and pass through unchanged;
/// a string `Url` cannot parse still gets its non-ASCII bytes, spaces and controls encoded.
pub(super) fn uri(s: &str) -> String {
    let s = clean(s);
    let s = s.trim();
    if let Ok(url) = Url::parse(s) {
        return url.into();
    }
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `base` joined with a file name: the self link of a feed file.
pub(super) fn file_url(base: &Url, file: &str) -> String {
    match base.join(file) {
        Ok(url) => url.into(),
        Err(_) => uri(&format!("{base}{file}")),
    }
}

/// RFC 822 as RSS wants it: English names, four-digit year, numeric zone, in the date's own
/// offset (`Thu, 28 Nov 2024 08:30:00 +0700`).
pub(super) fn rfc822(date: DateTime<FixedOffset>) -> String {
    date.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}

/// Whole seconds: RSS dates cannot say more, and both formats should agree.
pub(super) fn seconds(date: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    date.with_nanosecond(0).unwrap_or(date)
}

/// The later of two dates; at the same instant the larger offset wins, so the result never
/// depends on the order it is asked in.
fn later(a: DateTime<FixedOffset>, b: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let key = |d: &DateTime<FixedOffset>| (d.timestamp(), d.offset().local_minus_utc());
    if key(&b) > key(&a) { b } else { a }
}

/// When the feed last changed because of this item: when we first saw it or saw it edited
/// (`updated`), but never before its `published` (a page may carry a later date than when we
/// first saw it).
fn item_changed(item: &StoredItem) -> DateTime<FixedOffset> {
    seconds(later(item.updated, item.published()))
}

/// An entry's own `updated`: its publication date until it is edited, then the edit. Not the
/// first-seen time: every item of one crawl shares it, which says nothing to a reader (and
/// validators warn about entries with equal `updated`). Never before `published`.
pub(super) fn entry_updated(item: &StoredItem) -> DateTime<FixedOffset> {
    if item.updated > item.first_seen { item_changed(item) } else { seconds(item.published()) }
}

/// The feed's own date (`lastBuildDate`, Atom `updated`): the last time an item appeared or
/// changed, never the clock; see [`empty_feed_updated`].
pub(super) fn feed_updated(items: &[&StoredItem]) -> DateTime<FixedOffset> {
    items.iter().map(|i| item_changed(i)).reduce(later).unwrap_or_else(empty_feed_updated)
}

/// A little more than the size of a feed document of `items` (a fifth more on the benchmark
/// corpus): its buffer is allocated once instead of doubling its way up (each step a copy, and
/// fresh memory to fault in), and the slack is given back once it is rendered.
pub(super) fn capacity(items: &[&StoredItem]) -> usize {
    let text = |it: &StoredItem| {
        let it = &it.item;
        // markup escaped as text grows, by up to an eighth on news bodies ("<p>" is "&lt;p&gt;")
        let content = it.content_html.as_ref().map_or(0, |c| c.len() + c.len() / 8);
        it.title.len()
            + it.summary.len()
            + content
            + 3 * it.url.len()
            + it.image.as_ref().map_or(0, String::len)
    };
    4096 + items.iter().map(|it| text(it) + 1024).sum::<usize>()
}

/// `items` in their order, each key once (a later duplicate is dropped: readers would show an
/// item twice, and validators reject repeated GUIDs).
pub(super) fn unique(items: &[StoredItem]) -> Vec<&StoredItem> {
    let mut seen = HashSet::new();
    items.iter().filter(|i| seen.insert(i.item.key.as_str())).collect()
}

/// The category names an item is filed under, each once, or the item's own category when the
/// store gave none.
pub(super) fn categories(item: &StoredItem) -> Vec<Cow<'_, str>> {
    let names = if item.categories.is_empty() {
        std::slice::from_ref(&item.item.category)
    } else {
        item.categories.as_slice()
    };
    let mut out: Vec<Cow<'_, str>> = Vec::new();
    for name in names {
        let name = clean(name.trim());
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// `s` cleaned and trimmed, or `None` when nothing is left.
pub(super) fn non_blank(s: &str) -> Option<String> {
    let s = clean(s);
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_check_agrees_with_the_character_check() {
        for s in [
            "",
            "Hà Nam",
            "a\u{0}",
            "\u{7f}",
            "\u{80}x",
            "\u{9f}",
            "\u{a0}\u{c2}",
            "\u{fffd}\u{fffe}",
            "\u{ffff}",
            "ệ\u{effe}",
        ] {
            assert_eq!(all_allowed(s), s.chars().all(allowed), "{s:?}");
        }
    }

    #[test]
    fn forbidden_characters_are_removed() {
        for (input, expected) in [
            ("Hà Nam\u{0}", "Hà Nam"),
            ("Tin\u{b}\u{c} mới", "Tin mới"),
            ("a\u{1f}b\u{fffe}c\u{ffff}", "abc"),
            ("C1\u{85}\u{9f} rác", "C1 rác"),
            ("tab\tand\nnewline\r", "tab\tand\nnewline\r"),
            ("Đời sống 🇻🇳", "Đời sống 🇻🇳"),
        ] {
            assert_eq!(clean(input), expected, "clean({input:?})");
        }
    }

    #[test]
    fn links_are_ascii_urls() {
        for (input, expected) in [
            (
                "https://baohanam.com.vn/văn-hóa/lễ-hội-123456.html",
                "https://baohanam.com.vn/v%C4%83n-h%C3%B3a/l%E1%BB%85-h%E1%BB%99i-123456.html",
            ),
            ("https://báohànam.vn/a", "https://xn--bohnam-ktaf.vn/a"),
            ("https://baohanam.com.vn/a?q=1&b=2", "https://baohanam.com.vn/a?q=1&b=2"),
            ("/tương đối", "/t%C6%B0%C6%A1ng%20%C4%91%E1%BB%91i"),
        ] {
            assert_eq!(uri(input), expected, "uri({input:?})");
            assert!(uri(input).is_ascii());
        }
    }

    #[test]
    fn rfc822_keeps_the_offset_and_english_names() {
        for (input, expected) in [
            ("2024-11-28T08:30:00+07:00", "Thu, 28 Nov 2024 08:30:00 +0700"),
            ("2020-02-25T07:22:00+07:00", "Tue, 25 Feb 2020 07:22:00 +0700"),
            ("2025-01-05T23:59:59+00:00", "Sun, 05 Jan 2025 23:59:59 +0000"),
            ("2024-07-01T06:00:00-05:30", "Mon, 01 Jul 2024 06:00:00 -0530"),
        ] {
            let date = DateTime::parse_from_rfc3339(input).expect("test date");
            assert_eq!(rfc822(date), expected);
        }
    }

    #[test]
    fn later_is_order_independent_at_equal_instants() {
        let a = DateTime::parse_from_rfc3339("2024-11-28T08:30:00+07:00").expect("test date");
        let b = DateTime::parse_from_rfc3339("2024-11-28T01:30:00+00:00").expect("test date");
        assert_eq!(later(a, b).to_rfc3339(), later(b, a).to_rfc3339());
        assert_eq!(later(a, b).to_rfc3339(), "2024-11-28T08:30:00+07:00");
    }
}
