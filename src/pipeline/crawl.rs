//! The bookkeeping around one crawl (issue 5): before it, what the store remembers (pages
//! fetched, robots.txt files, which sources back off); after it, what to remember next time and
//! each source's health. `run_once` (and the daemon) call these, so the policy lives in one place.

use chrono::{DateTime, FixedOffset, Utc};
use tracing::{debug, info, warn};

use super::collect::{Collected, Memory, SourceError, collect_with};
use crate::config::{Config, Site, Source};
use crate::fetch::Fetcher;
use crate::store::{Store, StoreError, StoredRobots};

/// A source's plan for this run: crawl it with what we remember, or sit out (backoff).
pub type Plan = Result<Memory, SourceError>;

/// Reads what the store remembers for `config`'s sources (in config order) and primes the
/// fetcher's robots.txt cache.
pub fn prepare(store: &Store, fetcher: &Fetcher, config: &Config) -> Result<Vec<Plan>, StoreError> {
    prime_robots(store, fetcher)?;
    config.sources.iter().map(|source| plan(store, source)).collect()
}

/// Hands the robots.txt files remembered in the store (a day at most) to the fetcher.
pub fn prime_robots(store: &Store, fetcher: &Fetcher) -> Result<(), StoreError> {
    for robots in store.robots()? {
        fetcher.remember_robots(&robots.origin, robots.body, robots.fetched_at.with_timezone(&Utc));
    }
    Ok(())
}

/// One source's plan: sit out when it is backing off, else crawl with what the store remembers.
pub fn plan(store: &Store, source: &Source) -> Result<Plan, StoreError> {
    if let Some(status) = store.source_status(&source.id)? {
        let until = status.not_before.filter(|t| *t > Utc::now());
        if status.skip_runs > 0 || until.is_some() {
            return Ok(Err(SourceError::BackingOff {
                failures: status.consecutive_failures,
                runs_left: status.skip_runs.saturating_sub(1),
                until,
                last_error: status.last_error.unwrap_or_default(),
            }));
        }
    }
    Ok(Ok(Memory { pages: store.known_pages(&source.id)? }))
}

/// Crawls one source as planned.
pub async fn run(
    fetcher: &Fetcher,
    site: &Site,
    source: &Source,
    plan: Plan,
) -> Result<Collected, SourceError> {
    let memory = plan?;
    collect_with(fetcher, site, source, &memory).await
}

/// After a successful run: remember its pages, and a clean health record.
pub fn record_success(
    store: &mut Store,
    source: &Source,
    collected: &Collected,
    now: DateTime<FixedOffset>,
) -> Result<(), StoreError> {
    store.record_pages(&source.id, &collected.pages)?;
    let forgotten = store.forget_pages(&source.id, now - FORGET_PAGES_AFTER)?;
    if forgotten > 0 {
        debug!(source = %source.id, forgotten, "old article pages forgotten");
    }
    store.record_success(&source.id, now)
}

/// How long an article page is remembered as fetched: listings show days of news, not months.
const FORGET_PAGES_AFTER: chrono::TimeDelta = chrono::TimeDelta::days(90);

/// After a failed (or skipped) run: the error, its class and the backoff it earns. A source
/// failing `backoff.after` times in a row skips 1 run, then 2, 4 … up to `backoff.max_runs`; a
/// server's `Retry-After` holds it back until then.
pub fn record_failure(
    store: &mut Store,
    site: &Site,
    source: &Source,
    error: &SourceError,
    now: DateTime<FixedOffset>,
) -> Result<(), StoreError> {
    if let SourceError::BackingOff { .. } = error {
        return store.record_skip(&source.id);
    }
    store.record_failure(&source.id, now, &error.to_string())?;
    let failures = store.source_status(&source.id)?.map_or(1, |s| s.consecutive_failures);
    let skip = site.backoff.runs_to_skip(failures);
    let retry_after = match error {
        SourceError::Fetch(e) => e.retry_after(),
        _ => None,
    };
    let until = retry_after.and_then(|d| chrono::Duration::from_std(d).ok()).map(|d| now + d);
    if skip > 0 {
        warn!(source = %source.id, failures, skip_runs = skip, "source backs off");
    }
    store.set_backoff(&source.id, error.class(), skip, until)
}

/// Remembers the robots.txt files fetched during this run.
pub fn save_robots(store: &mut Store, fetcher: &Fetcher) -> Result<(), StoreError> {
    for (origin, file) in fetcher.fetched_robots() {
        info!(%origin, "robots.txt read");
        let fetched_at = file.fetched_at.fixed_offset();
        store.record_robots(&StoredRobots { origin, body: file.text, fetched_at })?;
    }
    Ok(())
}
