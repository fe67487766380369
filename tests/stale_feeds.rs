//! `tinfeed once` renders only stale feeds: a quiet run renders none, and whatever would change
//! a feed's bytes (an edited article, a new site title, a deleted file) renders it again, with
//! the same bytes a full rendering gives.

mod support;

use std::path::PathBuf;

use support::demo::Demo;
use tinfeed::pipeline::{self, RunReport};
use tinfeed::store::Store;

fn rendered(report: &RunReport) -> Vec<&str> {
    report.feeds.iter().filter(|f| f.rendered).map(|f| f.slug.as_str()).collect()
}

/// What rendering every feed from the store gives, for comparison.
fn full_render(demo: &Demo) -> Vec<(String, Vec<u8>)> {
    let config = demo.config();
    let store = Store::open(&config.site.data_dir).unwrap();
    pipeline::publish_feeds(&config, &store).unwrap();
    demo.all_feeds()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiet_run_renders_nothing_and_a_deleted_file_comes_back_the_same() {
    let demo = Demo::start().await;
    let first = demo.run().await;
    assert!(first.feeds.iter().all(|f| f.rendered && f.items > 0), "{:?}", rendered(&first));
    let before = demo.all_feeds();

    let quiet = demo.run().await;
    assert_eq!(rendered(&quiet), Vec::<&str>::new(), "nothing changed, nothing rendered");
    // the report still lists every feed, with its item count
    let counts = |r: &RunReport| r.feeds.iter().map(|f| (f.slug.clone(), f.items)).collect::<Vec<_>>();
    assert_eq!(counts(&quiet), counts(&first));
    assert!(quiet.feeds.iter().all(|f| !f.written));
    assert_eq!(demo.all_feeds(), before);

    std::fs::remove_file(demo.feed_path("thoi-su.atom")).unwrap();
    let report = demo.run().await;
    assert_eq!(rendered(&report), ["thoi-su"]);
    assert_eq!(demo.all_feeds(), before, "the same bytes as before");
    assert_eq!(full_render(&demo), before, "the same bytes as a full rendering");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_site_title_renders_every_feed_again() {
    let demo = Demo::start().await;
    demo.run().await;
    demo.write_config(|text| text.replacen("title = \"Báo Hà Nam\"", "title = \"Báo Hà Nam điện tử\"", 1));
    let report = demo.run().await;
    assert!(report.feeds.iter().all(|f| f.rendered && f.written), "{:?}", rendered(&report));
    let rss = String::from_utf8(demo.feed_bytes("chinh-tri.rss")).unwrap();
    assert!(rss.contains("<title>Báo Hà Nam điện tử – Chính trị</title>"), "{}", &rss[..400]);
    assert_eq!(demo.run().await.feeds.iter().filter(|f| f.rendered).count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_article_renders_its_category_and_all_only() {
    let demo = Demo::start().await;
    demo.write_config(|text| {
        text.replace("id = \"kinh-te\"\n", "id = \"kinh-te\"\nrefetch_interval = \"0s\"\n")
    });
    demo.run().await;
    let page =
        demo.server_file("kinh-te/ha-tang/thong-xe-ky-thuat-duong-vanh-dai-phia-tay-phu-ly-122877.html");
    let html = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, html.replace("Thông xe kỹ thuật", "Chính thức thông xe")).unwrap();

    let report = demo.run().await;
    assert_eq!(rendered(&report), ["kinh-te", "all"]);
    assert!(String::from_utf8(demo.feed_bytes("kinh-te.rss")).unwrap().contains("Chính thức thông xe"));
    let after = demo.all_feeds();
    assert_eq!(full_render(&demo), after, "what a full rendering gives");
}

impl Demo {
    fn server_file(&self, path: &str) -> PathBuf {
        self.dir.path().join("demo/site").join(path)
    }
}
