//! Pages without what is never read: the bodies of `<script>`, `<style>` and inline `<svg>`
//! elements. On a news page they are most of the bytes (trackers, ad code, inline CSS, icon
//! sprites), and the HTML parser would tokenize them (SVG slowly, as foreign content) only for
//! extraction to skip them: the DOM walk never enters them and article content drops them.
//! JSON-LD scripts are kept: extraction reads them.

use std::borrow::Cow;

use memchr::{memchr, memmem};

/// The elements whose content goes.
const INERT: [&[u8]; 3] = [b"script", b"style", b"svg"];

/// `html` with the raw text of every `<script>` (except `application/ld+json`) and `<style>`,
/// and everything inside an `<svg>`, removed. The elements themselves stay, so selectors on
/// them still match; comments are skipped whole, so a `<script>` inside a comment does not
/// start a cut. Something never closed is left to the parser.
pub(crate) fn strip_inert(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `html` already copied into `out`
    let mut at = 0;
    while let Some(offset) = memchr(b'<', &bytes[at..]) {
        let lt = at + offset;
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            at = find(bytes, b"-->", lt + 4).map_or(bytes.len(), |end| end + 3);
            continue;
        }
        let Some(name) = INERT.into_iter().find(|name| starts_tag(rest, name)) else {
            at = lt + 1;
            continue;
        };
        let Some(open_end) = tag_end(bytes, lt + 1 + name.len()) else { break };
        let close = if name == b"svg" {
            if bytes[..open_end - 1].ends_with(b"/") {
                at = open_end; // `<svg …/>`: nothing inside
                continue;
            }
            match svg_close(bytes, open_end) {
                Some(close) => close,
                None => {
                    at = open_end;
                    continue;
                }
            }
        } else {
            let Some(close) = find_close(bytes, open_end, name) else { break };
            close
        };
        let keep = name == b"script" && contains_ignore_case(&bytes[lt..open_end], b"ld+json");
        if !keep && close > open_end {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
            out.push_str(&html[copied..open_end]);
            copied = close;
        }
        at = close + 2 + name.len();
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// `<script` / `<style` / `<svg` followed by the end of the tag name.
fn starts_tag(rest: &[u8], name: &[u8]) -> bool {
    rest.len() > name.len()
        && rest[..name.len()].eq_ignore_ascii_case(name)
        && matches!(rest[name.len()], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// The index just past the `>` closing a start tag whose attributes begin at `from`, honouring
/// quoted attribute values.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The index of the `</name` that ends a raw-text element's content.
fn find_close(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(i) = find(bytes, b"</", at) {
        let rest = &bytes[i + 2..];
        if rest.len() >= name.len() && rest[..name.len()].eq_ignore_ascii_case(name) {
            return Some(i);
        }
        at = i + 2;
    }
    None
}

/// The index of the `</svg` that closes an `<svg>` whose content starts at `from`: nested
/// `<svg>` elements (an icon inside a drawing) are counted.
fn svg_close(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 1;
    let mut at = from;
    while let Some(offset) = memchr(b'<', &bytes[at..]) {
        let lt = at + offset;
        let rest = &bytes[lt + 1..];
        if rest.first() == Some(&b'/') && starts_tag(&rest[1..], b"svg") {
            depth -= 1;
            if depth == 0 {
                return Some(lt);
            }
        } else if starts_tag(rest, b"svg") {
            let end = tag_end(bytes, lt + 4)?;
            if !bytes[..end - 1].ends_with(b"/") {
                depth += 1;
            }
        }
        at = lt + 1;
    }
    None
}

fn find(bytes: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memmem::find(bytes.get(from..)?, needle).map(|i| from + i)
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::strip_inert;

    #[test]
    fn script_and_style_bodies_go_json_ld_and_markup_stay() {
        for (html, expected) in [
            ("<p>Tin</p>", "<p>Tin</p>"),
            (
                "<head><style>p{color:red}</style><script src=\"a.js\"></script></head><h1>Lũ lụt</h1>",
                "<head><style></style><script src=\"a.js\"></script></head><h1>Lũ lụt</h1>",
            ),
            (
                "<script>var t = '<h1 class=\"title\">Mồi nhử</h1>';</script><h1>Thật</h1>",
                "<script></script><h1>Thật</h1>",
            ),
            (
                "<SCRIPT type='text/javascript'>a<b</SCRIPT><p>x</p>",
                "<SCRIPT type='text/javascript'></SCRIPT><p>x</p>",
            ),
            (
                r#"<script type="application/ld+json">{"headline":"Giữ"}</script>"#,
                r#"<script type="application/ld+json">{"headline":"Giữ"}</script>"#,
            ),
            // a `>` inside a quoted attribute does not end the tag
            ("<script data-x=\"a>b\">code()</script>ok", "<script data-x=\"a>b\"></script>ok"),
            // a script named in a comment starts nothing
            (
                "<!-- <script> --><p>Giữ nguyên</p><script>x</script>",
                "<!-- <script> --><p>Giữ nguyên</p><script></script>",
            ),
            // <scripts> and <styled> are other elements
            ("<scripts>a</scripts><styled>b</styled>", "<scripts>a</scripts><styled>b</styled>"),
            // an unclosed script is left to the parser
            ("<p>a</p><script>never closed", "<p>a</p><script>never closed"),
            ("<style>", "<style>"),
            // inline SVG: the drawing goes, the element stays; nested drawings are counted
            (
                "<svg style=\"display:none\"><symbol id=\"a\"><path d=\"M4,1Z\"/></symbol></svg><h1>Tin</h1>",
                "<svg style=\"display:none\"></svg><h1>Tin</h1>",
            ),
            (
                "<SVG><svg><title>Biểu tượng</title></svg><text>x</text></SVG><p>Giữ</p>",
                "<SVG></SVG><p>Giữ</p>",
            ),
            (
                "<svg/><p>a</p><svg viewBox=\"0 0 1 1\" /><p>b</p>",
                "<svg/><p>a</p><svg viewBox=\"0 0 1 1\" /><p>b</p>",
            ),
            // an unclosed drawing is left to the parser, and later scripts still go
            ("<svg><path><p>a</p><script>x()</script>", "<svg><path><p>a</p><script></script>"),
            ("<svgs>a</svgs>", "<svgs>a</svgs>"),
            ("<", "<"),
        ] {
            assert_eq!(strip_inert(html), expected, "{html}");
        }
    }
}
