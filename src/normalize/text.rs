//! Plain text as feeds need it: entities decoded, NFC, one space between words, and nothing
//! XML 1.0 forbids. Every string a reader sees passes through [`clean_text`].

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Cleans one line of text: HTML entities decoded, control characters removed, NFC, every
/// whitespace run (newlines, NBSP, U+3000 …) collapsed to one space, trimmed, and no
/// combining mark in front (it has no letter to combine with; put after a tag, a long solidus
/// would compose with the tag's `>` into "≯").
///
/// Idempotent: `clean_text(clean_text(s)) == clean_text(s)`. That is why entities are decoded
/// until none is left ("&amp;amp;" → "&"): pages double-escape titles far more often than a
/// Vietnamese news title means a literal "&amp;".
pub fn clean_text(text: &str) -> String {
    // the common case on the hot path: text that is already clean is copied, not rebuilt
    if is_clean(text) {
        return text.to_string();
    }
    let mut current = step(text);
    // Each later round only changes anything when decoding found an entity, which shortens the
    // text; the bound is a guard against pathological nesting, not a limit real pages reach.
    for _ in 0..32 {
        let next = step(&current);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

/// One round of cleaning. Decoding, filtering and NFC can each uncover work for the others
/// ("&am\u{200B}p;" becomes an entity once the zero-width space goes), hence the fixpoint above.
fn step(text: &str) -> String {
    if is_clean(text) {
        return text.to_string();
    }
    let decoded = html_escape::decode_html_entities(text);
    let filtered: String = decoded.chars().filter_map(map_char).collect();
    let nfc: String = if surely_nfc(&filtered) { filtered } else { filtered.nfc().collect() };
    collapse_whitespace(nfc.trim_start_matches(is_combining_mark))
}

/// Whether [`step`] would leave `text` as it is: no entity, no character to map, NFC, single
/// spaces, trimmed. No allocation: it runs on every paragraph, several times per item, and
/// most paragraphs are clean, so a vectorized look settles them and only the rest are scanned
/// (there too the common characters are told by their UTF-8 bytes, without decoding).
fn is_clean(text: &str) -> bool {
    surely_clean(text.as_bytes()) || is_clean_by_bytes(text)
}

/// A branch-free first look at a text for [`is_clean`]: `true` when it holds nothing but
/// ASCII without controls, `&` or doubled spaces, Latin letters and modifiers (U+00A1…U+02FF
/// without the soft hyphen), Vietnamese letters (U+1E00…U+1EFF) and typographic punctuation
/// (U+2010…U+2027: dashes, quotes, the ellipsis), trimmed. That is nearly every paragraph,
/// and the compiler turns the test into vector code; `false` leaves it to the exact scan.
fn surely_clean(bytes: &[u8]) -> bool {
    let odd = |a: u8, b: u8, c: u8| {
        (a < 0x20)
            | (a == 0x7F)
            | (a == b'&')
            | ((a == b' ') & (b == b' '))
            | ((a >= 0xCC) & (a.wrapping_sub(0xE1) > 1))
            | ((a == 0xC2) & ((b < 0xA1) | (b == 0xAD)))
            | ((a == 0xE1) & (b.wrapping_sub(0xB8) > 3))
            | ((a == 0xE2) & !(0x8090..=0x80A7).contains(&(u16::from(b) << 8 | u16::from(c))))
    };
    bytes.first() != Some(&b' ') && bytes.last() != Some(&b' ') && !any_window(bytes, odd)
}

/// Whether `test` holds for some byte of `bytes` and the two that follow it (zero past the
/// end). Blocks of 32 bytes are tested without a branch, which the compiler turns into vector
/// code, twice as wide where the CPU has AVX2 (checked once, then cached by the standard
/// library); the last few bytes one by one. Every page and paragraph goes through here.
fn any_window(bytes: &[u8], test: impl Fn(u8, u8, u8) -> bool) -> bool {
    any_window_from(bytes, 0, test)
}

/// [`any_window`] for a `test` that only holds where the first byte is `first` or more: blocks
/// without such a byte are passed over after one comparison.
fn any_window_from(bytes: &[u8], first: u8, test: impl Fn(u8, u8, u8) -> bool) -> bool {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, the only feature `any_window_avx2` is compiled with.
        return unsafe { any_window_avx2(bytes, first, test) };
    }
    any_window_blocks(bytes, first, test)
}

/// [`any_window_blocks`] compiled with AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn any_window_avx2(bytes: &[u8], first: u8, test: impl Fn(u8, u8, u8) -> bool) -> bool {
    any_window_blocks(bytes, first, test)
}

#[inline(always)]
fn any_window_blocks(bytes: &[u8], first: u8, test: impl Fn(u8, u8, u8) -> bool) -> bool {
    const BLOCK: usize = 32;
    let mut at = 0;
    while let Some(block) = bytes.get(at..at + BLOCK + 2) {
        let (a, b, c) = (&block[..BLOCK], &block[1..=BLOCK], &block[2..]);
        let candidate = first == 0 || a.iter().fold(0, |max, &byte| max.max(byte)) >= first;
        if candidate && (0..BLOCK).fold(false, |found, i| found | test(a[i], b[i], c[i])) {
            return true;
        }
        at += BLOCK;
    }
    let byte = |i: usize| bytes.get(i).copied().unwrap_or(0);
    (at..bytes.len()).any(|i| test(byte(i), byte(i + 1), byte(i + 2)))
}

/// How many bytes `bytes` starts with that are ASCII, eight looked at a time.
pub(super) fn ascii_prefix(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(word) = bytes.get(at..).and_then(|rest| rest.first_chunk::<8>()) {
        let high = u64::from_le_bytes(*word) & 0x8080_8080_8080_8080;
        if high != 0 {
            return at + high.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    at + bytes[at..].iter().take_while(|b| b.is_ascii()).count()
}

/// [`is_clean`] one character at a time, the common ones told by their UTF-8 bytes.
fn is_clean_by_bytes(text: &str) -> bool {
    if text.chars().next().is_some_and(is_combining_mark) {
        return false;
    }
    let bytes = text.as_bytes();
    let mut previous_space = true; // a leading space is not clean
    let mut nfc_inert = true;
    let mut at = 0;
    while let Some(&lead) = bytes.get(at) {
        if lead.is_ascii() {
            // `map_char` keeps every ASCII character but the controls
            if lead == b'&' || lead.is_ascii_control() || (lead == b' ' && previous_space) {
                return false;
            }
            previous_space = lead == b' ';
            at += 1;
            continue;
        }
        previous_space = false;
        // Latin letters with marks ([`is_letter_fast`]): kept as they are, and NFC by themselves
        let letter = match (lead, bytes.get(at + 1)) {
            (0xC3..=0xC8, _) | (0xC9, Some(0x80..=0x8F)) => 2, // U+00C0…U+024F
            (0xE1, Some(0xB8..=0xBB)) => 3,                    // U+1E00…U+1EFF (ạ…ỹ)
            _ => 0,
        };
        if letter > 0 {
            at += letter;
            continue;
        }
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else { break };
        if map_char(c) != Some(c) {
            return false;
        }
        nfc_inert &= is_nfc_inert(c);
        at += c.len_utf8();
    }
    // a trailing space is not clean either (the empty text is)
    (text.is_empty() || !previous_space) && (nfc_inert || is_nfc_quick(text.chars()) == IsNormalized::Yes)
}

/// Whether `text` is certainly NFC (Unicode's quick check answers "yes"). Text on Vietnamese
/// pages is ASCII, Latin-1 and precomposed letters, which a range test settles without the
/// normalization tables; anything else gets the full quick check.
pub fn surely_nfc(text: &str) -> bool {
    // first a branch-free pass, which the compiler vectorizes: nearly every page passes it.
    // Odd: a lead byte past U+02FF other than E1 (U+1xxx) and E2 (U+2xxx); after E1 anything
    // but B8…BB (U+1E00…U+1EFF); after E2 anything outside 80 82 … 83 8F (U+2002…U+20CF)
    let odd = |a: u8, b: u8, c: u8| {
        ((a >= 0xCC) & (a.wrapping_sub(0xE1) > 1))
            | ((a == 0xE1) & (b.wrapping_sub(0xB8) > 3))
            | ((a == 0xE2) & !(0x8082..=0x838F).contains(&(u16::from(b) << 8 | u16::from(c))))
    };
    // every odd window starts at a byte of 0xCC or more: blocks without one (markup, and text
    // whose only letters are Latin-1 and Latin Extended) are passed over
    if !any_window_from(text.as_bytes(), 0xCC, odd) {
        return true;
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // ASCII (most of a page's bytes: its markup) is skipped a word at a time; the common
        // letters and marks are told by their first UTF-8 bytes, without decoding
        at += ascii_prefix(&bytes[at..]);
        let Some(&lead) = bytes.get(at) else { break };
        let (next, last) = (bytes.get(at + 1).copied(), bytes.get(at + 2).copied());
        let len = match (lead, next, last) {
            (0xC2..=0xCB, _, _) => 2,                                             // U+0080…U+02FF
            (0xE1, Some(0xB8..=0xBB), _) => 3,                                    // U+1E00…U+1EFF (ạ…ỹ)
            (0xE2, Some(0x80), Some(0x82..)) | (0xE2, Some(0x81 | 0x82), _) => 3, // U+2002…U+20BF
            (0xE2, Some(0x83), Some(..=0x8F)) => 3,                               // U+20C0…U+20CF
            _ => return is_nfc_quick(text.chars()) == IsNormalized::Yes,
        };
        at += len;
    }
    true
}

/// Characters that are NFC on their own and never combine with a neighbour (quick check "yes",
/// combining class 0): ASCII, Latin-1 to spacing modifiers, Latin Extended Additional (ạ…ỹ)
/// and most of Greek Extended, general punctuation (“ ” – — …) and currency signs.
fn is_nfc_inert(c: char) -> bool {
    matches!(c, '\0'..='\u{2FF}' | '\u{1E00}'..='\u{1F70}' | '\u{2002}'..='\u{20CF}')
}

/// Latin letters with marks (À…ɏ, Ạ…ỹ and the rest of Latin Extended Additional): neither
/// space, control nor invisible, and NFC by themselves. [`is_clean`] tells them by their bytes.
#[cfg(test)]
fn is_letter_fast(c: char) -> bool {
    matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}')
}

/// What one character becomes in clean text: itself, a space, a repaired character, or nothing.
pub(super) fn map_char(c: char) -> Option<char> {
    match c {
        // Invisible characters that only get in the way of comparing and cutting text; deleting
        // them keeps words as the reader saw them (a zero-width space is not a word break in
        // Vietnamese, where syllables are separated by real spaces).
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}' => None,
        // Line breaks and tabs separate words.
        '\t' | '\n' | '\r' => Some(' '),
        // C1 controls in page text are almost always windows-1252 bytes decoded as Latin-1
        // (U+0093 for “): HTML itself reads `&#147;` that way, so we do too.
        c if is_c1(c) => windows_1252_c1(c),
        // Other controls (the vertical tab, form feed and separators XML forbids among them)
        // are debris inside words ("Qu\u{b}ốc"): removed, not turned into a space.
        c if c.is_control() => None,
        // Whitespace of any other kind (NBSP, U+3000 …).
        c if c.is_whitespace() => Some(' '),
        c if is_noncharacter(c) => None,
        c => Some(c),
    }
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9F}').contains(&c)
}

/// Unicode noncharacters: U+FDD0–U+FDEF and the last two code points of every plane (XML 1.0
/// forbids U+FFFE and U+FFFF outright and discourages the rest).
fn is_noncharacter(c: char) -> bool {
    let n = c as u32;
    (0xFDD0..=0xFDEF).contains(&n) || (n & 0xFFFE) == 0xFFFE
}

/// The windows-1252 meaning of a C1 code point; `None` for the five bytes it leaves undefined.
fn windows_1252_c1(c: char) -> Option<char> {
    const TABLE: [char; 32] = [
        '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', //
        '\0', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
    ];
    let mapped = *TABLE.get((c as usize).checked_sub(0x80)?)?;
    (mapped != '\0').then_some(mapped)
}

/// Whether XML 1.0 allows `c` in a document (the `Char` production).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}') || c >= '\u{10000}'
}

/// Removes what XML 1.0 forbids and repairs C1 controls, keeping everything else (markup,
/// line breaks) as it is. For HTML bodies, which must not lose their structure.
pub fn strip_forbidden(text: &str) -> Cow<'_, str> {
    // the common case, a body with nothing to strip, is one byte scan
    let Some(first) = first_forbidden(text) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    out.extend(text[first..].chars().filter_map(|c| match c {
        '\t' | '\n' | '\r' => Some(c),
        c if is_c1(c) => windows_1252_c1(c),
        c if !is_xml_char(c) || c.is_control() || is_noncharacter(c) => None,
        c => Some(c),
    }));
    Cow::Owned(out)
}

/// The byte index of the first character [`strip_forbidden`] changes. Only a C0 control, DEL,
/// or a character whose UTF-8 starts with 0xC2 (C1 controls), 0xEF (U+FDD0…, U+FFFE, U+FFFF)
/// or 0xF0–0xF4 (the noncharacters of the other planes) can be one.
fn first_forbidden(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // one pass without branches first (vectorized): most bodies have no such byte at all
    let suspect =
        |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) | matches!(b, 0x7F | 0xC2 | 0xEF | 0xF0..);
    if !any_window(bytes, |a, _, _| suspect(a)) {
        return None;
    }
    bytes.iter().enumerate().position(|(i, &b)| match b {
        b'\t' | b'\n' | b'\r' => false,
        0..0x20 | 0x7F => true,
        0xC2 | 0xEF | 0xF0.. => text[i..].chars().next().is_some_and(|c| is_c1(c) || is_noncharacter(c)),
        _ => false,
    })
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `text` in NFC, borrowed when it surely is already.
pub(super) fn nfc(text: &str) -> Cow<'_, str> {
    if surely_nfc(text) { Cow::Borrowed(text) } else { Cow::Owned(text.nfc().collect()) }
}

/// The folded key for dedupe and matching: NFC first, then tone and vowel marks removed
/// (đ → d by transliteration, not by stripping marks, which leaves "Đ"), lower case, words of
/// ASCII letters and digits joined by one space. "Báo Hà Nam", "BÁO HÀ NAM" and "Bao Ha Nam"
/// all give `bao ha nam`; both tone-placement styles ("hoà"/"hòa", "thuỷ"/"thủy", "Khánh
/// Hoà"/"Khánh Hòa") and NFD input give the same key, since no tone survives folding.
pub fn fold(text: &str) -> String {
    fold_prefix(text, usize::MAX)
}

/// The first `len` or more bytes of [`fold`] (all of it when shorter): for comparing
/// beginnings without folding a whole paragraph.
pub(super) fn fold_prefix(text: &str, len: usize) -> String {
    let nfc = nfc(text);
    // Each character's ASCII transliteration (`deunicode`, which writes ASCII only), its
    // letters and digits in lower case, anything else a word break. Streamed, without the
    // transliterated copy: `deunicode` on a whole string gives the same words (it only drops
    // a space before another, and shows unknown characters as "[?]", a break as well).
    let mut out = String::with_capacity(nfc.len().min(len.saturating_add(8)));
    let mut gap = false;
    let push = |out: &mut String, gap: &mut bool, ascii: &[u8]| {
        for &b in ascii {
            if b.is_ascii_alphanumeric() {
                if *gap && !out.is_empty() {
                    out.push(' ');
                }
                *gap = false;
                out.push(char::from(b.to_ascii_lowercase()));
            } else {
                *gap = true;
            }
        }
    };
    for c in nfc.chars() {
        match u8::try_from(c) {
            Ok(b) if b < 0x7F => push(&mut out, &mut gap, &[b]),
            _ => push(&mut out, &mut gap, deunicode::deunicode_char(c).unwrap_or(" ").as_bytes()),
        }
        if out.len() >= len {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::char::canonical_combining_class;
    use unicode_normalization::{UnicodeNormalization, is_nfc};

    #[test]
    fn latin_letters_are_kept_as_they_are() {
        for c in ('\0'..='\u{2FFF}').filter(|c| is_letter_fast(*c)) {
            assert_eq!(map_char(c), Some(c), "{c:?}");
            assert!(is_nfc_inert(c), "{c:?}");
        }
    }

    #[test]
    fn the_nfc_fast_path_answers_as_the_quick_check() {
        // every character the range test lets through is one the quick check passes alone
        for c in ('\0'..='\u{2FFF}').filter(|c| is_nfc_inert(*c)) {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
        }
        for (text, nfc) in [
            ("Quốc hội khai mạc kỳ họp thứ 8 – “Hà Nội” … 5€", true),
            ("Quô\u{301}c hội", false),     // NFD: a combining mark
            ("Tiếng Việt \u{2126}", false), // Ohm sign: a singleton that NFC replaces
            ("한국어 뉴스", true),          // outside the ranges: the full check decides
            ("e\u{301}\u{323}", false),
            ("", true),
        ] {
            assert_eq!(surely_nfc(text), nfc, "{text:?}");
            assert_eq!(surely_nfc(text), is_nfc_quick(text.chars()) == IsNormalized::Yes, "{text:?}");
        }
    }

    #[test]
    fn cleans_realistic_text() {
        for (input, expected) in [
            ("  Hà Nam:\n\t khai mạc  lễ hội ", "Hà Nam: khai mạc lễ hội"),
            ("Đầu năm 2024 đ&atilde; c&oacute; 5 dự án", "Đầu năm 2024 đã có 5 dự án"),
            ("Chủ tịch &#039;thăm&#039; &amp; làm việc", "Chủ tịch 'thăm' & làm việc"),
            ("AT&amp;amp;T", "AT&T"),
            ("Hà\u{a0}Nam\u{a0}\u{a0}mới", "Hà Nam mới"),
            ("Phủ\u{200B}Lý", "PhủLý"),
            ("Phủ \u{200B} Lý", "Phủ Lý"),
            ("\u{feff}Tin mới", "Tin mới"),
            // NFD tone marks (VietNamNet, windows-1258) become precomposed
            ("Quô\u{301}c hô\u{323}i", "Quốc hội"),
            ("đi\u{ea}\u{300}u", "điều"),
            // forbidden controls go, inside words too (debris, not word breaks): only tab and
            // line breaks separate words
            ("Tin\u{0}\u{8} nóng\u{b}hôm\u{c}nay\u{1f}", "Tin nónghômnay"),
            ("Qu\u{7}ốc h\u{1b}ội\u{7f}", "Quốc hội"),
            ("Tin\tnóng\r\nhôm nay", "Tin nóng hôm nay"),
            ("a\u{fffe}b\u{ffff}c\u{fdd0}", "abc"),
            // C1 controls are windows-1252 bytes
            ("\u{93}Phủ Lý\u{94} \u{96} thành phố", "“Phủ Lý” – thành phố"),
            ("&#147;Nam&#148;", "“Nam”"),
            ("Dấu &#0; rỗng", "Dấu &#0; rỗng"),
            ("Khoảng&nbsp;&nbsp;trắng", "Khoảng trắng"),
            ("U+3000\u{3000}ideographic", "U+3000 ideographic"),
            ("", ""),
            (" \u{a0} ", ""),
            // a mark with no letter before it goes (after a tag, U+0338 would compose with ">")
            ("\u{338}Quô\u{301}c hội", "Quốc hội"),
            ("\u{301} \u{323}Hà Nam", "Hà Nam"),
            ("\u{338}", ""),
        ] {
            assert_eq!(clean_text(input), expected, "clean_text({input:?})");
        }
    }

    /// [`is_clean`] as it was written first, one decoded character at a time: the byte scan
    /// must answer the same.
    fn is_clean_by_chars(text: &str) -> bool {
        if text.chars().next().is_some_and(is_combining_mark) {
            return false;
        }
        let mut previous_space = true;
        let mut nfc_inert = true;
        for c in text.chars() {
            if c.is_ascii() {
                if c == '&' || c.is_ascii_control() || (c == ' ' && previous_space) {
                    return false;
                }
                previous_space = c == ' ';
                continue;
            }
            previous_space = false;
            if is_letter_fast(c) {
                continue;
            }
            if map_char(c) != Some(c) {
                return false;
            }
            nfc_inert &= is_nfc_inert(c);
        }
        (text.is_empty() || !previous_space) && (nfc_inert || is_nfc_quick(text.chars()) == IsNormalized::Yes)
    }

    #[test]
    fn clean_text_is_recognized_by_its_bytes() {
        for (text, clean) in [
            ("Quốc hội khai mạc kỳ họp thứ 8", true),
            ("Ưu tiên ở Thượng Hải – “Hà Nội” …", true),
            ("ɏ ɐ Ạ ỹ Ỿ À ÿ", true),
            ("Quô\u{301}c hội", false),
            ("Hà\u{a0}Nam", false),
            ("Hà  Nam", false),
            (" Hà Nam", false),
            ("Hà Nam ", false),
            ("AT&amp;T", false),
            ("Tin\u{93}nóng", false),
            ("Phủ\u{200B}Lý", false),
            ("한국어 뉴스", true),
            ("Giá 5₫ – ¡Hola! ʼ", true),
            ("Dòng\u{2028}mới", false),
            ("Gạch\u{ad}nối", false),
            ("Tab\tcách", false),
            ("", true),
        ] {
            assert_eq!(is_clean(text), clean, "{text:?}");
            assert_eq!(is_clean(text), is_clean_by_chars(text), "{text:?}");
        }
    }

    #[test]
    fn strip_forbidden_keeps_markup_and_lines() {
        assert_eq!(strip_forbidden("<p>Hà\u{1}\n Nam\u{96}</p>\u{ffff}"), "<p>Hà\n Nam–</p>");
    }

    /// Every Vietnamese letter in both cases, digits, spaces, punctuation and the NFD tone marks.
    const VIETNAMESE: &str = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ\
        AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆGHIÌÍỈĨỊKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢPQRSTUÙÚỦŨỤƯỪỨỬỮỰVXYỲÝỶỸỴ\
        0123456789 ,.-\u{300}\u{301}\u{303}\u{309}\u{323}";

    #[test]
    fn fold_ignores_case_tone_and_punctuation() {
        for (input, expected) in [
            ("Báo Hà Nam", "bao ha nam"),
            ("BÁO HÀ NAM điện tử", "bao ha nam dien tu"),
            ("Đời sống - Xã hội", "doi song xa hoi"),
            ("Ba\u{301}o Ha\u{300} Nam", "bao ha nam"),
            // the two tone-placement styles
            ("Văn hoá Thông tin", "van hoa thong tin"),
            ("Văn hóa Thông tin", "van hoa thong tin"),
            ("Khánh Hoà", "khanh hoa"),
            ("Khánh Hòa", "khanh hoa"),
            ("Thuỷ lợi", "thuy loi"),
            ("Thủy lợi", "thuy loi"),
            ("khoẻ mạnh", "khoe manh"),
            ("khỏe mạnh", "khoe manh"),
            // đ/Đ are letters of their own, mapped explicitly
            ("Đường Hồ Chí Minh – Đảng bộ", "duong ho chi minh dang bo"),
            ("ĐỒNG VĂN IV", "dong van iv"),
            ("Ưu tiên ở Thượng Hải", "uu tien o thuong hai"),
            ("Giá 4,5 tỷ — 1.000 USD", "gia 4 5 ty 1 000 usd"),
            ("", ""),
        ] {
            assert_eq!(fold(input), expected);
        }
    }

    proptest! {
        #[test]
        fn the_nfc_fast_path_never_disagrees(
            s in "(a|Việt|ệ|e\u{301}|\u{2126}|한|“|…|\u{2001}|\u{2002}|\u{20CF}|\u{20D0}|\u{300}| |[\\PC]){0,40}"
        ) {
            prop_assert_eq!(surely_nfc(&s), is_nfc_quick(s.chars()) == IsNormalized::Yes);
        }

        #[test]
        fn the_byte_scan_judges_as_the_character_scan(
            s in "(a|Việt|ệ|e\u{301}|\u{2126}|한|“|–|…|\u{300}| |  |&|\t|\u{a0}|\u{ad}|¡|¿|ʼ|\u{93}|\u{2002}|\u{200B}|\u{2028}|\u{20AB}|ɏ|ɐ|Ỿ|\u{1F00}|[\\PC]){0,40}"
        ) {
            prop_assert_eq!(is_clean(&s), is_clean_by_chars(&s));
        }

        #[test]
        fn clean_text_is_idempotent_nfc_and_xml_safe(s in any::<String>()) {
            let once = clean_text(&s);
            prop_assert_eq!(&clean_text(&once), &once);
            prop_assert!(is_nfc(&once));
            prop_assert!(once.chars().all(|c| is_xml_char(c) && !c.is_control()));
            prop_assert!(!once.contains("  "));
            prop_assert_eq!(once.trim(), once.as_str());
        }

        #[test]
        fn clean_text_on_entity_soup(s in "([a-zà-ỹ &;#0-9xamplt\u{200B}\u{a0}\u{301}\u{37e}]|&amp;|&#x?[0-9a-f]{1,6};){0,40}") {
            let once = clean_text(&s);
            prop_assert_eq!(&clean_text(&once), &once);
            prop_assert!(is_nfc(&once));
        }

        #[test]
        fn fold_is_ascii_idempotent_and_ignores_tones_and_case(
            s in prop::collection::vec(prop::sample::select(VIETNAMESE.chars().collect::<Vec<_>>()), 0..40)
                .prop_map(|chars| chars.into_iter().collect::<String>())
        ) {
            let key = fold(&s);
            prop_assert!(key.is_ascii());
            prop_assert_eq!(fold(&key), key.clone());
            prop_assert_eq!(fold(&s.to_uppercase()), key.clone());
            let nfd: String = s.nfd().collect();
            prop_assert_eq!(fold(&nfd), key);
        }

        #[test]
        fn fold_gives_the_words_of_the_whole_transliteration(s in any::<String>()) {
            let nfc: String = s.nfc().collect();
            let ascii = deunicode::deunicode(&nfc).to_lowercase();
            let words: Vec<&str> = ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
            prop_assert_eq!(fold(&s), words.join(" "));
        }

        /// A folded beginning is the beginning of the folded whole, long enough to compare.
        #[test]
        fn a_fold_prefix_begins_the_fold(s in "([A-Za-z0-9 ,.]|[àáạảãăằâđêôơưĐÀÁ]|a\u{301}){0,30}", len in 0usize..40) {
            let whole = fold(&s);
            let prefix = fold_prefix(&s, len);
            prop_assert!(whole.starts_with(&prefix), "{:?} {:?}", whole, prefix);
            prop_assert!(prefix.len() >= len.min(whole.len()));
        }

        #[test]
        fn strip_forbidden_leaves_only_xml_chars(s in any::<String>()) {
            prop_assert!(strip_forbidden(&s).chars().all(is_xml_char));
            // the fast path finds the first character the filter changes
            let filtered: String = s.chars().filter_map(|c| match c {
                '\t' | '\n' | '\r' => Some(c),
                c if is_c1(c) => windows_1252_c1(c),
                c if !is_xml_char(c) || c.is_control() || is_noncharacter(c) => None,
                c => Some(c),
            }).collect();
            prop_assert_eq!(strip_forbidden(&s), filtered);
        }
    }
}
