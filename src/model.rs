//! The types that flow through the pipeline, each more trustworthy than the last:
//! `FetchedPage` → `RawItem` → `Item` → `StoredItem` → feed bytes.
//!
//! `Source` (the compiled config of one source) lives in [`crate::config`].

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use url::Url;

/// A page as the fetch stage hands it on: decoded to UTF-8, with what we need to
/// fetch it cheaply next time. `fetched_at` is the only "now" later stages may use.
#[derive(Debug, Clone)]
pub struct FetchedPage {
    /// The URL asked for.
    pub requested_url: Url,
    /// The URL after redirects: relative links resolve against this.
    pub url: Url,
    /// The body decoded to UTF-8 (charset from header, BOM, `<meta>`, then detection).
    pub body: String,
    /// The `Content-Type` header as sent, when there was one.
    pub content_type: Option<String>,
    /// The charset the body was decoded from, e.g. `UTF-8`, `windows-1258`.
    pub charset: &'static str,
    /// Validators for a conditional GET next time.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// When the response arrived, in the configured zone.
    pub fetched_at: DateTime<FixedOffset>,
}

/// One article as extraction found it: strings exactly as on the page (entities may still be
/// encoded, whitespace uncollapsed, URLs already absolute against the page URL).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RawItem {
    /// The page the article was read from (after redirects), or the listing link when the
    /// article page was not fetched.
    pub url: String,
    /// `<link rel=canonical>` / `og:url` when the page declares one.
    pub canonical: Option<String>,
    pub title: Option<String>,
    /// The lead (sapo) as plain text, when the page marks one.
    pub summary: Option<String>,
    /// The article body as HTML (not yet sanitized).
    pub content_html: Option<String>,
    /// The article body as plain-text paragraphs, for sources that have no HTML (`files`).
    pub paragraphs: Vec<String>,
    /// A date as found: an ISO 8601 attribute value or visible text such as "07:22 25/02/2020".
    pub date: Option<String>,
    pub author: Option<String>,
    pub image: Option<String>,
    /// Category names the page itself declares (breadcrumb, `article:section`); informative only.
    pub categories: Vec<String>,
    /// The identity an upstream feed gives the item (RSS `<guid>`, Atom `<id>`, JSON Feed `id`)
    /// when it has one that looks stable; normalization turns it into the key
    /// ([`crate::normalize::item_key`]). `None` for scraped pages: their key is the canonical URL.
    pub guid: Option<String>,
}

/// A normalized item: NFC text, absolute URLs, a clean summary, a date with an offset.
/// This is what the store keeps and the feeds show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// The identity (GUID) of the item: its canonical URL, or an upstream feed's stable GUID.
    /// A contract: see ARCHITECTURE.md and [`crate::normalize::item_key`].
    pub key: String,
    /// The link readers follow (canonical, percent-encoded, no tracking parameters).
    pub url: String,
    pub title: String,
    /// Plain text, at most the configured length.
    pub summary: String,
    /// Sanitized HTML with absolute URLs, when the source gave a body.
    pub content_html: Option<String>,
    /// The publication date, when the page gave one; the store falls back to first-seen.
    pub published: Option<DateTime<FixedOffset>>,
    pub author: Option<String>,
    pub image: Option<String>,
    /// The category name as configured ("Văn hóa - Xã hội").
    pub category: String,
    /// Its ASCII slug ("van-hoa-xa-hoi"): the feed file name.
    pub category_slug: String,
    pub source_id: String,
}

/// An item with its history in the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredItem {
    pub item: Item,
    /// When tinfeed first saw the item: the date of record when the page had none.
    pub first_seen: DateTime<FixedOffset>,
    /// When the item's content last changed (first_seen until it is edited).
    pub updated: DateTime<FixedOffset>,
    /// Hash of the fields a reader sees, to tell an edit from a re-fetch.
    pub content_hash: String,
    /// Every category the item is filed under (an article can be listed in two), sorted.
    pub categories: Vec<String>,
}

impl StoredItem {
    /// The date feeds show: the page's own date, else when we first saw the item.
    pub fn published(&self) -> DateTime<FixedOffset> {
        self.item.published.unwrap_or(self.first_seen)
    }
}
