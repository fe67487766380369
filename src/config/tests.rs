use std::path::Path;
use std::time::Duration;

use super::*;

const SITE: &str = "[site]\ntitle = \"Báo Hà Nam\"\n";

fn errors(text: &str) -> Vec<String> {
    match Config::parse(Path::new("conf/t.toml"), text) {
        Ok(_) => panic!("config was accepted:\n{text}"),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

fn source(body: &str) -> String {
    format!("{SITE}\n[[sources]]\n{body}\n")
}

#[test]
fn each_broken_config_names_file_line_col_and_the_value() {
    let cases: &[(&str, String, &str)] = &[
        ("syntax", "[site\ntitle = \"x\"\n".into(), "conf/t.toml:1:6: unclosed table, expected `]`"),
        (
            "type",
            format!("{SITE}items_per_feed = \"ten\"\n"),
            "conf/t.toml:3:18: invalid type: string \"ten\", expected a whole number",
        ),
        (
            "unknown site key",
            format!("{SITE}colour = \"red\"\n"),
            "conf/t.toml:3:1: unknown field `colour`, expected one of `title`, `description`, `base_url`, `language`, \
             `timezone`, `feeds_dir`, `data_dir`, `listen`, `items_per_feed`, `summary_length`, `user_agent`, \
             `cache_max_age`, `connect_timeout`, `header_timeout`, `timeout`, `max_body_bytes`, `retries`, \
             `retry_delay`, `max_retry_wait`, `host_concurrency`, `host_delay`, `backoff_after`, `backoff_max_runs`",
        ),
        (
            "unknown top-level key",
            format!("{SITE}[feeds]\nx = 1\n"),
            "conf/t.toml:3:2: unknown key `feeds`, expected `site` or `sources`",
        ),
        (
            "bad selector",
            source(
                "id = \"a\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\ncategory = \"Kinh tế\"\n\
                 [sources.selectors]\nitem = \"h3 a[\"",
            ),
            "conf/t.toml:10:8: invalid CSS selector `h3 a[`: Unexpected EOL",
        ),
        (
            "bad cron",
            source(
                "id = \"a\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\ncategory = \"Kinh tế\"\n\
                 schedule = \"*/15 * * * *\"",
            ),
            "conf/t.toml:9:12: invalid cron schedule `*/15 * * * *` (it has 5 fields); expected six \
             fields with seconds, e.g. `0 */15 * * * *`",
        ),
        (
            "bad url",
            source("id = \"a\"\nkind = \"html\"\nurl = \"baohanam.com.vn/kinh-te\"\ncategory = \"Kinh tế\""),
            "conf/t.toml:7:7: invalid value `baohanam.com.vn/kinh-te`, expected an absolute http(s) or file URL \
             (relative URL without a base)",
        ),
        (
            "unsupported scheme",
            source("id = \"a\"\nkind = \"html\"\nurl = \"ftp://baohanam.com.vn/\"\ncategory = \"Kinh tế\""),
            "conf/t.toml:7:7: invalid value `ftp://baohanam.com.vn/`, expected an http(s) or file URL",
        ),
        (
            "missing category",
            source("id = \"a\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\""),
            "conf/t.toml:4:1: missing field `category`",
        ),
        (
            "bad id",
            source(
                "id = \"Kinh Te\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\ncategory = \"Kinh tế\"",
            ),
            "conf/t.toml:5:6: invalid value `Kinh Te`, expected an id of lower-case ASCII letters, digits and `-`",
        ),
        (
            "unknown kind",
            source("id = \"a\"\nkind = \"rss\"\nurl = \"https://baohanam.com.vn/\"\ncategory = \"Kinh tế\""),
            "conf/t.toml:6:8: unknown source kind `rss`, expected one of `html`, `files`, `feed`, `sitemap`",
        ),
        (
            "html without url",
            source("id = \"a\"\nkind = \"html\"\ncategory = \"Kinh tế\""),
            "conf/t.toml:6:8: an html source needs `url` (or `urls`) of its listing page",
        ),
        (
            "bad zone",
            format!("{SITE}timezone = \"Asia/Hanoi\"\n"),
            "conf/t.toml:3:12: invalid value `Asia/Hanoi`, expected an IANA time zone such as `Asia/Ho_Chi_Minh`",
        ),
        (
            "bad base_url",
            format!("{SITE}base_url = \"/feeds/\"\n"),
            "conf/t.toml:3:12: invalid value `/feeds/`, expected an absolute http(s) URL for `base_url` (relative \
             URL without a base)",
        ),
        (
            "zero items",
            format!("{SITE}items_per_feed = 0\n"),
            "conf/t.toml:3:18: invalid value `0`, expected a whole number from 1 to 10000",
        ),
        ("no sources", SITE.to_string(), "conf/t.toml:3:1: no `[[sources]]`: add at least one source"),
    ];
    for (name, text, expected) in cases {
        assert_eq!(errors(text), vec![expected.to_string()], "case `{name}`");
    }
}

#[test]
fn all_errors_are_reported_together_in_file_order() {
    let text = format!(
        "{SITE}colour = \"red\"\n\
         [[sources]]\nid = \"a\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\ncategory = \"Kinh tế\"\n\
         schedule = \"never\"\n[sources.selectors]\ntitel = \"h1\"\nitem = \"a[\"\n\
         [[sources]]\nid = \"a\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\ncategory = \"Văn hoá\"\n\
         [[sources]]\nid = \"b\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\ncategory = \"Văn hóa\"\n"
    );
    let found = errors(&text);
    let places: Vec<&str> = found.iter().map(|e| e.split(": ").next().unwrap()).collect();
    assert_eq!(
        places,
        [
            "conf/t.toml:3:1",
            "conf/t.toml:9:12",
            "conf/t.toml:11:1",
            "conf/t.toml:12:8",
            "conf/t.toml:14:6",
            "conf/t.toml:22:12"
        ],
        "{found:#?}"
    );
    assert!(found[4].contains("duplicate source id `a`"), "{}", found[4]);
    // even two tone-placement styles of one name are caught: a feed has one title
    assert!(found[5].contains("category `Văn hóa` and category `Văn hoá` would share the feed `van-hoa`"));
}

#[test]
fn two_categories_never_share_a_slug() {
    let text = format!(
        "{SITE}[[sources]]\nid = \"a\"\nkind = \"html\"\nurl = \"https://a.vn/\"\ncategory = \"Văn hóa - Xã hội\"\n\
         [[sources]]\nid = \"b\"\nkind = \"html\"\nurl = \"https://a.vn/\"\ncategory = \"Văn hóa Xã hội\"\n"
    );
    assert_eq!(
        errors(&text),
        [
            "conf/t.toml:12:12: category `Văn hóa Xã hội` and category `Văn hóa - Xã hội` would share the feed \
          `van-hoa-xa-hoi`"
        ]
    );
}

#[test]
fn a_valid_config_compiles_with_defaults_and_paths_relative_to_its_folder() {
    let text = format!(
        "{SITE}feeds_dir = \"../feeds\"\n\
         [[sources]]\nid = \"chinh-tri\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/chinh-tri\"\n\
         category = \"Chính trị\"\n[sources.selectors]\nitem = \"h3 a\"\n\
         [[sources]]\nid = \"seed\"\nkind = \"files\"\npath = \"seeds\"\ncategory = \"Đời sống\"\nsummary_length = 200\n\
         [[sources]]\nid = \"local\"\nkind = \"html\"\nurl = \"file:demo/site/index.html\"\ncategory = \"Đời sống\"\n"
    );
    let config = Config::parse(Path::new("conf/t.toml"), &text).unwrap();
    let site = &config.site;
    assert_eq!(site.base_url.as_str(), "http://127.0.0.1:8080/");
    assert_eq!(site.timezone, chrono_tz::Asia::Ho_Chi_Minh);
    assert_eq!(site.feeds_dir, Path::new("feeds"));
    assert_eq!(site.data_dir, Path::new("conf/data"));
    assert_eq!(site.items_per_feed, DEFAULT_ITEMS_PER_FEED);
    assert_eq!(site.language, "vi");

    let [chinh_tri, seed, local] = &config.sources[..] else { panic!("three sources") };
    assert_eq!(chinh_tri.category_slug, "chinh-tri");
    assert_eq!(chinh_tri.schedule.source(), DEFAULT_SCHEDULE);
    assert_eq!(chinh_tri.selectors.item.as_ref().unwrap().as_str(), "h3 a");
    assert!(chinh_tri.selectors.title.is_none());
    assert_eq!(chinh_tri.summary_length, DEFAULT_SUMMARY_LENGTH);
    assert_eq!(seed.kind, SourceKind::Files { path: "conf/seeds".into() });
    assert_eq!(seed.summary_length, 200);
    let SourceKind::Html { urls, .. } = &local.kind else { panic!("html") };
    assert_eq!(urls[0].scheme(), "file");
    assert!(urls[0].path().ends_with("/conf/demo/site/index.html"), "{}", urls[0]);

    let slugs: Vec<String> = config.categories().into_iter().map(|c| c.slug).collect();
    assert_eq!(slugs, ["chinh-tri", "doi-song"]);
}

#[test]
fn base_url_gains_a_trailing_slash() {
    let text = format!(
        "{SITE}base_url = \"https://feeds.example.vn/bao-ha-nam\"\n[[sources]]\nid = \"a\"\nkind = \"html\"\n\
         url = \"https://a.vn/\"\ncategory = \"Kinh tế\"\n"
    );
    let config = Config::parse(Path::new("t.toml"), &text).unwrap();
    assert_eq!(
        config.site.base_url.join("all.rss").unwrap().as_str(),
        "https://feeds.example.vn/bao-ha-nam/all.rss"
    );
}

#[test]
fn cache_max_age_is_optional_seconds_up_to_a_day() {
    let with = |extra: &str| {
        format!(
            "{SITE}{extra}[[sources]]\nid = \"a\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\n\
             category = \"Kinh tế\"\n"
        )
    };
    let config = Config::parse(Path::new("t.toml"), &with("")).unwrap();
    assert_eq!(config.site.cache_max_age, None, "unset: matched to the schedules");
    let config = Config::parse(Path::new("t.toml"), &with("cache_max_age = 300\n")).unwrap();
    assert_eq!(config.site.cache_max_age, Some(Duration::from_secs(300)));
    assert_eq!(
        errors(&with("cache_max_age = 0\n")),
        ["t.toml:3:17: invalid value `0`, expected a whole number from 1 to 86400"]
            .map(|e| e.replace("t.toml", "conf/t.toml"))
    );
}

#[test]
fn fetch_keys_compile_with_defaults_and_overrides() {
    let text = format!(
        "{SITE}timeout = \"2s\"\nheader_timeout = \"1500ms\"\nconnect_timeout = \"1s\"\nretries = 0\n\
         retry_delay = \"10ms\"\nmax_retry_wait = \"5m\"\nhost_concurrency = 4\nhost_delay = \"250ms\"\n\
         max_body_bytes = 1048576\nbackoff_after = 5\nbackoff_max_runs = 8\n\
         [[sources]]\nid = \"a\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\ncategory = \"Kinh tế\"\n\
         user_agent = \"BaoHaNamBot/1.0 (+https://baohanam.com.vn/lien-he)\"\nrobots = false\n\
         max_body_bytes = 2048\nrefetch_interval = \"6h\"\n\
         [[sources]]\nid = \"b\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\ncategory = \"Kinh tế\"\n"
    );
    let config = Config::parse(Path::new("t.toml"), &text).unwrap_or_else(|e| panic!("{e}"));
    let fetch = &config.site.fetch;
    assert_eq!(fetch.total_timeout, Duration::from_secs(2));
    assert_eq!(fetch.header_timeout, Duration::from_millis(1500));
    assert_eq!(fetch.connect_timeout, Duration::from_secs(1));
    assert_eq!((fetch.retries, fetch.retry_delay), (0, Duration::from_millis(10)));
    assert_eq!(fetch.max_retry_wait, Duration::from_secs(300));
    assert_eq!((fetch.host_concurrency, fetch.host_delay), (4, Duration::from_millis(250)));
    assert_eq!(fetch.max_body_bytes, 1 << 20);
    assert_eq!(fetch.user_agent, config.site.user_agent);
    assert_eq!(config.site.backoff, Backoff { after: 5, max_runs: 8 });

    let [a, b] = &config.sources[..] else { panic!("two sources") };
    assert_eq!(a.fetch.user_agent.as_deref(), Some("BaoHaNamBot/1.0 (+https://baohanam.com.vn/lien-he)"));
    assert!(!a.fetch.robots);
    assert_eq!(a.fetch.max_body_bytes, Some(2048));
    assert_eq!(a.refetch_interval, Some(Duration::from_secs(6 * 3600)));
    // defaults: robots obeyed, site cap, stored articles never fetched again
    assert_eq!(b.fetch, crate::fetch::Policy::default());
    assert_eq!(b.refetch_interval, None);

    let defaults = Config::parse(
        Path::new("t.toml"),
        &source("id = \"a\"\nkind = \"html\"\nurl = \"https://a.vn/\"\ncategory = \"Kinh tế\""),
    )
    .unwrap();
    assert_eq!(defaults.site.fetch, crate::fetch::Settings::default());
    assert_eq!(defaults.site.backoff, Backoff::default());
}

#[test]
fn bad_fetch_keys_are_located() {
    let src = |extra: &str| {
        source(&format!(
            "id = \"a\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\ncategory = \"Kinh tế\"\n{extra}"
        ))
    };
    let cases: &[(&str, String, &str)] = &[
        (
            "duration without unit",
            format!("{SITE}timeout = \"30\"\n"),
            "conf/t.toml:3:11: invalid duration `30`, expected a number and a unit such as `500ms`, `30s`, `15m`, \
             `6h` or `1d`",
        ),
        (
            "zero timeout",
            format!("{SITE}header_timeout = \"0s\"\n"),
            "conf/t.toml:3:18: invalid duration `0s`, expected more than zero",
        ),
        (
            "too many retries",
            format!("{SITE}retries = 50\n"),
            "conf/t.toml:3:11: invalid value `50`, expected a whole number from 0 to 10",
        ),
        (
            "no concurrency",
            format!("{SITE}host_concurrency = 0\n"),
            "conf/t.toml:3:20: invalid value `0`, expected a whole number from 1 to 64",
        ),
        (
            "tiny body cap",
            src("max_body_bytes = 10"),
            "conf/t.toml:9:18: invalid value `10`, expected a whole number from 1024 to 1073741824",
        ),
        (
            "refetch in weeks",
            src("refetch_interval = \"2 tuần\""),
            "conf/t.toml:9:20: invalid duration `2 tuần`, expected a number and a unit such as `500ms`, `30s`, \
             `15m`, `6h` or `1d`",
        ),
        (
            "user agent with a line break",
            src("user_agent = \"tinfeed\\nX-Injected: 1\""),
            "conf/t.toml:9:14: invalid value `tinfeed\nX-Injected: 1`, expected a User-Agent of printable ASCII \
             such as `tinfeed/0.1 (+https://example.vn/)`",
        ),
        (
            "robots as text",
            src("robots = \"no\""),
            "conf/t.toml:9:10: invalid type: string \"no\", expected a boolean",
        ),
    ];
    for (name, text, expected) in cases {
        assert_eq!(errors(text), vec![expected.to_string()], "case `{name}`");
    }
}

#[test]
fn sitemap_sources_and_listing_pages_compile() {
    let text = format!(
        "{SITE}[[sources]]\nid = \"tin-moi\"\nkind = \"sitemap\"\n\
         urls = [\"https://vnexpress.net/google-news-sitemap.xml\", \"https://vnexpress.net/sitemap.xml.gz\"]\n\
         category = \"Tin mới\"\nmax_items = 20\n\
         [[sources]]\nid = \"dantri\"\nkind = \"html\"\nurl = \"https://dantri.com.vn/xa-hoi.htm\"\n\
         page_url = \"https://dantri.com.vn/xa-hoi/trang-{{page}}.htm\"\ncategory = \"Xã hội\"\n\
         [[sources]]\nid = \"vnexpress\"\nkind = \"html\"\nurl = \"https://vnexpress.net/thoi-su\"\n\
         category = \"Thời sự\"\nmax_pages = 5\n[sources.selectors]\nnext = \"a.next-page\"\n\
         [[sources]]\nid = \"local\"\nkind = \"html\"\nurl = \"file:demo/site/index.html\"\n\
         page_url = \"file:demo/site/trang-{{page}}.html\"\ncategory = \"Xã hội\"\nmax_pages = 2\n\
         [[sources]]\nid = \"one-page\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\ncategory = \"Xã hội\"\n"
    );
    let config = Config::parse(Path::new("conf/t.toml"), &text).unwrap_or_else(|e| panic!("{e}"));
    let [sitemap, dantri, vnexpress, local, one_page] = &config.sources[..] else { panic!("five sources") };
    let SourceKind::Sitemap { urls } = &sitemap.kind else { panic!("sitemap") };
    assert_eq!(urls.len(), 2);
    assert_eq!(urls[1].as_str(), "https://vnexpress.net/sitemap.xml.gz");
    assert_eq!(sitemap.max_items, 20);

    let SourceKind::Html { paging, .. } = &dantri.kind else { panic!("html") };
    assert_eq!(paging.max_pages, paging::DEFAULT_MAX_PAGES);
    assert_eq!(paging.page(2).unwrap().as_str(), "https://dantri.com.vn/xa-hoi/trang-2.htm");
    assert_eq!(paging.page(3).unwrap().as_str(), "https://dantri.com.vn/xa-hoi/trang-3.htm");

    let SourceKind::Html { paging, .. } = &vnexpress.kind else { panic!("html") };
    assert_eq!((paging.template.as_deref(), paging.max_pages), (None, 5));
    assert_eq!(vnexpress.selectors.next.as_ref().unwrap().as_str(), "a.next-page");

    // a relative `file:` template resolves against the config's folder, `{page}` kept
    let SourceKind::Html { paging, .. } = &local.kind else { panic!("html") };
    let page2 = paging.page(2).unwrap();
    assert!(page2.path().ends_with("/conf/demo/site/trang-2.html"), "{page2}");
    assert_eq!(paging.max_pages, 2);

    let SourceKind::Html { paging, .. } = &one_page.kind else { panic!("html") };
    assert_eq!(*paging, Paging::default());
    assert_eq!((paging.max_pages, paging.page(2)), (1, None));
}

#[test]
fn bad_sitemap_and_paging_keys_are_located() {
    let html = |extra: &str| {
        source(&format!(
            "id = \"a\"\nkind = \"html\"\nurl = \"https://dantri.com.vn/xa-hoi.htm\"\ncategory = \"Xã hội\"\n{extra}"
        ))
    };
    let cases: &[(&str, String, &str)] = &[
        (
            "template without {page}",
            html("page_url = \"https://dantri.com.vn/xa-hoi/trang-2.htm\""),
            "conf/t.toml:9:12: `page_url` `https://dantri.com.vn/xa-hoi/trang-2.htm` has no `{page}` where the page \
             number goes",
        ),
        (
            "template not a URL",
            html("page_url = \"xa-hoi/trang-{page}.htm\""),
            "conf/t.toml:9:12: invalid value `xa-hoi/trang-{page}.htm`, expected an absolute http(s) or file URL \
             with `{page}`",
        ),
        (
            "both ways to page",
            html(
                "page_url = \"https://dantri.com.vn/xa-hoi/trang-{page}.htm\"\n[sources.selectors]\nnext = \"a.next\"",
            ),
            "conf/t.toml:9:12: set either `page_url` or the `next` selector, not both: they are two ways to find \
             page 2",
        ),
        (
            "zero pages",
            html("page_url = \"https://dantri.com.vn/xa-hoi/trang-{page}.htm\"\nmax_pages = 0"),
            "conf/t.toml:10:13: invalid value `0`, expected a whole number from 1 to 50",
        ),
        (
            "pages without a way to find them",
            html("max_pages = 4"),
            "conf/t.toml:9:13: `max_pages = 4` needs `page_url` or a `next` selector to find the next pages",
        ),
        (
            "bad next selector",
            html("[sources.selectors]\nnext = \"a.next[\""),
            "conf/t.toml:10:8: invalid CSS selector `a.next[`: Unexpected EOL",
        ),
        (
            "template with several listings",
            source(
                "id = \"a\"\nkind = \"html\"\nurls = [\"https://dantri.com.vn/xa-hoi.htm\", \
                 \"https://dantri.com.vn/the-gioi.htm\"]\ncategory = \"Xã hội\"\n\
                 page_url = \"https://dantri.com.vn/xa-hoi/trang-{page}.htm\"",
            ),
            "conf/t.toml:9:12: `page_url` pages one listing, but this source has several `urls`; use the `next` \
             selector or one source per listing",
        ),
        (
            "sitemap without url",
            source("id = \"a\"\nkind = \"sitemap\"\ncategory = \"Tin mới\""),
            "conf/t.toml:6:8: a sitemap source needs `url` (or `urls`) of its sitemap or sitemap index",
        ),
        (
            "sitemap with path",
            source("id = \"a\"\nkind = \"sitemap\"\npath = \"sitemaps\"\ncategory = \"Tin mới\""),
            "conf/t.toml:7:8: `path` is for `kind = \"files\"`; a sitemap source takes `url` or `urls`",
        ),
        (
            "sitemap with a bad url",
            source(
                "id = \"a\"\nkind = \"sitemap\"\nurl = \"ftp://vnexpress.net/sitemap.xml\"\ncategory = \"Tin mới\"",
            ),
            "conf/t.toml:7:7: invalid value `ftp://vnexpress.net/sitemap.xml`, expected an http(s) or file URL",
        ),
        (
            "sitemap with pages",
            source(
                "id = \"a\"\nkind = \"sitemap\"\nurl = \"https://vnexpress.net/sitemap.xml\"\ncategory = \"Tin mới\"\n\
                 max_pages = 2",
            ),
            "conf/t.toml:9:13: `max_pages` pages html listings; a sitemap source has none",
        ),
        (
            "files with a next selector",
            source(
                "id = \"a\"\nkind = \"files\"\npath = \"seeds\"\ncategory = \"Tin mới\"\n[sources.selectors]\nnext = \"a\"",
            ),
            "conf/t.toml:10:8: the `next` selector pages html listings; a files source has none",
        ),
    ];
    for (name, text, expected) in cases {
        assert_eq!(errors(text), vec![expected.to_string()], "case `{name}`");
    }
}
/// One html source with `tables` after its keys (issue 6: filters and category mapping).
fn filtered_source(tables: &str) -> String {
    source(&format!(
        "id = \"tin-moi\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/tin-moi\"\ncategory = \"Tin mới\"\n{tables}"
    ))
}

#[test]
fn filters_and_category_mapping_compile_in_file_order() {
    let text = filtered_source(
        "[sources.include]\ntitle = \"hà nam|phủ lý\"\nurl = \"/(the-thao|van-hoa)/\"\n\
         [sources.exclude]\nsummary = \"quảng cáo\"\n\
         [sources.categories]\n\"van-hoa\" = \"Văn hóa\"\n\"the-thao\" = \"Thể thao\"\n\"Bóng đá\" = \"Thể thao\"\n",
    );
    let config = Config::parse(Path::new("conf/t.toml"), &text).unwrap_or_else(|e| panic!("{e}"));
    let source = &config.sources[0];
    let include: Vec<(String, &str)> =
        source.filter.include.iter().map(|(f, p)| (f.to_string(), p.as_str())).collect();
    assert_eq!(
        include,
        [("title".to_string(), "hà nam|phủ lý"), ("url".to_string(), "/(the-thao|van-hoa)/")]
    );
    assert_eq!(source.filter.exclude.summary.as_ref().map(|p| p.as_str()), Some("quảng cáo"));
    assert!(source.filter.exclude.title.is_none());
    let rules: Vec<(&str, &str, &str)> = source
        .category_map
        .rules
        .iter()
        .map(|r| (r.key.as_str(), r.key_slug.as_str(), r.category.slug.as_str()))
        .collect();
    // file order, not sorted: the first match wins
    assert_eq!(
        rules,
        [
            ("van-hoa", "van-hoa", "van-hoa"),
            ("the-thao", "the-thao", "the-thao"),
            ("Bóng đá", "bong-da", "the-thao")
        ]
    );
    // mapped categories are feeds: after the source's own, each once
    let slugs: Vec<String> = config.categories().into_iter().map(|c| c.slug).collect();
    assert_eq!(slugs, ["tin-moi", "van-hoa", "the-thao"]);
    assert!(source.feeds("the-thao") && source.feeds("tin-moi") && !source.feeds("thoi-su"));

    // without the tables: nothing filtered, nothing mapped
    let plain = Config::parse(Path::new("conf/t.toml"), &filtered_source("")).unwrap();
    assert!(plain.sources[0].filter.is_empty());
    assert!(plain.sources[0].category_map.rules.is_empty());
}

#[test]
fn bad_filters_and_mappings_are_located() {
    let cases: &[(&str, String, &str)] = &[
        (
            "bad regex",
            filtered_source("[sources.include]\ntitle = \"(bóng đá\"\n"),
            "conf/t.toml:10:9: invalid regex `(bóng đá` in `include.title`: unclosed group",
        ),
        (
            "empty regex",
            filtered_source("[sources.exclude]\nurl = \"\"\n"),
            "conf/t.toml:10:7: invalid regex `` in `exclude.url`: an empty regex matches everything; remove the \
             key instead",
        ),
        (
            "unknown field",
            filtered_source("[sources.exclude]\nheadline = \"video\"\n"),
            "conf/t.toml:10:1: unknown field `headline`, expected one of `title`, `summary`, `url`",
        ),
        (
            "not a string",
            filtered_source("[sources.categories]\n\"the-thao\" = 3\n"),
            "conf/t.toml:10:14: invalid type: integer `3`, expected a string",
        ),
        (
            "mapped to all",
            filtered_source("[sources.categories]\n\"tong-hop\" = \"All\"\n"),
            "conf/t.toml:10:14: category `All` would take the slug `all`, which names the feed of every category",
        ),
        (
            "key without letters",
            filtered_source("[sources.categories]\n\"–\" = \"Thể thao\"\n"),
            "conf/t.toml:10:1: category key `–` has no letters or digits to match",
        ),
        (
            "a key shadowed by an earlier one",
            filtered_source("[sources.categories]\n\"Bóng đá\" = \"Thể thao\"\n\"bong-da\" = \"Bóng đá\"\n"),
            "conf/t.toml:11:1: category key `bong-da` matches the same as `Bóng đá` above, so it would never apply",
        ),
        (
            "own category written twice",
            filtered_source("[sources.categories]\n\"tin-nong\" = \"Tin Mới\"\n"),
            "conf/t.toml:10:14: category `Tin Mới` and category `Tin mới` would share the feed `tin-moi`",
        ),
    ];
    for (what, text, expected) in cases {
        assert_eq!(errors(text), [*expected], "{what}");
    }
}

#[test]
fn a_mapped_category_shares_no_feed_with_another_sources_category() {
    // a mapping target is a category like any other: a later source spelling it differently clashes
    let text = format!(
        "{SITE}[[sources]]\nid = \"a\"\nkind = \"html\"\nurl = \"https://a.vn/\"\ncategory = \"Thời sự\"\n\
         [sources.categories]\n\"bong-da\" = \"Thể thao\"\n\
         [[sources]]\nid = \"b\"\nkind = \"html\"\nurl = \"https://a.vn/tt\"\ncategory = \"Thể Thao\"\n\
         [[sources]]\nid = \"c\"\nkind = \"html\"\nurl = \"https://a.vn/bd\"\ncategory = \"Thể thao\"\n"
    );
    assert_eq!(
        errors(&text),
        ["conf/t.toml:14:12: category `Thể Thao` and category `Thể thao` would share the feed `the-thao`"]
    );
    // the same name twice is one feed, in config order
    let text = text.replace("\"Thể Thao\"", "\"Kinh tế\"");
    let config = Config::parse(Path::new("conf/t.toml"), &text).unwrap_or_else(|e| panic!("{e}"));
    let slugs: Vec<String> = config.categories().into_iter().map(|c| c.slug).collect();
    assert_eq!(slugs, ["thoi-su", "the-thao", "kinh-te"]);
}

#[test]
fn feed_sources_take_urls_date_order_and_fetch_article() {
    let text = source(
        "id = \"tuoi-tre\"\nkind = \"feed\"\nurl = \"https://tuoitre.vn/rss/thoi-su.rss\"\ncategory = \"Thời sự\"\n\
         date_order = \"mdy\"\nfetch_article = true\n\
         [[sources]]\nid = \"demo\"\nkind = \"feed\"\nurls = [\"file:demo/feed.xml\", \"https://x.vn/rss\"]\ncategory = \"Tin\"\n\
         [[sources]]\nid = \"html\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\ncategory = \"Tin\"\ndate_order = \"dmy\"\n",
    );
    let config = Config::parse(Path::new("conf/t.toml"), &text).unwrap_or_else(|e| panic!("{e}"));
    let tuoi_tre = config.source("tuoi-tre").unwrap();
    assert_eq!(
        tuoi_tre.kind,
        SourceKind::Feed {
            urls: vec![Url::parse("https://tuoitre.vn/rss/thoi-su.rss").unwrap()],
            fetch_article: true
        }
    );
    assert_eq!(tuoi_tre.date_order, crate::normalize::DateOrder::Mdy);
    let demo = config.source("demo").unwrap();
    let SourceKind::Feed { urls, fetch_article } = &demo.kind else { panic!("feed") };
    assert!(!fetch_article, "off by default");
    assert_eq!(urls.len(), 2);
    assert!(urls[0].as_str().starts_with("file:///") && urls[0].as_str().ends_with("/conf/demo/feed.xml"));
    assert_eq!(demo.date_order, crate::normalize::DateOrder::Auto, "the default");
    assert_eq!(config.source("html").unwrap().date_order, crate::normalize::DateOrder::Dmy);
}

#[test]
fn feed_keys_are_checked_where_written() {
    let feed = |extra: &str| {
        source(&format!(
            "id = \"a\"\nkind = \"feed\"\nurl = \"https://tuoitre.vn/rss/a.rss\"\ncategory = \"Tin\"\n{extra}"
        ))
    };
    let cases: &[(&str, String, &str)] = &[
        (
            "date order",
            feed("date_order = \"ymd\""),
            "conf/t.toml:9:14: invalid value `ymd`, expected `auto`, `dmy` or `mdy` for `date_order`",
        ),
        (
            "fetch_article on html",
            source(
                "id = \"a\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\ncategory = \"Tin\"\nfetch_article = true",
            ),
            "conf/t.toml:9:17: `fetch_article` is for `kind = \"feed\"`; a `html` source always reads its articles as it finds them",
        ),
        (
            "fetch_article as text",
            feed("fetch_article = \"yes\""),
            "conf/t.toml:9:17: invalid type: string \"yes\", expected a boolean",
        ),
        (
            "feed without url",
            source("id = \"a\"\nkind = \"feed\"\ncategory = \"Tin\""),
            "conf/t.toml:6:8: a feed source needs `url` (or `urls`) of its RSS, Atom or JSON feed",
        ),
        (
            "feed with path",
            source("id = \"a\"\nkind = \"feed\"\npath = \"feeds\"\ncategory = \"Tin\""),
            "conf/t.toml:7:8: `path` is for `kind = \"files\"`; a feed source takes `url` or `urls`",
        ),
        (
            "feed over ftp",
            source("id = \"a\"\nkind = \"feed\"\nurl = \"ftp://tuoitre.vn/rss\"\ncategory = \"Tin\""),
            "conf/t.toml:7:7: invalid value `ftp://tuoitre.vn/rss`, expected an http(s) or file URL",
        ),
    ];
    for (name, text, expected) in cases {
        assert_eq!(errors(text), vec![expected.to_string()], "case `{name}`");
    }
}
