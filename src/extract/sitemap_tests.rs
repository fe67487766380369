use chrono::DateTime;

use super::*;

fn page(url: &str, body: &str) -> FetchedPage {
    FetchedPage {
        requested_url: Url::parse(url).unwrap(),
        url: Url::parse(url).unwrap(),
        body: body.to_string(),
        content_type: Some("application/xml".into()),
        charset: "UTF-8",
        etag: None,
        last_modified: None,
        fetched_at: DateTime::parse_from_rfc3339("2026-11-26T09:00:00+07:00").unwrap(),
    }
}

fn urls(body: &str) -> Vec<SitemapUrl> {
    match sitemap(&page("https://baoninhbinh.org.vn/sitemaps/news.xml", body)) {
        Ok(Sitemap::Urls(urls)) => urls,
        other => panic!("not a urlset: {other:?}"),
    }
}

fn locs(body: &str) -> Vec<String> {
    urls(body).into_iter().map(|u| u.loc.to_string()).collect()
}

fn error(body: &str) -> String {
    sitemap(&page("https://baoninhbinh.org.vn/sitemap.xml", body)).expect_err("not a sitemap")
}

#[test]
fn a_google_news_sitemap_gives_titles_dates_and_pictures() {
    let body = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
        <?xml-stylesheet type=\"text/xsl\" href=\"/sitemap.xsl\"?>\n\
        <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"\n\
                xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"\n\
                xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\">\n\
          <url>\n\
            <loc>\n  https://baoninhbinh.org.vn/ha-nam-khoi-cong-cau-vuot-song-day-202611251030001.html  \n</loc>\n\
            <lastmod>2026-11-25T11:02:00+07:00</lastmod>\n\
            <news:news>\n\
              <news:publication><news:name>Báo Ninh Bình</news:name><news:language>vi</news:language></news:publication>\n\
              <news:publication_date>2026-11-25T10:30:00+07:00</news:publication_date>\n\
              <news:title><![CDATA[Hà Nam khởi công cầu vượt sông Đáy & đường dẫn]]></news:title>\n\
            </news:news>\n\
            <image:image><image:loc>/uploads/2026/11/25/cau-song-day.jpg</image:loc></image:image>\n\
            <image:image><image:loc>https://baoninhbinh.org.vn/uploads/anh-2.jpg</image:loc></image:image>\n\
          </url>\n\
          <url><loc>https://baoninhbinh.org.vn/le-hoi-chua-tam-chuc-202611240815002.html</loc>\n\
            <news:news><news:title>L&#7877; h&#7897;i ch&ugrave;a Tam Ch&#xFA;c &quot;mở cửa&quot;</news:title></news:news>\n\
          </url>\n\
        </urlset>\n";
    let found = urls(body);
    assert_eq!(found.len(), 2);
    let first = &found[0];
    assert_eq!(
        first.loc.as_str(),
        "https://baoninhbinh.org.vn/ha-nam-khoi-cong-cau-vuot-song-day-202611251030001.html"
    );
    assert_eq!(first.lastmod.as_deref(), Some("2026-11-25T11:02:00+07:00"));
    assert_eq!(first.publication_date.as_deref(), Some("2026-11-25T10:30:00+07:00"));
    assert_eq!(first.news_title.as_deref(), Some("Hà Nam khởi công cầu vượt sông Đáy & đường dẫn"));
    // the publication's own name is not the article's title; the first picture wins, made absolute
    assert_eq!(
        first.image.as_deref(),
        Some("https://baoninhbinh.org.vn/uploads/2026/11/25/cau-song-day.jpg")
    );
    let second = &found[1];
    assert_eq!(second.news_title.as_deref(), Some("Lễ hội chùa Tam Chúc \"mở cửa\""));
    assert_eq!((second.lastmod.as_ref(), second.publication_date.as_ref()), (None, None));
}

#[test]
fn prefixes_and_namespaces_do_not_matter() {
    let cases = [
        // another prefix for the news namespace
        "<urlset xmlns:n=\"http://www.google.com/schemas/sitemap-news/0.9\"><url><loc>https://a.vn/x-12345.html</loc>\
         <n:news><n:title>Tin mới</n:title><n:publication_date>2026-11-25</n:publication_date></n:news></url></urlset>",
        // an undeclared prefix, and the sitemap namespace written as a prefix too
        "<sm:urlset><sm:url><sm:loc>https://a.vn/x-12345.html</sm:loc>\
         <news:news><news:title>Tin mới</news:title><news:publication_date>2026-11-25</news:publication_date>\
         </news:news></sm:url></sm:urlset>",
        // upper-case names and a mismatched end prefix
        "<URLSET><URL><LOC>https://a.vn/x-12345.html</LOC><news:news><news:title>Tin mới</title>\
         <news:publication_date>2026-11-25</news:publication_date></news:news></URL></URLSET>",
    ];
    for body in cases {
        let found = urls(body);
        assert_eq!(found.len(), 1, "{body}");
        assert_eq!(found[0].loc.as_str(), "https://a.vn/x-12345.html", "{body}");
        assert_eq!(found[0].news_title.as_deref(), Some("Tin mới"), "{body}");
        assert_eq!(found[0].publication_date.as_deref(), Some("2026-11-25"), "{body}");
    }
}

#[test]
fn an_index_lists_child_sitemaps_with_their_lastmod() {
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
        <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
          <sitemap><loc>https://tuoitre.vn/sitemaps/2026-10.xml</loc><lastmod>2026-10-31T23:59:00+07:00</lastmod></sitemap>\n\
          <sitemap><loc>/sitemaps/news.xml.gz</loc></sitemap>\n\
          <sitemap><loc>   </loc></sitemap>\n\
        </sitemapindex>";
    let Ok(Sitemap::Index(children)) = sitemap(&page("https://tuoitre.vn/sitemap.xml", body)) else {
        panic!("an index")
    };
    assert_eq!(
        children,
        [
            SitemapRef {
                loc: Url::parse("https://tuoitre.vn/sitemaps/2026-10.xml").unwrap(),
                lastmod: Some("2026-10-31T23:59:00+07:00".into())
            },
            SitemapRef { loc: Url::parse("https://tuoitre.vn/sitemaps/news.xml.gz").unwrap(), lastmod: None },
        ]
    );
}

#[test]
fn only_web_links_are_taken() {
    let body = "<urlset>\
        <url><loc>https://vnexpress.net/gia-vang-tang-manh-4846612.html?utm_source=sitemap&amp;a=1#top</loc></url>\
        <url><loc>https://vnexpress.net/gia-xang-giam-4846613.html?w=1200&h=0</loc></url>\
        <url><loc>javascript:alert(1)</loc></url>\
        <url><loc>mailto:toasoan@vnexpress.net</loc></url>\
        <url><loc>file:///etc/passwd</loc></url>\
        <url><lastmod>2026-11-25</lastmod></url>\
        <sitemap><loc>https://vnexpress.net/not-an-url-entry.xml</loc></sitemap>\
        </urlset>";
    assert_eq!(
        locs(body),
        [
            // the fragment goes; a bare `&` (invalid XML, common in sitemaps) is read as written
            "https://vnexpress.net/gia-vang-tang-manh-4846612.html?utm_source=sitemap&a=1",
            "https://vnexpress.net/gia-xang-giam-4846613.html?w=1200&h=0",
        ]
    );
    // a sitemap on disk may list files next to it
    let local = page("file:///srv/demo/sitemap.xml", "<urlset><url><loc>bai-1.html</loc></url></urlset>");
    let Ok(Sitemap::Urls(found)) = sitemap(&local) else { panic!("a urlset") };
    assert_eq!(found[0].loc.as_str(), "file:///srv/demo/bai-1.html");
}

#[test]
fn an_empty_urlset_is_a_sitemap_with_nothing_new() {
    assert_eq!(
        locs("<?xml version=\"1.0\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"/>"),
        [""; 0]
    );
    assert_eq!(locs("<urlset>\n</urlset>"), [""; 0]);
}

#[test]
fn a_plain_text_sitemap_is_one_url_per_line() {
    let body = "https://baohanam.com.vn/kinh-te/a-122901.html\r\n\r\n  https://baohanam.com.vn/kinh-te/b-122902.html\n";
    assert_eq!(
        locs(body),
        ["https://baohanam.com.vn/kinh-te/a-122901.html", "https://baohanam.com.vn/kinh-te/b-122902.html"]
    );
}

#[test]
fn what_is_not_a_sitemap_says_why() {
    let cases = [
        ("", "the document is empty"),
        ("\u{feff}  \n", "the document is empty"),
        (
            "<!DOCTYPE html><html><head><title>Lỗi 404</title></head><body>Không tìm thấy trang</body></html>",
            "its root element is `<html>`, not `<urlset>` or `<sitemapindex>`",
        ),
        (
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Tin mới</title></channel></rss>",
            "its root element is `<rss>`, not `<urlset>` or `<sitemapindex>`",
        ),
        (
            "Dịch vụ tạm ngừng để bảo trì",
            "it is neither XML nor a list of URLs (it starts with `Dịch vụ tạm ngừng để bảo trì`)",
        ),
        ("<?xml version=\"1.0\"?>\n<!-- chưa có nội dung -->\n", "the document holds no XML element"),
    ];
    for (body, expected) in cases {
        assert_eq!(error(body), expected, "{body:?}");
    }
    let cut = "<?xml version=\"1.0\"?>\n<urlset>\n<url><loc>https://a.vn/x-12345.html</loc></url>\n<url><loc>https://a";
    assert_eq!(error(cut), "the document ends before `</urlset>`: it is cut short");
    let broken = error(
        "<?xml version=\"1.0\"?>\n<urlset>\n<url><loc>https://a.vn/x-12345.html</loc></url>\n<!-- hỏng",
    );
    assert!(broken.starts_with("not well-formed XML at line 4: "), "{broken}");
}
