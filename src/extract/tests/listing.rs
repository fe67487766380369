//! Listing pages: which links count as articles of the source.

use pretty_assertions::assert_eq;
use url::Url;

use super::{page, sel};
use crate::config::Selectors;
use crate::extract::links::listing_links;

fn urls(links: Vec<Url>) -> Vec<String> {
    links.into_iter().map(String::from).collect()
}

const LISTING: &str = r##"<html><head><base href="https://baohanam.com.vn/van-hoa/"></head><body>
<header class="site-header"><a href="/">Báo Hà Nam</a><a href="/tin-noi-bat-100001.html">Tin nổi bật</a></header>
<nav class="main-nav"><a href="/chinh-tri">Chính trị</a><a href="/chinh-tri/bai-menu-100002.html">Menu</a></nav>
<div class="list-news">
<article class="story"><a class="thumb" href="le-hoi/le-hoi-chua-long-doi-son-122101.html#top"><img src="a.jpg"></a>
<h3 class="story-title"><a href="le-hoi/le-hoi-chua-long-doi-son-122101.html">Lễ hội chùa Long Đọi Sơn</a></h3></article>
<article class="story"><h3 class="story-title"><a href="https://www.baohanam.com.vn/van-hoa/nghe-thuat-cheo-122099.html">Nghệ thuật chèo</a></h3></article>
<article class="story"><h3 class="story-title"><a href="/video/clip-le-hoi-122098.html">Video lễ hội</a></h3></article>
<article class="story"><h3 class="story-title"><a href="javascript:void(0)">Xem</a> <a href="#">#</a>
<a href="mailto:toasoan@baohanam.com.vn">Thư</a></h3></article>
<article class="story"><h3 class="story-title"><a href="https://facebook.com/sharer-122097.html">Chia sẻ</a></h3></article>
</div>
<div class="pagination"><a href="/van-hoa?currentpage=2">2</a></div>
<div class="box-most-read"><a href="/xa-hoi/tin-doc-nhieu-121000.html">Đọc nhiều</a></div>
<div class="tin-doc-nhieu"><a href="/xa-hoi/tin-doc-nhieu-121001.html">Đọc nhiều</a></div>
<aside><a href="/xa-hoi/tin-aside-121002.html">Bên lề</a></aside>
<footer><a href="/gioi-thieu-100003.html">Giới thiệu</a></footer>
</body></html>"##;

#[test]
fn generic_listing_keeps_article_links_of_the_main_list_only() {
    let links = listing_links(&page("https://baohanam.com.vn/van-hoa", LISTING), &Selectors::default());
    assert_eq!(
        urls(links),
        vec![
            "https://baohanam.com.vn/van-hoa/le-hoi/le-hoi-chua-long-doi-son-122101.html",
            "https://www.baohanam.com.vn/van-hoa/nghe-thuat-cheo-122099.html",
        ]
    );
}

#[test]
fn item_selector_takes_the_link_or_the_first_link_inside_on_the_same_site() {
    let page = page("https://baohanam.com.vn/van-hoa", LISTING);
    let by_link = listing_links(&page, &Selectors { item: sel("h3.story-title a"), ..Selectors::default() });
    assert_eq!(
        urls(by_link),
        vec![
            "https://baohanam.com.vn/van-hoa/le-hoi/le-hoi-chua-long-doi-son-122101.html",
            "https://www.baohanam.com.vn/van-hoa/nghe-thuat-cheo-122099.html",
            "https://baohanam.com.vn/video/clip-le-hoi-122098.html",
        ]
    );
    let by_container =
        listing_links(&page, &Selectors { item: sel("article.story"), ..Selectors::default() });
    // The thumb and the title link are one article; a story with only javascript:, `#` and
    // mailto: links gives none.
    assert_eq!(
        urls(by_container),
        vec![
            "https://baohanam.com.vn/van-hoa/le-hoi/le-hoi-chua-long-doi-son-122101.html",
            "https://www.baohanam.com.vn/van-hoa/nghe-thuat-cheo-122099.html",
            "https://baohanam.com.vn/video/clip-le-hoi-122098.html",
        ]
    );
}

#[test]
fn file_pages_keep_file_links() {
    let html = r#"<div class="list"><h3><a href="bai-viet-122101.html">Bài</a></h3>
<h3><a href="https://baohanam.com.vn/bai-khac-122102.html">Khác</a></h3></div>"#;
    let page = page("file:///srv/demo/van-hoa/index.html", html);
    assert_eq!(
        urls(listing_links(&page, &Selectors::default())),
        vec!["file:///srv/demo/van-hoa/bai-viet-122101.html"]
    );
}
