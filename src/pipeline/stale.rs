//! Publishing only what is stale. Rendering every feed from every item's HTML is most of the
//! work of a run where nothing changed; a feed's files are a pure function of its metadata,
//! its items and the code that renders them (same items → byte-identical files), so a feed
//! whose three inputs are those of its last rendering is left as it is.
//!
//! `<data_dir>/feeds.state` remembers, per feed, the key of its last rendering (a hash of the
//! tinfeed version and rendering code, the feed's metadata and the store's [`FeedVersion`] of
//! its items) and the length of each file then written. A feed is rendered again when its key
//! differs (an item new, edited, re-filed or pushed out; a title, base URL or `items_per_feed`
//! changed; another tinfeed version or renderer) or when a file is missing or has another
//! length. The state is only a cache: missing or damaged, every feed is rendered, as before it
//! existed.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use sha2::{Digest, Sha256};

use super::RunError;
use super::feeds::{PublishedFeed, feed_meta, feed_paths, publish_one};
use crate::config::Config;
use crate::publish::{self, FeedMeta};
use crate::store::{FeedVersion, Store};

/// The state file, in the data directory (never served, unlike the feeds directory).
pub const STATE_FILE: &str = "feeds.state";

/// What a feed's last rendering was made from, and the lengths of the files it wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rendered {
    key: String,
    rss_len: u64,
    atom_len: u64,
}

/// Writes the feeds whose items or settings changed since they were last rendered, or whose
/// files are missing; reports the others as unchanged without rendering them. The same files
/// as [`super::publish_feeds`] in the end, for a fraction of the work on a quiet run. No
/// [`PublishedFeed`] it returns holds its bytes: they are on disk.
pub fn publish_stale(config: &Config, store: &Store) -> Result<Vec<PublishedFeed>, RunError> {
    let state_path = config.site.data_dir.join(STATE_FILE);
    let previous = read_state(&state_path);
    let mut state = BTreeMap::new();
    let categories = config.categories();
    // every feed from the same items, each one's version from the items it renders
    let feeds = store.snapshot(|| {
        let mut feeds = Vec::with_capacity(categories.len() + 1);
        for category in categories.iter().map(Some).chain([None]) {
            let meta = feed_meta(config, category);
            let version =
                store.feed_version(category.map(|c| c.slug.as_str()), config.site.items_per_feed)?;
            let key = feed_key(&meta, &version);
            let (rss_path, atom_path) = feed_paths(config, &meta.slug);
            let current = previous.get(&meta.slug).filter(|last| {
                last.key == key
                    && file_len(&rss_path) == Some(last.rss_len)
                    && file_len(&atom_path) == Some(last.atom_len)
            });
            if let Some(last) = current {
                state.insert(meta.slug.clone(), last.clone());
                feeds.push(PublishedFeed {
                    slug: meta.slug,
                    title: meta.title,
                    items: version.items,
                    rss_path,
                    atom_path,
                    written: false,
                    rendered: false,
                    rss_bytes: Vec::new(),
                    atom_bytes: Vec::new(),
                });
                continue;
            }
            let mut feed = publish_one(config, store, category)?;
            let rendered = Rendered { key, rss_len: len(&feed.rss_bytes), atom_len: len(&feed.atom_bytes) };
            state.insert(feed.slug.clone(), rendered);
            // Written and nobody serves them from memory: freed now, the next feed renders into the
            // same memory instead of faulting in fresh pages.
            feed.rss_bytes = Vec::new();
            feed.atom_bytes = Vec::new();
            feeds.push(feed);
        }
        Ok::<_, RunError>(feeds)
    })?;
    // Written after the feeds: a crash in between leaves an older state, whose keys no longer
    // match, and the next run renders again.
    publish::write_if_changed(&state_path, write_state(&state).as_bytes())
        .map_err(|source| RunError::Write { path: state_path, source })?;
    Ok(feeds)
}

/// The key of a rendering: tinfeed's version (the code that renders), the feed's metadata and
/// its items.
/// The code that turns items into feed bytes, hashed: a change to it re-renders every feed even
/// without a version bump (a developer's build, a patched package).
static RENDERER: LazyLock<String> = LazyLock::new(|| {
    let code = [
        include_str!("../publish/mod.rs"),
        include_str!("../publish/rss_feed.rs"),
        include_str!("../publish/atom_feed.rs"),
        include_str!("../publish/xml.rs"),
        include_str!("feeds.rs"),
    ];
    let mut hasher = Sha256::new();
    for file in code {
        hasher.update(file.as_bytes());
    }
    hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
});

fn feed_key(meta: &FeedMeta, version: &FeedVersion) -> String {
    let mut hasher = Sha256::new();
    for part in [env!("CARGO_PKG_VERSION"), RENDERER.as_str(), &format!("{meta:?}"), &version.hash] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

fn file_len(path: &Path) -> Option<u64> {
    std::fs::metadata(path).ok().filter(|m| m.is_file()).map(|m| m.len())
}

fn len(bytes: &[u8]) -> u64 {
    u64::try_from(bytes.len()).unwrap_or(u64::MAX)
}

/// One line per feed: `slug key rss_len atom_len`. Slugs have no spaces (see `normalize::slug`).
fn write_state(state: &BTreeMap<String, Rendered>) -> String {
    state.iter().map(|(slug, r)| format!("{slug} {} {} {}\n", r.key, r.rss_len, r.atom_len)).collect()
}

/// The state as written; an unreadable file or line is ignored (its feeds are rendered).
fn read_state(path: &Path) -> BTreeMap<String, Rendered> {
    let Ok(text) = std::fs::read_to_string(path) else { return BTreeMap::new() };
    text.lines()
        .filter_map(|line| {
            let mut parts = line.split(' ');
            let (slug, key) = (parts.next()?, parts.next()?);
            let rss_len = parts.next()?.parse().ok()?;
            let atom_len = parts.next()?.parse().ok()?;
            let rendered = Rendered { key: key.to_string(), rss_len, atom_len };
            (parts.next().is_none() && !slug.is_empty()).then(|| (slug.to_string(), rendered))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::ALL;

    #[test]
    fn the_state_reads_back_and_damage_is_ignored() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(STATE_FILE);
        let mut state = BTreeMap::new();
        state
            .insert("van-hoa-xa-hoi".to_string(), Rendered { key: "ab12".into(), rss_len: 10, atom_len: 12 });
        state.insert(ALL.to_string(), Rendered { key: "cd34".into(), rss_len: 0, atom_len: 7 });
        std::fs::write(&path, write_state(&state)).expect("write");
        assert_eq!(read_state(&path), state);

        std::fs::write(&path, "thoi-su ab 1\nchinh-tri ab x 2\n\nkinh-te k 1 2 3\ny-te k 5 6\n")
            .expect("write");
        let read = read_state(&path);
        assert_eq!(read.keys().collect::<Vec<_>>(), ["y-te"]);
        assert!(read_state(&dir.path().join("missing")).is_empty());
    }

    #[test]
    fn the_key_follows_metadata_and_items() {
        let meta = FeedMeta {
            slug: "thoi-su".into(),
            title: "Báo Hà Nam – Thời sự".into(),
            description: "Tin mới nhất chuyên mục Thời sự".into(),
            language: "vi".into(),
            base_url: url::Url::parse("https://tin.example/feeds/").expect("url"),
            link: url::Url::parse("https://baohanam.com.vn/thoi-su/").expect("url"),
            author: "Báo Hà Nam".into(),
        };
        let items = FeedVersion { items: 2, hash: "aa".into() };
        let key = feed_key(&meta, &items);
        assert_eq!(key, feed_key(&meta.clone(), &items.clone()));
        let retitled = FeedMeta { title: "Báo Hà Nam – Thời sự 24h".into(), ..meta.clone() };
        assert_ne!(feed_key(&retitled, &items), key);
        assert_ne!(feed_key(&meta, &FeedVersion { items: 2, hash: "ab".into() }), key);
    }
}
