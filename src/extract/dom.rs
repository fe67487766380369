//! Walking a parsed page once: what each element looks like (site furniture, an article body, a
//! sapo, a date…) judged from its tag, class and id, and the context it sits in.
//!
//! Classes are split into words on `-` and `_` and matched with `match` arms, not regexes or
//! CSS selectors: the walk visits every element of ~2,000 pages a run, so it must stay cheap.

use scraper::node::Element;
use scraper::{ElementRef, Html, Node};
use url::Url;

/// Number of body-container ranks (see [`body_rank`]); lower ranks are more trusted.
pub(super) const BODY_RANKS: usize = 13;
/// Rank of a `.detail` that sits inside an `<article>`.
const DETAIL_IN_ARTICLE: u8 = 11;

/// What an element's own tag, class, id and a few attributes say about it.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Traits {
    /// Site furniture: menus, sidebars, "most read" and related boxes. Nothing is read from it.
    pub decoy: bool,
    /// Dropped from article content: furniture plus share buttons, ads, tags, comments.
    pub junk: bool,
    /// A likely article-body container, by rank (0 = `itemprop=articleBody`).
    pub body: Option<u8>,
    /// A likely sapo (lead), by tier (0 = a `…sapo` class).
    pub sapo: Option<u8>,
    pub date: bool,
    pub author: bool,
    pub breadcrumb: bool,
    /// `role=main`: a `<header>` or `<footer>` inside it belongs to the article, not the site.
    pub main: bool,
}

/// Where an element sits, inherited from its ancestors.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Place {
    /// Inside site furniture (`nav`, `aside`, site `header`/`footer`, decoy classes).
    pub decoy: bool,
    /// Inside an `<article>` that is not furniture.
    pub in_article: bool,
    pub in_main: bool,
    pub in_breadcrumb: bool,
}

/// Visits every element under `root` (itself included) in document order, with its traits and
/// place. Iterative, so a pathologically deep page cannot overflow the stack.
pub(super) fn walk<'a>(root: ElementRef<'a>, mut visit: impl FnMut(ElementRef<'a>, &Traits, Place)) {
    let mut stack = vec![(root, Place::default())];
    while let Some((el, parent)) = stack.pop() {
        let name = el.value().name();
        let mut traits = classify(el.value());
        if matches!(name, "html" | "body" | "main") {
            // Page-wide classes such as `has-sidebar` or `menu-open` describe the layout.
            traits.decoy = false;
            traits.junk = false;
        }
        let mut place = parent;
        let furniture = traits.decoy
            || is_furniture_tag(name)
            || matches!(name, "header" | "footer") && !(parent.in_article || parent.in_main);
        place.decoy |= furniture;
        place.in_article |= name == "article" && !place.decoy;
        place.in_main |= name == "main" || traits.main;
        place.in_breadcrumb |= traits.breadcrumb;
        visit(el, &traits, place);
        if matches!(name, "script" | "style" | "svg" | "template" | "noscript") {
            continue;
        }
        let start = stack.len();
        stack.extend(el.child_elements().map(|child| (child, place)));
        stack[start..].reverse();
    }
}

/// Menus and sidebars by their tag alone.
pub(super) fn is_furniture_tag(name: &str) -> bool {
    matches!(name, "nav" | "aside")
}

/// Site furniture wherever it sits: a `<nav>`, an `<aside>`, or classes that say so. Text,
/// body-size and image lookups skip it inside the element they read, and
/// [`super::prune`] cuts it out of pages before parsing: the two must agree.
pub(super) fn is_furniture_element(el: &Element) -> bool {
    let name = el.name();
    is_furniture_tag(name) || !matches!(name, "html" | "body" | "main") && classify(el).decoy
}

/// The nodes under `el` in document order, `el` included, without the subtrees of furniture
/// inside it.
pub(super) fn readable_descendants<'a>(
    el: ElementRef<'a>,
) -> impl Iterator<Item = ego_tree::NodeRef<'a, Node>> {
    let root = el.id();
    let mut skipping: Option<ego_tree::NodeId> = None;
    el.traverse().filter_map(move |edge| match edge {
        ego_tree::iter::Edge::Open(node) => {
            if skipping.is_some() {
                return None;
            }
            if node.id() != root && node.value().as_element().is_some_and(is_furniture_element) {
                skipping = Some(node.id());
                return None;
            }
            Some(node)
        }
        ego_tree::iter::Edge::Close(node) => {
            if skipping == Some(node.id()) {
                skipping = None;
            }
            None
        }
    })
}

/// An attribute's value by exact name, without interning the name (scraper's `attr` builds an
/// atom per call, which for names like `data-src` takes a global lock).
pub(super) fn attr<'a>(el: &'a Element, name: &str) -> Option<&'a str> {
    el.attrs().find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// Judges one element by its tag, class words, id and a few attributes.
pub(super) fn classify(el: &Element) -> Traits {
    classify_attrs(el.name(), el.attrs())
}

/// [`classify`] from a tag name and (lower-case name, value) attribute pairs, for a page that
/// is not parsed yet ([`super::prune`]).
pub(super) fn classify_attrs<'a>(name: &str, attrs: impl Iterator<Item = (&'a str, &'a str)>) -> Traits {
    let mut t = Traits::default();
    for (key, value) in attrs {
        match key {
            "class" => classify_classes(name, value, &mut t),
            "id" => match value {
                "content_detail" => t.body = Some(4),
                "maincontent" | "main-content" => t.body = t.body.or(Some(8)),
                "abody" => t.body = t.body.or(Some(10)),
                _ => classify_words(value, &mut t),
            },
            "itemprop" => match value {
                "articleBody" => t.body = Some(0),
                "author" => t.author = true,
                _ => {}
            },
            "data-role" if value.eq_ignore_ascii_case("publishdate") => t.date = true,
            "rel" if value == "author" => t.author = true,
            // `nav[aria-label=breadcrumb]` (Bootstrap), microdata `itemtype=…/BreadcrumbList`
            "aria-label" | "itemtype" if contains_ignore_case(value, "breadcrumb") => {
                t.breadcrumb = true;
                t.decoy = true;
                t.junk = true;
            }
            "role" if value == "main" => t.main = true,
            "type" if name == "div" && contains_ignore_case(value, "related") => {
                t.decoy = true;
                t.junk = true;
            }
            _ => {}
        }
    }
    t
}

fn classify_classes(tag: &str, classes: &str, t: &mut Traits) {
    let lowered;
    let classes = if classes.bytes().any(|b| b.is_ascii_uppercase()) {
        lowered = classes.to_ascii_lowercase();
        lowered.as_str()
    } else {
        classes
    };
    for token in classes.split_ascii_whitespace() {
        if let Some(rank) = body_rank(token) {
            t.body = Some(t.body.map_or(rank, |r| r.min(rank)));
        }
        match token {
            "description" if tag == "p" => t.sapo = Some(t.sapo.map_or(1, |s| s.min(1))),
            "summary" | "lead" | "chapeau" | "article-summary" | "article-lead" => {
                t.sapo = Some(t.sapo.unwrap_or(2));
            }
            "date"
            | "time"
            | "pub-date"
            | "publish-date"
            | "publishdate"
            | "publish-time"
            | "detail-time"
            | "date-time"
            | "datetime"
            | "post-date"
            | "post-time"
            | "article-date"
            | "news-date"
            | "date-new"
            | "time-post"
            | "author-time"
            | "bread-crumb-detail__time"
            | "block-sc-publish-time"
            | "sc-longform-header-date" => {
                t.date = true;
            }
            "author"
            | "author-name"
            | "byline"
            | "tac-gia"
            | "article-author"
            | "author_mail"
            | "sc-longform-header-author" => t.author = true,
            _ => {}
        }
        // VnExpress names its main column `sidebar-1` (the real sidebar is `sidebar-2`).
        if token != "sidebar-1" {
            classify_words(token, t);
        }
    }
}

/// Body-container classes, most specific first (`.detail` last: it is also used for wrappers).
fn body_rank(token: &str) -> Option<u8> {
    Some(match token {
        "detail-content" => 1,
        "fck_detail" => 2,
        "singular-content" => 3,
        "article-body" => 5,
        "article-content" => 6,
        "content-detail" => 7,
        "maincontent" => 8,
        "cms-body" => 9,
        "detail-cmain" | "article__body" | "b-maincontent" | "e-magazine__body" | "entry-content"
        | "post-content" | "news-content" | "detail__content" | "detail-body" => 10,
        "detail" => 12,
        _ => return None,
    })
}

/// The rank of a body candidate given where it sits: a `.detail` inside `<article>` beats a
/// stray `.detail` elsewhere.
pub(super) fn body_rank_in(rank: u8, place: Place) -> u8 {
    if rank == 12 && place.in_article { DETAIL_IN_ARTICLE } else { rank }
}

/// Looks at the words of a class token or id (`box-most-read` → box, most, read) for
/// furniture, junk and breadcrumbs.
fn classify_words(token: &str, t: &mut Traits) {
    let mut prev = "";
    for word in token.split(['-', '_']).filter(|w| !w.is_empty()) {
        // `has-sidebar`, `no-menu`: a layout switch, not the furniture itself.
        let negated = matches!(prev, "has" | "with" | "no" | "without");
        let decoy = !negated && is_furniture(prev, word);
        t.decoy |= decoy;
        t.junk |= decoy || is_junk(prev, word);
        t.breadcrumb |= matches!(word, "breadcrumb" | "breadcrumbs") || (prev, word) == ("bread", "crumb");
        if word == "sapo" {
            t.sapo = Some(0);
        }
        prev = word;
    }
}

/// Menus, sidebars, "most read" (đọc nhiều, xem nhiều) and related (liên quan, tin khác) boxes.
fn is_furniture(prev: &str, word: &str) -> bool {
    const STEMS: [&str; 7] =
        ["tinlienquan", "lienquan", "mostread", "mostview", "docnhieu", "xemnhieu", "sidebar"];
    matches!(
        word,
        "menu"
            | "menus"
            | "nav"
            | "navbar"
            | "navigation"
            | "related"
            | "relate"
            | "trending"
            | "popular"
            | "breadcrumb"
            | "breadcrumbs"
            | "footer"
            | "topbar"
            | "tinkhac"
            | "widget"
    ) || STEMS.iter().any(|stem| word.starts_with(stem))
        || matches!(
            (prev, word),
            ("most", "read" | "view" | "viewed" | "popular")
                | ("doc" | "xem", "nhieu")
                | ("lien", "quan")
                | ("side", "bar")
                | ("bread", "crumb")
                | ("top", "bar")
                | ("tin", "khac")
                | ("cung", "chuyen")
        )
}

/// What else does not belong in an article body: share buttons, ads (quảng cáo), tags,
/// comments (bình luận), "read more" (xem thêm, đọc thêm) boxes.
fn is_junk(prev: &str, word: &str) -> bool {
    matches!(
        word,
        "share"
            | "sharing"
            | "social"
            | "ads"
            | "ad"
            | "adv"
            | "advert"
            | "advertisement"
            | "adsbygoogle"
            | "banner"
            | "quangcao"
            | "comment"
            | "comments"
            | "tags"
            | "tag"
            | "keywords"
            | "print"
            | "rating"
            | "subscribe"
            | "newsletter"
            | "toolbar"
    ) || matches!((prev, word), ("quang", "cao") | ("binh", "luan") | ("xem" | "doc", "them"))
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Whether a text node's parent hides it from the prose we read: scripts and styles, and
/// VnExpress's `span.location-stamp` ("Hà Nội") glued to the start of the sapo.
fn is_hidden_text_parent(parent: &Element) -> bool {
    matches!(parent.name(), "script" | "style" | "noscript" | "template")
        || attr(parent, "class").is_some_and(|c| c.contains("location-stamp"))
}

/// The visible text of an element: script and style contents and nested furniture skipped, a
/// space at `<br>` and block starts so words of adjacent blocks do not run together. Trimmed;
/// entities decoded.
pub(super) fn text_of(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in readable_descendants(el) {
        match node.value() {
            Node::Text(text) => {
                let hidden = node
                    .parent()
                    .and_then(|p| p.value().as_element().map(is_hidden_text_parent))
                    .unwrap_or(false);
                if !hidden {
                    out.push_str(text);
                }
            }
            Node::Element(e) if matches!(e.name(), "br" | "p" | "div" | "li") => out.push(' '),
            _ => {}
        }
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() { out } else { trimmed.to_string() }
}

/// Bytes of visible, non-whitespace text under an element (furniture inside it skipped): how
/// much article a container holds.
pub(super) fn text_len(el: ElementRef<'_>) -> usize {
    readable_descendants(el)
        .filter_map(|node| {
            let text = node.value().as_text()?;
            let hidden = node
                .parent()
                .and_then(|p| p.value().as_element().map(is_hidden_text_parent))
                .unwrap_or(false);
            (!hidden).then(|| text.trim().len())
        })
        .sum()
}

/// `Some(trimmed)` unless blank.
pub(super) fn non_blank(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// The URL relative links resolve against: the page URL, or the page's `<base href>` resolved
/// against it.
pub(super) fn base_url(doc: &Html, page_url: &Url) -> Url {
    let head = doc.root_element().child_elements().find(|e| e.value().name() == "head");
    head.into_iter()
        .flat_map(|h| h.child_elements())
        .filter(|e| e.value().name() == "base")
        .find_map(|e| attr(e.value(), "href"))
        .and_then(|href| page_url.join(href.trim()).ok())
        .unwrap_or_else(|| page_url.clone())
}

/// An absolute URL for an href or src found on the page, or `None` when it cannot be one.
pub(super) fn absolute(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    base.join(href).ok()
}
