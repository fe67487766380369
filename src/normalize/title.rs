//! Item titles: the site's name stripped ("… - Báo Hà Nam"), or a title derived from the text
//! when the page has none (plain-text articles).

use super::sentence::{sentence_ends, truncate_words};
use super::text::{clean_text, fold};

/// Separators between a title and the site name, with the spaces around them so that
/// "Covid-19" or "A-B" are never split.
const SEPARATORS: &[&str] = &[" - ", " | ", " – ", " — ", " :: ", " · ", " / "];

/// Outlets whose name sites append to titles even when it differs from our configured site
/// title (syndicated items, `og:title` copied from a partner). Compared whole, folded.
const KNOWN_OUTLETS: &[&str] = &[
    "VnExpress",
    "VnExpress.net",
    "Tuổi Trẻ",
    "Tuổi Trẻ Online",
    "Thanh Niên",
    "Dân trí",
    "VietNamNet",
    "ZNews",
    "Zing News",
    "VOV",
    "VTV",
    "VTV.vn",
    "Nhân Dân",
    "Tiền Phong",
    "Lao Động",
    "Người Lao Động",
    "CafeF",
    "VietnamPlus",
    "Vietnam+",
    "Báo Chính phủ",
    "baochinhphu.vn",
    "Đảng Cộng sản Việt Nam",
    "CAND",
    "PLO",
    "SGGP",
];

/// A derived title longer than this is cut at a word boundary within it (before the "…").
pub const DERIVED_TITLE_CHARS: usize = 120;
/// A first sentence up to this length is kept whole: a whole sentence reads better than a cut
/// one a few words shorter.
pub const WHOLE_SENTENCE_CHARS: usize = 150;

/// Cleans a page title and strips the site name around it. `None` when nothing is left.
///
/// A trailing " - X" (or " | X", " – X" …) segment goes when X contains the site title (case-
/// and tone-insensitive), is a known outlet name, is a bare domain, or is a paper's name
/// ("Báo " and then a capitalised word or "điện tử", so "Báo động đỏ" and "Báo cáo" stay). A
/// leading "X - " goes only when X is the site title itself (perhaps plus "điện tử"/"online"):
/// a leading segment is far more often part of the headline ("Hà Nam - Ninh Bình …").
/// The title is never stripped to nothing.
pub fn clean_title(raw: &str, site_title: &str) -> Option<String> {
    let mut title = clean_text(raw);
    let site = fold(site_title);
    // Until none is left ("Tin - Báo Hà Nam điện tử | baohanam.com.vn"), so that cleaning a
    // clean title changes nothing; each round removes a segment, so the bound is never reached.
    for _ in 0..16 {
        match strip_suffix(&title, &site) {
            Some(stripped) => title = stripped,
            None => break,
        }
    }
    for _ in 0..16 {
        match strip_prefix(&title, &site) {
            Some(stripped) => title = stripped,
            None => break,
        }
    }
    (!title.is_empty()).then_some(title)
}

fn strip_suffix(title: &str, site: &str) -> Option<String> {
    let (at, sep) = SEPARATORS
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|at| (at, sep.len())))
        .max_by_key(|&(at, _)| at)?;
    let (head, tail) = (title[..at].trim(), title[at + sep..].trim());
    (!head.is_empty() && is_site_name(tail, site)).then(|| head.to_string())
}

fn strip_prefix(title: &str, site: &str) -> Option<String> {
    let (at, sep) = SEPARATORS
        .iter()
        .filter_map(|sep| title.find(sep).map(|at| (at, sep.len())))
        .min_by_key(|&(at, _)| at)?;
    let (head, tail) = (title[..at].trim(), title[at + sep..].trim());
    let folded = fold(head);
    let is_site = [String::new(), " dien tu".into(), " online".into()]
        .iter()
        .any(|extra| folded == format!("{site}{extra}"));
    (!tail.is_empty() && !site.is_empty() && is_site).then(|| tail.to_string())
}

/// Whether a title segment names the site or a newspaper rather than saying something.
fn is_site_name(segment: &str, site: &str) -> bool {
    let folded = fold(segment);
    if folded.is_empty() {
        return false;
    }
    if !site.is_empty() && contains_words(&folded, site) {
        return true;
    }
    if KNOWN_OUTLETS.iter().any(|name| fold(name) == folded) {
        return true;
    }
    is_domain(segment) || is_paper_name(segment)
}

/// `haystack` contains `needle` as whole words (both folded).
fn contains_words(haystack: &str, needle: &str) -> bool {
    format!(" {haystack} ").contains(&format!(" {needle} "))
}

/// "baohanam.com.vn", "Dantri.com.vn": one token with a dot and a known top-level domain.
fn is_domain(segment: &str) -> bool {
    let lower = segment.to_lowercase();
    !lower.contains(char::is_whitespace)
        && lower.contains('.')
        && [".vn", ".com", ".net", ".org"].iter().any(|tld| lower.ends_with(tld))
}

/// "Báo Hà Nam", "Báo Thanh Hóa điện tử", "Báo điện tử Chính phủ": a paper's name is "Báo"
/// followed by a proper noun; "Báo cáo …", "Báo động đỏ" are words, not names. Short, too.
fn is_paper_name(segment: &str) -> bool {
    let mut words = segment.split_whitespace();
    let (Some(first), Some(second)) = (words.next(), words.next()) else {
        return false;
    };
    let first_ok = fold(first) == "bao" && first.starts_with(['B', 'b']);
    let second_ok = second.starts_with(char::is_uppercase) || fold(second) == "dien";
    first_ok && second_ok && segment.split_whitespace().count() <= 8
}

/// A title made from body text: the first sentence (a trailing full stop dropped), whole up to
/// [`WHOLE_SENTENCE_CHARS`], else cut at a word boundary within [`DERIVED_TITLE_CHARS`] with
/// "…". `None` for empty text.
pub fn derive_title(text: &str) -> Option<String> {
    let text = clean_text(text);
    let first = match sentence_ends(&text).first() {
        Some(&end) => text.chars().take(end).collect::<String>(),
        None => text,
    };
    let first = first.trim_end_matches("./.").trim_end_matches('.').trim();
    let title = if first.chars().count() <= WHOLE_SENTENCE_CHARS {
        first.to_string()
    } else {
        truncate_words(first, DERIVED_TITLE_CHARS)
    };
    // a title is derived from prose, not from a few stray characters of a broken page
    let words = title.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
    (words >= MIN_DERIVED_WORDS).then_some(title)
}

/// Fewer words than this make no title: the page is more likely broken than an article.
const MIN_DERIVED_WORDS: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_title_is_derived_from_scraps() {
        assert_eq!(derive_title("ÿþ"), None);
        assert_eq!(derive_title("… - ."), None);
        assert_eq!(derive_title("Hà Nam"), None);
        assert_eq!(derive_title("Hà Nam mưa to."), Some("Hà Nam mưa to".to_string()));
    }

    #[test]
    fn strips_site_names() {
        for (raw, site, expected) in [
            ("Khai mạc lễ hội chùa Tam Chúc - Báo Hà Nam", "Báo Hà Nam", "Khai mạc lễ hội chùa Tam Chúc"),
            ("Khai mạc lễ hội | Báo Hà Nam điện tử", "Báo Hà Nam", "Khai mạc lễ hội"),
            ("Khai mạc lễ hội – BÁO HÀ NAM", "Báo Hà Nam", "Khai mạc lễ hội"),
            ("Khai mạc lễ hội - Bao Ha Nam", "Báo Hà Nam", "Khai mạc lễ hội"),
            ("Giá vàng hôm nay - VnExpress", "Báo Hà Nam", "Giá vàng hôm nay"),
            ("Giá vàng hôm nay - Báo Ninh Bình", "Báo Hà Nam", "Giá vàng hôm nay"),
            ("Giá vàng - Báo điện tử Chính phủ", "Báo Hà Nam", "Giá vàng"),
            ("Tin mới - baohanam.com.vn", "Báo Hà Nam", "Tin mới"),
            ("Tin mới - Chính trị - Báo Hà Nam", "Báo Hà Nam", "Tin mới - Chính trị"),
            ("Tin mới - Báo Hà Nam | baohanam.com.vn", "Báo Hà Nam", "Tin mới"),
            ("Báo Hà Nam - Tin mới trong ngày", "Báo Hà Nam", "Tin mới trong ngày"),
            ("Báo Hà Nam | Tin mới", "Báo Hà Nam", "Tin mới"),
            ("  Tin &quot;nóng&quot;\n - Báo Hà Nam ", "Báo Hà Nam", "Tin \"nóng\""),
            ("Giá vàng\r\nhôm nay | VnExpress", "Báo Hà Nam", "Giá vàng hôm nay"),
            ("Giá xăng giảm - Tuổi Trẻ Online", "Báo Hà Nam", "Giá xăng giảm"),
            ("Mưa lớn &amp;amp; lũ quét - VOV.VN", "Báo Hà Nam", "Mưa lớn & lũ quét"),
            ("Báo Hà Nam điện tử - Báo Hà Nam - Lễ hội", "Báo Hà Nam", "Lễ hội"),
            (
                "Thủ tướng dự hội nghị - Báo điện tử Chính phủ - baochinhphu.vn",
                "Báo Hà Nam",
                "Thủ tướng dự hội nghị",
            ),
        ] {
            assert_eq!(clean_title(raw, site).as_deref(), Some(expected), "title {raw:?}");
        }
    }

    #[test]
    fn keeps_segments_that_are_not_site_names() {
        for (raw, site) in [
            ("Hà Nam - Ninh Bình hợp nhất", "Báo Hà Nam"),
            ("Doanh nghiệp nộp chậm - Báo cáo mới nhất", "Báo Hà Nam"),
            ("Quảng Nam - Báo động đỏ vì mưa lũ", "Báo Hà Nam"),
            ("Covid-19: số ca mắc giảm", "Báo Hà Nam"),
            ("Phóng viên Hà Nam - VietNamNet đưa tin", "Hà Nam"),
            ("Giá vàng - Dân trí tăng", "Báo Hà Nam"),
        ] {
            assert_eq!(clean_title(raw, site).as_deref(), Some(clean_text(raw).as_str()), "title {raw:?}");
        }
    }

    #[test]
    fn never_leaves_an_empty_title() {
        assert_eq!(clean_title("Báo Hà Nam", "Báo Hà Nam").as_deref(), Some("Báo Hà Nam"));
        assert_eq!(clean_title(" - Báo Hà Nam", "Báo Hà Nam").as_deref(), Some("- Báo Hà Nam"));
        assert_eq!(clean_title("Báo Hà Nam - ", "Báo Hà Nam").as_deref(), Some("Báo Hà Nam -"));
        assert_eq!(clean_title(" \u{a0}", "Báo Hà Nam"), None);
        assert_eq!(clean_title("Tin - Báo Hà Nam", "").as_deref(), Some("Tin"));
    }

    #[test]
    fn derives_titles_from_text() {
        for (text, expected) in [
            (
                "Sáng 27/11, tỉnh tổ chức hội nghị. Các đại biểu thảo luận.",
                Some("Sáng 27/11, tỉnh tổ chức hội nghị"),
            ),
            (
                "GS.TS. Nguyễn Văn A nhận giải. Lễ trao giải diễn ra tại TP.HCM.",
                Some("GS.TS. Nguyễn Văn A nhận giải"),
            ),
            ("Vì sao giá vàng tăng? Chuyên gia giải thích.", Some("Vì sao giá vàng tăng?")),
            ("Hội nghị kết thúc tốt đẹp./.", Some("Hội nghị kết thúc tốt đẹp")),
            ("Hết bài./.", None),
            // 131 characters: kept whole, "TP." is not a sentence end
            (
                "Chiều 25/11, tại TP. Phủ Lý, Ban Dân vận Tỉnh ủy tổ chức Hội nghị tổng kết công tác dân vận năm 2026, triển khai nhiệm vụ năm 2027. Dự hội nghị có lãnh đạo.",
                Some(
                    "Chiều 25/11, tại TP. Phủ Lý, Ban Dân vận Tỉnh ủy tổ chức Hội nghị tổng kết công tác dân vận năm 2026, triển khai nhiệm vụ năm 2027",
                ),
            ),
            // 155 characters: cut within 120
            (
                "Ban Tuyên giáo Trung ương và Ban Chỉ đạo Nhân quyền của Chính phủ phối hợp với Tỉnh ủy Hòa Bình vừa tổ chức Hội nghị tập huấn công tác thông tin đối ngoại.",
                Some(
                    "Ban Tuyên giáo Trung ương và Ban Chỉ đạo Nhân quyền của Chính phủ phối hợp với Tỉnh ủy Hòa Bình vừa tổ chức Hội nghị tập…",
                ),
            ),
            ("   ", None),
            ("./.", None),
        ] {
            assert_eq!(derive_title(text).as_deref(), expected, "derived from {text:?}");
        }
    }
}
