//! URL → [`FetchedPage`], politely and robustly: one pooled HTTP client for the process;
//! conditional GET; per-host concurrency, spacing and robots.txt; timeouts for connect, headers and
//! the whole body; a body cap after decompression; redirects followed by hand (≤ 10, loops caught,
//! robots.txt checked on every host); retries with backoff and jitter for transient failures only.
//! `file://` is read from disk. Every body is decoded to UTF-8.
//!
//! - [`error`]: [`FetchError`], its class (for logs and metrics) and whether a retry may help.
//! - [`http`]: one request, one hop: headers, status, content type, streamed and capped body.
//! - [`hosts`]: the per-origin gate and robots.txt cache; [`robots`]: the robots.txt rules.
//! - [`retry`]: backoff and `Retry-After`.

mod charset;
mod error;
mod gzip;
mod hosts;
mod http;
mod retry;
mod robots;
mod tls;

pub use charset::{Decoded, DecodedBy, decode, decode_owned};
pub use error::{FetchError, Phase};
pub use hosts::RobotsFile;
pub use retry::parse_retry_after;
pub use robots::{Robots, product_token};

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use tracing::{debug, warn};
use url::Url;

use crate::model::FetchedPage;
use hosts::{Host, Hosts, origin};

/// Bodies larger than this (after decompression) are cut off while streaming and the fetch fails.
pub const MAX_BODY_BYTES: usize = 5 * 1024 * 1024;
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// From sending the request to the end of the response headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(20);
/// From sending the request to the last byte of the body, redirects included.
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(30);
pub const MAX_REDIRECTS: usize = 10;
/// Requests in flight to one host at once.
pub const HOST_CONCURRENCY: usize = 2;
/// Retries after the first attempt, for transient failures only.
pub const RETRIES: u32 = 2;
/// The first retry waits about this long (half of it fixed, half random); each next one doubles.
pub const RETRY_DELAY: Duration = Duration::from_millis(500);
/// A `Retry-After` longer than this is not waited out within the run: the source fails, and
/// is not tried again before that time.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
/// A remembered robots.txt is trusted this long (RFC 9309 §2.4: no more than 24 hours).
pub const ROBOTS_MAX_AGE: Duration = Duration::from_secs(24 * 3600);

/// The honest User-Agent: who we are and where to read about us.
pub fn default_user_agent() -> String {
    format!("tinfeed/{} (+{})", env!("CARGO_PKG_VERSION"), env!("CARGO_PKG_REPOSITORY"))
}

/// Process-wide fetch settings (the `[site]` table).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub user_agent: String,
    pub connect_timeout: Duration,
    pub header_timeout: Duration,
    pub total_timeout: Duration,
    pub max_body_bytes: usize,
    pub retries: u32,
    pub retry_delay: Duration,
    pub max_retry_wait: Duration,
    pub host_concurrency: usize,
    /// Minimum gap between the starts of two requests to one host (robots.txt `Crawl-delay`
    /// raises it for that host).
    pub host_delay: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            user_agent: default_user_agent(),
            connect_timeout: CONNECT_TIMEOUT,
            header_timeout: HEADER_TIMEOUT,
            total_timeout: TOTAL_TIMEOUT,
            max_body_bytes: MAX_BODY_BYTES,
            retries: RETRIES,
            retry_delay: RETRY_DELAY,
            max_retry_wait: MAX_RETRY_WAIT,
            host_concurrency: HOST_CONCURRENCY,
            host_delay: Duration::ZERO,
        }
    }
}

/// What one source may override (its `[[sources]]` entry).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Replaces the site's User-Agent; robots.txt is matched against its product token.
    pub user_agent: Option<String>,
    /// Obey robots.txt (the default). `false` is an explicit opt-out, logged as a warning.
    pub robots: bool,
    pub max_body_bytes: Option<usize>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy { user_agent: None, robots: true, max_body_bytes: None }
    }
}

/// A response's validators, sent back as `If-None-Match` / `If-Modified-Since` next time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn of(page: &FetchedPage) -> Validators {
        Validators { etag: page.etag.clone(), last_modified: page.last_modified.clone() }
    }

    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// What is being fetched, which decides what counts as a usable answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// A listing page: any content type (sites mislabel them), never empty.
    Listing,
    /// An article: HTML (or plain text) only, never empty.
    Article,
    /// robots.txt itself: anything goes, and it is never checked against itself.
    Robots,
}

/// One fetch: the URL's kind, the source's policy and validators from last time.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub kind: PageKind,
    pub policy: &'a Policy,
    pub validators: Option<&'a Validators>,
}

/// A fetch's answer: a page, or "unchanged since the validators you sent" (HTTP 304).
#[derive(Debug)]
pub enum Fetched {
    Page(Box<FetchedPage>),
    NotModified,
}

/// Counters over the fetcher's life, for logs, tests and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// HTTP requests sent (every attempt and every redirect hop, robots.txt included).
    pub requests: usize,
    /// Attempts made again after a transient failure.
    pub retries: usize,
    pub not_modified: usize,
}

/// The process's one HTTP client (a connection pool) with its politeness state, plus the
/// `file://` reader. Cheap to clone: clones share everything.
#[derive(Debug, Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    settings: Settings,
    hosts: Hosts,
    requests: AtomicUsize,
    retries: AtomicUsize,
    not_modified: AtomicUsize,
}

impl Fetcher {
    /// A fetcher with default settings and this User-Agent.
    pub fn new(user_agent: &str) -> Result<Fetcher, FetchError> {
        Fetcher::with_settings(Settings { user_agent: user_agent.to_string(), ..Settings::default() })
    }

    pub fn with_settings(settings: Settings) -> Result<Fetcher, FetchError> {
        // reqwest is built without a bundled crypto provider: use ring, once per process.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let provider = rustls::crypto::CryptoProvider::get_default()
            .cloned()
            .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
        let tls = tls::client_config(provider).map_err(|e| FetchError::Http {
            url: Url::parse("about:blank").expect("valid"),
            reason: e.to_string(),
        })?;
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(settings.connect_timeout)
            // redirects are followed by hand, so that each hop is counted, checked for loops and
            // held to its own host's robots.txt and politeness
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| FetchError::Http {
                url: Url::parse("about:blank").expect("valid"),
                reason: error::chain(&e),
            })?;
        let inner = Inner {
            client,
            settings,
            hosts: Hosts::default(),
            requests: AtomicUsize::new(0),
            retries: AtomicUsize::new(0),
            not_modified: AtomicUsize::new(0),
        };
        Ok(Fetcher { inner: Arc::new(inner) })
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    pub fn stats(&self) -> Stats {
        Stats {
            requests: self.inner.requests.load(Ordering::Relaxed),
            retries: self.inner.retries.load(Ordering::Relaxed),
            not_modified: self.inner.not_modified.load(Ordering::Relaxed),
        }
    }

    /// Fetches `url` unconditionally as a listing page with the default policy; `zone` stamps
    /// `fetched_at`.
    pub async fn get(&self, url: &Url, zone: Tz) -> Result<FetchedPage, FetchError> {
        let policy = Policy::default();
        let request = Request { kind: PageKind::Listing, policy: &policy, validators: None };
        match self.fetch(url, zone, request).await? {
            Fetched::Page(page) => Ok(*page),
            // no validators were sent, so a 304 is the server's mistake
            Fetched::NotModified => Err(FetchError::Status { url: url.clone(), status: 304 }),
        }
    }

    /// Fetches `url`: robots.txt first (unless the policy opts out), then the page, retrying
    /// transient failures with backoff (or the server's `Retry-After`, up to `max_retry_wait`).
    pub async fn fetch(&self, url: &Url, zone: Tz, request: Request<'_>) -> Result<Fetched, FetchError> {
        match url.scheme() {
            "file" => {
                return self.get_file(url, zone, request.policy).await.map(|p| Fetched::Page(Box::new(p)));
            }
            "http" | "https" => {}
            _ => return Err(FetchError::Scheme { url: url.clone() }),
        }
        let settings = &self.inner.settings;
        let mut attempt = 0;
        loop {
            match self.follow(url, zone, request).await {
                Err(error) if error.is_transient() && attempt < settings.retries => {
                    let wait =
                        error.retry_after().unwrap_or_else(|| retry::backoff(settings.retry_delay, attempt));
                    if wait > settings.max_retry_wait {
                        return Err(error);
                    }
                    attempt += 1;
                    self.inner.retries.fetch_add(1, Ordering::Relaxed);
                    warn!(%url, %error, class = error.class(), attempt, wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                }
                Ok(Fetched::NotModified) => {
                    self.inner.not_modified.fetch_add(1, Ordering::Relaxed);
                    return Ok(Fetched::NotModified);
                }
                other => return other,
            }
        }
    }

    /// One attempt: the request and its redirects, under one overall deadline.
    async fn follow(&self, url: &Url, zone: Tz, request: Request<'_>) -> Result<Fetched, FetchError> {
        let settings = &self.inner.settings;
        let deadline = tokio::time::Instant::now() + settings.total_timeout;
        let user_agent = request.policy.user_agent.as_deref().unwrap_or(&settings.user_agent);
        let mut chain: Vec<Url> = vec![url.clone()];
        let mut current = url.clone();
        loop {
            if request.policy.robots && request.kind != PageKind::Robots {
                self.check_robots(&current, zone, request.policy, user_agent).await?;
            }
            let host = self.host(&current);
            let hop = http::Hop {
                client: &self.inner.client,
                settings,
                host: &host,
                url: &current,
                requested: url,
                user_agent,
                validators: if chain.len() == 1 { request.validators } else { None },
                kind: request.kind,
                max_body: request.policy.max_body_bytes.unwrap_or(settings.max_body_bytes),
                deadline,
                zone,
            };
            self.inner.requests.fetch_add(1, Ordering::Relaxed);
            match hop.send().await? {
                http::Answer::Page(page) => return Ok(Fetched::Page(page)),
                http::Answer::NotModified => return Ok(Fetched::NotModified),
                http::Answer::Redirect(next) => {
                    if chain.contains(&next) {
                        return Err(FetchError::Redirect {
                            url: url.clone(),
                            reason: format!("redirect loop back to `{next}`"),
                        });
                    }
                    if chain.len() > MAX_REDIRECTS {
                        return Err(FetchError::Redirect {
                            url: url.clone(),
                            reason: format!("more than {MAX_REDIRECTS} redirects"),
                        });
                    }
                    debug!(from = %current, to = %next, "redirect");
                    chain.push(next.clone());
                    current = next;
                }
            }
        }
    }

    fn host(&self, url: &Url) -> Arc<Host> {
        self.inner.hosts.get(&origin(url), self.inner.settings.host_concurrency)
    }

    /// Fails with [`FetchError::Robots`] when the host's robots.txt disallows `url` for us.
    async fn check_robots(
        &self,
        url: &Url,
        zone: Tz,
        policy: &Policy,
        user_agent: &str,
    ) -> Result<(), FetchError> {
        let host = self.host(url);
        let file = {
            let mut slot = host.robots.lock().await;
            let fresh_enough = slot.as_ref().is_some_and(|f| age(f.fetched_at) < ROBOTS_MAX_AGE);
            match slot.as_ref() {
                Some(file) if fresh_enough => file.clone(),
                _ => {
                    let file = self.fetch_robots(url, zone, policy).await.map_err(|source| {
                        FetchError::RobotsUnreachable { url: url.clone(), source: Box::new(source) }
                    })?;
                    host.set_robots(&mut slot, file)
                }
            }
        };
        let path = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        };
        if file.allows(product_token(user_agent), &path) {
            Ok(())
        } else {
            Err(FetchError::Robots { url: url.clone() })
        }
    }

    /// RFC 9309 §2.3.1: a robots.txt that is missing (4xx) or unusable allows everything; one
    /// that cannot be reached (5xx, network) forbids everything, so the error is the answer.
    async fn fetch_robots(&self, url: &Url, zone: Tz, policy: &Policy) -> Result<RobotsFile, FetchError> {
        let robots_url = url.join("/robots.txt").map_err(|_| FetchError::Scheme { url: url.clone() })?;
        let policy = Policy { max_body_bytes: Some(robots::MAX_ROBOTS_BYTES), ..policy.clone() };
        let request = Request { kind: PageKind::Robots, policy: &policy, validators: None };
        let text = match Box::pin(self.fetch(&robots_url, zone, request)).await {
            Ok(Fetched::Page(page)) => page.body,
            Ok(Fetched::NotModified) => String::new(),
            Err(error) if error.is_transient() => return Err(error),
            Err(error) => {
                debug!(url = %robots_url, %error, "no usable robots.txt: everything allowed");
                String::new()
            }
        };
        Ok(RobotsFile::new(text, true, Utc::now()))
    }

    /// Primes the robots.txt cache with a file remembered from an earlier run (skipped when it
    /// is older than [`ROBOTS_MAX_AGE`]), so an unchanged run fetches only listing pages.
    pub fn remember_robots(&self, origin: &str, text: String, fetched_at: DateTime<Utc>) {
        if age(fetched_at) >= ROBOTS_MAX_AGE {
            return;
        }
        let host = self.inner.hosts.get(origin, self.inner.settings.host_concurrency);
        if let Ok(mut slot) = host.robots.try_lock()
            && slot.is_none()
        {
            host.set_robots(&mut slot, RobotsFile::new(text, false, fetched_at));
        }
    }

    /// The robots.txt files fetched by this process, by origin: what to remember for next time.
    pub fn fetched_robots(&self) -> Vec<(String, RobotsFile)> {
        self.inner.hosts.fresh_robots()
    }

    async fn get_file(&self, url: &Url, zone: Tz, policy: &Policy) -> Result<FetchedPage, FetchError> {
        let file_error = |source| FetchError::File { url: url.clone(), source };
        let path = url.to_file_path().map_err(|()| {
            file_error(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a local path"))
        })?;
        let limit = policy.max_body_bytes.unwrap_or(self.inner.settings.max_body_bytes);
        let bytes = tokio::fs::read(&path).await.map_err(file_error)?;
        if bytes.len() > limit {
            return Err(FetchError::TooLarge { url: url.clone(), limit });
        }
        let bytes = gzip::inflate(bytes, limit, url)?;
        let decoded = decode_owned(bytes, None, None);
        decoded.log(url);
        Ok(FetchedPage {
            requested_url: url.clone(),
            url: url.clone(),
            body: decoded.text,
            content_type: None,
            charset: decoded.encoding,
            etag: None,
            last_modified: None,
            fetched_at: now(zone),
        })
    }
}

fn age(at: DateTime<Utc>) -> Duration {
    (Utc::now() - at).to_std().unwrap_or(Duration::ZERO)
}

/// The current time in `zone`, as a fixed offset.
pub fn now(zone: Tz) -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&zone).fixed_offset()
}
