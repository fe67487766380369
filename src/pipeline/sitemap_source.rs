//! `kind = "sitemap"` (issue 6): article pages found through sitemaps and sitemap indexes, the
//! newest first, each read as the html kind reads an article.
//!
//! Economy, as for listings: every sitemap is fetched conditionally and remembered with its
//! validators; an index child whose `<lastmod>` is older than our last read of it is not asked at
//! all; stored articles are not fetched again. When a configured sitemap answers 304 it may still
//! be an index whose children changed (a fixed `news.xml` listed by a static index), so the
//! sitemaps remembered from earlier runs (the only pages of this source stored with validators)
//! are asked again, conditionally: an unchanged run costs a few 304s and nothing else.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset};
use tracing::{debug, info, warn};
use url::Url;

use super::collect::{Collected, Memory, SourceError, read_articles, remembered};
use crate::config::{Site, Source};
use crate::extract::{self, Sitemap, SitemapRef, SitemapUrl};
use crate::fetch::{self, Fetched, Fetcher, PageKind, Request};
use crate::normalize;
use crate::store::KnownPage;

/// Child sitemaps read per index (the newest by `<lastmod>`): the news is in the newest ones, and
/// a big site's index lists hundreds of monthly archives.
pub const MAX_CHILD_SITEMAPS: usize = 5;
/// An index inside an index is followed (some sites nest them); deeper ones are not.
const MAX_DEPTH: usize = 2;
/// Clocks differ: a child is taken as unchanged only when its `<lastmod>` is this much older
/// than our last read of it.
const CLOCK_MARGIN: chrono::Duration = chrono::Duration::minutes(10);

pub(super) async fn collect_sitemap(
    fetcher: &Fetcher,
    site: &Site,
    source: &Source,
    urls: &[Url],
    memory: &Memory,
) -> Result<Collected, SourceError> {
    if !source.fetch.robots {
        warn!(source = %source.id, "robots.txt is not checked for this source (`robots = false`)");
    }
    let mut walk = Walk { fetcher, source, memory, read: Vec::new(), entries: Vec::new(), unchanged: 0 };
    let mut any_unchanged = false;
    for url in urls {
        // a configured sitemap that fails fails the source: its previous items stay published
        if !walk.read(url, 0).await? {
            any_unchanged = true;
        }
    }
    if any_unchanged {
        walk.ask_remembered(urls).await;
    }
    let Walk { read, entries, unchanged, .. } = walk;
    let mut collected = Collected { unchanged_listings: unchanged, ..Collected::default() };

    let now = fetch::now(source.timezone);
    let mut entries = newest_first(entries, source, now);
    // excluded URLs are never fetched, and do not use up `max_items`
    super::filter::keep_linked(source, &mut entries, |entry| Some(entry.loc.clone()), &mut collected);
    entries.truncate(source.max_items);
    let before = entries.len();
    entries.retain(|entry| !memory.is_fresh(&entry.loc, source.refetch_interval, now));
    collected.known = before - entries.len();
    info!(
        source = %source.id,
        sitemaps = read.len(),
        unchanged = collected.unchanged_listings,
        new = entries.len(),
        known = collected.known,
        "sitemaps read"
    );

    let links = entries.into_iter().map(|entry| (entry.loc.clone(), entry)).collect();
    read_articles(fetcher, site, source, links, &mut collected, fill, |_, _| {}).await?;
    // as for listings: a sitemap is remembered only when every article it led to was read
    if collected.failed.is_empty() {
        collected.pages.extend(read);
    }
    Ok(collected)
}

/// What the sitemap says fills what the page lacks: a page without a title, date or picture of
/// its own gets the news title, the publication date and the first image.
fn fill(entry: SitemapUrl, mut raw: crate::model::RawItem) -> crate::model::RawItem {
    raw.title = raw.title.or(entry.news_title);
    raw.date = raw.date.or(entry.publication_date);
    raw.image = raw.image.or(entry.image);
    raw
}

/// The sitemaps of one run and the page entries they listed.
struct Walk<'a> {
    fetcher: &'a Fetcher,
    source: &'a Source,
    memory: &'a Memory,
    /// Sitemaps fetched or revalidated this run, as the store will remember them.
    read: Vec<(String, KnownPage)>,
    entries: Vec<SitemapUrl>,
    unchanged: usize,
}

impl Walk<'_> {
    /// Reads one sitemap (an index: its newest children too). `Ok(false)` when it answered 304.
    async fn read(&mut self, url: &Url, depth: usize) -> Result<bool, SourceError> {
        let source = self.source;
        let validators = self.memory.validators(url);
        let request =
            Request { kind: PageKind::Listing, policy: &source.fetch, validators: validators.as_ref() };
        let page = match self.fetcher.fetch(url, source.timezone, request).await? {
            Fetched::NotModified => {
                debug!(%url, "sitemap unchanged (304)");
                self.unchanged += 1;
                if let Some(known) = self.memory.pages.get(url.as_str()) {
                    // still current: keep its validators, note when we last knew it so
                    let fetched_at = fetch::now(source.timezone);
                    self.read.push((url.to_string(), KnownPage { fetched_at, ..known.clone() }));
                }
                return Ok(false);
            }
            Fetched::Page(page) => page,
        };
        self.read.push((url.to_string(), remembered(&page, true)));
        let sitemap = extract::sitemap(&page)
            .map_err(|reason| SourceError::Sitemap { url: page.url.clone(), reason })?;
        match sitemap {
            Sitemap::Urls(urls) => {
                debug!(%url, urls = urls.len(), "sitemap read");
                self.entries.extend(urls);
            }
            Sitemap::Index(children) if depth < MAX_DEPTH => {
                let children = self.children(children, page.fetched_at);
                debug!(%url, children = children.len(), "sitemap index read");
                self.read_children(&children, depth + 1).await?;
            }
            Sitemap::Index(children) => {
                warn!(source = %source.id, %url, children = children.len(), "sitemap index nested too deep; skipped");
            }
        }
        Ok(true)
    }

    /// The children worth reading: the newest by `<lastmod>` (document order without one), at
    /// most [`MAX_CHILD_SITEMAPS`], less those unchanged since we last read them.
    fn children(&self, children: Vec<SitemapRef>, fetched_at: DateTime<FixedOffset>) -> Vec<Url> {
        let zone = self.source.timezone;
        let mut dated: Vec<(Option<DateTime<FixedOffset>>, SitemapRef)> = children
            .into_iter()
            .map(|child| {
                let date = child.lastmod.as_deref().and_then(|d| normalize::parse_date(d, zone, fetched_at));
                (date, child)
            })
            .collect();
        dated.sort_by_key(|(date, _)| std::cmp::Reverse(*date)); // stable: `None` last, document order kept
        let mut seen = HashSet::new();
        dated
            .into_iter()
            .filter(|(_, child)| seen.insert(child.loc.clone()))
            .take(MAX_CHILD_SITEMAPS)
            .filter(|(lastmod, child)| {
                let known = self.memory.pages.get(child.loc.as_str());
                let unchanged = matches!((lastmod, known), (Some(lastmod), Some(known))
                    if *lastmod + CLOCK_MARGIN < known.fetched_at);
                if unchanged {
                    debug!(url = %child.loc, "child sitemap unchanged since last read (lastmod)");
                }
                !unchanged
            })
            .map(|(_, child)| child.loc)
            .collect()
    }

    /// Reads child sitemaps; one failing is logged and skipped, all failing fails the source.
    async fn read_children(&mut self, children: &[Url], depth: usize) -> Result<(), SourceError> {
        let mut first_error = None;
        let mut ok = 0;
        for child in children {
            match Box::pin(self.read(child, depth)).await {
                Ok(_) => ok += 1,
                Err(error) => {
                    warn!(source = %self.source.id, %error, class = error.class(), "child sitemap skipped");
                    first_error.get_or_insert(error);
                }
            }
        }
        match first_error {
            Some(error) if ok == 0 => Err(error),
            _ => Ok(()),
        }
    }

    /// After a configured sitemap answered 304: the sitemaps read in earlier runs (stored with
    /// validators, unlike articles), most recently read first, asked again conditionally.
    async fn ask_remembered(&mut self, configured: &[Url]) {
        let asked: HashSet<String> = self.read.iter().map(|(url, _)| url.clone()).collect();
        let mut remembered: Vec<(&String, &KnownPage)> = self
            .memory
            .pages
            .iter()
            .filter(|(url, page)| {
                (page.etag.is_some() || page.last_modified.is_some()) && !asked.contains(*url)
            })
            .filter(|(url, _)| !configured.iter().any(|c| c.as_str() == url.as_str()))
            .collect();
        remembered.sort_by(|a, b| b.1.fetched_at.cmp(&a.1.fetched_at).then_with(|| a.0.cmp(b.0)));
        let urls: Vec<Url> = remembered
            .into_iter()
            .take(MAX_CHILD_SITEMAPS)
            .filter_map(|(url, _)| Url::parse(url).ok())
            .collect();
        if !urls.is_empty() {
            debug!(sitemaps = urls.len(), "asking the sitemaps read before");
        }
        // best effort: the run has already succeeded with what it has
        let _ = self.read_children(&urls, 1).await;
    }
}

/// Page entries newest first: by `news:publication_date`, else `<lastmod>`, else in document
/// order (after every dated one); a URL listed twice counts once, where it came first.
fn newest_first(entries: Vec<SitemapUrl>, source: &Source, now: DateTime<FixedOffset>) -> Vec<SitemapUrl> {
    let mut seen = HashSet::new();
    let mut dated: Vec<(Option<DateTime<FixedOffset>>, SitemapUrl)> = entries
        .into_iter()
        .filter(|entry| seen.insert(entry.loc.clone()))
        .map(|entry| {
            let date = [&entry.publication_date, &entry.lastmod]
                .into_iter()
                .find_map(|d| d.as_deref().and_then(|d| normalize::parse_date(d, source.timezone, now)));
            (date, entry)
        })
        .collect();
    dated.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
    dated.into_iter().map(|(_, entry)| entry).collect()
}
