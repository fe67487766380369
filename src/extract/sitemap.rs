//! Sitemaps (sitemaps.org 0.9) and sitemap indexes, with the Google News and image extensions:
//! the article URLs a site lists for crawlers, with the dates, titles and pictures it gives them.
//!
//! Lenient in: elements are matched by local name whatever their prefix or namespace (`news:title`,
//! `n:title`, or an undeclared prefix), values are trimmed, a BOM, a bare `&` in a URL, HTML
//! entities and mismatched end tags are tolerated, relative `<loc>`s resolve against the sitemap.
//! A plain-text sitemap (one URL per line, which the protocol also allows) is read too. What is not
//! a sitemap at all (not XML, or an `<html>` error page, or a feed) is an error naming its root.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use url::Url;

use crate::model::FetchedPage;

/// What a sitemap document lists.
#[derive(Debug, Clone, PartialEq)]
pub enum Sitemap {
    /// A `<sitemapindex>`: other sitemaps, in document order.
    Index(Vec<SitemapRef>),
    /// A `<urlset>` (or a plain-text list): pages, in document order.
    Urls(Vec<SitemapUrl>),
}

/// One `<sitemap>` of an index.
#[derive(Debug, Clone, PartialEq)]
pub struct SitemapRef {
    pub loc: Url,
    /// `<lastmod>` as written (W3C datetime, usually).
    pub lastmod: Option<String>,
}

/// One `<url>` of a urlset: strings as written, trimmed and unescaped.
#[derive(Debug, Clone, PartialEq)]
pub struct SitemapUrl {
    pub loc: Url,
    pub lastmod: Option<String>,
    /// `<news:news><news:title>`.
    pub news_title: Option<String>,
    /// `<news:news><news:publication_date>`.
    pub publication_date: Option<String>,
    /// The first `<image:image><image:loc>`, absolute.
    pub image: Option<String>,
}

/// Reads a sitemap, a sitemap index or a plain-text sitemap. `<loc>`s that are not http(s) (or
/// `file:` in a `file:` sitemap) are skipped, fragments dropped. The error says why the document
/// is not a sitemap, with the line of a syntax error.
pub fn sitemap(page: &FetchedPage) -> Result<Sitemap, String> {
    let body = page.body.trim_start_matches('\u{feff}').trim_start();
    if body.is_empty() {
        return Err("the document is empty".to_string());
    }
    if !body.starts_with('<') {
        return plain_text(body, &page.url);
    }
    let mut reader = Reader::from_str(body);
    let config = reader.config_mut();
    config.allow_dangling_amp = true;
    config.allow_unmatched_ends = true;
    config.check_end_names = false;
    let mut parser = Parser {
        base: &page.url,
        root: None,
        root_name: None,
        stack: Vec::new(),
        text: String::new(),
        entry: None,
    };
    let mut index = Vec::new();
    let mut urls = Vec::new();
    loop {
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(0).min(body.len());
            let line = body.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            format!("not well-formed XML at line {line}: {e}")
        })?;
        match event {
            Event::Start(start) => parser.start(&start)?,
            Event::Empty(start) => {
                parser.start(&start)?;
                parser.end(&local(&start), &mut index, &mut urls);
            }
            Event::End(end) => {
                let name = end.local_name().as_ref().to_ascii_lowercase();
                parser.end(&name, &mut index, &mut urls);
            }
            Event::Text(text) => parser.text.push_str(&text.xml10_content()),
            Event::CData(data) => parser.text.push_str(&data.xml10_content()),
            Event::GeneralRef(reference) => {
                let name = reference.xml10_content();
                match reference.resolve_char_ref() {
                    Ok(Some(c)) => parser.text.push(c),
                    // XML's five, and HTML's (`&agrave;`) that sites put in titles; unknown ones stay
                    _ => parser.text.push_str(&html_escape::decode_html_entities(&format!("&{name};"))),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let (Some(root), false) = (&parser.root_name, parser.stack.is_empty()) {
        // a cut-off body (a half-written file, a proxy's truncation) may have lost any entry
        return Err(format!("the document ends before `</{root}>`: it is cut short"));
    }
    match parser.root {
        Some(Root::Index) => Ok(Sitemap::Index(index)),
        Some(Root::Urls) => Ok(Sitemap::Urls(urls)),
        None => Err("the document holds no XML element".to_string()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Root {
    Index,
    Urls,
}

/// The `<url>` or `<sitemap>` being read.
#[derive(Debug, Default)]
struct Entry {
    loc: Option<String>,
    lastmod: Option<String>,
    news_title: Option<String>,
    publication_date: Option<String>,
    image: Option<String>,
}

struct Parser<'a> {
    base: &'a Url,
    root: Option<Root>,
    /// The root element's name as written, for errors.
    root_name: Option<String>,
    /// Local names of the open elements, lower-cased.
    stack: Vec<String>,
    /// The text of the innermost element so far.
    text: String,
    entry: Option<Entry>,
}

fn local(start: &BytesStart<'_>) -> String {
    start.local_name().as_ref().to_ascii_lowercase()
}

impl Parser<'_> {
    fn start(&mut self, start: &BytesStart<'_>) -> Result<(), String> {
        let name = local(start);
        if self.root.is_none() {
            self.root_name = Some(start.name().as_ref().to_string());
            self.root = Some(match name.as_str() {
                "urlset" => Root::Urls,
                "sitemapindex" => Root::Index,
                _ => {
                    return Err(format!(
                        "its root element is `<{}>`, not `<urlset>` or `<sitemapindex>`",
                        start.name().as_ref()
                    ));
                }
            });
        }
        let entry = match self.root {
            Some(Root::Urls) => "url",
            _ => "sitemap",
        };
        if name == entry && self.stack.len() == 1 {
            self.entry = Some(Entry::default());
        }
        self.stack.push(name);
        self.text.clear();
        Ok(())
    }

    /// Closes `name` (and whatever was left open inside it); an end tag that closes nothing open
    /// is ignored.
    fn end(&mut self, name: &str, index: &mut Vec<SitemapRef>, urls: &mut Vec<SitemapUrl>) {
        let Some(at) = self.stack.iter().rposition(|open| open == name) else { return };
        let value = self.text.trim();
        let value = (!value.is_empty()).then(|| value.to_string());
        // the path inside the entry: ["loc"], ["news", "title"], ["image", "loc"] …
        let path: Vec<&str> =
            self.stack.iter().skip(2).take(at.saturating_sub(1)).map(String::as_str).collect();
        if let (Some(entry), Some(value)) = (self.entry.as_mut(), value)
            && at == self.stack.len() - 1
        {
            let slot = match path.as_slice() {
                ["loc"] => &mut entry.loc,
                ["lastmod"] => &mut entry.lastmod,
                ["news", "title"] => &mut entry.news_title,
                ["news", "publication_date"] => &mut entry.publication_date,
                ["image", "loc"] => &mut entry.image,
                _ => &mut None,
            };
            slot.get_or_insert(value);
        }
        self.stack.truncate(at);
        self.text.clear();
        // the entry ends with its element, or with the root when its own end tag is missing
        if at <= 1
            && let Some(entry) = self.entry.take()
        {
            self.push(entry, index, urls);
        }
    }

    fn push(&self, entry: Entry, index: &mut Vec<SitemapRef>, urls: &mut Vec<SitemapUrl>) {
        let Some(loc) = entry.loc.as_deref().and_then(|loc| resolve(self.base, loc)) else { return };
        match self.root {
            Some(Root::Index) => index.push(SitemapRef { loc, lastmod: entry.lastmod }),
            Some(Root::Urls) => urls.push(SitemapUrl {
                loc,
                lastmod: entry.lastmod,
                news_title: entry.news_title,
                publication_date: entry.publication_date,
                image: entry.image.as_deref().and_then(|image| resolve(self.base, image)).map(String::from),
            }),
            None => {}
        }
    }
}

/// An absolute URL without fragment, http(s) only (or `file:` from a `file:` sitemap: a sitemap on
/// the web must never make us read local files).
fn resolve(base: &Url, loc: &str) -> Option<Url> {
    let mut url = base.join(loc.trim()).ok()?;
    let ok = match url.scheme() {
        "http" | "https" => true,
        "file" => base.scheme() == "file",
        _ => false,
    };
    url.set_fragment(None);
    ok.then_some(url)
}

/// A text sitemap: one URL per line. A body that is neither XML nor URLs is not a sitemap.
fn plain_text(body: &str, base: &Url) -> Result<Sitemap, String> {
    let lines: Vec<&str> = body.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let urls: Vec<Url> = lines
        .iter()
        .filter(|line| {
            line.starts_with("http://") || line.starts_with("https://") || line.starts_with("file:")
        })
        .filter_map(|line| resolve(base, line))
        .collect();
    if urls.len() < lines.len() {
        let first = lines.first().copied().unwrap_or_default();
        let shown: String = first.chars().take(40).collect();
        return Err(format!("it is neither XML nor a list of URLs (it starts with `{shown}`)"));
    }
    let urls = urls
        .into_iter()
        .map(|loc| SitemapUrl { loc, lastmod: None, news_title: None, publication_date: None, image: None })
        .collect();
    Ok(Sitemap::Urls(urls))
}

#[cfg(test)]
#[path = "sitemap_tests.rs"]
mod tests;
