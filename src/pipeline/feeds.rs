//! Store → feed files: one RSS and one Atom per category, plus `all`, rebuilt from the store
//! (so a failed source still has its last good items) and written only on change.

use std::collections::BTreeSet;
use std::path::PathBuf;

use url::Url;

use super::RunError;
use crate::config::{Category, Config, SourceKind};
use crate::publish::{self, FeedMeta};
use crate::store::Store;

/// The slug of the feed holding every category.
pub const ALL: &str = "all";

/// One published feed pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedFeed {
    pub slug: String,
    pub title: String,
    pub items: usize,
    pub rss_path: PathBuf,
    pub atom_path: PathBuf,
    /// Whether either file's bytes changed this run.
    pub written: bool,
    /// Whether the feed was rendered this run. `tinfeed once` leaves a feed whose items and
    /// settings did not change since it last wrote it as it is ([`super::publish_stale`]): its
    /// files already hold what rendering would give.
    pub rendered: bool,
    /// The bytes of each file as published, for a server that serves them from memory; empty
    /// from [`super::publish_stale`], whose caller reads the files.
    pub rss_bytes: Vec<u8>,
    pub atom_bytes: Vec<u8>,
}

/// The metadata of one category's feed (`None`: the `all` feed).
pub fn feed_meta(config: &Config, category: Option<&Category>) -> FeedMeta {
    let site = &config.site;
    let (slug, title, description) = match category {
        Some(c) => (
            c.slug.clone(),
            format!("{} – {}", site.title, c.name),
            format!("Tin mới nhất chuyên mục {} – {}", c.name, site.title),
        ),
        None => (
            ALL.to_string(),
            site.title.clone(),
            site.description.clone().unwrap_or_else(|| format!("Tin mới nhất – {}", site.title)),
        ),
    };
    FeedMeta {
        slug,
        title,
        description,
        language: site.language.clone(),
        base_url: site.base_url.clone(),
        link: category.and_then(|c| listing_url(config, &c.slug)).unwrap_or_else(|| site.base_url.clone()),
        author: site.title.clone(),
    }
}

/// The first web listing of a category: the page the feed stands for.
fn listing_url(config: &Config, slug: &str) -> Option<Url> {
    config.sources.iter().filter(|s| s.category_slug == slug).find_map(|s| match &s.kind {
        SourceKind::Html { urls, .. } => {
            urls.iter().find(|u| matches!(u.scheme(), "http" | "https")).cloned()
        }
        // a sitemap is for crawlers: the site's home page stands for the feed
        SourceKind::Sitemap { urls } => {
            urls.iter().find(|u| matches!(u.scheme(), "http" | "https")).and_then(|u| u.join("/").ok())
        }
        SourceKind::Files { .. } => None,
        // an upstream feed stands for its site: the home page of its first web URL
        SourceKind::Feed { urls, .. } => {
            urls.iter().find(|u| matches!(u.scheme(), "http" | "https")).and_then(|u| u.join("/").ok())
        }
    })
}

/// Writes every feed from the store.
pub fn publish_feeds(config: &Config, store: &Store) -> Result<Vec<PublishedFeed>, RunError> {
    publish_where(config, store, |_| true)
}

/// Writes the feeds of the categories in `changed` (slugs), plus the `all` feed when any
/// changed: what the daemon republishes after one source stored new or edited items
/// ([`crate::store::Upserted::changed_slugs`]). Nothing changed, nothing written.
pub fn publish_changed(
    config: &Config,
    store: &Store,
    changed: &BTreeSet<String>,
) -> Result<Vec<PublishedFeed>, RunError> {
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    publish_where(config, store, |slug| slug == ALL || changed.contains(slug))
}

fn publish_where(
    config: &Config,
    store: &Store,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<PublishedFeed>, RunError> {
    let categories = config.categories();
    // every feed from the same items: the `all` feed agrees with the category feeds
    store.snapshot(|| {
        let mut feeds = Vec::with_capacity(categories.len() + 1);
        for category in categories.iter().map(Some).chain([None]) {
            if wanted(category.map_or(ALL, |c| c.slug.as_str())) {
                feeds.push(publish_one(config, store, category)?);
            }
        }
        Ok(feeds)
    })
}

/// The paths of a feed's two files.
pub(super) fn feed_paths(config: &Config, slug: &str) -> (PathBuf, PathBuf) {
    let dir = &config.site.feeds_dir;
    (dir.join(format!("{slug}.rss")), dir.join(format!("{slug}.atom")))
}

/// Renders one feed (`None`: the `all` feed) from the store and writes what changed.
pub(super) fn publish_one(
    config: &Config,
    store: &Store,
    category: Option<&Category>,
) -> Result<PublishedFeed, RunError> {
    let meta = feed_meta(config, category);
    let items = store.recent(category.map(|c| c.slug.as_str()), config.site.items_per_feed)?;
    let (rss_path, atom_path) = feed_paths(config, &meta.slug);
    let write = |path: &PathBuf, bytes: &[u8]| {
        publish::write_if_changed(path, bytes)
            .map_err(|source| RunError::Write { path: path.clone(), source })
    };
    let rss_bytes = publish::rss(&meta, &items);
    let atom_bytes = publish::atom(&meta, &items);
    let rss_written = write(&rss_path, &rss_bytes)?;
    let atom_written = write(&atom_path, &atom_bytes)?;
    Ok(PublishedFeed {
        slug: meta.slug,
        title: meta.title,
        items: items.len(),
        rss_path,
        atom_path,
        written: rss_written || atom_written,
        rendered: true,
        rss_bytes,
        atom_bytes,
    })
}
