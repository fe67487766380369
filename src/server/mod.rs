//! The HTTP side of `tinfeed run`: feeds from memory for aggregators that poll thousands of
//! times a day, plus what people and operators look at.
//!
//! - `GET`/`HEAD /<slug>.rss|.atom`: from [`FeedCache`], swapped whole on publish; strong
//!   ETag, Last-Modified (when the items last changed), Cache-Control matched to the schedule,
//!   304 on If-None-Match / If-Modified-Since, gzip and brotli compressed once per publish.
//! - `/` the index (autodiscovery links, item counts, last updates), `/feeds.opml`, `/feed.xsl`
//!   (what a browser renders a feed with).
//! - `/healthz` (alive), `/readyz` (every feed served; JSON per source), `/metrics`.
//! - Anything else 404, other methods 405. A request path is only ever a key into the cache,
//!   never a file path: there is nothing to traverse.
//!
//! [`router`] is a plain function of the state, so tests call it without a port; [`serve`] runs
//! it on a listener with connection timeouts and a graceful stop.

mod asset;
mod cache;
#[cfg(target_os = "linux")]
mod direct;
mod feedinfo;
mod health;
mod listen;
mod metrics;
mod pages;

use std::sync::Arc;

pub use asset::{Asset, Encoding};
pub use cache::{FeedCache, STYLESHEET_NAME, SiteInfo};
pub use feedinfo::{FeedInfo, FeedKind};
pub use health::{Health, SourceHealth};
pub use listen::{HEADER_TIMEOUT, WRITE_STALL_TIMEOUT, fast_path, serve};
pub use metrics::Metrics;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use tower::util::MapResponseLayer;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub cache: Arc<FeedCache>,
    pub health: Arc<Health>,
    pub metrics: Arc<Metrics>,
}

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    let metrics = state.metrics.clone();
    Router::new()
        .route("/", get(index))
        .route("/feeds.opml", get(opml))
        .route("/feed.xsl", get(stylesheet))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .route("/{file}", get(feed))
        .fallback(not_found)
        .layer(MapResponseLayer::new(move |response: Response| {
            metrics.http(response.status().as_u16());
            response
        }))
        .with_state(state)
}

/// The path's one segment as sent, not percent-decoded: our file names need no escapes, so
/// `%2e%2e` stays `%2e%2e` and matches nothing. (Taking the request instead of a `HeaderMap`
/// avoids copying the headers on the hottest path.)
async fn feed(State(state): State<AppState>, request: Request) -> Response {
    let name = request.uri().path().trim_start_matches('/');
    match state.cache.feed(name) {
        Some(asset) => asset.respond(request.headers()),
        None => not_found().await,
    }
}

async fn index(State(state): State<AppState>, request: Request) -> Response {
    state.cache.index().respond(request.headers())
}

async fn opml(State(state): State<AppState>, request: Request) -> Response {
    state.cache.opml().respond(request.headers())
}

async fn stylesheet(State(state): State<AppState>, request: Request) -> Response {
    state.cache.stylesheet().respond(request.headers())
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(CONTENT_TYPE, "text/plain; charset=utf-8")], "not found\n").into_response()
}

async fn healthz() -> Response {
    no_store("text/plain; charset=utf-8", StatusCode::OK, "ok\n".to_string())
}

/// `/readyz` JSON: ready when every feed the config publishes is served and no source is still
/// waiting for its first run (on a fresh data dir the feeds exist at once, but empty: an
/// aggregator routed here then would see no news).
#[derive(Serialize)]
struct Readiness {
    ready: bool,
    feeds: usize,
    missing: Vec<String>,
    pending: Vec<String>,
    sources: Vec<SourceHealth>,
}

async fn readyz(State(state): State<AppState>) -> Response {
    let missing = state.cache.missing();
    let pending = state.health.pending();
    let body = Readiness {
        ready: missing.is_empty() && pending.is_empty(),
        feeds: state.cache.feeds().len(),
        missing,
        pending,
        sources: state.health.sources(),
    };
    let status = if body.ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let json = serde_json::to_string_pretty(&body).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    no_store("application/json", status, json + "\n")
}

async fn metrics_text(State(state): State<AppState>) -> Response {
    no_store(metrics::CONTENT_TYPE, StatusCode::OK, state.metrics.render())
}

/// Probes and metrics describe this instant: never cached.
fn no_store(content_type: &'static str, status: StatusCode, body: String) -> Response {
    let headers = [
        (CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    (status, headers, body).into_response()
}
