//! A tag scanner for pages that are not parsed yet: where each tag starts and ends, its name and
//! attributes, comments skipped, the content of raw-text elements jumped over. It follows the
//! HTML tokenizer where it matters for finding tags (quotes count only in attribute values,
//! `<!-->` is a whole comment, `--!>` ends one) and builds nothing: [`super::prune`] uses it
//! to cut parts of a page before the real parser sees them, [`super::parse`] to find where raw
//! text ends and what ends a tag name.

use memchr::{memchr, memmem};

/// One piece of markup found by [`next`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag<'a> {
    /// `<name …>`: `attrs` is the text between the name and the closing `>` (or `/>`, which
    /// makes it `self_closing`: that counts only for foreign elements such as `<svg/>`).
    Start { name: &'a str, attrs: &'a str, self_closing: bool },
    /// `</name …>`
    End { name: &'a str },
}

/// The next tag at or after `from`: its `<`, the tag, and the index just past its `>`.
/// Comments, doctypes and bogus comments are skipped; `None` at the end of the page or when the
/// last tag is never closed.
pub(super) fn next(html: &str, from: usize) -> Option<(usize, Tag<'_>, usize)> {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(offset) = memchr(b'<', bytes.get(at..)?) {
        let lt = at + offset;
        let rest = &bytes[lt + 1..];
        match rest.first() {
            Some(b) if b.is_ascii_alphabetic() => {
                let name_end = name_end(bytes, lt + 1);
                let end = start_tag_end(bytes, name_end)?;
                let self_closing = bytes[end - 2] == b'/' && end - 2 >= name_end;
                let attrs_end = if self_closing { end - 2 } else { end - 1 };
                let tag = Tag::Start {
                    name: &html[lt + 1..name_end],
                    attrs: &html[name_end..attrs_end],
                    self_closing,
                };
                return Some((lt, tag, end));
            }
            Some(b'/') if rest.get(1).is_some_and(u8::is_ascii_alphabetic) => {
                let name_end = name_end(bytes, lt + 2);
                let end = name_end + memchr(b'>', &bytes[name_end..])? + 1;
                return Some((lt, Tag::End { name: &html[lt + 2..name_end] }, end));
            }
            Some(b'!') if rest.starts_with(b"!--") => at = comment_end(bytes, lt + 4)?,
            // `<!doctype>`, `<?xml …>`, `</ …>`, `<![CDATA[…]]>` in HTML: bogus comments
            Some(b'!' | b'?') => at = lt + 2 + memchr(b'>', bytes.get(lt + 2..)?)? + 1,
            Some(b'/') if rest.get(1) == Some(&b'>') => at = lt + 3,
            Some(b'/') => at = lt + 2 + memchr(b'>', bytes.get(lt + 2..)?)? + 1,
            _ => at = lt + 1,
        }
    }
    None
}

/// The index of the `</name` that ends the content of a raw-text element (`<script>`,
/// `<textarea>`…), searched from `from`.
pub(super) fn raw_text_end(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(i) = memchr(b'<', bytes.get(at..)?).map(|i| at + i) {
        if bytes.get(i + 1) != Some(&b'/') {
            at = i + 1;
            continue;
        }
        let rest = &bytes[i + 2..];
        if rest.len() > name.len()
            && rest[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && is_name_end(rest[name.len()])
        {
            return Some(i);
        }
        at = i + 2;
    }
    None
}

/// The index of the `</svg` that closes an `<svg>` whose content starts at `from`: nested
/// drawings (an icon inside a drawing) are counted.
pub(super) fn svg_end(html: &str, from: usize) -> Option<usize> {
    let mut depth = 1;
    let mut at = from;
    loop {
        let (lt, tag, end) = next(html, at)?;
        at = end;
        match tag {
            Tag::Start { name, self_closing: false, .. } if name.eq_ignore_ascii_case("svg") => depth += 1,
            Tag::End { name } if name.eq_ignore_ascii_case("svg") => {
                depth -= 1;
                if depth == 0 {
                    return Some(lt);
                }
            }
            _ => {}
        }
    }
}

/// What a scan needs to know of an element, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Never has content or an end tag.
    Void,
    /// Raw text holding code: `<script>`, `<style>`.
    Script,
    Style,
    /// Other raw text (scripting is on, as in `scraper`, so `<noscript>` is one).
    RawText,
    Svg,
    /// Everything after it is text.
    Plaintext,
    /// `<html>`, `<head>`, `<body>`: the parser merges repeats into the page's own.
    Document,
    Main,
    /// Markup with insertion rules of its own (tables, forms, templates, selects…).
    Opaque,
    /// Reopened by the parser when left open across an end tag.
    Formatting,
    /// `<nav>`, `<aside>`.
    Furniture,
    /// The parts of a table (`<tr>`, `<td>`, `<caption>` …): one starting in a cell or a caption
    /// closes it, whatever is open inside.
    TablePart,
    /// Closed implicitly when an element around it is closed.
    Implied,
    Other,
}

/// The [`Kind`] of an element name, in any case.
pub(super) fn kind(name: &str) -> Kind {
    let mut lower = [0u8; 10];
    let Some(buf) = lower.get_mut(..name.len()) else { return Kind::Other };
    for (to, from) in buf.iter_mut().zip(name.bytes()) {
        *to = from.to_ascii_lowercase();
    }
    match &*buf {
        b"area" | b"base" | b"br" | b"col" | b"embed" | b"hr" | b"img" | b"input" | b"link" | b"meta"
        | b"source" | b"track" | b"wbr" | b"param" | b"keygen" => Kind::Void,
        b"script" => Kind::Script,
        b"style" => Kind::Style,
        b"xmp" | b"iframe" | b"noembed" | b"noframes" | b"noscript" | b"title" | b"textarea" => Kind::RawText,
        b"svg" => Kind::Svg,
        b"plaintext" => Kind::Plaintext,
        b"html" | b"head" | b"body" => Kind::Document,
        b"main" => Kind::Main,
        b"form" | b"table" | b"template" | b"select" | b"object" | b"applet" | b"marquee" | b"math"
        | b"frameset" => Kind::Opaque,
        b"a" | b"b" | b"big" | b"code" | b"em" | b"font" | b"i" | b"nobr" | b"s" | b"small" | b"strike"
        | b"strong" | b"tt" | b"u" => Kind::Formatting,
        b"nav" | b"aside" => Kind::Furniture,
        b"caption" | b"colgroup" | b"tbody" | b"thead" | b"tfoot" | b"tr" | b"td" | b"th" => Kind::TablePart,
        b"p" | b"li" | b"dt" | b"dd" | b"option" | b"optgroup" | b"rb" | b"rp" | b"rt" | b"rtc" => {
            Kind::Implied
        }
        _ => Kind::Other,
    }
}

impl Kind {
    /// Content that is text to the parser, not markup.
    pub(super) fn is_raw_text(self) -> bool {
        matches!(self, Kind::Script | Kind::Style | Kind::RawText)
    }
}

/// The attributes of a start tag as (name, raw value) pairs, in order; a name without a value
/// has an empty one, and a repeated name is dropped (the first one counts). Values are not
/// entity-decoded: callers that care look for `&`.
pub(super) fn attrs(text: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut seen: Vec<&str> = Vec::new();
    all_attrs(text).filter(move |(name, _)| {
        let repeated = seen.iter().any(|s| s.eq_ignore_ascii_case(name));
        seen.push(name);
        !repeated
    })
}

fn all_attrs(text: &str) -> impl Iterator<Item = (&str, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && (is_space(bytes[at]) || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() {
            return None;
        }
        // A name runs to whitespace, `/`, `>` or `=`; its first character may be `=`.
        let start = at;
        at += 1;
        while at < bytes.len() && !is_space(bytes[at]) && !matches!(bytes[at], b'/' | b'>' | b'=') {
            at += 1;
        }
        let name = &text[start..at];
        while at < bytes.len() && is_space(bytes[at]) {
            at += 1;
        }
        if bytes.get(at) != Some(&b'=') {
            return Some((name, ""));
        }
        at += 1;
        while at < bytes.len() && is_space(bytes[at]) {
            at += 1;
        }
        let value = match bytes.get(at) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = memchr(q, &bytes[at + 1..]).map_or(bytes.len(), |i| at + 1 + i);
                let value = &text[at + 1..end];
                at = (end + 1).min(bytes.len());
                value
            }
            _ => {
                let start = at;
                while at < bytes.len() && !is_space(bytes[at]) {
                    at += 1;
                }
                &text[start..at]
            }
        };
        Some((name, value))
    })
}

pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

pub(super) fn is_name_end(b: u8) -> bool {
    is_space(b) || matches!(b, b'/' | b'>')
}

fn name_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|&b| is_name_end(b)).map_or(bytes.len(), |i| from + i)
}

/// The index just past the `>` ending a start tag whose attributes begin at `from`: quotes
/// count only where an attribute value starts (after `=` and optional whitespace), as in the
/// HTML tokenizer. One pass over the tag's bytes, quoted values skipped with `memchr`: tags are
/// short, and most of a page's tags go through here.
fn start_tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    // the last byte that is not whitespace, a value's closing quote included
    let mut last = 0;
    let mut at = from;
    loop {
        let b = *bytes.get(at)?;
        if b == b'>' {
            return Some(at + 1);
        }
        if matches!(b, b'"' | b'\'') && last == b'=' {
            at += 1 + memchr(b, bytes.get(at + 1..)?)?;
        }
        if !is_space(b) {
            last = b;
        }
        at += 1;
    }
}

/// The index just past a comment whose text starts at `from` (after `<!--`): `<!-->` and
/// `<!--->` are whole comments, and `--!>` ends one as `-->` does.
fn comment_end(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    if rest.starts_with(b">") {
        return Some(from + 1);
    }
    if rest.starts_with(b"->") {
        return Some(from + 2);
    }
    let mut at = from;
    loop {
        let dashes = find(bytes, b"--", at)?;
        match bytes.get(dashes + 2) {
            Some(b'>') => return Some(dashes + 3),
            Some(b'!') if bytes.get(dashes + 3) == Some(&b'>') => return Some(dashes + 4),
            None => return None,
            _ => at = dashes + 1,
        }
    }
}

fn find(bytes: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memmem::find(bytes.get(from..)?, needle).map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(html: &str) -> Vec<Tag<'_>> {
        let mut out = Vec::new();
        let mut at = 0;
        while let Some((_, tag, end)) = next(html, at) {
            out.push(tag);
            at = end;
        }
        out
    }

    /// The former search for a start tag's end: `memchr3` to the next `>` or quote, then a look
    /// back for the `=` that makes a quote start a value.
    fn start_tag_end_by_search(bytes: &[u8], from: usize) -> Option<usize> {
        let mut at = from;
        loop {
            at += memchr::memchr3(b'>', b'"', b'\'', bytes.get(at..)?)?;
            let quote = bytes[at];
            if quote == b'>' {
                return Some(at + 1);
            }
            let before = bytes[from..at].iter().rposition(|&b| !is_space(b)).map(|i| bytes[from + i]);
            if before == Some(b'=') {
                at += 1 + memchr(quote, &bytes[at + 1..])?;
            }
            at += 1;
        }
    }

    proptest::proptest! {
        #[test]
        fn a_start_tag_ends_where_the_search_said(s in "( |\t|\n|=|\"|'|>|a|b|x=|y = |é|/)*") {
            for from in 0..=s.len() {
                proptest::prop_assert_eq!(start_tag_end(s.as_bytes(), from), start_tag_end_by_search(s.as_bytes(), from));
            }
        }
    }

    #[test]
    fn tags_comments_and_bogus_markup() {
        let html = "<!DOCTYPE html><!-- <nav> --><div class=\"a>b\" id=x>1 < 2</div><!--><p>c<!---->\
                    <?xml x?></ x><br/><a href='/tin?a=1&amp;b=2' title=\"Tin\">d</A>";
        assert_eq!(
            tags(html),
            [
                Tag::Start { name: "div", attrs: " class=\"a>b\" id=x", self_closing: false },
                Tag::End { name: "div" },
                Tag::Start { name: "p", attrs: "", self_closing: false },
                Tag::Start { name: "br", attrs: "", self_closing: true },
                Tag::Start {
                    name: "a",
                    attrs: " href='/tin?a=1&amp;b=2' title=\"Tin\"",
                    self_closing: false
                },
                Tag::End { name: "A" },
            ]
        );
        // a comment closed by `--!>`; a quote outside a value starts nothing
        assert_eq!(
            tags("<!-- x --!><b \"x>y"),
            [Tag::Start { name: "b", attrs: " \"x", self_closing: false }]
        );
        // an unclosed tag or comment ends the scan
        assert_eq!(tags("<p>a<!-- never"), [Tag::Start { name: "p", attrs: "", self_closing: false }]);
        assert_eq!(tags("<div class=\"never"), []);
    }

    #[test]
    fn attributes_as_the_tokenizer_reads_them() {
        let found: Vec<_> =
            attrs(" class=\"box  most-read\" data-x = 'a b' hidden ID=main/ type=text/x class=article")
                .collect();
        assert_eq!(
            found,
            [
                ("class", "box  most-read"),
                ("data-x", "a b"),
                ("hidden", ""),
                ("ID", "main/"),
                ("type", "text/x")
            ]
        );
    }

    #[test]
    fn raw_text_ends_only_at_its_own_end_tag() {
        let html = "<script>if (a</b) x = '</scripts>';</SCRIPT ><p>";
        assert_eq!(raw_text_end(html, 8, "script"), html.find("</SCRIPT"));
        assert_eq!(raw_text_end("<title>a", 7, "title"), None);
    }
}
