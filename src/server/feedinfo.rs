//! What the index page and the HTTP validators need to know about a feed, read from its own
//! bytes: the server serves files it did not write this run (loaded from `feeds_dir` at start),
//! so the feed document is the one source of truth.

use chrono::{DateTime, FixedOffset};

/// A feed file's format, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FeedKind {
    Rss,
    Atom,
}

impl FeedKind {
    /// `chinh-tri.rss` → (`chinh-tri`, Rss). Only our own names: a slug of `[a-z0-9-]` and a
    /// known extension; anything else is not a feed of ours.
    pub fn split(file: &str) -> Option<(&str, FeedKind)> {
        let (slug, ext) = file.rsplit_once('.')?;
        let kind = match ext {
            "rss" => FeedKind::Rss,
            "atom" => FeedKind::Atom,
            _ => return None,
        };
        let ok = !slug.is_empty()
            && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        ok.then_some((slug, kind))
    }

    pub fn extension(self) -> &'static str {
        match self {
            FeedKind::Rss => "rss",
            FeedKind::Atom => "atom",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FeedKind::Rss => "application/rss+xml; charset=utf-8",
            FeedKind::Atom => "application/atom+xml; charset=utf-8",
        }
    }

    /// The MIME type in autodiscovery links and OPML (without parameters).
    pub fn mime(self) -> &'static str {
        match self {
            FeedKind::Rss => "application/rss+xml",
            FeedKind::Atom => "application/atom+xml",
        }
    }
}

/// A feed's title, item count and date, as the document states them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedInfo {
    pub kind: FeedKind,
    pub title: String,
    pub items: usize,
    /// RSS `lastBuildDate` or Atom feed `updated`: when the feed's items last changed (our
    /// publisher derives it from the items, never from the clock).
    pub updated: Option<DateTime<FixedOffset>>,
}

impl FeedInfo {
    /// Reads the head of the document (before the first item) and counts the items. Best effort:
    /// a field that cannot be read is empty, never an error.
    pub fn scan(kind: FeedKind, bytes: &[u8]) -> FeedInfo {
        let text = String::from_utf8_lossy(bytes);
        let (item_tag, date_tag) = match kind {
            FeedKind::Rss => ("item", "lastBuildDate"),
            FeedKind::Atom => ("entry", "updated"),
        };
        let open = format!("<{item_tag}");
        let starts: Vec<usize> = text
            .match_indices(&open)
            .filter(|(at, _)| matches!(text.as_bytes().get(at + open.len()), Some(b'>' | b' ' | b'\n')))
            .map(|(at, _)| at)
            .collect();
        let head = &text[..starts.first().copied().unwrap_or(text.len())];
        let title = element(head, "title").map(unescape).unwrap_or_default();
        let updated = element(head, date_tag).and_then(|date| {
            let date = date.trim();
            match kind {
                FeedKind::Rss => DateTime::parse_from_rfc2822(date).ok(),
                FeedKind::Atom => DateTime::parse_from_rfc3339(date).ok(),
            }
        });
        FeedInfo { kind, title, items: starts.len(), updated }
    }
}

/// The text of the first `<name>…</name>` in `xml` (attributes allowed on the start tag).
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(at) = xml[from..].find(&open).map(|i| i + from) {
        let after = at + open.len();
        match xml.as_bytes().get(after) {
            Some(b'>' | b' ') => {
                let start = xml[after..].find('>')? + after + 1;
                let end = xml[start..].find(&format!("</{name}>"))? + start;
                return Some(&xml[start..end]);
            }
            _ => from = after,
        }
    }
    None
}

/// XML text → plain text: CDATA unwrapped, entities decoded, whitespace collapsed.
fn unescape(text: &str) -> String {
    let text = text.trim();
    let text = match text.strip_prefix("<![CDATA[").and_then(|t| t.strip_suffix("]]>")) {
        Some(raw) => raw.to_string(),
        None => html_escape::decode_html_entities(text).into_owned(),
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_feed_names_are_feeds() {
        for (file, expected) in [
            ("chinh-tri.rss", Some(("chinh-tri", FeedKind::Rss))),
            ("all.atom", Some(("all", FeedKind::Atom))),
            ("van-hoa-xa-hoi.atom", Some(("van-hoa-xa-hoi", FeedKind::Atom))),
            ("Chinh-Tri.rss", None),
            ("../data.rss", None),
            (".rss", None),
            ("tinfeed.sqlite", None),
            ("feed.xsl", None),
            (".tinfeed-abc.tmp", None),
        ] {
            assert_eq!(FeedKind::split(file), expected, "{file}");
        }
    }

    #[test]
    fn reads_an_rss_head_and_counts_items() {
        let rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>\
            <title>Báo Hà Nam – Văn hóa &amp; Xã hội</title><link>https://baohanam.com.vn/</link>\
            <lastBuildDate>Thu, 28 Nov 2024 10:05:00 +0700</lastBuildDate>\
            <item><title>Lễ hội chùa Tam Chúc</title><pubDate>Wed, 27 Nov 2024 08:00:00 +0700</pubDate></item>\
            <item><title>Hội nghị tỉnh ủy</title></item></channel></rss>";
        let info = FeedInfo::scan(FeedKind::Rss, rss.as_bytes());
        assert_eq!(info.title, "Báo Hà Nam – Văn hóa & Xã hội");
        assert_eq!(info.items, 2);
        assert_eq!(info.updated, DateTime::parse_from_rfc3339("2024-11-28T10:05:00+07:00").ok());
    }

    #[test]
    fn reads_an_atom_head_not_an_entry_date() {
        let atom = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\
            <title type=\"text\"><![CDATA[Báo Hà Nam]]></title><id>x</id>\
            <updated>2024-11-28T10:05:00+07:00</updated>\
            <entry><title>Đời sống</title><updated>2024-11-29T00:00:00+07:00</updated></entry></feed>";
        let info = FeedInfo::scan(FeedKind::Atom, atom.as_bytes());
        assert_eq!(info.title, "Báo Hà Nam");
        assert_eq!(info.items, 1);
        assert_eq!(info.updated, DateTime::parse_from_rfc3339("2024-11-28T10:05:00+07:00").ok());
    }

    #[test]
    fn garbage_gives_empty_fields() {
        let info = FeedInfo::scan(FeedKind::Rss, b"\xff\xfe not xml <title>unclosed");
        assert_eq!(info, FeedInfo { kind: FeedKind::Rss, title: String::new(), items: 0, updated: None });
    }
}
