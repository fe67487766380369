//! TOML → validated [`Config`]: URLs, zones, selectors and cron schedules compiled once, every
//! error located at `file:line:col` and reported together.
//!
//! Every relative path in the file (`path`, `feeds_dir`, `data_dir`, `file://` is always absolute)
//! resolves against the config file's folder, so a config means the same from any working directory.

mod duration;
mod env;
mod error;
mod fetching;
mod filter;
mod paging;
mod raw;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chrono_tz::Tz;
use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use url::Url;

pub use env::ENV_OVERRIDES;
pub use error::{ConfigError, ConfigErrors};
pub use fetching::Backoff;
pub use filter::{CategoryMap, CategoryRule, Field, Filter, Pattern, Patterns};
pub use paging::Paging;

#[cfg(test)]
mod tests;
use error::Diagnostics;
use raw::{RawSelectors, RawSite, RawSource};

use crate::extract::Selector;
use crate::normalize::slug;

/// The schedule a source gets when it sets none: every 15 minutes, on the minute.
pub const DEFAULT_SCHEDULE: &str = "0 */15 * * * *";
pub const DEFAULT_SUMMARY_LENGTH: usize = 300;
pub const DEFAULT_ITEMS_PER_FEED: usize = 50;
pub const DEFAULT_MAX_ITEMS: usize = 30;

/// A whole validated config.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from.
    pub path: PathBuf,
    pub site: Site,
    pub sources: Vec<Source>,
}

/// The `[site]` table: what every feed shares.
#[derive(Debug, Clone)]
pub struct Site {
    pub title: String,
    pub description: Option<String>,
    /// Public URL of the feeds; always ends with `/`. Self links are `base_url` + file name.
    pub base_url: Url,
    pub language: String,
    /// The zone of dates that carry no offset.
    pub timezone: Tz,
    pub feeds_dir: PathBuf,
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    pub items_per_feed: usize,
    pub summary_length: usize,
    pub user_agent: String,
    /// `Cache-Control: max-age` of served feeds; `None`: matched to each feed's schedule.
    pub cache_max_age: Option<Duration>,
    /// Timeouts, body cap, retries and per-host politeness (the same `user_agent` inside).
    pub fetch: crate::fetch::Settings,
    /// When a failing source starts skipping runs.
    pub backoff: Backoff,
}

/// Where a source's articles come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// Listing pages scraped with selectors (or generic extraction), each read up to
    /// `paging.max_pages` pages deep.
    Html { urls: Vec<Url>, paging: Paging },
    /// A folder of article files, plain text or HTML.
    Files { path: PathBuf },
    /// Sitemaps or sitemap indexes (Google News extension read too) listing the article pages.
    Sitemap { urls: Vec<Url> },
    /// Upstream RSS, Atom or JSON feeds, republished clean; with `fetch_article`, each new
    /// entry's page is fetched and extracted like an html source's article.
    Feed { urls: Vec<Url>, fetch_article: bool },
}

/// One `[[sources]]` entry, compiled.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub kind: SourceKind,
    /// The category name as written ("Văn hóa - Xã hội").
    pub category: String,
    /// Its ASCII slug: the feed file name ("van-hoa-xa-hoi").
    pub category_slug: String,
    pub schedule: cron::Schedule,
    pub selectors: Selectors,
    pub summary_length: usize,
    /// At most this many articles are fetched per run (newest first on the listing).
    pub max_items: usize,
    pub timezone: Tz,
    /// The source's own User-Agent, robots.txt opt-out and body cap.
    pub fetch: crate::fetch::Policy,
    /// How old a stored article must be to be fetched again; `None`: never (the default), so an
    /// unchanged run fetches only listing pages. `Some(ZERO)`: every run.
    pub refetch_interval: Option<std::time::Duration>,
    /// `[sources.include]` / `[sources.exclude]`: which items are kept.
    pub filter: Filter,
    /// `[sources.categories]`: items whose URL path or page names a key go to its category.
    pub category_map: CategoryMap,
    /// How ambiguous numeric dates ("10/2/2026") are read: `auto` (day first, Tuổi Trẻ's .NET
    /// form month first), `dmy` or `mdy`.
    pub date_order: crate::normalize::DateOrder,
}

/// CSS selectors of one source, compiled. Each one is optional: without it, generic
/// extraction takes over.
#[derive(Debug, Clone, Default)]
pub struct Selectors {
    /// Listing page: the links to articles.
    pub item: Option<Selector>,
    pub title: Option<Selector>,
    pub summary: Option<Selector>,
    pub content: Option<Selector>,
    pub date: Option<Selector>,
    pub author: Option<Selector>,
    pub image: Option<Selector>,
    /// Elements dropped from the content before anything is read from it.
    pub remove: Option<Selector>,
    /// Listing page: the link to the next listing page.
    pub next: Option<Selector>,
    /// What pruning a page before parsing must keep for these selectors, worked out on first
    /// use (`extract::prune`): once per source, not once per page.
    pub(crate) keep: crate::extract::KeepCache,
}

/// A feed we publish: one per category, plus `all`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub name: String,
    pub slug: String,
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigErrors(vec![ConfigError {
                file: path.to_path_buf(),
                position: None,
                message: format!("cannot read config: {e}"),
            }])
        })?;
        Self::parse(path, &text)
    }

    /// Validates config text; `path` names it in errors and anchors relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigErrors> {
        let mut diag = Diagnostics::new(path, text);
        let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let root = match DeTable::parse(text) {
            Ok(root) => root.into_inner(),
            Err(e) => {
                diag.toml(&e);
                return diag.finish().map(|()| unreachable!());
            }
        };

        let mut raw_site = None;
        let mut raw_sources = Vec::new();
        for (key, value) in root {
            match key.get_ref().as_ref() {
                "site" => raw_site = deserialize::<RawSite>(value, &mut diag),
                "sources" => match value.into_inner() {
                    DeValue::Array(array) => {
                        for entry in array {
                            raw_sources.extend(deserialize::<RawSource>(entry, &mut diag));
                        }
                    }
                    _ => diag
                        .error(Some(key.span()), "`sources` must be an array of tables: write `[[sources]]`"),
                },
                other => diag
                    .error(Some(key.span()), format!("unknown key `{other}`, expected `site` or `sources`")),
            }
        }

        let site = match raw_site {
            Some(raw) => compile_site(raw, &base_dir, &mut diag),
            None => {
                if diag.is_empty() {
                    diag.error(Some(0..0), "missing `[site]` table");
                }
                None
            }
        };
        if raw_sources.is_empty() && diag.is_empty() {
            diag.error(Some(text.len()..text.len()), "no `[[sources]]`: add at least one source");
        }
        let sources = compile_sources(raw_sources, site.as_ref(), &base_dir, &mut diag);
        diag.finish()?;
        Ok(Config { path: path.to_path_buf(), site: site.expect("no errors means a site"), sources })
    }

    /// The categories in config order, each once.
    /// Each source's own category, then those its `[sources.categories]` maps to.
    pub fn categories(&self) -> Vec<Category> {
        let mut seen = Vec::<Category>::new();
        for category in self.sources.iter().flat_map(Source::categories) {
            if !seen.iter().any(|c| c.slug == category.slug) {
                seen.push(category);
            }
        }
        seen
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
}

/// Deserializes one table, reporting every bad key in it rather than only the first: after each
/// error the offending key is pruned and deserialization retried.
fn deserialize<T: for<'de> Deserialize<'de>>(
    mut value: Spanned<DeValue<'_>>,
    diag: &mut Diagnostics,
) -> Option<T> {
    let mut pruned = Vec::<String>::new();
    loop {
        match T::deserialize(value.clone().into_deserializer()) {
            Ok(parsed) => return Some(parsed),
            Err(e) => {
                // a required key we pruned ourselves is not a second problem
                if pruned.iter().any(|key| e.message().contains(&format!("missing field `{key}`"))) {
                    return None;
                }
                diag.toml(&e);
                match e.span().and_then(|span| prune(&mut value, &span)) {
                    Some(key) => pruned.push(key),
                    None => return None,
                }
            }
        }
    }
}

/// Removes the key whose key or value holds `span`, searching nested tables too (a table's own
/// span may cover only its header); returns its name.
fn prune(value: &mut Spanned<DeValue<'_>>, span: &std::ops::Range<usize>) -> Option<String> {
    let DeValue::Table(table) = value.get_mut() else { return None };
    let inside = |s: std::ops::Range<usize>| s.start <= span.start && span.end <= s.end.max(s.start + 1);
    let direct = table
        .iter()
        .find(|(k, v)| inside(k.span()) || (!matches!(v.get_ref(), DeValue::Table(_)) && inside(v.span())))
        .map(|(k, _)| k.clone());
    if let Some(key) = direct {
        table.remove(&key);
        return Some(key.into_inner().into_owned());
    }
    table.iter_mut().find_map(|(_, v)| prune(v, span))
}

fn compile_site(raw: RawSite, base_dir: &Path, diag: &mut Diagnostics) -> Option<Site> {
    let errors_before = diag.count();
    let user_agent = raw.user_agent.clone().unwrap_or_else(crate::fetch::default_user_agent);
    let fetching = fetching::site_settings(&raw, &user_agent, diag);
    let title = match raw.title {
        Some(t) if !t.get_ref().trim().is_empty() => t.into_inner().trim().to_string(),
        Some(t) => {
            diag.error(Some(t.span()), "`title` must not be empty");
            String::new()
        }
        None => "tinfeed".to_string(),
    };
    let base_url = match raw.base_url {
        Some(u) => match Url::parse(u.get_ref()) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                let mut url = url;
                if !url.path().ends_with('/') {
                    url.set_path(&format!("{}/", url.path()));
                }
                Some(url)
            }
            Ok(_) => bad(diag, &u, "an http(s) URL for `base_url`"),
            Err(e) => bad(diag, &u, &format!("an absolute http(s) URL for `base_url` ({e})")),
        },
        None => Some(Url::parse("http://127.0.0.1:8080/").expect("valid")),
    };
    let language = match raw.language {
        Some(l) if is_language_tag(l.get_ref()) => l.into_inner(),
        Some(l) => bad(diag, &l, "a language tag such as `vi`").unwrap_or_default(),
        None => "vi".to_string(),
    };
    let timezone = raw.timezone.as_ref().map_or(Some(chrono_tz::Asia::Ho_Chi_Minh), |z| parse_zone(z, diag));
    let listen = match raw.listen {
        Some(l) => SocketAddr::from_str(l.get_ref())
            .map_err(|_| bad::<()>(diag, &l, "a socket address such as `127.0.0.1:8080`"))
            .ok(),
        None => Some(SocketAddr::from(([127, 0, 0, 1], 8080))),
    };
    let items_per_feed = positive(raw.items_per_feed.as_ref(), DEFAULT_ITEMS_PER_FEED, 10_000, diag);
    let summary_length = positive(raw.summary_length.as_ref(), DEFAULT_SUMMARY_LENGTH, 100_000, diag);
    let cache_max_age = match raw.cache_max_age.as_ref() {
        None => Some(None),
        Some(v) => positive(Some(v), 0, 86_400, diag).map(|secs| Some(Duration::from_secs(secs as u64))),
    };
    let resolve =
        |dir: Option<String>, default: &str| clean_path(&base_dir.join(dir.as_deref().unwrap_or(default)));
    if diag.count() > errors_before {
        return None;
    }
    let (fetch, backoff) = fetching?;
    Some(Site {
        title,
        description: raw.description,
        base_url: base_url?,
        language,
        timezone: timezone?,
        feeds_dir: resolve(raw.feeds_dir, "feeds"),
        data_dir: resolve(raw.data_dir, "data"),
        listen: listen?,
        items_per_feed: items_per_feed?,
        summary_length: summary_length?,
        user_agent,
        cache_max_age: cache_max_age?,
        fetch,
        backoff,
    })
}

fn compile_sources(
    raws: Vec<RawSource>,
    site: Option<&Site>,
    base_dir: &Path,
    diag: &mut Diagnostics,
) -> Vec<Source> {
    let mut ids = HashMap::<String, ()>::new();
    let mut slugs = BTreeMap::<String, String>::new();
    let mut sources = Vec::new();
    for raw in raws {
        let id = raw.id.get_ref().clone();
        if !is_source_id(&id) {
            bad::<()>(diag, &raw.id, "an id of lower-case ASCII letters, digits and `-`");
        } else if ids.insert(id.clone(), ()).is_some() {
            diag.error(Some(raw.id.span()), format!("duplicate source id `{id}`"));
        }

        let category = raw.category.get_ref().trim().to_string();
        let category_slug = slug(&category);
        if category_slug.is_empty() {
            diag.error(
                Some(raw.category.span()),
                format!("category `{category}` has no letters or digits to name its feed"),
            );
        } else if category_slug == "all" {
            diag.error(
                Some(raw.category.span()),
                format!(
                    "category `{category}` would take the slug `all`, which names the feed of every category"
                ),
            );
        } else if let Some(other) = slugs.get(&category_slug) {
            if *other != category {
                diag.error(
                    Some(raw.category.span()),
                    format!(
                        "category `{category}` and category `{other}` would share the feed `{category_slug}`"
                    ),
                );
            }
        } else {
            slugs.insert(category_slug.clone(), category.clone());
        }

        let kind = compile_kind(&raw, base_dir, diag);
        let schedule = match &raw.schedule {
            Some(s) => cron::Schedule::from_str(s.get_ref())
                .map_err(|e| {
                    let reason = e.to_string();
                    // cron's message repeats the expression and points at it with `^` on lines of their own
                    let reason = reason
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && *l != "^" && *l != s.get_ref().trim())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let fields = s.get_ref().split_whitespace().count();
                    let reason = match reason.trim_end_matches('.') {
                        "" => format!("it has {fields} fields"),
                        r => r.to_string(),
                    };
                    diag.error(
                        Some(s.span()),
                        format!(
                            "invalid cron schedule `{}` ({reason}); expected six fields with seconds, e.g. `0 */15 * * * *`",
                            s.get_ref()
                        ),
                    )
                })
                .ok(),
            None => Some(cron::Schedule::from_str(DEFAULT_SCHEDULE).expect("valid default")),
        };
        let selectors = compile_selectors(&raw.selectors, diag);
        let summary_length = positive(
            raw.summary_length.as_ref(),
            site.map_or(DEFAULT_SUMMARY_LENGTH, |s| s.summary_length),
            100_000,
            diag,
        );
        let max_items = positive(raw.max_items.as_ref(), DEFAULT_MAX_ITEMS, 10_000, diag);
        let timezone = match &raw.timezone {
            Some(z) => parse_zone(z, diag),
            None => Some(site.map_or(chrono_tz::Asia::Ho_Chi_Minh, |s| s.timezone)),
        };
        let fetching = fetching::source_policy(&raw, diag);
        let filter = filter::compile_filter(raw.include.as_ref(), raw.exclude.as_ref(), diag);
        let category_map = filter::compile_category_map(raw.categories.as_ref(), &mut slugs, diag);
        let date_order = feed_keys(&raw, diag);
        if let (
            Some(kind),
            Some(schedule),
            Some(selectors),
            Some(summary_length),
            Some(max_items),
            Some(timezone),
            Some((fetch, refetch_interval)),
            Some(filter),
            Some(category_map),
            Some(date_order),
        ) = (
            kind,
            schedule,
            selectors,
            summary_length,
            max_items,
            timezone,
            fetching,
            filter,
            category_map,
            date_order,
        ) {
            sources.push(Source {
                id,
                kind,
                category,
                category_slug,
                schedule,
                selectors,
                summary_length,
                max_items,
                timezone,
                fetch,
                refetch_interval,
                filter,
                category_map,
                date_order,
            });
        }
    }
    sources
}

fn compile_kind(raw: &RawSource, base_dir: &Path, diag: &mut Diagnostics) -> Option<SourceKind> {
    if matches!(raw.kind.get_ref().as_str(), "files" | "feed" | "sitemap") {
        paging::reject(raw, diag);
    }
    match raw.kind.get_ref().as_str() {
        "html" => {
            let written = raw.url.iter().count() + raw.urls.iter().flatten().count();
            let urls = source_urls(raw, ("an html source", "its listing page"), base_dir, diag);
            let paging = paging::compile(raw, written, base_dir, diag);
            Some(SourceKind::Html { urls: urls?, paging: paging? })
        }
        "sitemap" => source_urls(raw, ("a sitemap source", "its sitemap or sitemap index"), base_dir, diag)
            .map(|urls| SourceKind::Sitemap { urls }),
        "files" => match (&raw.path, &raw.url) {
            (_, Some(url)) => {
                diag.error(Some(url.span()), "a files source takes `path`, not `url`");
                None
            }
            (Some(path), None) => {
                Some(SourceKind::Files { path: clean_path(&base_dir.join(path.get_ref())) })
            }
            (None, None) => {
                diag.error(Some(raw.kind.span()), "a files source needs `path`, the folder of article files");
                None
            }
        },
        "feed" => feed_kind(raw, base_dir, diag),
        other => {
            diag.error(
                Some(raw.kind.span()),
                format!("unknown source kind `{other}`, expected one of `html`, `files`, `feed`, `sitemap`"),
            );
            None
        }
    }
}

/// `kind = "feed"`: the feed URLs (http(s) or `file:`), and whether to fetch each entry's page.
fn feed_kind(raw: &RawSource, base_dir: &Path, diag: &mut Diagnostics) -> Option<SourceKind> {
    let urls = source_urls(raw, ("a feed source", "its RSS, Atom or JSON feed"), base_dir, diag)?;
    let fetch_article = raw.fetch_article.as_ref().is_some_and(|f| *f.get_ref());
    Some(SourceKind::Feed { urls, fetch_article })
}

/// The `url` / `urls` of a kind that reads URLs (`html`, `sitemap`, `feed`), each parsed; `what`
/// names the kind and what its URLs point at, for the errors.
fn source_urls(
    raw: &RawSource,
    (kind, target): (&str, &str),
    base_dir: &Path,
    diag: &mut Diagnostics,
) -> Option<Vec<Url>> {
    if let Some(path) = &raw.path {
        diag.error(
            Some(path.span()),
            format!("`path` is for `kind = \"files\"`; {kind} takes `url` or `urls`"),
        );
        return None;
    }
    let written: Vec<&Spanned<String>> = raw.url.iter().chain(raw.urls.iter().flatten()).collect();
    if written.is_empty() {
        diag.error(Some(raw.kind.span()), format!("{kind} needs `url` (or `urls`) of {target}"));
        return None;
    }
    let urls: Vec<Option<Url>> = written.into_iter().map(|u| parse_source_url(u, base_dir, diag)).collect();
    urls.into_iter().collect()
}

/// The keys issue 6 added to every source: `date_order` (any kind) and `fetch_article` (feed
/// sources only). `None` after an error.
fn feed_keys(raw: &RawSource, diag: &mut Diagnostics) -> Option<crate::normalize::DateOrder> {
    let mut ok = true;
    if let Some(fetch_article) = &raw.fetch_article
        && raw.kind.get_ref() != "feed"
    {
        diag.error(
            Some(fetch_article.span()),
            format!(
                "`fetch_article` is for `kind = \"feed\"`; a `{}` source always reads its articles as it finds them",
                raw.kind.get_ref()
            ),
        );
        ok = false;
    }
    let order = match &raw.date_order {
        None => Some(crate::normalize::DateOrder::default()),
        Some(written) => crate::normalize::DateOrder::parse(written.get_ref().trim())
            .or_else(|| bad(diag, written, "`auto`, `dmy` or `mdy` for `date_order`")),
    };
    order.filter(|_| ok)
}

fn parse_source_url(u: &Spanned<String>, base_dir: &Path, diag: &mut Diagnostics) -> Option<Url> {
    let text = u.get_ref().trim();
    // `file:` URLs with a relative path resolve against the config's folder too.
    if let Some(rest) = text.strip_prefix("file:").filter(|r| !r.starts_with('/')) {
        let absolute = std::path::absolute(base_dir.join(rest)).ok()?;
        return Url::from_file_path(absolute).map_err(|()| bad::<()>(diag, u, "a file path")).ok();
    }
    match Url::parse(text) {
        Ok(url)
            if matches!(url.scheme(), "http" | "https" | "file")
                && (url.scheme() == "file" || url.host().is_some()) =>
        {
            Some(url)
        }
        Ok(_) => bad(diag, u, "an http(s) or file URL"),
        Err(e) => bad(diag, u, &format!("an absolute http(s) or file URL ({e})")),
    }
}

fn compile_selectors(raw: &RawSelectors, diag: &mut Diagnostics) -> Option<Selectors> {
    let mut ok = true;
    let mut one = |field: &Option<Spanned<String>>| -> Option<Selector> {
        let written = field.as_ref()?;
        match Selector::parse(written.get_ref()) {
            Ok(selector) => Some(selector),
            Err(reason) => {
                diag.error(
                    Some(written.span()),
                    format!("invalid CSS selector `{}`: {reason}", written.get_ref()),
                );
                ok = false;
                None
            }
        }
    };
    let selectors = Selectors {
        item: one(&raw.item),
        title: one(&raw.title),
        summary: one(&raw.summary),
        content: one(&raw.content),
        date: one(&raw.date),
        author: one(&raw.author),
        image: one(&raw.image),
        remove: one(&raw.remove),
        next: one(&raw.next),
        keep: Default::default(),
    };
    ok.then_some(selectors)
}

fn parse_zone(z: &Spanned<String>, diag: &mut Diagnostics) -> Option<Tz> {
    Tz::from_str(z.get_ref())
        .map_err(|_| bad::<()>(diag, z, "an IANA time zone such as `Asia/Ho_Chi_Minh`"))
        .ok()
}

fn positive(
    value: Option<&Spanned<i64>>,
    default: usize,
    max: usize,
    diag: &mut Diagnostics,
) -> Option<usize> {
    match value {
        None => Some(default),
        Some(v) if (1..=max as i64).contains(v.get_ref()) => Some(*v.get_ref() as usize),
        Some(v) => {
            diag.error(
                Some(v.span()),
                format!("invalid value `{}`, expected a whole number from 1 to {max}", v.get_ref()),
            );
            None
        }
    }
}

/// Records "invalid value `x`, expected …" at the value's place.
fn bad<T>(diag: &mut Diagnostics, value: &Spanned<String>, expected: &str) -> Option<T> {
    diag.error(Some(value.span()), format!("invalid value `{}`, expected {expected}", value.get_ref()));
    None
}

/// `config/../feeds` → `feeds`, lexically (the folder need not exist yet).
fn clean_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() { PathBuf::from(".") } else { out }
}

fn is_source_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag
            .split('-')
            .all(|part| (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}
