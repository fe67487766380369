//! One listing of an html source, page by page (issue 6): page 1 conditionally, then page 2, 3 …
//! from the `page_url` template or the `next` link, up to `max_pages`.
//!
//! Paging is for catching up, not for crawling archives: a listing is newest first, so the walk
//! stops at the first page that holds an article the store already knows (older pages hold older
//! news), at a page that adds no new link (a site that serves page 1 again past its end), and
//! once `max_items` links are gathered. In the steady state a run reads page 1 only.

use tracing::{debug, warn};
use url::Url;

use super::collect::{Memory, SourceError, remembered};
use crate::config::{Paging, Source};
use crate::extract;
use crate::fetch::{Fetched, Fetcher, PageKind, Request};
use crate::store::KnownPage;

/// Appends the listing's new article links to `links`, page by page. `None` when page 1 answered
/// 304 (nothing changed), else what to remember of page 1. Page 1 failing, or holding no link,
/// fails the source; a later page failing only ends the walk.
pub(super) async fn walk(
    fetcher: &Fetcher,
    source: &Source,
    url: &Url,
    paging: &Paging,
    memory: &Memory,
    links: &mut Vec<Url>,
) -> Result<Option<KnownPage>, SourceError> {
    let validators = memory.validators(url);
    let request = Request { kind: PageKind::Listing, policy: &source.fetch, validators: validators.as_ref() };
    let mut page = match fetcher.fetch(url, source.timezone, request).await? {
        Fetched::NotModified => {
            debug!(%url, "listing unchanged (304)");
            return Ok(None);
        }
        Fetched::Page(page) => page,
    };
    let first = remembered(&page, true);
    let mut visited = vec![url.clone(), page.url.clone()];
    let mut number = 1;
    loop {
        let extract::Listing { links: found, next: next_link } = extract::listing(&page, &source.selectors);
        debug!(url = %page.url, page = number, links = found.len(), "listing read");
        if found.is_empty() && number == 1 {
            return Err(SourceError::NoLinks {
                url: page.url,
                selector: source.selectors.item.as_ref().map(|s| s.as_str().to_string()),
            });
        }
        let caught_up = found.iter().any(|link| memory.pages.contains_key(link.as_str()));
        let before = links.len();
        for link in found {
            if !links.contains(&link) {
                links.push(link);
            }
        }
        let added = links.len() - before;
        if number >= paging.max_pages || added == 0 || caught_up || links.len() >= source.max_items {
            debug!(url = %url, pages = number, added, caught_up, "listing walk ends");
            break;
        }
        let next = match &paging.template {
            Some(_) => paging.page(number + 1),
            None => next_link,
        };
        let Some(next) = next.filter(|next| !visited.contains(next)) else { break };
        // later pages are fetched whole: they are read only when page 1 changed
        let request = Request { kind: PageKind::Listing, policy: &source.fetch, validators: None };
        page = match fetcher.fetch(&next, source.timezone, request).await {
            Ok(Fetched::Page(page)) => page,
            Ok(Fetched::NotModified) => break,
            Err(error) => {
                warn!(source = %source.id, %error, class = error.class(), "listing page skipped; paging ends");
                break;
            }
        };
        number += 1;
        visited.push(next);
        visited.push(page.url.clone());
    }
    Ok(Some(first))
}
