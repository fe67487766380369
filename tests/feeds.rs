//! `kind = "feed"` end to end: fixture feeds with the quirks of Vietnamese papers' RSS
//! (tests/fixtures/feeds/) served over loopback, crawled, republished, and the republished feeds
//! parsed back with feed-rs: dates to the minute in +07:00, clean Vietnamese titles and summaries,
//! images, stable GUIDs, and the DESIGN.md §3 rules.

mod support;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use support::faults::{FaultServer, Reply};
use support::{FixtureServer, copy_tree, rules};
use tinfeed::config::Config;
use tinfeed::pipeline::{self, RunReport, SourceCounts};

const BASE: &str = "http://127.0.0.1:8080/";

/// The fixture feeds (and the demo site, for `fetch_article`) in a temp dir served over HTTP.
struct Bench {
    dir: tempfile::TempDir,
    server: FixtureServer,
}

impl Bench {
    async fn start() -> Bench {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_tree(&repo.join("tests/fixtures/feeds"), &dir.path().join("www/feeds"));
        copy_tree(&repo.join("config/demo/site"), &dir.path().join("www/site"));
        let server = FixtureServer::start(&dir.path().join("www")).await;
        Bench { dir, server }
    }

    /// A config of `sources`, where `{url:…}` stands for the server's URL of a path.
    fn write_config(&self, sources: &str) {
        let mut text = String::from(
            "[site]\ntitle = \"Tin Tổng Hợp\"\nfeeds_dir = \"feeds\"\ndata_dir = \"data\"\nretries = 0\n",
        );
        let mut rest = sources;
        while let Some(start) = rest.find("{url:") {
            let end = start + rest[start..].find('}').unwrap();
            text.push_str(&rest[..start]);
            text.push_str(&self.server.url(&rest[start + 5..end]));
            rest = &rest[end + 1..];
        }
        text.push_str(rest);
        std::fs::write(self.dir.path().join("tinfeed.toml"), text).unwrap();
    }

    fn config(&self) -> Config {
        Config::load(&self.dir.path().join("tinfeed.toml")).unwrap_or_else(|e| panic!("{e}"))
    }

    async fn run(&self) -> RunReport {
        pipeline::run_once(&self.config()).await.expect("run")
    }

    fn bytes(&self, file: &str) -> Vec<u8> {
        std::fs::read(self.dir.path().join("feeds").join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    /// The feed file parsed back, after the §3 rules were checked on its bytes.
    fn feed(&self, file: &str) -> feed_rs::model::Feed {
        let bytes = self.bytes(file);
        let self_url = format!("{BASE}{file}");
        if file.ends_with(".rss") {
            rules::check_rss(&bytes, &self_url);
        } else {
            rules::check_atom(&bytes, &self_url);
        }
        feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    fn fixture(&self, name: &str) -> PathBuf {
        self.dir.path().join("www/feeds").join(name)
    }
}

fn counts<'a>(report: &'a RunReport, id: &str) -> &'a SourceCounts {
    let source = report.sources.iter().find(|s| s.id == id).unwrap();
    source.outcome.as_ref().unwrap_or_else(|e| panic!("{id}: {e}"))
}

fn failures(report: &RunReport) -> Vec<String> {
    report.sources.iter().filter_map(|s| s.outcome.as_ref().err().map(|e| format!("{}: {e}", s.id))).collect()
}

fn title(entry: &feed_rs::model::Entry) -> &str {
    &entry.title.as_ref().unwrap().content
}

fn summary(entry: &feed_rs::model::Entry) -> &str {
    &entry.summary.as_ref().unwrap().content
}

/// The `pubDate` of the RSS item whose block holds `needle`, in RFC 3339 to the minute with the
/// offset as published (feed-rs turns dates into UTC, so the bytes are read instead).
fn minute(raw: &str, needle: &str) -> String {
    let block = raw.split("<item>").find(|b| b.contains(needle)).unwrap_or_else(|| panic!("{needle}"));
    let pub_date = block.split("<pubDate>").nth(1).unwrap().split("</pubDate>").next().unwrap();
    let parsed: DateTime<FixedOffset> = DateTime::parse_from_rfc2822(pub_date).unwrap();
    parsed.format("%Y-%m-%dT%H:%M%:z").to_string()
}

const QUIRKS: &str = r#"
[[sources]]
id = "tuoi-tre"
kind = "feed"
url = "{url:feeds/tuoi-tre.rss}"
category = "Thời sự"

[[sources]]
id = "thanh-nien"
kind = "feed"
url = "{url:feeds/thanh-nien.rss}"
category = "Văn hóa"

[[sources]]
id = "dan-tri"
kind = "feed"
url = "{url:feeds/dan-tri.rss}"
category = "Giáo dục"

[[sources]]
id = "vnexpress"
kind = "feed"
url = "{url:feeds/vnexpress.rss}"
category = "Thế giới"

[[sources]]
id = "nhan-dan"
kind = "feed"
urls = ["{url:feeds/nhan-dan.atom}"]
category = "Kinh tế"

[[sources]]
id = "bao-cu"
kind = "feed"
url = "{url:feeds/bao-cu.atom}"
category = "Tin nhanh"

[[sources]]
id = "vietnamplus"
kind = "feed"
url = "{url:feeds/vietnamplus.json}"
category = "Công nghệ"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_quirk_of_vietnamese_rss_is_republished_valid_with_vietnam_dates() {
    let bench = Bench::start().await;
    bench.write_config(QUIRKS);
    let report = bench.run().await;
    assert_eq!(failures(&report), Vec::<String>::new());

    // Tuổi Trẻ: "M/D/YYYY h:mm:ss AM" with no zone, read in +07:00; newest first whatever the
    // feed's order
    let feed = bench.feed("thoi-su.rss");
    let raw = String::from_utf8(bench.bytes("thoi-su.rss")).unwrap();
    let got: Vec<(&str, String)> =
        feed.entries.iter().map(|e| (title(e), minute(&raw, &e.links[0].href))).collect();
    assert_eq!(
        got,
        [
            ("Khởi công cầu Tứ Liên bắc qua sông Hồng", "2026-11-25T15:05+07:00".to_string()),
            ("Miền Bắc đón đợt không khí lạnh mạnh", "2026-11-03T12:02+07:00".to_string()),
            ("Giá xăng giảm từ 15h chiều nay", "2026-10-02T09:25+07:00".to_string()),
        ]
    );
    assert!(raw.contains("<pubDate>Fri, 02 Oct 2026 09:25:00 +0700</pubDate>"), "{raw}");
    let gas = &feed.entries[2];
    assert_eq!(gas.id, "https://tuoitre.example/gia-xang-giam-tu-15h-chieu-nay-20261002092500123.htm");
    assert!(summary(gas).starts_with("Từ 15h chiều nay (2-10), giá xăng RON95-III giảm 300 đồng/lít"));
    assert!(
        raw.contains("https://cdn.tuoitre.example/thumb_w/640/2026/10/2/xang-dau.jpg"),
        "description image"
    );

    // Thanh Niên: entities inside CDATA decoded, two-digit years, an opaque GUID as the key
    let feed = bench.feed("van-hoa.atom");
    let first = &feed.entries[0];
    assert_eq!(title(first), "Trà Vinh: \"Đêm hội Ok Om Bok\" thu hút 10.000 người");
    assert_eq!(
        summary(first),
        "Tối 24.11, lễ hội Ok Om Bok của đồng bào Khmer đã có hơn 10.000 người tham dự, 'đông nhất từ trước \
         đến nay'."
    );
    assert_eq!(first.published.unwrap(), DateTime::parse_from_rfc3339("2026-11-24T14:15:00+07:00").unwrap());
    let atom = String::from_utf8(bench.bytes("van-hoa.atom")).unwrap();
    assert!(atom.contains("<published>2026-11-24T14:15:00+07:00</published>"), "{atom}");
    assert!(atom.contains("<published>2026-11-21T20:05:00+07:00</published>"), "{atom}");
    let rss = String::from_utf8(bench.bytes("van-hoa.rss")).unwrap();
    assert!(rss.contains("<guid isPermaLink=\"false\">thanhnien.example:185261124141500</guid>"), "{rss}");
    assert!(rss.contains("https://images.thanhnien.example/2026/11/24/ok-om-bok.jpg"), "{rss}");
    // a relative image resolves against the item's link
    assert!(rss.contains("https://thanhnien.example/2026/11/21/album.jpg"), "{rss}");

    // Dân trí: broken HTML in the description (and raw HTML outside CDATA), image from it,
    // the "(Dân trí) - " lead tag dropped, dc:creator, a GMT date shown in +07:00
    let feed = bench.feed("giao-duc.rss");
    let raw = String::from_utf8(bench.bytes("giao-duc.rss")).unwrap();
    let scholarship = &feed.entries[0];
    assert_eq!(title(scholarship), "Trao 500 suất học bổng cho học sinh nghèo vượt khó");
    assert!(
        summary(scholarship).starts_with("Sáng 23/11, Quỹ Khuyến học tỉnh trao 500 suất học bổng"),
        "{}",
        summary(scholarship)
    );
    assert_eq!(scholarship.authors[0].name.as_deref(), Some("Hoàng Lê"));
    assert!(raw.contains("https://cdnphoto.dantri.example/2026/11/23/hoc-bong.jpg"), "{raw}");
    let cold = &feed.entries[1];
    assert_eq!(summary(cold), "Học sinh mầm non và tiểu học được nghỉ khi nhiệt độ dưới 10 độ C");
    assert!(raw.contains("<pubDate>Mon, 23 Nov 2026 08:10:00 +0700</pubDate>"), "{raw}");
    assert!(raw.contains("https://dantri.example/2026/11/23/ret-dam.jpg"), "{raw}");

    // VnExpress: a raw `&` in the enclosure URL and control characters; HTML entities outside CDATA
    let feed = bench.feed("the-gioi.rss");
    let raw = String::from_utf8(bench.bytes("the-gioi.rss")).unwrap();
    let apec = &feed.entries[0];
    assert_eq!(title(apec), "Hội nghị APEC 2026 bế mạc tại Thâm Quyến");
    assert_eq!(
        summary(apec),
        "Lãnh đạo 21 nền kinh tế thông qua tuyên bố chung về thương mại và chuyển đổi số."
    );
    assert!(
        raw.contains("https://i1-vnexpress.vnecdn.example/2026/11/22/apec.jpg?w=1200&amp;h=0&amp;q=100&amp;dpr=1&amp;fit=crop&amp;s=Xk2"),
        "the enclosure is the image: {raw}"
    );
    let storm = &feed.entries[1];
    assert_eq!(title(storm), "Bão Fung-wong đổ bộ Philippines – hàng nghìn người sơ tán");
    assert_eq!(summary(storm), "Bão mạnh cấp 14 đổ bộ đảo Luzon, hơn 5.000 người phải sơ tán…");
    assert_eq!(storm.links[0].href, "https://vnexpress.example/bao-fung-wong-do-bo-philippines-4845901.html");
    assert!(
        raw.contains("<guid>https://vnexpress.example/bao-fung-wong-do-bo-philippines-4845901.html</guid>")
    );

    // Atom 1.0: tag: ids kept as ids, a UTC date shown in +07:00, an entry with only `updated`
    let feed = bench.feed("kinh-te.atom");
    assert_eq!(title(&feed.entries[0]), "Xuất khẩu gạo đạt 8 triệu tấn cao nhất từ trước đến nay");
    assert_eq!(feed.entries[0].id, "tag:nhandan.example,2026:post-920145");
    let atom = String::from_utf8(bench.bytes("kinh-te.atom")).unwrap();
    assert!(atom.contains("<published>2026-11-24T10:00:00+07:00</published>"), "{atom}");
    assert!(atom.contains("<published>2026-11-20T16:45:00+07:00</published>"), "{atom}");
    assert!(atom.contains("Philippines vẫn là thị trường lớn nhất."), "content kept: {atom}");

    // Atom 0.3
    let feed = bench.feed("tin-nhanh.rss");
    assert_eq!(title(&feed.entries[0]), "Khánh thành nhà văn hóa thôn Đồng Lạc");
    assert_eq!(summary(&feed.entries[0]), "Nhà văn hóa rộng 300 m², kinh phí 1,2 tỷ đồng.");
    let raw = String::from_utf8(bench.bytes("tin-nhanh.rss")).unwrap();
    assert!(raw.contains("<pubDate>Thu, 19 Nov 2026 08:30:00 +0700</pubDate>"), "{raw}");

    // JSON Feed: the item image, opaque ids, text content
    let feed = bench.feed("cong-nghe.rss");
    let raw = String::from_utf8(bench.bytes("cong-nghe.rss")).unwrap();
    assert_eq!(title(&feed.entries[0]), "Mạng 5G phủ sóng 63 tỉnh, thành phố");
    assert!(raw.contains("<pubDate>Mon, 23 Nov 2026 09:15:00 +0700</pubDate>"), "{raw}");
    assert!(raw.contains("https://vietnamplus.example/anh/2026/11/5g.jpg"), "{raw}");
    assert!(raw.contains("<guid isPermaLink=\"false\">vietnamplus.example:vnp-1001</guid>"), "{raw}");
    assert_eq!(
        summary(&feed.entries[1]),
        "Trợ lý ảo trả lời câu hỏi về thời tiết, giá nông sản và kỹ thuật canh tác. Ứng dụng miễn phí."
    );

    // every item once in `all`, every feed valid
    let all = bench.feed("all.rss");
    assert_eq!(all.entries.len(), 3 + 2 + 2 + 2 + 2 + 1 + 2);
    bench.feed("all.atom");
    for slug in ["thoi-su", "van-hoa", "giao-duc", "the-gioi", "kinh-te", "tin-nhanh", "cong-nghe"] {
        bench.feed(&format!("{slug}.rss"));
        bench.feed(&format!("{slug}.atom"));
    }

    // a second run adds nothing and rewrites nothing
    let report = bench.run().await;
    for source in &report.sources {
        let counts = counts(&report, &source.id);
        assert_eq!((counts.stored.new, counts.stored.updated), (0, 0), "{}", source.id);
    }
    assert!(report.feeds.iter().all(|f| !f.written), "{:?}", report.feeds);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn date_order_and_max_items_are_per_source() {
    let bench = Bench::start().await;
    bench.write_config(
        "[[sources]]\nid = \"tuoi-tre\"\nkind = \"feed\"\nurl = \"{url:feeds/tuoi-tre.rss}\"\ncategory = \"Thời sự\"\n\
         date_order = \"dmy\"\nmax_items = 2\n",
    );
    bench.run().await;
    let raw = String::from_utf8(bench.bytes("thoi-su.rss")).unwrap();
    let feed = bench.feed("thoi-su.rss");
    // day first: "10/2/2026" is 10 February, "11/3/2026" 11 March; "11/25/2026" can only be
    // month first; the two newest are kept
    assert_eq!(
        feed.entries.iter().map(title).collect::<Vec<_>>(),
        ["Khởi công cầu Tứ Liên bắc qua sông Hồng", "Miền Bắc đón đợt không khí lạnh mạnh"]
    );
    assert!(raw.contains("<pubDate>Wed, 25 Nov 2026 15:05:09 +0700</pubDate>"), "{raw}");
    assert!(raw.contains("<pubDate>Wed, 11 Mar 2026 12:02:00 +0700</pubDate>"), "{raw}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stable_guid_keeps_an_item_whose_link_changes() {
    let bench = Bench::start().await;
    bench.write_config(QUIRKS);
    bench.run().await;
    let path = bench.fixture("thanh-nien.rss");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text
        .replace(
            "tra-vinh-dem-hoi-ok-om-bok-185261124141500.htm",
            "dem-hoi-ok-om-bok-tra-vinh-185261124141500.htm",
        )
        .replace("thu h&uacute;t 10.000 người", "thu hút hơn 10.000 người");
    assert_ne!(text, edited);
    std::fs::write(&path, edited).unwrap();

    let report = bench.run().await;
    let thanh_nien = counts(&report, "thanh-nien");
    assert_eq!((thanh_nien.stored.new, thanh_nien.stored.updated), (0, 1));
    let feed = bench.feed("van-hoa.rss");
    assert_eq!(feed.entries.len(), 2, "no duplicate");
    assert_eq!(title(&feed.entries[0]), "Trà Vinh: \"Đêm hội Ok Om Bok\" thu hút hơn 10.000 người");
    assert_eq!(
        feed.entries[0].links[0].href,
        "https://thanhnien.example/dem-hoi-ok-om-bok-tra-vinh-185261124141500.htm"
    );
    assert_eq!(feed.entries[0].id, "thanhnien.example:185261124141500");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_feed_or_a_web_page_fails_the_source_and_keeps_its_items() {
    let bench = Bench::start().await;
    bench.write_config(QUIRKS);
    bench.run().await;
    let before = bench.bytes("the-gioi.rss");

    // truncated mid-document: no repair makes a feed of it
    let path = bench.fixture("vnexpress.rss");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.find("<item>").unwrap() + 20]).unwrap();
    let report = bench.run().await;
    let failure = failures(&report).join("\n");
    let url = bench.server.url("feeds/vnexpress.rss");
    assert!(
        failure.starts_with(&format!("vnexpress: cannot read the feed `{url}`: not a readable")),
        "{failure}"
    );
    let source = report.sources.iter().find(|s| s.id == "vnexpress").unwrap();
    assert_eq!(source.outcome.as_ref().unwrap_err().class(), "feed");
    assert_eq!(bench.bytes("the-gioi.rss"), before, "last good items stay published");
    assert_eq!(failures(&report).len(), 1, "the other sources went on");

    // a web page where the feed should be: said so, with the feed the page announces
    bench.write_config(&QUIRKS.replace("feeds/vnexpress.rss", "feeds/not-a-feed.html"));
    let report = bench.run().await;
    let failure = failures(&report).join("\n");
    assert!(
        failure.contains("the page is HTML, not an RSS, Atom or JSON feed (it links to the feed `")
            && failure.contains("/rss/tin-moi.rss`)"),
        "{failure}"
    );
    assert_eq!(bench.bytes("the-gioi.rss"), before);
    let store = tinfeed::store::Store::open(&bench.config().site.data_dir).unwrap();
    assert_eq!(store.source_status("vnexpress").unwrap().unwrap().consecutive_failures, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_article_reads_each_new_entry_page_once() {
    let bench = Bench::start().await;
    bench.write_config(
        r#"[[sources]]
id = "bao-ha-nam"
kind = "feed"
url = "{url:feeds/bao-ha-nam.rss}"
category = "Kinh tế"
fetch_article = true

[sources.selectors]
title = "h1.title-detail"
summary = "div.sapo"
content = "div.detail-content"
date = "div.date"
remove = "div.box-related, div.box-share, script"
"#,
    );
    let report = bench.run().await;
    let counts = counts(&report, "bao-ha-nam");
    assert_eq!((counts.found, counts.failed_articles), (3, 1), "the third page does not exist");
    let feed = bench.feed("kinh-te.rss");
    let raw = String::from_utf8(bench.bytes("kinh-te.rss")).unwrap();
    let titles: Vec<&str> = feed.entries.iter().map(title).collect();
    assert_eq!(
        titles,
        [
            // the page's own title, full content and date
            "Bình Lục gieo trồng hơn 2.500 ha cây vụ đông",
            "Thông xe kỹ thuật đường vành đai phía Tây Phủ Lý",
            // the page is missing: the feed's fields
            "Hợp tác xã Nhân Hòa mở rộng vùng trồng rau sạch",
        ]
    );
    let binh_luc = &feed.entries[0];
    assert_eq!(
        binh_luc.published.unwrap(),
        DateTime::parse_from_rfc3339("2026-11-25T10:05:00+07:00").unwrap()
    );
    assert!(summary(binh_luc).starts_with("Tận dụng thời tiết thuận lợi, nông dân các xã vùng Bình Lục"));
    let content = binh_luc.content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
    assert!(content.contains("Những ngày này, trên cánh đồng"), "{content}");
    assert!(raw.contains("<guid isPermaLink=\"false\">127.0.0.1:bhn-122933</guid>"), "{raw}");
    let fallback = &feed.entries[2];
    assert_eq!(summary(fallback), "Hợp tác xã Nhân Hòa mở rộng vùng trồng rau sạch lên 50 ha.");
    assert!(raw.contains("<pubDate>Wed, 18 Nov 2026 07:15:00 +0700</pubDate>"), "{raw}");
    assert!(raw.contains(&bench.server.url("site/images/2026/11/19/chuoi-tieu-hong.png")), "{raw}");

    // next run: the pages read before are not fetched again; the missing one is tried again
    let before = bench.server.requests().len();
    let report = bench.run().await;
    let requests = bench.server.requests()[before..].to_vec();
    assert_eq!(
        requests,
        [
            "/feeds/bao-ha-nam.rss",
            "/site/kinh-te/nong-nghiep/hop-tac-xa-nhan-hoa-mo-rong-vung-rau-sach-122700.html"
        ],
    );
    let counts = self::counts(&report, "bao-ha-nam");
    assert_eq!((counts.stored.new, counts.stored.updated), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unchanged_feed_is_a_304_and_costs_nothing() {
    let server = FaultServer::start().await;
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let body = std::fs::read(repo.join("tests/fixtures/feeds/dan-tri.rss")).unwrap();
    server.route("/rss/giao-duc.rss", Reply::Validated { etag: "\"dt-1\"".into(), body });
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("tinfeed.toml");
    std::fs::write(
        &config,
        format!(
            "[site]\ntitle = \"Tin\"\nfeeds_dir = \"feeds\"\ndata_dir = \"data\"\n[[sources]]\nid = \"dan-tri\"\n\
             kind = \"feed\"\nurl = \"{}\"\ncategory = \"Giáo dục\"\n",
            server.url("/rss/giao-duc.rss")
        ),
    )
    .unwrap();
    let config = Config::load(&config).unwrap();
    let report = pipeline::run_once(&config).await.unwrap();
    assert_eq!(counts(&report, "dan-tri").stored.new, 2);
    server.clear_log();

    let report = pipeline::run_once(&config).await.unwrap();
    assert!(!report.any_failed());
    let asked: Vec<_> = server.log().into_iter().filter(|s| s.path == "/rss/giao-duc.rss").collect();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].headers.get("if-none-match").map(String::as_str), Some("\"dt-1\""));
    assert_eq!(counts(&report, "dan-tri").found, 0, "a 304 reads nothing");
    let feed =
        feed_rs::parser::parse(&std::fs::read(dir.path().join("feeds/giao-duc.rss")).unwrap()[..]).unwrap();
    assert_eq!(feed.entries.len(), 2, "the stored items stay");
}
