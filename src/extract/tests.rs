//! Whole-page tests on inline fixtures shaped like the Vietnamese pages tinfeed reads.

use chrono::DateTime;
use pretty_assertions::assert_eq;
use url::Url;

mod listing;

use super::{Selector, article, plain_text};
use crate::config::Selectors;
use crate::model::FetchedPage;

pub(super) fn page(url: &str, body: &str) -> FetchedPage {
    let url = Url::parse(url).unwrap();
    FetchedPage {
        requested_url: url.clone(),
        url,
        body: body.to_string(),
        content_type: Some("text/html; charset=utf-8".into()),
        charset: "UTF-8",
        etag: None,
        last_modified: None,
        fetched_at: DateTime::parse_from_rfc3339("2024-11-28T09:00:00+07:00").unwrap(),
    }
}

pub(super) fn sel(css: &str) -> Option<Selector> {
    Some(Selector::parse(css).unwrap())
}

/// The shape of the benchmark site (shared/bench/make_corpus.py): a `<script>` holding title
/// markup, site menu and footer, a related box and an `aside.box-most-read` of other stories.
fn corpus_article(meta: &str, date_line: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Hà Nội khởi công cầu vượt sông - Báo Tin Nhanh Việt</title>
<meta property="og:site_name" content="Báo Tin Nhanh Việt">
{meta}
<script>var tplAd = '<div class="ad-slot"><h1 class="article-title">Quảng cáo</h1><p class="article-sapo">Nội dung tài trợ</p></div>';</script>
</head><body>
<div class="top-bar"><span class="today">Cập nhật liên tục 24/7</span></div>
<header class="site-header"><a class="logo" href="/">Báo Tin Nhanh Việt</a></header>
<nav class="main-nav"><ul class="menu"><li><a href="/thoi-su/">Thời sự</a></li></ul></nav>
<div class="container"><nav class="breadcrumb"><a href="/">Trang chủ</a> › <a class="crumb-category" href="/thoi-su/">Thời sự</a></nav>
<main class="col-main"><article class="article-detail" data-id="4846612">
<div class="article-meta">{date_line}<span class="views">1520 lượt xem</span></div>
<h1 class="article-title">
	  Hà Nội khởi công   cầu vượt sông </h1>
<p class="article-sapo">Sáng 28/11, Hà Nội khởi công cầu vượt sông tại Hà Nội, với tổng vốn khoảng 900 tỷ đồng.</p>
<div class="article-body">
<p class="para">Theo ông Nguyễn Văn An, dự án sẽ hoàn thành vào cuối năm nay sau nhiều tháng chuẩn bị.</p>
<figure class="article-image"><img src="/static/img/p3.png" alt="Toàn cảnh" loading="lazy"><figcaption>Toàn cảnh công trường. Ảnh: Lê Minh</figcaption></figure>
<div class="ad-inread" id="ad-inread"><div id="div-ad-inread"></div></div>
<p class="para">Cùng ngày, Sở Xây dựng kiểm tra hệ thống thoát nước &amp; trạm bơm tiêu úng.</p>
</div>
<p class="article-author"><strong>Trần Thị Lan</strong></p>
<div class="article-tags"><a href="/thoi-su/">#Thời sự</a></div>
</article>
<section class="box-related"><h2 class="box-title">Tin liên quan</h2><ul><li><a href="/thoi-su/tin-khac-1234567.html">Tin khác</a></li></ul></section>
</main>
<aside class="box-most-read"><h2 class="box-title">Đọc nhiều</h2>
<article class="story story-mini" data-id="7654321"><h3 class="story-title"><a href="/kinh-te/gia-vang-7654321.html">Giá vàng tăng mạnh</a></h3>
<p class="story-sapo">Giá vàng tăng.</p><time class="story-time" datetime="2024-11-20T10:00:00+07:00">20/11/2024 10:00</time></article>
</aside></div>
<footer class="site-footer"><p class="license">Giấy phép số 999/GP-BTTTT. Tổng Biên tập: Nguyễn Văn Mẫu.</p></footer>
</body></html>"#
    )
}

#[test]
fn script_contents_are_never_parsed_as_elements() {
    let html = corpus_article("", "");
    let doc = scraper::Html::parse_document(&html);
    let h1 = scraper::Selector::parse("h1").unwrap();
    let titles: Vec<String> = doc.select(&h1).map(|e| e.text().collect()).collect();
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(!titles[0].contains("Quảng cáo"));
}

#[test]
fn corpus_page_generic_extraction_ignores_decoys() {
    let meta = r#"<meta property="og:title" content="Hà Nội khởi công cầu vượt sông">
<meta property="article:published_time" content="2024-11-28T08:30:00+07:00">"#;
    let date_line = r#"<span class="pub-date">Thứ Năm, 28/11/2024 08:30 (GMT+7)</span>"#;
    let url = "http://127.0.0.1:18080/thoi-su/ha-noi-khoi-cong-cau-vuot-song-4846612.html";
    let item = article(&page(url, &corpus_article(meta, date_line)), &Selectors::default());
    assert_eq!(item.title.as_deref(), Some("Hà Nội khởi công cầu vượt sông"));
    assert_eq!(item.date.as_deref(), Some("2024-11-28T08:30:00+07:00"));
    assert_eq!(
        item.summary.as_deref(),
        Some("Sáng 28/11, Hà Nội khởi công cầu vượt sông tại Hà Nội, với tổng vốn khoảng 900 tỷ đồng.")
    );
    assert_eq!(item.author.as_deref(), Some("Trần Thị Lan"));
    assert_eq!(item.image.as_deref(), Some("http://127.0.0.1:18080/static/img/p3.png"));
    assert_eq!(item.categories, vec!["Thời sự".to_string()]);
    let body = item.content_html.unwrap();
    assert!(body.starts_with("\n<p class=\"para\">Theo ông Nguyễn Văn An"), "{body}");
    assert!(body.contains("thoát nước &amp; trạm bơm"));
    for decoy in
        ["ad-inread", "Quảng cáo", "Nội dung tài trợ", "Giá vàng", "Tin khác", "Giấy phép", "Trần Thị Lan"]
    {
        assert!(!body.contains(decoy), "{decoy} in {body}");
    }
}

#[test]
fn corpus_page_without_metadata_falls_back_to_the_visible_page() {
    // The h1 (not the one in the script), the visible date line, and never the sidebar's time.
    let date_line = r#"<span class="pub-date">Thứ năm, 28/11/2024, 08:30 (GMT+7)</span>"#;
    let url = "http://127.0.0.1:18080/thoi-su/ha-noi-khoi-cong-cau-vuot-song-4846612.html";
    let item = article(&page(url, &corpus_article("", date_line)), &Selectors::default());
    assert_eq!(item.title.as_deref(), Some("Hà Nội khởi công   cầu vượt sông"));
    assert_eq!(item.date.as_deref(), Some("Thứ năm, 28/11/2024, 08:30 (GMT+7)"));

    let undated = article(&page(url, &corpus_article("", "")), &Selectors::default());
    assert_eq!(undated.date, None, "a date was taken from the most-read box");
}

const BAO_HA_NAM: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Lễ hội truyền thống chùa Long Đọi Sơn năm 2024 - Báo Hà Nam</title>
<meta property="og:title" content="Lễ hội chùa Long Đọi Sơn (og)">
<meta property="og:image" content="https://baohanam-fileserver.nvcms.net/og.jpg">
</head><body>
<div class="box-news-detail">
<h1 class="title">Lễ hội truyền thống chùa Long Đọi Sơn năm 2024</h1>
<div class="date">07:22 25/02/2020</div>
<div class="sapo">Sáng 25/2 (16 tháng Giêng), tại chùa Long Đọi Sơn, xã Đọi Sơn, thị xã Duy Tiên đã diễn ra Lễ hội truyền thống năm 2024.</div>
<div class="detail">
<p>Lễ hội chùa Long Đọi Sơn là một trong những lễ hội lớn của tỉnh Hà Nam.</p>
<p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="https://baohanam-fileserver.nvcms.net/IMAGES/2024/02/25/le-hoi.jpg" alt="Nghi lễ rước kiệu"></p>
<p class="note">Tin, ảnh: Biên tập viên</p>
<p>Lễ hội diễn ra đến hết ngày 27/2./.</p>
</div>
<p class="author">Minh Anh</p>
</div></body></html>"#;

#[test]
fn configured_selectors_win_on_a_bao_ha_nam_page() {
    let selectors = Selectors {
        title: sel("h1.title"),
        summary: sel(".sapo"),
        content: sel(".detail"),
        date: sel(".date"),
        author: sel(".author"),
        image: sel(".detail img"),
        remove: sel("p.note"),
        ..Selectors::default()
    };
    let url =
        "https://baohanam.com.vn/van-hoa/le-hoi/le-hoi-truyen-thong-chua-long-doi-son-nam-2024-122101.html";
    let item = article(&page(url, BAO_HA_NAM), &selectors);
    assert_eq!(item.url, url);
    assert_eq!(item.title.as_deref(), Some("Lễ hội truyền thống chùa Long Đọi Sơn năm 2024"));
    assert_eq!(item.date.as_deref(), Some("07:22 25/02/2020"));
    assert_eq!(item.author.as_deref(), Some("Minh Anh"));
    assert!(item.summary.as_deref().unwrap().starts_with("Sáng 25/2 (16 tháng Giêng)"));
    let lazy = "https://baohanam-fileserver.nvcms.net/IMAGES/2024/02/25/le-hoi.jpg";
    assert_eq!(item.image.as_deref(), Some(lazy));
    let body = item.content_html.unwrap();
    assert!(body.contains(&format!(r#"<img src="{lazy}" alt="Nghi lễ rước kiệu">"#)), "{body}");
    assert!(!body.contains("Biên tập viên"), "remove selector ignored: {body}");
    assert!(body.contains("đến hết ngày 27/2./."));

    // The same page without selectors: og:title and og:image take over, the body is `.detail`.
    let generic = article(&page(url, BAO_HA_NAM), &Selectors::default());
    assert_eq!(generic.title.as_deref(), Some("Lễ hội chùa Long Đọi Sơn (og)"));
    assert_eq!(generic.image.as_deref(), Some("https://baohanam-fileserver.nvcms.net/og.jpg"));
    assert_eq!(generic.date.as_deref(), Some("07:22 25/02/2020"));
    assert!(generic.content_html.unwrap().contains("một trong những lễ hội lớn"));
}

#[test]
fn metadata_only_page_uses_og_and_json_ld() {
    let html = r#"<html><head>
<base href="https://baoninhbinh.org.vn/">
<meta property="og:description" content="Chiều 22/4, Ban Thường vụ Tỉnh ủy Hà Nam họp phiên thường kỳ.">
<link rel="canonical" href="/ha-nam-hop-phien-thuong-ky-202504221746001.html">
<script type="application/ld+json">{ "@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "Báo Ninh Bình"},
 {"@type": "NewsArticle", "headline": "Tỉnh ủy Hà Nam họp phiên thường kỳ tháng 4",
  "datePublished": "2025-04-22T17:46:00+07:00", "author": [{"@type": "Person", "name": "Thu Hà"}],
  "image": {"@type": "ImageObject", "url": "uploads/2025/04/22/hop.jpg"}} ] }</script>
<script type="application/ld+json">{ "@type": "NewsArticle", "headline": </script>
</head><body><div id="app"></div></body></html>"#;
    let item = article(&page("https://baoninhbinh.org.vn/tin?id=1", html), &Selectors::default());
    assert_eq!(item.title.as_deref(), Some("Tỉnh ủy Hà Nam họp phiên thường kỳ tháng 4"));
    assert_eq!(
        item.summary.as_deref(),
        Some("Chiều 22/4, Ban Thường vụ Tỉnh ủy Hà Nam họp phiên thường kỳ.")
    );
    assert_eq!(item.date.as_deref(), Some("2025-04-22T17:46:00+07:00"));
    assert_eq!(item.author.as_deref(), Some("Thu Hà"));
    assert_eq!(item.image.as_deref(), Some("https://baoninhbinh.org.vn/uploads/2025/04/22/hop.jpg"));
    assert_eq!(
        item.canonical.as_deref(),
        Some("https://baoninhbinh.org.vn/ha-nam-hop-phien-thuong-ky-202504221746001.html")
    );
    assert_eq!(item.content_html, None);
}

#[test]
fn vnexpress_like_page_without_selectors() {
    let html = r#"<html><head><title>Giá vàng tăng mạnh - VnExpress Kinh doanh</title>
<meta name="description" content="Mô tả ngắn cho máy tìm kiếm">
</head><body>
<header id="header"><span class="date">Thứ năm, 28/11/2024</span></header>
<section class="section page-detail top-detail"><div class="container">
<div class="sidebar-1">
<span class="date">Thứ năm, 17/9/2026, 07:31 (GMT+7)</span>
<h1 class="title-detail">Giá vàng tăng mạnh</h1>
<p class="description"><span class="location-stamp">Hà Nội</span>Giá vàng miếng tăng 2 triệu đồng mỗi lượng trong sáng nay.</p>
<article class="fck_detail">
<p class="Normal">Sáng 17/9, giá vàng miếng SJC được niêm yết ở mức 120 triệu đồng mỗi lượng.</p>
<div class="box-tinlienquanv2"><a href="/gia-bac-4846000.html">Giá bạc cũng tăng</a></div>
<p class="Normal">Các chuyên gia dự báo giá còn biến động trong tuần tới.</p>
<p class="Normal" style="text-align:right;"><strong>Minh Sơn</strong></p>
</article></div></div></section>
<div class="box-most-read"><span class="date">01/01/2020</span></div>
</body></html>"#;
    let item =
        article(&page("https://vnexpress.net/gia-vang-tang-manh-4846612.html", html), &Selectors::default());
    assert_eq!(item.title.as_deref(), Some("Giá vàng tăng mạnh"));
    assert_eq!(item.date.as_deref(), Some("Thứ năm, 17/9/2026, 07:31 (GMT+7)"));
    assert_eq!(item.summary.as_deref(), Some("Giá vàng miếng tăng 2 triệu đồng mỗi lượng trong sáng nay."));
    let body = item.content_html.unwrap();
    assert!(body.contains("niêm yết ở mức 120 triệu") && body.contains("Minh Sơn"), "{body}");
    assert!(!body.contains("Giá bạc"), "related box kept: {body}");
}

#[test]
fn densest_paragraphs_win_when_no_container_is_known() {
    let html = r#"<html><body><div class="wrap">
<div class="teaser"><p>Tin ngắn một.</p></div>
<div class="noi-dung"><p>Đoạn một của bài viết về hội nghị tổng kết năm của tỉnh Hà Nam.</p>
<p>Đoạn hai nêu kết quả phát triển kinh tế - xã hội năm 2024.</p></div>
</div></body></html>"#;
    let item = article(&page("https://example.vn/bai-12345.html", html), &Selectors::default());
    let body = item.content_html.unwrap();
    assert!(body.starts_with("<p>Đoạn một") && !body.contains("Tin ngắn"), "{body}");
}

#[test]
fn stories_after_the_body_lend_no_sapo_or_date() {
    // A Tuổi Trẻ-like page whose article has no sapo or date of its own, followed by a
    // "same category" list (not marked as furniture) with sapos and times.
    let html = r#"<html><head><meta property="og:description" content="Sapo từ og:description."></head>
<body class="has-sidebar"><div id="wrapper" class="with-sidebar"><div class="main">
<h1 class="detail-title">Hà Nam đón 1,2 triệu lượt khách dịp Tết</h1>
<div class="detail-content afcbc-body"><p>Trong 9 ngày nghỉ Tết, các điểm du lịch Hà Nam đón khoảng 1,2 triệu lượt khách.</p></div>
<div class="box-category"><div class="box-category-item"><h3><a href="/tin-khac-20250212.htm">Tin khác</a></h3>
<p class="box-category-sapo">Sapo của một bài khác.</p><span class="time">12/02/2025 08:00</span></div></div>
</div></div></body></html>"#;
    let item = article(
        &page("https://tuoitre.vn/ha-nam-don-khach-20250212093000123.htm", html),
        &Selectors::default(),
    );
    assert_eq!(item.title.as_deref(), Some("Hà Nam đón 1,2 triệu lượt khách dịp Tết"));
    assert_eq!(item.summary.as_deref(), Some("Sapo từ og:description."));
    assert_eq!(item.date, None);
    assert!(item.content_html.unwrap().contains("1,2 triệu lượt khách"));
}

#[test]
fn a_selector_may_point_at_a_meta_tag() {
    let html = r#"<html><head><meta name="title" content="Tiêu đề trong meta"></head><body><h1>Khác</h1></body></html>"#;
    let selectors = Selectors { title: sel("meta[name=title]"), ..Selectors::default() };
    let item = article(&page("https://baohanam.com.vn/a-122101.html", html), &selectors);
    assert_eq!(item.title.as_deref(), Some("Tiêu đề trong meta"));
}

#[test]
fn plain_text_lines_become_paragraphs() {
    let url = Url::parse("file:///srv/demo/bai-1.txt").unwrap();
    let item = plain_text("\u{feff}Sáng 27/11, Hà Nam tổ chức hội nghị.\r\n\r\n  Đoạn hai./.\n", &url);
    assert_eq!(item.paragraphs, vec!["Sáng 27/11, Hà Nam tổ chức hội nghị.", "Đoạn hai./."]);
    assert_eq!(item.url, "file:///srv/demo/bai-1.txt");
    assert_eq!(item.title, None);
}

#[test]
fn plain_text_body_ends_at_the_end_mark() {
    let url = Url::parse("file:///srv/demo/bai-2.txt").unwrap();
    let text = "Đoạn một về hội nghị.\nĐoạn cuối của bài./.\n\
                Sáng 27/11, tin liên quan thứ nhất.\nBÁO HÀ NAM ĐIỆN TỬ\nTổng Biên tập: Lê Hồng Kỳ\n";
    let item = plain_text(text, &url);
    assert_eq!(item.paragraphs, vec!["Đoạn một về hội nghị.", "Đoạn cuối của bài./."]);
}

#[test]
fn declared_categories_come_from_every_kind_of_breadcrumb() {
    let url = "https://vnexpress.net/viet-nam-thang-thai-lan-4846612.html";
    let body = |crumbs: &str, head: &str| {
        format!(
            "<html><head><title>Việt Nam thắng Thái Lan</title>{head}</head><body>{crumbs}<article><h1>Việt Nam \
             thắng Thái Lan</h1><p>Đội tuyển Việt Nam thắng Thái Lan 2-1 tối 5/1 tại sân Việt Trì.</p></article>\
             </body></html>"
        )
    };
    let cases: &[(&str, &str, &[&str])] = &[
        // `.breadcrumb a`, the home link left out
        (
            r#"<ul class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/the-thao">Thể thao</a></li>
               <li><a href="/bong-da">Bóng đá</a></li></ul>"#,
            "",
            &["Thể thao", "Bóng đá"],
        ),
        // Bootstrap's `nav[aria-label=breadcrumb]` with no class
        (
            r#"<nav aria-label="Breadcrumb"><ol><li><a href="/">Trang chủ</a></li><li><a href="/the-thao">Thể thao</a></li></ol></nav>"#,
            "",
            &["Thể thao"],
        ),
        // microdata
        (
            r#"<ol itemscope itemtype="https://schema.org/BreadcrumbList"><li itemprop="itemListElement" itemscope
               itemtype="https://schema.org/ListItem"><a itemprop="item" href="/giai-tri"><span itemprop="name">Giải trí</span></a></li></ol>"#,
            "",
            &["Giải trí"],
        ),
        // JSON-LD only, then article:section
        (
            "",
            r#"<meta property="article:section" content="Thể thao"><script type="application/ld+json">{"@type":"BreadcrumbList","itemListElement":[
               {"@type":"ListItem","position":1,"name":"Trang chủ"},{"@type":"ListItem","position":2,"name":"Bóng đá"}]}</script>"#,
            &["Bóng đá", "Thể thao"],
        ),
        // JSON-LD articleSection when no meta says it
        (
            "",
            r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Việt Nam thắng Thái Lan","articleSection":"Thể thao"}</script>"#,
            &["Thể thao"],
        ),
        ("", "", &[]),
    ];
    for (crumbs, head, expected) in cases {
        let item = article(&page(url, &body(crumbs, head)), &Selectors::default());
        assert_eq!(item.categories, *expected, "{crumbs}{head}");
        assert_eq!(
            item.title.as_deref(),
            Some("Việt Nam thắng Thái Lan"),
            "breadcrumb links are not the title"
        );
    }
}
