//! The HTTP router without a port (tower `oneshot`), over the feeds the offline demo publishes:
//! status codes, headers, ETag and Last-Modified revalidation, gzip and brotli, HEAD, 404/405,
//! path traversal, the index, OPML, stylesheet, probes and metrics.

mod support;

use std::io::Read;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode, header};
use support::copy_tree;
use tinfeed::config::Config;
use tinfeed::server::{self, AppState, FeedCache, Health, Metrics, SiteInfo, SourceHealth};
use tower::ServiceExt;

/// The demo's feeds, published once for the whole file (offline: `file:` URLs).
struct Published {
    _dir: tempfile::TempDir,
    config: Config,
}

fn published() -> &'static Published {
    static PUBLISHED: OnceLock<Published> = OnceLock::new();
    // its own thread: the tests calling this already run inside a tokio runtime
    PUBLISHED.get_or_init(|| std::thread::spawn(publish_demo).join().unwrap())
}

fn publish_demo() -> Published {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config"), &dir.path().join("config"));
    let config = Config::load(&dir.path().join("config/demo.toml")).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let report = runtime.block_on(tinfeed::pipeline::run_once(&config)).unwrap();
    assert!(!report.any_failed(), "{report:?}");
    Published { _dir: dir, config }
}

fn feed_file(name: &str) -> Vec<u8> {
    std::fs::read(published().config.site.feeds_dir.join(name)).unwrap()
}

/// A server state whose cache loaded the demo's feeds from disk, as a restarted daemon does,
/// and sends their bodies from files in the data folder, as the daemon does.
fn state() -> AppState {
    let config = &published().config;
    let cache = FeedCache::new(SiteInfo::from_config(config)).spooled_in(&config.site.data_dir);
    assert_eq!(cache.load_dir(&config.site.feeds_dir), 14, "7 feeds × RSS and Atom");
    let sources = config.sources.iter().map(|s| SourceHealth::new(&s.id, None)).collect();
    AppState {
        cache: Arc::new(cache),
        health: Arc::new(Health::new(sources)),
        metrics: Arc::new(Metrics::new()),
    }
}

fn app() -> Router {
    server::router(state())
}

async fn send(app: &Router, method: Method, uri: &str, headers: &[(&str, &str)]) -> Response<Body> {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap()
}

async fn get(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Response<Body> {
    send(app, Method::GET, uri, headers).await
}

async fn body(response: Response<Body>) -> Vec<u8> {
    axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec()
}

fn header(response: &Response<Body>, name: header::HeaderName) -> &str {
    response.headers().get(&name).map_or("", |v| v.to_str().unwrap())
}

/// The feed's own date, as an HTTP date: RSS `lastBuildDate` is RFC 822 with an offset.
fn last_build_date(rss: &[u8]) -> String {
    let text = String::from_utf8_lossy(rss);
    let start = text.find("<lastBuildDate>").unwrap() + "<lastBuildDate>".len();
    let end = text.find("</lastBuildDate>").unwrap();
    let date = chrono::DateTime::parse_from_rfc2822(&text[start..end]).unwrap();
    httpdate::fmt_http_date(date.into())
}

#[tokio::test]
async fn a_feed_is_served_from_memory_with_its_type_validators_and_cache_headers() {
    let app = app();
    let response = get(&app, "/chinh-tri.rss", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, header::CONTENT_TYPE), "application/rss+xml; charset=utf-8");
    let etag = header(&response, header::ETAG).to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"), "strong: {etag}");
    // when the items last changed (the feed's own date), not when the file was written
    assert_eq!(header(&response, header::LAST_MODIFIED), last_build_date(&feed_file("chinh-tri.rss")));
    // chinh-tri runs every 15 minutes, thoi-su every hour
    assert_eq!(header(&response, header::CACHE_CONTROL), "public, max-age=900");
    assert_eq!(header(&response, header::VARY), "Accept-Encoding, Accept");
    assert_eq!(body(response).await, feed_file("chinh-tri.rss"));

    let response = get(&app, "/thoi-su.atom", &[]).await;
    assert_eq!(header(&response, header::CONTENT_TYPE), "application/atom+xml; charset=utf-8");
    assert_eq!(header(&response, header::CACHE_CONTROL), "public, max-age=3600");
    let text = String::from_utf8(body(response).await).unwrap();
    assert!(text.contains("<?xml-stylesheet type=\"text/xsl\" href=\"feed.xsl\"?>"), "{text}");
}

#[tokio::test]
async fn if_none_match_and_if_modified_since_answer_304_only_when_current() {
    let app = app();
    let first = get(&app, "/all.rss", &[]).await;
    let etag = header(&first, header::ETAG).to_string();
    let modified = header(&first, header::LAST_MODIFIED).to_string();

    let cases: Vec<(Vec<(&str, &str)>, StatusCode)> = vec![
        (vec![("if-none-match", &etag)], StatusCode::NOT_MODIFIED),
        (vec![("if-none-match", "\"0000000000\"")], StatusCode::OK),
        (vec![("if-none-match", "\"stale\", *")], StatusCode::NOT_MODIFIED),
        (vec![("if-modified-since", &modified)], StatusCode::NOT_MODIFIED),
        (vec![("if-modified-since", "Sat, 01 Jan 2000 00:00:00 GMT")], StatusCode::OK),
        // If-None-Match wins over If-Modified-Since
        (vec![("if-none-match", "\"stale\""), ("if-modified-since", &modified)], StatusCode::OK),
    ];
    for (headers, status) in cases {
        let response = get(&app, "/all.rss", &headers).await;
        assert_eq!(response.status(), status, "{headers:?}");
        if status == StatusCode::NOT_MODIFIED {
            assert_eq!(header(&response, header::ETAG), etag);
            assert_eq!(header(&response, header::CACHE_CONTROL), "public, max-age=900");
            assert!(body(response).await.is_empty());
        }
    }
    // a client that cached the gzip copy revalidates with its tag
    let gz = get(&app, "/all.rss", &[("accept-encoding", "gzip")]).await;
    let gz_tag = header(&gz, header::ETAG).to_string();
    assert_ne!(gz_tag, etag, "each coding has its own strong tag");
    let response = get(&app, "/all.rss", &[("accept-encoding", "gzip"), ("if-none-match", &gz_tag)]).await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn gzip_and_brotli_are_negotiated_and_decode_to_the_feed() {
    let app = app();
    let plain = feed_file("all.atom");
    let response = get(&app, "/all.atom", &[("accept-encoding", "gzip")]).await;
    assert_eq!(header(&response, header::CONTENT_ENCODING), "gzip");
    let compressed = body(response).await;
    assert!(compressed.len() < plain.len() / 2, "{} vs {}", compressed.len(), plain.len());
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..]).read_to_end(&mut decoded).unwrap();
    assert_eq!(decoded, plain);

    let response = get(&app, "/all.atom", &[("accept-encoding", "gzip, deflate, br, zstd")]).await;
    assert_eq!(header(&response, header::CONTENT_ENCODING), "br");
    let compressed = body(response).await;
    let mut decoded = Vec::new();
    brotli::Decompressor::new(&compressed[..], 4096).read_to_end(&mut decoded).unwrap();
    assert_eq!(decoded, plain);

    let response = get(&app, "/all.atom", &[("accept-encoding", "identity")]).await;
    assert_eq!(header(&response, header::CONTENT_ENCODING), "");
    assert_eq!(body(response).await, plain);
}

#[tokio::test]
async fn a_browser_opening_a_feed_gets_xml_it_renders_through_the_stylesheet() {
    let app = app();
    let accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let response = get(&app, "/chinh-tri.rss", &[("accept", accept)]).await;
    assert_eq!(header(&response, header::CONTENT_TYPE), "application/xml; charset=utf-8");
    let response = get(&app, "/feed.xsl", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, header::CONTENT_TYPE), "text/xsl; charset=utf-8");
    let xsl = String::from_utf8(body(response).await).unwrap();
    assert!(xsl.contains("<xsl:stylesheet") && xsl.contains("Đây là nguồn tin"), "{xsl}");
}

#[tokio::test]
async fn head_answers_the_headers_of_get_without_a_body() {
    let app = app();
    let response = send(&app, Method::HEAD, "/doi-song.rss", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, header::CONTENT_TYPE), "application/rss+xml; charset=utf-8");
    assert_eq!(header(&response, header::CONTENT_LENGTH), feed_file("doi-song.rss").len().to_string());
    assert!(!header(&response, header::ETAG).is_empty());
    assert!(body(response).await.is_empty());
}

#[tokio::test]
async fn unknown_paths_are_404_and_other_methods_405() {
    let app = app();
    for uri in ["/khong-co.rss", "/chinh-tri.xml", "/chinh-tri", "/a/b/c", "/all.rss/"] {
        let response = get(&app, uri, &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{uri}");
    }
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
        let response = send(&app, method.clone(), "/chinh-tri.rss", &[]).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
        let allow = header(&response, header::ALLOW);
        assert!(allow.contains("GET") && allow.contains("HEAD"), "{method}: {allow}");
        let response = send(&app, method.clone(), "/", &[]).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{method} /");
    }
}

#[tokio::test]
async fn no_path_leaves_the_served_feeds() {
    let app = app();
    for uri in [
        "/..",
        "/../data/tinfeed.sqlite",
        "/%2e%2e/data/tinfeed.sqlite",
        "/%2e%2e%2fdata%2ftinfeed.sqlite",
        "/..%2fdata%2ftinfeed.sqlite",
        "/.%2e/.%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "//etc/passwd",
        "/etc/passwd",
        "/%2fetc%2fpasswd",
        "/data/tinfeed.sqlite",
        "/tinfeed.lock",
        "/chinh-tri.rss/../../config/demo.toml",
        "/..%5c..%5cdemo.toml",
        "/.tinfeed-123.tmp",
    ] {
        let response = get(&app, uri, &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{uri}");
        let text = String::from_utf8_lossy(&body(response).await).into_owned();
        assert_eq!(text, "not found\n", "{uri}");
    }
}

#[tokio::test]
async fn the_index_lists_every_feed_with_autodiscovery_counts_and_dates() {
    let app = app();
    let response = get(&app, "/", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, header::CONTENT_TYPE), "text/html; charset=utf-8");
    assert!(!header(&response, header::ETAG).is_empty());
    let html = String::from_utf8(body(response).await).unwrap();
    for needle in [
        "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Báo Hà Nam – Văn hóa - Xã hội (RSS)\" href=\"van-hoa-xa-hoi.rss\">",
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Báo Hà Nam (ATOM)\" href=\"all.atom\">",
        "<a href=\"doi-song.rss\">Báo Hà Nam – Đời sống</a>",
        "<a href=\"feeds.opml\">feeds.opml</a>",
    ] {
        assert!(html.contains(needle), "{needle} missing from\n{html}");
    }
    // one row per feed, `all` first, each with its item count
    let rows: Vec<&str> = html.lines().filter(|l| l.starts_with("<tr><td")).collect();
    assert_eq!(rows.len(), 7, "{html}");
    assert!(rows[0].contains("href=\"all.rss\""), "{}", rows[0]);
    let all_items = String::from_utf8_lossy(&feed_file("all.rss")).matches("<item>").count();
    assert!(rows[0].contains(&format!("<td class=\"items\">{all_items}</td>")), "{}", rows[0]);
}

#[tokio::test]
async fn the_opml_lists_every_feed_at_its_public_url() {
    let app = app();
    let response = get(&app, "/feeds.opml", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, header::CONTENT_TYPE), "text/x-opml; charset=utf-8");
    let opml = String::from_utf8(body(response).await).unwrap();
    assert!(opml.contains("<opml version=\"2.0\">"), "{opml}");
    assert_eq!(opml.matches("<outline type=\"rss\"").count(), 7, "{opml}");
    assert!(opml.contains("xmlUrl=\"http://127.0.0.1:8080/van-hoa-xa-hoi.rss\""), "{opml}");
    assert!(opml.contains("text=\"Báo Hà Nam – Chính trị\""), "{opml}");
}

#[tokio::test]
async fn probes_report_liveness_readiness_per_source_and_metrics() {
    let state = state();
    let app = server::router(state.clone());
    let response = get(&app, "/healthz", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, header::CACHE_CONTROL), "no-store");

    let at = chrono::DateTime::parse_from_rfc3339("2026-11-28T08:30:00+07:00").unwrap();
    state.health.success("chinh-tri", at, 4);
    state.health.failure("kinh-te", at, "`https://baohanam.com.vn/kinh-te` answered HTTP 503");
    // every feed is served, but sources that never ran yet may be why a feed is empty
    let response = get(&app, "/readyz", &[]).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let json: serde_json::Value = serde_json::from_slice(&body(response).await).unwrap();
    let pending: Vec<&str> = json["pending"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert_eq!(pending.len(), published().config.sources.len() - 2, "{json}");
    assert!(!pending.contains(&"chinh-tri") && !pending.contains(&"kinh-te"), "{json}");
    for id in pending {
        state.health.success(id, at, 1);
    }
    let response = get(&app, "/readyz", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, header::CONTENT_TYPE), "application/json");
    let json: serde_json::Value = serde_json::from_slice(&body(response).await).unwrap();
    assert_eq!(json["ready"], true);
    assert_eq!(json["feeds"], 14);
    let sources = json["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 6);
    assert_eq!(sources[0]["id"], "chinh-tri");
    assert_eq!(sources[0]["last_success"], "2026-11-28T08:30:00+07:00");
    assert_eq!(sources[0]["items"], 4);
    assert_eq!(sources[1]["consecutive_failures"], 1);
    assert!(sources[1]["last_error"].as_str().unwrap().contains("HTTP 503"));

    get(&app, "/khong-co", &[]).await;
    let response = get(&app, "/metrics", &[]).await;
    assert!(header(&response, header::CONTENT_TYPE).starts_with("application/openmetrics-text"));
    let text = String::from_utf8(body(response).await).unwrap();
    assert!(text.contains("tinfeed_http_requests_total{status=\"200\"} 2"), "{text}");
    assert!(text.contains("tinfeed_http_requests_total{status=\"503\"} 1"), "{text}");
    assert!(text.contains("tinfeed_http_requests_total{status=\"404\"} 1"), "{text}");
}

#[tokio::test]
async fn not_ready_until_every_configured_feed_is_served() {
    let config = &published().config;
    let state = AppState {
        cache: Arc::new(FeedCache::new(SiteInfo::from_config(config))),
        health: Arc::new(Health::default()),
        metrics: Arc::new(Metrics::new()),
    };
    let app = server::router(state.clone());
    let response = get(&app, "/readyz", &[]).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let json: serde_json::Value = serde_json::from_slice(&body(response).await).unwrap();
    assert_eq!(json["ready"], false);
    assert_eq!(json["missing"].as_array().unwrap().len(), 14, "{json}");
    // still alive, and the index says there is nothing yet
    assert_eq!(get(&app, "/healthz", &[]).await.status(), StatusCode::OK);

    state.cache.load_dir(&config.site.feeds_dir);
    assert_eq!(get(&app, "/readyz", &[]).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_publish_swaps_the_bytes_and_the_etag_together() {
    let state = state();
    let app = server::router(state.clone());
    let before = get(&app, "/kinh-te.rss", &[]).await;
    let old_tag = header(&before, header::ETAG).to_string();

    let edited =
        String::from_utf8(feed_file("kinh-te.rss")).unwrap().replacen("<item>", "<item><!-- sửa -->", 1);
    state.cache.publish(vec![("kinh-te.rss".into(), edited.clone().into_bytes())]);

    let response = get(&app, "/kinh-te.rss", &[("if-none-match", &old_tag)]).await;
    assert_eq!(response.status(), StatusCode::OK, "the old copy is stale");
    assert_ne!(header(&response, header::ETAG), old_tag);
    assert_eq!(body(response).await, edited.as_bytes());
    // the same bytes again: same tag, nothing recompressed
    let tag = header(&get(&app, "/kinh-te.rss", &[]).await, header::ETAG).to_string();
    state.cache.publish(vec![("kinh-te.rss".into(), edited.into_bytes())]);
    assert_eq!(header(&get(&app, "/kinh-te.rss", &[]).await, header::ETAG), tag);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_real_port_feeds_answer_exactly_as_the_router_does() {
    let state = state();
    let app = server::router(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let shutdown = tokio_util::sync::CancellationToken::new();
    let serving =
        tokio::spawn(server::serve(listener, state.clone(), shutdown.clone(), Duration::from_secs(1)));
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().no_gzip().no_brotli().build().unwrap();

    let etag = header(&get(&app, "/van-hoa-xa-hoi.atom", &[]).await, header::ETAG).to_string();
    type Case<'a> = (Method, &'a str, Vec<(&'a str, &'a str)>);
    let cases: Vec<Case> = vec![
        (Method::GET, "/van-hoa-xa-hoi.atom", vec![]),
        (Method::GET, "/van-hoa-xa-hoi.atom", vec![("accept-encoding", "gzip")]),
        (Method::GET, "/van-hoa-xa-hoi.atom", vec![("accept-encoding", "br, gzip")]),
        (Method::GET, "/van-hoa-xa-hoi.atom", vec![("if-none-match", &etag)]),
        (Method::GET, "/van-hoa-xa-hoi.atom", vec![("accept", "text/html,application/xml;q=0.9")]),
        (Method::HEAD, "/van-hoa-xa-hoi.atom", vec![("accept-encoding", "gzip")]),
        (Method::GET, "/", vec![]),
        (Method::GET, "/%2e%2e/data/tinfeed.sqlite", vec![]),
        (Method::POST, "/van-hoa-xa-hoi.atom", vec![]),
    ];
    for (method, path, headers) in cases {
        let routed = send(&app, method.clone(), path, &headers).await;
        let mut request = client.request(method.clone(), format!("{base}{path}"));
        for (name, value) in &headers {
            request = request.header(*name, *value);
        }
        let served = request.send().await.unwrap();
        assert_eq!(served.status(), routed.status(), "{method} {path} {headers:?}");
        for name in [
            header::CONTENT_TYPE,
            header::CONTENT_ENCODING,
            header::CONTENT_LENGTH,
            header::ETAG,
            header::LAST_MODIFIED,
            header::CACHE_CONTROL,
            header::VARY,
            header::ALLOW,
        ] {
            if name == header::CONTENT_LENGTH && served.status() == StatusCode::NOT_MODIFIED {
                continue; // hyper sends no length with a 304; `oneshot` shows axum's 0
            }
            let served_value = served.headers().get(&name).map(|v| v.to_str().unwrap().to_string());
            let routed_value = routed.headers().get(&name).map(|v| v.to_str().unwrap().to_string());
            assert_eq!(served_value, routed_value, "{name} of {method} {path} {headers:?}");
        }
        let served_body = served.bytes().await.unwrap();
        assert_eq!(served_body.to_vec(), body(routed).await, "{method} {path} {headers:?}");
    }
    let metrics = state.metrics.render();
    assert!(metrics.contains("tinfeed_http_requests_total{status=\"304\"} 2"), "both paths count: {metrics}");

    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(5), serving).await.expect("the server stops").unwrap();
}

/// A raw response: status line, headers (names lower-cased), body.
type RawResponse = (String, Vec<(String, String)>, Vec<u8>);

/// Splits raw HTTP/1.1 responses read from a socket.
fn split_responses(mut raw: &[u8]) -> Vec<RawResponse> {
    let mut responses = Vec::new();
    while !raw.is_empty() {
        let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a whole head") + 4;
        let head = std::str::from_utf8(&raw[..end]).unwrap();
        let mut lines = head.split("\r\n").filter(|l| !l.is_empty());
        let status = lines.next().unwrap().to_string();
        let headers: Vec<(String, String)> = lines
            .map(|l| l.split_once(": ").unwrap())
            .map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))
            .collect();
        let length =
            headers.iter().find(|(n, _)| n == "content-length").map_or(0, |(_, v)| v.parse().unwrap());
        let length = if status.contains(" 304 ") { 0 } else { length };
        responses.push((status, headers, raw[end..end + length].to_vec()));
        raw = &raw[end + length..];
    }
    responses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelined_requests_are_answered_in_order_and_hyper_takes_over_what_the_fast_path_does_not_serve() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let state = state();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let serving =
        tokio::spawn(server::serve(listener, state.clone(), shutdown.clone(), Duration::from_secs(1)));
    let etag = header(&get(&app(), "/kinh-te.rss", &[]).await, header::ETAG).to_string();

    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    // four requests in one write: plain, gzip, 304, then the index (hyper), which closes
    let requests = format!(
        "GET /kinh-te.rss HTTP/1.1\r\nHost: a\r\n\r\n\
         GET /kinh-te.rss?from=reader HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n\
         GET /kinh-te.rss HTTP/1.1\r\nHost: a\r\nIf-None-Match: {etag}\r\n\r\n\
         GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(requests.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw)).await.unwrap().unwrap();
    let responses = split_responses(&raw);
    let statuses: Vec<&str> = responses.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(
        statuses,
        ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 304 Not Modified", "HTTP/1.1 200 OK"]
    );
    let file = feed_file("kinh-te.rss");
    assert_eq!(responses[0].2, file, "the plain body is the feed file, byte for byte");
    let mut inflated = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&responses[1].2[..]), &mut inflated)
        .unwrap();
    assert_eq!(inflated, file);
    for (_, headers, _) in &responses {
        assert!(headers.iter().any(|(n, _)| n == "date"), "{headers:?}");
    }
    assert!(String::from_utf8_lossy(&responses[3].2).contains("<link rel=\"alternate\""), "the index");

    // a HEAD, then a request with a body: hyper answers it (405) on the same connection
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(
            b"HEAD /kinh-te.rss HTTP/1.1\r\nHost: a\r\n\r\n\
              POST /kinh-te.rss HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd",
        )
        .await
        .unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw)).await.unwrap().unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(
        text.contains(&format!("content-length: {}\r\n", file.len())),
        "HEAD keeps the GET's length: {text}"
    );
    let second = text.find("HTTP/1.1 405").expect("hyper answered the POST after the HEAD");
    assert!(!text[..second].contains("<rss"), "no body after a HEAD: {text}");

    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(5), serving).await.expect("the server stops").unwrap();
}
