//! The HTML inside a feed entry (an RSS description, an Atom summary): its text and its first
//! picture. Parsed by html5ever, which reads broken markup as a browser would (Dân trí's
//! `<a href='…'/><img src='…'/></a></br>`).

use scraper::{Html, Node, Selector};
use url::Url;

use super::super::content::image_src;
use super::super::dom::{absolute, text_of};

/// What one HTML fragment holds.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Fragment {
    /// The visible text, trimmed (entities decoded once, as HTML does).
    pub text: String,
    /// The first real picture (not a placeholder), absolute against the base.
    pub image: Option<String>,
    /// Paragraph-level blocks with text: two or more make a whole article, not a summary.
    pub paragraphs: usize,
}

/// Reads an HTML fragment. Escaped HTML (`&lt;p&gt;…`, from a feed that escaped twice) is
/// unescaped first, so its tags do not show as text.
pub(super) fn fragment(html: &str, base: &Url) -> Fragment {
    let html = if !html.contains('<') && html.contains("&lt;") {
        html_escape::decode_html_entities(html).into_owned()
    } else {
        html.to_string()
    };
    let doc = Html::parse_fragment(&html);
    let root = doc.root_element();
    let image = root
        .descendants()
        .filter_map(|node| match node.value() {
            Node::Element(e) if e.name() == "img" => image_src(e),
            _ => None,
        })
        .find_map(|src| absolute(base, src))
        .map(String::from);
    let paragraphs = Selector::parse("p")
        .map(|p| doc.select(&p).filter(|e| e.text().any(|t| !t.trim().is_empty())).count())
        .unwrap_or(0);
    Fragment { text: text_of(root), image, paragraphs }
}

/// The first feed an HTML page announces (`<link rel="alternate" type="application/rss+xml">`),
/// absolute: what to configure instead of the page.
pub(super) fn alternate_feed(page: &str, url: &Url) -> Option<String> {
    let doc = Html::parse_document(page);
    let links = Selector::parse("link[rel~=alternate][href]").ok()?;
    doc.select(&links)
        .filter(|l| {
            l.value().attr("type").is_some_and(|t| {
                let t = t.trim().to_ascii_lowercase();
                t.contains("rss") || t.contains("atom") || t.contains("feed+json")
            })
        })
        .find_map(|l| absolute(url, l.value().attr("href")?))
        .map(String::from)
}

/// Plain text of an HTML title or label.
pub(super) fn text(html: &str) -> String {
    text_of(Html::parse_fragment(html).root_element())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_as_vietnamese_feeds_write_them() {
        let base = Url::parse("https://dantri.com.vn/xa-hoi/bai-20261125.htm").unwrap();
        for (html, text, image) in [
            // Dân trí: self-closed <a>, a stray </a>, </br>
            (
                "<a href='https://dantri.com.vn/xa-hoi/bai.htm'/><img src='https://cdn.dantri.com.vn/anh.jpg'/></a></br>(Dân trí) - Sáng 25/11, Quốc hội họp.",
                "(Dân trí) - Sáng 25/11, Quốc hội họp.",
                Some("https://cdn.dantri.com.vn/anh.jpg"),
            ),
            // VnExpress: a relative, lazy image and an unclosed paragraph
            (
                r#"<a href="/a.html"><img src="data:image/gif;base64,R0lG" data-src="/anh/1.jpg" width=130></a></br><p>Giá vàng tăng &amp; giảm"#,
                "Giá vàng tăng & giảm",
                Some("https://dantri.com.vn/anh/1.jpg"),
            ),
            // escaped twice
            ("&lt;p&gt;Tr&amp;agrave; Vinh&lt;/p&gt;", "Trà Vinh", None),
            ("Chỉ có chữ, không ảnh", "Chỉ có chữ, không ảnh", None),
        ] {
            let got = fragment(html, &base);
            assert_eq!(got.text, text, "{html}");
            assert_eq!(got.image.as_deref(), image, "{html}");
        }
        assert_eq!(fragment("<p>Một</p><p>Hai</p><p> </p>", &base).paragraphs, 2);
        assert_eq!(text("<b>Đ&ecirc;m</b> nhạc"), "Đêm nhạc");
    }

    #[test]
    fn an_html_page_names_the_feed_it_announces() {
        let url = Url::parse("https://vnexpress.net/rss").unwrap();
        let page = r#"<html><head><link rel="stylesheet" href="/a.css"><link rel="alternate" type="application/rss+xml" title="Tin mới" href="/rss/tin-moi-nhat.rss"></head><body></body></html>"#;
        assert_eq!(alternate_feed(page, &url).as_deref(), Some("https://vnexpress.net/rss/tin-moi-nhat.rss"));
        assert_eq!(alternate_feed("<html><body>Không có</body></html>", &url), None);
    }
}
