//! Page + selectors → links and `RawItem`s. Synchronous and pure, and the only module that
//! touches `scraper` (whose documents are not `Send`: parse, select and return owned strings
//! inside one function, never across an `.await`).

mod selector;

pub use selector::Selector;

use url::Url;

use crate::config::Selectors;
use crate::model::{FetchedPage, RawItem};

/// Links to articles on a listing page: absolute, same site, deduplicated, in page order.
pub fn listing_links(page: &FetchedPage, selectors: &Selectors) -> Vec<Url> {
    let _ = (page, selectors);
    Vec::new()
}

/// The fields of one article page.
pub fn article(page: &FetchedPage, selectors: &Selectors) -> RawItem {
    let _ = selectors;
    RawItem { url: page.url.to_string(), ..RawItem::default() }
}

/// A plain-text article file: paragraphs are its non-empty lines.
pub fn plain_text(text: &str, url: &Url) -> RawItem {
    RawItem {
        url: url.to_string(),
        paragraphs: text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
        ..RawItem::default()
    }
}
