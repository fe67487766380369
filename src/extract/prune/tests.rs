use std::path::Path;

use proptest::strategy::Strategy;
use url::Url;

use super::*;
use crate::config::Selectors;
use crate::extract::Selector;
use crate::extract::article::{article as read_article, article_uncut};
use crate::extract::links::{listing, listing_uncut};
use crate::model::FetchedPage;

fn selectors(pairs: &[(&str, &str)]) -> Selectors {
    let mut s = Selectors::default();
    for (field, text) in pairs {
        let sel = Some(Selector::parse(text).unwrap());
        match *field {
            "title" => s.title = sel,
            "summary" => s.summary = sel,
            "content" => s.content = sel,
            "date" => s.date = sel,
            "author" => s.author = sel,
            "image" => s.image = sel,
            "remove" => s.remove = sel,
            other => panic!("no field {other}"),
        }
    }
    s
}

fn fetched(body: &str) -> FetchedPage {
    let url = Url::parse("https://baohanam.example/thoi-su/bai-viet-123.html").unwrap();
    FetchedPage {
        requested_url: url.clone(),
        url,
        body: body.to_string(),
        content_type: None,
        charset: "UTF-8",
        etag: None,
        last_modified: None,
        fetched_at: chrono::DateTime::parse_from_rfc3339("2026-11-26T09:00:00+07:00").unwrap(),
    }
}

/// The selectors of the benchmark site, and sets aimed at furniture and at what sits in it.
fn selector_sets() -> Vec<Selectors> {
    vec![
        Selectors::default(),
        selectors(&[
            ("title", "h1.article-title"),
            ("summary", "p.article-sapo"),
            ("content", "div.article-body"),
            ("date", "div.article-meta span.pub-date"),
            ("author", "p.article-author strong"),
            ("image", "div.article-body figure img"),
        ]),
        selectors(&[("author", "aside .author-box"), ("image", ".widget img"), ("date", "nav time")]),
        selectors(&[("content", ".post-body"), ("title", ".widget h3.post-title")]),
        selectors(&[("summary", "div.sapo"), ("content", "#noi-dung"), ("remove", ".box-related")]),
    ]
}

const ARTICLE: &str = r#"<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Khánh thành cầu Phủ Lý mới - Báo Hà Nam</title>
<meta property="og:title" content="Khánh thành cầu Phủ Lý mới">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Khánh thành cầu Phủ Lý mới"}</script>
</head><body>
<header class="site-header"><nav class="main-nav"><ul><li><a href="/">Trang chủ</a></li>
<li><a href="/thoi-su/"><strong>Thời sự</strong></a></li><li><a href="/kinh-te/">Kinh tế</a></li></ul></nav></header>
<nav class="breadcrumb"><a href="/">Trang chủ</a> › <a class="crumb-category" href="/thoi-su/">Thời sự</a></nav>
<main><article class="article-detail">
<h1 class="article-title">Khánh thành cầu Phủ Lý mới</h1>
<div class="article-meta"><span class="pub-date">26/11/2026 08:15</span></div>
<p class="article-sapo">Sáng 26/11, tỉnh Hà Nam khánh thành cầu Phủ Lý mới bắc qua sông Đáy.</p>
<div class="article-body">
<div class="box-related"><figure><img src="/anh/lien-quan.jpg"></figure><a href="/khac.html">Tin liên quan</a></div>
<p>Cây cầu dài 350 m, rộng 24 m, tổng vốn đầu tư hơn 500 tỷ đồng, nối hai bờ sông Đáy.</p>
<figure><img src="/anh/cau-phu-ly.jpg" alt="Cầu Phủ Lý"><figcaption>Cầu Phủ Lý mới.</figcaption></figure>
<p>Công trình giúp giảm ùn tắc cho trung tâm thành phố Phủ Lý vào giờ cao điểm.</p>
<p class="article-author"><strong>Minh Anh</strong></p>
</div></article></main>
<aside class="box-most-read"><h3>Đọc nhiều</h3>
<article class="story"><a href="/a.html"><img src="/anh/a.jpg"></a><h3 class="story-title"><a href="/a.html">Tin đọc nhiều một</a></h3><time datetime="2026-11-25T07:00:00+07:00">25/11</time></article>
<article class="story"><a href="/b.html"><img src="/anh/b.jpg"></a><h3 class="story-title"><a href="/b.html">Tin đọc nhiều hai</a></h3><p class="sapo">Một tin khác hẳn.</p></article>
</aside>
<footer class="site-footer"><p>BÁO HÀ NAM ĐIỆN TỬ</p><p>Giấy phép số 68/GP-BTTTT</p></footer>
</body></html>"#;

/// Pages built to trip a tag scan: each must read the same with its furniture cut.
fn tricky_pages() -> Vec<String> {
    let body = |inner: &str| ARTICLE.replace("<main>", &format!("{inner}<main>"));
    vec![
        ARTICLE.to_string(),
        // misnested: the `</div>` closes the nav early, the story is outside it
        body(
            "<div class=\"wrap\"><nav>menu</div><p>Đoạn văn của bài viết nằm ngoài menu, đủ dài để là thân bài.</p></nav>",
        ),
        // a formatting element left open in a menu is reopened after it
        body("<nav><b>menu đậm</nav>"),
        body("<b><nav>x</b>y</nav>"),
        // metadata and JSON-LD inside furniture are still read
        body(
            "<div class=\"footer\"><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2026-11-26T08:15:00+07:00\"}</script></div>",
        ),
        body(
            "<aside><meta itemprop=\"datePublished\" content=\"2026-11-20T10:00:00+07:00\"><span itemprop=\"author\">Sidebar</span></aside>",
        ),
        // Blogger puts posts in a `.widget`
        body(
            "<div class=\"widget Blog\"><h3 class=\"post-title\">Tiêu đề trong widget</h3><div class=\"post-body\"><p>Nội dung bài viết trong widget của Blogger, đủ dài để là thân bài thật.</p></div></div>",
        ),
        // entities in a class, a table, a form, a select, a template, raw text
        body("<div class=\"side&#98;ar\"><p>Không phải thanh bên.</p></div>"),
        body("<nav><table><tr><td>menu</nav>"),
        body("<aside><form><input name=q></form></aside>"),
        body("<nav><select><option>Hà Nam</nav>"),
        body("<aside><template><p>mẫu</p></template></aside>"),
        body("<aside><textarea></aside><p>chữ</p></textarea></aside>"),
        body("<nav><!-- </nav> --><a href=\"/x\">x</a></nav>"),
        body("<NAV CLASS=\"Menu\"><A HREF=\"/y\">y</A></NAV>"),
        body("<aside><aside>trong</aside>ngoài</aside>"),
        body("<aside>không bao giờ đóng"),
        body("<p>Mở đầu <nav>giữa</nav> tiếp</p>"),
        body("<div class=\"sapo\">Tóm tắt của bài <ul class=\"related-links\"><li>Tin khác</li></ul></div>"),
        body(
            "<aside class=\"author-box\">Tác giả trong thanh bên</aside><nav><time datetime=\"2026-11-01\">1/11</time></nav>",
        ),
        body(
            "<div id=\"noi-dung\"><p>Thân bài theo id, có một hộp liên quan.</p><div class=\"box-related\"><p>Liên quan</p></div></div>",
        ),
        body("<script>var s = '<aside>';</script><aside>x</aside>"),
        body("<plaintext><aside>x</aside>"),
        // the parser keeps the first of two classes
        body(
            "<div class=\"article-note\" class=\"menu\"><p>Ghi chú của bài viết, không phải menu.</p></div>",
        ),
    ]
}

fn demo_pages() -> Vec<String> {
    let mut pages = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("config/demo/site")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                pages.push(String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned());
            }
        }
    }
    assert!(pages.len() > 10, "demo site pages missing");
    pages
}

#[test]
fn cutting_furniture_changes_nothing_that_is_read() {
    let pages = tricky_pages().into_iter().chain(demo_pages());
    for (i, body) in pages.enumerate() {
        let page = fetched(&body);
        for (j, selectors) in selector_sets().iter().enumerate() {
            assert_eq!(
                read_article(&page, selectors),
                article_uncut(&page, selectors),
                "page {i}, selectors {j}"
            );
        }
    }
}

const LISTING: &str = r#"<!DOCTYPE html><html lang="vi"><head><title>Thời sự - Báo Hà Nam</title>
<link rel="next" href="/thoi-su/trang-2.html"></head><body>
<nav class="main-nav"><a href="/thoi-su/">Thời sự</a><a href="/kinh-te/tin-menu-111.html">Tin trong menu</a></nav>
<div class="list-news">
<article class="story"><div class="story-related"><a href="/thoi-su/lien-quan-222.html">Liên quan</a></div>
<h3 class="story-title"><a href="/thoi-su/cau-phu-ly-333.html">Cầu Phủ Lý</a></h3></article>
<article class="story"><h3 class="story-title"><a href="/thoi-su/le-hoi-444.html">Lễ hội</a></h3></article>
</div>
<aside class="box-most-read"><article class="story"><h3 class="story-title"><a href="/kinh-te/doc-nhieu-555.html">Đọc nhiều</a></h3></article></aside>
<div class="pagination widget"><a class="next" href="/thoi-su/trang-2.html">Trang sau</a></div>
<footer class="site-footer"><a href="/gioi-thieu/lien-he-666.html">Liên hệ</a></footer>
</body></html>"#;

fn listing_sets() -> Vec<Selectors> {
    let with = |item: Option<&str>, next: Option<&str>| {
        let parse = |text: Option<&str>| text.map(|t| Selector::parse(t).unwrap());
        Selectors { item: parse(item), next: parse(next), ..Selectors::default() }
    };
    vec![
        with(None, None),
        with(Some("div.list-news article.story h3.story-title a"), Some("a.next")),
        with(Some("article.story"), Some("link[rel=next]")),
        with(Some(".box-most-read a"), Some(".pagination a")),
        with(Some("h3 a"), None),
    ]
}

#[test]
fn listings_read_the_same_with_furniture_cut() {
    let pages = [LISTING.to_string()].into_iter().chain(tricky_pages()).chain(demo_pages());
    for (i, body) in pages.enumerate() {
        let page = fetched(&body);
        for (j, selectors) in listing_sets().iter().enumerate() {
            assert_eq!(listing(&page, selectors), listing_uncut(&page, selectors), "page {i}, selectors {j}");
        }
    }
    // the menu and the most-read box are cut when no selector could need them
    let cut = page(LISTING, Keep::listing(&listing_sets()[1]));
    assert!(!cut.contains("doc-nhieu-555") && !cut.contains("tin-menu-111"), "{cut}");
    assert!(cut.contains("le-hoi-444") && cut.contains("trang-2"), "{cut}");
}

#[test]
fn menus_sidebars_and_boxes_lose_their_insides() {
    for set in [Selectors::default(), selector_sets().swap_remove(1)] {
        let cut = page(ARTICLE, Keep::article(&set));
        // what is never read is gone, the elements stay
        assert!(!cut.contains("Tin đọc nhiều"), "{cut}");
        assert!(cut.contains(r#"<aside class="box-most-read"></aside>"#), "{cut}");
        assert!(cut.contains(r#"<nav class="main-nav"></nav>"#), "{cut}");
        assert!(!cut.contains("Kinh tế"), "{cut}");
        // breadcrumbs, the story, and the related box the image selector could match are kept
        assert!(cut.contains("crumb-category"), "{cut}");
        assert!(cut.contains("Cây cầu dài 350 m"), "{cut}");
        assert!(cut.len() < ARTICLE.len() * 3 / 4, "{} of {}", cut.len(), ARTICLE.len());
    }
    // the body's related box: cut without an image selector, kept with one it could match
    assert!(!page(ARTICLE, Keep::article(&Selectors::default())).contains("lien-quan.jpg"));
    assert!(page(ARTICLE, Keep::article(&selector_sets()[1])).contains("lien-quan.jpg"));
}

#[test]
fn what_a_scan_cannot_follow_is_left_whole() {
    let default = Selectors::default();
    let keep = Keep::article(&default);
    for html in [
        "<div><nav>menu</div><p>bài</p></nav>",
        "<nav><b>đậm</nav><p>bài</p>",
        "<nav><table><tr><td>x</nav>",
        "<aside><form></form></aside>",
        "<aside>không đóng",
        "<div class=\"side&#98;ar\">x</div>",
        "<aside><meta itemprop=\"datePublished\" content=\"2026-11-20\"></aside>",
        "<nav aria-label=\"breadcrumb\"><a href=\"/\">Trang chủ</a></nav>",
        "<plaintext><nav>x</nav>",
        "<div class=\"note\" class=\"menu\">x</div>",
        // a table part in a caption or a cell closes it, taking the furniture around with it
        "<table><caption><div class=\"menu\"><tr></div><time>x</time>",
        "<table><tr><td><nav><col></nav>x",
    ] {
        assert_eq!(page(html, keep), html);
    }
    assert_eq!(page("<NAV><A>x</A></NAV><p>y", keep), "<NAV></NAV><p>y");
    assert_eq!(page("<aside><aside>a</aside>b</aside>c", keep), "<aside></aside>c");
    assert_eq!(page("<nav><!-- </nav> -->x</nav>y", keep), "<nav></nav>y");
    assert_eq!(page("<script>'<nav>'</script><nav>x</nav>", keep), "<script></script><nav></nav>");
}

#[test]
fn selectors_give_needles_or_stop_the_cut() {
    let needles = |text: &str| {
        selector_needles(text).map(|list| {
            list.into_iter()
                .map(|n| {
                    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
                    (text(n.last), n.ancestors.into_iter().map(text).collect::<Vec<_>>())
                })
                .collect::<Vec<_>>()
        })
    };
    let owned = |last: &str, ancestors: &[&str]| {
        (last.to_string(), ancestors.iter().map(|a| a.to_string()).collect())
    };
    assert_eq!(
        needles("div.article-body figure > img"),
        Some(vec![owned("<img", &["article-body", "<figure"])])
    );
    assert_eq!(
        needles("H1.Title, #Main [itemprop=headline]"),
        Some(vec![owned("title", &[]), owned("itemprop", &["main"])])
    );
    assert_eq!(needles("div:not(.x) p"), Some(vec![owned("<p", &["<div"])]));
    assert_eq!(needles(r#"a[title="x y.z"]"#), Some(vec![owned("title", &[])]));
    for hopeless in ["h1 + p", "h2 ~ .sapo", "*", ":first-child", r"\31 23"] {
        assert!(needles(hopeless).is_none(), "{hopeless}");
    }
    // a source with such a selector gets no cut at all
    let sibling = selectors(&[("date", "h1 + span")]);
    assert_eq!(page(ARTICLE, Keep::article(&sibling)), inert(ARTICLE));
}

#[test]
fn script_and_style_bodies_go_json_ld_and_markup_stay() {
    for (html, expected) in [
        ("<p>Tin</p>", "<p>Tin</p>"),
        (
            "<head><style>p{color:red}</style><script src=\"a.js\"></script></head><h1>Lũ lụt</h1>",
            "<head><style></style><script src=\"a.js\"></script></head><h1>Lũ lụt</h1>",
        ),
        (
            "<script>var t = '<h1 class=\"title\">Mồi nhử</h1>';</script><h1>Thật</h1>",
            "<script></script><h1>Thật</h1>",
        ),
        (
            "<SCRIPT type='text/javascript'>a<b</SCRIPT><p>x</p>",
            "<SCRIPT type='text/javascript'></SCRIPT><p>x</p>",
        ),
        (
            r#"<script type="application/ld+json">{"headline":"Giữ"}</script>"#,
            r#"<script type="application/ld+json">{"headline":"Giữ"}</script>"#,
        ),
        // a `>` inside a quoted attribute does not end the tag
        ("<script data-x=\"a>b\">code()</script>ok", "<script data-x=\"a>b\"></script>ok"),
        // a script named in a comment starts nothing
        (
            "<!-- <script> --><p>Giữ nguyên</p><script>x</script>",
            "<!-- <script> --><p>Giữ nguyên</p><script></script>",
        ),
        // <scripts> and <styled> are other elements
        ("<scripts>a</scripts><styled>b</styled>", "<scripts>a</scripts><styled>b</styled>"),
        // an unclosed script is left to the parser
        ("<p>a</p><script>never closed", "<p>a</p><script>never closed"),
        ("<style>", "<style>"),
        // inline SVG: the drawing goes, the element stays; nested drawings are counted
        (
            "<svg style=\"display:none\"><symbol id=\"a\"><path d=\"M4,1Z\"/></symbol></svg><h1>Tin</h1>",
            "<svg style=\"display:none\"></svg><h1>Tin</h1>",
        ),
        ("<SVG><svg><title>Biểu tượng</title></svg><text>x</text></SVG><p>Giữ</p>", "<SVG></SVG><p>Giữ</p>"),
        (
            "<svg/><p>a</p><svg viewBox=\"0 0 1 1\" /><p>b</p>",
            "<svg/><p>a</p><svg viewBox=\"0 0 1 1\" /><p>b</p>",
        ),
        // an unclosed drawing is left to the parser, and later scripts still go
        ("<svg><path><p>a</p><script>x()</script>", "<svg><path><p>a</p><script></script>"),
        ("<svgs>a</svgs>", "<svgs>a</svgs>"),
        ("<", "<"),
    ] {
        assert_eq!(inert(html), expected, "{html}");
    }
}

/// Tag soup from the pieces that trip scans: furniture, misnesting, tables, formatting
/// elements, comments, code, entities.
fn soup() -> impl Strategy<Value = String> {
    let piece = proptest::sample::select(vec![
        "<nav>",
        "</nav>",
        "<aside class=\"box-most-read\">",
        "</aside>",
        "<div class=\"menu\">",
        "<div>",
        "</div>",
        "<div class=\"article-body\">",
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<a href=\"/tin-1.html\">",
        "</a>",
        "<table>",
        "<td>",
        "</table>",
        "<h1>",
        "</h1>",
        "<p class=\"sapo\">",
        "<time datetime=\"2026-11-20\">",
        "</time>",
        "<img src=\"/anh.jpg\">",
        "<!-- </nav> -->",
        "<script>var x = '</div>';</script>",
        "<span class=\"pub-date\">20/11/2026</span>",
        "<meta property=\"og:title\" content=\"Tin\">",
        "<form>",
        "</form>",
        "<div class=\"related&#45;news\">",
        "<li>",
        "</li>",
        "<ul class=\"nav\">",
        "</ul>",
        " Hà Nam đẩy mạnh chuyển đổi số trong cải cách hành chính. ",
        "&amp;",
        "<br>",
        "<article>",
        "</article>",
        "<footer class=\"footer\">",
        "</footer>",
        "<svg><path d=\"M0\"/></svg>",
        "<textarea></div></textarea>",
        "<select>",
        "<option>",
        "</select>",
        "<template>",
        "</template>",
        "<object>",
        "</object>",
        "<font>",
        "</font>",
        "<em>",
        "</em>",
        "<tr>",
        "</tr>",
        "</td>",
        "<caption>",
        "<header>",
        "</header>",
        "<main>",
        "</main>",
        "<noscript>",
        "</noscript>",
        "</body>",
        "<body class=\"menu\">",
        "<math>",
        "</math>",
        "<h1 class=\"article-title\">",
        "<span class=\"author\">",
        "</span>",
        "<section class=\"box-related\">",
        "</section>",
        "<NAV>",
        "</NAV>",
        "<div class=menu>",
        "<p class=\"article-sapo\">",
        "<pre>",
        "</pre>",
        "<div class=\"sidebar\" class=\"article-body\">",
        "<nav class=\"breadcrumb\">",
        "<i>",
        "</i>",
        "<dl>",
        "<dt>",
        "<dd>",
        "</dl>",
        "<ol>",
        "</ol>",
        "<button>",
        "</button>",
        "<p class=\"related\">",
        "<span class=\"menu\">",
        "<h3>",
        "</h3>",
        "<figure class=\"related\">",
        "</figure>",
    ]);
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
    #[test]
    fn any_soup_reads_the_same_cut_or_whole(body in soup()) {
        let page = fetched(&format!("<html><head><title>Tin</title></head><body>{body}</body></html>"));
        for selectors in [&selector_sets()[0], &selector_sets()[1], &selector_sets()[2]] {
            proptest::prop_assert_eq!(read_article(&page, selectors), article_uncut(&page, selectors));
        }
        for selectors in [&listing_sets()[0], &listing_sets()[1], &listing_sets()[2]] {
            proptest::prop_assert_eq!(listing(&page, selectors), listing_uncut(&page, selectors));
        }
    }
}
