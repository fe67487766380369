//! Every way a news site fails, served by a misbehaving loopback server (tests/support/faults.rs),
//! and what tinfeed does about it: the error class, the retries made, a bounded time, and the
//! proof that the failing source's items stay published while the other source is served.
//!
//! Two sources share the server: `good` (Thời sự) and `bad` (Kinh tế). Run 1 sees both healthy;
//! then `bad` breaks in one way, and run 2 is checked. Timeouts are short (a 300 ms request) so
//! the whole file runs in a few seconds.

mod support;

use std::time::{Duration, Instant};

use support::faults::{FaultServer, Reply, gzip_bomb};
use tinfeed::config::Config;
use tinfeed::fetch::Fetcher;
use tinfeed::pipeline::{self, RunReport, SourceCounts, SourceError};
use tinfeed::store::Store;

const SITE_KEYS: &str = "timeout = \"300ms\"\nheader_timeout = \"200ms\"\nconnect_timeout = \"200ms\"\n\
                         retries = 2\nretry_delay = \"10ms\"\nmax_retry_wait = \"2s\"\n";

fn article(prefix: &str, id: u32) -> String {
    let (topic, day) = (if prefix == "good" { "Thời sự" } else { "Kinh tế" }, 10 + id);
    format!(
        r#"<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>{topic} {id}: Hà Nam khởi công dự án mới - Báo Thử</title>
<meta property="article:published_time" content="2026-11-{day}T08:30:00+07:00"></head>
<body><article><h1>{topic} {id}: Hà Nam khởi công dự án mới</h1>
<p class="sapo">Sáng {day}/11, UBND tỉnh Hà Nam tổ chức lễ khởi công dự án số {id} tại thành phố Phủ Lý.</p>
<div class="content"><p>Dự án có tổng vốn đầu tư hơn 1.000 tỷ đồng, dự kiến hoàn thành vào năm 2028.</p>
<p>Phát biểu tại buổi lễ, lãnh đạo tỉnh đề nghị nhà thầu bảo đảm chất lượng và tiến độ công trình.</p></div>
</article></body></html>"#
    )
}

fn listing(prefix: &str, ids: &[u32]) -> String {
    let items: String = ids
        .iter()
        .map(|id| format!("<article><h3><a href=\"/{prefix}/bai-{id}.html\">Bài {id}</a></h3></article>\n"))
        .collect();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"></head><body><div class=\"list\">{items}</div></body></html>"
    )
}

/// The two sources on one fault server, with a data dir and feeds dir of their own.
struct Site {
    dir: tempfile::TempDir,
    server: FaultServer,
}

impl Site {
    /// Both sources healthy, articles 1 and 2 each; listings validated by ETag.
    async fn start() -> Site {
        let server = FaultServer::start().await;
        for prefix in ["good", "bad"] {
            server.route(
                &format!("/{prefix}/"),
                Reply::Validated { etag: format!("\"{prefix}-v1\""), body: listing(prefix, &[2, 1]).into() },
            );
            for id in 1..=4 {
                server.route(&format!("/{prefix}/bai-{id}.html"), Reply::html(article(prefix, id)));
            }
        }
        let site = Site { dir: tempfile::tempdir().unwrap(), server };
        site.write_config("", "");
        site
    }

    /// `site_extra` goes into `[site]`, `bad_extra` into the `bad` source.
    fn write_config(&self, site_extra: &str, bad_extra: &str) {
        // a key in `site_extra` replaces the default of SITE_KEYS
        let defaults: String = SITE_KEYS
            .lines()
            .filter(|line| !site_extra.lines().any(|extra| extra.split('=').next() == line.split('=').next()))
            .map(|line| format!("{line}\n"))
            .collect();
        let text = format!(
            "[site]\ntitle = \"Báo Thử\"\nfeeds_dir = \"feeds\"\ndata_dir = \"data\"\n{defaults}{site_extra}\n\
             [[sources]]\nid = \"good\"\nkind = \"html\"\nurl = \"{}\"\ncategory = \"Thời sự\"\n\
             [sources.selectors]\nitem = \"h3 a\"\n\n\
             [[sources]]\nid = \"bad\"\nkind = \"html\"\nurl = \"{}\"\ncategory = \"Kinh tế\"\n{bad_extra}\n\
             [sources.selectors]\nitem = \"h3 a\"\n",
            self.server.url("/good/"),
            self.server.url("/bad/"),
        );
        std::fs::write(self.dir.path().join("tinfeed.toml"), text).unwrap();
    }

    fn config(&self) -> Config {
        Config::load(&self.dir.path().join("tinfeed.toml")).unwrap_or_else(|e| panic!("{e}"))
    }

    async fn run(&self) -> (RunReport, Duration) {
        let started = Instant::now();
        let report = pipeline::run_once(&self.config()).await.expect("run");
        (report, started.elapsed())
    }

    fn feed_bytes(&self, slug: &str) -> Vec<u8> {
        std::fs::read(self.dir.path().join(format!("feeds/{slug}.rss"))).unwrap()
    }

    fn titles(&self, slug: &str) -> Vec<String> {
        let feed = feed_rs::parser::parse(&self.feed_bytes(slug)[..]).unwrap();
        feed.entries.iter().map(|e| e.title.as_ref().unwrap().content.clone()).collect()
    }

    fn store(&self) -> Store {
        Store::open(&self.dir.path().join("data")).unwrap()
    }

    /// Run 1, both sources healthy; then `bad`'s listing answers `fault`, and run 2 is returned
    /// after checking that `bad` kept its feed and `good` was served.
    async fn listing_fault(&self, fault: Reply) -> (Result<SourceCounts, SourceError>, Duration) {
        let (first, _) = self.run().await;
        assert!(!first.any_failed(), "run 1 is healthy: {:?}", failures(&first));
        let kept = self.feed_bytes("kinh-te");
        assert_eq!(self.titles("kinh-te").len(), 2);
        self.server.route("/bad/", fault);
        self.server.clear_log();
        let (second, elapsed) = self.run().await;
        self.assert_good_served_and_bad_kept(&second, &kept);
        (outcome(second, "bad"), elapsed)
    }

    /// Run 1 healthy; then `bad` lists a new article 3 that answers `fault` and a healthy new
    /// article 4. Returns run 2's outcome for `bad`.
    async fn article_fault(&self, fault: Reply) -> Result<SourceCounts, SourceError> {
        let (first, _) = self.run().await;
        assert!(!first.any_failed(), "run 1 is healthy: {:?}", failures(&first));
        self.server.route("/bad/", Reply::html(listing("bad", &[4, 3, 2, 1])));
        self.server.route("/bad/bai-3.html", fault);
        self.server.clear_log();
        let (second, _) = self.run().await;
        assert!(outcome_ref(&second, "good").is_ok(), "good was served: {:?}", failures(&second));
        let titles = self.titles("kinh-te");
        for id in [1, 2, 4] {
            assert!(
                titles.iter().any(|t| t.starts_with(&format!("Kinh tế {id}:"))),
                "article {id}: {titles:?}"
            );
        }
        assert_eq!(
            self.server.hits("/bad/bai-1.html") + self.server.hits("/bad/bai-2.html"),
            0,
            "stored: not refetched"
        );
        outcome(second, "bad")
    }

    fn assert_good_served_and_bad_kept(&self, report: &RunReport, kept: &[u8]) {
        assert!(outcome_ref(report, "good").is_ok(), "good was served: {:?}", failures(report));
        assert_eq!(self.server.hits("/good/"), 1, "good's listing was asked once");
        assert_eq!(self.feed_bytes("kinh-te"), kept, "bad's feed keeps its last good items");
        let all = self.titles("all");
        assert_eq!(all.len(), 4, "every item stays in the all feed: {all:?}");
    }

    /// The error class of the one article that failed, read with a dry run (`inspect`'s path).
    async fn article_error_class(&self) -> (String, String) {
        let config = self.config();
        let fetcher = Fetcher::with_settings(config.site.fetch.clone()).unwrap();
        let source = config.source("bad").unwrap();
        let collected = pipeline::collect(&fetcher, &config.site, source).await.expect("bad still works");
        let error = collected.failed.first().or(collected.skipped.first()).expect("one article failed");
        (error.class().to_string(), error.to_string())
    }
}

fn outcome_ref<'a>(report: &'a RunReport, id: &str) -> &'a Result<SourceCounts, SourceError> {
    &report.sources.iter().find(|s| s.id == id).expect("source in report").outcome
}

fn outcome(report: RunReport, id: &str) -> Result<SourceCounts, SourceError> {
    report.sources.into_iter().find(|s| s.id == id).expect("source in report").outcome
}

fn failures(report: &RunReport) -> Vec<String> {
    report.sources.iter().filter_map(|s| s.outcome.as_ref().err().map(|e| format!("{}: {e}", s.id))).collect()
}

fn class(outcome: &Result<SourceCounts, SourceError>) -> &'static str {
    match outcome {
        Ok(_) => "ok",
        Err(e) => e.class(),
    }
}

/// Attempts = 1 + the configured 2 retries.
const ATTEMPTS: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_sent_byte_by_byte_times_out_after_its_retries() {
    let site = Site::start().await;
    let slow = Reply::Slow { body: listing("bad", &[2, 1]).into(), every: Duration::from_millis(20) };
    let (outcome, elapsed) = site.listing_fault(slow).await;
    assert_eq!(class(&outcome), "timeout", "{outcome:?}");
    assert!(outcome.unwrap_err().to_string().contains("waiting for the whole body"));
    assert_eq!(site.server.hits("/bad/"), ATTEMPTS);
    assert!(elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_that_hangs_after_its_headers_times_out() {
    let site = Site::start().await;
    let (outcome, elapsed) = site.listing_fault(Reply::HangAfterHeaders).await;
    assert_eq!(class(&outcome), "timeout", "{outcome:?}");
    assert_eq!(site.server.hits("/bad/"), ATTEMPTS);
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_then_200_is_retried_once_and_succeeds() {
    let site = Site::start().await;
    let fault = Reply::Sequence(vec![Reply::status(500), Reply::html(listing("bad", &[2, 1]))]);
    let (outcome, elapsed) = site.listing_fault(fault).await;
    assert_eq!(class(&outcome), "ok", "{outcome:?}");
    assert_eq!(site.server.hits("/bad/"), 2, "one retry");
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
    assert_eq!(site.store().source_status("bad").unwrap().unwrap().consecutive_failures, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_with_retry_after_is_waited_out() {
    let site = Site::start().await;
    let fault = Reply::Sequence(vec![
        Reply::with_header(429, "Retry-After", "1"),
        Reply::html(listing("bad", &[2, 1])),
    ]);
    let (outcome, elapsed) = site.listing_fault(fault).await;
    assert_eq!(class(&outcome), "ok", "{outcome:?}");
    assert_eq!(site.server.hits("/bad/"), 2);
    assert!(elapsed >= Duration::from_secs(1) && elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_retry_after_fails_at_once_and_holds_the_source_back() {
    let site = Site::start().await;
    let (outcome, elapsed) = site.listing_fault(Reply::with_header(503, "Retry-After", "3600")).await;
    assert_eq!(class(&outcome), "rate_limited", "{outcome:?}");
    assert_eq!(site.server.hits("/bad/"), 1, "an hour is not waited for within a run");
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
    let status = site.store().source_status("bad").unwrap().unwrap();
    let until = status.not_before.expect("not before");
    let ahead = until.signed_duration_since(chrono::Utc::now()).num_seconds();
    assert!((3590..=3600).contains(&ahead), "{ahead}");

    site.server.clear_log();
    let (third, _) = site.run().await;
    assert_eq!(class(outcome_ref(&third, "bad")), "backoff");
    assert_eq!(site.server.hits("/bad/"), 0, "not asked before the time it gave");
    assert!(outcome_ref(&third, "good").is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unchanged_run_sends_conditional_gets_for_listings_only() {
    let site = Site::start().await;
    let (first, _) = site.run().await;
    assert!(!first.any_failed());
    let paths: Vec<String> = site.server.log().into_iter().map(|s| s.path).collect();
    assert_eq!(
        paths.iter().filter(|p| *p == "/robots.txt").count(),
        1,
        "robots.txt once per host: {paths:?}"
    );
    let feeds = (site.feed_bytes("all"), site.feed_bytes("thoi-su"));

    site.server.clear_log();
    let (second, _) = site.run().await;
    assert!(!second.any_failed(), "{:?}", failures(&second));
    let log = site.server.log();
    let mut paths: Vec<&str> = log.iter().map(|s| s.path.as_str()).collect();
    paths.sort();
    assert_eq!(paths, ["/bad/", "/good/"], "only listings, and robots.txt is remembered");
    for seen in &log {
        let prefix = seen.path.trim_matches('/');
        assert_eq!(seen.headers.get("if-none-match"), Some(&format!("\"{prefix}-v1\"")));
        assert!(seen.headers["user-agent"].starts_with("tinfeed/"), "{:?}", seen.headers);
        assert!(seen.headers["accept-encoding"].contains("gzip"), "{:?}", seen.headers);
    }
    assert_eq!((site.feed_bytes("all"), site.feed_bytes("thoi-su")), feeds, "feeds untouched");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_listing_is_retried_then_fails_as_truncated() {
    let site = Site::start().await;
    let body = listing("bad", &[2, 1]);
    let fault = Reply::Truncated { body: body.as_bytes()[..body.len() / 2].to_vec(), declared: body.len() };
    let (outcome, _) = site.listing_fault(fault).await;
    assert_eq!(class(&outcome), "truncated", "{outcome:?}");
    assert_eq!(site.server.hits("/bad/"), ATTEMPTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_200_is_retried_then_fails_as_empty() {
    let site = Site::start().await;
    let (outcome, _) = site.listing_fault(Reply::html("  \n")).await;
    assert_eq!(class(&outcome), "empty", "{outcome:?}");
    assert_eq!(site.server.hits("/bad/"), ATTEMPTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_with_no_items_is_a_layout_error_not_retried() {
    let site = Site::start().await;
    let page = "<html><body><h1>Báo Thử</h1><p>Trang đang được nâng cấp, mời bạn đọc quay lại sau.</p></body></html>";
    let (outcome, _) = site.listing_fault(Reply::html(page)).await;
    assert_eq!(class(&outcome), "layout", "{outcome:?}");
    assert!(outcome.unwrap_err().to_string().contains("selector `h3 a` matched no article links"));
    assert_eq!(site.server.hits("/bad/"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_loop_is_caught_without_retries() {
    let site = Site::start().await;
    site.server.route("/bad/loop", Reply::with_header(302, "Location", "/bad/"));
    let (outcome, _) = site.listing_fault(Reply::with_header(301, "Location", "/bad/loop")).await;
    assert_eq!(class(&outcome), "redirect", "{outcome:?}");
    assert!(outcome.unwrap_err().to_string().contains("redirect loop"));
    assert_eq!((site.server.hits("/bad/"), site.server.hits("/bad/loop")), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_moved_to_another_host_is_followed_with_that_hosts_robots() {
    let site = Site::start().await;
    site.run().await;
    let moved = site.server.url_as_localhost("/bad/");
    site.server.route("/bad/", Reply::with_header(301, "Location", &moved));
    site.server.route_on_localhost("/bad/", Reply::html(listing("bad", &[2, 1])));
    site.server.clear_log();
    let (report, _) = site.run().await;
    assert!(!report.any_failed(), "{:?}", failures(&report));
    let log = site.server.log();
    let robots_hosts: Vec<&str> =
        log.iter().filter(|s| s.path == "/robots.txt").map(|s| s.headers["host"].as_str()).collect();
    assert!(robots_hosts.iter().any(|h| h.starts_with("localhost:")), "{robots_hosts:?}");
    // the listing (the same path, answered 200 on the new host) links to new URLs there
    let moved_articles = log
        .iter()
        .filter(|s| s.path.starts_with("/bad/bai-") && s.headers["host"].starts_with("localhost"))
        .count();
    assert_eq!(moved_articles, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_behind_an_article_link_is_skipped_and_remembered() {
    let site = Site::start().await;
    let outcome = site.article_fault(Reply::typed("application/pdf", &b"%PDF-1.7\n%\xe2\xe3"[..])).await;
    let counts = outcome.expect("the source is fine");
    assert_eq!((counts.stored.new, counts.failed_articles), (1, 0), "article 4 new, the PDF no failure");
    assert_eq!(site.server.hits("/bad/bai-3.html"), 1);
    site.server.clear_log();
    site.run().await;
    assert_eq!(site.server.hits("/bad/bai-3.html"), 0, "not asked again");
    let (class, message) = site.article_error_class().await;
    assert_eq!(class, "not_html", "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mb_article_is_cut_off_at_the_default_cap() {
    let site = Site::start().await;
    let started = Instant::now();
    let counts = site.article_fault(Reply::Endless { bytes: 50 << 20 }).await.expect("source fine");
    assert_eq!((counts.stored.new, counts.failed_articles), (1, 1));
    assert_eq!(site.server.hits("/bad/bai-3.html"), 1, "too large is not retried");
    let (class, message) = site.article_error_class().await;
    assert_eq!(class, "too_large", "{message}");
    assert!(message.contains("larger than 5242880 bytes"), "{message}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gzip_bomb_is_cut_off_after_decompression() {
    let site = Site::start().await;
    let bomb = gzip_bomb(24 << 20);
    assert!(bomb.len() < 100 << 10, "{} bytes on the wire", bomb.len());
    let counts = site.article_fault(Reply::Gzip { compressed: bomb }).await.expect("source fine");
    assert_eq!((counts.stored.new, counts.failed_articles), (1, 1));
    let (class, message) = site.article_error_class().await;
    assert_eq!(class, "too_large", "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_utf8_in_an_article_keeps_the_rest_of_its_text() {
    let site = Site::start().await;
    let mut page = article("bad", 3).into_bytes();
    let at = page.windows(4).position(|w| w == b"2028").unwrap();
    page.splice(at..at, *b"\xff\xfe");
    let counts = site.article_fault(Reply::html(page)).await.expect("source fine");
    assert_eq!(counts.stored.new, 2);
    let titles = site.titles("kinh-te");
    assert!(titles.contains(&"Kinh tế 3: Hà Nam khởi công dự án mới".to_string()), "{titles:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_charset_header_that_lies_is_overruled_by_the_bytes() {
    let site = Site::start().await;
    // windows-1258 bytes (tones as combining marks, as that code page writes them) served as UTF-8
    let text = article("bad", 3).replace("charset=\"utf-8\"", "").replace("<meta charset=\"utf-8\">", "");
    let decomposed: String = unicode_decompose_tones(&text);
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&decomposed);
    assert!(!unmappable, "the article is representable in windows-1258");
    let counts =
        site.article_fault(Reply::typed("text/html; charset=utf-8", bytes.into_owned())).await.unwrap();
    assert_eq!(counts.stored.new, 2);
    let titles = site.titles("kinh-te");
    assert!(titles.contains(&"Kinh tế 3: Hà Nam khởi công dự án mới".to_string()), "{titles:?}");
}

/// Vietnamese letters → base letter (with circumflex, breve or horn precomposed, as windows-1258
/// has them) + a combining tone mark.
fn unicode_decompose_tones(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in text.chars() {
        let parts: Vec<char> = c.to_string().nfd().collect();
        let (base, marks): (Vec<char>, Vec<char>) =
            parts.iter().partition(|m| !('\u{300}'..='\u{36f}').contains(*m));
        let keep: String = marks.iter().filter(|m| matches!(m, '\u{302}' | '\u{306}' | '\u{31b}')).collect();
        let base: String = base.into_iter().chain(keep.chars()).collect::<String>().nfc().collect();
        out.push_str(&base);
        out.extend(marks.iter().filter(|m| !matches!(m, '\u{302}' | '\u{306}' | '\u{31b}')));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_txt_is_obeyed_and_a_source_may_opt_out() {
    let site = Site::start().await;
    site.server.route("/robots.txt", Reply::typed("text/plain", "User-agent: *\nDisallow: /bad/\n"));
    let (report, _) = site.run().await;
    assert!(outcome_ref(&report, "good").is_ok());
    assert_eq!(class(outcome_ref(&report, "bad")), "robots");
    assert_eq!(site.server.hits("/bad/"), 0, "not one request to a disallowed path");
    assert_eq!(site.server.hits("/robots.txt"), 1, "one robots.txt for both sources");

    site.write_config("", "robots = false");
    site.server.clear_log();
    let (report, _) = site.run().await;
    assert!(!report.any_failed(), "{:?}", failures(&report));
    assert_eq!(site.titles("kinh-te").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_source_backs_off_doubling_and_recovers_on_its_first_success() {
    let site = Site::start().await;
    site.write_config("retries = 0\nbackoff_after = 2\nbackoff_max_runs = 2\n", "");
    site.run().await;
    site.server.route("/bad/", Reply::status(500));
    // runs 2.. : fail, fail (skip 1), skipped, fail (skip 2), skipped, skipped, fail (skip 2, the cap)
    let mut seen = Vec::new();
    for _ in 0..7 {
        site.server.clear_log();
        let (report, _) = site.run().await;
        assert!(outcome_ref(&report, "good").is_ok());
        seen.push((class(outcome_ref(&report, "bad")), site.server.hits("/bad/")));
    }
    let expected = [
        ("http_5xx", 1),
        ("http_5xx", 1),
        ("backoff", 0),
        ("http_5xx", 1),
        ("backoff", 0),
        ("backoff", 0),
        ("http_5xx", 1),
    ];
    assert_eq!(seen, expected);
    site.server.route("/bad/", Reply::html(listing("bad", &[2, 1])));
    for _ in 0..2 {
        let (report, _) = site.run().await;
        assert_eq!(class(outcome_ref(&report, "bad")), "backoff", "the skips earned are served first");
    }
    let (report, _) = site.run().await;
    assert_eq!(class(outcome_ref(&report, "bad")), "ok");
    let status = site.store().source_status("bad").unwrap().unwrap();
    assert_eq!((status.consecutive_failures, status.skip_runs), (0, 0));
    assert_eq!(status.last_error_class.as_deref(), Some("http_5xx"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_most_two_requests_at_once_to_one_host() {
    let site = Site::start().await;
    let ids: Vec<u32> = (1..=8).collect();
    for prefix in ["good", "bad"] {
        site.server.route(&format!("/{prefix}/"), Reply::html(listing(prefix, &ids)));
        for id in 1..=8 {
            let page = Reply::html(article(prefix, id));
            let delayed = Reply::Delayed { delay: Duration::from_millis(20), reply: Box::new(page) };
            site.server.route(&format!("/{prefix}/bai-{id}.html"), delayed);
        }
    }
    let (report, _) = site.run().await;
    assert!(!report.any_failed(), "{:?}", failures(&report));
    assert_eq!(site.titles("all").len(), 16);
    assert_eq!(site.server.max_in_flight(), 2, "two at once, never more");
}
