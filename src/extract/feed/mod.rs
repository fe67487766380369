//! An upstream feed (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed) → one [`RawItem`] per entry.
//!
//! The text is repaired first ([`repair`]) and then parsed strictly by `feed-rs`. Each entry
//! keeps its fields as the feed wrote them (entities may still be encoded: Thanh Niên puts them
//! inside CDATA; normalization decodes them), except what must be read here:
//! - `url`: the entry's link (Atom `rel="alternate"` first), absolute against the feed URL; a
//!   permalink GUID when there is no link.
//! - `summary`: the text of the description (HTML read as a browser would); `content_html`:
//!   `content:encoded` / Atom content / JSON `content_html`, or a description that holds a
//!   whole article (two paragraphs or more).
//! - `image`: the entry's declared picture (an image enclosure or `media:content`), else the
//!   first picture of the description, else a `media:thumbnail`.
//! - `date`: the raw `pubDate`/`published` (else `updated`) string, so that normalization's
//!   Vietnamese, US and zone rules apply to it.
//! - `guid`: the entry's GUID or id, unless it is shared by entries with different links or is
//!   the feed's own URL (see [`crate::normalize::item_key`] for the rest of the rule).

mod html;
mod repair;

pub use repair::{Repairs, repair};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use feed_rs::model::{Entry, MediaObject, Text};
use thiserror::Error;
use url::Url;

use crate::model::{FetchedPage, RawItem};

/// A feed as read: its title and its entries in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpstreamFeed {
    pub title: Option<String>,
    pub items: Vec<RawItem>,
    /// What the text needed before it parsed.
    pub repairs: Repairs,
}

/// Why a fetched page gave no feed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FeedError {
    /// An HTML page (perhaps the site's RSS index), not a feed.
    #[error("the page is HTML, not an RSS, Atom or JSON feed{}", alternate.as_ref().map(|a| format!(" (it links to the feed `{a}`)")).unwrap_or_default())]
    Html { alternate: Option<String> },
    /// Not parseable even after repairs.
    #[error("not a readable RSS, Atom or JSON feed: {0}")]
    Unparseable(String),
}

/// Reads the feed in `page` (repaired as needed; the caller logs [`UpstreamFeed::repairs`]).
pub fn feed(page: &FetchedPage) -> Result<UpstreamFeed, FeedError> {
    let (text, repairs) = repair(&page.body);
    // feed-rs parses dates itself and keeps only the instant; we want the string, to read it
    // with our rules. Its date parser is ours: it keeps each string and answers with its
    // index as the instant, which maps each entry's date back to the string.
    let dates = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&dates);
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(page.url.as_str()))
        .sanitize_content(false)
        // no made-up ids: an entry without one has none
        .id_generator(|_, _, _| String::new())
        .timestamp_parser(move |text| {
            let mut seen = seen.lock().ok()?;
            seen.push(text.to_string());
            Utc.timestamp_opt(seen.len() as i64, 0).single()
        })
        .build();
    let parsed = match parser.parse(text.as_bytes()) {
        Ok(parsed) => parsed,
        Err(_) if looks_like_html(&text) => {
            return Err(FeedError::Html { alternate: html::alternate_feed(&page.body, &page.url) });
        }
        Err(e) => return Err(FeedError::Unparseable(e.to_string())),
    };
    let dates = dates.lock().map(|d| d.clone()).unwrap_or_default();
    let raw_date = |at: Option<DateTime<Utc>>| {
        let index = usize::try_from(at?.timestamp()).ok()?.checked_sub(1)?;
        dates.get(index).cloned()
    };
    let json_images = json_images(&text);
    let mut items: Vec<RawItem> = parsed
        .entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let date = raw_date(entry.published).or_else(|| raw_date(entry.updated));
            let mut item = item(entry, date, &page.url);
            if let Some(image) = json_images.get(i).cloned().flatten() {
                let base = Url::parse(&item.url).unwrap_or_else(|_| page.url.clone());
                item.image = base.join(image.trim()).ok().map(String::from).or(item.image);
            }
            item
        })
        .collect();
    keep_stable_guids(&mut items, &page.url);
    let title = parsed.title.map(|t| text_of(&t)).filter(|t| !t.is_empty());
    Ok(UpstreamFeed { title, items, repairs })
}

/// One entry as a raw item.
fn item(entry: &Entry, date: Option<String>, feed_url: &Url) -> RawItem {
    let guid = Some(entry.id.trim()).filter(|g| !g.is_empty()).map(|g| {
        match g.starts_with('/') && !g.starts_with("//") {
            // a path-only permalink ("/thoi-su/a-123.html") is a URL of the feed's site
            true => feed_url.join(g).map_or_else(|_| g.to_string(), String::from),
            false => g.to_string(),
        }
    });
    let link = link(entry, feed_url).or_else(|| {
        // an RSS GUID is a permalink unless it says otherwise: good enough without a link
        guid.as_deref().and_then(|g| Url::parse(g).ok()).filter(|u| matches!(u.scheme(), "http" | "https"))
    });
    let base = link.clone().unwrap_or_else(|| feed_url.clone());
    let description = entry.summary.as_ref().map(|s| read_text(s, &base));
    let content = entry.content.as_ref().and_then(|c| {
        let body = c.body.as_deref().filter(|b| !b.trim().is_empty())?;
        Some((c.content_type.essence().to_string(), body))
    });
    let (content_html, paragraphs) = match content {
        Some((kind, body)) if kind == "text/plain" => {
            (None, body.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect())
        }
        Some((_, body)) => (Some(body.to_string()), Vec::new()),
        // a description that is a whole article is the content too
        None => match (&description, &entry.summary) {
            (Some(d), Some(s)) if d.paragraphs >= 2 => (Some(s.content.clone()), Vec::new()),
            _ => (None, Vec::new()),
        },
    };
    let image = declared_image(&entry.media, &base)
        .or_else(|| description.as_ref().and_then(|d| d.image.clone()))
        .or_else(|| thumbnail(&entry.media, &base));
    RawItem {
        url: link.map(String::from).unwrap_or_default(),
        canonical: None,
        title: entry.title.as_ref().map(text_of).filter(|t| !t.is_empty()),
        summary: description.map(|d| d.text).filter(|t| !t.is_empty()),
        content_html,
        paragraphs,
        date,
        author: entry
            .authors
            .iter()
            .find_map(|p| p.name.as_deref().map(str::trim).filter(|n| !n.is_empty()))
            .map(String::from),
        image,
        categories: entry
            .categories
            .iter()
            .map(|c| crate::normalize::clean_text(c.label.as_deref().unwrap_or(&c.term)))
            .filter(|c| !c.is_empty())
            .fold(Vec::new(), |mut all, c| {
                if !all.contains(&c) {
                    all.push(c);
                }
                all
            }),
        guid,
    }
}

/// The page an entry stands for: an alternate link (no `rel`, or `alternate`), absolute.
fn link(entry: &Entry, base: &Url) -> Option<Url> {
    let web =
        |href: &str| base.join(href.trim()).ok().filter(|u| matches!(u.scheme(), "http" | "https" | "file"));
    let alternate = |rel: Option<&str>| rel.is_none_or(|r| r.eq_ignore_ascii_case("alternate"));
    entry
        .links
        .iter()
        .filter(|l| {
            alternate(l.rel.as_deref()) && l.media_type.as_deref().is_none_or(|t| !t.starts_with("image/"))
        })
        .find_map(|l| web(&l.href))
}

/// Title or description text: HTML read as text, plain text as written.
fn text_of(text: &Text) -> String {
    match text.content_type.essence().to_string().as_str() {
        "text/html" | "application/xhtml+xml" => html::text(&text.content),
        _ => text.content.trim().to_string(),
    }
}

/// A summary read for its text, its picture and its size.
fn read_text(text: &Text, base: &Url) -> html::Fragment {
    match text.content_type.essence().to_string().as_str() {
        "text/plain" if !text.content.contains('<') => {
            html::Fragment { text: text.content.trim().to_string(), image: None, paragraphs: 0 }
        }
        _ => html::fragment(&text.content, base),
    }
}

fn is_image(url: &Url, mime: Option<&str>) -> bool {
    match mime {
        Some(m) => m.starts_with("image/"),
        None => {
            let path = url.path().to_ascii_lowercase();
            [".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"].iter().any(|ext| path.ends_with(ext))
        }
    }
}

/// An image enclosure or `media:content` picture.
fn declared_image(media: &[MediaObject], base: &Url) -> Option<String> {
    media.iter().flat_map(|m| &m.content).find_map(|c| {
        let url = c.url.as_ref()?;
        let mime = c.content_type.as_ref().map(|t| t.essence().to_string());
        is_image(url, mime.as_deref()).then(|| base.join(url.as_str()).ok()).flatten().map(String::from)
    })
}

fn thumbnail(media: &[MediaObject], base: &Url) -> Option<String> {
    media
        .iter()
        .flat_map(|m| &m.thumbnails)
        .find_map(|t| base.join(t.image.uri.trim()).ok())
        .map(String::from)
}

/// A GUID is an identity only when it names one entry: one shared by entries with different
/// links (a generator writing the category id, or "0"), or the feed's own URL, is dropped.
fn keep_stable_guids(items: &mut [RawItem], feed_url: &Url) {
    let mut links = HashMap::<String, Vec<String>>::new();
    for item in items.iter() {
        if let Some(guid) = &item.guid {
            links.entry(guid.clone()).or_default().push(item.url.clone());
        }
    }
    for item in items.iter_mut() {
        let Some(guid) = &item.guid else { continue };
        let shared = links.get(guid).is_some_and(|urls| urls.iter().any(|u| *u != item.url));
        let feed_itself = Url::parse(guid).is_ok_and(|g| g == *feed_url);
        if shared || feed_itself {
            item.guid = None;
        }
    }
}

/// A JSON Feed item's `image` (else `banner_image`), by item: feed-rs does not read them.
fn json_images(text: &str) -> Vec<Option<String>> {
    if !text.starts_with('{') {
        return Vec::new();
    }
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else { return Vec::new() };
    let items = value.get("items").and_then(|i| i.as_array()).map(Vec::as_slice).unwrap_or_default();
    items
        .iter()
        .map(|item| ["image", "banner_image"].iter().find_map(|k| item.get(k)?.as_str().map(String::from)))
        .collect()
}

/// Whether a body that did not parse as a feed is an HTML page.
fn looks_like_html(text: &str) -> bool {
    let head: String = text.chars().take(1024).collect::<String>().to_ascii_lowercase();
    head.contains("<!doctype html")
        || head.contains("<html")
        || head.contains("<head")
        || head.contains("<body")
}

/// The article page's fields, with the feed entry's filling whatever the page lacks (the feed's
/// GUID is kept: it is the item's identity, whatever page it leads to).
pub fn with_feed_fields(page: RawItem, entry: RawItem) -> RawItem {
    let mut categories = entry.categories;
    for c in page.categories {
        if !categories.contains(&c) {
            categories.push(c);
        }
    }
    // a body is HTML or paragraphs, never both: the page's body whole, else the entry's
    let (content_html, paragraphs) = if page.content_html.is_some() || !page.paragraphs.is_empty() {
        (page.content_html, page.paragraphs)
    } else {
        (entry.content_html, entry.paragraphs)
    };
    RawItem {
        url: page.url,
        canonical: page.canonical,
        title: page.title.or(entry.title),
        summary: page.summary.or(entry.summary),
        content_html,
        paragraphs,
        date: page.date.or(entry.date),
        author: page.author.or(entry.author),
        image: page.image.or(entry.image),
        categories,
        guid: entry.guid,
    }
}

#[cfg(test)]
mod tests;
