//! VNI (the "VNI-Times" fonts): a Vietnamese letter is an ASCII base letter followed by a byte
//! that draws its marks, shown by windows-1252 as an accented Latin letter: "Xin chaøo caùc
//! baïn" for "Xin chào các bạn". A few letters are one byte of their own ("ô" is ơ, "ñ" is đ).
//!
//! The mapping is the published VNI-Windows table; upper-case marks ("AÙ") and lower-case marks
//! ("aù") mean the same, and the letter's case is the base letter's.
//!
//! | mark byte        | meaning                     | mark byte        | meaning              |
//! |------------------|-----------------------------|------------------|----------------------|
//! | ù Ù              | sắc (acute)                 | â Â              | circumflex           |
//! | ø Ø              | huyền (grave)               | á à å ã ä        | circumflex + tone    |
//! | û Û              | hỏi (hook above)            | ê Ê              | breve (a only)       |
//! | õ Õ              | ngã (tilde)                 | é è ú ü ë        | breve + tone         |
//! | ï Ï              | nặng (dot below)            |                  |                      |
//!
//! One-byte letters: ô/Ô = ơ/Ơ, ö/Ö = ư/Ư, ñ/Ñ = đ/Đ, æ/Æ = ỉ/Ỉ, ó/Ó = ĩ/Ĩ, ò/Ò = ị/Ị,
//! î/Î = ỵ/Ỵ; í and ì are themselves.

use unicode_normalization::UnicodeNormalization;

const ACUTE: char = '\u{301}';
const GRAVE: char = '\u{300}';
const HOOK: char = '\u{309}';
const TILDE: char = '\u{303}';
const DOT: char = '\u{323}';
const CIRCUMFLEX: char = '\u{302}';
const BREVE: char = '\u{306}';

/// The marks a VNI mark byte draws: (shape, tone), lower-cased first.
fn mark(c: char) -> Option<(Option<char>, Option<char>)> {
    Some(match c.to_lowercase().next()? {
        'ù' => (None, Some(ACUTE)),
        'ø' => (None, Some(GRAVE)),
        'û' => (None, Some(HOOK)),
        'õ' => (None, Some(TILDE)),
        'ï' => (None, Some(DOT)),
        'â' => (Some(CIRCUMFLEX), None),
        'á' => (Some(CIRCUMFLEX), Some(ACUTE)),
        'à' => (Some(CIRCUMFLEX), Some(GRAVE)),
        'å' => (Some(CIRCUMFLEX), Some(HOOK)),
        'ã' => (Some(CIRCUMFLEX), Some(TILDE)),
        'ä' => (Some(CIRCUMFLEX), Some(DOT)),
        'ê' => (Some(BREVE), None),
        'é' => (Some(BREVE), Some(ACUTE)),
        'è' => (Some(BREVE), Some(GRAVE)),
        'ú' => (Some(BREVE), Some(HOOK)),
        'ü' => (Some(BREVE), Some(TILDE)),
        'ë' => (Some(BREVE), Some(DOT)),
        _ => return None,
    })
}

/// The one-byte VNI letters.
fn single(c: char) -> Option<char> {
    Some(match c {
        'ô' => 'ơ',
        'Ô' => 'Ơ',
        'ö' => 'ư',
        'Ö' => 'Ư',
        'ñ' => 'đ',
        'Ñ' => 'Đ',
        'æ' => 'ỉ',
        'Æ' => 'Ỉ',
        'ó' => 'ĩ',
        'Ó' => 'Ĩ',
        'ò' => 'ị',
        'Ò' => 'Ị',
        'î' => 'ỵ',
        'Î' => 'Ỵ',
        _ => return None,
    })
}

/// Whether `base` can carry `shape`: circumflex on a/e/o, breve on a, tones on any vowel.
fn takes(base: char, shape: Option<char>) -> bool {
    let lower = base.to_lowercase().next().unwrap_or(base);
    match shape {
        Some(CIRCUMFLEX) => matches!(lower, 'a' | 'e' | 'o'),
        Some(_) => lower == 'a',
        None => matches!(lower, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ơ' | 'ư'),
    }
}

/// Decodes one word; `None` when nothing in it reads as VNI.
pub(super) fn decode_word(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len() + 4);
    let mut changed = false;
    let mut previous: Option<char> = None;
    for c in word.chars() {
        if let (Some(base), Some((shape, tone))) = (previous, mark(c))
            && takes(base, shape)
        {
            out.extend(shape);
            out.extend(tone);
            changed = true;
            previous = None;
            continue;
        }
        let letter = single(c).inspect(|_| changed = true).unwrap_or(c);
        out.push(letter);
        previous = Some(letter);
    }
    changed.then(|| out.nfc().collect())
}

#[cfg(test)]
mod tests {
    use super::decode_word;

    #[test]
    fn words() {
        for (vni, unicode) in [
            ("chaøo", "chào"),
            ("caùc", "các"),
            ("baïn", "bạn"),
            ("Ñaûng", "Đảng"),
            ("NGÖÔØI", "NGƯỜI"),
            ("ñöôïc", "được"),
            ("Vieät", "Việt"),
            ("khoâng", "không"),
            ("taëng", "tặng"),
            ("Quoác", "Quốc"),
            ("hoäi", "hội"),
            ("tænh", "tỉnh"),
            ("mî", "mỵ"),
        ] {
            assert_eq!(decode_word(vni).as_deref(), Some(unicode), "{vni}");
        }
        assert_eq!(decode_word("Xin"), None);
    }
}
