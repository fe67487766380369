//! URL → [`FetchedPage`]: one pooled HTTP client with timeouts, a redirect limit and a body cap;
//! `file://` read from disk; every body decoded to UTF-8.

mod charset;

pub use charset::{Decoded, DecodedBy, decode};

use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use thiserror::Error;
use url::Url;

use crate::model::FetchedPage;

/// Bodies larger than this are cut off while streaming and the fetch fails.
pub const MAX_BODY_BYTES: usize = 5 * 1024 * 1024;
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(30);
pub const MAX_REDIRECTS: usize = 10;

/// The honest User-Agent: who we are and where to read about us.
pub fn default_user_agent() -> String {
    format!("tinfeed/{} (+{})", env!("CARGO_PKG_VERSION"), env!("CARGO_PKG_REPOSITORY"))
}

#[derive(Debug, Error)]
pub enum FetchError {
    #[error("cannot read `{url}`: {source}")]
    File { url: Url, source: std::io::Error },
    #[error("`{url}` answered HTTP {status}")]
    Status { url: Url, status: u16 },
    #[error("cannot fetch `{url}`: {reason}")]
    Http { url: Url, reason: String },
    #[error("`{url}` is larger than {limit} bytes")]
    TooLarge { url: Url, limit: usize },
    #[error("`{url}` has a scheme tinfeed cannot fetch")]
    Scheme { url: Url },
}

/// The process's one HTTP client (a connection pool), plus the `file://` reader.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
}

impl Fetcher {
    pub fn new(user_agent: &str) -> Result<Fetcher, FetchError> {
        // reqwest is built without a bundled crypto provider: use ring, once per process.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(user_agent)
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(TOTAL_TIMEOUT)
            .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
            .build()
            .map_err(|e| FetchError::Http {
                url: Url::parse("about:blank").expect("valid"),
                reason: error_chain(&e),
            })?;
        Ok(Fetcher { client })
    }

    /// Fetches `url` and decodes it; `zone` stamps `fetched_at`.
    pub async fn get(&self, url: &Url, zone: Tz) -> Result<FetchedPage, FetchError> {
        match url.scheme() {
            "file" => self.get_file(url, zone).await,
            "http" | "https" => self.get_http(url, zone).await,
            _ => Err(FetchError::Scheme { url: url.clone() }),
        }
    }

    async fn get_file(&self, url: &Url, zone: Tz) -> Result<FetchedPage, FetchError> {
        let file_error = |source| FetchError::File { url: url.clone(), source };
        let path = url.to_file_path().map_err(|()| {
            file_error(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a local path"))
        })?;
        let bytes = tokio::fs::read(&path).await.map_err(file_error)?;
        if bytes.len() > MAX_BODY_BYTES {
            return Err(FetchError::TooLarge { url: url.clone(), limit: MAX_BODY_BYTES });
        }
        let decoded = decode(&bytes, None, None);
        decoded.log(url);
        Ok(FetchedPage {
            requested_url: url.clone(),
            url: url.clone(),
            body: decoded.text,
            content_type: None,
            charset: decoded.encoding,
            etag: None,
            last_modified: None,
            fetched_at: now(zone),
        })
    }

    async fn get_http(&self, url: &Url, zone: Tz) -> Result<FetchedPage, FetchError> {
        let http_error = |e: reqwest::Error| FetchError::Http { url: url.clone(), reason: error_chain(&e) };
        let mut response = self.client.get(url.clone()).send().await.map_err(http_error)?;
        let status = response.status();
        if !status.is_success() {
            return Err(FetchError::Status { url: url.clone(), status: status.as_u16() });
        }
        let header = |name: reqwest::header::HeaderName| {
            response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let etag = header(reqwest::header::ETAG);
        let last_modified = header(reqwest::header::LAST_MODIFIED);
        let final_url = response.url().clone();

        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(http_error)? {
            if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(FetchError::TooLarge { url: url.clone(), limit: MAX_BODY_BYTES });
            }
            bytes.extend_from_slice(&chunk);
        }
        let tld = final_url.host_str().and_then(|h| h.rsplit('.').next()).map(str::as_bytes);
        let decoded = decode(&bytes, content_type.as_deref(), tld);
        decoded.log(&final_url);
        Ok(FetchedPage {
            requested_url: url.clone(),
            url: final_url,
            body: decoded.text,
            content_type,
            charset: decoded.encoding,
            etag,
            last_modified,
            fetched_at: now(zone),
        })
    }
}

/// The current time in `zone`, as a fixed offset.
pub fn now(zone: Tz) -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&zone).fixed_offset()
}

/// "error sending request: connection refused" rather than the outermost layer alone.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = inner.source();
    }
    message
}
