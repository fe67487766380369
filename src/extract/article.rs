//! The fields of one article page. Each configured selector wins; every field falls back to
//! metadata (Open Graph, `<meta>`, JSON-LD) and then to what the visible page looks like.
//!
//! The page is parsed once and walked once ([`Scan`]); configured selectors add one search each.
//! Nothing is ever read from site furniture (menus, "most read", related boxes), so a sidebar
//! can lend neither a title, nor a date, nor a body.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use scraper::{ElementRef, Html};
use url::Url;

use super::content::{self, Body, image_src};
use super::dom::{self, BODY_RANKS, attr, non_blank, text_len, text_of};
use super::jsonld::{self, LdArticle};
use super::selector::Selector;
use crate::config::Selectors;
use crate::model::{FetchedPage, RawItem};

/// A body candidate needs this much visible text (bytes) to beat a less trusted one.
const MIN_BODY_TEXT: usize = 80;

pub(super) fn article(page: &FetchedPage, selectors: &Selectors) -> RawItem {
    let page_text = super::prune::page(&page.body, super::prune::Keep::article(selectors));
    read(&super::parse::document(&page_text), page, selectors)
}

/// [`article`] from the whole page, furniture and all: what cutting furniture must not change.
#[cfg(test)]
pub(super) fn article_uncut(page: &FetchedPage, selectors: &Selectors) -> RawItem {
    read(&Html::parse_document(&super::prune::inert(&page.body)), page, selectors)
}

fn read(doc: &Html, page: &FetchedPage, selectors: &Selectors) -> RawItem {
    let base = dom::base_url(doc, &page.url);
    let scan = Scan::of(doc);
    // JSON-LD is parsed only when a field is still missing after the cheaper sources.
    let ld_cell: OnceCell<LdArticle> = OnceCell::new();
    let ld = || {
        ld_cell.get_or_init(|| {
            let blocks: Vec<String> = scan.ld_json.iter().map(|e| e.text().collect()).collect();
            jsonld::parse(blocks.iter().map(String::as_str))
        })
    };
    let meta = |key: &str| scan.meta.get(key).and_then(|v| non_blank(v));

    let title = first_text(doc, selectors.title.as_ref())
        .or_else(|| meta("og:title"))
        .or_else(|| ld().headline.clone())
        .or_else(|| scan.h1.map(text_of).and_then(|t| non_blank(&t)))
        .or_else(|| scan.title_tag.map(text_of).and_then(|t| non_blank(&t)));

    // Lists of other stories (with their own sapo and time) often follow the article: a
    // generic sapo or visible date is only taken from before the body's end.
    let root = body_root(doc, &scan, selectors);
    let above = |el: &ElementRef<'_>| root.is_none_or(|r| not_after(*el, r));

    let summary = first_text(doc, selectors.summary.as_ref())
        .or_else(|| {
            scan.sapo.iter().flatten().filter(|e| above(e)).map(|e| text_of(*e)).find(|t| !t.is_empty())
        })
        .or_else(|| meta("og:description"))
        .or_else(|| meta("description"))
        .or_else(|| ld().description.clone());

    let body = root.map(|r| clean_body(r, selectors, &base));

    let date = selectors
        .date
        .as_ref()
        .and_then(|sel| doc.select(&sel.compiled).find_map(date_value))
        .or_else(|| scan.published.and_then(non_blank))
        .or_else(|| ld().date_published.clone())
        .or_else(|| scan.time_in_article.and_then(non_blank))
        .or_else(|| scan.date_el.filter(|e| above(e)).and_then(date_value))
        .or_else(|| scan.time_any.filter(|(e, _)| above(e)).and_then(|(_, dt)| non_blank(dt)));

    let author = first_text(doc, selectors.author.as_ref())
        .or_else(|| meta("author"))
        .or_else(|| ld().author.clone())
        .or_else(|| scan.author_el.map(text_of).and_then(|t| non_blank(&t)));

    let image = selectors
        .image
        .as_ref()
        .and_then(|sel| doc.select(&sel.compiled).find_map(image_of))
        .or_else(|| meta("og:image"))
        .or_else(|| ld().image.clone())
        .and_then(|src| dom::absolute(&base, &src).map(String::from))
        .or_else(|| body.as_ref().and_then(|b| b.first_image.clone()));

    let canonical = scan
        .canonical
        .or_else(|| scan.meta.get("og:url").copied())
        .and_then(|href| dom::absolute(&base, href))
        .map(String::from);

    RawItem {
        url: page.url.to_string(),
        canonical,
        title,
        summary,
        content_html: body.map(|b| b.html).filter(|h| !h.trim().is_empty()),
        paragraphs: Vec::new(),
        date,
        author,
        image,
        categories: categories(&scan, ld),
        guid: None,
    }
}

/// The text of the first element the selector matches that has any (or, for a `<meta>`, its
/// `content`).
fn first_text(doc: &Html, selector: Option<&Selector>) -> Option<String> {
    let selector = selector?;
    doc.select(&selector.compiled)
        .find_map(|e| non_blank(&text_of(e)).or_else(|| attr(e.value(), "content").and_then(non_blank)))
}

/// A date element's machine-readable attribute when it has one, else its text.
fn date_value(el: ElementRef<'_>) -> Option<String> {
    ["datetime", "content"]
        .iter()
        .find_map(|k| attr(el.value(), k).and_then(non_blank))
        .or_else(|| non_blank(&text_of(el)))
}

/// The image a matched element stands for: a `content` attribute, an `<img>`, or its first image.
fn image_of(el: ElementRef<'_>) -> Option<String> {
    if let Some(content) = attr(el.value(), "content").and_then(non_blank) {
        return Some(content);
    }
    dom::readable_descendants(el)
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "img")
        .find_map(|e| image_src(e.value()).and_then(non_blank))
}

/// The body container: the configured one, else the best generic candidate.
fn body_root<'a>(doc: &'a Html, scan: &Scan<'a>, selectors: &Selectors) -> Option<ElementRef<'a>> {
    match &selectors.content {
        Some(sel) => doc.select(&sel.compiled).next().or_else(|| generic_body(scan)),
        None => generic_body(scan),
    }
}

fn clean_body(root: ElementRef<'_>, selectors: &Selectors, base: &Url) -> Body {
    let removed: HashSet<_> = match &selectors.remove {
        Some(sel) => root.select(&sel.compiled).map(|e| e.id()).collect(),
        None => HashSet::new(),
    };
    content::clean_inner_html(root, base, &|e| removed.contains(&e.id()))
}

/// Whether `el` starts before `body` or lies inside it (node ids follow document order).
fn not_after(el: ElementRef<'_>, body: ElementRef<'_>) -> bool {
    el.id() <= body.id() || el.ancestors().any(|a| a.id() == body.id())
}

/// Known body containers by rank, then `<article>`, then the element holding the most
/// paragraph text (a small readability-like score).
fn generic_body<'a>(scan: &Scan<'a>) -> Option<ElementRef<'a>> {
    let candidates = scan.body.iter().flatten().copied().chain(scan.article);
    let mut fallback = None;
    for el in candidates {
        let len = text_len(el);
        if len >= MIN_BODY_TEXT {
            return Some(el);
        }
        if len > 0 && fallback.is_none() {
            fallback = Some(el);
        }
    }
    densest(&scan.paragraphs).or(fallback)
}

fn densest<'a>(paragraphs: &[ElementRef<'a>]) -> Option<ElementRef<'a>> {
    let mut scores: HashMap<_, (ElementRef<'a>, usize)> = HashMap::new();
    for p in paragraphs {
        if let Some(parent) = p.parent().and_then(ElementRef::wrap) {
            scores.entry(parent.id()).or_insert((parent, 0)).1 += text_len(*p);
        }
    }
    // Ties go to the earlier container, so the answer does not depend on hash order.
    scores
        .into_values()
        .filter(|(_, score)| *score > 0)
        .max_by_key(|(el, score)| (*score, std::cmp::Reverse(el.id())))
        .map(|(el, _)| el)
}

/// Breadcrumb names (without the home link; the page's own, else its JSON-LD
/// `BreadcrumbList`), then `article:section` (else JSON-LD `articleSection`).
fn categories<'s>(scan: &Scan<'_>, ld: impl Fn() -> &'s LdArticle) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let crumbs = scan.crumbs.iter().filter(|a| attr(a.value(), "href").map(str::trim) != Some("/"));
    let mut crumbs: Vec<String> = crumbs.map(|a| text_of(*a)).collect();
    if crumbs.is_empty() && !scan.ld_json.is_empty() {
        crumbs = ld().breadcrumb.clone();
    }
    let section = scan.meta.get("article:section").and_then(|s| non_blank(s));
    let section = section.or_else(|| (!scan.ld_json.is_empty()).then(|| ld().section.clone()).flatten());
    for name in crumbs.into_iter().chain(section) {
        let home = name.eq_ignore_ascii_case("trang chủ") || name.eq_ignore_ascii_case("home");
        if !name.is_empty() && !home && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn is_canonical(link: &scraper::node::Element) -> bool {
    attr(link, "rel").is_some_and(|r| r.split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("canonical")))
}

fn is_json_ld(script: &scraper::node::Element) -> bool {
    attr(script, "type").is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
}

/// What one walk over the page finds. Element fields hold the first match outside furniture.
#[derive(Default)]
struct Scan<'a> {
    /// `<meta>` content by lower-cased `property`/`name`/`itemprop`; the first one wins.
    meta: HashMap<String, &'a str>,
    /// `article:published_time`, `itemprop=datePublished` (any element) or `pubdate`.
    published: Option<&'a str>,
    canonical: Option<&'a str>,
    ld_json: Vec<ElementRef<'a>>,
    title_tag: Option<ElementRef<'a>>,
    h1: Option<ElementRef<'a>>,
    article: Option<ElementRef<'a>>,
    time_in_article: Option<&'a str>,
    time_any: Option<(ElementRef<'a>, &'a str)>,
    date_el: Option<ElementRef<'a>>,
    author_el: Option<ElementRef<'a>>,
    /// By tier: `…sapo` classes, `p.description`, `.summary`/`.lead`.
    sapo: [Option<ElementRef<'a>>; 3],
    body: [Option<ElementRef<'a>>; BODY_RANKS],
    paragraphs: Vec<ElementRef<'a>>,
    crumbs: Vec<ElementRef<'a>>,
}

impl<'a> Scan<'a> {
    fn of(doc: &'a Html) -> Scan<'a> {
        let mut s = Scan::default();
        dom::walk(doc.root_element(), |el, traits, place| {
            let e = el.value();
            let name = e.name();
            match name {
                "meta" => s.add_meta(e),
                "link" if s.canonical.is_none() && is_canonical(e) => s.canonical = attr(e, "href"),
                "script" if is_json_ld(e) => s.ld_json.push(el),
                "title" if s.title_tag.is_none() => s.title_tag = Some(el),
                _ => {}
            }
            if name != "meta" && attr(e, "itemprop") == Some("datePublished") && s.published.is_none() {
                s.published = attr(e, "content").or_else(|| attr(e, "datetime"));
            }
            if place.in_breadcrumb && name == "a" {
                s.crumbs.push(el);
            }
            if place.decoy {
                return;
            }
            match name {
                "h1" if s.h1.is_none() => s.h1 = Some(el),
                "article" if s.article.is_none() => s.article = Some(el),
                "p" => s.paragraphs.push(el),
                "time" => {
                    if let Some(dt) = attr(e, "datetime") {
                        if place.in_article {
                            s.time_in_article.get_or_insert(dt);
                        } else {
                            s.time_any.get_or_insert((el, dt));
                        }
                    }
                }
                _ => {}
            }
            if let Some(rank) = traits.body {
                s.body[dom::body_rank_in(rank, place) as usize].get_or_insert(el);
            }
            if let Some(tier) = traits.sapo {
                s.sapo[tier as usize].get_or_insert(el);
            }
            if traits.date && s.date_el.is_none() {
                s.date_el = Some(el);
            }
            if traits.author && s.author_el.is_none() {
                s.author_el = Some(el);
            }
        });
        s
    }

    fn add_meta(&mut self, e: &'a scraper::node::Element) {
        let Some(content) = attr(e, "content") else {
            return;
        };
        let Some(key) = attr(e, "property").or_else(|| attr(e, "name")).or_else(|| attr(e, "itemprop"))
        else {
            return;
        };
        let key = key.trim().to_ascii_lowercase();
        match key.as_str() {
            "article:published_time" | "datepublished" | "pubdate" | "publishdate" => {
                self.published.get_or_insert(content);
            }
            "og:title" | "og:description" | "description" | "og:image" | "og:url" | "author"
            | "article:section" => {
                self.meta.entry(key).or_insert(content);
            }
            _ => {}
        }
    }
}
