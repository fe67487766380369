//! Items → RSS 2.0 and Atom 1.0 bytes: deterministic (same items, same bytes), valid per
//! DESIGN.md §3, written atomically and only when the bytes change.

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
    let _ = (meta, items);
    Vec::new()
}

/// The Atom 1.0 document for `items` (already ordered newest first).
pub fn atom(meta: &FeedMeta, items: &[StoredItem]) -> Vec<u8> {
    let _ = (meta, items);
    Vec::new()
}

/// Writes `bytes` to `path` atomically (temp file in the same folder, fsync, rename) unless the
/// file already holds exactly these bytes. Returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    let _ = (path, bytes);
    Ok(false)
}
