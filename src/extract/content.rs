//! The article body as an HTML fragment: the container's children re-serialized without the
//! parts a reader should not get (scripts, forms, ads, share and related boxes, configured
//! `remove` selectors), with lazy images given a real `src` and every link made absolute
//! against the page's base URL (normalize cannot see a `<base href>` later).
//!
//! Rebuilding the fragment, rather than deleting nodes and calling `inner_html`, keeps the
//! parsed document immutable and does the cleaning, rewriting and serializing in one pass.

use scraper::node::Element;
use scraper::{ElementRef, Node};
use url::Url;

use super::dom::{absolute, attr, classify};

/// A cleaned body and the first image in it (absolute), the fallback for the item image.
#[derive(Debug, Default)]
pub(super) struct Body {
    pub html: String,
    pub first_image: Option<String>,
}

/// Tags dropped with everything inside them.
fn is_dropped_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "iframe"
            | "form"
            | "template"
            | "svg"
            | "button"
            | "input"
            | "select"
            | "textarea"
            | "link"
            | "meta"
            | "object"
            | "embed"
            | "canvas"
            | "nav"
            | "aside"
    )
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
    )
}

/// Attributes lazy-loading scripts keep the real image URL in, in the order we trust them.
const LAZY_SRC: [&str; 5] = ["data-src", "data-original", "data-lazy-src", "data-lazy", "data-url"];

/// The URL an `<img>` really shows: its `src`, unless that is missing or a placeholder, in which
/// case the URL a lazy-loader would have put there.
pub(super) fn image_src(el: &Element) -> Option<&str> {
    let usable = |v: &&str| !v.is_empty() && !is_placeholder(v);
    attr(el, "src")
        .map(str::trim)
        .filter(usable)
        .or_else(|| LAZY_SRC.iter().find_map(|k| attr(el, k).map(str::trim).filter(usable)))
}

/// A stand-in image: an inline `data:` URI or a 1×1 / blank / spacer / `lazy…` GIF.
fn is_placeholder(src: &str) -> bool {
    if src.get(..5).is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:")) {
        return true;
    }
    let file = src.rsplit('/').next().unwrap_or(src).to_ascii_lowercase();
    file.starts_with("lazy")
        || ["blank.", "spacer.", "pixel.", "1x1", "placeholder", "transparent.", "grey.gif"]
            .iter()
            .any(|p| file.contains(p))
}

/// The inner HTML of `root`, cleaned. `removed` says which elements the source's `remove`
/// selector matched.
pub(super) fn clean_inner_html(
    root: ElementRef<'_>,
    base: &Url,
    removed: &dyn Fn(ElementRef<'_>) -> bool,
) -> Body {
    let mut body = Body::default();
    let out = &mut body.html;
    // (node, closing): closing entries emit the end tag once the children are done.
    let mut stack: Vec<_> = root.children().rev().map(|n| (n, false)).collect();
    while let Some((node, closing)) = stack.pop() {
        match node.value() {
            Node::Element(el) if closing => {
                out.push_str("</");
                out.push_str(el.name());
                out.push('>');
            }
            Node::Text(text) => escape(text, false, out),
            Node::Element(el) => {
                let name = el.name();
                if is_dropped_tag(name) || classify(el).junk || ElementRef::wrap(node).is_some_and(removed) {
                    continue;
                }
                out.push('<');
                out.push_str(name);
                if name == "img" {
                    write_img_attrs(el, base, out, &mut body.first_image);
                } else {
                    for (key, value) in el.attrs() {
                        write_attr(key, value, base, out);
                    }
                }
                out.push('>');
                if !is_void(name) {
                    stack.push((node, true));
                    stack.extend(node.children().rev().map(|n| (n, false)));
                }
            }
            _ => {}
        }
    }
    body
}

fn write_img_attrs(el: &Element, base: &Url, out: &mut String, first: &mut Option<String>) {
    if let Some(src) = image_src(el).and_then(|s| absolute(base, s)) {
        write_raw_attr("src", src.as_str(), out);
        first.get_or_insert_with(|| src.to_string());
    }
    for (key, value) in el.attrs() {
        if key != "src" && !LAZY_SRC.contains(&key) {
            write_attr(key, value, base, out);
        }
    }
}

/// Writes ` key="value"`, making URL-valued attributes absolute.
fn write_attr(key: &str, value: &str, base: &Url, out: &mut String) {
    match key {
        "href" | "src" | "poster" | "cite" => match absolute(base, value) {
            Some(url) => write_raw_attr(key, url.as_str(), out),
            None => write_raw_attr(key, value, out),
        },
        "srcset" | "data-srcset" => {
            let rewritten: Vec<String> = value
                .split(',')
                .filter_map(|candidate| {
                    let candidate = candidate.trim();
                    let (url, descriptor) = candidate.split_once(' ').unwrap_or((candidate, ""));
                    let url = absolute(base, url)?;
                    Some(format!("{url} {}", descriptor.trim()).trim_end().to_string())
                })
                .collect();
            write_raw_attr(key, &rewritten.join(", "), out);
        }
        _ => write_raw_attr(key, value, out),
    }
}

fn write_raw_attr(key: &str, value: &str, out: &mut String) {
    out.push(' ');
    out.push_str(key);
    out.push_str("=\"");
    escape(value, true, out);
    out.push('"');
}

/// HTML escaping as html5ever serializes: `&`, no-break space and either `<`/`>` (text) or `"`
/// (attribute values).
fn escape(s: &str, attribute: bool, out: &mut String) {
    // Every character escaped is ASCII but the no-break space (C2 A0): the text is searched for
    // their bytes, not decoded char by char.
    let bytes = s.as_bytes();
    let (quote_or_lt, gt) = if attribute { (b'"', b'"') } else { (b'<', b'>') };
    let (mut copied, mut at) = (0, 0);
    // the next C2 byte, searched again only once passed
    let mut c2 = memchr::memchr(0xC2, bytes);
    while at < bytes.len() {
        if c2.is_some_and(|i| i < at) {
            c2 = memchr::memchr(0xC2, &bytes[at..]).map(|i| at + i);
        }
        let ascii = memchr::memchr3(b'&', quote_or_lt, gt, &bytes[at..]).map(|i| at + i);
        let Some(found) = ascii.into_iter().chain(c2).min() else {
            break;
        };
        let (entity, len) = match bytes[found] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            _ if bytes.get(found + 1) == Some(&0xA0) => ("&nbsp;", 2),
            _ => {
                at = found + 1;
                continue;
            }
        };
        out.push_str(&s[copied..found]);
        out.push_str(entity);
        at = found + len;
        copied = at;
    }
    out.push_str(&s[copied..]);
}

#[cfg(test)]
mod tests {
    use scraper::{Html, Selector};

    use super::*;

    fn clean(html: &str, remove: Option<&str>) -> Body {
        let doc = Html::parse_document(html);
        let root = doc.select(&Selector::parse(".body").unwrap()).next().unwrap();
        let base = Url::parse("https://baohanam.com.vn/van-hoa/le-hoi/bai-viet-122101.html").unwrap();
        let remove = remove.map(|r| Selector::parse(r).unwrap());
        let ids: std::collections::HashSet<_> = match &remove {
            Some(sel) => root.select(sel).map(|e| e.id()).collect(),
            None => Default::default(),
        };
        clean_inner_html(root, &base, &|e| ids.contains(&e.id()))
    }

    #[test]
    fn drops_scripts_ads_share_and_related_boxes() {
        let body = clean(
            r#"<div class="body"><p>Sáng 27/11, Hà Nam khai mạc lễ hội.</p>
            <script>var x = "<p>quảng cáo</p>";</script><style>p{}</style>
            <div class="ad-inread" id="ad-inread"><p>Quảng cáo</p></div>
            <div class="box-share"><a href="/share">Chia sẻ</a></div>
            <div class="tin-lien-quan"><a href="/khac-1.html">Tin liên quan</a></div>
            <div type="RelatedOneNews"><a href="/x-2.html">Liên quan</a></div>
            <form><input name="q"></form><iframe src="https://ads.example/"></iframe>
            <p>Đoạn hai &amp; hết.</p></div>"#,
            None,
        );
        assert_eq!(
            body.html,
            "<p>Sáng 27/11, Hà Nam khai mạc lễ hội.</p>\n            \n            \n            \n            \n            \n            \n            <p>Đoạn hai &amp; hết.</p>"
        );
    }

    #[test]
    fn configured_remove_selector_is_honoured() {
        let body = clean(
            r#"<div class="body"><p>Nội dung chính.</p><p class="note">Ghi chú biên tập</p></div>"#,
            Some("p.note"),
        );
        assert_eq!(body.html, "<p>Nội dung chính.</p>");
    }

    #[test]
    fn lazy_images_get_a_real_absolute_src() {
        let cases = [
            (
                r#"<img data-src="/anh/le-hoi.jpg" alt="Lễ hội">"#,
                Some("https://baohanam.com.vn/anh/le-hoi.jpg"),
            ),
            (
                r#"<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-original="https://baohanam-fileserver.nvcms.net/a.jpg">"#,
                Some("https://baohanam-fileserver.nvcms.net/a.jpg"),
            ),
            (
                r#"<img src="/images/blank.gif" data-lazy-src="b.jpg">"#,
                Some("https://baohanam.com.vn/van-hoa/le-hoi/b.jpg"),
            ),
            (
                r#"<img src="that.jpg" data-src="other.jpg">"#,
                Some("https://baohanam.com.vn/van-hoa/le-hoi/that.jpg"),
            ),
            (r#"<img src="data:image/gif;base64,AAAA">"#, None),
        ];
        for (img, want) in cases {
            let body = clean(&format!(r#"<div class="body"><figure>{img}</figure></div>"#), None);
            assert_eq!(body.first_image.as_deref(), want, "{img}");
            match want {
                Some(url) => assert!(body.html.contains(&format!(r#"<img src="{url}""#)), "{}", body.html),
                None => assert!(!body.html.contains("src="), "{}", body.html),
            }
            assert!(!body.html.contains("data-src") && !body.html.contains("data-original"));
        }
    }

    #[test]
    fn links_become_absolute_and_attributes_stay_escaped() {
        let body = clean(
            r#"<div class="body"><p><a href="../bai-khac-122102.html" title="Nói &quot;không&quot;">xem</a>
            <img src="/a.jpg" srcset="/a-480.jpg 480w, /a-960.jpg 960w">1&lt;2&nbsp;x</p></div>"#,
            None,
        );
        assert!(
            body.html.contains(r#"href="https://baohanam.com.vn/van-hoa/bai-khac-122102.html""#),
            "{}",
            body.html
        );
        assert!(body.html.contains(r#"title="Nói &quot;không&quot;""#));
        assert!(body.html.contains(
            r#"srcset="https://baohanam.com.vn/a-480.jpg 480w, https://baohanam.com.vn/a-960.jpg 960w""#
        ));
        assert!(body.html.contains("1&lt;2&nbsp;x"));
    }

    /// The escaping html5ever's serializer does, char by char: what [`escape`] must equal.
    fn escape_by_chars(s: &str, attribute: bool) -> String {
        s.chars()
            .map(|c| match c {
                '&' => "&amp;".to_string(),
                '\u{a0}' => "&nbsp;".to_string(),
                '"' if attribute => "&quot;".to_string(),
                '<' if !attribute => "&lt;".to_string(),
                '>' if !attribute => "&gt;".to_string(),
                other => other.to_string(),
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn escaping_bytes_equals_escaping_chars(s in "([&<>\"\u{a0}\u{80}\u{c2}a ]|ễ|Â|ạ){0,40}", attribute: bool) {
            let mut out = String::new();
            escape(&s, attribute, &mut out);
            proptest::prop_assert_eq!(out, escape_by_chars(&s, attribute));
        }
    }
}
