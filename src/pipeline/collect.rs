//! One source, fetched and extracted and normalized: everything before the store.

use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use thiserror::Error;
use tracing::{debug, warn};
use url::Url;

use crate::config::{Site, Source, SourceKind};
use crate::extract;
use crate::fetch::{FetchError, Fetcher};
use crate::model::{FetchedPage, Item, RawItem};
use crate::normalize::{self, Context, Dropped};

/// Article pages fetched at once for one source.
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
}

fn describe(selector: &Option<String>) -> String {
    match selector {
        Some(s) => format!("selector `{s}`"),
        None => "generic link extraction".to_string(),
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
}

/// Fetches, extracts and normalizes one source. Pure of the store: `inspect` uses it as is.
pub async fn collect(fetcher: &Fetcher, site: &Site, source: &Source) -> Result<Collected, SourceError> {
    match &source.kind {
        SourceKind::Html { urls } => collect_html(fetcher, site, source, urls).await,
        SourceKind::Files { path } => collect_files(fetcher, site, source, path).await,
    }
}

async fn collect_html(
    fetcher: &Fetcher,
    site: &Site,
    source: &Source,
    urls: &[Url],
) -> Result<Collected, SourceError> {
    let mut links = Vec::<Url>::new();
    for url in urls {
        let page = fetcher.get(url, source.timezone).await?;
        let found = extract::listing_links(&page, &source.selectors);
        debug!(url = %page.url, links = found.len(), "listing read");
        if found.is_empty() {
            return Err(SourceError::NoLinks {
                url: page.url,
                selector: source.selectors.item.as_ref().map(|s| s.as_str().to_string()),
            });
        }
        for link in found {
            if !links.contains(&link) {
                links.push(link);
            }
        }
    }
    links.truncate(source.max_items);

    let attempted = links.len();
    let pages: Vec<Result<FetchedPage, FetchError>> = futures_util::stream::iter(links)
        .map(|link| async move { fetcher.get(&link, source.timezone).await })
        .buffered(ARTICLE_CONCURRENCY)
        .collect()
        .await;

    let mut collected = Collected::default();
    for page in pages {
        match page {
            Ok(page) => {
                let raw = extract::article(&page, &source.selectors);
                push_normalized(&mut collected, raw, site, source, &page);
            }
            Err(error) => {
                warn!(source = %source.id, %error, "article skipped");
                collected.failed.push(error);
            }
        }
    }
    if collected.items.is_empty() && collected.dropped.is_empty() && !collected.failed.is_empty() {
        let first = collected.failed.remove(0).to_string();
        return Err(SourceError::NoArticles { attempted, first });
    }
    Ok(collected)
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
    files.truncate(source.max_items);

    let mut collected = Collected::default();
    for path in files {
        let absolute = std::path::absolute(&path).map_err(folder_error)?;
        let Ok(url) = Url::from_file_path(&absolute) else { continue };
        let page = match fetcher.get(&url, source.timezone).await {
            Ok(page) => page,
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
        Ok(item) => collected.items.push(item),
        Err(reason) => {
            warn!(source = %source.id, url = %url, %reason, "item dropped");
            collected.dropped.push((url, reason));
        }
    }
}
