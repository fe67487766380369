//! Why a fetch failed, in words that quote the URL, with a stable class for logs and metrics
//! and the one decision the caller needs: is it worth trying again?

use std::time::Duration;

use thiserror::Error;
use url::Url;

/// Which wait ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Connect,
    Headers,
    Body,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Phase::Connect => "the connection",
            Phase::Headers => "the response headers",
            Phase::Body => "the whole body",
        })
    }
}

#[derive(Debug, Error)]
pub enum FetchError {
    #[error("cannot read `{url}`: {source}")]
    File { url: Url, source: std::io::Error },
    #[error("`{url}` answered HTTP {status}")]
    Status { url: Url, status: u16 },
    /// 429, or 503 (overloaded): the server asks us to slow down.
    #[error("`{url}` answered HTTP {status} (too many requests{})", wait_hint(retry_after))]
    RateLimited { url: Url, status: u16, retry_after: Option<Duration> },
    #[error("`{url}` timed out after {} waiting for {phase}", seconds(after))]
    Timeout { url: Url, phase: Phase, after: Duration },
    /// Connection refused or reset, DNS, TLS: nothing usable came back.
    #[error("cannot fetch `{url}`: {reason}")]
    Http { url: Url, reason: String },
    /// The body broke off (a connection closed early, a corrupt gzip stream).
    #[error("the body of `{url}` broke off: {reason}")]
    Body { url: Url, reason: String },
    #[error("`{url}` answered with an empty page")]
    Empty { url: Url },
    #[error("`{url}` is larger than {limit} bytes")]
    TooLarge { url: Url, limit: usize },
    #[error("cannot fetch `{url}`: {reason}")]
    Redirect { url: Url, reason: String },
    /// robots.txt could not be read (a 5xx, a network failure, after retries): RFC 9309 says
    /// to crawl nothing, so the page is not fetched. Its class is the underlying one.
    #[error("cannot fetch `{url}`: its robots.txt is unreachable ({source})")]
    RobotsUnreachable { url: Url, source: Box<FetchError> },
    #[error(
        "robots.txt of `{}` disallows `{url}` (set `robots = false` on the source only if the site allows you)",
        url.origin().ascii_serialization()
    )]
    Robots { url: Url },
    /// An article link that is not a page (a PDF, an image): skipped, not an error of the source.
    #[error("`{url}` is `{content_type}`, not an HTML page")]
    NotHtml { url: Url, content_type: String },
    #[error("`{url}` has a scheme tinfeed cannot fetch")]
    Scheme { url: Url },
}

fn wait_hint(retry_after: &Option<Duration>) -> String {
    retry_after.map_or(String::new(), |d| format!(", retry after {}", seconds(&d)))
}

fn seconds(d: &Duration) -> String {
    if d.subsec_millis() == 0 { format!("{} s", d.as_secs()) } else { format!("{:.1} s", d.as_secs_f64()) }
}

impl FetchError {
    /// A short stable name for logs and metrics labels.
    pub fn class(&self) -> &'static str {
        match self {
            FetchError::File { .. } => "io",
            FetchError::Status { status: 400..=499, .. } => "http_4xx",
            FetchError::Status { status: 500..=599, .. } => "http_5xx",
            FetchError::Status { .. } => "http_status",
            FetchError::RateLimited { .. } => "rate_limited",
            FetchError::Timeout { .. } => "timeout",
            FetchError::Http { .. } => "connection",
            FetchError::Body { .. } => "truncated",
            FetchError::Empty { .. } => "empty",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::Redirect { .. } => "redirect",
            FetchError::Robots { .. } => "robots",
            FetchError::RobotsUnreachable { source, .. } => source.class(),
            FetchError::NotHtml { .. } => "not_html",
            FetchError::Scheme { .. } => "scheme",
        }
    }

    /// Whether trying again soon may succeed: timeouts, broken connections, 5xx, 429. Never a
    /// 4xx, a body too large, a redirect loop or a robots.txt refusal (and not an unreachable
    /// robots.txt: that fetch had its own retries).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            FetchError::Timeout { .. }
                | FetchError::Http { .. }
                | FetchError::Body { .. }
                | FetchError::Empty { .. }
                | FetchError::RateLimited { .. }
                | FetchError::Status { status: 500..=599, .. }
        )
    }

    /// How long the server asked us to wait (`Retry-After`), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::RateLimited { retry_after, .. } => *retry_after,
            FetchError::RobotsUnreachable { source, .. } => source.retry_after(),
            _ => None,
        }
    }

    /// The URL that failed.
    pub fn url(&self) -> &Url {
        match self {
            FetchError::File { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::RateLimited { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::Http { url, .. }
            | FetchError::Body { url, .. }
            | FetchError::Empty { url }
            | FetchError::TooLarge { url, .. }
            | FetchError::Redirect { url, .. }
            | FetchError::Robots { url }
            | FetchError::RobotsUnreachable { url, .. }
            | FetchError::NotHtml { url, .. }
            | FetchError::Scheme { url } => url,
        }
    }
}

/// "error sending request: connection refused" rather than the outermost layer alone.
pub(super) fn chain(error: &dyn std::error::Error) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_transient_failures_are_retried() {
        let url = Url::parse("https://baohanam.com.vn/thoi-su/").unwrap();
        let status = |status| FetchError::Status { url: url.clone(), status };
        let cases: Vec<(FetchError, &str, bool)> = vec![
            (status(500), "http_5xx", true),
            (status(502), "http_5xx", true),
            (status(404), "http_4xx", false),
            (status(403), "http_4xx", false),
            (status(410), "http_4xx", false),
            (
                FetchError::RateLimited { url: url.clone(), status: 429, retry_after: None },
                "rate_limited",
                true,
            ),
            (
                FetchError::Timeout { url: url.clone(), phase: Phase::Body, after: Duration::from_secs(30) },
                "timeout",
                true,
            ),
            (FetchError::Http { url: url.clone(), reason: "connection reset".into() }, "connection", true),
            (FetchError::Body { url: url.clone(), reason: "unexpected eof".into() }, "truncated", true),
            (FetchError::TooLarge { url: url.clone(), limit: 5 }, "too_large", false),
            (FetchError::Redirect { url: url.clone(), reason: "loop".into() }, "redirect", false),
            (FetchError::Robots { url: url.clone() }, "robots", false),
            (
                FetchError::NotHtml { url: url.clone(), content_type: "application/pdf".into() },
                "not_html",
                false,
            ),
        ];
        for (error, class, transient) in cases {
            assert_eq!((error.class(), error.is_transient()), (class, transient), "{error}");
            assert_eq!(error.url(), &url);
        }
    }

    #[test]
    fn messages_quote_the_url_and_the_wait() {
        let url = Url::parse("https://baohanam.com.vn/kinh-te/").unwrap();
        let rate = FetchError::RateLimited {
            url: url.clone(),
            status: 429,
            retry_after: Some(Duration::from_secs(120)),
        };
        assert_eq!(
            rate.to_string(),
            "`https://baohanam.com.vn/kinh-te/` answered HTTP 429 (too many requests, retry after 120 s)"
        );
        let timeout = FetchError::Timeout {
            url: url.clone(),
            phase: Phase::Headers,
            after: Duration::from_millis(1500),
        };
        assert_eq!(
            timeout.to_string(),
            "`https://baohanam.com.vn/kinh-te/` timed out after 1.5 s waiting for the response headers"
        );
        let robots = FetchError::Robots { url: url.join("a-1.html").unwrap() };
        assert!(
            robots.to_string().starts_with("robots.txt of `https://baohanam.com.vn` disallows"),
            "{robots}"
        );
    }
}
