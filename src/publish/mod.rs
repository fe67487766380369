//! Items → RSS 2.0 and Atom 1.0 bytes: deterministic (same items, same bytes), valid per
//! DESIGN.md §3, written atomically and only when the bytes change.
//!
//! Determinism: nothing here reads the clock. A feed's date (`lastBuildDate`, Atom `updated`)
//! is the last time an item appeared or changed (max over the items of `updated`, never before
//! `published`); an empty feed carries a fixed date (2000-01-01T00:00:00+07:00).
//! Items keep the order they are given in (the store's: newest first, ties by key); a later
//! item with an already seen key is dropped.

mod atom_feed;
#[cfg(test)]
mod fixtures;
mod rss_feed;
mod write;
mod xml;

use std::path::Path;

use url::Url;

use crate::model::StoredItem;

/// What a feed says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedMeta {
    /// The file stem: `van-hoa-xa-hoi`, or `all`.
    pub slug: String,
    /// "Báo Hà Nam – Văn hóa - Xã hội"
    pub title: String,
    pub description: String,
    /// `vi`
    pub language: String,
    /// Public base URL of the feeds (ends with `/`): self links are `base_url` + file name.
    pub base_url: Url,
    /// The HTML page the feed stands for (the category's listing page, or the site).
    pub link: Url,
    /// The publisher, for Atom's feed `author`.
    pub author: String,
}

/// The RSS 2.0 document for `items` (already ordered newest first).
pub fn rss(meta: &FeedMeta, items: &[StoredItem]) -> Vec<u8> {
    rss_feed::render(meta, items)
}

/// The Atom 1.0 document for `items` (already ordered newest first).
pub fn atom(meta: &FeedMeta, items: &[StoredItem]) -> Vec<u8> {
    atom_feed::render(meta, items)
}

/// Writes `bytes` to `path` atomically (temp file in the same folder, fsync, rename) unless the
/// file already holds exactly these bytes. Returns whether it wrote. Creates the folder when
/// missing; the file is mode 0644. Errors name the path.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    write::write_if_changed(path, bytes)
}
