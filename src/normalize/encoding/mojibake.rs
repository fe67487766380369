//! UTF-8 read with a single-byte decoder: "Ã¡" for "á", "áº¿" for "ế", "â€œ" for "“" (windows-1252
//! or Latin-1), "√°" and "·∫ø" (Mac Roman). The repair maps each character back to the byte it
//! came from and decodes the UTF-8 sequence those bytes spell.
//!
//! Only whole, valid UTF-8 sequences are repaired, and only when they spell a character that
//! Vietnamese or Western text uses (Latin letters and combining marks, typographic punctuation,
//! "€", "™"): "CAFÉ…" also spells a UTF-8 sequence (U+0245), which is not plausible and stays.

use std::sync::OnceLock;

use encoding_rs::{Encoding, MACINTOSH, WINDOWS_1252};

/// Which single-byte decoder produced the mojibake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Misread {
    Windows1252,
    MacRoman,
}

impl Misread {
    /// The byte this decoder shows as `c`.
    pub(super) fn byte(self, c: char) -> Option<u8> {
        match self {
            Misread::Windows1252 => match c as u32 {
                0..=0x7F => Some(c as u8),
                // C1 controls: Latin-1 decoding, or the five bytes windows-1252 leaves undefined
                n @ 0x80..=0xFF => Some(n as u8),
                _ => reverse(&WIN_1252, WINDOWS_1252, c),
            },
            Misread::MacRoman => match c as u32 {
                0..=0x7F => Some(c as u8),
                _ => reverse(&MAC_ROMAN, MACINTOSH, c),
            },
        }
    }
}

static WIN_1252: OnceLock<Vec<(char, u8)>> = OnceLock::new();
static MAC_ROMAN: OnceLock<Vec<(char, u8)>> = OnceLock::new();

/// The byte `encoding` decodes to `c`, from a table of its upper half built once.
fn reverse(table: &OnceLock<Vec<(char, u8)>>, encoding: &'static Encoding, c: char) -> Option<u8> {
    let table = table.get_or_init(|| {
        let mut table: Vec<(char, u8)> = (0x80..=0xFFu8)
            .filter_map(|b| {
                let bytes = [b];
                let (text, _) = encoding.decode_without_bom_handling(&bytes);
                Some((text.chars().next()?, b))
            })
            .collect();
        table.sort_unstable();
        table
    });
    let at = table.binary_search_by_key(&c, |(ch, _)| *ch).ok()?;
    Some(table[at].1)
}

/// Characters a repair may produce: what UTF-8 mojibake of Vietnamese and Western text hides.
fn plausible(c: char) -> bool {
    matches!(c as u32,
        0xA0..=0xFF            // Latin-1: NBSP, «», ©, °, à–ý
        | 0x100..=0x17F        // Latin Extended-A: Ă ă Đ đ Ĩ ĩ Ũ ũ, Œ Š Ž
        | 0x1A0 | 0x1A1 | 0x1AF | 0x1B0 // Ơ ơ Ư ư
        | 0x192 | 0x2C6 | 0x2DC // ƒ ˆ ˜: windows-1252 letters, met in mojibake of mojibake
        | 0x300..=0x323        // combining tone and shape marks (NFD text)
        | 0x1EA0..=0x1EF9      // Vietnamese letters with tones
        | 0x2010..=0x2044      // dashes, quotes, "…", "•"
        | 0x20AB | 0x20AC | 0x2122 // ₫ € ™
    )
}

/// Repairs every mojibake sequence of `misread` in `text`; returns the text and how many
/// sequences were repaired.
pub(super) fn repair(text: &str, misread: Misread) -> (String, usize) {
    let lead = |c: char| !c.is_ascii() && misread.byte(c).is_some_and(|b| (0xC2..=0xF4).contains(&b));
    if !text.chars().any(lead) {
        return (text.to_string(), 0);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut repaired = 0;
    let mut i = 0;
    while i < chars.len() {
        if let Some((c, len)) = sequence_at(&chars[i..], misread) {
            out.push(c);
            repaired += 1;
            i += len;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    if repaired > 0 && misread == Misread::Windows1252 {
        let (lost, n) = repair_lost_bytes(&out);
        return (lost, repaired + n);
    }
    (out, repaired)
}

/// A plausible UTF-8 sequence spelled by the first characters of `chars`, and its length.
fn sequence_at(chars: &[char], misread: Misread) -> Option<(char, usize)> {
    let first = *chars.first()?;
    // the common case, decided without a table: in windows-1252 every lead byte is its own
    // Latin-1 character, and in both encodings ASCII and Vietnamese letters are not leads
    if first.is_ascii() || (misread == Misread::Windows1252 && !('\u{C2}'..='\u{F4}').contains(&first)) {
        return None;
    }
    let lead = misread.byte(first)?;
    let len = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut bytes = [lead, 0, 0, 0];
    for (slot, c) in bytes[1..len].iter_mut().zip(chars.get(1..len)?) {
        *slot = misread.byte(*c).filter(|b| (0x80..=0xBF).contains(b))?;
    }
    let decoded = std::str::from_utf8(&bytes[..len]).ok()?.chars().next()?;
    plausible(decoded).then_some((decoded, len))
}

/// The five bytes windows-1252 has no character for: decoders drop them or make them C1
/// controls that later cleaning drops.
const UNDEFINED: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// Mojibake whose last byte did not survive: an undefined byte (0x81, 0x8D, 0x8F, 0x90, 0x9D:
/// "Đ" is C4 90, "ờ" E1 BB 9D, "ọ" E1 BB 8D), or the NBSP of "à" (C3 A0) turned into a space.
/// Only repaired in text that had certain mojibake, and only where exactly one candidate makes
/// the word a Vietnamese syllable: "NgÆ°á»i" → "Người", "Äáº£ng" → "Đảng", "chÃ o" → "chào".
fn repair_lost_bytes(text: &str) -> (String, usize) {
    let mut chars: Vec<char> = text.chars().collect();
    let mut repaired = 0;
    let mut i = 0;
    while i < chars.len() {
        if let Some((len, c)) = lost_last_byte(&chars, i) {
            chars.splice(i..i + len, [c]);
            repaired += 1;
        } else if chars[i] == 'Ã'
            && i > 0
            && chars[i - 1].is_lowercase()
            && chars.get(i + 1).is_none_or(|c| c.is_whitespace())
        {
            chars[i] = 'à';
            repaired += 1;
            // "chÃ o": the space was the NBSP inside the word when the joined word is Vietnamese
            let after = word_after(&chars, i + 2);
            if chars.get(i + 1) == Some(&' ') && !after.is_empty() {
                let joined = format!("{}{after}", word_before(&chars, i + 1));
                if super::syllable::is_syllable(&joined) {
                    chars.remove(i + 1);
                }
            }
        } else if chars[i] == 'â' && chars.get(i + 1) == Some(&'€') {
            // "â€" + a lost 0x9D is the closing quote "”", the only plausible reading
            chars.splice(i..i + 2, ['”']);
            repaired += 1;
        }
        i += 1;
    }
    (chars.into_iter().collect(), repaired)
}

/// A UTF-8 sequence at `i` that is one undefined byte short and has exactly one completion
/// that makes its word a Vietnamese syllable (and the word is not one as it stands).
fn lost_last_byte(chars: &[char], i: usize) -> Option<(usize, char)> {
    let lead = Misread::Windows1252.byte(chars[i])?;
    let need = match lead {
        0xC2..=0xDF => 1,
        0xE0..=0xEF => 2,
        _ => return None,
    };
    let mut bytes = vec![lead];
    for c in chars.get(i + 1..i + need)? {
        bytes.push(Misread::Windows1252.byte(*c).filter(|b| (0x80..=0xBF).contains(b))?);
    }
    let before = word_before(chars, i);
    let after = word_after(chars, i + need);
    if super::syllable::is_syllable(&format!("{before}{}{after}", chars[i])) {
        return None;
    }
    let mut found = UNDEFINED.iter().filter_map(|&lost| {
        let mut full = bytes.clone();
        full.push(lost);
        let c = std::str::from_utf8(&full).ok()?.chars().next()?;
        (plausible(c) && super::syllable::is_syllable(&format!("{before}{c}{after}"))).then_some(c)
    });
    let c = found.next()?;
    found.next().is_none().then_some((need, c))
}

/// The letters right before `i`.
fn word_before(chars: &[char], i: usize) -> String {
    let start = chars[..i].iter().rposition(|c| !c.is_alphabetic()).map_or(0, |p| p + 1);
    chars[start..i].iter().collect()
}

/// The letters from `i` on.
fn word_after(chars: &[char], i: usize) -> String {
    chars.get(i..).unwrap_or_default().iter().take_while(|c| c.is_alphabetic()).collect()
}

/// Whether `text` still shows the marks of UTF-8 mojibake: a lead character of a UTF-8 sequence
/// ("Ã", "Â", "Ä", "Æ", "á", "â" in windows-1252; "√", "·" in Mac Roman) followed by a
/// continuation character (a symbol of 0x80–0xBF).
pub(super) fn suspicious(text: &str) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let Some(&next) = chars.peek() else { break };
        let windows = matches!(c, 'Ã' | 'Â' | 'Ä' | 'Æ' | 'á' | 'â')
            && Misread::Windows1252.byte(next).is_some_and(|b| (0x80..=0xBF).contains(&b))
            && !next.is_alphabetic();
        let mac = matches!(c, '√' | '·')
            && Misread::MacRoman.byte(next).is_some_and(|b| (0x80..=0xBF).contains(&b));
        if windows || mac {
            return true;
        }
    }
    false
}

/// Whether a word still holds a mojibake lead letter ("PHÃT", whose lost byte could have been
/// Á, Í or Ý) after a repair: only meaningful in text that had mojibake.
pub(super) fn leftover(text: &str) -> bool {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.contains(['Ã', 'Ä', 'Æ', 'Å']))
        .any(|w| !super::syllable::is_syllable(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences() {
        for (broken, fixed) in [
            ("Láº¥y danh sÃ¡ch tin má»›i", "Lấy danh sách tin mới"),
            ("â€œTin nÃ³ngâ€\u{9d}", "“Tin nóng”"),
            ("Ä‘Æ°á»\u{9d}ng", "đường"),
            ("vÃ  lÃ  cÃ¡c", "và  là  các"),
            ("NgÆ°á»i dÃ¢n", "Người dân"),
            ("Äáº£ng", "Đảng"),
        ] {
            assert_eq!(repair(broken, Misread::Windows1252).0, fixed, "{broken}");
        }
        assert_eq!(repair("B√°o ti·∫øng Vi·ªát", Misread::MacRoman).0, "Báo tiếng Việt");
        assert_eq!(repair("CAFÉ… Größe", Misread::Windows1252), ("CAFÉ… Größe".into(), 0));
    }
}
