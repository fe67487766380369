//! The config file as written: serde shapes with spans, before validation.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: Option<Spanned<String>>,
    pub description: Option<String>,
    pub base_url: Option<Spanned<String>>,
    pub language: Option<Spanned<String>>,
    pub timezone: Option<Spanned<String>>,
    pub feeds_dir: Option<String>,
    pub data_dir: Option<String>,
    pub listen: Option<Spanned<String>>,
    pub items_per_feed: Option<Spanned<i64>>,
    pub summary_length: Option<Spanned<i64>>,
    pub user_agent: Option<String>,
    pub cache_max_age: Option<Spanned<i64>>,
    // fetching (issue 5)
    pub connect_timeout: Option<Spanned<String>>,
    pub header_timeout: Option<Spanned<String>>,
    pub timeout: Option<Spanned<String>>,
    pub max_body_bytes: Option<Spanned<i64>>,
    pub retries: Option<Spanned<i64>>,
    pub retry_delay: Option<Spanned<String>>,
    pub max_retry_wait: Option<Spanned<String>>,
    pub host_concurrency: Option<Spanned<i64>>,
    pub host_delay: Option<Spanned<String>>,
    pub backoff_after: Option<Spanned<i64>>,
    pub backoff_max_runs: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: Spanned<String>,
    pub kind: Spanned<String>,
    pub url: Option<Spanned<String>>,
    pub urls: Option<Vec<Spanned<String>>>,
    pub path: Option<Spanned<String>>,
    pub category: Spanned<String>,
    pub schedule: Option<Spanned<String>>,
    pub summary_length: Option<Spanned<i64>>,
    pub max_items: Option<Spanned<i64>>,
    pub timezone: Option<Spanned<String>>,
    pub user_agent: Option<Spanned<String>>,
    pub robots: Option<bool>,
    pub max_body_bytes: Option<Spanned<i64>>,
    pub refetch_interval: Option<Spanned<String>>,
    #[serde(default)]
    pub selectors: RawSelectors,
    // listing pagination (issue 6), `kind = "html"` only
    pub page_url: Option<Spanned<String>>,
    pub max_pages: Option<Spanned<i64>>,
    // filters and category mapping (issue 6)
    pub include: Option<super::filter::RawPatterns>,
    pub exclude: Option<super::filter::RawPatterns>,
    pub categories: Option<super::filter::RawCategories>,
    // upstream feeds (issue 6)
    pub date_order: Option<Spanned<String>>,
    pub fetch_article: Option<Spanned<bool>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSelectors {
    pub item: Option<Spanned<String>>,
    pub title: Option<Spanned<String>>,
    pub summary: Option<Spanned<String>>,
    pub content: Option<Spanned<String>>,
    pub date: Option<Spanned<String>>,
    pub author: Option<Spanned<String>>,
    pub image: Option<Spanned<String>>,
    pub remove: Option<Spanned<String>>,
    /// Listing page: the link to the next listing page (issue 6).
    pub next: Option<Spanned<String>>,
}
