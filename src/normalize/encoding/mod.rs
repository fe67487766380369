//! Text in the wrong encoding, repaired before it is cleaned: UTF-8 mojibake ("Ã¡", "áº",
//! "â€", "√°"), and the legacy Vietnamese font encodings TCVN3 ("V¨n ho¸") and VNI ("Xin
//! chaøo"), plus windows-1258 shown as windows-1252 ("ChýÞ Quôìc ngýÞ").
//!
//! Repairs are conservative (plain ASCII, correct Vietnamese, French or German text is never
//! touched) and what cannot be repaired is reported: [`repair_item`] logs a warning with the
//! item's URL rather than publishing mojibake silently. Output is NFC whenever it changed.
//!
//! Files: `mojibake` (UTF-8 misread), `legacy` (the decision for TCVN3/VNI/1258 blocks),
//! `tcvn3` and `vni` (the tables), `syllable` (the Vietnamese-syllable test behind every decision).

mod legacy;
mod mojibake;
mod syllable;
mod tcvn3;
mod vni;

pub use legacy::Legacy;

use unicode_normalization::UnicodeNormalization;

use super::text::{ascii_prefix, nfc};
use crate::model::RawItem;
use mojibake::Misread;

/// One kind of repair applied to a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// UTF-8 read as windows-1252 or Latin-1.
    Windows1252Mojibake,
    /// UTF-8 read as Mac Roman.
    MacRomanMojibake,
    /// A legacy Vietnamese encoding read as windows-1252.
    Legacy(Legacy),
}

/// A repaired text, what was done to it, and whether it still looks broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    pub text: String,
    pub fixes: Vec<Fix>,
    /// Mojibake marks remain ("Ã¡" whose bytes were lost): the caller must warn.
    pub suspicious: bool,
}

/// Repairs plain text; each line is judged on its own.
pub fn repair_text(text: &str) -> Repaired {
    repair(text, Shape::Text)
}

/// Repairs HTML: markup is left alone, and the text of each block element (paragraph, cell,
/// heading …) is judged on its own, across inline tags such as `<b>`.
pub fn repair_html(html: &str) -> Repaired {
    repair(html, Shape::Html)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Text,
    Html,
}

/// Whether every non-ASCII character of `text` is a Vietnamese letter (precomposed or as
/// combining marks), typographic punctuation or a no-break space. Every broken form this module
/// repairs leaves at least one other character behind (`¨ ¸ « §` of TCVN3, `ø ï ö` of VNI, `»
/// ¡ ¢ €` of UTF-8 read as windows-1252, `√ ∫` of Mac Roman, `Þ Ò` of windows-1258), and a
/// stray `Ã`/`Â` inside a word is checked too, so this one pass lets correct text skip the
/// syllable analysis.
fn only_vietnamese(text: &str) -> bool {
    let mut previous = ' ';
    let mut rest = text;
    while !rest.is_empty() {
        // ASCII, most of a body's bytes (its markup), is always fine: skipped a word at a time
        let ascii = ascii_prefix(rest.as_bytes());
        if ascii > 0 {
            previous = char::from(rest.as_bytes()[ascii - 1]);
            rest = &rest[ascii..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        // most letters are precomposed ones of U+1EA0…U+1EF9 ("ạ"…"ỹ"): fine after anything
        let precomposed = ('\u{1EA0}'..='\u{1EF9}').contains(&c);
        if !precomposed && !vietnamese_char(previous, c) {
            return false;
        }
        previous = c;
        rest = &rest[c.len_utf8()..];
    }
    true
}

/// Whether `c`, a character that is not ASCII, after `previous` fits [`only_vietnamese`].
fn vietnamese_char(previous: char, c: char) -> bool {
    (matches!(c,
                '\u{C0}'..='\u{C1}' | '\u{C8}'..='\u{CA}' | '\u{CC}'..='\u{CD}' | '\u{D2}'..='\u{D5}'
                | '\u{D9}'..='\u{DA}' | '\u{DD}' | '\u{E0}'..='\u{E3}' | '\u{E8}'..='\u{EA}'
                | '\u{EC}'..='\u{ED}' | '\u{F2}'..='\u{F5}' | '\u{F9}'..='\u{FA}' | '\u{FD}'
                | '\u{102}'..='\u{103}' | '\u{110}'..='\u{111}' | '\u{128}'..='\u{129}'
                | '\u{168}'..='\u{169}' | '\u{1A0}'..='\u{1A1}' | '\u{1AF}'..='\u{1B0}'
                | '\u{1EA0}'..='\u{1EF9}'
                // combining marks of NFD Vietnamese
                | '\u{300}'..='\u{303}' | '\u{306}' | '\u{309}' | '\u{31B}' | '\u{323}'
                // no-break space, dashes, quotes, bullets, ellipsis; degree, dong sign
                | '\u{A0}' | '\u{2010}'..='\u{2027}' | '\u{B0}' | '\u{20AB}')
        && !odd_pair(previous, c))
}

/// A plain vowel followed by a Latin-1 vowel that no Vietnamese spelling puts after it: the
/// mark of VNI ("Vaên", "hoaù") and of windows-1258 read as windows-1252 ("chaÌo", "baòn").
fn odd_pair(previous: char, c: char) -> bool {
    let latin1 = |c: char| ('\u{C0}'..='\u{FF}').contains(&c);
    if !latin1(c) {
        return false;
    }
    // two marked vowels in a row ("ýõ"), or a marked capital inside a lower-case word ("ôÌ"):
    // no Vietnamese spelling has either
    if latin1(previous) || (c.is_uppercase() && previous.is_lowercase()) {
        return true;
    }
    let base = |c: char| match c.to_ascii_lowercase() {
        v @ ('a' | 'e' | 'i' | 'o' | 'u' | 'y') => Some(v),
        _ => None,
    };
    let Some(first) = base(previous) else { return false };
    let second = c.to_lowercase().next().unwrap_or(c);
    // oà oá oã oè oé (hoà, hoá, hoãn, khoẻ), uà uá uã uè ué uì uí uý uê uâ uô (quà, thuê, quân,
    // cuốn), yê (yêu), and after i anything: "gi" is a consonant (giá, gió, già)
    let valid = match first {
        'o' => matches!(second, 'à' | 'á' | 'ã' | 'è' | 'é'),
        'u' => matches!(second, 'à' | 'á' | 'ã' | 'è' | 'é' | 'ì' | 'í' | 'ý' | 'ê' | 'â' | 'ô'),
        'i' => true,
        'y' => second == 'ê',
        _ => false,
    };
    !valid
}

/// Whether nothing in `text` could be a broken encoding: the common case, on every field of
/// every item.
fn surely_sound(text: &str) -> bool {
    text.is_ascii() || only_vietnamese(text)
}

fn repair(text: &str, shape: Shape) -> Repaired {
    let mut fixes = Vec::new();
    if surely_sound(text) {
        return Repaired { text: text.to_string(), fixes, suspicious: false };
    }
    // Judged as NFC, as the text will be published: decomposed tones ("Quô\u{301}c") would
    // read as no syllable at all, and a second look at the published text would judge otherwise.
    let nfc = nfc(text);
    let mut current = match shape {
        Shape::Text => nfc.into_owned(),
        Shape::Html => nbsp_entities(&nfc),
    };
    {
        // A repair can uncover another (mojibake of mojibake); a few rounds reach the fixpoint
        // that makes the repair idempotent.
        for _ in 0..4 {
            let next = round(&current, shape, &mut fixes);
            if next == current {
                break;
            }
            current = next;
        }
    }
    if fixes.is_empty() {
        // nothing to repair: the markup stays exactly as it came, entities included
        current = text.to_string();
    }
    let suspicious = mojibake::suspicious(&current)
        || (fixes.contains(&Fix::Windows1252Mojibake) && mojibake::leftover(&current));
    Repaired { text: current, fixes, suspicious }
}

/// HTML serializers write the NBSP inside "à" (C3 A0 → "Ã\u{a0}") as `&nbsp;`: as a character
/// again, the mojibake scanner sees the whole sequence.
fn nbsp_entities(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        let (before, tail) = rest.split_at(at);
        out.push_str(before);
        let entity = ["&nbsp;", "&#160;", "&#xa0;", "&#xA0;"].into_iter().find(|e| tail.starts_with(e));
        match entity {
            Some(entity) if out.ends_with(|c: char| ('\u{80}'..='\u{FF}').contains(&c) || c > '\u{FF}') => {
                out.push('\u{a0}');
                rest = &tail[entity.len()..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// One round of every repair; NFC when anything changed.
fn round(text: &str, shape: Shape, fixes: &mut Vec<Fix>) -> String {
    let mut changed = false;
    let mut current = text.to_string();
    for (misread, fix) in
        [(Misread::Windows1252, Fix::Windows1252Mojibake), (Misread::MacRoman, Fix::MacRomanMojibake)]
    {
        let (next, count) = mojibake::repair(&current, misread);
        if count > 0 {
            note(fixes, fix);
            changed = true;
            current = next;
        }
    }
    let blocks = match shape {
        Shape::Text => lines(&current),
        Shape::Html => html_blocks(&current),
    };
    let mut out = String::with_capacity(current.len());
    for block in &blocks {
        let texts = block.iter().filter(|p| !p.markup).map(|p| p.text);
        match legacy::decide(texts) {
            Some(decision) => {
                note(fixes, Fix::Legacy(decision.legacy));
                changed = true;
                for piece in block {
                    if piece.markup {
                        out.push_str(piece.text);
                    } else {
                        out.push_str(&legacy::apply(piece.text, decision));
                    }
                }
            }
            None => block.iter().for_each(|p| out.push_str(p.text)),
        }
    }
    if changed { out.nfc().collect() } else { out }
}

fn note(fixes: &mut Vec<Fix>, fix: Fix) {
    if !fixes.contains(&fix) {
        fixes.push(fix);
    }
}

/// A piece of a block: text, or markup that is copied through.
#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    text: &'a str,
    markup: bool,
}

fn lines(text: &str) -> Vec<Vec<Piece<'_>>> {
    text.split_inclusive('\n').map(|line| vec![Piece { text: line, markup: false }]).collect()
}

/// Inline elements do not end a block of text: "V¨n <b>ho¸</b>" is judged as one.
const INLINE: [&str; 20] = [
    "a", "abbr", "b", "big", "cite", "em", "font", "i", "mark", "q", "s", "small", "span", "strike",
    "strong", "sub", "sup", "u", "time", "label",
];

fn html_blocks(html: &str) -> Vec<Vec<Piece<'_>>> {
    let mut blocks = vec![Vec::new()];
    let mut rest = html;
    while !rest.is_empty() {
        let (piece, tail) = match rest.find('<') {
            Some(0) => {
                let end = if rest.starts_with("<!--") {
                    rest.find("-->").map_or(rest.len(), |e| e + 3)
                } else {
                    rest.find('>').map_or(rest.len(), |e| e + 1)
                };
                let (tag, tail) = rest.split_at(end);
                let name: String = tag
                    .trim_start_matches(['<', '/'])
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                if !INLINE.contains(&name.as_str()) {
                    blocks.push(Vec::new());
                }
                (Piece { text: tag, markup: true }, tail)
            }
            Some(start) => {
                let (text, tail) = rest.split_at(start);
                (Piece { text, markup: false }, tail)
            }
            None => (Piece { text: rest, markup: false }, ""),
        };
        if let Some(block) = blocks.last_mut() {
            block.push(piece);
        }
        rest = tail;
    }
    blocks
}

/// Repairs every text field of a raw item, before it is cleaned. Each repair is logged at
/// `info`; a field that still looks like mojibake is logged at `warn` with the item's URL, so
/// nothing broken is published without a trace.
pub fn repair_item(mut raw: RawItem) -> RawItem {
    let url = raw.url.clone();
    let fix = |field: &str, text: &mut String, html: bool| {
        if surely_sound(text) {
            // what `repair` would answer, without copying the text
            return;
        }
        let repaired = if html { repair_html(text) } else { repair_text(text) };
        if !repaired.fixes.is_empty() {
            tracing::info!(url = %url, field, fixes = ?repaired.fixes, "repaired text in a wrong encoding");
        }
        if repaired.suspicious {
            tracing::warn!(url = %url, field, "text looks like mojibake that could not be repaired");
        }
        *text = repaired.text;
    };
    for (name, field) in
        [("title", &mut raw.title), ("summary", &mut raw.summary), ("author", &mut raw.author)]
    {
        if let Some(text) = field {
            fix(name, text, false);
        }
    }
    for paragraph in &mut raw.paragraphs {
        fix("paragraph", paragraph, false);
    }
    if let Some(html) = &mut raw.content_html {
        fix("content", html, true);
    }
    raw
}

#[cfg(test)]
mod tests;
