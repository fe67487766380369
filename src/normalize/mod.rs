//! `RawItem` → `Item`: Vietnamese text (NFC, entities, whitespace), dates in the source's zone,
//! canonical URLs and the item's identity. Pure: "now" is `Context::fetched_at`, never the clock.

mod date;
mod html;
mod link;
mod sentence;
mod slug;
mod summary;
mod text;
mod title;

pub use date::parse_date;
pub use html::{html_paragraphs, paragraphs_html, sanitize};
pub use link::{absolute_url, canonical_url, item_url};
pub use sentence::{sentence_ends, truncate, truncate_words};
pub use slug::slug;
pub use summary::{clean_lead, summary};
pub use text::{clean_text, fold, is_xml_char, strip_forbidden};
pub use title::{clean_title, derive_title};

use chrono::{DateTime, FixedOffset};
use thiserror::Error;

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
pub fn item(raw: RawItem, ctx: &Context) -> Result<Item, Dropped> {
    let url = url::Url::parse(&raw.url).map_err(|_| Dropped::BadUrl(raw.url.clone()))?;
    let title = raw.title.filter(|t| !t.trim().is_empty()).ok_or(Dropped::NoTitle)?;
    Ok(Item {
        key: url.to_string(),
        url: url.to_string(),
        title,
        summary: raw.summary.unwrap_or_default(),
        content_html: raw.content_html,
        published: None,
        author: raw.author,
        image: raw.image,
        category: ctx.source.category.clone(),
        category_slug: ctx.source.category_slug.clone(),
        source_id: ctx.source.id.clone(),
    })
}
