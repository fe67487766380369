//! Bytes → UTF-8 text: BOM, then the HTTP header, then `<meta charset>` (or an XML declaration),
//! then detection; the result is NFC.
//!
//! Browsers trust a declared charset; we trust it only as far as the bytes agree, because a
//! feed that publishes mojibake is worse than one that second-guesses a server:
//! - a declared single-byte charset over bytes that are valid, non-ASCII UTF-8 is UTF-8 (the
//!   commonest lie, and the cause of "Ã¡" in feeds);
//! - a declared charset the bytes are malformed in (UTF-8, Shift_JIS …) loses to detection;
//! - a declared windows-1252/ISO-8859-1 over windows-1258 bytes (Vietnamese tone marks as
//!   combining characters) is windows-1258 when detection, without any hint from the domain,
//!   finds Vietnamese in the bytes.
//!
//! Windows-1258 always decodes to decomposed text, and some servers send NFD UTF-8: the decoded
//! body is NFC, so every later stage sees "Việt" as one code point per letter.

use encoding_rs::{Encoding, REPLACEMENT, UTF_8, WINDOWS_1252, WINDOWS_1258};
use unicode_normalization::UnicodeNormalization;
use url::Url;

use crate::normalize::surely_nfc;

/// Where the encoding of a body came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodedBy {
    /// A byte-order mark: authoritative.
    Bom,
    /// The `charset` parameter of the `Content-Type` header.
    Header,
    /// `<meta charset>`, `<meta http-equiv="Content-Type">` or `<?xml encoding?>`.
    Meta,
    /// Nothing usable was declared: valid UTF-8, else chardetng's guess.
    Detection,
}

/// A decoded body and how its encoding was chosen, so the caller can log a lying server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The body as UTF-8, NFC.
    pub text: String,
    /// The encoding the bytes were read as, e.g. `UTF-8`, `windows-1258`.
    pub encoding: &'static str,
    /// The charset the header or the page declared, when it named one (unknown labels included,
    /// as written: `x-viet-tcvn`).
    pub declared: Option<String>,
    pub by: DecodedBy,
    /// A declared charset was contradicted by the bytes and not used.
    pub overridden: bool,
}

impl Decoded {
    /// Logs what a reader of the logs needs: a warning when the declared charset was wrong.
    pub fn log(&self, url: &Url) {
        if self.overridden {
            tracing::warn!(
                url = %url,
                declared = self.declared.as_deref().unwrap_or(""),
                used = self.encoding,
                "the declared charset does not fit the bytes; decoded by detection"
            );
        } else if self.by == DecodedBy::Detection && self.encoding != "UTF-8" {
            tracing::debug!(url = %url, used = self.encoding, "no charset declared; detected");
        }
    }
}

/// A declared charset: one encoding_rs knows, or a label it does not (the legacy Vietnamese
/// font encodings, which a page shows through windows-1252 and normalize repairs).
#[derive(Debug, Clone, Copy)]
enum Label {
    Known(&'static Encoding),
    Unknown,
}

/// Decodes a page body; `tld_hint` is the last label of the host name ("vn"), which tilts
/// detection towards windows-1258.
pub fn decode(bytes: &[u8], content_type: Option<&str>, tld_hint: Option<&[u8]>) -> Decoded {
    let (bytes, utf8) = repair_utf8(bytes);
    let bytes = &*bytes;
    let choice = choose(bytes, utf8, content_type, tld_hint);
    let (text, _) = choice.encoding.decode_without_bom_handling(&bytes[choice.bom_len..]);
    let text = if surely_nfc(&text) { text.into_owned() } else { text.nfc().collect() };
    choice.decoded(text)
}

/// [`decode`] of a body the caller hands over: a valid UTF-8 page without a byte order mark
/// read as UTF-8 (nearly every page) becomes the text as it is, validated once and not copied.
pub fn decode_owned(bytes: Vec<u8>, content_type: Option<&str>, tld_hint: Option<&[u8]>) -> Decoded {
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return decode(&bytes, content_type, tld_hint);
    }
    // SAFETY: `simdutf8` has just validated the bytes as UTF-8. The standard library's check
    // (`String::from_utf8`) is scalar, and on Vietnamese pages, where most letters are several
    // bytes long, it cost as much as the rest of the decoding put together.
    let text = unsafe { String::from_utf8_unchecked(bytes) };
    let choice = choose(text.as_bytes(), true, content_type, tld_hint);
    if choice.encoding != UTF_8 || choice.bom_len > 0 {
        return decode(text.as_bytes(), content_type, tld_hint);
    }
    let text = if surely_nfc(&text) { text } else { text.nfc().collect() };
    choice.decoded(text)
}

/// How a body is to be read, and why.
struct Choice {
    encoding: &'static Encoding,
    by: DecodedBy,
    overridden: bool,
    declared: Option<String>,
    /// Bytes of byte order mark to skip.
    bom_len: usize,
}

impl Choice {
    fn decoded(self, text: String) -> Decoded {
        let Choice { encoding, by, overridden, declared, .. } = self;
        Decoded { text, encoding: encoding.name(), declared, by, overridden }
    }
}

/// BOM → header → `<meta>` → detection; `utf8`: the bytes are known to be valid UTF-8.
fn choose(bytes: &[u8], utf8: bool, content_type: Option<&str>, tld_hint: Option<&[u8]>) -> Choice {
    // an unknown label in the header ("charset=foo") does not hide the page's own declaration
    let header = content_type
        .and_then(charset_param)
        .filter(|label| resolve(label).is_some())
        .map(|label| (label, DecodedBy::Header));
    let declared = header.or_else(|| meta_charset(bytes).map(|label| (label, DecodedBy::Meta)));
    let declared_name = declared.as_ref().map(|((name, _), _)| name.clone());
    let (encoding, by, overridden, bom_len) = match (Encoding::for_bom(bytes), declared) {
        (Some((encoding, bom_len)), _) => (encoding, DecodedBy::Bom, false, bom_len),
        (None, Some((label, by))) => {
            let (encoding, overridden) = check_declared(bytes, utf8, resolve(&label), tld_hint);
            (encoding, by, overridden, 0)
        }
        (None, None) => (detect(bytes, utf8, tld_hint), DecodedBy::Detection, false, 0),
    };
    Choice { encoding, by, overridden, declared: declared_name, bom_len }
}

/// A UTF-8 page with a few stray bytes (a bad copy-paste, a cut multi-byte character) would fail
/// UTF-8 validation as a whole and be decoded by guesswork as some legacy code page: every
/// Vietnamese letter turned to mojibake. When valid multi-byte characters outnumber the broken
/// sequences twenty to one, the text is UTF-8: only the broken bytes become U+FFFD.
/// Legacy-encoded text (windows-1258, TCVN3) has almost no valid multi-byte sequences and is
/// left for detection.
///
/// Also says whether the bytes returned are valid UTF-8, so that the checks after it do not
/// validate a whole page again.
fn repair_utf8(bytes: &[u8]) -> (std::borrow::Cow<'_, [u8]>, bool) {
    if simdutf8::basic::from_utf8(bytes).is_ok() {
        return (std::borrow::Cow::Borrowed(bytes), true);
    }
    let (mut multibyte, mut broken) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        broken += usize::from(!chunk.invalid().is_empty());
    }
    if multibyte >= 20 * broken {
        (std::borrow::Cow::Owned(String::from_utf8_lossy(bytes).into_owned().into_bytes()), true)
    } else {
        (std::borrow::Cow::Borrowed(bytes), false)
    }
}

/// The encoding a declared label stands for: legacy Vietnamese font encodings are read as
/// windows-1252, the view their repair in normalize expects.
fn resolve(label: &(String, Label)) -> Option<&'static Encoding> {
    match label.1 {
        Label::Known(encoding) => Some(encoding),
        Label::Unknown if is_legacy_vietnamese(&label.0) => Some(WINDOWS_1252),
        Label::Unknown => None,
    }
}

fn is_legacy_vietnamese(label: &str) -> bool {
    ["tcvn", "vni", "viscii", "vn3", "abc"].iter().any(|name| label.contains(name))
}

/// The declared encoding if the bytes agree with it, else detection's guess; and whether the
/// declaration was overridden.
fn check_declared(
    bytes: &[u8],
    utf8: bool,
    declared: Option<&'static Encoding>,
    tld_hint: Option<&[u8]>,
) -> (&'static Encoding, bool) {
    let Some(declared) = declared else { return (detect(bytes, utf8, tld_hint), false) };
    // REPLACEMENT stands for labels that are a security risk (ISO-2022-KR …); a UTF-16 label
    // without a BOM on a page whose markup we read as ASCII is wrong
    let unusable = declared == REPLACEMENT || declared.name().starts_with("UTF-16");
    if unusable {
        return (if utf8 { UTF_8 } else { detect(bytes, utf8, tld_hint) }, true);
    }
    if declared == UTF_8 {
        return if utf8 { (UTF_8, false) } else { (detect(bytes, utf8, tld_hint), true) };
    }
    if utf8 && !bytes.is_ascii() {
        return (UTF_8, true);
    }
    let (_, _, malformed) = declared.decode(bytes);
    if malformed {
        let guess = detect(bytes, utf8, tld_hint);
        let (_, _, guess_malformed) = guess.decode(bytes);
        return if guess_malformed { (declared, false) } else { (guess, guess != declared) };
    }
    if declared == WINDOWS_1252 && detect(bytes, utf8, None) == WINDOWS_1258 {
        return (WINDOWS_1258, true);
    }
    (declared, false)
}

/// chardetng's guess; a host label it cannot take (upper case, a dot, non-ASCII) is ignored
/// rather than allowed to panic.
/// `utf8`: the bytes are known to be valid UTF-8.
fn detect(bytes: &[u8], utf8: bool, tld_hint: Option<&[u8]>) -> &'static Encoding {
    if utf8 {
        return UTF_8;
    }
    let tld = tld_hint.filter(|tld| {
        !tld.is_empty() && tld.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
    });
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(tld, chardetng::Utf8Detection::Allow)
}

/// A label as written (lower case, trimmed) and what encoding_rs makes of it.
fn label(value: &[u8]) -> Option<(String, Label)> {
    let value = value.trim_ascii();
    let value = value.strip_prefix(b"\"").or_else(|| value.strip_prefix(b"'")).unwrap_or(value);
    let end =
        value.iter().position(|b| matches!(b, b'"' | b'\'' | b';' | b'>' | b'/')).unwrap_or(value.len());
    let value = value[..end].trim_ascii();
    if value.is_empty() {
        return None;
    }
    let name = String::from_utf8_lossy(value).to_ascii_lowercase();
    let label = Encoding::for_label(value).map_or(Label::Unknown, Label::Known);
    let name = match label {
        Label::Known(encoding) => encoding.name().to_string(),
        Label::Unknown => name,
    };
    Some((name, label))
}

/// `text/html; charset=windows-1258` → windows-1258.
fn charset_param(content_type: &str) -> Option<(String, Label)> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim().eq_ignore_ascii_case("charset").then(|| label(value.as_bytes()))?
    })
}

/// How far into a page a charset declaration is looked for. Browsers' prescan stops at 1024
/// bytes, but their parser honours a later `<meta>` by reloading; Vietnamese CMS heads are long.
const META_SCAN: usize = 8192;

/// The charset of the first `<meta charset>` / `<meta http-equiv … content="…; charset=…">`
/// outside comments, or of an `<?xml … encoding="…"?>` declaration.
fn meta_charset(bytes: &[u8]) -> Option<(String, Label)> {
    let mut head = bytes[..bytes.len().min(META_SCAN)].to_ascii_lowercase();
    if head.starts_with(b"<?xml") {
        let end = find(&head, b"?>").unwrap_or(head.len());
        if let Some(value) = attribute_value(&head[..end], b"encoding") {
            return label(value);
        }
    }
    head.truncate(find(&head, b"<body").unwrap_or(head.len()));
    let mut from = 0;
    while from < head.len() {
        let rest = &head[from..];
        let comment = find(rest, b"<!--");
        let meta = find(rest, b"<meta");
        match (comment, meta) {
            (Some(c), Some(m)) if c < m => {
                from += c + find(&rest[c..], b"-->").map_or(rest.len() - c, |e| e + 3);
            }
            (_, Some(m)) => {
                let tag = &rest[m..];
                let tag = &tag[..find(tag, b">").unwrap_or(tag.len())];
                if let Some(found) = attribute_value(tag, b"charset").and_then(label) {
                    return match found.1 {
                        // a page cannot be UTF-16 if we could read its meta tag as ASCII
                        Label::Known(e) if e.name().starts_with("UTF-16") => {
                            Some((UTF_8.name().into(), Label::Known(UTF_8)))
                        }
                        _ => Some(found),
                    };
                }
                from += m + tag.len().max(1);
            }
            _ => return None,
        }
    }
    None
}

/// The value after `name` `=` inside `tag` (`charset=x`, `charset="x"`, `content="…; charset=x"`).
fn attribute_value<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(pos) = find(&tag[from..], name) {
        let rest = tag[from + pos + name.len()..].trim_ascii_start();
        if let Some(value) = rest.strip_prefix(b"=") {
            return Some(value);
        }
        from += pos + name.len();
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use unicode_normalization::{IsNormalized, is_nfc_quick};

    use super::*;

    const CP1258: &[u8] =
        b"Quy\xea\xect \xf0i\xf2nh cu\xd2a B\xf4\xf2 tr\xfd\xf5\xd2ng B\xf4\xf2 V\xe3n hoa\xec \
        Th\xf4ng tin v\xea\xcc vi\xea\xf2c t\xe3ng c\xfd\xf5\xccng qua\xd2n ly\xec";
    const CP1258_TEXT: &str = "Quyết định của Bộ trưởng Bộ Văn hoá Thông tin về việc tăng cường quản lý";

    fn page(meta: &str, body: &[u8]) -> Vec<u8> {
        [format!("<html><head>{meta}</head><body><p>").as_bytes(), body, b"</p></body></html>"].concat()
    }

    fn body_text(decoded: &Decoded) -> &str {
        let start = decoded.text.find("<p>").map_or(0, |p| p + 3);
        let end = decoded.text.find("</p>").unwrap_or(decoded.text.len());
        &decoded.text[start..end]
    }

    #[test]
    fn header_then_meta_then_detection() {
        let utf8 = "<p>Tin mới</p>".as_bytes();
        let decoded = decode(utf8, Some("text/html; charset=utf-8"), None);
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding, decoded.by),
            ("<p>Tin mới</p>", "UTF-8", DecodedBy::Header)
        );
        assert_eq!(decode(utf8, None, None).by, DecodedBy::Detection);

        let meta =
            page("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1258\">", CP1258);
        let decoded = decode(&meta, None, None);
        assert_eq!(
            (decoded.encoding, decoded.by, decoded.overridden),
            ("windows-1258", DecodedBy::Meta, false)
        );
        assert_eq!(body_text(&decoded), CP1258_TEXT);

        let decoded = decode(&page("", CP1258), None, Some(b"vn"));
        assert_eq!((decoded.encoding, decoded.by), ("windows-1258", DecodedBy::Detection));
        assert_eq!(body_text(&decoded), CP1258_TEXT);
    }

    #[test]
    fn windows_1258_and_nfd_come_out_nfc() {
        let decoded = decode(&page("<meta charset=\"windows-1258\">", b"Vi\xea\xf2t Nam"), None, None);
        assert_eq!(body_text(&decoded), "Việt Nam");
        assert_eq!(body_text(&decoded).chars().count(), 8);
        let nfd = decode("<p>Vie\u{302}\u{323}t Nam</p>".as_bytes(), Some("text/html; charset=UTF-8"), None);
        assert_eq!(body_text(&nfd), "Việt Nam");
    }

    #[test]
    fn bom_wins_over_header() {
        let decoded = decode(b"\xef\xbb\xbfTin m\xe1\xbb\x9bi", Some("text/html; charset=iso-8859-1"), None);
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding, decoded.by),
            ("Tin mới", "UTF-8", DecodedBy::Bom)
        );
        assert_eq!(decoded.declared.as_deref(), Some("windows-1252"));
    }

    #[test]
    fn lying_declarations_lose_to_the_bytes() {
        // UTF-8 declared over windows-1258 bytes
        let decoded = decode(&page("", CP1258), Some("text/html; charset=utf-8"), Some(b"vn"));
        assert_eq!((decoded.encoding, decoded.overridden), ("windows-1258", true));
        assert_eq!(decoded.declared.as_deref(), Some("UTF-8"));
        assert_eq!(body_text(&decoded), CP1258_TEXT);

        // ISO-8859-1 declared over UTF-8: the "Ã¡" of a thousand feeds
        let decoded = decode(&page("<meta charset=iso-8859-1>", CP1258_TEXT.as_bytes()), None, None);
        assert_eq!((decoded.encoding, decoded.overridden), ("UTF-8", true));
        assert_eq!(body_text(&decoded), CP1258_TEXT);

        // windows-1252 declared over windows-1258 bytes, even without a .vn host
        let decoded = decode(&page("", CP1258), Some("text/html; charset=windows-1252"), None);
        assert_eq!((decoded.encoding, decoded.overridden), ("windows-1258", true));

        // Shift_JIS declared over windows-1258 bytes
        let decoded = decode(&page("<meta charset=\"shift_jis\">", CP1258), None, Some(b"vn"));
        assert_eq!((decoded.encoding, decoded.overridden), ("windows-1258", true));
    }

    #[test]
    fn honest_declarations_are_kept() {
        let french = page(
            "<meta charset=\"windows-1252\">",
            b"Caf\xe9 cr\xe8me, tr\xe8s \xe9l\xe9gant, d\xe9j\xe0 vu",
        );
        let decoded = decode(&french, None, Some(b"fr"));
        assert_eq!((decoded.encoding, decoded.overridden), ("windows-1252", false));
        assert_eq!(body_text(&decoded), "Café crème, très élégant, déjà vu");
        let german = page("<meta charset=\"iso-8859-1\">", b"Gr\xf6\xdfe, M\xfcller, \xc4pfel");
        assert_eq!(body_text(&decode(&german, None, Some(b"vn"))), "Größe, Müller, Äpfel");
    }

    #[test]
    fn meta_tags_only_outside_comments_and_before_the_body() {
        let commented = page("<!-- <meta charset=\"shift_jis\"> --><meta charset=\"windows-1258\">", CP1258);
        assert_eq!(decode(&commented, None, None).encoding, "windows-1258");
        let script =
            page("<script src=\"x.js\" charset=\"gbk\"></script><meta charset=windows-1258>", CP1258);
        assert_eq!(decode(&script, None, None).by, DecodedBy::Meta);
        assert_eq!(decode(&script, None, None).encoding, "windows-1258");
        // a long head: the declaration after 1024 bytes still counts
        let long =
            page(&format!("<title>{}</title><meta charset=\"windows-1258\">", "x".repeat(3000)), CP1258);
        assert_eq!(decode(&long, None, None).by, DecodedBy::Meta);
        let xml =
            decode(b"<?xml version=\"1.0\" encoding=\"windows-1258\"?><rss>Vi\xea\xf2t</rss>", None, None);
        assert_eq!((xml.encoding, xml.by), ("windows-1258", DecodedBy::Meta));
    }

    #[test]
    fn legacy_font_encodings_are_read_as_windows_1252() {
        let decoded = decode(b"<p>V\xa8n ho\xb8</p>", Some("text/html; charset=x-viet-tcvn3"), None);
        assert_eq!((decoded.encoding, decoded.declared.as_deref()), ("windows-1252", Some("x-viet-tcvn3")));
        assert_eq!(decoded.text, "<p>V¨n ho¸</p>");
    }

    #[test]
    fn odd_host_labels_do_not_panic() {
        for tld in [&b"VN"[..], b"a.b", "việt".as_bytes(), b"", b"[::1]"] {
            let _ = decode(&page("", CP1258), None, Some(tld));
        }
    }

    #[test]
    fn owned_bodies_decode_as_borrowed_ones() {
        let pages: [(&[u8], Option<&str>); 7] = [
            ("<meta charset=\"utf-8\"><p>Quốc hội khai mạc</p>".as_bytes(), None),
            ("<p>Quô\u{301}c hội</p>".as_bytes(), Some("text/html; charset=utf-8")),
            ("\u{feff}<p>Hà Nam</p>".as_bytes(), None),
            (b"<meta charset=\"windows-1258\"><p>Ha Nam</p>", None),
            ("<meta charset=\"windows-1252\"><p>Hà Nam</p>".as_bytes(), None),
            (CP1258, Some("text/html; charset=windows-1258")),
            (b"<p>H\xe0 N\xe9m \xff</p>", None),
        ];
        for (bytes, content_type) in pages {
            let owned = decode_owned(bytes.to_vec(), content_type, Some(b"vn"));
            assert_eq!(owned, decode(bytes, content_type, Some(b"vn")), "{bytes:?}");
        }
    }

    proptest! {
        #[test]
        fn any_bytes_decode_to_nfc(
            bytes in prop::collection::vec(any::<u8>(), 0..300),
            charset in prop::option::of("[a-zA-Z0-9_-]{0,12}"),
            tld in prop::option::of(prop::collection::vec(any::<u8>(), 0..4)),
        ) {
            let content_type = charset.map(|c| format!("text/html; charset={c}"));
            let decoded = decode(&bytes, content_type.as_deref(), tld.as_deref());
            prop_assert!(is_nfc_quick(decoded.text.chars()) == IsNormalized::Yes
                || decoded.text.nfc().eq(decoded.text.chars()));
            // the owned fast path decides and decodes alike
            prop_assert_eq!(decode_owned(bytes.clone(), content_type.as_deref(), tld.as_deref()), decoded);
        }
    }

    #[test]
    fn utf8_with_stray_bytes_is_repaired_legacy_bytes_are_not() {
        let lead = "Sáng 25/11, HĐND tỉnh khóa XX khai mạc Kỳ họp thứ ba tại thành phố Phủ Lý. ".repeat(4);
        let mut stray = lead.clone().into_bytes();
        stray.extend_from_slice(b"\xff\xfe Tin m\xe1\xbb\x9bi");
        let repaired = String::from_utf8(repair_utf8(&stray).0.into_owned()).expect("now valid");
        assert!(repaired.starts_with(&lead) && repaired.ends_with("\u{fffd} Tin mới"), "{repaired}");

        // windows-1258 "Việt Nam" (ê + combining dot below): not UTF-8 at all, left alone
        let legacy = b"Vi\xea\xf2t Nam ng\xe0y nay".repeat(20);
        assert_eq!(repair_utf8(&legacy).0.into_owned(), legacy);
        // valid UTF-8 passes through untouched
        assert_eq!(repair_utf8(lead.as_bytes()).0.into_owned(), lead.into_bytes());
    }
}
