//! The index page (`/`) and the OPML list (`/feeds.opml`), rendered once per publish from what
//! the feeds themselves say. Vietnamese for people, absolute URLs for feed readers.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{DateTime, FixedOffset};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::cache::SiteInfo;
use super::feedinfo::{FeedInfo, FeedKind};

/// One row of the index: a slug's RSS and Atom files.
#[derive(Debug)]
pub struct Listing<'a> {
    pub slug: String,
    pub title: String,
    pub rss: Option<&'a FeedInfo>,
    pub atom: Option<&'a FeedInfo>,
}

impl Listing<'_> {
    pub fn items(&self) -> usize {
        self.rss.or(self.atom).map_or(0, |f| f.items)
    }

    pub fn updated(&self) -> Option<DateTime<FixedOffset>> {
        self.rss.and_then(|f| f.updated).or_else(|| self.atom.and_then(|f| f.updated))
    }

    fn files(&self) -> impl Iterator<Item = (FeedKind, String)> + '_ {
        [(FeedKind::Rss, self.rss), (FeedKind::Atom, self.atom)]
            .into_iter()
            .filter(|(_, info)| info.is_some())
            .map(|(kind, _)| (kind, format!("{}.{}", self.slug, kind.extension())))
    }
}

/// The served feeds by slug, in the site's order (`all`, then the config's categories, then any
/// other feed found in `feeds_dir`, alphabetically).
pub fn listings<'a>(site: &SiteInfo, feeds: &BTreeMap<&str, &'a FeedInfo>) -> Vec<Listing<'a>> {
    let mut slugs: Vec<String> = site.slugs.clone();
    for name in feeds.keys() {
        if let Some((slug, _)) = FeedKind::split(name)
            && !slugs.iter().any(|s| s == slug)
        {
            slugs.push(slug.to_string());
        }
    }
    slugs
        .into_iter()
        .filter_map(|slug| {
            let rss = feeds.get(format!("{slug}.rss").as_str()).copied();
            let atom = feeds.get(format!("{slug}.atom").as_str()).copied();
            if rss.is_none() && atom.is_none() {
                return None;
            }
            let title = rss
                .or(atom)
                .map(|f| f.title.clone())
                .filter(|t| !t.is_empty())
                .or_else(|| site.names.get(&slug).cloned())
                .unwrap_or_else(|| slug.clone());
            Some(Listing { slug, title, rss, atom })
        })
        .collect()
}

/// "28/11/2024 10:05" in the feed's own offset (day first, as Vietnamese readers write it).
fn vietnamese_date(date: Option<DateTime<FixedOffset>>) -> String {
    date.map_or_else(|| "—".to_string(), |d| d.format("%d/%m/%Y %H:%M").to_string())
}

/// The HTML index: autodiscovery links in the head, one row per feed with its item count and
/// last update. Links are relative, so the page works under any host and path prefix.
pub fn index_html(site: &SiteInfo, listings: &[Listing<'_>]) -> String {
    let mut head = String::new();
    for listing in listings {
        for (kind, file) in listing.files() {
            let _ = writeln!(
                head,
                "<link rel=\"alternate\" type=\"{}\" title=\"{} ({})\" href=\"{}\">",
                kind.mime(),
                attr(&listing.title),
                kind.extension().to_uppercase(),
                attr(&file)
            );
        }
    }
    let mut rows = String::new();
    for listing in listings {
        let links: Vec<String> = listing
            .files()
            .map(|(kind, file)| {
                format!("<a href=\"{}\">{}</a>", attr(&file), kind.extension().to_uppercase())
            })
            .collect();
        let _ = writeln!(
            rows,
            "<tr><td class=\"feed\"><a href=\"{}\">{}</a></td><td class=\"items\">{}</td>\
             <td class=\"updated\">{}</td><td class=\"formats\">{}</td></tr>",
            attr(&listing.files().next().map(|(_, f)| f).unwrap_or_default()),
            text(&listing.title),
            listing.items(),
            vietnamese_date(listing.updated()),
            links.join(" · ")
        );
    }
    let description = site.description.as_deref().unwrap_or("Nguồn tin RSS và Atom");
    format!(
        r#"<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – nguồn tin RSS</title>
{head}<style>
body {{ font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.5; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }}
td.items {{ text-align: right; }}
.note {{ color: #555; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="note">{description}</p>
<p class="note">Sao chép địa chỉ một nguồn tin vào trình đọc RSS của bạn, hoặc nhập cả danh sách bằng tệp <a href="feeds.opml">feeds.opml</a>.</p>
<table>
<thead><tr><th>Chuyên mục</th><th>Số tin</th><th>Cập nhật</th><th>Định dạng</th></tr></thead>
<tbody>
{rows}</tbody>
</table>
<p class="note">Tạo bởi tinfeed {version}.</p>
</body>
</html>
"#,
        title = text(&site.title),
        description = text(description),
        version = env!("CARGO_PKG_VERSION"),
    )
}

/// OPML 2.0: one `rss` outline per feed (the RSS file when there is one), absolute URLs, for
/// one-click import into a reader.
pub fn opml(site: &SiteInfo, listings: &[Listing<'_>]) -> String {
    let mut outlines = String::new();
    for listing in listings {
        let Some((kind, file)) = listing.files().next() else { continue };
        let url = site
            .base_url
            .join(&file)
            .map(String::from)
            .unwrap_or_else(|_| format!("{}{file}", site.base_url));
        let _ = writeln!(
            outlines,
            "    <outline type=\"rss\" version=\"{}\" text=\"{}\" title=\"{}\" xmlUrl=\"{}\" htmlUrl=\"{}\"/>",
            match kind {
                FeedKind::Rss => "RSS2",
                FeedKind::Atom => "ATOM",
            },
            attr(&listing.title),
            attr(&listing.title),
            attr(&url),
            attr(site.base_url.as_str()),
        );
    }
    let created = listings
        .iter()
        .filter_map(|l| l.updated())
        .max()
        .map(|d| format!("    <dateModified>{}</dateModified>\n", d.to_rfc2822()))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>{}</title>\n\
         {created}  </head>\n  <body>\n{outlines}  </body>\n</opml>\n",
        text(&site.title)
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::time::Duration;

    use super::*;

    fn site() -> SiteInfo {
        SiteInfo {
            title: "Báo Hà Nam".into(),
            description: None,
            base_url: url::Url::parse("https://tin.example.vn/bao/").unwrap(),
            slugs: vec!["all".into(), "chinh-tri".into(), "van-hoa-xa-hoi".into()],
            names: HashMap::from([("van-hoa-xa-hoi".into(), "Văn hóa - Xã hội".into())]),
            max_age: HashMap::new(),
            default_max_age: Duration::from_secs(900),
        }
    }

    fn info(kind: FeedKind, title: &str, items: usize) -> FeedInfo {
        let updated = DateTime::parse_from_rfc3339("2024-11-28T10:05:00+07:00").ok();
        FeedInfo { kind, title: title.into(), items, updated }
    }

    #[test]
    fn index_lists_feeds_in_site_order_with_counts_dates_and_autodiscovery() {
        let all = info(FeedKind::Rss, "Báo Hà Nam", 12);
        let ct = info(FeedKind::Rss, "Báo Hà Nam – Chính trị", 3);
        let ct_atom = info(FeedKind::Atom, "Báo Hà Nam – Chính trị", 3);
        let extra = info(FeedKind::Atom, "Cũ <b>", 1);
        let feeds = BTreeMap::from([
            ("chinh-tri.atom", &ct_atom),
            ("chinh-tri.rss", &ct),
            ("all.rss", &all),
            ("zz-cu.atom", &extra),
        ]);
        let listings = listings(&site(), &feeds);
        let slugs: Vec<&str> = listings.iter().map(|l| l.slug.as_str()).collect();
        // van-hoa-xa-hoi has no file yet: not listed; a leftover feed comes last
        assert_eq!(slugs, ["all", "chinh-tri", "zz-cu"]);
        let html = index_html(&site(), &listings);
        for needle in [
            "<html lang=\"vi\">",
            "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Báo Hà Nam – Chính trị (RSS)\" href=\"chinh-tri.rss\">",
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Báo Hà Nam – Chính trị (ATOM)\" href=\"chinh-tri.atom\">",
            "<td class=\"items\">12</td>",
            "<td class=\"updated\">28/11/2024 10:05</td>",
            "Cũ &lt;b&gt;",
        ] {
            assert!(html.contains(needle), "{needle} missing from\n{html}");
        }
    }

    #[test]
    fn opml_has_absolute_urls_under_the_base() {
        let ct = info(FeedKind::Rss, "Báo Hà Nam – Chính trị & Xã hội", 3);
        let feeds = BTreeMap::from([("chinh-tri.rss", &ct)]);
        let opml = opml(&site(), &listings(&site(), &feeds));
        assert!(
            opml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<opml version=\"2.0\">"),
            "{opml}"
        );
        assert!(
            opml.contains(
                "<outline type=\"rss\" version=\"RSS2\" text=\"Báo Hà Nam – Chính trị &amp; Xã hội\" \
                 title=\"Báo Hà Nam – Chính trị &amp; Xã hội\" xmlUrl=\"https://tin.example.vn/bao/chinh-tri.rss\" \
                 htmlUrl=\"https://tin.example.vn/bao/\"/>"
            ),
            "{opml}"
        );
        assert!(opml.contains("<dateModified>Thu, 28 Nov 2024 10:05:00 +0700</dateModified>"), "{opml}");
    }
}
