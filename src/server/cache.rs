//! The feeds in memory. Readers take a reference to the current snapshot's asset; a publish
//! builds the new assets (compressing them) outside the lock and then swaps them in, so a
//! request sees either the old feed or the new one, whole.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use tracing::{debug, warn};
use url::Url;

use super::asset::{Asset, Spool};
use super::feedinfo::{FeedInfo, FeedKind};
use super::pages;
use crate::config::Config;
use crate::pipeline::ALL;

/// The stylesheet every feed names in `<?xml-stylesheet?>`, served at `/feed.xsl`.
pub const STYLESHEET_NAME: &str = "feed.xsl";
const STYLESHEET: &str = include_str!("feed.xsl");

/// Shortest and longest `Cache-Control: max-age` derived from a schedule.
const MIN_MAX_AGE: Duration = Duration::from_secs(1);
const MAX_MAX_AGE: Duration = Duration::from_secs(6 * 3600);

/// What the pages say about the site, and how long clients may cache each feed.
#[derive(Debug, Clone)]
pub struct SiteInfo {
    pub title: String,
    pub description: Option<String>,
    /// Public URL of the feeds (ends with `/`): OPML links are absolute.
    pub base_url: Url,
    /// Feed slugs in index order: `all` first, then the config's categories.
    pub slugs: Vec<String>,
    /// Category names by slug, for feeds whose document title cannot be read.
    pub names: HashMap<String, String>,
    /// `max-age` per slug; a slug not listed gets `default_max_age`.
    pub max_age: HashMap<String, Duration>,
    pub default_max_age: Duration,
}

impl SiteInfo {
    /// The site of `config`: `max-age` is `[site] cache_max_age` when set, else the shortest
    /// interval between runs of the feed's sources (for `all`, of every source), so a client
    /// re-polls about as often as the feed can change.
    pub fn from_config(config: &Config) -> SiteInfo {
        let period_of = |sources: &mut dyn Iterator<Item = &crate::config::Source>| {
            sources.filter_map(|s| crate::daemon::period(&s.schedule)).min()
        };
        let clamp = |d: Duration| d.clamp(MIN_MAX_AGE, MAX_MAX_AGE);
        let fixed = config.site.cache_max_age;
        let all = fixed.or_else(|| period_of(&mut config.sources.iter())).map_or(MAX_MAX_AGE, clamp);
        let mut max_age = HashMap::from([(ALL.to_string(), all)]);
        let mut slugs = vec![ALL.to_string()];
        let mut names = HashMap::from([(ALL.to_string(), config.site.title.clone())]);
        for category in config.categories() {
            let period = period_of(&mut config.sources.iter().filter(|s| s.feeds(&category.slug)));
            max_age.insert(category.slug.clone(), fixed.or(period).map_or(all, clamp));
            names.insert(category.slug.clone(), category.name.clone());
            slugs.push(category.slug);
        }
        SiteInfo {
            title: config.site.title.clone(),
            description: config.site.description.clone(),
            base_url: config.site.base_url.clone(),
            slugs,
            names,
            max_age,
            default_max_age: all,
        }
    }

    fn max_age(&self, slug: &str) -> Duration {
        self.max_age.get(slug).copied().unwrap_or(self.default_max_age)
    }
}

/// One consistent view of every served document.
struct Snapshot {
    feeds: HashMap<String, (Arc<Asset>, FeedInfo)>,
    index: Arc<Asset>,
    opml: Arc<Asset>,
}

/// The feeds, the index page, the OPML list and the stylesheet, in memory.
pub struct FeedCache {
    site: SiteInfo,
    current: RwLock<Arc<Snapshot>>,
    /// Serializes publishers: each builds on the snapshot the previous one left.
    publishing: Mutex<()>,
    /// Where feeds keep the files their bodies are sent from (see [`Spool`]).
    spool: Option<PathBuf>,
    stylesheet: Arc<Asset>,
}

impl FeedCache {
    /// An empty cache: the index lists nothing yet.
    pub fn new(site: SiteInfo) -> FeedCache {
        let feeds = HashMap::new();
        let (index, opml) = pages_of(&site, &feeds);
        // changes only with the binary: the ETag says so, no date needed
        let stylesheet = Asset::new(STYLESHEET, "text/xsl; charset=utf-8", None, Duration::from_secs(3600));
        FeedCache {
            site,
            current: RwLock::new(Arc::new(Snapshot { feeds, index, opml })),
            publishing: Mutex::new(()),
            stylesheet: Arc::new(stylesheet),
            spool: None,
        }
    }

    /// Feed bodies are sent from unlinked files in `dir` (the daemon's data folder) rather than
    /// from memory files: faster to `sendfile` when `dir` is on a disk.
    pub fn spooled_in(mut self, dir: &Path) -> FeedCache {
        self.spool = Some(dir.to_path_buf());
        self
    }

    pub fn site(&self) -> &SiteInfo {
        &self.site
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The feed file `name` (`chinh-tri.rss`), if we serve it.
    pub fn feed(&self, name: &str) -> Option<Arc<Asset>> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        current.feeds.get(name).map(|(asset, _)| asset.clone())
    }

    pub fn index(&self) -> Arc<Asset> {
        self.snapshot().index.clone()
    }

    pub fn opml(&self) -> Arc<Asset> {
        self.snapshot().opml.clone()
    }

    pub fn stylesheet(&self) -> Arc<Asset> {
        self.stylesheet.clone()
    }

    /// Every served feed file with what its document says, by name.
    pub fn feeds(&self) -> BTreeMap<String, FeedInfo> {
        self.snapshot().feeds.iter().map(|(name, (_, info))| (name.clone(), info.clone())).collect()
    }

    /// The feed files the config publishes that are not served yet (empty: ready).
    pub fn missing(&self) -> Vec<String> {
        let snapshot = self.snapshot();
        self.site
            .slugs
            .iter()
            .flat_map(|slug| [FeedKind::Rss, FeedKind::Atom].map(|k| format!("{slug}.{}", k.extension())))
            .filter(|name| !snapshot.feeds.contains_key(name))
            .collect()
    }

    /// Serves the feed files of `dir` (`*.rss`, `*.atom` with our names), so a restarted daemon
    /// answers at once with what it published before. Returns how many it loaded; a missing
    /// folder loads none. Blocking (reads and compresses).
    pub fn load_dir(&self, dir: &Path) -> usize {
        let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
        let mut files = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if FeedKind::split(&name).is_none() {
                continue;
            }
            match std::fs::read(entry.path()) {
                Ok(bytes) => files.push((name, bytes)),
                Err(e) => warn!(file = %entry.path().display(), error = %e, "cannot load feed"),
            }
        }
        let loaded = files.len();
        self.publish(files);
        loaded
    }

    /// Swaps in new bytes for the named feed files (names not ours are ignored) and rebuilds
    /// the index and OPML. Files whose bytes are already served are skipped: no recompression,
    /// same ETag. Blocking (compresses): call it from `spawn_blocking` in async code.
    pub fn publish(&self, files: Vec<(String, Vec<u8>)>) {
        let _one_at_a_time = self.publishing.lock().unwrap_or_else(|e| e.into_inner());
        let current = self.snapshot();
        let mut feeds = current.feeds.clone();
        let mut changed = 0;
        for (name, bytes) in files {
            let Some((slug, kind)) = FeedKind::split(&name) else { continue };
            if feeds.get(&name).is_some_and(|(asset, _)| asset.holds(&bytes)) {
                continue;
            }
            let info = FeedInfo::scan(kind, &bytes);
            let modified = info.updated.map(SystemTime::from);
            let spool = self.spool.as_deref().map_or(Spool::Memory, Spool::Dir);
            let asset = Asset::feed(bytes, kind.content_type(), modified, self.site.max_age(slug), spool)
                .for_browsers("application/xml; charset=utf-8");
            debug!(feed = %name, items = info.items, etag = asset.hash(), "feed cached");
            feeds.insert(name, (Arc::new(asset), info));
            changed += 1;
        }
        if changed == 0 {
            return;
        }
        let (index, opml) = pages_of(&self.site, &feeds);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(Snapshot { feeds, index, opml });
    }
}

/// The index page and the OPML list for these feeds.
fn pages_of(site: &SiteInfo, feeds: &HashMap<String, (Arc<Asset>, FeedInfo)>) -> (Arc<Asset>, Arc<Asset>) {
    let infos: BTreeMap<&str, &FeedInfo> =
        feeds.iter().map(|(name, (_, info))| (name.as_str(), info)).collect();
    let listings = pages::listings(site, &infos);
    // the pages change when any feed changes: they are as fresh as the newest feed
    let modified = listings.iter().filter_map(|l| l.updated()).max().map(SystemTime::from);
    let max_age = site.max_age(ALL);
    let index = Asset::new(pages::index_html(site, &listings), "text/html; charset=utf-8", modified, max_age);
    let opml = Asset::new(pages::opml(site, &listings), "text/x-opml; charset=utf-8", modified, max_age);
    (Arc::new(index), Arc::new(opml))
}
