//! One source, fetched and extracted and normalized: everything before the store.
//!
//! A run is cheap when nothing changed: listing pages are fetched conditionally (a 304 ends
//! them), and an article fetched before is not fetched again unless the source sets a
//! `refetch_interval`. What to remember for next time comes back in [`Collected::pages`];
//! [`crawl`](super::crawl) reads and writes it around the run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use futures_util::StreamExt;
use thiserror::Error;
use tracing::{info, warn};
use url::Url;

use super::filter::{self, Rejection};
use super::listing;
use crate::config::{Paging, Site, Source, SourceKind};
use crate::extract;
use crate::fetch::{self, FetchError, Fetched, Fetcher, PageKind, Request, Validators};
use crate::model::{FetchedPage, Item, RawItem};
use crate::normalize::{self, Context, Dropped};
use crate::store::KnownPage;

mod feed;

/// Article pages fetched at once for one source (each host also limits its own concurrency).
const ARTICLE_CONCURRENCY: usize = 4;

/// Why a source produced nothing this run. Its previously stored items stay published.
#[derive(Debug, Error)]
pub enum SourceError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The listing answered, but no article link was found: most often the site's layout changed.
    #[error("{} matched no article links on `{url}` (has the page layout changed?)", describe(selector))]
    NoLinks { url: Url, selector: Option<String> },
    #[error("cannot read folder `{}`: {source}", path.display())]
    Folder { path: PathBuf, source: std::io::Error },
    /// Links were found but not one article could be read.
    #[error("none of the {attempted} articles could be read; first error: {first}")]
    NoArticles { attempted: usize, first: String },
    /// A sitemap answered but is not one (not XML, an HTML error page, a feed).
    #[error("`{url}` is not a readable sitemap: {reason}")]
    Sitemap { url: Url, reason: String },
    /// The source failed too often lately, or its server asked us to wait: it sits this run out.
    #[error(
        "backing off after {failures} failures in a row ({}); last error: {last_error}",
        wait(runs_left, until)
    )]
    BackingOff { failures: u32, runs_left: u32, until: Option<DateTime<FixedOffset>>, last_error: String },
    /// A feed source's URL answered with something that is no feed, or a feed beyond repair.
    #[error("cannot read the feed `{url}`: {reason}")]
    Feed { url: Url, reason: String },
}

fn describe(selector: &Option<String>) -> String {
    match selector {
        Some(s) => format!("selector `{s}`"),
        None => "generic link extraction".to_string(),
    }
}

fn wait(runs_left: &u32, until: &Option<DateTime<FixedOffset>>) -> String {
    match until {
        Some(until) => format!("the server asked to wait until {}", until.to_rfc3339()),
        None => format!("{runs_left} more run{} to skip", if *runs_left == 1 { "" } else { "s" }),
    }
}

impl SourceError {
    /// A short stable name for logs and metrics: the fetch error's class, `layout` for a listing
    /// whose selector matched nothing, `backoff` for a run skipped on purpose.
    pub fn class(&self) -> &'static str {
        match self {
            SourceError::Fetch(e) => e.class(),
            SourceError::NoLinks { .. } => "layout",
            SourceError::Folder { .. } => "io",
            SourceError::NoArticles { .. } => "articles",
            SourceError::Sitemap { .. } => "sitemap",
            SourceError::BackingOff { .. } => "backoff",
            SourceError::Feed { .. } => "feed",
        }
    }
}

/// What the store remembers of a source's pages, read before its run.
#[derive(Debug, Default, Clone)]
pub struct Memory {
    pub pages: HashMap<String, KnownPage>,
}

impl Memory {
    pub(super) fn validators(&self, url: &Url) -> Option<Validators> {
        let page = self.pages.get(url.as_str())?;
        let validators = Validators { etag: page.etag.clone(), last_modified: page.last_modified.clone() };
        (!validators.is_empty()).then_some(validators)
    }

    /// Whether `link` was fetched recently enough to be left alone this run.
    pub(super) fn is_fresh(
        &self,
        link: &Url,
        refetch: Option<std::time::Duration>,
        now: DateTime<FixedOffset>,
    ) -> bool {
        let Some(page) = self.pages.get(link.as_str()) else { return false };
        match refetch {
            None => true,
            Some(interval) => (now - page.fetched_at).to_std().is_ok_and(|age| age < interval),
        }
    }
}

/// What one source yielded: normalized items plus what was skipped, and why.
#[derive(Debug, Default)]
pub struct Collected {
    pub items: Vec<Item>,
    /// Items dropped by normalization: (URL, reason).
    pub dropped: Vec<(String, Dropped)>,
    /// Article pages that could not be fetched (the rest of the source went on).
    pub failed: Vec<FetchError>,
    /// Article links that are not pages (a PDF, an image): skipped, remembered, not an error.
    pub skipped: Vec<FetchError>,
    /// Listing pages that answered 304 Not Modified.
    pub unchanged_listings: usize,
    /// Article links not fetched because they were fetched before.
    pub known: usize,
    /// Pages to remember: listing validators, article fetch times.
    pub pages: Vec<(String, KnownPage)>,
    /// Links and items left out by the source's `include` / `exclude` patterns: (URL, why).
    pub filtered: Vec<(String, Rejection)>,
}

/// Fetches, extracts and normalizes one source, remembering nothing: everything is fetched.
/// Pure of the store: `inspect` uses it as is.
pub async fn collect(fetcher: &Fetcher, site: &Site, source: &Source) -> Result<Collected, SourceError> {
    collect_with(fetcher, site, source, &Memory::default()).await
}

/// [`collect`], knowing what was fetched before: conditional GETs, stored articles skipped.
pub async fn collect_with(
    fetcher: &Fetcher,
    site: &Site,
    source: &Source,
    memory: &Memory,
) -> Result<Collected, SourceError> {
    match &source.kind {
        SourceKind::Html { urls, paging } => collect_html(fetcher, site, source, urls, paging, memory).await,
        SourceKind::Files { path } => collect_files(fetcher, site, source, path).await,
        SourceKind::Sitemap { urls } => {
            super::sitemap_source::collect_sitemap(fetcher, site, source, urls, memory).await
        }
        SourceKind::Feed { urls, fetch_article } => {
            feed::collect_feed(fetcher, site, source, urls, *fetch_article, memory).await
        }
    }
}

async fn collect_html(
    fetcher: &Fetcher,
    site: &Site,
    source: &Source,
    urls: &[Url],
    paging: &Paging,
    memory: &Memory,
) -> Result<Collected, SourceError> {
    if !source.fetch.robots {
        warn!(source = %source.id, "robots.txt is not checked for this source (`robots = false`)");
    }
    let mut collected = Collected::default();
    let mut listings = Vec::new();
    let mut links = Vec::<Url>::new();
    for url in urls {
        match listing::walk(fetcher, source, url, paging, memory, &mut links).await? {
            Some(first) => listings.push((url.to_string(), first)),
            None => collected.unchanged_listings += 1,
        }
    }
    // excluded links are never fetched, and do not use up `max_items`
    filter::keep_links(source, &mut links, &mut collected);
    // newest first: the listing's order, cut before skipping known links so that a big archive
    // is never walked back page by page
    links.truncate(source.max_items);
    let now = fetch::now(source.timezone);
    let before = links.len();
    links.retain(|link| !memory.is_fresh(link, source.refetch_interval, now));
    collected.known = before - links.len();

    let links = links.into_iter().map(|link| (link, ())).collect();
    read_articles(fetcher, site, source, links, &mut collected, |(), raw| raw, |(), _| {}).await?;
    // A listing is remembered only when every article it led to was read: otherwise its next
    // answer could be a 304 and the failed articles would never be tried again.
    if collected.failed.is_empty() {
        collected.pages.extend(listings);
    }
    Ok(collected)
}

/// Fetches the article `links` (a few at once), extracts and normalizes each into `collected`.
/// Each link comes with what the source said of it (`T`: a sitemap entry, a feed entry):
/// `fill` completes the page's fields from it, and `unread` gets it when the page could not be
/// read (a feed source publishes the entry's own fields then). Fails only when there were links,
/// not one could be read and nothing came of them.
pub(super) async fn read_articles<T>(
    fetcher: &Fetcher,
    site: &Site,
    source: &Source,
    links: Vec<(Url, T)>,
    collected: &mut Collected,
    fill: impl Fn(T, RawItem) -> RawItem,
    unread: impl Fn(T, &mut Collected),
) -> Result<(), SourceError> {
    let attempted = links.len();
    let now = fetch::now(source.timezone);
    let article = Request { kind: PageKind::Article, policy: &source.fetch, validators: None };
    // each page is read as it arrives and dropped: memory holds a few pages, not the whole run
    let mut pages = futures_util::stream::iter(links)
        .map(|(link, hint)| async move {
            let page = fetcher.fetch(&link, source.timezone, article).await;
            (link, hint, page)
        })
        .buffered(ARTICLE_CONCURRENCY);
    while let Some((link, hint, page)) = pages.next().await {
        match page {
            Ok(Fetched::Page(page)) => {
                collected.pages.push((link.to_string(), remembered(&page, false)));
                let raw = fill(hint, extract::article(&page, &source.selectors));
                push_normalized(collected, raw, site, source, &page);
                continue;
            }
            // no validators were sent: a 304 here is the server's mistake; try again next run
            Ok(Fetched::NotModified) => {}
            Err(error @ FetchError::NotHtml { .. }) => {
                info!(source = %source.id, %error, "article link skipped");
                let at = KnownPage { etag: None, last_modified: None, fetched_at: now };
                collected.pages.push((link.to_string(), at));
                collected.skipped.push(error);
            }
            Err(error) => {
                warn!(source = %source.id, %error, class = error.class(), "article skipped");
                collected.failed.push(error);
            }
        }
        unread(hint, collected);
    }
    if collected.items.is_empty()
        && collected.dropped.is_empty()
        && collected.filtered.is_empty()
        && !collected.failed.is_empty()
    {
        let first = collected.failed.remove(0).to_string();
        return Err(SourceError::NoArticles { attempted, first });
    }
    Ok(())
}

/// The page as the store remembers it; validators only for listings (articles are not re-asked).
pub(super) fn remembered(page: &FetchedPage, validators: bool) -> KnownPage {
    KnownPage {
        etag: page.etag.clone().filter(|_| validators),
        last_modified: page.last_modified.clone().filter(|_| validators),
        fetched_at: page.fetched_at,
    }
}

/// A folder of article files: `.txt` as plain text (one paragraph per line), `.html`/`.htm` as pages.
async fn collect_files(
    fetcher: &Fetcher,
    site: &Site,
    source: &Source,
    dir: &Path,
) -> Result<Collected, SourceError> {
    let folder_error = |source| SourceError::Folder { path: dir.to_path_buf(), source };
    let mut files = Vec::new();
    let mut entries = tokio::fs::read_dir(dir).await.map_err(folder_error)?;
    while let Some(entry) = entries.next_entry().await.map_err(folder_error)? {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        if matches!(ext.as_deref(), Some("txt" | "html" | "htm")) {
            files.push(path);
        }
    }
    files.sort();
    let mut collected = Collected::default();
    filter::keep_files(source, &mut files, &mut collected);
    files.truncate(source.max_items);

    let request = Request { kind: PageKind::Article, policy: &source.fetch, validators: None };
    for path in files {
        let absolute = std::path::absolute(&path).map_err(folder_error)?;
        let Ok(url) = Url::from_file_path(&absolute) else { continue };
        let page = match fetcher.fetch(&url, source.timezone, request).await {
            Ok(Fetched::Page(page)) => page,
            Ok(Fetched::NotModified) => continue,
            Err(error) => {
                warn!(source = %source.id, %error, "file skipped");
                collected.failed.push(error);
                continue;
            }
        };
        let raw = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")) {
            extract::plain_text(&page.body, &page.url)
        } else {
            extract::article(&page, &source.selectors)
        };
        push_normalized(&mut collected, raw, site, source, &page);
    }
    Ok(collected)
}

fn push_normalized(
    collected: &mut Collected,
    raw: RawItem,
    site: &Site,
    source: &Source,
    page: &FetchedPage,
) {
    let ctx = Context { source, site_title: &site.title, fetched_at: page.fetched_at };
    let url = raw.url.clone();
    match normalize::item(raw, &ctx) {
        Ok(item) => filter::keep_item(source, item, collected),
        Err(reason) => {
            warn!(source = %source.id, url = %url, %reason, "item dropped");
            collected.dropped.push((url, reason));
        }
    }
}
