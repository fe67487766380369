//! Politeness per host: at most N requests in flight, a minimum gap between request starts, and
//! the host's robots.txt, read once and shared by every source on it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

use super::robots::Robots;

/// Longest `Crawl-delay` we honour: a site asking for more is still crawled, one page a minute.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

/// One origin (`scheme://host:port`).
#[derive(Debug)]
pub(super) struct Host {
    permits: Arc<Semaphore>,
    /// When the next request may start.
    next_start: Mutex<Instant>,
    /// The robots.txt as fetched (or remembered), shared by every source on the host. The lock
    /// is held while it is fetched, so the host sees one robots.txt request, not one per source.
    pub robots: tokio::sync::Mutex<Option<Arc<RobotsFile>>>,
    /// The file's `Crawl-delay`, readable without the async lock.
    crawl_delay: Mutex<Duration>,
}

/// A robots.txt as the server sent it, parsed once for our own product token.
#[derive(Debug, Clone, PartialEq)]
pub struct RobotsFile {
    /// The text (empty when the file was missing: everything allowed).
    pub text: String,
    /// Whether it was fetched during this process (and should be remembered).
    pub fresh: bool,
    /// When it was fetched: it is trusted for a day.
    pub fetched_at: chrono::DateTime<chrono::Utc>,
    ours: Robots,
}

impl RobotsFile {
    pub fn new(text: String, fresh: bool, fetched_at: chrono::DateTime<chrono::Utc>) -> RobotsFile {
        let ours = Robots::parse(&text, DEFAULT_TOKEN);
        RobotsFile { text, fresh, fetched_at, ours }
    }

    /// Whether an agent with this product token may fetch `path_and_query`.
    pub fn allows(&self, token: &str, path_and_query: &str) -> bool {
        if token.eq_ignore_ascii_case(DEFAULT_TOKEN) {
            self.ours.allows(path_and_query)
        } else {
            Robots::parse(&self.text, token).allows(path_and_query)
        }
    }
}

/// The product token of our default User-Agent.
const DEFAULT_TOKEN: &str = "tinfeed";

#[derive(Debug, Default)]
pub(super) struct Hosts {
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

/// The origin a URL's politeness and robots.txt belong to.
pub(super) fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

impl Hosts {
    /// The state of `origin` (see [`origin`]), created on first use.
    pub fn get(&self, origin: &str, concurrency: usize) -> Arc<Host> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(host) = hosts.get(origin) {
            return host.clone();
        }
        let host = Arc::new(Host {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            next_start: Mutex::new(Instant::now()),
            robots: tokio::sync::Mutex::new(None),
            crawl_delay: Mutex::new(Duration::ZERO),
        });
        hosts.insert(origin.to_string(), host.clone());
        host
    }

    /// Every robots.txt read during this process, by origin, to remember for the next run.
    pub fn fresh_robots(&self) -> Vec<(String, RobotsFile)> {
        let hosts: Vec<(String, Arc<Host>)> = {
            let hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            hosts.iter().map(|(o, h)| (o.clone(), h.clone())).collect()
        };
        let mut out: Vec<(String, RobotsFile)> = hosts
            .into_iter()
            .filter_map(|(origin, host)| {
                let file = host.robots.try_lock().ok()?.clone()?;
                file.fresh.then(|| (origin, RobotsFile::clone(&file)))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

impl Host {
    /// Waits for a free slot and for the host's minimum gap, then returns the slot; the request
    /// runs while it is held.
    pub async fn acquire(&self, delay: Duration) -> OwnedSemaphorePermit {
        let permit = self.permits.clone().acquire_owned().await.expect("the semaphore is never closed");
        let delay = delay.max(self.crawl_delay());
        if !delay.is_zero() {
            let start = {
                let mut next = self.next_start.lock().unwrap_or_else(|e| e.into_inner());
                let start = (*next).max(Instant::now());
                *next = start + delay;
                start
            };
            tokio::time::sleep_until(start).await;
        }
        permit
    }

    /// Sets the host's robots.txt (and its `Crawl-delay`); the caller holds the `robots` lock.
    pub fn set_robots(&self, slot: &mut Option<Arc<RobotsFile>>, file: RobotsFile) -> Arc<RobotsFile> {
        let delay = file.ours.crawl_delay.map_or(Duration::ZERO, |d| d.min(MAX_CRAWL_DELAY));
        *self.crawl_delay.lock().unwrap_or_else(|e| e.into_inner()) = delay;
        let file = Arc::new(file);
        *slot = Some(file.clone());
        file
    }

    fn crawl_delay(&self) -> Duration {
        *self.crawl_delay.lock().unwrap_or_else(|e| e.into_inner())
    }
}
