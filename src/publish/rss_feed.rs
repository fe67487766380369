//! The RSS 2.0 document, with the namespaces validators expect for what RSS itself lacks:
//! `atom:link rel="self"`, `dc:creator` (names; RSS `author` wants an e-mail),
//! `content:encoded` (the article HTML) and `media:content` (the image: an `enclosure` needs a
//! byte length we never know).

use std::collections::{BTreeMap, HashSet};

use ::rss::extension::dublincore::DublinCoreExtension;
use ::rss::extension::{Extension, ExtensionMap};
use ::rss::{Category, Channel, Guid, Item};

use super::FeedMeta;
use super::xml::{
    MEDIA_NS, capacity, clean, feed_updated, file_url, non_blank, rfc822, seconds, unique, uri,
};
use crate::model::StoredItem;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// Right after the XML declaration of both formats: a browser that opens a feed shows it through
/// this stylesheet as a readable page (the server serves it next to the feeds, so the relative
/// link works under any `base_url`). Feed readers and validators ignore it.
pub(super) const STYLESHEET_PI: &str = "<?xml-stylesheet type=\"text/xsl\" href=\"feed.xsl\"?>\n";

pub(super) fn render(meta: &FeedMeta, items: &[StoredItem]) -> Vec<u8> {
    let items = unique(items);
    let size = capacity(&items);
    let mut channel = Channel {
        title: non_blank(&meta.title).unwrap_or_else(|| meta.slug.clone()),
        link: uri(meta.link.as_str()),
        description: non_blank(&meta.description)
            .or_else(|| non_blank(&meta.title))
            .unwrap_or_else(|| meta.slug.clone()),
        language: non_blank(&meta.language),
        last_build_date: Some(rfc822(feed_updated(&items))),
        generator: Some(concat!("tinfeed ", env!("CARGO_PKG_VERSION")).to_owned()),
        ..Channel::default()
    };
    channel.namespaces.insert("atom".to_owned(), ATOM_NS.to_owned());
    channel.extensions = self_link(meta);

    let mut guids = HashSet::new();
    for stored in items {
        let item = entry(stored);
        let guid = item.guid.as_ref().map(|g| g.value.clone()).unwrap_or_default();
        if !guids.insert(guid) {
            continue;
        }
        if !item.extensions.is_empty() {
            channel.namespaces.insert("media".to_owned(), MEDIA_NS.to_owned());
        }
        channel.items.push(item);
    }

    // Writing into a Vec cannot fail: quick-xml's only errors are those of the writer.
    let doc = channel.write_to(Vec::with_capacity(size)).expect("writing RSS into memory");
    with_stylesheet(doc)
}

/// `doc` with [`STYLESHEET_PI`] on its own line after the XML declaration (moved in place: the
/// buffer was sized for it).
fn with_stylesheet(mut doc: Vec<u8>) -> Vec<u8> {
    let declaration_end = match doc.windows(2).position(|w| w == b"?>") {
        Some(at) if doc.starts_with(b"<?xml ") => at + 2,
        _ => 0,
    };
    let newline: &[u8] = if declaration_end > 0 { b"\n" } else { b"" };
    let inserted = newline.iter().chain(STYLESHEET_PI.as_bytes()).copied();
    doc.splice(declaration_end..declaration_end, inserted);
    // the estimate's slack back (in place under jemalloc): the daemon keeps these bytes
    doc.shrink_to_fit();
    doc
}

/// `<atom:link href="…/<slug>.rss" rel="self" type="application/rss+xml"/>`, as a generic
/// extension: the `rss` crate's typed Atom support would pull in more crates for one element.
fn self_link(meta: &FeedMeta) -> ExtensionMap {
    let attrs = BTreeMap::from([
        ("href".to_owned(), file_url(&meta.base_url, &format!("{}.rss", meta.slug))),
        ("rel".to_owned(), "self".to_owned()),
        ("type".to_owned(), "application/rss+xml".to_owned()),
    ]);
    let link = Extension { name: "atom:link".to_owned(), attrs, ..Extension::default() };
    let by_name = BTreeMap::from([("link".to_owned(), vec![link])]);
    BTreeMap::from([("atom".to_owned(), by_name)])
}

fn entry(stored: &StoredItem) -> Item {
    let it = &stored.item;
    let link = uri(&it.url);
    // The key is the canonical URL by contract; when it is something else (a hash), it is no
    // permalink and readers must not follow it.
    let guid = if it.key == it.url {
        Guid { value: link.clone(), permalink: true }
    } else {
        Guid { value: clean(&it.key).into_owned(), permalink: false }
    };
    let title = non_blank(&it.title).unwrap_or_else(|| link.clone());
    // RSS `description` is HTML: the plain-text summary is escaped so "<" and "&" show as typed.
    let summary = non_blank(&it.summary).unwrap_or_else(|| title.clone());
    let description = html_escape::encode_text(&summary).into_owned();
    let categories = super::xml::categories(stored)
        .into_iter()
        .map(|name| Category { name: name.into_owned(), domain: None })
        .collect();
    let dublin_core_ext = it
        .author
        .as_deref()
        .and_then(non_blank)
        .map(|name| DublinCoreExtension { creators: vec![name], ..DublinCoreExtension::default() });
    Item {
        title: Some(title),
        link: Some(link),
        description: Some(description),
        categories,
        guid: Some(guid),
        pub_date: Some(rfc822(seconds(stored.published()))),
        content: it.content_html.as_deref().and_then(non_blank),
        extensions: it.image.as_deref().map(media_content).unwrap_or_default(),
        dublin_core_ext,
        ..Item::default()
    }
}

/// `<media:content url="…" medium="image"/>`
fn media_content(image: &str) -> ExtensionMap {
    let attrs = BTreeMap::from([("medium".to_owned(), "image".to_owned()), ("url".to_owned(), uri(image))]);
    let content = Extension { name: "media:content".to_owned(), attrs, ..Extension::default() };
    BTreeMap::from([("media".to_owned(), BTreeMap::from([("content".to_owned(), vec![content])]))])
}

#[cfg(test)]
mod tests {
    use feed_rs::model::Entry;
    use pretty_assertions::assert_eq;

    use super::render;
    use crate::publish::fixtures::{date, items, meta, parse, text};

    fn categories(entry: &Entry) -> Vec<&str> {
        entry.categories.iter().map(|c| c.term.as_str()).collect()
    }

    #[test]
    fn items_read_back_field_by_field() {
        let feed = parse(&render(&meta(), &items()));
        assert_eq!(feed.title.map(|t| t.content).as_deref(), Some("Báo Hà Nam – Văn hóa - Xã hội"));
        assert_eq!(feed.language.as_deref(), Some("vi"));
        // the latest change over all items (the last item's edit), not the first item's
        assert_eq!(feed.updated, Some(date("2024-11-28T10:05:00+07:00").to_utc()));
        let rows: Vec<_> = feed
            .entries
            .iter()
            .map(|e| {
                (
                    e.title.as_ref().map(|t| t.content.as_str()),
                    e.links.first().map(|l| l.href.as_str()),
                    e.id.as_str(),
                    e.published,
                    e.summary.as_ref().map(|s| s.content.as_str()),
                    categories(e),
                    e.authors.first().and_then(|a| a.name.as_deref()),
                )
            })
            .collect();
        let festival =
            "https://baohanam.com.vn/van-hoa/le-hoi/khai-mac-le-hoi-chua-tam-chuc-2024-123456.html";
        let youth = "https://baohanam.com.vn/x%C3%A3-h%E1%BB%99i/t%E1%BB%89nh-%C4%91o%C3%A0n-654321.html";
        let summit = "https://baohanam.com.vn/chinh-tri/thu-tuong-du-hoi-nghi-thuong-dinh-111222.html";
        assert_eq!(
            rows,
            vec![
                (
                    Some("Khai mạc Lễ hội giao lưu Văn hóa Phật giáo Việt Nam – Nhật Bản"),
                    Some(festival),
                    festival,
                    Some(date("2024-11-28T08:30:00+07:00").to_utc()),
                    Some(
                        "Sáng 27/11, tại Khu Du lịch Tam Chúc, chùa Tam Chúc phối hợp với Hội Phật \
                     tử Việt Nam tại Nhật tổ chức khai mạc lễ hội."
                    ),
                    vec!["Văn hóa - Xã hội"],
                    Some("Minh Hằng"),
                ),
                (
                    Some("Tỉnh đoàn phản biện dự thảo quy chế tuyển dụng công chức cấp xã"),
                    Some(youth),
                    youth,
                    Some(date("2024-11-27T09:15:00+07:00").to_utc()),
                    // escaped HTML, as RSS descriptions are HTML
                    Some("Hội nghị góp ý dự thảo \"Quy chế tuyển dụng\" cho &lt; 100 xã &amp; phường."),
                    vec!["Văn hóa - Xã hội"],
                    None,
                ),
                (
                    Some("Thủ tướng dự Hội nghị Thượng đỉnh Kinh doanh Việt Nam - Hoa Kỳ"),
                    Some(summit),
                    "sha256:5b1f0c7e9a2d4e6f8b0a1c3d5e7f9a0b",
                    // no page date: first seen
                    Some(date("2024-11-27T07:45:00+07:00").to_utc()),
                    Some("Sáng 27/11, tại Hà Nội, Thủ tướng Chính phủ Phạm Minh Chính dự Hội nghị."),
                    vec!["Chính trị", "Văn hóa - Xã hội"],
                    Some("Thanh Tùng"),
                ),
            ]
        );
        // content:encoded only where there is content; media:content only where there is an image
        let content: Vec<bool> = feed.entries.iter().map(|e| e.content.is_some()).collect();
        assert_eq!(content, [true, false, true]);
        let media = &feed.entries[0].media;
        assert_eq!(
            media.first().and_then(|m| m.content.first()).and_then(|c| c.url.as_ref()).map(|u| u.as_str()),
            Some("https://baohanam-fileserver.nvcms.net/IMAGES/2024/11/27/tam-chuc.jpg?w=800&h=450")
        );
        assert!(feed.entries[1].media.is_empty() && feed.entries[2].media.is_empty());
    }

    #[test]
    fn dates_are_rfc822_in_their_own_offset() {
        let xml = text(&render(&meta(), &items()));
        for needle in [
            "<lastBuildDate>Thu, 28 Nov 2024 10:05:00 +0700</lastBuildDate>",
            "<pubDate>Thu, 28 Nov 2024 08:30:00 +0700</pubDate>",
            "<pubDate>Wed, 27 Nov 2024 09:15:00 +0700</pubDate>",
            "<pubDate>Wed, 27 Nov 2024 07:45:00 +0700</pubDate>",
        ] {
            assert!(xml.contains(needle), "{needle} missing from\n{xml}");
        }
    }

    #[test]
    fn channel_has_what_validators_require() {
        let xml = text(&render(&meta(), &items()));
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), "{xml}");
        for needle in [
            "<atom:link href=\"http://127.0.0.1:8080/van-hoa-xa-hoi.rss\" rel=\"self\" type=\"application/rss+xml\">",
            "<link>https://baohanam.com.vn/van-hoa-xa-hoi</link>",
            "<language>vi</language>",
            "<guid>https://baohanam.com.vn/van-hoa/le-hoi/khai-mac-le-hoi-chua-tam-chuc-2024-123456.html</guid>",
            "<guid isPermaLink=\"false\">sha256:5b1f0c7e9a2d4e6f8b0a1c3d5e7f9a0b</guid>",
            "<dc:creator>Minh Hằng</dc:creator>",
            "xmlns:media=\"http://search.yahoo.com/mrss/\"",
            "medium=\"image\" url=\"https://baohanam-fileserver.nvcms.net/IMAGES/2024/11/27/tam-chuc.jpg?w=800&amp;h=450\"",
        ] {
            assert!(xml.contains(needle), "{needle} missing from\n{xml}");
        }
        assert!(!xml.contains("<author>"), "names go in dc:creator:\n{xml}");
        assert!(!xml.contains("<enclosure"), "we never know an image's length:\n{xml}");
    }

    #[test]
    fn same_items_same_bytes() {
        let (m, i) = (meta(), items());
        assert_eq!(render(&m, &i), render(&m, &i));
        // the channel date comes from the items, not from their order or the clock
        let mut reversed = i.clone();
        reversed.reverse();
        let date = |xml: &[u8]| {
            let xml = text(xml);
            let start = xml.find("<lastBuildDate>").expect("lastBuildDate");
            xml[start..start + 60].to_owned()
        };
        assert_eq!(date(&render(&m, &reversed)), date(&render(&m, &i)));
    }

    #[test]
    fn a_duplicate_key_appears_once() {
        let mut twice = items();
        let mut again = twice[0].clone();
        again.item.title = "Bản sửa".to_owned();
        twice.push(again);
        let feed = parse(&render(&meta(), &twice));
        assert_eq!(feed.entries.len(), 3);
        assert_eq!(
            feed.entries[0].title.as_ref().map(|t| t.content.as_str()),
            Some("Khai mạc Lễ hội giao lưu Văn hóa Phật giáo Việt Nam – Nhật Bản")
        );
    }

    #[test]
    fn forbidden_characters_never_reach_the_feed() {
        let mut dirty = items();
        dirty[0].item.title = "Lễ hội\u{0} Tam\u{b} Chúc\u{fffe}".to_owned();
        dirty[0].item.summary = "Sáng\u{1} 27/11\u{c}".to_owned();
        dirty[0].item.content_html = Some("<p>Nội\u{1f} dung</p>".to_owned());
        dirty[0].item.author = Some("Minh\u{7} Hằng".to_owned());
        dirty[0].categories = vec!["Văn hóa\u{2} - Xã hội".to_owned()];
        let bytes = render(&meta(), &dirty);
        let xml = text(&bytes);
        assert!(!xml.chars().any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')));
        let feed = parse(&bytes);
        assert_eq!(feed.entries[0].title.as_ref().map(|t| t.content.as_str()), Some("Lễ hội Tam Chúc"));
    }

    #[test]
    fn iri_links_become_urls() {
        let mut raw = items();
        raw[0].item.url = "https://baohanam.com.vn/thời-sự/tin ngắn-1.html".to_owned();
        raw[0].item.key = raw[0].item.url.clone();
        raw[0].item.image = Some("https://baohanam-fileserver.nvcms.net/ảnh.jpg".to_owned());
        let xml = text(&render(&meta(), &raw));
        let encoded = "https://baohanam.com.vn/th%E1%BB%9Di-s%E1%BB%B1/tin%20ng%E1%BA%AFn-1.html";
        for needle in [
            format!("<link>{encoded}</link>"),
            format!("<guid>{encoded}</guid>"),
            "url=\"https://baohanam-fileserver.nvcms.net/%E1%BA%A3nh.jpg\"".to_owned(),
        ] {
            assert!(xml.contains(&needle), "{needle} missing from\n{xml}");
        }
    }

    #[test]
    fn an_empty_feed_is_well_formed() {
        let bytes = render(&meta(), &[]);
        let feed = parse(&bytes);
        assert!(feed.entries.is_empty());
        assert!(text(&bytes).contains("<lastBuildDate>Sat, 01 Jan 2000 00:00:00 +0700</lastBuildDate>"));
        assert_eq!(render(&meta(), &[]), bytes);
    }

    #[test]
    fn a_browser_gets_the_stylesheet_right_after_the_declaration() {
        let doc = text(&render(&meta(), &items()));
        let expected = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
                        <?xml-stylesheet type=\"text/xsl\" href=\"feed.xsl\"?>\n<";
        assert!(doc.starts_with(expected), "{}", &doc[..200.min(doc.len())]);
        assert_eq!(doc.matches("<?xml-stylesheet").count(), 1);
        // readers skip the instruction: the RSS still parses with every item
        assert_eq!(parse(doc.as_bytes()).entries.len(), items().len());
    }
}
