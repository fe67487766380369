//! `kind = "feed"`: upstream RSS, Atom or JSON feeds republished clean.
//!
//! Each feed URL is fetched conditionally like an html listing (its validators are remembered;
//! a 304 ends it cheaply). Its entries, newest first and at most `max_items`, become items
//! straight from the feed; with `fetch_article = true`, each entry not fetched before (the html
//! kind's refetch rule) has its page fetched and extracted like an html article, the feed's
//! fields filling what the page lacks. A page that cannot be fetched leaves the entry as the
//! feed gave it, and the feed is asked again in full next run. A feed that does not parse at all
//! fails the source (class `feed`): its stored items stay published.

use std::cmp::Reverse;

use chrono::{DateTime, FixedOffset};
use tracing::{debug, info, warn};
use url::Url;

use super::{Collected, Memory, SourceError, push_normalized, read_articles, remembered};
use crate::config::{Site, Source};
use crate::extract;
use crate::fetch::{self, Fetched, Fetcher, PageKind, Request};
use crate::model::{FetchedPage, RawItem};
use crate::normalize;

/// One entry and the fetch of the feed it came from (its "now" for relative dates).
struct Entry {
    raw: RawItem,
    feed: usize,
    date: Option<DateTime<FixedOffset>>,
}

pub(super) async fn collect_feed(
    fetcher: &Fetcher,
    site: &Site,
    source: &Source,
    urls: &[Url],
    fetch_article: bool,
    memory: &Memory,
) -> Result<Collected, SourceError> {
    if !source.fetch.robots {
        warn!(source = %source.id, "robots.txt is not checked for this source (`robots = false`)");
    }
    let policy = &source.fetch;
    let mut collected = Collected::default();
    let mut listings = Vec::new();
    let mut feeds = Vec::<FetchedPage>::new();
    let mut entries = Vec::<Entry>::new();
    for url in urls {
        let validators = memory.validators(url);
        let request = Request { kind: PageKind::Listing, policy, validators: validators.as_ref() };
        let page = match fetcher.fetch(url, source.timezone, request).await? {
            Fetched::NotModified => {
                debug!(%url, "feed unchanged (304)");
                collected.unchanged_listings += 1;
                continue;
            }
            Fetched::Page(page) => *page,
        };
        let feed = extract::feed_items(&page)
            .map_err(|e| SourceError::Feed { url: page.url.clone(), reason: e.to_string() })?;
        if feed.repairs.is_empty() {
            debug!(url = %page.url, entries = feed.items.len(), "feed read");
        } else {
            info!(source = %source.id, url = %page.url, entries = feed.items.len(), repairs = %feed.repairs,
                "feed repaired before parsing");
        }
        if feed.items.is_empty() {
            info!(source = %source.id, url = %page.url, "the feed has no entries");
        }
        listings.push((url.to_string(), remembered(&page, true)));
        for raw in feed.items {
            let duplicate = entries.iter().any(|e| {
                (!raw.url.is_empty() && e.raw.url == raw.url)
                    || (raw.guid.is_some() && e.raw.guid == raw.guid)
            });
            if !duplicate {
                let date = raw.date.as_deref().and_then(|d| {
                    normalize::read_date(d, source.timezone, source.date_order, page.fetched_at).ok()
                });
                entries.push(Entry { raw, feed: feeds.len(), date });
            }
        }
        feeds.push(page);
    }
    // newest first (entries without a date after, in feed order), then the cap
    entries.sort_by_key(|e| Reverse(e.date));
    // excluded links are never fetched, and do not use up `max_items`
    crate::pipeline::filter::keep_linked(
        source,
        &mut entries,
        |e| Url::parse(&e.raw.url).ok(),
        &mut collected,
    );
    entries.truncate(source.max_items);

    if !fetch_article {
        for entry in entries {
            push_normalized(&mut collected, entry.raw, site, source, &feeds[entry.feed]);
        }
        collected.pages.extend(listings);
        return Ok(collected);
    }

    let now = fetch::now(source.timezone);
    let mut to_fetch = Vec::new();
    for entry in entries {
        match Url::parse(&entry.raw.url) {
            Ok(link) if memory.is_fresh(&link, source.refetch_interval, now) => collected.known += 1,
            Ok(link) => to_fetch.push((link, entry)),
            // no link to fetch: normalization reports it
            Err(_) => push_normalized(&mut collected, entry.raw, site, source, &feeds[entry.feed]),
        }
    }
    let fill = |entry: Entry, page: RawItem| extract::with_feed_fields(page, entry.raw);
    // a page that cannot be read leaves the entry's own fields, until the page is read
    let unread = |entry: Entry, collected: &mut Collected| {
        push_normalized(collected, entry.raw, site, source, &feeds[entry.feed]);
    };
    read_articles(fetcher, site, source, to_fetch, &mut collected, fill, unread).await?;
    // as for html listings: a feed is remembered only when every page it led to was read, so
    // that a 304 never hides an entry whose page is still to fetch
    if collected.failed.is_empty() {
        collected.pages.extend(listings);
    }
    Ok(collected)
}
