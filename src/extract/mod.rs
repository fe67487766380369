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
mod dom;
mod jsonld;
mod links;
mod selector;
#[cfg(test)]
mod tests;

pub use selector::Selector;

use url::Url;

use crate::config::Selectors;
use crate::model::{FetchedPage, RawItem};

/// Links to articles on a listing page: absolute (against `<base href>` when the page has
/// one), without fragments, http(s) only (or `file:` on a `file:` page), deduplicated, in page
/// order. With `selectors.item` every matched link counts; without it, links of the same site
/// that look like article URLs and sit outside menus, sidebars and "most read" boxes.
pub fn listing_links(page: &FetchedPage, selectors: &Selectors) -> Vec<Url> {
    links::listing_links(page, selectors)
}

/// The fields of one article page, as found: strings trimmed, URLs absolute, the body as a
/// cleaned HTML fragment (scripts, ads, share and related boxes removed, lazy images resolved).
pub fn article(page: &FetchedPage, selectors: &Selectors) -> RawItem {
    article::article(page, selectors)
}

/// A plain-text article file: paragraphs are its non-empty lines.
pub fn plain_text(text: &str, url: &Url) -> RawItem {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    RawItem {
        url: url.to_string(),
        paragraphs: text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
        ..RawItem::default()
    }
}
