//! URLs and the item identity.
//!
//! **The key (GUID) of an item is its canonical URL string, as [`canonical_url`] builds it.
//! This is a contract:** feed readers remember GUIDs, so any change to the recipe below (the
//! tracking list, the percent-encoding, the choice between page and declared canonical) makes
//! every reader see every stored article again as new. Change it only with a migration.
//!
//! The recipe: absolute http(s) or file URL; host lower-cased and IDNA-encoded, default port
//! dropped, dot segments resolved, non-ASCII percent-encoded (all by the `url` crate's WHATWG
//! parser); fragment removed; tracking parameters removed, the others kept in their order;
//! percent-escapes upper-cased ("%c3%a1" and "%C3%A1" are the same URL).
//!
//! **Items from an upstream feed** may carry the feed's own GUID ([`RawItem::guid`], set only when
//! the feed gives one that looks stable). [`item_key`] then keys the item by it instead:
//! - a web URL GUID → its canonical URL by the recipe above (usually the link itself; a
//!   WordPress `?p=123` GUID survives a slug edit);
//! - a `tag:` or `urn:` URI → itself (globally unique by construction);
//! - any other string ("4846612", "tn-185240127") → `<site>:<guid>`, the site being the item URL's
//!   host without "www."/"m." (an id is unique only within its publisher).
//!
//! A GUID that is blank, over 300 characters, holds whitespace, or is a site's home page is not an
//! identity: the canonical URL is the key. The trade-off: an article read both from a site's
//! feed (opaque GUID) and its pages (URL) is two items; a feed whose GUIDs are URLs keys alike.
//!
//! [`RawItem::guid`]: crate::model::RawItem::guid

use url::Url;

/// Query parameters that only say where a click came from. Our own list, after the idea of
/// miniflux's urlcleaner: campaign tags (Google, Matomo/Piwik, HubSpot, Mailchimp, Marketo),
/// click ids of ad networks and social sites, and Zalo's share tags, common on Vietnamese news.
const TRACKING_PARAMS: &[&str] = &[
    // click ids
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "igshid",
    "igsh",
    "srsltid",
    "epik",
    "rb_clickid",
    "s_cid",
    // analytics and mailing
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "__hssc",
    "__hstc",
    "__hsfp",
    "hsctatracking",
    "mc_cid",
    "mc_eid",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_conv",
    "vero_id",
    "wickedid",
    "_openstat",
    "ncid",
    "sr_share",
    // social shares (Zalo, Facebook)
    "zarsrc",
    "gidzl",
    "fb_action_ids",
    "fb_action_types",
    "fb_ref",
    "fb_source",
    // referrer tags
    "ref",
    "ref_src",
    "ref_url",
    "referrer",
];

/// Prefixes of tracking parameter families (`utm_source`, `pk_campaign`, …).
const TRACKING_PREFIXES: &[&str] = &["utm_", "pk_", "mtm_", "matomo_", "at_", "hmb_", "ga_"];

/// The canonical form of a link, resolved against `base` when it is relative. `None` when it is
/// not an http(s) URL with a host nor a file URL.
pub fn canonical_url(raw: &str, base: Option<&Url>) -> Option<Url> {
    let mut url = absolute_url(raw, base)?;
    url.set_fragment(None);
    if let Some(query) = url.query() {
        let kept: Vec<&str> =
            query.split('&').filter(|pair| !pair.is_empty() && !is_tracking(pair)).collect();
        let kept = kept.join("&");
        url.set_query((!kept.is_empty()).then_some(kept.as_str()));
    }
    let path = upper_escapes(url.path());
    url.set_path(&path);
    if let Some(query) = url.query().map(upper_escapes) {
        url.set_query(Some(&query));
    }
    Some(url)
}

/// A link made absolute against `base`, otherwise as written (tracking parameters and fragment
/// kept): for images, whose query often selects the size. `None` for anything but http(s)
/// with a host and file URLs (`data:`, `javascript:`, `mailto:` …).
pub fn absolute_url(raw: &str, base: Option<&Url>) -> Option<Url> {
    // Attribute values sometimes arrive still escaped ("?a=1&amp;b=2").
    let raw = raw.trim().replace("&amp;", "&");
    if raw.is_empty() {
        return None;
    }
    let url = Url::options().base_url(base).parse(&raw).ok()?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Some(url),
        "file" => Some(url),
        _ => None,
    }
}

fn is_tracking(pair: &str) -> bool {
    let name = pair.split('=').next().unwrap_or_default();
    let name = percent_decode(name).to_ascii_lowercase();
    TRACKING_PARAMS.contains(&name.as_str()) || TRACKING_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Decodes `%XX` escapes well enough to compare parameter names (invalid UTF-8 is replaced).
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Upper-cases the hex digits of every `%xx` escape.
fn upper_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            for _ in 0..2 {
                match chars.peek() {
                    Some(h) if h.is_ascii_hexdigit() => {
                        out.push(h.to_ascii_uppercase());
                        chars.next();
                    }
                    _ => break,
                }
            }
        }
    }
    out
}

/// The URL that identifies an item: the page's declared canonical when it is on the same site
/// as the page and is not just the home page (a common misconfiguration that would collapse
/// every article into one key), else the page URL itself. `None` when the page URL is unusable.
pub fn item_url(page: &str, declared: Option<&str>) -> Option<Url> {
    let page = canonical_url(page, None)?;
    let declared = declared.and_then(|d| canonical_url(d, Some(&page)));
    Some(match declared {
        Some(canonical) if same_site(&canonical, &page) && !is_home_for(&canonical, &page) => canonical,
        _ => page,
    })
}

/// The key of an item whose canonical URL is `url` and whose upstream GUID is `guid` (see the
/// module documentation): the GUID when it is usable, else the canonical URL.
pub fn item_key(url: &Url, guid: Option<&str>) -> String {
    guid.and_then(|g| guid_key(g, url)).unwrap_or_else(|| url.to_string())
}

/// Longest GUID kept as a key: longer ones are content, not ids.
const MAX_GUID_CHARS: usize = 300;

fn guid_key(guid: &str, url: &Url) -> Option<String> {
    let guid = super::clean_text(guid);
    if guid.is_empty() || guid.chars().count() > MAX_GUID_CHARS || guid.contains(' ') {
        return None;
    }
    if let Ok(parsed) = Url::parse(&guid) {
        match parsed.scheme() {
            "http" | "https" => {
                let canonical = canonical_url(&guid, None)?;
                let home = canonical.path() == "/" && canonical.query().is_none();
                return (!home).then(|| canonical.to_string());
            }
            "tag" | "urn" => return Some(guid),
            "file" | "javascript" | "data" | "about" | "mailto" => return None,
            // an id that merely contains a colon ("tn:123")
            _ => {}
        }
    }
    let host = url.host_str().filter(|h| !h.is_empty())?;
    Some(format!("{}:{guid}", strip_mobile(host)))
}

fn is_home_for(canonical: &Url, page: &Url) -> bool {
    canonical.path() == "/" && canonical.query().is_none() && page.path() != "/"
}

/// Same site: the same host once "www.", "m.", "amp." and "mobile." are set aside, or one host a
/// subdomain of the other ("m.baohanam.com.vn" and "baohanam.com.vn"). Both http(s).
fn same_site(a: &Url, b: &Url) -> bool {
    let web = |u: &Url| matches!(u.scheme(), "http" | "https");
    let (Some(ha), Some(hb)) = (a.host_str(), b.host_str()) else {
        return false;
    };
    let (ha, hb) = (strip_mobile(ha), strip_mobile(hb));
    web(a) && web(b) && (ha == hb || ha.ends_with(&format!(".{hb}")) || hb.ends_with(&format!(".{ha}")))
}

fn strip_mobile(host: &str) -> &str {
    ["www.", "m.", "amp.", "mobile."]
        .iter()
        .find_map(|p| host.strip_prefix(p))
        .filter(|rest| rest.contains('.'))
        .unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_urls() {
        let base = Url::parse("https://baohanam.com.vn/chinh-tri/").unwrap();
        for (raw, expected) in [
            (
                "https://baohanam.com.vn/a-123456.html?utm_source=fb&utm_medium=social",
                Some("https://baohanam.com.vn/a-123456.html"),
            ),
            (
                "https://baohanam.com.vn/a.html?id=5&fbclid=IwAR0x&page=2#binh-luan",
                Some("https://baohanam.com.vn/a.html?id=5&page=2"),
            ),
            (
                "https://dantri.com.vn/a.htm?zarsrc=31&gidzl=abc&UTM_Campaign=x",
                Some("https://dantri.com.vn/a.htm"),
            ),
            ("https://dantri.com.vn/a.htm?%75tm_source=x&ref=home", Some("https://dantri.com.vn/a.htm")),
            ("HTTPS://BaoHaNam.COM.VN:443/Tin-Moi.html", Some("https://baohanam.com.vn/Tin-Moi.html")),
            ("http://baohanam.com.vn:80/a/../b.html?", Some("http://baohanam.com.vn/b.html")),
            ("http://baohanam.com.vn:8080/a", Some("http://baohanam.com.vn:8080/a")),
            ("https://baohanam.com.vn", Some("https://baohanam.com.vn/")),
            // Vietnamese paths and queries are percent-encoded, escapes upper-cased
            (
                "https://baohanam.com.vn/văn-hóa/lễ hội.html",
                Some("https://baohanam.com.vn/v%C4%83n-h%C3%B3a/l%E1%BB%85%20h%E1%BB%99i.html"),
            ),
            ("https://baohanam.com.vn/v%c4%83n-h%c3%b3a", Some("https://baohanam.com.vn/v%C4%83n-h%C3%B3a")),
            (
                "https://baohanam.com.vn/tim-kiem?q=Hà Nam",
                Some("https://baohanam.com.vn/tim-kiem?q=H%C3%A0%20Nam"),
            ),
            ("https://báohànam.vn/a", Some("https://xn--bohnam-ktaf.vn/a")),
            // relative links resolve against the base
            ("bai-viet-123.html", Some("https://baohanam.com.vn/chinh-tri/bai-viet-123.html")),
            ("/xa-hoi/bai-456.html#top", Some("https://baohanam.com.vn/xa-hoi/bai-456.html")),
            ("//baohanam.com.vn/a.html", Some("https://baohanam.com.vn/a.html")),
            ("  https://baohanam.com.vn/a.html?x=1&amp;y=2 ", Some("https://baohanam.com.vn/a.html?x=1&y=2")),
            ("file:///srv/tinfeed/samples/bai-1.txt", Some("file:///srv/tinfeed/samples/bai-1.txt")),
            // unusable
            ("javascript:void(0)", None),
            ("mailto:toasoan@baohanam.com.vn", None),
            ("data:image/png;base64,AAAA", None),
            ("", None),
            ("http://", None),
        ] {
            assert_eq!(
                canonical_url(raw, Some(&base)).map(String::from).as_deref(),
                expected,
                "canonical {raw:?}"
            );
        }
        assert_eq!(canonical_url("bai-viet-123.html", None), None);
    }

    #[test]
    fn canonical_url_is_idempotent() {
        for raw in
            ["https://baohanam.com.vn/văn-hóa/lễ hội.html?q=Hà&utm_x=1#a", "https://x.vn/%7euser?a=%e1"]
        {
            let once = canonical_url(raw, None).unwrap();
            assert_eq!(canonical_url(once.as_str(), None), Some(once.clone()));
        }
    }

    #[test]
    fn images_keep_their_query() {
        let page = Url::parse("https://baohanam.com.vn/a/b.html").unwrap();
        assert_eq!(
            absolute_url("/uploads/anh.jpg?w=1200&utm_source=x", Some(&page)).map(String::from).as_deref(),
            Some("https://baohanam.com.vn/uploads/anh.jpg?w=1200&utm_source=x")
        );
        assert_eq!(absolute_url("data:image/gif;base64,R0lG", Some(&page)), None);
    }

    #[test]
    fn the_key_is_a_stable_upstream_guid_else_the_canonical_url() {
        let url = Url::parse("https://m.tuoitre.vn/gia-vang-hom-nay-20261002092500.htm").unwrap();
        let page = "https://m.tuoitre.vn/gia-vang-hom-nay-20261002092500.htm";
        for (guid, expected) in [
            (None, page),
            // a URL GUID: canonical (tracking and fragment gone, host lower-cased)
            (Some(page), page),
            (Some("https://Tuoitre.vn/?p=123&utm_source=rss#x"), "https://tuoitre.vn/?p=123"),
            (Some(" https://tuoitre.vn/a.htm?x=1&amp;y=2 "), "https://tuoitre.vn/a.htm?x=1&y=2"),
            // URIs unique by construction stay as written
            (Some("tag:thanhnien.vn,2026:185240127"), "tag:thanhnien.vn,2026:185240127"),
            (
                Some("urn:uuid:2f1c7a52-9d7e-4c1f-9a3e-6b0d8e1f2a3b"),
                "urn:uuid:2f1c7a52-9d7e-4c1f-9a3e-6b0d8e1f2a3b",
            ),
            // an opaque id is unique within its site only
            (Some("20261002092500"), "tuoitre.vn:20261002092500"),
            (Some("tn:185240127"), "tuoitre.vn:tn:185240127"),
            (Some("  4846612\n"), "tuoitre.vn:4846612"),
            // not an identity: the canonical URL
            (Some(""), page),
            (Some("   "), page),
            (Some("Giá vàng hôm nay"), page),
            (Some("https://tuoitre.vn/"), page),
            (Some("javascript:void(0)"), page),
            (Some("file:///tmp/a.xml"), page),
        ] {
            assert_eq!(item_key(&url, guid), expected, "guid {guid:?}");
        }
        let long = "x".repeat(301);
        assert_eq!(item_key(&url, Some(&long)), page);
        // a file page has no site to scope an opaque id: its URL is the key
        let file = Url::parse("file:///srv/feeds/bai-1.html").unwrap();
        assert_eq!(item_key(&file, Some("4846612")), "file:///srv/feeds/bai-1.html");
    }

    #[test]
    fn item_url_prefers_a_same_site_canonical() {
        let page = "https://m.baohanam.com.vn/chinh-tri/hoi-nghi-123456.html?utm_source=zalo";
        for (declared, expected) in [
            (
                Some("https://baohanam.com.vn/chinh-tri/hoi-nghi-123456.html"),
                "https://baohanam.com.vn/chinh-tri/hoi-nghi-123456.html",
            ),
            (
                Some("/chinh-tri/hoi-nghi-123456.html"),
                "https://m.baohanam.com.vn/chinh-tri/hoi-nghi-123456.html",
            ),
            (Some("https://www.baohanam.com.vn/x-1.html"), "https://www.baohanam.com.vn/x-1.html"),
            // another site, the home page, or garbage: the page URL wins
            (
                Some("https://baoninhbinh.org.vn/hoi-nghi-1.html"),
                "https://m.baohanam.com.vn/chinh-tri/hoi-nghi-123456.html",
            ),
            (Some("https://baohanam.com.vn/"), "https://m.baohanam.com.vn/chinh-tri/hoi-nghi-123456.html"),
            (Some("javascript:;"), "https://m.baohanam.com.vn/chinh-tri/hoi-nghi-123456.html"),
            (None, "https://m.baohanam.com.vn/chinh-tri/hoi-nghi-123456.html"),
        ] {
            assert_eq!(
                item_url(page, declared).map(String::from).as_deref(),
                Some(expected),
                "declared {declared:?}"
            );
        }
        assert_eq!(item_url("not a url", Some("https://baohanam.com.vn/a.html")), None);
        // a file page keeps its own URL: a web canonical is another site
        assert_eq!(
            item_url("file:///data/bai.html", Some("https://baohanam.com.vn/a.html"))
                .map(String::from)
                .as_deref(),
            Some("file:///data/bai.html")
        );
    }
}
