//! One HTTP request, one hop: polite headers and validators out; status, content type and a
//! streamed, capped, deadline-bound body back.

use std::time::{Duration, SystemTime};

use chrono_tz::Tz;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use tokio::time::Instant;
use url::Url;

use super::error::chain;
use super::hosts::Host;
use super::retry::parse_retry_after;
use super::{FetchError, PageKind, Phase, Settings, Validators, decode_owned, now};
use crate::model::FetchedPage;

/// What we can read, best first: pages, then anything (a listing served as text/plain still works).
const ACCEPT: &str = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.5";
const ACCEPT_LANGUAGE: &str = "vi,en;q=0.5";

/// Everything one hop needs.
pub(super) struct Hop<'a> {
    pub client: &'a reqwest::Client,
    pub settings: &'a Settings,
    pub host: &'a Host,
    /// This hop's URL.
    pub url: &'a Url,
    /// The URL first asked for (the page's `requested_url`).
    pub requested: &'a Url,
    pub user_agent: &'a str,
    pub validators: Option<&'a Validators>,
    pub kind: PageKind,
    pub max_body: usize,
    /// The end of the whole attempt, redirects included.
    pub deadline: Instant,
    pub zone: Tz,
}

pub(super) enum Answer {
    Page(Box<FetchedPage>),
    NotModified,
    Redirect(Url),
}

impl Hop<'_> {
    pub async fn send(&self) -> Result<Answer, FetchError> {
        let _slot = self.host.acquire(self.settings.host_delay).await;
        let url = self.url;
        let mut builder = self
            .client
            .get(url.clone())
            .header(header::USER_AGENT, self.user_agent)
            .header(header::ACCEPT, ACCEPT)
            .header(header::ACCEPT_LANGUAGE, ACCEPT_LANGUAGE);
        if let Some(validators) = self.validators {
            if let Some(etag) = &validators.etag {
                builder = builder.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(date) = &validators.last_modified {
                builder = builder.header(header::IF_MODIFIED_SINCE, date);
            }
        }
        let started = Instant::now();
        let header_deadline = (started + self.settings.header_timeout).min(self.deadline);
        let mut response = match tokio::time::timeout_at(header_deadline, builder.send()).await {
            Err(_) => return Err(self.timeout(Phase::Headers, started)),
            Ok(Err(e)) if e.is_timeout() && e.is_connect() => {
                return Err(FetchError::Timeout {
                    url: url.clone(),
                    phase: Phase::Connect,
                    after: self.settings.connect_timeout,
                });
            }
            Ok(Err(e)) => return Err(FetchError::Http { url: url.clone(), reason: chain(&e) }),
            Ok(Ok(response)) => response,
        };

        let status = response.status();
        let headers = response.headers();
        if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
            let location = text(headers, header::LOCATION);
            if let Some(next) = location.as_deref().and_then(|l| url.join(l).ok()) {
                return Ok(Answer::Redirect(next));
            }
            return Err(FetchError::Redirect {
                url: url.clone(),
                reason: format!("HTTP {} without a usable `Location` ({location:?})", status.as_u16()),
            });
        }
        if status == StatusCode::NOT_MODIFIED && self.validators.is_some_and(|v| !v.is_empty()) {
            return Ok(Answer::NotModified);
        }
        if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
            let retry_after =
                text(headers, header::RETRY_AFTER).and_then(|v| parse_retry_after(&v, SystemTime::now()));
            return Err(FetchError::RateLimited { url: url.clone(), status: status.as_u16(), retry_after });
        }
        if !status.is_success() {
            return Err(FetchError::Status { url: url.clone(), status: status.as_u16() });
        }

        let content_type = text(headers, header::CONTENT_TYPE);
        if self.kind == PageKind::Article
            && let Some(kind) = content_type.as_deref().filter(|t| !is_page(t))
        {
            return Err(FetchError::NotHtml { url: url.clone(), content_type: kind.to_string() });
        }
        let etag = text(headers, header::ETAG);
        let last_modified = text(headers, header::LAST_MODIFIED);
        // an uncompressed body that announces its size can be refused before reading it
        let declared =
            headers.get(header::CONTENT_ENCODING).is_none().then(|| response.content_length()).flatten();
        if declared.is_some_and(|len| len > self.max_body as u64) {
            return Err(FetchError::TooLarge { url: url.clone(), limit: self.max_body });
        }
        let final_url = response.url().clone();

        // `chunk` yields decompressed bytes, so the cap also stops a gzip bomb early
        let mut bytes = Vec::with_capacity(declared.map_or(64 * 1024, |l| l as usize));
        loop {
            let chunk = match tokio::time::timeout_at(self.deadline, response.chunk()).await {
                Err(_) => return Err(self.timeout(Phase::Body, started)),
                Ok(Err(e)) => return Err(FetchError::Body { url: url.clone(), reason: chain(&e) }),
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => chunk,
            };
            if bytes.len() + chunk.len() > self.max_body {
                return Err(FetchError::TooLarge { url: url.clone(), limit: self.max_body });
            }
            bytes.extend_from_slice(&chunk);
        }
        let bytes = super::gzip::inflate(bytes, self.max_body, url)?;
        if self.kind != PageKind::Robots && bytes.trim_ascii().is_empty() {
            return Err(FetchError::Empty { url: url.clone() });
        }
        let tld = final_url
            .domain()
            .and_then(|h| h.rsplit('.').next())
            .filter(|t| t.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(str::as_bytes);
        let decoded = decode_owned(bytes, content_type.as_deref(), tld);
        decoded.log(&final_url);
        Ok(Answer::Page(Box::new(FetchedPage {
            requested_url: self.requested.clone(),
            url: final_url,
            body: decoded.text,
            content_type,
            charset: decoded.encoding,
            etag,
            last_modified,
            fetched_at: now(self.zone),
        })))
    }

    fn timeout(&self, phase: Phase, started: Instant) -> FetchError {
        let after = Instant::now().saturating_duration_since(started);
        // report the configured limit rather than a few extra milliseconds of scheduling
        let limit = match phase {
            Phase::Headers => self.settings.header_timeout,
            _ => self.settings.total_timeout,
        };
        let after = if after.abs_diff(limit) < Duration::from_millis(50) { limit } else { after };
        FetchError::Timeout { url: self.url.clone(), phase, after }
    }
}

fn text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(|v| v.trim().to_string())
}

/// Whether a `Content-Type` can be an article page. Sites mislabel HTML as text/plain, so that
/// passes; PDFs, images, videos, JSON and downloads do not.
pub(super) fn is_page(content_type: &str) -> bool {
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    mime.is_empty() || matches!(mime.as_str(), "text/html" | "application/xhtml+xml" | "text/plain")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_content_types() {
        let cases = [
            ("text/html; charset=utf-8", true),
            ("TEXT/HTML", true),
            ("application/xhtml+xml", true),
            ("text/plain; charset=windows-1258", true),
            ("", true),
            ("application/pdf", false),
            ("image/jpeg", false),
            ("video/mp4", false),
            ("application/json", false),
            ("application/octet-stream", false),
        ];
        for (content_type, page) in cases {
            assert_eq!(is_page(content_type), page, "{content_type}");
        }
    }
}
