//! `RawItem` → `Item`: Vietnamese text (NFC, entities, whitespace), dates in the source's zone,
//! canonical URLs and the item's identity. Pure: "now" is `Context::fetched_at`, never the clock.
//!
//! One file per job: `text` (clean strings and the folded key), `sentence` (sentence ends,
//! truncation), `title`, `summary`, `boilerplate` (captions, related boxes, footers, bylines),
//! `html` (body text and sanitizing), `blocks` (boilerplate out of HTML), `date`, `link`
//! (canonical URLs: the item key is a contract, see there), `slug` (feed file names).

mod blocks;
mod boilerplate;
mod category;
mod date;
mod encoding;
mod html;
mod link;
mod rewrite;
mod sentence;
mod slug;
mod summary;
mod text;
mod title;
mod tone;

pub use boilerplate::{body_paragraphs, story_lines};
pub use category::mapped_category;
pub use date::{DateError, DateOrder, parse_date, read_date};
pub use encoding::{Fix, Legacy, Repaired, repair_html, repair_item, repair_text};
pub use html::{clean_body, first_image, html_paragraphs, paragraphs_html, sanitize, with_lead};
pub(crate) use link::percent_decode;
pub use link::{absolute_url, canonical_url, item_key, item_url};
pub use sentence::{sentence_ends, truncate, truncate_words};
pub use slug::slug;
pub use summary::{clean_lead, first_text, summary};
pub use text::{clean_text, fold, is_xml_char, strip_forbidden, surely_nfc};
pub use title::{clean_title, derive_title};
pub use tone::tone_on_second_vowel;

use std::cell::LazyCell;

use chrono::{DateTime, FixedOffset};
use thiserror::Error;
use tracing::{debug, warn};

use crate::config::Source;
use crate::model::{Item, RawItem};

/// What normalization needs besides the raw item.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub source: &'a Source,
    /// The site title, stripped from page titles ("… - Báo Hà Nam").
    pub site_title: &'a str,
    /// When the page was fetched: the reference for relative and partial dates.
    pub fetched_at: DateTime<FixedOffset>,
}

/// Why an item was dropped: logged with the source id and URL.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Dropped {
    #[error("no title")]
    NoTitle,
    #[error("no usable URL `{0}`")]
    BadUrl(String),
}

/// Normalizes one raw item.
///
/// - `key` and `url`: the canonical URL ([`item_url`]: the page's declared canonical when it is
///   on the same site, else the page URL; no fragment, no tracking parameters). An upstream
///   feed's stable GUID, when the raw item has one, is the key instead ([`item_key`]).
/// - `title`: cleaned, the site name stripped; else derived from the lead or first paragraph.
/// - `summary`: the lead without its agency tag, else the first story paragraphs (no captions,
///   related boxes, footer or byline: see [`body_paragraphs`]), at most `summary_length`
///   characters.
/// - `content_html`: the body without boilerplate, sanitized with absolute URLs, the lead in
///   front when the body does not start with it ([`clean_body`]); or `<p>` paragraphs built
///   from a plain-text body's story paragraphs.
/// - `published`: [`read_date`] in the source's zone; `None` when absent, unreadable or more
///   than a day in the future (logged as a warning).
/// - `image`: the page's image, else the first picture of the body.
/// - `category`: the source's, unless its `[sources.categories]` maps the item elsewhere
///   ([`mapped_category`]).
pub fn item(raw: RawItem, ctx: &Context) -> Result<Item, Dropped> {
    // mojibake and legacy encodings first: every later rule expects real Vietnamese
    let raw = repair_item(raw);
    let bad_url = || Dropped::BadUrl(raw.url.clone());
    let url = item_url(&raw.url, raw.canonical.as_deref()).ok_or_else(bad_url)?;
    // Relative links in the body and the image belong to the page they were read from.
    let page = absolute_url(&raw.url, None).ok_or_else(bad_url)?;
    let author = raw.author.as_deref().map(clean_text).filter(|a| !a.is_empty());

    // A "sapo" that is a caption, a related box or the footer is not the publisher's summary.
    let lead = raw.summary.as_deref().map(clean_lead).filter(|l| !l.is_empty() && !summary::not_text(l));
    let (body_html, body_text) = raw
        .content_html
        .as_deref()
        .and_then(|html| html::clean_body_text(html, &page, author.as_deref(), lead.as_deref()))
        .unzip();
    // The story paragraphs: only for a summary or a title the page does not give, or a body
    // that came as text.
    let paragraphs = LazyCell::new(|| {
        if raw.paragraphs.is_empty() {
            boilerplate::story_paragraphs(body_text.unwrap_or_default(), author.as_deref())
        } else {
            body_paragraphs(&raw.paragraphs, author.as_deref())
        }
    });
    let title = raw
        .title
        .as_deref()
        .and_then(|t| clean_title(t, ctx.site_title))
        .or_else(|| {
            let derived = derive_title(&first_text(lead.as_deref(), &paragraphs)?)?;
            clean_title(&derived, ctx.site_title).or(Some(derived))
        })
        .ok_or(Dropped::NoTitle)?;
    let summary = summary::summary_of(lead.as_deref(), || paragraphs.as_slice(), ctx.source.summary_length);
    let content_html = match raw.content_html {
        Some(_) => body_html,
        None => paragraphs_html(&paragraphs).map(|html| with_lead(html, lead.as_deref())),
    };
    let published = raw.date.as_deref().and_then(|d| match read_date(d, ctx.source.timezone, ctx.source.date_order, ctx.fetched_at) {
        Ok(date) => Some(date),
        Err(DateError::Future(date)) => {
            warn!(source = %ctx.source.id, url = %url, date = %date, raw = d, "date more than a day after the fetch: ignored");
            None
        }
        Err(DateError::Unreadable) => {
            debug!(source = %ctx.source.id, url = %url, raw = d, "unreadable date");
            None
        }
    });
    let image = raw
        .image
        .as_deref()
        .and_then(|i| absolute_url(&clean_text(i), Some(&page)))
        .map(String::from)
        .or_else(|| content_html.as_deref().and_then(first_image));

    // `[sources.categories]`: the URL's path or the page's own categories may name another feed
    let (category, category_slug) = match mapped_category(ctx.source, &url, &raw.categories) {
        Some(rule) => {
            debug!(source = %ctx.source.id, url = %url, key = %rule.key, category = %rule.category.name, "category mapped");
            (rule.category.name.clone(), rule.category.slug.clone())
        }
        None => (ctx.source.category.clone(), ctx.source.category_slug.clone()),
    };

    Ok(Item {
        key: item_key(&url, raw.guid.as_deref()),
        url: url.to_string(),
        title,
        summary,
        content_html,
        published,
        author,
        image,
        category,
        category_slug,
        source_id: ctx.source.id.clone(),
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod props;
