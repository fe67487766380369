//! Prometheus metrics (OpenMetrics text at `/metrics`): what an operator alerts on. Fetches by
//! source and outcome, run and publish durations, items new and updated, each source's last
//! success, and HTTP answers by status.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// The content type of [`Metrics::render`].
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SourceLabel {
    source: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    source: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ItemLabels {
    source: String,
    change: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    status: u16,
}

type Durations = Family<SourceLabel, Histogram, fn() -> Histogram>;

/// Every metric of the process; shared by the daemon (which records runs) and the server.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    fetches: Family<OutcomeLabels, Counter>,
    fetch_seconds: Durations,
    publish_seconds: Histogram,
    items: Family<ItemLabels, Counter>,
    last_success: Family<SourceLabel, Gauge>,
    http_requests: Family<StatusLabel, Counter>,
}

/// 50 ms … ~100 s: a loopback fixture to a slow provincial site with 30 articles.
fn run_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.05, 2.0, 12))
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("tinfeed");
        let fetches = Family::<OutcomeLabels, Counter>::default();
        registry.register("source_runs", "Source runs by source and outcome (ok, error)", fetches.clone());
        let fetch_seconds: Durations = Family::new_with_constructor(run_buckets);
        registry.register(
            "source_run_duration_seconds",
            "Time to fetch, extract and store one source",
            fetch_seconds.clone(),
        );
        // 1 ms … ~4 s
        let publish_seconds = Histogram::new(exponential_buckets(0.001, 2.0, 12));
        registry.register(
            "publish_duration_seconds",
            "Time to render, write and cache the feeds a run changed",
            publish_seconds.clone(),
        );
        let items = Family::<ItemLabels, Counter>::default();
        registry.register("items", "Items stored by source and change (new, updated)", items.clone());
        let last_success = Family::<SourceLabel, Gauge>::default();
        registry.register(
            "source_last_success_timestamp_seconds",
            "Unix time of each source's last successful run",
            last_success.clone(),
        );
        let http_requests = Family::<StatusLabel, Counter>::default();
        registry.register("http_requests", "HTTP requests answered, by status", http_requests.clone());
        Metrics { registry, fetches, fetch_seconds, publish_seconds, items, last_success, http_requests }
    }

    /// One source run ended: `ok`, how long it took, and what it stored.
    pub fn source_run(&self, source: &str, ok: bool, took: Duration, new: usize, updated: usize) {
        let outcome = if ok { "ok" } else { "error" };
        self.fetches.get_or_create(&OutcomeLabels { source: source.into(), outcome: outcome.into() }).inc();
        self.fetch_seconds.get_or_create(&SourceLabel { source: source.into() }).observe(took.as_secs_f64());
        for (change, n) in [("new", new), ("updated", updated)] {
            self.items
                .get_or_create(&ItemLabels { source: source.into(), change: change.into() })
                .inc_by(n as u64);
        }
    }

    /// A source's last success (unix seconds), also at start-up from the store.
    pub fn last_success(&self, source: &str, unix_seconds: i64) {
        self.last_success.get_or_create(&SourceLabel { source: source.into() }).set(unix_seconds);
    }

    pub fn published(&self, took: Duration) {
        self.publish_seconds.observe(took.as_secs_f64());
    }

    pub fn http(&self, status: u16) {
        self.http_requests.get_or_create(&StatusLabel { status }).inc();
    }

    /// The OpenMetrics text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_runs_items_and_statuses() {
        let metrics = Metrics::new();
        metrics.source_run("chinh-tri", true, Duration::from_millis(120), 3, 1);
        metrics.source_run("chinh-tri", false, Duration::from_secs(2), 0, 0);
        metrics.last_success("chinh-tri", 1_732_771_800);
        metrics.http(200);
        metrics.http(200);
        metrics.http(304);
        metrics.published(Duration::from_millis(4));
        let text = metrics.render();
        for needle in [
            "tinfeed_source_runs_total{source=\"chinh-tri\",outcome=\"ok\"} 1",
            "tinfeed_source_runs_total{source=\"chinh-tri\",outcome=\"error\"} 1",
            "tinfeed_items_total{source=\"chinh-tri\",change=\"new\"} 3",
            "tinfeed_items_total{source=\"chinh-tri\",change=\"updated\"} 1",
            "tinfeed_source_last_success_timestamp_seconds{source=\"chinh-tri\"} 1732771800",
            "tinfeed_http_requests_total{status=\"200\"} 2",
            "tinfeed_http_requests_total{status=\"304\"} 1",
            "tinfeed_source_run_duration_seconds_count{source=\"chinh-tri\"} 2",
            "tinfeed_publish_duration_seconds_count 1",
        ] {
            assert!(text.contains(needle), "{needle} missing from\n{text}");
        }
    }
}
