//! `tinfeed run`: every source on its own cron schedule, the HTTP server, and a graceful stop.
//!
//! - Each source has one task that sleeps until its next firing (plus a little jitter), runs,
//!   and computes the next firing only once the run is over: a source never overlaps itself; a
//!   firing that passed while it ran is skipped and logged. Every source runs once at start-up.
//! - Runs are bounded globally ([`Options::max_concurrent`]) and per host
//!   ([`Options::per_host`]), so twenty categories of one newspaper are not fetched at once.
//! - After a run that stored new or changed items, the feeds of the categories it touched (and
//!   `all`) are republished at once: written atomically and handed to the server's cache.
//! - The data-dir lock is held for the daemon's life.
//! - On shutdown (the token is cancelled: SIGTERM or SIGINT in `main`) no new run starts; runs
//!   in flight may finish within [`Options::grace`], then their fetches are dropped (nothing of
//!   such a run is stored). Store writes are single transactions and feed writes are atomic, so
//!   whatever the moment, no half-written state is left.

mod schedule;

pub use schedule::{max_jitter, missed, next_after, period, period_from};

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, debug, error, info, warn};

use crate::config::{Config, Source, SourceKind};
use crate::fetch::{self, Fetcher};
use crate::pipeline::{self, DataLock, RunError, SourceReport};
use crate::server::{self, AppState, FeedCache, Health, Metrics, SiteInfo, SourceHealth};
use crate::store::Store;

/// How the daemon runs; [`Options::default`] is what `tinfeed run` uses.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long runs in flight and open connections may take to finish after a stop is asked.
    pub grace: Duration,
    /// Source runs at once, over all sources.
    pub max_concurrent: usize,
    /// Source runs at once against one host (all `files` sources count as one host).
    pub per_host: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { grace: Duration::from_secs(10), max_concurrent: 4, per_host: 1 }
    }
}

/// What stops the daemon from starting: the same failures that stop `tinfeed once` (the data
/// dir locked, the store, the HTTP client, a feed that cannot be written). Once running, a
/// failing source or store write is logged and the daemon goes on.
pub type DaemonError = RunError;

/// What every source task shares.
struct Shared {
    config: Config,
    store: Mutex<Store>,
    fetcher: Fetcher,
    cache: Arc<FeedCache>,
    health: Arc<Health>,
    metrics: Arc<Metrics>,
    global: Arc<Semaphore>,
    hosts: HashMap<String, Arc<Semaphore>>,
    shutdown: CancellationToken,
    grace: Duration,
}

/// Runs the daemon on `listener` until `shutdown` is cancelled, then stops gracefully and
/// returns `Ok`. Fails only at start-up (the data dir is locked, the store cannot be opened,
/// the feeds cannot be written).
pub async fn run(
    config: Config,
    listener: TcpListener,
    shutdown: CancellationToken,
    options: Options,
) -> Result<(), DaemonError> {
    let _lock = DataLock::acquire(&config.site.data_dir)?;
    let store = Store::open(&config.site.data_dir)?;
    let fetcher = Fetcher::with_settings(config.site.fetch.clone())?;
    pipeline::crawl::prime_robots(&store, &fetcher)?;

    // Serve what was published before at once, while the store's feeds are rendered again.
    let cache = Arc::new(FeedCache::new(SiteInfo::from_config(&config)).spooled_in(&config.site.data_dir));
    let loaded = {
        let (cache, dir) = (cache.clone(), config.site.feeds_dir.clone());
        tokio::task::spawn_blocking(move || cache.load_dir(&dir)).await.unwrap_or(0)
    };
    let metrics = Arc::new(Metrics::new());
    let mut sources = Vec::new();
    for source in &config.sources {
        let status = store.source_status(&source.id)?;
        if let Some(at) = status.as_ref().and_then(|s| s.last_success) {
            metrics.last_success(&source.id, at.timestamp());
        }
        sources.push(SourceHealth::new(&source.id, status));
    }
    let health = Arc::new(Health::new(sources));
    let state = AppState { cache: cache.clone(), health: health.clone(), metrics: metrics.clone() };
    let address = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    let server = tokio::spawn(server::serve(listener, state, shutdown.clone(), options.grace));
    info!(listen = %address, feeds = loaded, sources = config.sources.len(), "serving");

    let hosts = config
        .sources
        .iter()
        .map(|s| (host_of(s), Arc::new(Semaphore::new(options.per_host.max(1)))))
        .collect();
    let shared = Arc::new(Shared {
        config,
        store: Mutex::new(store),
        fetcher,
        cache,
        health,
        metrics,
        global: Arc::new(Semaphore::new(options.max_concurrent.max(1))),
        hosts,
        shutdown: shutdown.clone(),
        grace: options.grace,
    });
    // Every feed, as the store has it now: a new config's categories get their files, older
    // files get the current format.
    publish(&shared, None).await?;

    let tasks: Vec<_> =
        (0..shared.config.sources.len()).map(|i| tokio::spawn(source_loop(shared.clone(), i))).collect();

    shutdown.cancelled().await;
    info!(grace = ?options.grace, "stopping: no new runs; runs in flight get the grace period");
    let stop = async {
        for task in tasks {
            let _ = task.await;
        }
        let _ = server.await;
    };
    // a safety net: runs and connections end by the grace deadline themselves
    if tokio::time::timeout(options.grace + Duration::from_secs(5), stop).await.is_err() {
        warn!("some work did not stop in time; exiting anyway (store and feed writes are atomic)");
    }
    info!("stopped");
    Ok(())
}

/// The host whose concurrency a source counts against.
fn host_of(source: &Source) -> String {
    match &source.kind {
        SourceKind::Html { urls, .. } | SourceKind::Sitemap { urls } | SourceKind::Feed { urls, .. } => {
            urls.first().and_then(|u| u.host_str()).unwrap_or("").to_string()
        }
        SourceKind::Files { .. } => "files".to_string(),
    }
}

/// One source, forever: wait for the next firing, run, repeat; until the stop.
async fn source_loop(shared: Arc<Shared>, index: usize) {
    let source = &shared.config.sources[index];
    let zone = source.timezone;
    let bound = max_jitter(period(&source.schedule));
    // the start-up run: jittered by at most a second (the concurrency limits do the spreading)
    let mut wake = Instant::now() + schedule::jitter(bound.min(Duration::from_secs(1)));
    loop {
        tokio::select! {
            () = shared.shutdown.cancelled() => return,
            () = tokio::time::sleep_until(wake.into()) => {}
        }
        let permits = tokio::select! {
            () = shared.shutdown.cancelled() => return,
            permits = acquire(&shared, source) => permits,
        };
        let started = Utc::now();
        run_source(&shared, index).instrument(pipeline::source_span(source)).await;
        drop(permits);
        let finished = Utc::now();
        let skipped = missed(&source.schedule, started, finished, &zone);
        if skipped > 0 {
            warn!(source = %source.id, skipped, schedule = %source.schedule.source(),
                "the run outlasted its schedule: skipped the firings that came while it ran");
        }
        let Some(next) = next_after(&source.schedule, finished, &zone) else {
            info!(source = %source.id, "the schedule fires no more");
            return;
        };
        let until = (next - Utc::now()).to_std().unwrap_or_default() + schedule::jitter(bound);
        debug!(source = %source.id, next = %next, "next run");
        wake = Instant::now() + until;
    }
}

/// A global permit and one for the source's host.
async fn acquire(shared: &Shared, source: &Source) -> Vec<OwnedSemaphorePermit> {
    let mut permits = Vec::with_capacity(2);
    if let Some(host) = shared.hosts.get(&host_of(source)) {
        permits.extend(host.clone().acquire_owned().await.ok());
    }
    permits.extend(shared.global.clone().acquire_owned().await.ok());
    permits
}

/// One run: collect (cancelled at the stop deadline), store, update health and metrics, and
/// republish the feeds it changed.
async fn run_source(shared: &Arc<Shared>, index: usize) {
    let source = &shared.config.sources[index];
    let started = Instant::now();
    let deadline = async {
        shared.shutdown.cancelled().await;
        tokio::time::sleep(shared.grace).await;
    };
    let plan = {
        let store = shared.store.lock().unwrap_or_else(|e| e.into_inner());
        pipeline::crawl::plan(&store, source)
    };
    let plan = match plan {
        Ok(plan) => plan,
        Err(e) => {
            error!(source = %source.id, error = %e, "cannot read the store");
            return;
        }
    };
    let result = tokio::select! {
        result = pipeline::crawl::run(&shared.fetcher, &shared.config.site, source, plan) => result,
        () = deadline => {
            warn!(source = %source.id, "run cancelled at the stop deadline; nothing of it was stored");
            return;
        }
    };
    let report = {
        let shared = shared.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _in_span = span.enter();
            let mut store = shared.store.lock().unwrap_or_else(|e| e.into_inner());
            let report =
                pipeline::record(&mut store, &shared.config.site, &shared.config.sources[index], result);
            let report = pipeline::crawl::save_robots(&mut store, &shared.fetcher).and(report);
            release_free_memory();
            report
        })
        .await
    };
    let took = started.elapsed();
    let now = fetch::now(source.timezone);
    let changed = match report {
        Ok(Ok(SourceReport { outcome: Ok(counts), .. })) => {
            shared.health.success(&source.id, now, counts.found);
            shared.metrics.source_run(&source.id, true, took, counts.stored.new, counts.stored.updated);
            shared.metrics.last_success(&source.id, now.timestamp());
            counts.stored.changed_slugs
        }
        Ok(Ok(SourceReport { outcome: Err(e), .. })) => {
            shared.health.failure(&source.id, now, &e.to_string());
            shared.metrics.source_run(&source.id, false, took, 0, 0);
            return;
        }
        Ok(Err(e)) => {
            error!(source = %source.id, error = %e, "cannot store the run");
            shared.health.failure(&source.id, now, &e.to_string());
            shared.metrics.source_run(&source.id, false, took, 0, 0);
            return;
        }
        Err(e) => {
            error!(source = %source.id, error = %e, "the store task failed");
            shared.health.failure(&source.id, now, &e.to_string());
            shared.metrics.source_run(&source.id, false, took, 0, 0);
            return;
        }
    };
    if !changed.is_empty()
        && let Err(e) = publish(shared, Some(changed)).await
    {
        error!(source = %source.id, error = %e, "cannot publish the changed feeds");
    }
}

/// Renders and writes the feeds of `changed` categories (and `all`), or every feed with
/// `None`, then hands their bytes to the cache.
async fn publish(shared: &Arc<Shared>, changed: Option<BTreeSet<String>>) -> Result<(), RunError> {
    let started = Instant::now();
    let shared = shared.clone();
    let span = tracing::Span::current();
    let task = tokio::task::spawn_blocking(move || {
        let _in_span = span.enter();
        let feeds = {
            let store = shared.store.lock().unwrap_or_else(|e| e.into_inner());
            match &changed {
                Some(changed) => pipeline::publish_changed(&shared.config, &store, changed),
                None => pipeline::publish_feeds(&shared.config, &store),
            }
        }?;
        let written: Vec<String> = feeds.iter().filter(|f| f.written).map(|f| f.slug.clone()).collect();
        let files = feeds
            .into_iter()
            .flat_map(|f| {
                [(format!("{}.rss", f.slug), f.rss_bytes), (format!("{}.atom", f.slug), f.atom_bytes)]
            })
            .collect();
        shared.cache.publish(files);
        release_free_memory();
        shared.metrics.published(started.elapsed());
        info!(written = ?written, took = ?started.elapsed(), "feeds published");
        Ok(())
    });
    task.await.unwrap_or_else(|e| {
        error!(error = %e, "the publish task failed");
        Ok(())
    })
}

/// Hands the memory a run or a publish freed back to the system. A run parses pages and renders
/// feeds (megabytes for a moment); jemalloc (our allocator, see main.rs) keeps freed pages for
/// a while and glibc (SQLite's) keeps them in its arenas, so without this an idle daemon stays
/// as big as its busiest minute. Takes well under a millisecond.
fn release_free_memory() {
    #[cfg(target_os = "linux")]
    // SAFETY: `arena.<MALLCTL_ARENAS_ALL>.purge` takes and gives nothing (null pointers, length
    // 0) and is thread-safe; `malloc_trim` only walks glibc's own free lists.
    unsafe {
        tikv_jemalloc_sys::mallctl(
            c"arena.4096.purge".as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        );
        #[cfg(target_env = "gnu")]
        libc::malloc_trim(0);
    }
}
