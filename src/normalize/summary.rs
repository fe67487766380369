//! The feed summary: the publisher's own lead (sapo) when there is one, else the first
//! paragraphs, without the agency tag in front or the "./." end mark, cut to the configured
//! length.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::char::is_combining_mark;

use super::boilerplate::{footer_line, is_caption, is_related};
use super::sentence::truncate;
use super::text::clean_text;

/// A source tag or dateline at the very start of a lead: "(Dân trí) - ", "(Chinhphu.vn) - ",
/// "(PLO)- ", "TPO - ", "VOV.VN - ", "GD&TĐ - ", "Baohanam.com.vn - ", an agency after a
/// place ("Hà Nội (TTXVN) - ", "Hà Nam, 27/11 (BHN) - ") and a place set in capitals
/// ("HÀ NỘI - ", "TP HCM – "). Unbracketed tags need a space after the dash so that
/// "COVID-19 …" keeps its name, and a place in mixed case stays ("Hà Nam - Ninh Bình …" is a
/// headline, not a dateline).
static LEAD_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\(\s*[^()]{2,40}?\s*\)\s*[-–—:]\s*|\p{Lu}[\p{L}.]*(?:\s+\p{Lu}[\p{L}.]*){0,3}(?:,\s*[0-9]{1,2}/[0-9]{1,2}(?:/[0-9]{2,4})?)?\s*\(\s*\p{Lu}[\p{L}\d.&]*\s*\)\s*[-–—:]\s*|\p{Lu}[\p{Lu}.]*(?:\s+\p{Lu}[\p{Lu}.]*){1,3}\s*[-–—]\s+|(?:[\p{Lu}&][\p{Lu}\d&]+(?:\.\p{L}{2,})*|[\p{L}\d-]+(?:\.\p{L}{2,})+)\s*[-–—]\s+)",
    )
    .expect("valid regex")
});

/// The end mark of party and state press ("… trong tình hình mới./."), spacing variants too.
static END_MARK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\.?\s*/\s*\.$").expect("valid regex"));

/// Paragraphs that are not the story: captions, related boxes, footer lines.
pub(super) fn not_text(paragraph: &str) -> bool {
    is_caption(paragraph) || is_related(paragraph) || footer_line(paragraph) == Some(true)
}

/// Cleans a lead: [`clean_text`], then the source tag in front and the end mark removed.
pub fn clean_lead(text: &str) -> String {
    let text = clean_text(text);
    let mut rest = text.as_str();
    // Every tag in front ("(Dân trí) - TPO - "), so that a clean lead stays as it is. The probe
    // has a word after the text, so that a tag at the very end ("TPO -") is seen as one.
    for _ in 0..8 {
        if !may_start_with_tag(rest) {
            break;
        }
        let probe = format!("{rest} x");
        match LEAD_PREFIX.find(&probe) {
            // A tag alone ("(Dân trí) -") is no lead.
            Some(m) if m.end() >= rest.len() => return String::new(),
            // A mark right after the tag has no letter to combine with (see `clean_text`).
            Some(m) => rest = rest[m.end()..].trim_start_matches(|c: char| c == ' ' || is_combining_mark(c)),
            None => break,
        }
    }
    strip_end_mark(rest)
}

/// Whether [`LEAD_PREFIX`] can match `text` (followed by " x"). Every tag it knows ends with a
/// dash and whitespace within its first five words (a desk name, a place in capitals, a
/// domain), or with a closing bracket and a dash or colon within its first 24 (a bracket holds
/// at most 40 characters). Most leads have neither, and then the regex (whose Unicode classes
/// take milliseconds to compile) is never needed.
fn may_start_with_tag(text: &str) -> bool {
    let mut words = 0;
    let mut in_space = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            in_space = true;
            continue;
        }
        if in_space {
            in_space = false;
            words += 1;
            if words > 24 {
                return false;
            }
        }
        match c {
            // a dash then whitespace; at the very end, the probe's " x" is the whitespace
            '-' | '–' | '—' if words <= 5 && chars.peek().is_none_or(|n| n.is_whitespace()) => {
                return true;
            }
            ')' => {
                let mut after = chars.clone().skip_while(|n| n.is_whitespace());
                if after.next().is_some_and(|n| matches!(n, '-' | '–' | '—' | ':')) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Removes a trailing "./." (keeping the full stop).
pub fn strip_end_mark(text: &str) -> String {
    let mut text = text.to_string();
    // Until none is left ("…/./." found by fuzzing), so that a clean lead stays as it is.
    while let Some(m) = END_MARK.find(&text).filter(|m| m.start() > 0) {
        text = format!("{}.", text[..m.start()].trim_end());
    }
    text
}

/// The first text of an article: its cleaned lead, else its first paragraph that is not a
/// caption. What a title is derived from when the page has none.
pub fn first_text<S: AsRef<str>>(sapo: Option<&str>, paragraphs: &[S]) -> Option<String> {
    sapo.map(clean_lead)
        .filter(|lead| !lead.is_empty())
        .or_else(|| paragraphs.iter().map(|p| clean_lead(p.as_ref())).find(|p| !p.is_empty() && !not_text(p)))
}

/// The summary of an item, at most `max_chars` characters (an ellipsis included).
///
/// The sapo when it has text; otherwise the first paragraphs that are not captions, joined
/// until there is enough text. Empty when there is no text at all.
pub fn summary<S: AsRef<str>>(sapo: Option<&str>, paragraphs: &[S], max_chars: usize) -> String {
    summary_of(sapo, || paragraphs, max_chars)
}

/// [`summary`], the paragraphs worked out only when the sapo has no text.
pub(super) fn summary_of<'a, S: AsRef<str> + 'a>(
    sapo: Option<&str>,
    paragraphs: impl FnOnce() -> &'a [S],
    max_chars: usize,
) -> String {
    let lead = sapo.map(clean_lead).unwrap_or_default();
    let text = if lead.is_empty() {
        let mut joined = String::new();
        for paragraph in paragraphs() {
            let cleaned = clean_lead(paragraph.as_ref());
            if cleaned.is_empty() || not_text(&cleaned) {
                continue;
            }
            if !joined.is_empty() {
                joined.push(' ');
            }
            joined.push_str(&cleaned);
            if joined.chars().count() >= max_chars {
                break;
            }
        }
        // A paragraph that was only a tag ("(Dân trí) -") leaves it in front of the next one.
        clean_lead(&joined)
    } else {
        lead
    };
    fit(&text, max_chars)
}

/// `text` cut so that it fits in `max_chars` even with the "…" that [`truncate`] may add.
pub fn fit(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        truncate(text, max_chars.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The prefilter never hides a tag from the regex.
        #[test]
        fn the_prefilter_lets_every_tag_through(
            s in "(\\(|\\)|-|–|—|:| |  |\u{a0}|\\.|,|&|TPO|Hà|NỘI|VOV|vn|27/11|x|Dân trí|a b c d e f g)*"
        ) {
            if LEAD_PREFIX.is_match(&format!("{s} x")) {
                prop_assert!(may_start_with_tag(&s), "{:?}", s);
            }
        }
    }

    #[test]
    fn leads_without_a_tag_skip_the_regex() {
        for lead in
            ["Chiều 26/10, Hà Nội đề xuất mở rộng tuyến metro số 2.", "Giá lúa (tăng 5%) trong năm nay."]
        {
            assert!(!may_start_with_tag(lead), "{lead}");
        }
        for lead in ["TPO - Mưa lớn.", "(PLO)- Tòa tuyên án.", "(Dân trí):Sáng nay", "TPO -"] {
            assert!(may_start_with_tag(lead), "{lead}");
        }
    }

    #[test]
    fn strips_lead_prefixes_and_end_marks() {
        for (lead, expected) in [
            ("(Dân trí) - Sáng 27/11, Quốc hội thảo luận.", "Sáng 27/11, Quốc hội thảo luận."),
            ("(Chinhphu.vn) - Thủ tướng dự hội nghị.", "Thủ tướng dự hội nghị."),
            ("TPO - Mưa lớn kéo dài.", "Mưa lớn kéo dài."),
            ("VOV.VN - Giá xăng giảm.", "Giá xăng giảm."),
            ("(NLĐO) - Công nhân nhận thưởng Tết.", "Công nhân nhận thưởng Tết."),
            ("(PLO)- Tòa tuyên án.", "Tòa tuyên án."),
            ("Hà Nội (TTXVN) - Sáng nay, Quốc hội họp.", "Sáng nay, Quốc hội họp."),
            ("Hà Nam, 27/11 (BHN) - Tỉnh tổ chức lễ hội.", "Tỉnh tổ chức lễ hội."),
            ("HÀ NỘI - Người dân đổ ra đường.", "Người dân đổ ra đường."),
            ("TP HCM – Giá nhà tăng.", "Giá nhà tăng."),
            ("NGHỆ AN - Lũ lên nhanh.", "Lũ lên nhanh."),
            (
                "(BHN) - Ngày 19/11, tại Trụ sở Tiếp công dân tỉnh.",
                "Ngày 19/11, tại Trụ sở Tiếp công dân tỉnh.",
            ),
            ("GD&TĐ - Học sinh đi học lại.", "Học sinh đi học lại."),
            ("Baohanam.com.vn - Tỉnh Hà Nam họp.", "Tỉnh Hà Nam họp."),
            ("(Baohanam.vn) – Sáng nay, tỉnh họp.", "Sáng nay, tỉnh họp."),
            ("Kết thúc hội nghị./.", "Kết thúc hội nghị."),
            ("Kết thúc hội nghị ./. ", "Kết thúc hội nghị."),
            ("Kết thúc hội nghị. /.", "Kết thúc hội nghị."),
            // found by fuzzing: a slash before the end mark
            ("Kết thúc hội nghị/./.", "Kết thúc hội nghị."),
            ("(Dân trí) - Tỉnh đạt kết quả tốt./.", "Tỉnh đạt kết quả tốt."),
            // not tags
            ("COVID-19 lan rộng ở nhiều tỉnh.", "COVID-19 lan rộng ở nhiều tỉnh."),
            ("Hà Nam - Ninh Bình hợp nhất.", "Hà Nam - Ninh Bình hợp nhất."),
            (
                "Ông Nguyễn Văn A (Chủ tịch UBND tỉnh) - người đứng đầu.",
                "Ông Nguyễn Văn A (Chủ tịch UBND tỉnh) - người đứng đầu.",
            ),
            ("UBND tỉnh vừa họp.", "UBND tỉnh vừa họp."),
            ("Tỉ lệ 1/2 dân số.", "Tỉ lệ 1/2 dân số."),
            // a tag alone is no lead
            ("(Dân trí) - ", ""),
            ("TPO -", ""),
            ("./.", "./."),
        ] {
            assert_eq!(clean_lead(lead), expected, "lead {lead:?}");
        }
    }

    #[test]
    fn prefers_the_sapo_then_paragraphs() {
        let paragraphs = [
            "Ảnh: Hồng Duy",
            "Sáng 27/11, tỉnh Hà Nam tổ chức hội nghị.",
            "Các đại biểu thảo luận về kế hoạch năm 2025.",
            "Hội nghị bế mạc lúc 11 giờ.",
        ];
        assert_eq!(summary(Some("(Dân trí) - Sapo của bài./."), &paragraphs, 300), "Sapo của bài.");
        assert_eq!(
            summary(Some("  "), &paragraphs, 300),
            "Sáng 27/11, tỉnh Hà Nam tổ chức hội nghị. Các đại biểu thảo luận về kế hoạch năm 2025. Hội nghị bế mạc lúc 11 giờ."
        );
        assert_eq!(
            summary(None, &paragraphs, 100),
            "Sáng 27/11, tỉnh Hà Nam tổ chức hội nghị. Các đại biểu thảo luận về kế hoạch năm 2025."
        );
        assert_eq!(summary(None, &paragraphs, 30), "Sáng 27/11, tỉnh Hà Nam tổ…");
        assert_eq!(summary::<&str>(None, &[], 300), "");
    }

    #[test]
    fn first_text_skips_captions() {
        let paragraphs = ["Ảnh: Hồng Duy", "(Baohanam.com.vn) - Sáng 27/11, tỉnh họp./."];
        assert_eq!(first_text(None, &paragraphs).as_deref(), Some("Sáng 27/11, tỉnh họp."));
        assert_eq!(first_text(Some("TPO - Sapo."), &paragraphs).as_deref(), Some("Sapo."));
        assert_eq!(first_text(Some(" "), &["Ảnh: A"]), None);
    }

    #[test]
    fn summaries_fit_the_configured_length() {
        let long =
            "Phát biểu tại Hội nghị, đồng chí Bùi Đức Hinh nêu rõ nhiều nhiệm vụ quan trọng ".repeat(10);
        for max in [1, 2, 10, 50, 300] {
            let s = summary(Some(long.as_str()), &[] as &[&str], max);
            assert!(s.chars().count() <= max, "{s:?} longer than {max}");
        }
    }
}
