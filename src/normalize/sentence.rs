//! Sentence ends in Vietnamese news text, and cutting text to a length without breaking a word.
//!
//! Periods are everywhere inside tokens ("TP.HCM", "GS.TS", "1.000", "Q.1") and after titles and
//! initials ("ThS. Lê B", "N. Huyền"). A full stop ends a sentence only when whitespace (or the
//! end) follows and the next word starts with neither a lower-case letter nor a digit, and the
//! word before it is not a single capital letter or a known abbreviation.

/// Abbreviations that a period follows without ending the sentence: academic and professional
/// titles, administrative units (TP = thành phố, Q = quận, P = phường, H = huyện) and "v.v".
/// Compared case-sensitively, so "TP." is an abbreviation while the word "tp" is not text.
const ABBREVIATIONS: &[&str] = &[
    "GS", "PGS", "TS", "ThS", "Th.S", "BS", "BSCKI", "BSCKII", "KS", "LS", "NSƯT", "NSND", "NGƯT", "NGND",
    "TP", "Tp", "TX", "Q", "P", "H", "X", "v.v", "St", "Mr", "Mrs", "Dr",
];

/// Characters that end a sentence.
fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Characters that may follow the terminal punctuation and still belong to the sentence.
fn is_closing(c: char) -> bool {
    matches!(c, ')' | ']' | '"' | '\'' | '”' | '’' | '»' | '/')
}

/// The char offsets just after each sentence end in `text`, in order. The end of the text is
/// not reported unless punctuation marks it.
pub fn sentence_ends(text: &str) -> Vec<usize> {
    ends_before(&text.chars().collect::<Vec<_>>(), usize::MAX)
}

/// The sentence ends of `chars` no later than `limit`: a run of terminals starting at or after
/// `limit` ends after it, so the scan stops there (a summary looks at its first 200 characters
/// only, of a body that may have thousands).
fn ends_before(chars: &[char], limit: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut i = 0;
    while i < chars.len().min(limit) {
        if !is_terminal(chars[i]) || i == 0 {
            i += 1;
            continue;
        }
        let start = i;
        // A run of terminals and closers: "?!", "...", "./.", "." followed by "”".
        let mut end = i + 1;
        while end < chars.len() && (is_terminal(chars[end]) || is_closing(chars[end])) {
            end += 1;
        }
        if end <= limit && is_boundary(chars, start, end) {
            ends.push(end);
        }
        i = end;
    }
    ends
}

/// Whether the terminal run `chars[start..end]` ends a sentence.
fn is_boundary(chars: &[char], start: usize, end: usize) -> bool {
    match chars.get(end) {
        None => return true,
        Some(c) if !c.is_whitespace() => return false,
        Some(_) => {}
    }
    let next = chars[end..].iter().find(|c| !c.is_whitespace());
    if next.is_some_and(|c| c.is_lowercase() || c.is_ascii_digit()) {
        return false;
    }
    // Only a lone full stop can belong to an abbreviation; "TS.?" or "…" end a sentence.
    if chars[start] == '.' && end - start == 1 {
        let word_start = chars[..start].iter().rposition(|c| c.is_whitespace()).map_or(0, |p| p + 1);
        let word: String = chars[word_start..start]
            .iter()
            .skip_while(|c| matches!(c, '(' | '[' | '"' | '“' | '\''))
            .collect();
        if is_abbreviation(&word) {
            return false;
        }
    }
    true
}

/// "ThS", "GS.TS", "PGS.TS", "N" (an initial), "T.Nhung"'s "T" is never seen here because no
/// space follows its period.
fn is_abbreviation(word: &str) -> bool {
    let mut letters = word.chars();
    if let (Some(c), None) = (letters.next(), letters.next()) {
        return c.is_uppercase();
    }
    if ABBREVIATIONS.contains(&word) {
        return true;
    }
    // "GS.TS", "PGS.TS": the part after the last inner period decides.
    word.rsplit_once('.').is_some_and(|(_, last)| ABBREVIATIONS.contains(&last))
}

/// Cuts `text` to at most `max_chars` characters, plus "…" when it had to cut inside a sentence.
///
/// A sentence end in the last third of the window wins (no "…": the sentence is whole);
/// otherwise the cut falls at the last word boundary and "…" follows, after trailing commas and
/// dashes are dropped. Counts chars, not bytes, and never splits a word, except a single word
/// longer than the whole window, which is cut between characters.
pub fn truncate(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let min_sentence = max_chars - max_chars / 3;
    if let Some(&end) = ends_before(&chars, max_chars).iter().rev().find(|&&end| end >= min_sentence.max(1)) {
        let kept: String = chars[..end].iter().collect();
        // "./." is an end mark, not part of the sentence we show.
        return match kept.strip_suffix("./.") {
            Some(sentence) => format!("{sentence}."),
            None => kept,
        };
    }
    word_cut(&chars, max_chars)
}

/// Cuts at the last word boundary within `max_chars` and appends "…".
pub fn truncate_words(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max_chars {
        return text.to_string();
    }
    word_cut(&chars, max_chars)
}

fn word_cut(chars: &[char], max_chars: usize) -> String {
    let cut = if chars.get(max_chars).is_some_and(|c| c.is_whitespace()) {
        max_chars
    } else {
        match chars[..max_chars].iter().rposition(|c| c.is_whitespace()) {
            Some(space) => space,
            // One word longer than the window: cut it, but not between a letter and its marks.
            None => {
                let mut cut = max_chars;
                while cut > 0 && is_combining(chars[cut]) {
                    cut -= 1;
                }
                cut
            }
        }
    };
    let kept: String = chars[..cut].iter().collect();
    let kept = kept.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—(/".contains(c));
    format!("{kept}…")
}

/// Combining marks that must stay with the letter before them (NFD tone marks and the like).
fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The sentences of `text`, split at the reported ends.
    fn split(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut from = 0;
        for end in sentence_ends(text) {
            out.push(chars[from..end].iter().collect::<String>().trim().to_string());
            from = end;
        }
        let rest: String = chars[from..].iter().collect();
        if !rest.trim().is_empty() {
            out.push(rest.trim().to_string());
        }
        out
    }

    #[test]
    fn vietnamese_abbreviations_and_numbers_do_not_end_sentences() {
        for (text, expected) in [
            ("Hội nghị tại TP.HCM. Sau đó về Hà Nội.", vec!["Hội nghị tại TP.HCM.", "Sau đó về Hà Nội."]),
            (
                "GS.TS. Nguyễn Văn A phát biểu. Hội nghị bế mạc.",
                vec!["GS.TS. Nguyễn Văn A phát biểu.", "Hội nghị bế mạc."],
            ),
            ("PGS.TS. Trần B và ThS. Lê C dự.", vec!["PGS.TS. Trần B và ThS. Lê C dự."]),
            ("Ông TS. Nguyễn D nói. Bà BS. Hoa đáp.", vec!["Ông TS. Nguyễn D nói.", "Bà BS. Hoa đáp."]),
            ("Trụ sở ở Q.1, TP. Hồ Chí Minh. Mới.", vec!["Trụ sở ở Q.1, TP. Hồ Chí Minh.", "Mới."]),
            ("Phát hành 1.000 cuốn. Tiếp tục.", vec!["Phát hành 1.000 cuốn.", "Tiếp tục."]),
            (
                "Nghị quyết 47/NQ-CP ngày 15/4/2024. Kết luận 57-KL/TW.",
                vec!["Nghị quyết 47/NQ-CP ngày 15/4/2024.", "Kết luận 57-KL/TW."],
            ),
            ("Tin: N. Huyền và H. Tu Mơ Rông. Hết.", vec!["Tin: N. Huyền và H. Tu Mơ Rông.", "Hết."]),
            ("Giá tăng 4,5 tỷ USD. năm sau giảm.", vec!["Giá tăng 4,5 tỷ USD. năm sau giảm."]),
            ("Tăng 12%. 15 dự án mới.", vec!["Tăng 12%. 15 dự án mới."]),
            ("Vì sao? Vì mưa! Thế thôi… Còn gì nữa", vec!["Vì sao?", "Vì mưa!", "Thế thôi…", "Còn gì nữa"]),
            ("Ông nói: “Đúng vậy.” Rồi đi.", vec!["Ông nói: “Đúng vậy.”", "Rồi đi."]),
            ("Nhà, xe, v.v. Không ai hỏi.", vec!["Nhà, xe, v.v. Không ai hỏi."]),
            (
                "Kết thúc bài viết./. Sáng 27/11, tin khác.",
                vec!["Kết thúc bài viết./.", "Sáng 27/11, tin khác."],
            ),
        ] {
            assert_eq!(split(text), expected, "sentences of {text:?}");
        }
    }

    #[test]
    fn truncate_prefers_a_late_sentence_end_then_a_word_boundary() {
        let text = "Sáng 27/11, tỉnh Hà Nam tổ chức hội nghị. Các đại biểu thảo luận về kế hoạch năm 2025.";
        for (max, expected) in [
            (200, text),
            (60, "Sáng 27/11, tỉnh Hà Nam tổ chức hội nghị."),
            (45, "Sáng 27/11, tỉnh Hà Nam tổ chức hội nghị."),
            // the sentence end at 41 is before the last third of 79: cut at a word instead
            (79, "Sáng 27/11, tỉnh Hà Nam tổ chức hội nghị. Các đại biểu thảo luận về kế hoạch…"),
            // the window ends just before a space: nothing of the next word is lost
            (80, "Sáng 27/11, tỉnh Hà Nam tổ chức hội nghị. Các đại biểu thảo luận về kế hoạch năm…"),
            (30, "Sáng 27/11, tỉnh Hà Nam tổ…"),
            // a comma before the cut is dropped
            (13, "Sáng 27/11…"),
            (4, "Sáng…"),
            (3, "Sán…"),
        ] {
            assert_eq!(truncate(text, max), expected, "truncate to {max}");
        }
        // the end mark goes with the cut
        assert_eq!(truncate("Hết bài./. Sáng 27/11, tỉnh tổ chức lễ hội lớn", 12), "Hết bài.");
        assert_eq!(truncate("", 10), "");
        assert_eq!(truncate("abc def", 0), "…");
    }

    #[test]
    fn truncate_words_cuts_at_spaces() {
        assert_eq!(truncate_words("Phát biểu tại Hội nghị, đồng chí", 22), "Phát biểu tại Hội…");
        assert_eq!(truncate_words("Ngắn gọn", 22), "Ngắn gọn");
    }

    proptest! {
        #[test]
        fn truncate_respects_length_and_words(s in "[a-zA-Zà-ỹĐđ0-9 .,!?…/\u{a0}]{0,200}", max in 0usize..120) {
            let out = truncate(&s, max);
            prop_assert!(out.chars().count() <= max + 1, "{out:?} is longer than {max} + 1");
            let trimmed = s.trim();
            if out == trimmed {
                return Ok(()); // nothing was cut
            }
            // a cut at a sentence end: whitespace follows ("./." shown as ".")
            let follows = |kept: &str| trimmed.strip_prefix(kept).is_some_and(|r| r.starts_with(char::is_whitespace));
            let sentence_cut = follows(&out)
                || out.strip_suffix('.').is_some_and(|k| follows(&format!("{k}./.")));
            if !sentence_cut {
                // a word cut: a prefix, then "…"; what follows starts a new word (or is the
                // punctuation dropped before the "…"), unless one word filled the whole window
                let body = out.strip_suffix('…').unwrap_or(&out);
                prop_assert!(trimmed.starts_with(body), "{body:?} is not a prefix of {trimmed:?}");
                let rest = &trimmed[body.len()..];
                let first_word_too_long = !trimmed.chars().take(max).any(char::is_whitespace);
                prop_assert!(
                    rest.starts_with(|c: char| c.is_whitespace() || ",;:-–—(/".contains(c))
                        || first_word_too_long,
                    "{out:?} splits a word of {trimmed:?}"
                );
            }
        }

        /// The scan that stops at a limit finds exactly the ends the whole scan finds before it.
        #[test]
        fn a_bounded_scan_finds_the_same_ends(s in "[a-zA-ZĐđà-ỹ0-9 .!?…”)/]{0,120}", limit in 0usize..130) {
            let chars: Vec<char> = s.chars().collect();
            let all: Vec<usize> = sentence_ends(&s).into_iter().filter(|&end| end <= limit).collect();
            prop_assert_eq!(ends_before(&chars, limit), all);
        }

        #[test]
        fn no_panic_on_any_string(s in any::<String>(), max in 0usize..400) {
            let out = truncate(&s, max);
            prop_assert!(out.chars().count() <= max + 1);
            let _ = sentence_ends(&s);
            let _ = truncate_words(&s, max);
        }
    }
}
