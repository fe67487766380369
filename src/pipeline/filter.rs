//! A source's `include` / `exclude` patterns applied: URL patterns to article links before
//! anything is fetched (an excluded article costs nothing), title and summary patterns to the
//! normalized item. What is filtered out is counted and logged at debug level; it is neither an
//! error nor a dropped item, and a source whose every item is filtered out has not failed.
//!
//! Every collector calls [`Filter::keeps_link`] on each article link before fetching it and
//! hands each normalized item to [`keep_item`].

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;
use tracing::debug;
use url::Url;

use super::collect::Collected;
use crate::config::{Field, Filter, Pattern, Source};
use crate::model::Item;
use crate::normalize::{canonical_url, percent_decode};

/// Why an item was filtered out: the field and the pattern that decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub field: Field,
    /// `true`: an `exclude` pattern matched; `false`: an `include` pattern did not.
    pub excluded: bool,
    pub pattern: String,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.excluded {
            true => write!(f, "{} matches exclude `{}`", self.field, self.pattern),
            false => write!(f, "{} does not match include `{}`", self.field, self.pattern),
        }
    }
}

impl Filter {
    /// Whether an article link may be fetched: its canonical URL (tracking parameters and
    /// fragment removed) passes the `url` patterns. Title and summary patterns wait for the item.
    pub fn keeps_link(&self, link: &Url) -> bool {
        self.check_link(link).is_ok()
    }

    /// [`Filter::keeps_link`] with the reason.
    pub fn check_link(&self, link: &Url) -> Result<(), Rejection> {
        if self.include.url.is_none() && self.exclude.url.is_none() {
            return Ok(());
        }
        let canonical = canonical_url(link.as_str(), None).unwrap_or_else(|| link.clone());
        self.check(|field| match field {
            Field::Url => Some(url_forms(canonical.as_str())),
            Field::Title | Field::Summary => None,
        })
    }

    /// Whether a normalized item is kept: every `include` pattern matches its field and no
    /// `exclude` pattern does (the URL is checked again: a page may declare another canonical).
    pub fn check_item(&self, item: &Item) -> Result<(), Rejection> {
        self.check(|field| {
            Some(match field {
                Field::Title => vec![Cow::Borrowed(item.title.as_str())],
                Field::Summary => vec![Cow::Borrowed(item.summary.as_str())],
                Field::Url => url_forms(&item.url),
            })
        })
    }

    /// Exclusions first (the more telling reason), then inclusions. `texts` gives a field's
    /// text in every form it may be matched in, or `None` when it is not known yet.
    fn check<'a>(&self, texts: impl Fn(Field) -> Option<Vec<Cow<'a, str>>>) -> Result<(), Rejection> {
        let matches = |pattern: &Pattern, forms: &[Cow<'_, str>]| forms.iter().any(|t| pattern.is_match(t));
        for (field, pattern) in self.exclude.iter() {
            if texts(field).is_some_and(|forms| matches(pattern, &forms)) {
                return Err(Rejection { field, excluded: true, pattern: pattern.as_str().to_string() });
            }
        }
        for (field, pattern) in self.include.iter() {
            if texts(field).is_some_and(|forms| !matches(pattern, &forms)) {
                return Err(Rejection { field, excluded: false, pattern: pattern.as_str().to_string() });
            }
        }
        Ok(())
    }
}

/// A URL as written (percent-encoded) and, when it has escapes, decoded: a pattern may be
/// written either way (`/b%C3%B3ng-%C4%91%C3%A1/` or `/bóng-đá/`).
fn url_forms(url: &str) -> Vec<Cow<'_, str>> {
    let mut forms = vec![Cow::Borrowed(url)];
    if url.contains('%') {
        forms.push(Cow::Owned(percent_decode(url)));
    }
    forms
}

/// Drops the links the source's URL patterns reject, before any is fetched.
pub(super) fn keep_links(source: &Source, links: &mut Vec<Url>, collected: &mut Collected) {
    keep_linked(source, links, |link| Some(link.clone()), collected);
}

/// [`keep_links`] for a folder's files, by their `file:` URLs.
pub(super) fn keep_files(source: &Source, files: &mut Vec<PathBuf>, collected: &mut Collected) {
    keep_linked(
        source,
        files,
        |path| std::path::absolute(path).ok().and_then(|p| Url::from_file_path(p).ok()),
        collected,
    );
}

/// [`keep_links`] for anything that leads to a link (a feed entry, a sitemap URL); what has no
/// link is kept, for normalization to report.
pub(super) fn keep_linked<T>(
    source: &Source,
    entries: &mut Vec<T>,
    link: impl Fn(&T) -> Option<Url>,
    collected: &mut Collected,
) {
    entries.retain(|entry| {
        let Some(url) = link(entry) else { return true };
        match source.filter.check_link(&url) {
            Ok(()) => true,
            Err(reason) => {
                debug!(source = %source.id, url = %url, %reason, "link filtered out");
                collected.filtered.push((url.to_string(), reason));
                false
            }
        }
    });
}

/// Keeps a normalized item, or counts it as filtered out.
pub(super) fn keep_item(source: &Source, item: Item, collected: &mut Collected) {
    match source.filter.check_item(&item) {
        Ok(()) => collected.items.push(item),
        Err(reason) => {
            debug!(source = %source.id, url = %item.url, title = %item.title, %reason, "item filtered out");
            collected.filtered.push((item.url, reason));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use url::Url;

    use crate::config::{Config, Filter};
    use crate::model::Item;

    fn compile(tables: &str) -> Filter {
        let text = format!(
            "[site]\ntitle = \"Báo Hà Nam\"\n[[sources]]\nid = \"a\"\nkind = \"html\"\n\
             url = \"https://baohanam.com.vn/\"\ncategory = \"Thời sự\"\n{tables}\n"
        );
        let config = Config::parse(Path::new("t.toml"), &text).unwrap_or_else(|e| panic!("{e}"));
        config.sources.into_iter().next().unwrap().filter
    }

    fn item(url: &str, title: &str, summary: &str) -> Item {
        Item {
            key: url.into(),
            url: url.into(),
            title: title.into(),
            summary: summary.into(),
            content_html: None,
            published: None,
            author: None,
            image: None,
            category: "Thời sự".into(),
            category_slug: "thoi-su".into(),
            source_id: "a".into(),
        }
    }

    fn verdict(filter: &Filter, url: &str, title: &str, summary: &str) -> String {
        match filter.check_item(&item(url, title, summary)) {
            Ok(()) => "kept".into(),
            Err(reason) => reason.to_string(),
        }
    }

    #[test]
    fn include_needs_every_field_given_and_exclude_any() {
        let filter = compile(
            "[sources.include]\ntitle = \"hà nam|phủ lý\"\nurl = \"/(thoi-su|xa-hoi)/\"\n\
             [sources.exclude]\ntitle = \"^(video|ảnh|infographic)\\\\b\"\nsummary = \"quảng cáo|tài trợ\"\n",
        );
        let thoi_su = "https://baohanam.com.vn/thoi-su/tin-122001.html";
        let cases = [
            (thoi_su, "Hà Nam khởi công cầu Phủ Lý", "Sáng 27/11, tỉnh Hà Nam khởi công.", "kept"),
            (thoi_su, "HÀ NAM: mưa lớn kéo dài", "", "kept"),
            (thoi_su, "Ninh Bình đón khách du lịch", "", "title does not match include `hà nam|phủ lý`"),
            (
                "https://baohanam.com.vn/kinh-te/tin-122002.html",
                "Hà Nam thu hút đầu tư",
                "",
                "url does not match include `/(thoi-su|xa-hoi)/`",
            ),
            (thoi_su, "Video: Hà Nam sau bão", "", "title matches exclude `^(video|ảnh|infographic)\\b`"),
            (thoi_su, "ẢNH: Phủ Lý về đêm", "", "title matches exclude `^(video|ảnh|infographic)\\b`"),
            (
                thoi_su,
                "Hà Nam giới thiệu sản phẩm",
                "Nội dung TÀI TRỢ.",
                "summary matches exclude `quảng cáo|tài trợ`",
            ),
        ];
        for (url, title, summary, expected) in cases {
            assert_eq!(verdict(&filter, url, title, summary), expected, "{title}");
        }
    }

    #[test]
    fn links_are_judged_by_their_canonical_url_written_or_decoded() {
        let filter = compile("[sources.exclude]\nurl = \"/video/|utm_|/bóng-đá/\"\n");
        for (link, kept) in [
            ("https://baohanam.com.vn/thoi-su/tin-122001.html", true),
            ("https://baohanam.com.vn/video/ban-tin-122002.html", false),
            // tracking parameters are not part of the canonical URL
            ("https://baohanam.com.vn/thoi-su/tin-122003.html?utm_source=zalo#top", true),
            ("https://baohanam.com.vn/b%C3%B3ng-%C4%91%C3%A1/tin-122004.html", false),
        ] {
            assert_eq!(filter.keeps_link(&Url::parse(link).unwrap()), kept, "{link}");
        }
        // title and summary patterns wait for the item: a link is never judged by them
        let by_title = compile("[sources.include]\ntitle = \"hà nam\"\n");
        assert!(by_title.keeps_link(&Url::parse("https://baohanam.com.vn/tin-1.html").unwrap()));
        assert!(Filter::default().is_empty());
    }
}
