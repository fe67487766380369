//! Issue 6: `kind = "sitemap"` sources and listing pagination of `kind = "html"`, end to end on
//! a loopback server (tests/support/faults.rs, whose routes can answer 304 to a matching ETag):
//! a sitemap index with a Google News child and a gzip child, newest N first, the sitemap's title
//! and date filling what a page lacks, 304s ending unchanged runs, a broken sitemap keeping the
//! published items; and a listing walked over three pages by `next` link or `{page}` template,
//! stopping once it reaches what the store already knows.

mod support;

use std::io::Write;

use chrono::{DateTime, FixedOffset};
use support::faults::{FaultServer, Reply};
use support::rules;
use tinfeed::config::Config;
use tinfeed::pipeline::{self, RunReport};

const BASE: &str = "http://127.0.0.1:8080/";

/// An article page. `full`: with title, date and picture of its own; else a bare body (a page
/// whose template puts the headline in an image and the date in a script).
fn article(title: &str, date: &str, full: bool) -> String {
    let head = if full {
        format!(
            "<title>{title} - Báo Thử</title>\n<meta property=\"article:published_time\" content=\"{date}\">\n\
             <meta property=\"og:image\" content=\"/anh/trang.jpg\">"
        )
    } else {
        String::new()
    };
    let h1 = if full { format!("<h1>{title}</h1>") } else { String::new() };
    format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">{head}</head><body><article>{h1}\n\
         <p class=\"sapo\">Sáng 25/11, UBND tỉnh Hà Nam tổ chức hội nghị triển khai nhiệm vụ trọng tâm những tháng \
         cuối năm tại thành phố Phủ Lý.</p>\n<div class=\"content\"><p>Hội nghị đã nghe báo cáo tình hình kinh tế - \
         xã hội mười một tháng và thảo luận các giải pháp bảo đảm an sinh, trật tự an toàn giao thông dịp Tết.</p>\n\
         <p>Phát biểu kết luận, đồng chí Chủ tịch UBND tỉnh yêu cầu các sở, ngành tập trung hoàn thành kế hoạch \
         năm 2026.</p></div></article></body></html>"
    )
}

fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

fn validated(etag: &str, body: impl Into<Vec<u8>>) -> Reply {
    Reply::Validated { etag: format!("\"{etag}\""), body: body.into() }
}

/// A site on the fault server with a data and feeds dir of its own.
struct Site {
    dir: tempfile::TempDir,
    server: FaultServer,
}

impl Site {
    async fn start() -> Site {
        Site { dir: tempfile::tempdir().unwrap(), server: FaultServer::start().await }
    }

    /// One source; `{server}` in `source` becomes the server's address.
    fn write_config(&self, source: &str) {
        let text = format!(
            "[site]\ntitle = \"Báo Thử\"\nfeeds_dir = \"feeds\"\ndata_dir = \"data\"\nretries = 0\n\n[[sources]]\n{}",
            source.replace("{server}", &self.server.url(""))
        );
        std::fs::write(self.dir.path().join("tinfeed.toml"), text).unwrap();
    }

    async fn run(&self) -> RunReport {
        let config = Config::load(&self.dir.path().join("tinfeed.toml")).unwrap_or_else(|e| panic!("{e}"));
        self.server.clear_log();
        pipeline::run_once(&config).await.expect("run")
    }

    fn feed_bytes(&self, file: &str) -> Vec<u8> {
        std::fs::read(self.dir.path().join("feeds").join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    fn feed(&self, file: &str) -> feed_rs::model::Feed {
        feed_rs::parser::parse(&self.feed_bytes(file)[..]).unwrap()
    }

    fn titles(&self, slug: &str) -> Vec<String> {
        self.feed(&format!("{slug}.rss"))
            .entries
            .iter()
            .map(|e| e.title.as_ref().unwrap().content.clone())
            .collect()
    }

    /// The feed passes the rules of DESIGN.md §3, in both formats.
    fn check_rules(&self, slug: &str) {
        rules::check_rss(&self.feed_bytes(&format!("{slug}.rss")), &format!("{BASE}{slug}.rss"));
        rules::check_atom(&self.feed_bytes(&format!("{slug}.atom")), &format!("{BASE}{slug}.atom"));
    }

    /// Paths asked this run, robots.txt aside.
    fn asked(&self) -> Vec<String> {
        self.server.log().into_iter().map(|s| s.path).filter(|p| p != "/robots.txt").collect()
    }
}

fn failures(report: &RunReport) -> Vec<String> {
    report.sources.iter().filter_map(|s| s.outcome.as_ref().err().map(|e| format!("{}: {e}", s.id))).collect()
}

fn date(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap()
}

// ------------------------------------------------------------------------------------------
// Sitemaps

const NEWS_NS: &str = "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
                       xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\" \
                       xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\"";

fn news_entry(path: &str, title: &str, date: &str) -> String {
    format!(
        "<url><loc>{{server}}{path}</loc><news:news><news:publication><news:name>Báo Thử</news:name>\
         <news:language>vi</news:language></news:publication><news:publication_date>{date}</news:publication_date>\
         <news:title>{title}</news:title></news:news>\
         <image:image><image:loc>{{server}}/anh{path}.jpg</image:loc></image:image></url>\n"
    )
}

/// The Google News sitemap: the two newest articles, listed oldest first (order is the dates' job).
fn news_sitemap(server: &FaultServer, extra: &str) -> String {
    let body = format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset {NEWS_NS}>\n{extra}{}{}</urlset>\n",
        news_entry(
            "/thoi-su/hoi-nghi-trien-khai-nhiem-vu-cuoi-nam-202611250800001.htm",
            "Hội nghị triển khai nhiệm vụ cuối năm",
            "2026-11-25T08:00:00+07:00"
        ),
        // this page has no title or date of its own: the sitemap's fill them
        news_entry(
            "/thoi-su/khoi-cong-cau-vuot-song-day-202611251030002.htm",
            "Khởi công cầu vượt sông Đáy &amp; đường dẫn",
            "2026-11-25T10:30:00+07:00"
        ),
    );
    body.replace("{server}", &server.url(""))
}

/// The monthly sitemap (served gzipped): plain `<lastmod>` dates, one article older than the cut.
fn monthly_sitemap(server: &FaultServer) -> String {
    let entry = |path: &str, lastmod: &str| {
        format!(
            "  <url>\n    <loc>{}{path}</loc>\n    <lastmod>{lastmod}</lastmod>\n  </url>\n",
            server.url("")
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n{}{}{}</urlset>\n",
        entry("/kinh-te/gia-lua-tang-nhe-202611200900003.htm", "2026-11-20T09:00:00+07:00"),
        entry("/kinh-te/xuat-khau-nong-san-dat-ky-luc-202611241400004.htm", "2026-11-24T14:00:00+07:00"),
        entry("/kinh-te/khanh-thanh-nha-may-nuoc-sach-202611231600005.htm", "2026-11-23 16:00"),
    )
}

/// Seven children: news (newest), the gzipped month, four older archives and one without a date.
fn index(server: &FaultServer) -> String {
    let children = [
        ("/sitemaps/2026-07.xml", "2026-07-31T23:00:00+07:00"),
        ("/sitemaps/news.xml", "2026-11-25T10:31:00+07:00"),
        ("/sitemaps/2026-11.xml.gz", "2026-11-24T14:05:00+07:00"),
        ("/sitemaps/2015-01.xml", ""),
        ("/sitemaps/2026-10.xml", "2026-10-31T23:00:00+07:00"),
        ("/sitemaps/2026-09.xml", "2026-09-30T23:00:00+07:00"),
        ("/sitemaps/2026-08.xml", "2026-08-31T23:00:00+07:00"),
    ];
    let children: String = children
        .iter()
        .map(|(path, lastmod)| {
            let lastmod =
                if lastmod.is_empty() { String::new() } else { format!("<lastmod>{lastmod}</lastmod>") };
            format!("<sitemap><loc>{}{path}</loc>{lastmod}</sitemap>\n", server.url(""))
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n{children}</sitemapindex>\n"
    )
}

fn archive(server: &FaultServer, month: &str) -> String {
    format!(
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>{}/luu-tru/bai-cu-{month}-202601010000009.htm</loc>\
         <lastmod>2026-{month}-15</lastmod></url></urlset>",
        server.url("")
    )
}

async fn sitemap_site() -> Site {
    let site = Site::start().await;
    let server = &site.server;
    server.route("/sitemap.xml", validated("index-v1", index(server)));
    server.route("/sitemaps/news.xml", validated("news-v1", news_sitemap(server, "")));
    server.route(
        "/sitemaps/2026-11.xml.gz",
        Reply::typed("application/x-gzip", gzip(&monthly_sitemap(server))),
    );
    for month in ["07", "08", "09", "10"] {
        server.route(
            &format!("/sitemaps/2026-{month}.xml"),
            validated(&format!("m{month}"), archive(server, month)),
        );
    }
    server.route("/sitemaps/2015-01.xml", validated("m2015", archive(server, "01")));
    let pages = [
        (
            "/thoi-su/hoi-nghi-trien-khai-nhiem-vu-cuoi-nam-202611250800001.htm",
            "Hội nghị triển khai nhiệm vụ cuối năm",
            "2026-11-25T08:00:00+07:00",
            true,
        ),
        ("/thoi-su/khoi-cong-cau-vuot-song-day-202611251030002.htm", "", "", false),
        (
            "/kinh-te/gia-lua-tang-nhe-202611200900003.htm",
            "Giá lúa tăng nhẹ",
            "2026-11-20T09:00:00+07:00",
            true,
        ),
        (
            "/kinh-te/xuat-khau-nong-san-dat-ky-luc-202611241400004.htm",
            "Xuất khẩu nông sản đạt kỷ lục",
            "2026-11-24T14:00:00+07:00",
            true,
        ),
        (
            "/kinh-te/khanh-thanh-nha-may-nuoc-sach-202611231600005.htm",
            "Khánh thành nhà máy nước sạch",
            "2026-11-23T16:00:00+07:00",
            true,
        ),
        (
            "/thoi-su/tin-moi-dang-202611251500006.htm",
            "Tin mới đăng chiều nay",
            "2026-11-25T15:00:00+07:00",
            true,
        ),
    ];
    for (path, title, date, full) in pages {
        server.route(path, Reply::html(article(title, date, full)));
    }
    site.write_config(
        "id = \"tin-moi\"\nkind = \"sitemap\"\nurl = \"{server}/sitemap.xml\"\ncategory = \"Tin mới\"\nmax_items = 4\n",
    );
    site
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sitemap_index_gives_the_newest_articles_then_costs_only_304s() {
    let site = sitemap_site().await;
    let report = site.run().await;
    assert_eq!(failures(&report), Vec::<String>::new());

    // newest 4 of the 5 recent articles, by news:publication_date or lastmod; the fifth
    // (20/11) and the archives' old ones are not fetched
    assert_eq!(
        site.titles("tin-moi"),
        [
            "Khởi công cầu vượt sông Đáy & đường dẫn",
            "Hội nghị triển khai nhiệm vụ cuối năm",
            "Xuất khẩu nông sản đạt kỷ lục",
            "Khánh thành nhà máy nước sạch",
        ]
    );
    site.check_rules("tin-moi");
    site.check_rules("all");
    // the page without title, date or picture took the sitemap's, dated to the minute in +07:00
    let feed = site.feed("tin-moi.atom");
    let bare = &feed.entries[0];
    assert_eq!(bare.published.unwrap(), date("2026-11-25T10:30:00+07:00"));
    let raw = String::from_utf8(site.feed_bytes("tin-moi.rss")).unwrap();
    assert!(raw.contains("<pubDate>Wed, 25 Nov 2026 10:30:00 +0700</pubDate>"), "{raw}");
    assert!(
        raw.contains(&site.server.url("/anh/thoi-su/khoi-cong-cau-vuot-song-day-202611251030002.htm.jpg")),
        "the sitemap's picture: {raw}"
    );
    // zone-less lastmod "2026-11-23 16:00" is Vietnam time
    let nuoc_sach = feed.entries.iter().find(|e| e.id.contains("nuoc-sach")).unwrap();
    assert_eq!(nuoc_sach.published.unwrap(), date("2026-11-23T16:00:00+07:00"));

    let asked = site.asked();
    for child in
        ["/sitemaps/news.xml", "/sitemaps/2026-11.xml.gz", "/sitemaps/2026-10.xml", "/sitemaps/2026-09.xml"]
    {
        assert!(asked.contains(&child.to_string()), "{child} read: {asked:?}");
    }
    // five children at most, the newest: the oldest archive and the undated one are left alone
    for child in
        ["/sitemaps/2026-07.xml", "/sitemaps/2015-01.xml", "/kinh-te/gia-lua-tang-nhe-202611200900003.htm"]
    {
        assert!(!asked.contains(&child.to_string()), "{child} not read: {asked:?}");
    }
    assert!(
        !asked.iter().any(|p| p.starts_with("/luu-tru/")),
        "archived articles are not fetched: {asked:?}"
    );

    // run 2, nothing changed: the index and the remembered children answer 304, no article is asked
    let feed_before = site.feed_bytes("tin-moi.rss");
    let report = site.run().await;
    assert_eq!(failures(&report), Vec::<String>::new());
    let asked = site.asked();
    assert!(asked.iter().all(|p| p.starts_with("/sitemap")), "only sitemaps asked: {asked:?}");
    assert_eq!(asked.first().map(String::as_str), Some("/sitemap.xml"));
    for seen in site.server.log().iter().filter(|s| s.path != "/robots.txt" && !s.path.ends_with(".gz")) {
        assert!(seen.headers.contains_key("if-none-match"), "{} asked conditionally", seen.path);
    }
    assert_eq!(site.feed_bytes("tin-moi.rss"), feed_before, "the feed is unchanged");

    // run 3: the news sitemap gains an article while the index stays the same (a static index
    // over a live news.xml): the remembered child is asked and the new article found
    let fresh = news_entry(
        "/thoi-su/tin-moi-dang-202611251500006.htm",
        "Tin mới đăng chiều nay",
        "2026-11-25T15:00:00+07:00",
    );
    let server = &site.server;
    server.route(
        "/sitemaps/news.xml",
        validated("news-v2", news_sitemap(server, &fresh.replace("{server}", &server.url("")))),
    );
    let report = site.run().await;
    assert_eq!(failures(&report), Vec::<String>::new());
    assert_eq!(site.titles("tin-moi")[0], "Tin mới đăng chiều nay");
    let articles: Vec<String> = site.asked().into_iter().filter(|p| p.ends_with(".htm")).collect();
    assert_eq!(articles, ["/thoi-su/tin-moi-dang-202611251500006.htm"], "only the new article is fetched");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_sitemap_fails_its_source_and_keeps_its_items() {
    let site = sitemap_site().await;
    site.write_config(
        "id = \"tin-moi\"\nkind = \"sitemap\"\nurl = \"{server}/sitemaps/news.xml\"\ncategory = \"Tin mới\"\n",
    );
    let report = site.run().await;
    assert_eq!(failures(&report), Vec::<String>::new());
    assert_eq!(site.titles("tin-moi").len(), 2);
    let kept = site.feed_bytes("tin-moi.rss");

    // a plain sitemap unchanged: one request, a 304, nothing else
    site.run().await;
    assert_eq!(site.asked(), ["/sitemaps/news.xml"]);

    // the server now answers its error page with a 200
    let error_page = "<!DOCTYPE html><html><head><title>Lỗi hệ thống</title></head><body>Hệ thống đang bảo trì</body></html>";
    site.server.route("/sitemaps/news.xml", validated("news-broken", error_page));
    let report = site.run().await;
    let error = report.sources[0].outcome.as_ref().expect_err("the source fails");
    assert_eq!(error.class(), "sitemap");
    assert_eq!(
        error.to_string(),
        format!(
            "`{}` is not a readable sitemap: its root element is `<html>`, not `<urlset>` or `<sitemapindex>`",
            site.server.url("/sitemaps/news.xml")
        )
    );
    assert_eq!(site.feed_bytes("tin-moi.rss"), kept, "its items stay published");

    // cut short mid-document: the same
    let cut = news_sitemap(&site.server, "").into_bytes();
    site.server.route("/sitemaps/news.xml", validated("news-cut", &cut[..cut.len() - 40]));
    let report = site.run().await;
    let error = report.sources[0].outcome.as_ref().expect_err("the source fails");
    assert_eq!(error.class(), "sitemap");
    assert!(
        error.to_string().ends_with(
            "not well-formed XML at line 4: syntax error: tag not closed: `>` not found before end of input"
        ),
        "{error}"
    );
    assert_eq!(site.feed_bytes("tin-moi.rss"), kept);
}

// ------------------------------------------------------------------------------------------
// Listing pagination

fn listing(ids: &[u32], next: Option<&str>) -> String {
    let items: String = ids
        .iter()
        .map(|id| format!("<article class=\"story\"><h3><a href=\"/xa-hoi/tin-so-{id}-2026112{}0{id:04}.htm\">Tin {id}</a></h3></article>\n", id % 6))
        .collect();
    let next =
        next.map_or(String::new(), |href| format!("<a class=\"next\" href=\"{href}\">Trang sau ›</a>"));
    format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Xã hội</title></head><body>\
         <div class=\"list\">{items}</div><div class=\"pagination\">{next}</div></body></html>"
    )
}

fn article_path(id: u32) -> String {
    format!("/xa-hoi/tin-so-{id}-2026112{}0{id:04}.htm", id % 6)
}

/// Newest first: article 12 is newest; pages hold 4 links each, 12…9, 8…5, 4…1.
fn numbered_article(id: u32) -> String {
    let title = format!("Bản tin xã hội số {id}: Hà Nam hỗ trợ hộ nghèo đón Tết");
    let date = format!("2026-11-{:02}T{:02}:00:00+07:00", 10 + id, 7 + id % 5);
    article(&title, &date, true)
}

/// The three listing pages at `/xa-hoi/`, `/xa-hoi/trang-2.htm`, `/xa-hoi/trang-3.htm`, linked by
/// `a.next`; page 3 links a page 4 that `max_pages = 3` never reaches.
async fn listing_site() -> Site {
    let site = Site::start().await;
    let server = &site.server;
    server.route("/xa-hoi/", validated("p1-v1", listing(&[12, 11, 10, 9], Some("/xa-hoi/trang-2.htm"))));
    server.route("/xa-hoi/trang-2.htm", Reply::html(listing(&[8, 7, 6, 5], Some("/xa-hoi/trang-3.htm"))));
    server.route("/xa-hoi/trang-3.htm", Reply::html(listing(&[4, 3, 2, 1], Some("/xa-hoi/trang-4.htm"))));
    server.route("/xa-hoi/trang-4.htm", Reply::html(listing(&[100], None)));
    for id in (1..=13).chain([100]) {
        server.route(&article_path(id), Reply::html(numbered_article(id)));
    }
    site
}

const BY_NEXT: &str = "id = \"xa-hoi\"\nkind = \"html\"\nurl = \"{server}/xa-hoi/\"\ncategory = \"Xã hội\"\n\
                       [sources.selectors]\nitem = \"div.list h3 a\"\nnext = \"div.pagination a.next\"\n";
const BY_TEMPLATE: &str = "id = \"xa-hoi\"\nkind = \"html\"\nurl = \"{server}/xa-hoi/\"\ncategory = \"Xã hội\"\n\
                           page_url = \"{server}/xa-hoi/trang-{page}.htm\"\n\
                           [sources.selectors]\nitem = \"div.list h3 a\"\n";

async fn walk_three_pages_then_catch_up(source: &str) {
    let site = listing_site().await;
    site.write_config(source);
    let report = site.run().await;
    assert_eq!(failures(&report), Vec::<String>::new());
    let listings: Vec<String> = site.asked().into_iter().filter(|p| !p.contains("tin-so-")).collect();
    assert_eq!(listings, ["/xa-hoi/", "/xa-hoi/trang-2.htm", "/xa-hoi/trang-3.htm"], "three pages, not four");
    let titles = site.titles("xa-hoi");
    assert_eq!(titles.len(), 12, "{titles:?}");
    assert_eq!(titles[0], "Bản tin xã hội số 12: Hà Nam hỗ trợ hộ nghèo đón Tết");
    assert_eq!(titles[11], "Bản tin xã hội số 1: Hà Nam hỗ trợ hộ nghèo đón Tết");
    site.check_rules("xa-hoi");

    // unchanged: page 1 answers 304 and nothing else is asked
    site.run().await;
    assert_eq!(site.asked(), ["/xa-hoi/"]);

    // one new article pushes the others down: page 1 changed, but it holds known articles, so
    // we have caught up and page 2 is not read
    let server = &site.server;
    server.route("/xa-hoi/", validated("p1-v2", listing(&[13, 12, 11, 10], Some("/xa-hoi/trang-2.htm"))));
    server.route("/xa-hoi/trang-2.htm", Reply::html(listing(&[9, 8, 7, 6], Some("/xa-hoi/trang-3.htm"))));
    let report = site.run().await;
    assert_eq!(failures(&report), Vec::<String>::new());
    assert_eq!(site.asked(), ["/xa-hoi/".to_string(), article_path(13)]);
    assert_eq!(site.titles("xa-hoi")[0], "Bản tin xã hội số 13: Hà Nam hỗ trợ hộ nghèo đón Tết");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_is_paged_by_its_next_link_until_caught_up() {
    walk_three_pages_then_catch_up(BY_NEXT).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_is_paged_by_its_url_template_until_caught_up() {
    walk_three_pages_then_catch_up(BY_TEMPLATE).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_stops_at_max_items_at_a_page_without_news_and_at_a_dead_page() {
    // enough links after page 2: page 3 is not read
    let site = listing_site().await;
    site.write_config(&BY_NEXT.replace("[sources.selectors]", "max_items = 6\n[sources.selectors]"));
    let report = site.run().await;
    assert_eq!(failures(&report), Vec::<String>::new());
    let listings: Vec<String> = site.asked().into_iter().filter(|p| !p.contains("tin-so-")).collect();
    assert_eq!(listings, ["/xa-hoi/", "/xa-hoi/trang-2.htm"]);
    assert_eq!(site.titles("xa-hoi").len(), 6);

    // a site that serves page 1 again past its end (page 2 adds nothing): the walk stops there
    let site = listing_site().await;
    site.server
        .route("/xa-hoi/trang-2.htm", Reply::html(listing(&[12, 11, 10, 9], Some("/xa-hoi/trang-3.htm"))));
    site.write_config(BY_TEMPLATE);
    site.run().await;
    let listings: Vec<String> = site.asked().into_iter().filter(|p| !p.contains("tin-so-")).collect();
    assert_eq!(listings, ["/xa-hoi/", "/xa-hoi/trang-2.htm"]);
    assert_eq!(site.titles("xa-hoi").len(), 4);

    // page 2 failing ends the walk, not the source
    let site = listing_site().await;
    site.server.route("/xa-hoi/trang-2.htm", Reply::status(500));
    site.write_config(BY_TEMPLATE);
    let report = site.run().await;
    assert_eq!(failures(&report), Vec::<String>::new());
    assert_eq!(site.titles("xa-hoi").len(), 4);
}
