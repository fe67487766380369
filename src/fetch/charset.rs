//! Bytes → UTF-8 text: BOM, then the HTTP header, then `<meta charset>`, then detection.

use encoding_rs::{Encoding, UTF_8};

/// Decodes a page body. Returns the text and the name of the encoding it was read as.
///
/// A declared charset that the bytes contradict (say "UTF-8" over windows-1258 bytes) loses to
/// detection, so a lying header does not publish mojibake.
pub fn decode(bytes: &[u8], content_type: Option<&str>, tld_hint: Option<&[u8]>) -> (String, &'static str) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), encoding.name());
    }
    let declared = content_type.and_then(charset_param).or_else(|| meta_charset(bytes));
    let encoding = match declared {
        // a declared UTF-8 that is not valid UTF-8 is a lie: detect instead
        Some(e) if e == UTF_8 && std::str::from_utf8(bytes).is_err() => detect(bytes, tld_hint),
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None => detect(bytes, tld_hint),
    };
    let (text, _, _) = encoding.decode(bytes);
    (text.into_owned(), encoding.name())
}

fn detect(bytes: &[u8], tld_hint: Option<&[u8]>) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(tld_hint, chardetng::Utf8Detection::Allow)
}

/// `text/html; charset=windows-1258` → windows-1258.
fn charset_param(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| Encoding::for_label(value.trim().trim_matches('"').as_bytes()))?
    })
}

/// `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…; charset=…">` in the
/// first 1024 bytes, as browsers look for it.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let start = from + pos + b"charset".len();
        from = start;
        let rest = &lower[start..];
        let rest = rest.strip_prefix(b"=").or_else(|| {
            let trimmed = rest.trim_ascii_start();
            trimmed.strip_prefix(b"=")
        });
        let Some(rest) = rest else { continue };
        let rest = rest.trim_ascii_start();
        let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
        let end = rest
            .iter()
            .position(|b| matches!(b, b'"' | b'\'' | b';' | b'>' | b' ' | b'/'))
            .unwrap_or(rest.len());
        if let Some(encoding) = Encoding::for_label(&rest[..end]) {
            // a page cannot be UTF-16 if we could read its meta tag as ASCII
            return Some(if encoding.name().starts_with("UTF-16") { UTF_8 } else { encoding });
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_then_meta_then_detection() {
        let utf8 = "<p>Tin mới</p>".as_bytes();
        assert_eq!(decode(utf8, Some("text/html; charset=utf-8"), None), ("<p>Tin mới</p>".into(), "UTF-8"));
        assert_eq!(decode(utf8, None, None).1, "UTF-8");

        // windows-1258: "Việt" is V i e U+0323(0xF2) U+0302? no: ê = 0xEA, dot below combining 0xF2
        let cp1258 = b"<meta charset=\"windows-1258\"><p>Vi\xea\xf2t Nam</p>";
        let (text, name) = decode(cp1258, None, None);
        assert_eq!(name, "windows-1258");
        assert!(
            text.contains("Vie\u{302}\u{323}t") || text.contains("Việt") || text.contains("Viê\u{323}t"),
            "{text}"
        );

        let meta =
            b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1258\">";
        assert_eq!(decode(meta, None, None).1, "windows-1258");
    }

    #[test]
    fn bom_wins_over_header() {
        let bytes = b"\xef\xbb\xbfTin m\xe1\xbb\x9bi";
        assert_eq!(decode(bytes, Some("text/html; charset=iso-8859-1"), None), ("Tin mới".into(), "UTF-8"));
    }

    #[test]
    fn lying_utf8_header_is_detected() {
        let cp1258 = "Tin t\u{1ee9}c".as_bytes().to_vec(); // valid UTF-8
        assert_eq!(decode(&cp1258, Some("text/html; charset=UTF-8"), None).1, "UTF-8");
        let (_, name) =
            decode(b"Ng\xe0y h\xf4m nay tr\xeai n\xf3ng", Some("text/html; charset=utf-8"), Some(b"vn"));
        assert_ne!(name, "UTF-8");
    }
}
