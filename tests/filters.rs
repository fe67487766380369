//! Filters and category mapping end to end (issue 6): the demo site over loopback HTTP, where one
//! listing feeds several categories through `[sources.categories]`, an excluded URL is never
//! fetched, and an include regex on titles keeps only the matching items. The feeds are parsed
//! back with feed-rs and checked against DESIGN.md §3.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use support::{FixtureServer, copy_tree, rules};
use tinfeed::config::Config;
use tinfeed::fetch::Fetcher;
use tinfeed::pipeline::{self, RunReport, SourceCounts, crawl};
use tinfeed::store::Store;

/// The demo's selectors for the nvcms-style listings.
const SELECTORS: &str = r#"[sources.selectors]
item = "div.list-news h3.title-news a"
title = "h1.title-detail"
summary = "div.sapo"
content = "div.detail-content"
date = "div.date"
author = 'div.detail-content p[style*="text-align: right"] strong'
image = "div.detail-content figure img"
remove = "div.box-related, div.box-share, script"
"#;

/// VH3's page declares its section the way many CMSs do; the mapping reads it.
const VH3: &str =
    "van-hoa-xa-hoi/giao-duc/ton-vinh-120-nha-giao-tieu-bieu-nhan-ngay-nha-giao-viet-nam-122785.html";

struct Site {
    dir: tempfile::TempDir,
    server: FixtureServer,
}

impl Site {
    async fn start() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_tree(&repo.join("config/demo/site"), &dir.path().join("site"));
        let page = dir.path().join("site").join(VH3);
        let html = std::fs::read_to_string(&page).unwrap();
        let meta = "<meta property=\"article:section\" content=\"Giáo dục - Đào tạo\">\n</head>";
        std::fs::write(&page, html.replacen("</head>", meta, 1)).unwrap();
        let server = FixtureServer::start(&dir.path().join("site")).await;
        Site { dir, server }
    }

    /// A config over the served site: the sources written by `sources` (`{site}` = its URL).
    fn config(&self, sources: &str) -> Config {
        let text = format!(
            "[site]\ntitle = \"Báo Hà Nam\"\nbase_url = \"http://127.0.0.1:8080/\"\nfeeds_dir = \"feeds\"\n\
             data_dir = \"data\"\n{}",
            sources.replace("{site}", &self.server.url(""))
        );
        let path = self.dir.path().join("tinfeed.toml");
        std::fs::write(&path, text).unwrap();
        Config::load(&path).unwrap_or_else(|e| panic!("{e}"))
    }

    fn feeds(&self) -> PathBuf {
        self.dir.path().join("feeds")
    }

    fn feed(&self, file: &str) -> feed_rs::model::Feed {
        let bytes = std::fs::read(self.feeds().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    fn titles(&self, file: &str) -> Vec<String> {
        self.feed(file).entries.iter().map(|e| e.title.as_ref().unwrap().content.clone()).collect()
    }
}

/// One listing mapped into three feeds, one URL excluded; a second listing filtered by title.
fn mapped_and_filtered() -> String {
    format!(
        r#"
[[sources]]
id = "van-hoa-xa-hoi"
kind = "html"
url = "{{site}}van-hoa-xa-hoi/index.html"
category = "Văn hóa - Xã hội"

{SELECTORS}
[sources.exclude]
url = "/le-hoi/"

[sources.categories]
"y-te" = "Y tế"
"Giáo dục - Đào tạo" = "Giáo dục"

[[sources]]
id = "chinh-tri"
kind = "html"
url = "{{site}}chinh-tri/index.html"
category = "Chính trị"

{SELECTORS}
[sources.include]
title = "^(khai mạc|HỘI NGHỊ)"
"#
    )
}

fn counts<'a>(report: &'a RunReport, id: &str) -> &'a SourceCounts {
    let source = report.sources.iter().find(|s| s.id == id).unwrap();
    source.outcome.as_ref().unwrap_or_else(|e| panic!("{id} failed: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_listing_feeds_several_categories_and_filters_keep_only_what_is_asked() {
    let site = Site::start().await;
    let config = site.config(&mapped_and_filtered());
    let slugs: Vec<String> = config.categories().into_iter().map(|c| c.slug).collect();
    assert_eq!(slugs, ["van-hoa-xa-hoi", "y-te", "giao-duc", "chinh-tri"]);

    let report = pipeline::run_once(&config).await.expect("run");
    assert!(!report.any_failed());

    // the excluded article (VH4, under /le-hoi/) was never asked for; the others were
    let requests = site.server.requests();
    assert!(requests.iter().any(|p| p == "/van-hoa-xa-hoi/index.html"), "{requests:?}");
    assert!(!requests.iter().any(|p| p.contains("le-hoi")), "an excluded URL was fetched: {requests:?}");
    assert!(requests.iter().any(|p| p.contains("-122745.html")), "{requests:?}");
    let vh = counts(&report, "van-hoa-xa-hoi");
    assert_eq!((vh.found, vh.filtered, vh.dropped, vh.failed_articles), (4, 1, 0, 0));
    assert_eq!(
        vh.stored.changed_slugs,
        BTreeSet::from(["van-hoa-xa-hoi", "y-te", "giao-duc"].map(String::from))
    );

    // by the URL path segment `y-te`
    assert_eq!(
        site.titles("y-te.rss"),
        [
            "Tiêm bổ sung vắc xin sởi - rubella cho hơn 8.000 trẻ",
            "Bệnh viện Đa khoa tỉnh đưa vào hoạt động Trung tâm Đột quỵ",
        ]
    );
    let y_te = site.feed("y-te.atom");
    assert_eq!(y_te.title.as_ref().unwrap().content, "Báo Hà Nam – Y tế");
    assert_eq!(y_te.entries[0].categories[0].term, "y-te");
    assert_eq!(y_te.entries[0].categories[0].label.as_deref(), Some("Y tế"));
    assert_eq!(site.feed("y-te.rss").entries[1].categories[0].term, "Y tế");
    // by the section the page declares
    assert_eq!(site.titles("giao-duc.rss"), ["Tôn vinh 120 nhà giáo tiêu biểu nhân Ngày Nhà giáo Việt Nam"]);
    // the rest keeps the source's category
    assert_eq!(site.titles("van-hoa-xa-hoi.rss"), ["Làng trống Đọi Tam tất bật vào mùa"]);

    // an include regex on titles, case-insensitive on Vietnamese: CT3 and CT4 fetched, left out
    let ct = counts(&report, "chinh-tri");
    assert_eq!((ct.found, ct.filtered), (2, 2));
    assert_eq!(
        site.titles("chinh-tri.rss"),
        ["Khai mạc Kỳ họp thứ ba HĐND tỉnh khóa XX", "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12"]
    );
    assert_eq!(site.feed("all.rss").entries.len(), 6);

    let base = "http://127.0.0.1:8080/";
    for slug in ["van-hoa-xa-hoi", "y-te", "giao-duc", "chinh-tri", "all"] {
        let bytes = |ext: &str| std::fs::read(site.feeds().join(format!("{slug}.{ext}"))).unwrap();
        rules::check_rss(&bytes("rss"), &format!("{base}{slug}.rss"));
        rules::check_atom(&bytes("atom"), &format!("{base}{slug}.atom"));
    }

    // a second run fetches only the listings (filtered links are skipped again, for free) and
    // changes nothing
    let before = site.server.requests().len();
    let again = pipeline::run_once(&config).await.expect("run");
    assert!(again.feeds.iter().all(|f| !f.written), "unchanged feeds are not rewritten");
    let second: Vec<String> = site.server.requests()[before..].to_vec();
    assert!(second.iter().all(|p| p.ends_with("/index.html") || p == "/robots.txt"), "{second:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_republishes_a_category_fed_only_through_mapping() {
    let site = Site::start().await;
    let config = site.config(&mapped_and_filtered());
    // what the daemon does after one source's run: store, then publish the changed feeds
    let mut store = Store::open(&config.site.data_dir).unwrap();
    let fetcher = Fetcher::with_settings(config.site.fetch.clone()).unwrap();
    let source = config.source("van-hoa-xa-hoi").unwrap();
    let plan = crawl::plan(&store, source).unwrap();
    let result = crawl::run(&fetcher, &config.site, source, plan).await;
    let report = pipeline::record(&mut store, &config.site, source, result).unwrap();
    let changed = report.outcome.unwrap().stored.changed_slugs;
    let published = pipeline::publish_changed(&config, &store, &changed).unwrap();
    let written: Vec<&str> = published.iter().map(|f| f.slug.as_str()).collect();
    assert_eq!(written, ["van-hoa-xa-hoi", "y-te", "giao-duc", "all"]);
    assert_eq!(site.titles("y-te.rss").len(), 2);
    assert!(!site.feeds().join("chinh-tri.rss").exists(), "a feed nothing changed is left alone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_whose_every_item_is_filtered_out_has_not_failed() {
    let site = Site::start().await;
    let config = site.config(&format!(
        r#"
[[sources]]
id = "kinh-te"
kind = "html"
url = "{{site}}kinh-te/index.html"
category = "Kinh tế"
{SELECTORS}
[sources.include]
title = "bóng đá"

[[sources]]
id = "chinh-tri"
kind = "html"
url = "{{site}}chinh-tri/index.html"
category = "Chính trị"
{SELECTORS}
[sources.exclude]
url = "\\.html$"
"#
    ));
    let report = pipeline::run_once(&config).await.expect("run");
    assert!(!report.any_failed(), "{:?}", report.sources);
    let kt = counts(&report, "kinh-te");
    assert_eq!((kt.found, kt.filtered, kt.dropped), (0, 4, 0));
    let ct = counts(&report, "chinh-tri");
    assert_eq!((ct.found, ct.filtered), (0, 4));
    assert!(
        !site.server.requests().iter().any(|p| p.starts_with("/chinh-tri/") && !p.ends_with("index.html"))
    );
    assert_eq!(site.feed("kinh-te.rss").entries.len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_items_counts_the_links_kept_after_url_filters() {
    let site = Site::start().await;
    // CT1 and CT4 are under /chinh-quyen/: excluded, so the one article allowed is CT2, not CT1
    let config = site.config(&format!(
        r#"
[[sources]]
id = "chinh-tri"
kind = "html"
url = "{{site}}chinh-tri/index.html"
category = "Chính trị"
max_items = 1
{SELECTORS}
[sources.exclude]
url = "/chinh-quyen/"
"#
    ));
    let report = pipeline::run_once(&config).await.expect("run");
    let ct = counts(&report, "chinh-tri");
    assert_eq!((ct.found, ct.filtered), (1, 2));
    assert_eq!(site.titles("chinh-tri.rss"), ["Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12"]);
    let articles: Vec<String> = site
        .server
        .requests()
        .into_iter()
        .filter(|p| p.ends_with(".html") && !p.ends_with("index.html"))
        .collect();
    assert_eq!(articles.len(), 1, "{articles:?}");
}
