//! The Atom 1.0 document: ids that never change (the item key when it is a URL, else a UUID URN
//! derived from it), `updated` and `published` in RFC 3339 with the item's own offset.

use std::collections::{BTreeMap, HashSet};

use atom_syndication::extension::{Extension, ExtensionMap};
use atom_syndication::{Category, Content, Entry, Feed, Generator, Link, Person, Text, WriteConfig};
use sha2::{Digest, Sha256};
use url::Url;

use super::FeedMeta;
use super::xml::{
    MEDIA_NS, capacity, categories, clean, entry_updated, feed_updated, file_url, non_blank, seconds, unique,
    uri,
};
use crate::model::StoredItem;
use crate::normalize::slug;

pub(super) fn render(meta: &FeedMeta, items: &[StoredItem]) -> Vec<u8> {
    let items = unique(items);
    let size = capacity(&items);
    let self_href = file_url(&meta.base_url, &format!("{}.atom", meta.slug));
    let title = non_blank(&meta.title).unwrap_or_else(|| meta.slug.clone());
    // Atom requires an author for every entry: the publisher stands in when a page names nobody.
    let author = non_blank(&meta.author).unwrap_or_else(|| title.clone());
    let mut feed = Feed {
        title: Text::plain(title),
        id: self_href.clone(),
        updated: feed_updated(&items),
        authors: vec![person(author)],
        generator: Some(Generator {
            value: "tinfeed".to_owned(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
        links: vec![
            link(self_href, "self", "application/atom+xml"),
            link(uri(meta.link.as_str()), "alternate", "text/html"),
        ],
        subtitle: non_blank(&meta.description).map(Text::plain),
        lang: non_blank(&meta.language),
        ..Feed::default()
    };

    let mut ids = HashSet::new();
    for stored in items {
        let entry = entry(stored);
        if !ids.insert(entry.id.clone()) {
            continue;
        }
        if !entry.extensions.is_empty() {
            feed.namespaces.insert("media".to_owned(), MEDIA_NS.to_owned());
        }
        feed.entries.push(entry);
    }

    // The crate's declaration names no encoding; ours says UTF-8 outright.
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.extend_from_slice(super::rss_feed::STYLESHEET_PI.as_bytes());
    let config = WriteConfig { write_document_declaration: false, indent_size: None };
    // Writing into a Vec cannot fail: quick-xml's only errors are those of the writer.
    feed.write_with_config(&mut out, config).expect("writing Atom into memory");
    // the estimate's slack back (in place under jemalloc): the daemon keeps these bytes
    out.shrink_to_fit();
    out
}

fn entry(stored: &StoredItem) -> Entry {
    let it = &stored.item;
    let href = uri(&it.url);
    let title = non_blank(&it.title).unwrap_or_else(|| href.clone());
    let categories = categories(stored)
        .into_iter()
        .map(|name| {
            let term = match slug(&name) {
                s if s.is_empty() => name.clone().into_owned(),
                s => s,
            };
            Category { term, scheme: None, label: Some(name.into_owned()) }
        })
        .collect();
    let content = it.content_html.as_deref().and_then(non_blank).map(|html| Content {
        value: Some(html),
        content_type: Some("html".to_owned()),
        ..Content::default()
    });
    Entry {
        title: Text::plain(title.clone()),
        id: entry_id(&it.key),
        updated: entry_updated(stored),
        published: Some(seconds(stored.published())),
        authors: it.author.as_deref().and_then(non_blank).map(person).into_iter().collect(),
        links: vec![link(href, "alternate", "text/html")],
        // An entry without content needs a summary (validators want some text): the title.
        summary: non_blank(&it.summary).or_else(|| content.is_none().then(|| title.clone())).map(Text::plain),
        content,
        categories,
        extensions: it.image.as_deref().map(media_content).unwrap_or_default(),
        ..Entry::default()
    }
}

/// The entry id: the key itself when it is a web URL or already a `tag:`/`urn:` URI (the key
/// is the canonical URL by contract), else a UUID URN derived from its SHA-256 so that it
/// stays the same for as long as the key does.
fn entry_id(key: &str) -> String {
    let key = clean(key);
    if let Ok(url) = Url::parse(key.trim()) {
        let web = matches!(url.scheme(), "http" | "https") && url.host().is_some();
        if web || matches!(url.scheme(), "tag" | "urn") {
            return url.into();
        }
    }
    let digest = Sha256::digest(key.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    // RFC 9562: version 8 (custom), variant 10.
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("urn:uuid:{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

fn person(name: String) -> Person {
    Person { name, ..Person::default() }
}

fn link(href: String, rel: &str, mime_type: &str) -> Link {
    Link { href, rel: rel.to_owned(), mime_type: Some(mime_type.to_owned()), ..Link::default() }
}

/// `<media:content url="…" medium="image"/>`. atom_syndication writes extension attributes
/// verbatim, so the value is escaped here (a test guards against the crate starting to
/// escape too).
fn media_content(image: &str) -> ExtensionMap {
    let url = html_escape::encode_double_quoted_attribute(&uri(image)).into_owned();
    let attrs = BTreeMap::from([("medium".to_owned(), "image".to_owned()), ("url".to_owned(), url)]);
    let content = Extension { name: "media:content".to_owned(), attrs, ..Extension::default() };
    BTreeMap::from([("media".to_owned(), BTreeMap::from([("content".to_owned(), vec![content])]))])
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;

    use super::{entry_id, render};
    use crate::publish::fixtures::{date, items, meta, parse, text};

    #[test]
    fn entries_read_back_field_by_field() {
        let feed = parse(&render(&meta(), &items()));
        assert_eq!(feed.id, "http://127.0.0.1:8080/van-hoa-xa-hoi.atom");
        assert_eq!(feed.language.as_deref(), Some("vi"));
        assert_eq!(feed.updated, Some(date("2024-11-28T10:05:00+07:00").to_utc()));
        let authors: Vec<_> = feed.authors.iter().map(|a| a.name.as_deref()).collect();
        assert_eq!(authors, [Some("Báo Hà Nam")]);
        let links: Vec<_> = feed.links.iter().map(|l| (l.rel.as_deref(), l.href.as_str())).collect();
        assert_eq!(
            links,
            [
                (Some("self"), "http://127.0.0.1:8080/van-hoa-xa-hoi.atom"),
                (Some("alternate"), "https://baohanam.com.vn/van-hoa-xa-hoi"),
            ]
        );

        let festival =
            "https://baohanam.com.vn/van-hoa/le-hoi/khai-mac-le-hoi-chua-tam-chuc-2024-123456.html";
        let youth = "https://baohanam.com.vn/x%C3%A3-h%E1%BB%99i/t%E1%BB%89nh-%C4%91o%C3%A0n-654321.html";
        let summit = "https://baohanam.com.vn/chinh-tri/thu-tuong-du-hoi-nghi-thuong-dinh-111222.html";
        let rows: Vec<_> = feed
            .entries
            .iter()
            .map(|e| {
                (
                    e.id.as_str(),
                    e.links.first().map(|l| l.href.as_str()),
                    e.published,
                    e.updated,
                    e.summary.as_ref().map(|s| s.content.as_str()),
                    e.content.is_some(),
                    e.authors.first().and_then(|a| a.name.as_deref()),
                    e.categories.iter().map(|c| (c.term.as_str(), c.label.as_deref())).collect::<Vec<_>>(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    festival,
                    Some(festival),
                    Some(date("2024-11-28T08:30:00+07:00").to_utc()),
                    // never edited: updated is the publication date, not first seen
                    Some(date("2024-11-28T08:30:00+07:00").to_utc()),
                    Some(
                        "Sáng 27/11, tại Khu Du lịch Tam Chúc, chùa Tam Chúc phối hợp với Hội Phật \
                     tử Việt Nam tại Nhật tổ chức khai mạc lễ hội."
                    ),
                    true,
                    Some("Minh Hằng"),
                    vec![("van-hoa-xa-hoi", Some("Văn hóa - Xã hội"))],
                ),
                (
                    youth,
                    Some(youth),
                    Some(date("2024-11-27T09:15:00+07:00").to_utc()),
                    Some(date("2024-11-27T09:15:00+07:00").to_utc()),
                    // plain text (Atom's default type), not escaped HTML
                    Some("Hội nghị góp ý dự thảo \"Quy chế tuyển dụng\" cho < 100 xã & phường."),
                    false,
                    None,
                    vec![("van-hoa-xa-hoi", Some("Văn hóa - Xã hội"))],
                ),
                (
                    "urn:uuid:e55844c4-840b-8969-a031-1163a70e63bb",
                    Some(summit),
                    Some(date("2024-11-27T07:45:00+07:00").to_utc()),
                    Some(date("2024-11-28T10:05:00+07:00").to_utc()),
                    Some("Sáng 27/11, tại Hà Nội, Thủ tướng Chính phủ Phạm Minh Chính dự Hội nghị."),
                    true,
                    Some("Thanh Tùng"),
                    vec![("chinh-tri", Some("Chính trị")), ("van-hoa-xa-hoi", Some("Văn hóa - Xã hội")),],
                ),
            ]
        );
        let image = feed.entries[0].media.first().and_then(|m| m.content.first());
        assert_eq!(
            image.and_then(|c| c.url.as_ref()).map(|u| u.as_str()),
            Some("https://baohanam-fileserver.nvcms.net/IMAGES/2024/11/27/tam-chuc.jpg?w=800&h=450")
        );
    }

    #[test]
    fn dates_are_rfc3339_in_their_own_offset() {
        let xml = text(&render(&meta(), &items()));
        assert!(xml.contains("?>\n<feed "), "{xml}");
        for needle in [
            "xml:lang=\"vi\"",
            "<updated>2024-11-28T10:05:00+07:00</updated>",
            "<published>2024-11-28T08:30:00+07:00</published>",
            "<content type=\"html\">&lt;p&gt;Sáng 27/11",
            "<link href=\"http://127.0.0.1:8080/van-hoa-xa-hoi.atom\" rel=\"self\" type=\"application/atom+xml\"/>",
        ] {
            assert!(xml.contains(needle), "{needle} missing from\n{xml}");
        }
    }

    #[test]
    fn ids_are_stable_uris() {
        for (key, id) in [
            ("https://baohanam.com.vn/a-123456.html", "https://baohanam.com.vn/a-123456.html"),
            ("tag:baohanam.com.vn,2024:123456", "tag:baohanam.com.vn,2024:123456"),
            ("sha256:5b1f0c7e9a2d4e6f8b0a1c3d5e7f9a0b", "urn:uuid:e55844c4-840b-8969-a031-1163a70e63bb"),
            ("bài viết không có URL", "urn:uuid:"),
        ] {
            assert!(entry_id(key).starts_with(id), "entry_id({key:?}) = {}", entry_id(key));
            assert_eq!(entry_id(key), entry_id(key));
        }
    }

    #[test]
    fn same_items_same_bytes_and_duplicates_once() {
        let (m, i) = (meta(), items());
        assert_eq!(render(&m, &i), render(&m, &i));
        let mut twice = i.clone();
        twice.push(i[1].clone());
        assert_eq!(render(&m, &twice), render(&m, &i));
    }

    #[test]
    fn forbidden_characters_never_reach_the_feed() {
        let mut dirty = items();
        dirty[1].item.title = "Tỉnh\u{0} đoàn\u{ffff}".to_owned();
        dirty[1].item.summary = "Hội\u{1b} nghị".to_owned();
        let bytes = render(&meta(), &dirty);
        assert!(!text(&bytes).chars().any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')));
        let feed = parse(&bytes);
        assert_eq!(feed.entries[1].title.as_ref().map(|t| t.content.as_str()), Some("Tỉnh đoàn"));
    }

    #[test]
    fn an_entry_without_text_gets_its_title_as_summary() {
        let mut bare = items();
        bare[1].item.summary = " ".to_owned();
        bare[0].item.summary = String::new();
        let feed = parse(&render(&meta(), &bare));
        let summaries: Vec<_> =
            feed.entries.iter().map(|e| e.summary.as_ref().map(|s| s.content.as_str())).collect();
        assert_eq!(
            summaries[..2],
            [
                // has content: no summary needed
                None,
                Some("Tỉnh đoàn phản biện dự thảo quy chế tuyển dụng công chức cấp xã"),
            ]
        );
    }

    #[test]
    fn an_empty_feed_is_well_formed() {
        let bytes = render(&meta(), &[]);
        let feed = parse(&bytes);
        assert!(feed.entries.is_empty());
        assert!(text(&bytes).contains("<updated>2000-01-01T00:00:00+07:00</updated>"));
    }

    #[test]
    fn a_browser_gets_the_stylesheet_right_after_the_declaration() {
        let doc = text(&render(&meta(), &items()));
        let expected = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
                        <?xml-stylesheet type=\"text/xsl\" href=\"feed.xsl\"?>\n<";
        assert!(doc.starts_with(expected), "{}", &doc[..200.min(doc.len())]);
        assert_eq!(doc.matches("<?xml-stylesheet").count(), 1);
        // readers skip the instruction: the Atom still parses with every item
        assert_eq!(parse(doc.as_bytes()).entries.len(), items().len());
    }
}
