//! Legacy Vietnamese encodings inside otherwise good text: TCVN3, VNI, and windows-1258 bytes
//! shown as windows-1252 ("ChýÞ Quôìc ngýÞ"). Whether a block of text is one of them is decided by
//! what its words become: the block is converted only when the conversion turns at least two
//! non-words into Vietnamese syllables, breaks (almost) none, and leaves the block more
//! Vietnamese than it was. A false repair is worse than a missed one, so the bar is high.

use std::sync::OnceLock;

use encoding_rs::WINDOWS_1258;

use super::mojibake::Misread;
use super::syllable::is_syllable;
use super::{tcvn3, vni};

/// A legacy encoding whose text reached us as windows-1252 characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    Tcvn3,
    Vni,
    Windows1258,
}

impl Legacy {
    const ALL: [Legacy; 3] = [Legacy::Tcvn3, Legacy::Vni, Legacy::Windows1258];

    fn decode_word(self, word: &str) -> Option<String> {
        match self {
            Legacy::Tcvn3 => tcvn3::decode_word(word),
            Legacy::Vni => vni::decode_word(word),
            Legacy::Windows1258 => windows_1258_word(word),
        }
    }
}

/// Windows-1258 text shown as windows-1252: back to the bytes, then decoded as 1258 (its tone
/// marks are combining characters after the letter, composed by the caller's NFC).
fn windows_1258_word(word: &str) -> Option<String> {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0x80..=0xFFu8)
            .map(|b| WINDOWS_1258.decode_without_bom_handling(&[b]).0.chars().next().unwrap_or('\u{FFFD}'))
            .collect()
    });
    let mut changed = false;
    let out: String = word
        .chars()
        .map(|c| {
            let Some(b) = Misread::Windows1252.byte(c).filter(|b| *b >= 0x80) else { return c };
            match table.get(usize::from(b - 0x80)) {
                Some(&d) if d != c && !('\u{80}'..='\u{9F}').contains(&d) => {
                    changed = true;
                    d
                }
                _ => c,
            }
        })
        .collect();
    changed.then_some(out)
}

/// A character that can be part of a word in any of the legacy encodings as windows-1252 shows
/// them: TCVN3 uses the symbols of 0xA1–0xBF as letters ("¸" is á, "«" is ô).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{A1}'..='\u{FF}').contains(&c) || ('\u{300}'..='\u{323}').contains(&c)
}

/// Letters only Unicode Vietnamese has (ă, ơ, ư, đ, ạ …): text that contains them is already
/// partly decoded, so only words that are gibberish as they stand may be converted in it.
fn is_unicode_vietnamese(c: char) -> bool {
    matches!(
        c as u32,
        0x102 | 0x103 | 0x110 | 0x111 | 0x128 | 0x129 | 0x168 | 0x169 | 0x1A0 | 0x1A1 | 0x1AF | 0x1B0 | 0x1EA0
            ..=0x1EF9
    )
}

/// Splits `text` into runs of word and non-word characters.
fn runs(text: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let word = is_word_char(first);
        let end = rest.find(|c: char| is_word_char(c) != word).unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        rest = tail;
        Some((word, run))
    })
}

/// What to do with a block: which encoding, and whether words that are Vietnamese both before
/// and after the conversion are converted too (yes in a block that is wholly legacy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Decision {
    pub legacy: Legacy,
    whole: bool,
}

/// One word's fate under a conversion.
fn convert(word: &str, legacy: Legacy, whole: bool) -> Option<String> {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let after = legacy.decode_word(word).filter(|a| a != word)?;
    let before_valid = is_syllable(word);
    let after_valid = is_syllable(&after);
    (after_valid && (!before_valid || whole)).then_some(after)
}

/// Decides whether the text of one block (its pieces, in order) is in a legacy encoding.
pub(super) fn decide<'a>(pieces: impl Iterator<Item = &'a str> + Clone) -> Option<Decision> {
    let has_legacy_chars = pieces.clone().any(|p| p.chars().any(|c| ('\u{A1}'..='\u{FF}').contains(&c)));
    if !has_legacy_chars {
        return None;
    }
    let words: Vec<&str> = pieces
        .clone()
        .flat_map(runs)
        .filter(|(word, run)| *word && run.chars().any(char::is_alphabetic))
        .map(|(_, run)| run)
        .filter(|run| !run.chars().any(|c| c.is_ascii_digit()))
        .collect();
    // Only words with a non-ASCII letter can change; a block where each of them is already a
    // syllable has nothing to repair (the common case, decided cheaply).
    let candidates: Vec<(&str, bool)> =
        words.iter().filter(|w| !w.is_ascii()).map(|w| (*w, is_syllable(w))).collect();
    if candidates.iter().all(|(_, valid)| *valid) {
        return None;
    }
    let unicode = pieces.clone().any(|p| p.chars().any(is_unicode_vietnamese));
    let mut ascii_valid = None;
    let mut best: Option<(usize, Decision)> = None;
    for legacy in Legacy::ALL {
        // per candidate: was it a syllable, and is it one after the conversion (None: unchanged)
        let fates: Vec<(bool, Option<bool>)> = candidates
            .iter()
            .map(|(word, before)| {
                let after = legacy.decode_word(word).filter(|a| a != word).map(|a| is_syllable(&a));
                (*before, after)
            })
            .collect();
        let gains = fates.iter().filter(|f| matches!(f, (false, Some(true)))).count();
        let losses = fates.iter().filter(|f| matches!(f, (true, Some(false)))).count();
        if gains < 2 || gains < 3 * losses || best.is_some_and(|(g, _)| g >= gains) {
            continue;
        }
        // A word that was Vietnamese and would stop being so is text already in Unicode: then
        // only the gibberish words are converted.
        let whole = !unicode && losses == 0;
        let ascii = *ascii_valid
            .get_or_insert_with(|| words.iter().filter(|w| w.is_ascii() && is_syllable(w)).count());
        let valid_before = ascii + fates.iter().filter(|(before, _)| *before).count();
        let valid_after =
            ascii + fates.iter().filter(|(before, after)| *before || *after == Some(true)).count();
        if valid_after * 10 >= words.len() * 6 && valid_after > valid_before {
            best = Some((gains, Decision { legacy, whole }));
        }
    }
    best.map(|(_, decision)| decision)
}

/// Converts the words of one piece of a block as `decision` says.
pub(super) fn apply(piece: &str, decision: Decision) -> String {
    runs(piece)
        .map(|(word, run)| {
            if word {
                convert(run, decision.legacy, decision.whole).unwrap_or_else(|| run.to_string())
            } else {
                run.to_string()
            }
        })
        .collect()
}
