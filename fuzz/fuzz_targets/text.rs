//! The text normalizer on arbitrary bytes: clean text is NFC, XML-safe and a fixpoint; titles,
//! leads and summaries keep to their lengths and never split a character; HTML bodies come out
//! sanitized; story paragraphs are a fixpoint.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tinfeed::normalize::{
    body_paragraphs, clean_body, clean_lead, clean_text, clean_title, derive_title, is_xml_char, summary,
    truncate,
};
use unicode_normalization::is_nfc;
use url::Url;

fn clean(s: &str) -> bool {
    is_nfc(s) && s.chars().all(|c| is_xml_char(c) && !c.is_control())
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    let cleaned = clean_text(&text);
    assert!(clean(&cleaned), "{cleaned:?}");
    assert_eq!(clean_text(&cleaned), cleaned, "clean_text is not idempotent on {text:?}");

    if let Some(title) = clean_title(&text, "Báo Hà Nam") {
        assert!(clean(&title) && !title.is_empty());
        assert_eq!(clean_title(&title, "Báo Hà Nam").as_deref(), Some(title.as_str()));
    }
    if let Some(title) = derive_title(&text) {
        assert!(clean(&title) && title.chars().count() <= 151, "{title:?}");
    }
    let lead = clean_lead(&text);
    assert_eq!(clean_lead(&lead), lead, "clean_lead is not idempotent on {text:?}");

    let max = data.first().map_or(0, |&b| usize::from(b));
    let cut = truncate(&cleaned, max);
    assert!(cut.chars().count() <= max + 1, "{cut:?} longer than {max}");
    let lines: Vec<&str> = text.lines().collect();
    let s = summary(None, &lines, max.max(1));
    assert!(s.chars().count() <= max.max(1) && clean(&s), "{s:?}");

    let story = body_paragraphs(&lines, Some("Hồng Duy"));
    assert_eq!(body_paragraphs(&story, Some("Hồng Duy")), story, "story paragraphs are not a fixpoint");

    let base = Url::parse("https://baohanam.com.vn/thoi-su/bai-123456.html").expect("valid");
    if let Some(html) = clean_body(&text, &base, Some("Hồng Duy"), Some(&lead)) {
        assert!(is_nfc(&html) && html.chars().all(is_xml_char), "{html:?}");
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script") && !lower.contains("<iframe"), "{html}");
    }
});
