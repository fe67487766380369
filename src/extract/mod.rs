//! Page + selectors → links and `RawItem`s. Synchronous and pure, and the only module that
//! touches `scraper` (whose documents are not `Send`: parse, select and return owned strings
//! inside one function, never across an `.await`).
//!
//! Every field has a configured selector that wins and a generic fallback, so a source works
//! before anyone writes selectors for it. Generic extraction never reads site furniture (menus,
//! "most read", related boxes: see [`dom`]), and each page is parsed and walked once: this is
//! the hot path of a run (~2,000 article pages).

mod article;
mod content;
#[cfg(test)]
mod corpus;
mod dom;
mod feed;
mod jsonld;
mod links;
mod parse;
mod prune;
mod selector;
mod sitemap;
mod tags;
#[cfg(test)]
mod tests;

pub use feed::{FeedError, Repairs, UpstreamFeed, repair as repair_feed, with_feed_fields};
pub(crate) use prune::KeepCache;
pub use selector::Selector;
pub use sitemap::{Sitemap, SitemapRef, SitemapUrl, sitemap};

use url::Url;

use crate::config::Selectors;
use crate::model::{FetchedPage, RawItem};

/// What a listing page offers, read from one parse of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// Links to articles: absolute (against `<base href>` when the page has one), without
    /// fragments, http(s) only (or `file:` on a `file:` page), deduplicated, in page order. With
    /// `selectors.item` every matched link counts; without it, links of the same site that look
    /// like article URLs and sit outside menus, sidebars and "most read" boxes.
    pub links: Vec<Url>,
    /// The next listing page, from the `next` selector (an `<a>` or `<link rel="next">`, or an
    /// element holding one): absolute, on the same site, not the page itself. `None` without
    /// the selector or on the last page.
    pub next: Option<Url>,
}

/// The article links and the next page of a listing page.
pub fn listing(page: &FetchedPage, selectors: &Selectors) -> Listing {
    links::listing(page, selectors)
}

/// The fields of one article page, as found: strings trimmed, URLs absolute, the body as a
/// cleaned HTML fragment (scripts, ads, share and related boxes removed, lazy images resolved).
pub fn article(page: &FetchedPage, selectors: &Selectors) -> RawItem {
    article::article(page, selectors)
}

/// The entries of an RSS, Atom or JSON feed page as raw items, in document order; the text is
/// repaired before strict parsing (bare `&`, HTML entities, control characters, raw HTML in
/// descriptions: see [`repair_feed`]). Fails on a page that is no feed (HTML, garbage).
pub fn feed_items(page: &FetchedPage) -> Result<UpstreamFeed, FeedError> {
    feed::feed(page)
}

/// A plain-text article file: paragraphs are its non-empty lines, up to the end of the story.
///
/// Party and provincial papers end a story with "./." (at the end of the last line or on a line
/// of its own): what follows in a scraped file is the related-article teasers ("Sáng 27/11, …")
/// and the paper's footer ("BÁO … ĐIỆN TỬ", licence, editor, address, phone, e-mail, "Cấm sao
/// chép …"). Without an end mark the footer is recognised line by line, and the teasers just
/// before it go with it ([`crate::normalize::story_lines`], shared with normalization).
pub fn plain_text(text: &str, url: &Url) -> RawItem {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut paragraphs: Vec<String> =
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
    paragraphs.truncate(crate::normalize::story_lines(&paragraphs));
    RawItem { url: url.to_string(), paragraphs, ..RawItem::default() }
}

#[cfg(test)]
mod plain_text_tests {
    use super::*;

    fn paragraphs(text: &str) -> Vec<String> {
        plain_text(text, &Url::parse("file:///srv/demo/bai.txt").unwrap()).paragraphs
    }

    #[test]
    fn the_end_mark_on_a_line_of_its_own_ends_the_story() {
        let text = "Đoạn một về hội nghị.\n\nĐoạn cuối của bài.\n  ./.  \nSáng 27/11, tin khác.\nBÁO HÀ NAM ĐIỆN TỬ\n";
        assert_eq!(paragraphs(text), ["Đoạn một về hội nghị.", "Đoạn cuối của bài."]);
    }

    #[test]
    fn without_an_end_mark_the_footer_and_its_teasers_are_cut() {
        let text = "Chiều 25/11, tại TP. Phủ Lý, Ban Dân vận Tỉnh ủy tổ chức hội nghị.\n\
                    Dịp này, Ban Thường vụ Tỉnh ủy tặng Bằng khen cho 25 tập thể.\n\
                    Sáng 27/11, Sở Văn hóa khai mạc Liên hoan các câu lạc bộ hát chèo.\n\
                    Sáng 27/11, Hội Nông dân tỉnh tổ chức hội nghị đối thoại.\n\
                    BÁO HÀ NAM ĐIỆN TỬ\n\
                    Giấy phép xuất bản số 68/GP-BTTTT do Bộ Thông tin và Truyền thông cấp ngày 16/2/2017\n\
                    Địa chỉ: Số 3 đường Lê Chân, phường Phủ Lý, tỉnh Hà Nam\n\
                    Tổng Biên tập: Nguyễn Thị Thanh Hà\n\
                    Điện thoại: (0226) 3851.234 | Fax: (0226) 3851.235\n\
                    Email: toasoan@baohanam.example\n\
                    Cấm sao chép dưới mọi hình thức nếu không có sự chấp thuận bằng văn bản.\n";
        assert_eq!(
            paragraphs(text),
            [
                "Chiều 25/11, tại TP. Phủ Lý, Ban Dân vận Tỉnh ủy tổ chức hội nghị.",
                "Dịp này, Ban Thường vụ Tỉnh ủy tặng Bằng khen cho 25 tập thể.",
            ]
        );
        // only a footer's last lines, no masthead
        let text = "Bài viết có một đoạn.\nĐịa chỉ: Số 3 đường Lê Chân\nEmail: toasoan@baohanam.example\n";
        assert_eq!(paragraphs(text), ["Bài viết có một đoạn."]);
    }

    #[test]
    fn a_story_without_end_mark_or_footer_is_kept_whole() {
        let text = "Sáng 27/11, khai mạc lễ hội.\nSáng 27/11, du khách đông vui.\nĐịa chỉ: chùa Tam Chúc.\n";
        assert_eq!(
            paragraphs(text),
            ["Sáng 27/11, khai mạc lễ hội.", "Sáng 27/11, du khách đông vui.", "Địa chỉ: chùa Tam Chúc."]
        );
    }
}
