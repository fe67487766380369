//! Each source's health as `/readyz` reports it: seeded from the store at start-up (so a restart
//! remembers a failing site), then updated in memory after every run. No request touches SQLite.

use std::sync::RwLock;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::store::SourceStatus;

/// One source's line in `/readyz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceHealth {
    pub id: String,
    pub last_success: Option<DateTime<FixedOffset>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<FixedOffset>>,
    pub consecutive_failures: u32,
    /// Items the last successful run found (since this process started; `null` before).
    pub items: Option<usize>,
    /// The class of the last error (`timeout`, `http_5xx`, `layout`…) as the store knows it.
    pub last_error_class: Option<String>,
    /// Runs the source still sits out while it backs off.
    pub skip_runs: u32,
    /// The source never succeeded (not even before a restart) and its first run since start-up
    /// has not ended: its feeds may be empty only because nothing was fetched yet.
    pub pending: bool,
}

impl SourceHealth {
    pub fn new(id: &str, status: Option<SourceStatus>) -> SourceHealth {
        let status = status.unwrap_or_default();
        SourceHealth {
            id: id.to_string(),
            last_success: status.last_success,
            last_error: status.last_error,
            last_error_at: status.last_error_at,
            consecutive_failures: status.consecutive_failures,
            items: None,
            last_error_class: status.last_error_class,
            skip_runs: status.skip_runs,
            pending: status.last_success.is_none(),
        }
    }
}

/// Every source's health, in config order.
#[derive(Debug, Default)]
pub struct Health {
    sources: RwLock<Vec<SourceHealth>>,
}

impl Health {
    pub fn new(sources: Vec<SourceHealth>) -> Health {
        Health { sources: RwLock::new(sources) }
    }

    pub fn sources(&self) -> Vec<SourceHealth> {
        self.sources.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The sources whose first run is still to end (see [`SourceHealth::pending`]).
    pub fn pending(&self) -> Vec<String> {
        let sources = self.sources.read().unwrap_or_else(|e| e.into_inner());
        sources.iter().filter(|h| h.pending).map(|h| h.id.clone()).collect()
    }

    /// A run of `id` succeeded at `at`, finding `items`.
    pub fn success(&self, id: &str, at: DateTime<FixedOffset>, items: usize) {
        self.update(id, |h| {
            h.last_success = Some(at);
            h.consecutive_failures = 0;
            h.items = Some(items);
            h.pending = false;
        });
    }

    /// A run of `id` failed at `at` with `error`.
    pub fn failure(&self, id: &str, at: DateTime<FixedOffset>, error: &str) {
        self.update(id, |h| {
            h.last_error = Some(error.to_string());
            h.last_error_at = Some(at);
            h.consecutive_failures = h.consecutive_failures.saturating_add(1);
            h.pending = false;
        });
    }

    fn update(&self, id: &str, change: impl FnOnce(&mut SourceHealth)) {
        let mut sources = self.sources.write().unwrap_or_else(|e| e.into_inner());
        match sources.iter_mut().find(|h| h.id == id) {
            Some(health) => change(health),
            None => {
                let mut health = SourceHealth::new(id, None);
                change(&mut health);
                sources.push(health);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_count_up_and_a_success_resets_them_keeping_the_last_error() {
        let health = Health::new(vec![SourceHealth::new("chinh-tri", None)]);
        let at = DateTime::parse_from_rfc3339("2024-11-28T08:30:00+07:00").unwrap();
        health.failure("chinh-tri", at, "`https://baohanam.com.vn/chinh-tri` answered HTTP 503");
        health.failure("chinh-tri", at, "`https://baohanam.com.vn/chinh-tri` answered HTTP 503");
        assert_eq!(health.sources()[0].consecutive_failures, 2);
        assert!(health.pending().is_empty(), "a failed first run has ended: the source waits no more");
        health.success("chinh-tri", at, 12);
        let h = &health.sources()[0];
        assert_eq!((h.consecutive_failures, h.items, h.last_success), (0, Some(12), Some(at)));
        assert!(h.last_error.as_deref().is_some_and(|e| e.contains("HTTP 503")));
        let json = serde_json::to_string(h).unwrap();
        assert!(json.contains("\"last_success\":\"2024-11-28T08:30:00+07:00\""), "{json}");
    }

    #[test]
    fn a_source_that_never_succeeded_is_pending_until_its_first_run_ends() {
        let at = DateTime::parse_from_rfc3339("2024-11-28T08:30:00+07:00").unwrap();
        let before = SourceStatus { last_success: Some(at), ..SourceStatus::default() };
        let health =
            Health::new(vec![SourceHealth::new("thoi-su", None), SourceHealth::new("kinh-te", Some(before))]);
        assert_eq!(health.pending(), ["thoi-su"], "a source stored before a restart is not waited for");
        health.success("thoi-su", at, 3);
        assert!(health.pending().is_empty());
    }
}
