//! Listing pagination of `html` sources (issue 6): a `page_url` template with `{page}`, or the
//! `next` selector, read up to `max_pages` pages. Other kinds have no listing to page through, so
//! these keys are errors there rather than silently ignored.

use std::path::Path;

use toml::Spanned;
use url::Url;

use super::error::Diagnostics;
use super::positive;
use super::raw::RawSource;

/// Where the page number goes in `page_url`.
pub const PAGE: &str = "{page}";
/// `max_pages` when a source pages (`next` or `page_url` set) and does not say how far.
pub const DEFAULT_MAX_PAGES: usize = 3;
/// The most `max_pages` may say: deeper pages hold old news, and a run must stay short.
pub const MAX_PAGES: usize = 50;

/// Stands for `{page}` while the template is parsed as a URL (braces would be percent-encoded).
const TOKEN: &str = "tinfeedpagenumber";

/// How an html source walks its listing beyond the first page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    /// `page_url` as an absolute URL still holding `{page}`: page N (2, 3, …) of the listing.
    /// `None`: the `next` selector finds the next page (or there is no paging at all).
    pub template: Option<String>,
    /// Listing pages read per run at most, the first (`url`) included; 1 means no paging.
    pub max_pages: usize,
}

impl Default for Paging {
    fn default() -> Paging {
        Paging { template: None, max_pages: 1 }
    }
}

impl Paging {
    /// Page `n` (2, 3, …) from the template, when there is one.
    pub fn page(&self, n: usize) -> Option<Url> {
        let template = self.template.as_ref()?;
        Url::parse(&template.replace(PAGE, &n.to_string())).ok()
    }
}

/// The paging of an html source with `listings` listing URLs.
pub(super) fn compile(
    raw: &RawSource,
    listings: usize,
    base_dir: &Path,
    diag: &mut Diagnostics,
) -> Option<Paging> {
    let errors_before = diag.count();
    let next = raw.selectors.next.as_ref();
    let template = match (&raw.page_url, next) {
        (Some(page_url), Some(_)) => {
            diag.error(
                Some(page_url.span()),
                "set either `page_url` or the `next` selector, not both: they are two ways to find page 2",
            );
            None
        }
        (Some(page_url), None) if listings > 1 => {
            diag.error(
                Some(page_url.span()),
                "`page_url` pages one listing, but this source has several `urls`; use the `next` selector \
                 or one source per listing",
            );
            None
        }
        (Some(page_url), None) => template(page_url, base_dir, diag),
        (None, _) => None,
    };
    let pages = next.is_some() || raw.page_url.is_some();
    let default = if pages { DEFAULT_MAX_PAGES } else { 1 };
    let max_pages = positive(raw.max_pages.as_ref(), default, MAX_PAGES, diag);
    if let Some(written) = &raw.max_pages
        && !pages
        && *written.get_ref() > 1
    {
        diag.error(
            Some(written.span()),
            format!(
                "`max_pages = {}` needs `page_url` or a `next` selector to find the next pages",
                written.get_ref()
            ),
        );
    }
    if diag.count() > errors_before {
        return None;
    }
    Some(Paging { template, max_pages: max_pages? })
}

/// `page_url` checked and made absolute (a relative `file:` against the config's folder), `{page}`
/// kept. Errors quote the template as written.
fn template(page_url: &Spanned<String>, base_dir: &Path, diag: &mut Diagnostics) -> Option<String> {
    let written = page_url.get_ref().trim();
    if !written.contains(PAGE) {
        diag.error(
            Some(page_url.span()),
            format!("`page_url` `{written}` has no `{PAGE}` where the page number goes"),
        );
        return None;
    }
    let stand_in = written.replace(PAGE, TOKEN);
    let url = match stand_in.strip_prefix("file:").filter(|rest| !rest.starts_with('/')) {
        Some(rest) => std::path::absolute(base_dir.join(rest)).ok().and_then(|p| Url::from_file_path(p).ok()),
        None => Url::parse(&stand_in).ok().filter(|url| {
            matches!(url.scheme(), "http" | "https" | "file")
                && (url.scheme() == "file" || url.host().is_some())
        }),
    };
    match url.filter(|url| url.as_str().contains(TOKEN)) {
        Some(url) => Some(url.as_str().replace(TOKEN, PAGE)),
        None => {
            diag.error(
                Some(page_url.span()),
                format!("invalid value `{written}`, expected an absolute http(s) or file URL with `{PAGE}`"),
            );
            None
        }
    }
}

/// Paging keys on a source of another kind are mistakes: say so instead of ignoring them.
pub(super) fn reject(raw: &RawSource, diag: &mut Diagnostics) {
    let kind = raw.kind.get_ref();
    if let Some(page_url) = &raw.page_url {
        diag.error(
            Some(page_url.span()),
            format!("`page_url` pages html listings; a {kind} source has none"),
        );
    }
    if let Some(max_pages) = &raw.max_pages {
        diag.error(
            Some(max_pages.span()),
            format!("`max_pages` pages html listings; a {kind} source has none"),
        );
    }
    if let Some(next) = &raw.selectors.next {
        diag.error(
            Some(next.span()),
            format!("the `next` selector pages html listings; a {kind} source has none"),
        );
    }
}
