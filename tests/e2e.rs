//! End to end: the demo site served over loopback HTTP, crawled by the library, feeds parsed
//! back with feed-rs and checked item by item against config/demo/EXPECTED.md.

mod support;

use chrono::{DateTime, FixedOffset};
use support::demo::Demo;
use support::rules;
use tinfeed::pipeline::RunReport;

fn date(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap()
}

fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries.iter().map(|e| e.title.as_ref().unwrap().content.clone()).collect()
}

fn failures(report: &RunReport) -> Vec<String> {
    report.sources.iter().filter_map(|s| s.outcome.as_ref().err().map(|e| format!("{}: {e}", s.id))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_site_gives_valid_feeds_item_by_item() {
    let demo = Demo::start().await;
    let report = demo.run().await;
    assert_eq!(failures(&report), Vec::<String>::new());

    let base = "http://127.0.0.1:8080/";
    for slug in ["chinh-tri", "kinh-te", "van-hoa-xa-hoi", "doi-song", "thoi-su", "trong-nuoc", "all"] {
        rules::check_rss(&demo.feed_bytes(&format!("{slug}.rss")), &format!("{base}{slug}.rss"));
        rules::check_atom(&demo.feed_bytes(&format!("{slug}.atom")), &format!("{base}{slug}.atom"));
    }

    // Chính trị, read with selectors: titles without the site suffix, newest first
    let rss = demo.feed("chinh-tri.rss");
    assert_eq!(rss.title.as_ref().unwrap().content, "Báo Hà Nam – Chính trị");
    assert_eq!(
        titles(&rss),
        [
            "Khai mạc Kỳ họp thứ ba HĐND tỉnh khóa XX",
            "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12",
            "Diễn tập khu vực phòng thủ xã Thanh Liêm năm 2026",
            "Chủ tịch UBND tỉnh tiếp công dân định kỳ tháng 11",
        ]
    );
    let first = &rss.entries[0];
    let link = demo.server.url("chinh-tri/chinh-quyen/khai-mac-ky-hop-thu-ba-hdnd-tinh-khoa-xx-122943.html");
    assert_eq!(first.links[0].href, link);
    assert_eq!(first.id, link, "the GUID is the canonical URL");
    assert_eq!(first.published.unwrap(), date("2026-11-25T11:40:00+07:00"));
    let summary = &first.summary.as_ref().unwrap().content;
    assert!(summary.starts_with("Sáng 25/11, HĐND tỉnh khóa XX khai mạc Kỳ họp thứ ba"), "{summary}");
    assert_eq!(first.categories[0].term, "Chính trị");
    assert_eq!(first.authors[0].name.as_deref(), Some("Hoàng Anh"));
    let raw = String::from_utf8(demo.feed_bytes("chinh-tri.rss")).unwrap();
    assert!(raw.contains("<pubDate>Wed, 25 Nov 2026 11:40:00 +0700</pubDate>"), "pubDate in +07:00");

    // the visible date "08:30 20/11/2026" (no metadata on that page) is read in Vietnam time
    let ct4 = rss.entries.iter().find(|e| e.id.ends_with("-122826.html")).unwrap();
    assert_eq!(ct4.published.unwrap(), date("2026-11-20T08:30:00+07:00"));
    // the lazy image's real URL, absolute
    let ct3 = rss.entries.iter().find(|e| e.id.ends_with("-122870.html")).unwrap();
    let content = ct3.content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
    assert!(content.contains(&demo.server.url("images/2026/11/22/dien-tap-thanh-liem.png")), "{content}");

    // Đời sống, read with no selectors at all: JSON-LD, og: tags and article-looking links
    let doi_song = demo.feed("doi-song.atom");
    assert_eq!(
        titles(&doi_song),
        [
            "Bàn giao 50 nhà Đại đoàn kết cho hộ khó khăn",
            "Phòng bệnh hô hấp cho người cao tuổi khi trời chuyển lạnh",
            "Phân loại rác tại nguồn: chuyện nhỏ ở thôn Yên Lạc",
            "Hơn 3.000 hộ dân xã Thanh Tâm được dùng nước sạch",
        ]
    );
    let ds1 = &doi_song.entries[0];
    assert_eq!(ds1.published.unwrap(), date("2026-11-24T18:40:00+07:00"));
    assert!(ds1.summary.as_ref().unwrap().content.starts_with("Chiều 24/11, Ủy ban MTTQ Việt Nam tỉnh"));
    assert_eq!(ds1.categories[0].label.as_deref(), Some("Đời sống"));
    assert_eq!(ds1.categories[0].term, "doi-song");

    // every category, each item once, in `all`
    let all = demo.feed("all.rss");
    assert_eq!(all.entries.len(), 24);
    let dates: Vec<_> = all.entries.iter().map(|e| e.published.unwrap()).collect();
    let sorted = {
        let mut d = dates.clone();
        d.sort_by(|a, b| b.cmp(a));
        d
    };
    assert_eq!(dates, sorted, "newest first");
    assert_eq!(demo.feed("thoi-su.rss").entries.len(), 2);
    assert_eq!(demo.feed("van-hoa-xa-hoi.rss").entries.len(), 5);

    // Trong nước, an upstream RSS feed with every quirk of Vietnamese RSS (config/demo/feed/)
    let feed = demo.feed("trong-nuoc.rss");
    assert_eq!(
        titles(&feed),
        [
            "Lễ hội \"Về miền Quan họ\" thu hút du khách",
            "Thêm 12 trường học vùng cao có điện mặt trời",
            "Cao tốc Bắc - Nam đoạn qua Nghệ An thông xe sớm 2 tháng",
            "Mưa lớn ở Trung Bộ – nhiều tuyến đường ngập sâu",
            "Giá điện sinh hoạt giữ nguyên đến hết năm",
        ]
    );
    let published: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
    assert_eq!(
        published,
        [
            date("2026-11-24T20:30:00+07:00"),
            date("2026-11-23T16:10:00+07:00"),
            date("2026-11-22T10:00:00+07:00"),
            date("2026-11-21T06:45:00+07:00"),
            date("2026-11-05T09:25:00+07:00"),
        ]
    );
    let raw = String::from_utf8(demo.feed_bytes("trong-nuoc.rss")).unwrap();
    assert!(raw.contains("<pubDate>Thu, 05 Nov 2026 09:25:00 +0700</pubDate>"), "{raw}");
    assert!(raw.contains("<guid isPermaLink=\"false\">baotonghop.example:185261124203000</guid>"), "{raw}");
    assert!(
        raw.contains("https://cdn.baotonghop.example/2026/11/22/cao-toc.jpg?w=1200&amp;h=0&amp;q=100&amp;dpr=1&amp;fit=crop&amp;s=Qz7"),
        "{raw}"
    );
    assert!(
        feed.entries[1].summary.as_ref().unwrap().content.starts_with("Chiều 23/11, 12 điểm trường vùng cao")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_run_changes_no_byte_and_adds_no_duplicate() {
    let demo = Demo::start().await;
    demo.run().await;
    let files = ["chinh-tri.rss", "chinh-tri.atom", "doi-song.rss", "thoi-su.atom", "all.rss", "all.atom"];
    let before: Vec<Vec<u8>> = files.iter().map(|f| demo.feed_bytes(f)).collect();
    let report = demo.run().await;
    assert_eq!(failures(&report), Vec::<String>::new());
    for source in &report.sources {
        let counts = source.outcome.as_ref().unwrap();
        assert_eq!((counts.stored.new, counts.stored.updated), (0, 0), "{}: nothing new", source.id);
    }
    assert!(report.feeds.iter().all(|f| !f.written), "no feed rewritten: {:?}", report.feeds);
    let after: Vec<Vec<u8>> = files.iter().map(|f| demo.feed_bytes(f)).collect();
    assert!(before == after, "byte-identical feeds");
    assert_eq!(demo.feed("all.rss").entries.len(), 24);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_article_updates_its_item_and_keeps_its_guid() {
    let demo = Demo::start().await;
    // stored articles are not fetched again unless the source asks for it: here, every run
    demo.write_config(|text| {
        let text = text.replace("id = \"kinh-te\"\n", "id = \"kinh-te\"\nrefetch_interval = \"0s\"\n");
        assert!(text.contains("refetch_interval"), "the kinh-te source is in demo.toml");
        text
    });
    demo.run().await;
    let page = demo.site_file("kinh-te/ha-tang/thong-xe-ky-thuat-duong-vanh-dai-phia-tay-phu-ly-122877.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let old = "Thông xe kỹ thuật đường vành đai phía Tây Phủ Lý";
    assert!(html.contains(old));
    std::fs::write(&page, html.replace(old, "Chính thức thông xe đường vành đai phía Tây Phủ Lý")).unwrap();

    let report = demo.run().await;
    let kinh_te = report.sources.iter().find(|s| s.id == "kinh-te").unwrap();
    assert_eq!(kinh_te.outcome.as_ref().unwrap().stored.updated, 1);
    let feed = demo.feed("kinh-te.rss");
    assert_eq!(feed.entries.len(), 4, "no duplicate");
    let edited = feed.entries.iter().find(|e| e.id.ends_with("-122877.html")).unwrap();
    assert_eq!(edited.title.as_ref().unwrap().content, "Chính thức thông xe đường vành đai phía Tây Phủ Lý");
    assert_eq!(
        edited.id,
        demo.server.url("kinh-te/ha-tang/thong-xe-ky-thuat-duong-vanh-dai-phia-tay-phu-ly-122877.html")
    );
    assert_eq!(edited.published.unwrap(), date("2026-11-23T15:30:00+07:00"), "date unchanged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_source_keeps_its_items_and_the_others_go_on() {
    let demo = Demo::start().await;
    demo.run().await;
    let kinh_te_before = demo.feed_bytes("kinh-te.rss");

    demo.server.fail("/kinh-te/", true);
    let report = demo.run().await;
    assert_eq!(failures(&report).len(), 1, "{:?}", failures(&report));
    let failure = &failures(&report)[0];
    assert!(failure.starts_with("kinh-te: "), "{failure}");
    assert!(
        failure.contains("HTTP 500") && failure.contains(&demo.server.url("kinh-te/index.html")),
        "{failure}"
    );
    assert!(report.any_failed());
    assert_eq!(demo.feed_bytes("kinh-te.rss"), kinh_te_before, "last good items stay published");
    assert_eq!(demo.feed("all.rss").entries.len(), 24);

    let store = tinfeed::store::Store::open(&demo.config().site.data_dir).unwrap();
    let status = store.source_status("kinh-te").unwrap().unwrap();
    assert_eq!(status.consecutive_failures, 1);
    assert!(status.last_error.unwrap().contains("HTTP 500"));

    demo.server.fail("/kinh-te/", false);
    let report = demo.run().await;
    assert!(!report.any_failed());
    let status = store.source_status("kinh-te").unwrap().unwrap();
    assert_eq!(status.consecutive_failures, 0, "recovered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_where_the_item_selector_matches_nothing_is_a_layout_error() {
    let demo = Demo::start().await;
    demo.run().await;
    let before = demo.feed_bytes("chinh-tri.atom");
    // the site redesigned its listing: the configured selector now finds nothing
    let listing = demo.site_file("chinh-tri/index.html");
    let html = std::fs::read_to_string(&listing).unwrap();
    std::fs::write(&listing, html.replace("title-news", "tieu-de")).unwrap();

    let report = demo.run().await;
    let failure = failures(&report).join("\n");
    assert!(
        failure
            .starts_with("chinh-tri: selector `div.list-news h3.title-news a` matched no article links on"),
        "{failure}"
    );
    assert!(failure.contains("layout"), "{failure}");
    assert_eq!(demo.feed_bytes("chinh-tri.atom"), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_site_is_an_error_naming_the_url() {
    let demo = Demo::start().await;
    // a port nothing listens on: bind one, then free it
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dead = format!("http://127.0.0.1:{port}/");
    demo.write_config(|text| text.replacen(&demo.server.url("chinh-tri/"), &format!("{dead}chinh-tri/"), 1));
    let report = demo.run().await;
    let failure = failures(&report).join("\n");
    assert!(
        failure.starts_with(&format!("chinh-tri: cannot fetch `{dead}chinh-tri/index.html`")),
        "{failure}"
    );
    assert_eq!(demo.feed("kinh-te.rss").entries.len(), 4, "the other sources went on");
    assert_eq!(demo.feed("chinh-tri.rss").entries.len(), 0, "a valid, empty feed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_garbage_article_page_is_dropped_with_a_reason_and_the_rest_published() {
    let demo = Demo::start().await;
    let page =
        demo.site_file("kinh-te/cong-nghiep/khu-cong-nghiep-dong-van-iv-don-them-3-du-an-moi-122835.html");
    let mut garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    garbage.extend_from_slice(b"\x00\x01<div><p>\xff\xfe</span></table>");
    std::fs::write(&page, garbage).unwrap();

    let report = demo.run().await;
    assert_eq!(failures(&report), Vec::<String>::new());
    let kinh_te = report.sources.iter().find(|s| s.id == "kinh-te").unwrap().outcome.as_ref().unwrap();
    assert_eq!((kinh_te.found, kinh_te.dropped), (3, 1));
    let bytes = demo.feed_bytes("kinh-te.rss");
    rules::check_rss(&bytes, "http://127.0.0.1:8080/kinh-te.rss");
    assert_eq!(demo.feed("kinh-te.rss").entries.len(), 3);
}
