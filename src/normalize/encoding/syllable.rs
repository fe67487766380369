//! Is this word a well-formed Vietnamese syllable? The yardstick for every legacy-encoding
//! repair: a conversion is only believed when it turns gibberish ("V¨n", "caùc") into real
//! syllables ("Văn", "các"), which French "Café", German "Größe" or code never become.
//!
//! The check is phonotactic, not a dictionary: onset + rhyme (vowel nucleus + coda) + at most one
//! tone mark, on a vowel, with the spelling rules that make a wrong guess fail (`c`/`k`/`q`,
//! `g`/`gh`, stop codas take only the sắc and nặng tones).

use unicode_normalization::UnicodeNormalization;

/// Onsets, longest first so "ngh" is tried before "ng" and "n".
const ONSETS: [&str; 28] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k",
    "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

const CODAS: [&str; 9] = ["ng", "nh", "ch", "c", "m", "n", "p", "t", ""];

/// Nuclei that end in a glide (i/y/o/u) and so take no consonant coda.
const OPEN: [&str; 31] = [
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ui", "ưa", "ưi", "ưu",
    "ua", "iêu", "yêu", "oai", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyu", "oao", "uêu",
];

/// Nuclei that need a coda ("ăn", never "ă").
const CLOSED: [&str; 11] = ["ă", "â", "iê", "yê", "uô", "ươ", "oă", "uâ", "uyê", "oo", "ôô"];

/// Nuclei that may stand open or closed.
const FREE: [&str; 15] = ["a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy", "uơ"];

/// The five tone marks as combining characters, and the two that fit a stop coda.
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
const STOP_TONES: [char; 2] = ['\u{301}', '\u{323}'];

/// Whether `word` (any case, NFC or not) is one Vietnamese syllable.
pub(super) fn is_syllable(word: &str) -> bool {
    let Some((bare, tone)) = split_tone(word) else { return false };
    let tone_at = tone.map(|(_, at)| at);
    let tone = tone.map(|(t, _)| t);
    if bare.is_empty() || bare.chars().count() > 7 {
        return false;
    }
    ONSETS.iter().filter_map(|onset| Some((*onset, bare.strip_prefix(onset)?))).any(|(onset, rhyme)| {
        CODAS
            .iter()
            .filter_map(|coda| Some((*coda, rhyme.strip_suffix(coda)?)))
            .any(|(coda, nucleus)| fits(onset, nucleus, coda, tone) && tone_fits(onset, nucleus, tone_at))
    })
}

/// The word lower-cased and without its tone mark, plus the tone and the index of the letter
/// that carries it; `None` when it has two tones, a tone on a consonant, or a character no
/// Vietnamese syllable uses.
fn split_tone(word: &str) -> Option<(String, Option<(char, usize)>)> {
    let mut bare = String::with_capacity(word.len());
    let mut tone = None;
    let mut after_vowel = false;
    let mut letters = 0;
    for c in word.nfd().flat_map(char::to_lowercase) {
        if !('\u{300}'..='\u{36F}').contains(&c) {
            letters += 1;
        }
        if TONES.contains(&c) {
            if tone.is_some() || !after_vowel {
                return None;
            }
            tone = Some((c, letters - 1));
        } else if matches!(c, '\u{302}' | '\u{306}' | '\u{31B}') {
            // circumflex, breve, horn: part of the letter, kept for the nucleus check
            bare.push(c);
        } else if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
            after_vowel = true;
            bare.push(c);
        } else if c.is_ascii_lowercase() && !matches!(c, 'f' | 'j' | 'w' | 'z') || c == 'đ' {
            after_vowel = false;
            bare.push(c);
        } else {
            return None;
        }
    }
    let bare: String = bare.nfc().collect();
    // a shape mark left uncomposed sat on a letter that cannot carry it ("ĉ", "ŭ")
    if bare.chars().any(|c| !(c.is_ascii_lowercase() || "ăâêôơưđ".contains(c))) {
        return None;
    }
    Some((bare, tone))
}

/// The tone sits on the nucleus, and never on the glide that ends an open rhyme ("hoài", not
/// "hoaì": the misplacement windows-1258 text shows when read as windows-1252).
fn tone_fits(onset: &str, nucleus: &str, tone_at: Option<usize>) -> bool {
    let Some(at) = tone_at else { return true };
    let start = onset.chars().count();
    let len = nucleus.chars().count();
    let last = if OPEN.contains(&nucleus) { start + len - 1 } else { start + len };
    (start..last).contains(&at)
}

fn fits(onset: &str, nucleus: &str, coda: &str, tone: Option<char>) -> bool {
    let open = OPEN.contains(&nucleus);
    let closed = CLOSED.contains(&nucleus);
    if !(open || closed || FREE.contains(&nucleus)) {
        return false;
    }
    if (open && !coda.is_empty()) || (closed && coda.is_empty()) {
        return false;
    }
    if matches!(coda, "c" | "ch" | "p" | "t") && tone.is_some_and(|t| !STOP_TONES.contains(&t)) {
        return false;
    }
    // "ch" and "nh" close only front and open-a rhymes: "ách", "ếch", "ích", "anh", "uỳnh"
    if matches!(coda, "ch" | "nh") && !matches!(nucleus.chars().last(), Some('a' | 'ê' | 'i' | 'y')) {
        return false;
    }
    // "inh", "ích", "ênh", "ếch": i, y and ê never close with "ng" or "c"
    if matches!(nucleus, "i" | "y" | "ê" | "uy" | "uê") && matches!(coda, "ng" | "c") {
        return false;
    }
    let front = matches!(nucleus.chars().next(), Some('e' | 'ê' | 'i' | 'y'));
    match onset {
        "k" | "gh" | "ngh" => front,
        "c" | "ng" => !front,
        // "q" is always "qu"; "quu" does not exist
        "qu" => !nucleus.starts_with('u') && !nucleus.starts_with('o'),
        "gi" => !nucleus.starts_with('i'),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::is_syllable;

    #[test]
    fn real_syllables() {
        let text = "Văn hoá hóa Thông tin Quyết định của tỉnh Hà Nam Đảng bộ Nguyễn người được \
                    những khuya nghiêng giữa gì quốc thuở khuỷu oẳn ngoằn chuyện tuyết ếch \
                    thích anh uỳnh Xin chào các bạn Trường Sơn Ơ ừ ướt hươu rượu Khánh Hoà \
                    thuỷ thủy kỹ quý khoẻ kẻ Phủ Lý gõ xoong";
        for word in text.split(' ') {
            assert!(is_syllable(word), "{word}");
        }
    }

    #[test]
    fn not_syllables() {
        for word in [
            "Café",
            "Größe",
            "fn",
            "V¨n",
            "caùc",
            "chaøo",
            "Th«ng",
            "Microsoft",
            "très",
            "où",
            "cảt",
            "càc",
            "ci",
            "ngi",
            "hoaì",
            "muà",
            "ýng",
            "ting",
            "têc",
            "ghe\u{301}\u{300}",
            "x\u{301}",
            "Cafế",
            "zip",
            "wifi",
            "ăn\u{303}m",
            "",
            "aaaaaaaa",
            "ă",
            "ia\u{302}",
            "quu",
        ] {
            assert!(!is_syllable(word), "{word}");
        }
    }
}
