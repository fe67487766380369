//! Runs the stages: every source end to end with bounded concurrency, then every feed.
//! One failing source never stops the rest, and never empties its feed: the store keeps its
//! last good items and the feeds are rebuilt from the store.

mod collect;
pub mod crawl;
mod feeds;
mod filter;
mod listing;
mod lock;
mod sitemap_source;
mod stale;

pub use collect::{Collected, Memory, SourceError, collect, collect_with};
pub use feeds::{ALL, PublishedFeed, feed_meta, publish_changed, publish_feeds};
pub use filter::Rejection;
pub use lock::{DataLock, LockError};
pub use stale::{STATE_FILE, publish_stale};

use futures_util::StreamExt;
use thiserror::Error;
use tracing::{Instrument, error, info, info_span};

use crate::config::{Config, Site, Source, SourceKind};
use crate::fetch::{self, FetchError, Fetcher};
use crate::store::{Store, StoreError, Upserted};

/// Sources crawled at once.
const SOURCE_CONCURRENCY: usize = 4;

/// A failure that stops the whole run (as opposed to one source failing).
#[derive(Debug, Error)]
pub enum RunError {
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Client(#[from] FetchError),
    #[error("cannot write feed `{path}`: {source}")]
    Write { path: std::path::PathBuf, source: std::io::Error },
}

/// How one source's run ended.
#[derive(Debug)]
pub struct SourceReport {
    pub id: String,
    pub outcome: Result<SourceCounts, SourceError>,
}

/// What a successful source run found and changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceCounts {
    pub found: usize,
    pub dropped: usize,
    pub failed_articles: usize,
    pub stored: Upserted,
    /// Links and items left out by the source's `include` / `exclude` patterns (not failures).
    pub filtered: usize,
}

/// The result of `tinfeed once`.
#[derive(Debug)]
pub struct RunReport {
    pub sources: Vec<SourceReport>,
    pub feeds: Vec<PublishedFeed>,
}

impl RunReport {
    /// Whether any source failed (the exit code is then 1; the feeds were still published).
    pub fn any_failed(&self) -> bool {
        self.sources.iter().any(|s| s.outcome.is_err())
    }
}

/// One crawl of every source, stored, then every stale feed published: `tinfeed once`.
pub async fn run_once(config: &Config) -> Result<RunReport, RunError> {
    let _lock = DataLock::acquire(&config.site.data_dir)?;
    let mut store = Store::open(&config.site.data_dir)?;
    let fetcher = Fetcher::with_settings(config.site.fetch.clone())?;
    let plans = crawl::prepare(&store, &fetcher, config)?;

    let mut runs = futures_util::stream::iter(config.sources.iter().zip(plans))
        .map(|(source, plan)| {
            let fetcher = &fetcher;
            async move { (source, crawl::run(fetcher, &config.site, source, plan).await) }
                .instrument(source_span(source))
        })
        .buffer_unordered(SOURCE_CONCURRENCY);

    let mut sources = Vec::new();
    while let Some((source, result)) = runs.next().await {
        sources.push(record(&mut store, &config.site, source, result)?);
    }
    // report in config order, whatever order the sources finished in
    sources.sort_by_key(|r| config.sources.iter().position(|s| s.id == r.id));
    crawl::save_robots(&mut store, &fetcher)?;

    // only the feeds whose items or settings changed since they were last written
    let feeds = publish_stale(config, &store)?;
    Ok(RunReport { sources, feeds })
}

/// The span every run of one source is logged under: its id, category and first URL or folder.
pub fn source_span(source: &Source) -> tracing::Span {
    let url = match &source.kind {
        SourceKind::Html { urls, .. } | SourceKind::Sitemap { urls } | SourceKind::Feed { urls, .. } => {
            urls.first().map(|u| u.to_string()).unwrap_or_default()
        }
        SourceKind::Files { path } => path.display().to_string(),
    };
    info_span!("source", id = %source.id, category = %source.category, url = %url)
}

/// Stores what one source run yielded and records its health: new and edited items upserted and
/// the success noted, or the failure noted (its stored items stay, so its feed keeps them).
/// Only a store failure is an error; the source's own failure is in the report.
pub fn record(
    store: &mut Store,
    site: &Site,
    source: &Source,
    result: Result<Collected, SourceError>,
) -> Result<SourceReport, StoreError> {
    let now = fetch::now(source.timezone);
    let outcome = match result {
        Ok(collected) => {
            let stored = store.upsert(&collected.items, now)?;
            crawl::record_success(store, source, &collected, now)?;
            info!(source = %source.id, found = collected.items.len(), new = stored.new,
                updated = stored.updated, dropped = collected.dropped.len(),
                failed = collected.failed.len(), filtered = collected.filtered.len(), "source done");
            Ok(SourceCounts {
                found: collected.items.len(),
                dropped: collected.dropped.len(),
                failed_articles: collected.failed.len(),
                stored,
                filtered: collected.filtered.len(),
            })
        }
        Err(err) => {
            crawl::record_failure(store, site, source, &err, now)?;
            error!(source = %source.id, error = %err, class = err.class(),
                "source failed; its feed keeps its last good items");
            Err(err)
        }
    };
    Ok(SourceReport { id: source.id.clone(), outcome })
}
