//! Article links on a listing page: from the configured `item` selector, or found generically
//! by what Vietnamese article URLs look like (VIETNAMESE.md §2) outside site furniture.

use std::collections::HashSet;

use scraper::{ElementRef, Html};
use url::Url;

use super::Listing;
use super::dom::{self, attr};
use crate::config::Selectors;
use crate::model::FetchedPage;

pub(super) fn listing(page: &FetchedPage, selectors: &Selectors) -> Listing {
    let doc = super::parse::document(&super::prune::page(&page.body, super::prune::Keep::listing(selectors)));
    Listing { links: links_in(&doc, page, selectors), next: next_in(&doc, page, selectors) }
}

/// [`listing`]'s links alone, for tests.
#[cfg(test)]
pub(super) fn listing_links(page: &FetchedPage, selectors: &Selectors) -> Vec<Url> {
    listing(page, selectors).links
}

/// [`listing`]'s next page alone, for tests.
#[cfg(test)]
pub(super) fn next_page(page: &FetchedPage, selectors: &Selectors) -> Option<Url> {
    listing(page, selectors).next
}

/// [`listing`] from the whole page, furniture and all: what cutting must not change.
#[cfg(test)]
pub(super) fn listing_uncut(page: &FetchedPage, selectors: &Selectors) -> Listing {
    let doc = Html::parse_document(&super::prune::inert(&page.body));
    Listing { links: links_in(&doc, page, selectors), next: next_in(&doc, page, selectors) }
}

/// [`Listing::links`] of a parsed listing page.
fn links_in(doc: &Html, page: &FetchedPage, selectors: &Selectors) -> Vec<Url> {
    let mut links = Links {
        base: dom::base_url(doc, &page.url),
        allow_file: page.url.scheme() == "file",
        seen: HashSet::new(),
        out: Vec::new(),
    };
    match &selectors.item {
        Some(item) => {
            for el in doc.select(&item.compiled) {
                // the selector is trusted for shape, not for leaving the site
                if let Some(url) = hrefs_of(el).find_map(|href| links.resolve(href))
                    && same_domain(&page.url, &url)
                {
                    links.push(url);
                }
            }
        }
        None => dom::walk(doc.root_element(), |el, _, place| {
            if place.decoy || place.in_breadcrumb || el.value().name() != "a" {
                return;
            }
            if let Some(url) = attr(el.value(), "href").and_then(|href| links.resolve(href))
                && same_site(&page.url, &url)
                && looks_like_article(&url)
            {
                links.push(url);
            }
        }),
    }
    links.out
}

/// [`Listing::next`] of a parsed listing page: the first element `selectors.next` matches that
/// is (or holds) a followable link on the same site, other than the page itself.
fn next_in(doc: &Html, page: &FetchedPage, selectors: &Selectors) -> Option<Url> {
    let next = selectors.next.as_ref()?;
    let links = Links {
        base: dom::base_url(doc, &page.url),
        allow_file: page.url.scheme() == "file",
        seen: HashSet::new(),
        out: Vec::new(),
    };
    let mut here = page.url.clone();
    here.set_fragment(None);
    // `<link rel="next">` in the head counts as well as an `<a>`
    let hrefs = |el: ElementRef<'_>| {
        dom::readable_descendants(el)
            .filter_map(ElementRef::wrap)
            .filter(|e| matches!(e.value().name(), "a" | "link"))
            .find_map(|e| attr(e.value(), "href").and_then(|href| links.resolve(href)))
    };
    doc.select(&next.compiled).filter_map(hrefs).find(|url| *url != here && same_domain(&page.url, url))
}

/// The hrefs of a matched item: its own when it is a link, else those of the links inside it
/// (the first one a reader could follow is taken), not those of furniture nested in it.
fn hrefs_of<'a>(el: ElementRef<'a>) -> impl Iterator<Item = &'a str> {
    dom::readable_descendants(el)
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "a")
        .filter_map(|e| attr(e.value(), "href"))
}

struct Links {
    base: Url,
    allow_file: bool,
    seen: HashSet<String>,
    out: Vec<Url>,
}

impl Links {
    /// An absolute link without fragment, if it is one a reader could follow.
    fn resolve(&self, href: &str) -> Option<Url> {
        let href = href.trim();
        if href.starts_with('#') {
            return None;
        }
        let mut url = dom::absolute(&self.base, href)?;
        let ok = match url.scheme() {
            "http" | "https" => true,
            "file" => self.allow_file,
            _ => false,
        };
        url.set_fragment(None);
        ok.then_some(url)
    }

    fn push(&mut self, url: Url) {
        if self.seen.insert(url.as_str().to_string()) {
            self.out.push(url);
        }
    }
}

/// The host with the prefixes of mobile and AMP editions removed: `amp.dantri.com.vn` and
/// `dantri.com.vn` are one site.
fn site_host(url: &Url) -> Option<&str> {
    let mut host = url.host_str()?;
    while let Some(rest) =
        ["www.", "m.", "amp."].iter().find_map(|p| host.strip_prefix(p)).filter(|r| r.contains('.'))
    {
        host = rest;
    }
    Some(host)
}

fn same_site(page: &Url, link: &Url) -> bool {
    site_host(page) == site_host(link)
}

/// Looser than [`same_site`], for links the `item` selector chose: any host under the same
/// registrable domain (`kinhdoanh.vnexpress.net` for `vnexpress.net`), and `file:` with `file:`.
fn same_domain(page: &Url, link: &Url) -> bool {
    match (page.host_str(), link.host_str()) {
        (Some(a), Some(b)) => registrable(a) == registrable(b),
        (None, None) => page.scheme() == link.scheme(),
        _ => false,
    }
}

/// `baohanam.com.vn` for `www.baohanam.com.vn`; `vnexpress.net` for `kinhdoanh.vnexpress.net`.
fn registrable(host: &str) -> &str {
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return host;
    }
    let labels: Vec<&str> = host.rsplitn(4, '.').collect();
    let keep = match labels.as_slice() {
        [tld, second, ..]
            if tld.len() == 2
                && matches!(
                    *second,
                    "com"
                        | "org"
                        | "net"
                        | "gov"
                        | "edu"
                        | "info"
                        | "ac"
                        | "co"
                        | "biz"
                        | "int"
                        | "name"
                        | "pro"
                        | "health"
                ) =>
        {
            3
        }
        _ => 2,
    };
    let cut: usize = labels.iter().take(keep).map(|l| l.len() + 1).sum::<usize>().saturating_sub(1);
    &host[host.len() - cut.min(host.len())..]
}

/// Path segments that hold no articles we publish (multimedia, tags, search, e-paper).
fn is_excluded_segment(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase();
    s.starts_with("video")
        || s.starts_with("podcast")
        || matches!(
            s.as_str(),
            "tag"
                | "tags"
                | "chu-de"
                | "tim-kiem"
                | "search"
                | "bao-in"
                | "doc-bao-in"
                | "da-phuong-tien-multimedia"
                | "multimedia"
        )
}

fn all_digits(s: &str, min: usize) -> bool {
    s.len() >= min && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a URL has the shape of an article on a Vietnamese news site: an id at the end of
/// the slug (`-122101.html`, `-post916375.html`, `-a12345.html`, `/d20230112091014465.htm`,
/// `-post999111.vnp`), or the legacy `?itemid=` of Báo Hà Nam.
pub(super) fn looks_like_article(url: &Url) -> bool {
    let segments: Vec<&str> = url.path().split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| is_excluded_segment(s)) {
        return false;
    }
    let legacy_item = url.query_pairs().any(|(k, v)| k.eq_ignore_ascii_case("itemid") && all_digits(&v, 1));
    if legacy_item {
        return true;
    }
    let Some(last) = segments.last() else {
        return false;
    };
    let (stem, ext) = last.rsplit_once('.').unwrap_or((last, ""));
    let ext = ext.to_ascii_lowercase();
    let id = stem.rsplit_once('-').filter(|(slug, _)| !slug.is_empty());
    match ext.as_str() {
        "html" | "htm" => {
            if ext == "htm" && stem.strip_prefix('d').is_some_and(|d| all_digits(d, 14)) {
                return true;
            }
            id.is_some_and(|(_, id)| {
                all_digits(id, 5)
                    || id.strip_prefix("post").is_some_and(|d| all_digits(d, 1))
                    || id.strip_prefix('a').is_some_and(|d| all_digits(d, 3))
            })
        }
        "vnp" | "vov" => id.is_some_and(|(_, id)| id.strip_prefix("post").is_some_and(|d| all_digits(d, 1))),
        "bbg" => id.is_some_and(|(_, id)| id.strip_prefix("postid").is_some_and(|d| all_digits(d, 1))),
        "vgp" => segments.len() >= 3 && all_digits(stem, 4),
        // `/{cat}/{YYYYMM}/{slug}-{id}/`: a slug of three words or more, then a numeric or hex id.
        "" => id.is_some_and(|(slug, id)| {
            let hex_id = (6..=8).contains(&id.len())
                && id.bytes().all(|b| b.is_ascii_hexdigit())
                && id.bytes().any(|b| b.is_ascii_digit());
            slug.matches('-').count() >= 2 && (all_digits(id, 5) || hex_id)
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_url_shapes() {
        let cases = [
            ("https://baohanam.com.vn/van-hoa/le-hoi/le-hoi-chua-long-doi-son-nam-2024-122101.html", true),
            ("https://baoninhbinh.org.vn/ha-nam-khoi-cong-du-an-202504221746001.html", true),
            ("https://baoninhbinh.org.vn/ha-nam-khoi-cong/d20230112091014465.htm", true),
            ("https://vnexpress.net/gia-vang-tang-manh-4846612.html", true),
            ("https://tuoitre.vn/gia-xang-giam-20250812202613631.htm", true),
            ("https://nhandan.vn/quoc-hoi-thong-qua-luat-post916375.html", true),
            ("https://www.vietnamplus.vn/hoi-nghi-post999111.vnp", true),
            ("https://vov.vn/xa-hoi/mua-lu-post1123456.vov", true),
            ("https://baobinhduong.vn/khanh-thanh-cau-moi-a312345.html", true),
            ("https://baokhanhhoa.vn/xa-hoi/202411/nha-trang-don-khach-quoc-te-8f3a2c1/", true),
            ("https://baohanam.com.vn/amp.aspx?itemid=105206", true),
            ("https://baohanam.com.vn/van-hoa", false),
            ("https://baohanam.com.vn/van-hoa?currentpage=6", false),
            ("https://baohanam.com.vn/van-hoa/trang-2.html", false),
            ("https://baohaugiang.com.vn/thoi-su-215.html", false),
            ("https://baoninhbinh.org.vn/video/ha-nam-mua-le-hoi-202504221746001.html", false),
            ("https://baoninhbinh.org.vn/podcast/ban-tin-sang-202504221746002.html", false),
            ("https://vnexpress.net/tag/gia-vang-123456.html", false),
            ("https://vietnamnet.vn/thoi-su-page2", false),
            ("https://baohanam.com.vn/", false),
        ];
        for (url, want) in cases {
            assert_eq!(looks_like_article(&Url::parse(url).unwrap()), want, "{url}");
        }
    }

    #[test]
    fn selector_links_stay_under_the_registrable_domain() {
        let domain = |a: &str, b: &str| same_domain(&Url::parse(a).unwrap(), &Url::parse(b).unwrap());
        assert!(domain("https://baohanam.com.vn/kinh-te", "https://www.baohanam.com.vn/a-122101.html"));
        assert!(domain(
            "https://vnexpress.net/kinh-doanh",
            "https://kinhdoanh.vnexpress.net/tin-tuc/a-1.html"
        ));
        assert!(domain("http://127.0.0.1:8080/", "http://127.0.0.1:9090/a.html"));
        assert!(domain("file:///srv/site/index.html", "file:///srv/site/a.html"));
        assert!(!domain("https://baohanam.com.vn/", "https://baoninhbinh.org.vn/a-1.html"));
        assert!(!domain("https://baohanam.com.vn/", "https://facebook.com/sharer.php"));
        assert!(!domain("https://tinhuy.com.vn/", "https://baohanam.com.vn/a.html"));
        assert_eq!(registrable("vn"), "vn");
    }

    #[test]
    fn mobile_and_amp_editions_are_the_same_site() {
        let site = |a: &str, b: &str| same_site(&Url::parse(a).unwrap(), &Url::parse(b).unwrap());
        assert!(site(
            "https://dantri.com.vn/xa-hoi.htm",
            "https://amp.dantri.com.vn/xa-hoi/a-20221224083224103.htm"
        ));
        assert!(site("https://www.baohanam.com.vn/", "https://m.baohanam.com.vn/a-122101.html"));
        assert!(!site("https://baoninhbinh.org.vn/", "https://en.baoninhbinh.org.vn/a-179305.htm"));
        assert!(!site("https://baohanam.com.vn/", "https://facebook.com/baohanam-12345.html"));
    }

    #[test]
    fn the_next_selector_finds_the_next_listing_page() {
        use crate::extract::tests::{page, sel};
        let next = |url: &str, body: &str, css: &str| {
            let selectors = Selectors { next: sel(css), ..Selectors::default() };
            next_page(&page(url, body), &selectors).map(String::from)
        };
        let pager = r##"<div class="pagination"><a href="/xa-hoi/trang-1.htm">1</a><span>2</span>
            <a href="/xa-hoi/trang-3.htm#list">3</a><a class="next" href="/xa-hoi/trang-3.htm">Trang sau ›</a></div>"##;
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            ("dân trí", pager, "a.next", Some("https://dantri.com.vn/xa-hoi/trang-3.htm")),
            // the selector may match the element around the link
            (
                "a list item",
                r#"<ul class="pager"><li class="next"><a href="?currentpage=3">Tiếp</a></li></ul>"#,
                "li.next",
                Some("https://dantri.com.vn/xa-hoi/trang-2.htm?currentpage=3"),
            ),
            (
                "link rel=next in the head",
                r#"<html><head><link rel="next" href="https://dantri.com.vn/xa-hoi/trang-3.htm"></head><body></body></html>"#,
                "link[rel=next]",
                Some("https://dantri.com.vn/xa-hoi/trang-3.htm"),
            ),
            // the last page: a dead link, a link to itself, or no match at all
            (
                "dead link",
                r##"<a class="next" href="javascript:void(0)">›</a><a class="next" href="#">›</a>"##,
                "a.next",
                None,
            ),
            ("itself", r#"<a class="next" href="/xa-hoi/trang-2.htm#top">›</a>"#, "a.next", None),
            ("no match", pager, "a.btn-next", None),
            (
                "off the site",
                r#"<a class="next" href="https://quangcao.example/trang-3.htm">›</a>"#,
                "a.next",
                None,
            ),
        ];
        for (name, body, css, want) in cases {
            assert_eq!(
                next("https://dantri.com.vn/xa-hoi/trang-2.htm", body, css).as_deref(),
                *want,
                "{name}"
            );
        }
        // without the selector there is no next page, however the page looks
        let plain = Selectors::default();
        assert_eq!(next_page(&page("https://dantri.com.vn/xa-hoi/trang-2.htm", pager), &plain), None);
    }
}
