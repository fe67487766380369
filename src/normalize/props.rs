//! Properties of the whole stage: whatever the page holds, an item comes out NFC, XML-safe,
//! within its lengths, and normalizing an item's own output again changes nothing.

use std::path::Path;

use chrono::DateTime;
use proptest::prelude::*;
use unicode_normalization::is_nfc;

use super::text::is_xml_char;
use super::{Context, clean_lead, clean_text, clean_title, item};
use crate::config::{Config, Source};
use crate::model::{Item, RawItem};

fn source() -> Source {
    let toml = "[site]\ntitle = \"Báo Hà Nam\"\n[[sources]]\nid = \"a\"\nkind = \"html\"\n\
                url = \"https://baohanam.com.vn/\"\ncategory = \"Thời sự\"\nsummary_length = 120\n";
    let config = Config::parse(Path::new("/etc/tinfeed.toml"), toml).expect("test config");
    config.sources.into_iter().next().expect("one source")
}

fn normalize(raw: RawItem) -> Option<Item> {
    let source = source();
    let fetched_at = DateTime::parse_from_rfc3339("2024-11-28T10:00:00+07:00").unwrap();
    item(raw, &Context { source: &source, site_title: "Báo Hà Nam", fetched_at }).ok()
}

/// Pieces of real pages: Vietnamese prose, tags, entities, NFD marks, boilerplate lines.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Sáng 27/11, tỉnh Hà Nam tổ chức hội nghị. ".to_string()),
        Just("GS.TS. Nguyễn Văn A và ThS. Lê B dự tại TP.HCM, Q.1 với 1.000 người. ".to_string()),
        Just("Nghị quyết 47/NQ-CP ngày 15/4/2024 giao 4,5 tỷ đồng./.".to_string()),
        Just("(Dân trí) - ".to_string()),
        Just("TPO - ".to_string()),
        Just(" - Báo Hà Nam".to_string()),
        Just("Quô\u{301}c hô\u{323}i &amp; nhân dân ".to_string()),
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<p style=\"text-align:right\"><b>Hồng Duy</b></p>".to_string()),
        Just("<div><h3>Tin liên quan</h3><ul><li><a href=\"/x\">X</a></li></ul></div>".to_string()),
        Just("<img data-src=\"/a.jpg\" src=\"blank.gif\">".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<a href=\"javascript:x()\" onclick=\"y()\">link</a>".to_string()),
        Just("Ảnh: Hồng Duy".to_string()),
        Just("BÁO HÀ NAM ĐIỆN TỬ".to_string()),
        Just("Tổng Biên tập: Lê Hồng Kỳ".to_string()),
        Just("\u{0}\u{b}\u{fffe}\u{93}\u{200b}\u{a0}".to_string()),
        "[a-zà-ỹĐđ .,]{0,30}",
        any::<String>(),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..8).prop_map(|p| p.concat())
}

/// Pieces of text as real pages hold it: no markup in plain text, words rather than random
/// letters (a run of random Latin-1 letters is what a legacy encoding looks like, and whether
/// one is repaired is judged on the whole block it came in), odd characters that are no letter
/// of one (Greek, emoji, a mark with nothing to combine with).
fn prose() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "Sáng",
        "tỉnh",
        "Hà",
        "Nam",
        "tổ",
        "chức",
        "hội",
        "nghị",
        "Quốc",
        "nhân",
        "dân",
        "Đảng",
        "bộ",
        "thủy",
        "lợi",
        "khoẻ",
        "mạnh",
        "người",
        "được",
        "trưởng",
        "về",
        "ở",
        "a",
        "B",
        "27/11,",
        "1.000",
    ]);
    let odd =
        prop::sample::select(vec!["\u{338}", "\u{334}", "\u{1cf30}", "Έ", "Ω", "λ", "😀", "中", "\u{a0}"]);
    let piece = prop_oneof![
        Just("Sáng 27/11, tỉnh Hà Nam tổ chức hội nghị. ".to_string()),
        Just("GS.TS. Nguyễn Văn A và ThS. Lê B dự tại TP.HCM, Q.1 với 1.000 người. ".to_string()),
        Just("Nghị quyết 47/NQ-CP ngày 15/4/2024 giao 4,5 tỷ đồng./.".to_string()),
        Just("(Dân trí) - ".to_string()),
        Just("Quô\u{301}c hô\u{323}i &amp; nhân dân ".to_string()),
        prop::collection::vec((word, prop::option::of(odd)), 1..6).prop_map(|words| {
            words.into_iter().map(|(w, odd)| format!("{}{w} ", odd.unwrap_or(""))).collect()
        }),
    ];
    prop::collection::vec(piece, 1..6).prop_map(|p| p.concat())
}

/// Raw items as extraction gives them: a lead perhaps, and a body of real-looking blocks.
fn realistic_raw() -> impl Strategy<Value = RawItem> {
    let block = prop_oneof![
        prose().prop_map(|p| format!("<p>{p}</p>")),
        Just("<p style=\"text-align:right\"><b>Hồng Duy</b></p>".to_string()),
        Just("<div><h3>Tin liên quan</h3><ul><li><a href=\"/x\">X</a></li></ul></div>".to_string()),
        Just("<figure><img data-src=\"/a.jpg\" src=\"blank.gif\"><figcaption>Ảnh: Hồng Duy</figcaption></figure>".to_string()),
        Just("<p>BÁO HÀ NAM ĐIỆN TỬ</p><p>Tổng Biên tập: Lê Hồng Kỳ</p>".to_string()),
    ];
    let body = prop_oneof![
        prop::collection::vec(block, 1..6).prop_map(|b| (Some(b.concat()), Vec::new())),
        prop::collection::vec(prose(), 1..5).prop_map(|p| (None, p)),
    ];
    (prop::option::of(prose()), prop::option::of(prose()), body).prop_map(
        |(title, summary, (content_html, paragraphs))| RawItem {
            url: "https://baohanam.com.vn/thoi-su/bai-123456.html".into(),
            title,
            summary,
            content_html,
            paragraphs,
            author: Some("Hồng Duy".into()),
            ..RawItem::default()
        },
    )
}

fn raw() -> impl Strategy<Value = RawItem> {
    (
        prop::option::of(text()),
        prop::option::of(text()),
        // a page gives an HTML body, a text file paragraphs: never both
        prop_oneof![
            prop::option::of(text()).prop_map(|html| (html, Vec::new())),
            prop::collection::vec(text(), 0..5).prop_map(|p| (None, p)),
        ],
        prop::option::of(text()),
        prop::option::of(text()),
    )
        .prop_map(|(title, summary, (content_html, paragraphs), date, author)| RawItem {
            url: "https://baohanam.com.vn/thoi-su/bai-123456.html".into(),
            title,
            summary,
            content_html,
            paragraphs,
            date,
            author,
            ..RawItem::default()
        })
}

fn clean(s: &str) -> bool {
    is_nfc(s) && s.chars().all(|c| is_xml_char(c) && (!c.is_control() || matches!(c, '\n' | '\t' | '\r')))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn every_field_is_nfc_xml_safe_and_within_bounds(raw in raw()) {
        if let Some(item) = normalize(raw) {
            prop_assert!(!item.title.is_empty());
            for field in [Some(&item.title), Some(&item.summary), item.content_html.as_ref(), item.author.as_ref()]
                .into_iter()
                .flatten()
            {
                prop_assert!(clean(field), "{field:?}");
            }
            prop_assert!(item.summary.chars().count() <= 120, "{:?}", item.summary);
            if let Some(html) = &item.content_html {
                // text escapes every "<", so each one starts a real tag
                for tag in html.to_lowercase().split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")) {
                    let active = ["script", "iframe", "style"].iter().any(|name| tag.starts_with(name))
                        || tag.contains("\"javascript:")
                        || tag.contains(" on");
                    prop_assert!(!active, "<{tag}> in {html}");
                }
            }
            if let Some(date) = item.published {
                prop_assert_eq!(date.offset().local_minus_utc(), 7 * 3600);
            }
        }
    }

    #[test]
    fn normalizing_an_item_again_changes_nothing(raw in realistic_raw()) {
        let Some(first) = normalize(raw) else { return Ok(()) };
        let again = RawItem {
            url: first.url.clone(),
            title: Some(first.title.clone()),
            summary: Some(first.summary.clone()).filter(|s| !s.is_empty()),
            content_html: first.content_html.clone(),
            date: first.published.map(|d| d.to_rfc3339()),
            author: first.author.clone(),
            image: first.image.clone(),
            ..RawItem::default()
        };
        let second = normalize(again).expect("a normalized item normalizes");
        prop_assert_eq!(&second.title, &first.title);
        prop_assert_eq!(&second.summary, &first.summary);
        prop_assert_eq!(&second.content_html, &first.content_html);
        prop_assert_eq!(second.published, first.published);
        prop_assert_eq!(&second.image, &first.image);
        prop_assert_eq!(&second.author, &first.author);
    }

    #[test]
    fn title_and_lead_cleaning_are_idempotent(s in text()) {
        if let Some(title) = clean_title(&s, "Báo Hà Nam") {
            prop_assert_eq!(clean_title(&title, "Báo Hà Nam"), Some(title.clone()));
        }
        let lead = clean_lead(&s);
        prop_assert_eq!(clean_lead(&lead), lead.clone());
        prop_assert_eq!(clean_text(&lead), lead);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let raw = RawItem {
            url: "https://baohanam.com.vn/a-1.html".into(),
            title: Some(text.clone()),
            summary: Some(text.clone()),
            content_html: Some(text.clone()),
            paragraphs: text.lines().map(String::from).collect(),
            date: Some(text.clone()),
            author: Some(text.clone()),
            image: Some(text),
            ..RawItem::default()
        };
        let _ = normalize(raw);
    }
}
