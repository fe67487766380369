//! Article bodies: sanitized HTML for the feed, and plain-text paragraphs for summaries and
//! derived titles. Extraction already chose the article container, so a simple tag scanner is
//! enough for text here (`scraper` stays inside `extract`).

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;
use std::sync::LazyLock;

use ammonia::UrlRelative;
use regex::Regex;
use unicode_normalization::UnicodeNormalization;
use url::Url;

use super::blocks::strip_boilerplate;
use super::boilerplate::story_paragraphs;
use super::rewrite::{self, Allowed, Urls};
use super::summary::summary;
use super::text::{clean_text, fold_prefix, strip_forbidden, surely_nfc};

/// Elements whose content is never article text: code, embeds, and figures (their text is
/// photo captions, "Ảnh: …", which make poor summaries).
fn is_skipped(name: &[u8]) -> bool {
    matches!(
        name,
        b"script"
            | b"style"
            | b"noscript"
            | b"template"
            | b"iframe"
            | b"object"
            | b"svg"
            | b"math"
            | b"select"
            | b"button"
            | b"figure"
            | b"figcaption"
            | b"head"
            | b"title"
    )
}

/// Elements that start a new paragraph.
fn is_block(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"div"
            | b"br"
            | b"li"
            | b"ul"
            | b"ol"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"tr"
            | b"td"
            | b"th"
            | b"table"
            | b"blockquote"
            | b"section"
            | b"article"
            | b"header"
            | b"footer"
            | b"aside"
            | b"hr"
            | b"pre"
            | b"dd"
            | b"dt"
            | b"dl"
            | b"main"
            | b"nav"
            | b"body"
            | b"html"
            | b"figure"
            | b"figcaption"
    )
}

/// The text of `html` as clean paragraphs, in order, without scripts, styles and figures.
pub fn html_paragraphs(html: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut buffer = String::new();
    let flush = |buffer: &mut String, paragraphs: &mut Vec<String>| {
        // most flushes are the line breaks between two blocks, which clean to nothing
        if !buffer.bytes().all(|b| matches!(b, b' ' | b'\n' | b'\t' | b'\r')) {
            let text = clean_text(buffer);
            if !text.is_empty() {
                paragraphs.push(text);
            }
        }
        buffer.clear();
    };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        buffer.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(tag) = Tag::parse(rest) else {
            // A "<" that starts no tag ("a < b") is text.
            buffer.push('<');
            rest = &rest[1..];
            continue;
        };
        rest = &rest[tag.len..];
        if !tag.closing && !tag.self_closing && is_skipped(tag.name()) {
            rest = skip_element(rest, tag.name());
        }
        if is_block(tag.name()) {
            flush(&mut buffer, &mut paragraphs);
        }
    }
    buffer.push_str(rest);
    flush(&mut buffer, &mut paragraphs);
    paragraphs
}

/// Longest tag name looked up here ("blockquote", "figcaption").
const NAME_MAX: usize = 10;

/// A start or end tag at the beginning of a string.
struct Tag {
    /// The name in lower case, kept only when it is short enough to be one we look up (a
    /// longer one reads as empty, which matches nothing): no allocation per tag.
    name: [u8; NAME_MAX],
    name_len: usize,
    closing: bool,
    self_closing: bool,
    /// Bytes up to and including the closing `>`.
    len: usize,
}

impl Tag {
    fn name(&self) -> &[u8] {
        &self.name[..self.name_len]
    }

    fn parse(text: &str) -> Option<Tag> {
        let after = text.strip_prefix('<')?;
        let (closing, after) = match after.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, after),
        };
        let name_len = after.bytes().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(after.len());
        // "<!DOCTYPE>", "<?xml …?>" are tags too, just nameless ones.
        let special = !closing && after.starts_with(['!', '?']);
        if name_len == 0 && !special {
            return None;
        }
        if !special && !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        // Find the `>` that ends the tag, skipping quoted attribute values (all ASCII, so a
        // byte scan never lands inside a character).
        let mut quote = None;
        let mut end = None;
        for (i, b) in after.bytes().enumerate() {
            match (quote, b) {
                (Some(q), b) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'>') => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        // An unterminated tag swallows the rest, as browsers do.
        let (end, len) = match end {
            Some(end) => (end, text.len() - after.len() + end + 1),
            None => (after.len(), text.len()),
        };
        let mut name = [0; NAME_MAX];
        let name_len = if name_len <= NAME_MAX { name_len } else { 0 };
        for (to, from) in name.iter_mut().zip(&after.as_bytes()[..name_len]) {
            *to = from.to_ascii_lowercase();
        }
        Some(Tag { name, name_len, closing, self_closing: after[..end].trim_end().ends_with('/'), len })
    }
}

/// What follows the end tag of `name` (or nothing when it is never closed). Nested elements of
/// the same name are counted, so a figure inside a figure is skipped whole.
fn skip_element<'a>(mut rest: &'a str, name: &[u8]) -> &'a str {
    let mut depth = 1;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        match Tag::parse(rest) {
            Some(tag) if tag.name() == name && tag.closing => {
                depth -= 1;
                rest = &rest[tag.len..];
                if depth == 0 {
                    return rest;
                }
            }
            Some(tag) if tag.name() == name && !tag.self_closing => {
                depth += 1;
                rest = &rest[tag.len..];
            }
            _ => rest = &rest[1..],
        }
    }
    ""
}

/// The `<img>` start tags in `html`, as `(?i)<img\b[^>]*>` finds them: `<img` in any case, a
/// character that ends the name (not a word character as regex reads it), everything up to `>`.
/// Spelt out because the regex, Unicode word class and all, took 0.7 ms to compile, which a run
/// paid as soon as one body had a lazy image or one item no picture of its own.
fn img_tags(html: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = html.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
            let start = at + offset;
            at = start + 1;
            if !bytes.get(start + 1..start + 4).is_some_and(|name| name.eq_ignore_ascii_case(b"img")) {
                continue;
            }
            let after = start + 4;
            let gt = match html[after..].chars().next() {
                Some('>') => after,
                Some(c) if !regex_syntax::is_word_character(c) => {
                    after + memchr::memchr(b'>', &bytes[after..])?
                }
                _ => continue,
            };
            at = gt + 1;
            return Some(start..gt + 1);
        }
        None
    })
}

/// The real picture of a lazy-loaded image: `data-src`, `data-original`, `data-lazy-src`.
static LAZY_SRC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\sdata-(?:src|original|lazy-src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
        .expect("valid regex")
});
/// A `src` attribute, to be replaced.
static SRC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)\ssrc\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)"#).expect("valid regex"));

/// A real `srcset` attribute.
static SRCSET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\ssrcset\s*=").expect("valid regex"));

/// Lazy-loaded images point `src` at a placeholder ("blank.gif") and keep the picture in
/// `data-src`; the sanitizer keeps only `src`, so the picture is moved there first. A body
/// whose images are all plain comes back borrowed: no copy of it, no string per image.
fn unlazy_images(html: &str) -> Cow<'_, str> {
    // only a `data-` attribute makes an image lazy, and most bodies have none: no tag search then
    if !has_data_attribute(html) {
        return Cow::Borrowed(html);
    }
    let mut out = String::new();
    let mut copied = 0;
    for img in img_tags(html) {
        if let Some(tag) = unlazy_image(&html[img.clone()]) {
            out.push_str(&html[copied..img.start]);
            out.push_str(&tag);
            copied = img.end;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// Whether `html` has "data-" in it, in any case.
fn has_data_attribute(html: &str) -> bool {
    let bytes = html.as_bytes();
    memchr::memchr_iter(b'-', bytes)
        .any(|dash| dash >= 4 && bytes[dash - 4..dash].eq_ignore_ascii_case(b"data"))
}

/// One `<img>` tag with its lazy picture made the real one; `None` when it is not lazy.
fn unlazy_image(tag: &str) -> Option<String> {
    // A lazy `data-srcset` becomes the real one (the sanitizer keeps only `srcset`).
    let srcset = (tag.contains("data-srcset") && !SRCSET.is_match(tag))
        .then(|| tag.replacen("data-srcset", "srcset", 1));
    let tag = srcset.as_deref().unwrap_or(tag);
    let real = LAZY_SRC
        .captures(tag)
        .map(|c| c.get(1).or(c.get(2)).or(c.get(3)).map_or("", |m| m.as_str()).trim().replace('"', "&quot;"));
    match real.filter(|real| !real.is_empty()) {
        Some(real) => {
            let without_src = SRC.replace_all(tag, "");
            let rest = &without_src[4..]; // after "<img"
            Some(format!("<img src=\"{real}\"{rest}"))
        }
        None => srcset,
    }
}

/// The clean-content tags both sanitizer passes drop with everything inside them.
const DROPPED_WITH_CONTENT: [&str; 6] = ["noscript", "template", "iframe", "object", "svg", "math"];

/// Article HTML made safe to embed in a feed: no scripts, styles, frames, event handlers or
/// `javascript:` links, every URL absolute against `base` (`srcset` included), text NFC, no
/// XML-forbidden character. `None` when nothing readable (no text, no image) is left.
pub fn sanitize(html: &str, base: &Url) -> Option<String> {
    sanitized(&strip_forbidden(&unlazy_images(html)), base, false, None).map(|(html, _)| html)
}

thread_local! {
    /// The page whose body the strict pass is cleaning: its relative URLs (`srcset` ones too)
    /// are made absolute against it. The builders are built once, not for every page (building
    /// one costs as much as a tenth of its cleaning), so the page reaches them through here.
    static PAGE: RefCell<Option<Url>> = const { RefCell::new(None) };
}

/// The strict pass, for web pages and for pages read from disk, and what each allows.
static STRICT: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| strict(false));
static STRICT_FILES: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| strict(true));
static ALLOWED: LazyLock<Allowed> = LazyLock::new(|| Allowed::of(&STRICT));
static ALLOWED_FILES: LazyLock<Allowed> = LazyLock::new(|| Allowed::of(&STRICT_FILES));
static ALLOWED_WELL_FORMED: LazyLock<Allowed> = LazyLock::new(|| Allowed::of(&WELL_FORMED));

fn strict(files: bool) -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    if files {
        builder.add_url_schemes(["file"]);
    }
    builder
        .add_clean_content_tags(DROPPED_WITH_CONTENT)
        .add_tag_attributes("img", ["srcset", "sizes"])
        .attribute_filter(|_, attribute, value| match attribute {
            "srcset" => PAGE.with_borrow(|page| absolute_srcset(value, page.as_ref()?)).map(Into::into),
            _ => Some(value.into()),
        })
        .url_relative(UrlRelative::Custom(Box::new(absolute_on_page)));
    builder
}

/// A relative URL joined to [`PAGE`], as ammonia's `UrlRelative::RewriteWithBase` does; `None`
/// (the attribute goes) when it cannot be.
fn absolute_on_page(url: &str) -> Option<Cow<'_, str>> {
    PAGE.with_borrow(|page| page.as_ref()?.join(url).ok()).map(|url| Cow::Owned(url.into()))
}

/// [`sanitize`] of HTML whose lazy images are already resolved and forbidden characters
/// stripped, with the text paragraphs of the result (its readability test needs them, and so
/// does the item's summary). `serialized`: the input is the permissive pass's output, which
/// [`rewrite::rewrite`] can usually sanitize without parsing it again. `paragraphs`: those of
/// the input, when the caller has them; a rewrite changes no text, so they are the result's
/// unless a character reference or a stray mark made the text change.
fn sanitized(
    input: &str,
    base: &Url,
    serialized: bool,
    mut paragraphs: Option<Vec<String>>,
) -> Option<(String, Vec<String>)> {
    let mut buffer = Vec::new();
    let cleaned: Cow<str> = match serialized.then(|| strict_rewrite(input, base)).flatten() {
        Some(html) => Cow::Owned(html),
        None => {
            paragraphs = None;
            buffer.reserve(input.len() + input.len() / 4);
            // Ammonia decodes character references, "&#1;" to a control character too.
            Cow::Owned(
                strip_forbidden(&document_html(&strict_ammonia(input, base), &mut buffer)).into_owned(),
            )
        }
    };
    // Ammonia decodes character references ("Quô&#769;c"), so NFC once more. A combining long
    // solidus right after a tag would compose with its `>` into "≯" and break the markup: it
    // is a stray mark with nothing to combine with, and goes.
    let cleaned = if cleaned.contains(">\u{338}") {
        paragraphs = None;
        Cow::Owned(cleaned.replace(">\u{338}", ">"))
    } else {
        cleaned
    };
    let cleaned = if surely_nfc(&cleaned) {
        cleaned
    } else {
        paragraphs = None;
        Cow::Owned(cleaned.nfc().collect())
    };
    // the body is copied once more only when it has whitespace to trim
    let cleaned = match cleaned {
        Cow::Owned(html) if html.trim().len() == html.len() => html,
        cleaned => cleaned.trim().to_string(),
    };
    let paragraphs = match paragraphs {
        Some(known) => {
            debug_assert_eq!(
                known,
                html_paragraphs(&cleaned),
                "the strict pass changed the text of {input:?}"
            );
            known
        }
        None => html_paragraphs(&cleaned),
    };
    let readable = !paragraphs.is_empty() || cleaned.contains("<img");
    readable.then_some((cleaned, paragraphs))
}

/// The strict pass as a tag rewrite, when the markup allows ([`rewrite`]).
fn strict_rewrite(input: &str, base: &Url) -> Option<String> {
    let allowed = if base.scheme() == "file" { &*ALLOWED_FILES } else { &*ALLOWED };
    rewrite::rewrite(input, allowed, Urls::Resolve { page: base, srcset: absolute_srcset })
}

/// The strict pass by ammonia. A page read from disk (the offline demo, `files` sources) links
/// its pictures as `file:` URLs: they stay, where they are the only URLs that work.
fn strict_ammonia(input: &str, base: &Url) -> ammonia::Document {
    let builder = if base.scheme() == "file" { &*STRICT_FILES } else { &*STRICT };
    PAGE.set(Some(base.clone()));
    let document = builder.clean(input);
    PAGE.set(None);
    document
}

/// The strict pass both ways, for [`rewrite`]'s tests: the rewrite (when it answers) and ammonia.
#[cfg(test)]
pub(super) fn strict_both(input: &str, base: &Url) -> (Option<String>, String) {
    (strict_rewrite(input, base), strict_ammonia(input, base).to_string())
}

/// What the permissive pass makes of `html`, for tests that need its output.
#[cfg(test)]
pub(super) fn well_formed(html: &str) -> String {
    WELL_FORMED.clean(html).to_string()
}

/// The permissive pass both ways, for [`rewrite`]'s tests.
#[cfg(test)]
pub(super) fn well_formed_both(html: &str) -> (Option<String>, String) {
    (rewrite::rewrite(html, &ALLOWED_WELL_FORMED, Urls::PassThrough), well_formed(html))
}

/// A `srcset` with every candidate URL absolute; candidates that are not http(s) go, and so
/// does the attribute when none is left.
fn absolute_srcset(value: &str, base: &Url) -> Option<String> {
    let candidates: Vec<String> = value
        .split(',')
        .filter_map(|candidate| {
            let candidate = candidate.trim();
            let (url, descriptor) = candidate.split_once(char::is_whitespace).unwrap_or((candidate, ""));
            let url = base.join(url).ok().filter(|u| matches!(u.scheme(), "http" | "https" | "file"))?;
            Some(format!("{url} {}", descriptor.trim()).trim_end().to_string())
        })
        .collect();
    (!candidates.is_empty()).then(|| candidates.join(", "))
}

/// The HTML of a sanitized document, borrowed from `buffer`. `Document::to_string` validates
/// the serializer's bytes with the standard library's scalar UTF-8 check and then copies them
/// through a formatter into a growing string: on Vietnamese text, where most letters are
/// several bytes long, that was a tenth of an item's normalization. The SIMD check is cheap.
fn document_html<'a>(document: &ammonia::Document, buffer: &'a mut Vec<u8>) -> Cow<'a, str> {
    buffer.clear();
    if document.write_to(&mut *buffer).is_err() {
        // writing to memory does not fail; were it to, the slow path says the same
        return Cow::Owned(document.to_string());
    }
    match simdutf8::basic::from_utf8(buffer) {
        Ok(html) => Cow::Borrowed(html),
        // html5ever writes UTF-8 only
        Err(_) => String::from_utf8_lossy(buffer),
    }
}

/// An article body for the feed: lazy images resolved, related boxes, footer lines and the
/// trailing byline removed ([`super::blocks`]), the `lead` (cleaned sapo) in front as a bold
/// paragraph unless the body already starts with it (readers show the content, not the
/// summary, so a body without its lead reads as if it began mid-story), then [`sanitize`]d.
///
/// A first, permissive sanitizer pass makes the markup well-formed for the boilerplate rules
/// while keeping what marks a byline (`style`, `align`); the strict pass comes last.
pub fn clean_body(html: &str, base: &Url, author: Option<&str>, lead: Option<&str>) -> Option<String> {
    clean_body_text(html, base, author, lead).map(|(html, _)| html)
}

/// The permissive first pass: the same for every page, so built once.
static WELL_FORMED: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_clean_content_tags(DROPPED_WITH_CONTENT)
        .add_generic_attributes(["style", "align"])
        .add_tag_attributes("img", ["srcset", "sizes"])
        .url_relative(UrlRelative::PassThrough);
    builder
});

/// [`clean_body`], with the text paragraphs of the result ([`html_paragraphs`]).
pub(super) fn clean_body_text(
    html: &str,
    base: &Url,
    author: Option<&str>,
    lead: Option<&str>,
) -> Option<(String, Vec<String>)> {
    let unlazy = unlazy_images(html);
    let input = strip_forbidden(&unlazy);
    let mut buffer = Vec::new();
    let well_formed = match rewrite::rewrite(&input, &ALLOWED_WELL_FORMED, Urls::PassThrough) {
        Some(html) => Cow::Owned(html),
        None => {
            buffer.reserve(input.len() + input.len() / 4);
            document_html(&WELL_FORMED.clean(&input), &mut buffer)
        }
    };
    // The first pass kept no `data-*` attribute, so no lazy image is left to resolve; character
    // references it decoded may have brought forbidden characters back.
    let body = strip_boilerplate(&well_formed, author);
    let body = match strip_forbidden(&body) {
        Cow::Borrowed(_) => body,
        Cow::Owned(stripped) => stripped,
    };
    // one scan for the text, which the lead check and the result share
    let mut paragraphs = html_paragraphs(&body);
    let body = match lead_to_add(&paragraphs, lead) {
        Some(lead) => {
            let body = led(&lead, &body);
            paragraphs.insert(0, lead);
            body
        }
        None => body,
    };
    sanitized(&body, base, true, Some(paragraphs))
}

/// `body` with the lead in front as a bold paragraph, unless it already starts with it.
pub fn with_lead(body: String, lead: Option<&str>) -> String {
    match lead_to_add(&html_paragraphs(&body), lead) {
        Some(lead) => led(&lead, &body),
        None => body,
    }
}

/// The lead, cleaned, when it is not empty and a body of these `paragraphs` does not start
/// with it.
fn lead_to_add(paragraphs: &[String], lead: Option<&str>) -> Option<String> {
    lead.map(clean_text).filter(|lead| !lead.is_empty() && !starts_with_lead(paragraphs, lead))
}

/// `body` after the (clean) lead as a bold paragraph.
fn led(lead: &str, body: &str) -> String {
    format!("<p><strong>{}</strong></p>{body}", html_escape::encode_text(lead))
}

/// Whether a body of these `paragraphs` starts with the lead (perhaps with its agency tag in
/// front, perhaps cut with "…" or continued): its first paragraph, or the summary its story
/// paragraphs would give, opens with the lead's first 60 folded characters. The summary is built
/// exactly as `item` builds one, so that an item's own summary is always found in its body; the
/// first paragraph is looked at as it stands because it may be the bold lead this function's
/// caller put there, which the story rules can take for a byline ("Hà Nam") when it is short.
fn starts_with_lead(paragraphs: &[String], lead: &str) -> bool {
    const N: usize = 60;
    let lead = fold_prefix(lead.trim_end_matches('…'), N);
    let n = lead.len().min(N);
    // `fold` gives ASCII, so byte slicing is character slicing.
    let opens_with_lead = |text: &str| {
        let text = fold_prefix(text, n);
        text.len() >= n && text.as_bytes()[..n] == lead.as_bytes()[..n]
    };
    if paragraphs.first().is_some_and(|first| opens_with_lead(first)) {
        return true;
    }
    opens_with_lead(&summary(None, &story_paragraphs(paragraphs.to_vec(), None), n + 80))
}

/// The `src` of the first `<img>` in sanitized HTML (absolute there), entities decoded.
pub fn first_image(html: &str) -> Option<String> {
    let tag = &html[img_tags(html).next()?];
    let c = SRC_VALUE.captures(tag)?;
    let src = html_escape::decode_html_entities(&c[1]).into_owned();
    (!src.is_empty()).then_some(src)
}

/// The value of a double-quoted `src` attribute (ammonia quotes every value).
static SRC_VALUE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\ssrc="([^"]*)""#).expect("valid regex"));

/// `<p>` HTML for a body that came as plain-text paragraphs, text cleaned and escaped.
pub fn paragraphs_html<S: AsRef<str>>(paragraphs: &[S]) -> Option<String> {
    let html: Vec<String> = paragraphs
        .iter()
        .map(|p| clean_text(p.as_ref()))
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", html_escape::encode_text(&p)))
        .collect();
    (!html.is_empty()).then(|| html.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::text::is_xml_char;
    use proptest::prelude::*;
    use unicode_normalization::is_nfc;

    fn base() -> Url {
        Url::parse("https://baohanam.com.vn/chinh-tri/tin-tuc/hoi-nghi-123456.html").unwrap()
    }

    #[test]
    fn paragraphs_of_an_article_body() {
        let html = r#"
            <div class="detail"><p>Sáng 27/11, tỉnh&nbsp;Hà Nam <b>tổ chức</b> hội nghị.</p>
            <figure><img src="a.jpg"><figcaption>Ảnh: Hồng Duy</figcaption></figure>
            <script>var x = "<p>không</p>";</script><style>p { color: red }</style>
            <!-- quảng cáo <p>ẩn</p> -->
            <p>Các đại biểu<br>thảo luận về 1 &lt; 2.</p><P CLASS='x'>Chữ hoa</P>
            Văn bản a < b rời<div>cuối</div></div>"#;
        assert_eq!(
            html_paragraphs(html),
            vec![
                "Sáng 27/11, tỉnh Hà Nam tổ chức hội nghị.",
                "Các đại biểu",
                "thảo luận về 1 < 2.",
                "Chữ hoa",
                "Văn bản a < b rời",
                "cuối",
            ]
        );
        assert_eq!(html_paragraphs("chỉ có chữ"), vec!["chỉ có chữ"]);
        assert!(html_paragraphs("<p> </p><script>x</script>").is_empty());
        // unterminated things do not panic or loop
        for broken in ["<", "<p", "<!--", "<script>", "<a href='x>", "<figure><figure></figure>", "</"] {
            let _ = html_paragraphs(broken);
        }
    }

    #[test]
    fn sanitize_removes_active_content() {
        let html = r#"<p onclick="steal()">Tin <a href="javascript:alert(1)">xấu</a></p>
            <script>alert(1)</script><style>body{}</style><iframe src="https://x.test/">khung</iframe>
            <noscript><img src="n.jpg"></noscript><p style="color:red" class="x">Tiếp</p>"#;
        let out = sanitize(html, &base()).unwrap();
        for banned in ["onclick", "javascript", "script", "style", "iframe", "khung", "n.jpg", "class"] {
            assert!(!out.contains(banned), "{banned} survived in {out}");
        }
        assert!(out.contains("<p>Tin <a rel=\"noopener noreferrer\">xấu</a></p>"), "{out}");
        assert!(out.contains("<p>Tiếp</p>"), "{out}");
    }

    #[test]
    fn sanitize_makes_urls_absolute_and_text_nfc() {
        let html = "<p>Quô\u{301}c hội\u{1}</p><p>Quô&#769;c</p><b>&#824;x</b><img src=\"/uploads/2024/anh.jpg\" alt=\"Ảnh\">\
                    <a href=\"bai-khac-654321.html\">Bài khác</a><a href=\"//cdn.test/x.png\">cdn</a>";
        let out = sanitize(html, &base()).unwrap();
        assert!(out.contains("<p>Quốc hội</p><p>Quốc</p><b>x</b>"), "{out}");
        assert!(out.contains("src=\"https://baohanam.com.vn/uploads/2024/anh.jpg\""), "{out}");
        assert!(
            out.contains("href=\"https://baohanam.com.vn/chinh-tri/tin-tuc/bai-khac-654321.html\""),
            "{out}"
        );
        assert!(out.contains("href=\"https://cdn.test/x.png\""), "{out}");
    }

    #[test]
    fn pages_read_from_disk_keep_their_file_pictures() {
        let disk = Url::parse("file:///srv/demo/site/chinh-tri/bai-1.html").unwrap();
        let out =
            sanitize(r#"<img src="../images/a.png"><a href="file:///etc/passwd">x</a>"#, &disk).unwrap();
        assert!(out.contains(r#"<img src="file:///srv/demo/site/images/a.png">"#), "{out}");
        // on a web page a file: link is dropped
        let out = sanitize(r#"<p><img src="file:///srv/a.png">Chữ</p>"#, &base()).unwrap();
        assert!(!out.contains("file:"), "{out}");
    }

    #[test]
    fn lazy_images_show_the_real_picture() {
        for (html, expected) in [
            (
                r#"<img class="lazy" src="../../images/blank.gif" data-src="../../images/2026/11/22/dien-tap.png" alt="Diễn tập">"#,
                r#"<img src="https://baohanam.com.vn/images/2026/11/22/dien-tap.png" alt="Diễn tập">"#,
            ),
            (
                r#"<IMG data-original='/anh/a.jpg?w=600&amp;h=400'>"#,
                r#"<img src="https://baohanam.com.vn/anh/a.jpg?w=600&amp;h=400">"#,
            ),
            (r#"<img src="/anh/b.jpg" data-src="">"#, r#"<img src="https://baohanam.com.vn/anh/b.jpg">"#),
            (r#"<img src="/anh/c.jpg">"#, r#"<img src="https://baohanam.com.vn/anh/c.jpg">"#),
        ] {
            assert_eq!(sanitize(html, &base()).as_deref(), Some(expected), "{html}");
        }
    }

    proptest! {
        /// Rewriting only the lazy images gives what rewriting every image gave.
        #[test]
        fn only_lazy_images_change(
            s in "(<p>|<img |<IMG |src=\"a.jpg\" |data-src=\"b.jpg\" |data-original='c.jpg' |data-src=\"\" |data-srcset=\"d.jpg 2x\" |DATA-Src=\"f.jpg\" |srcset=\"e.jpg\" |>|ấ| ){0,16}"
        ) {
            // the rewrite as it was, every image copied
            let every = Regex::new(r"(?i)<img\b[^>]*>").unwrap().replace_all(&s, |img: &regex::Captures| {
                let tag = &img[0];
                let tag = match (tag.contains("data-srcset"), SRCSET.is_match(tag)) {
                    (true, false) => Cow::Owned(tag.replacen("data-srcset", "srcset", 1)),
                    _ => Cow::Borrowed(tag),
                };
                let Some(c) = LAZY_SRC.captures(&tag) else { return tag.to_string() };
                let real = c.get(1).or(c.get(2)).or(c.get(3)).map_or("", |m| m.as_str()).trim();
                if real.is_empty() {
                    return tag.to_string();
                }
                let without_src = SRC.replace_all(&tag, "");
                format!("<img src=\"{}\"{}", real.replace('"', "&quot;"), &without_src[4..])
            });
            prop_assert_eq!(unlazy_images(&s), every);
        }
    }

    #[test]
    fn sanitize_drops_empty_bodies() {
        assert_eq!(sanitize("<script>x</script><p> </p>", &base()), None);
        assert_eq!(sanitize("", &base()), None);
        assert!(sanitize("<img src=\"a.jpg\">", &base()).is_some());
    }

    proptest! {
        #[test]
        fn img_tags_are_found_as_with_a_word_boundary(
            s in "(<img|<IMG|<iMg|<imgs|<img2|<imgé|<img_|<im|<|-|/| |>|\"|=|src|a|ấ|\u{301}|\u{200d}|\n){0,30}"
        ) {
            let reference = Regex::new(r"(?i)<img\b[^>]*>").unwrap();
            let spans = |re: &Regex| re.find_iter(&s).map(|m| m.range()).collect::<Vec<_>>();
            prop_assert_eq!(img_tags(&s).collect::<Vec<_>>(), spans(&reference));
        }

        #[test]
        fn any_input_gives_clean_output(s in any::<String>()) {
            for p in html_paragraphs(&s) {
                prop_assert_eq!(clean_text(&p), p);
            }
            if let Some(out) = sanitize(&s, &base()) {
                prop_assert!(is_nfc(&out));
                prop_assert!(out.chars().all(is_xml_char));
            }
        }

        #[test]
        fn tag_soup_does_not_panic(s in "(<|>|/|!|-|'|\"|=|p|a|b|ấ|figure|script| )*") {
            let _ = html_paragraphs(&s);
            let _ = sanitize(&s, &base());
        }
    }

    #[test]
    fn paragraphs_become_escaped_html() {
        assert_eq!(
            paragraphs_html(&["  Tin <b>nóng</b> & mới ", "", "Quô\u{301}c hội"]).as_deref(),
            Some("<p>Tin &lt;b&gt;nóng&lt;/b&gt; &amp; mới</p>\n<p>Quốc hội</p>")
        );
        assert_eq!(paragraphs_html(&[" "]), None);
    }
}
