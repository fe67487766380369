//! Paragraphs that are not the story: photo captions, "Tin liên quan"/"Xem thêm" boxes, the
//! paper's footer (licence, editor, address, phone, e-mail, copyright), related-article teasers
//! scraped after the end of a story, and the byline at its end.
//!
//! Every rule judges a whole paragraph and removes whole paragraphs: text is never cut out of
//! the middle of a sentence. That is what keeps a reporter called "Hà Nam" (VietNamNet has one)
//! from deleting the province from the story: a byline is only ever a short, name-like
//! paragraph at the very end.

use std::sync::LazyLock;

use regex::Regex;

use super::text::{clean_text, fold};

/// One paragraph as the rules see it.
#[derive(Debug, Clone, Default)]
pub struct Para<'a> {
    /// Clean text (see [`clean_text`]).
    pub text: &'a str,
    /// Right-aligned or entirely bold/italic: how papers set a byline.
    pub emphasized: bool,
    /// All of its text is link text (a list of related articles).
    pub links_only: bool,
    /// A `<figure>`: its text is a caption and stays with its picture.
    pub figure: bool,
}

/// How strict to be with a body.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Cut after the first paragraph that ends with "./." (plain-text articles, where what
    /// follows is the teasers and the footer of the page they were scraped from).
    pub cut_at_end_mark: bool,
    /// Drop caption paragraphs ("Ảnh: …") wherever they are (text bodies, which have no
    /// pictures for them to describe). HTML keeps them next to their images.
    pub drop_captions: bool,
}

/// "Ảnh: …", "Ảnh minh họa", "Video: …", "Nguồn: …", "Bài và ảnh: …" at the start of a line.
static CAPTION_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:ảnh(?: minh họa| minh hoạ| tư liệu| chụp màn hình)?|video|clip|đồ họa|đồ hoạ|infographic|nguồn(?: ảnh)?|xử lý ảnh|thiết kế|bài(?: và|,) ảnh|tin(?: và|,) ảnh|ảnh và bài)\s*(?:[:.]|$)",
    )
    .expect("valid regex")
});
/// A short paragraph ending with a photo credit: "Quang cảnh hội nghị. Ảnh: Hoàng Anh",
/// "Đại biểu dự lễ (Ảnh: TTXVN)".
static CAPTION_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[.\s]\s*|\(\s*)(?i:ảnh|nguồn ảnh|ảnh minh họa|ảnh minh hoạ)\s*:\s*[^.:;()]{1,50}\)?\.?$")
        .expect("valid regex")
});
/// Related-article boxes and page widgets: the marker, then nothing or a colon and links.
static RELATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(?:tin|bài|tin bài|tin tức|bài viết) liên quan|(?:xem|đọc) thêm|tin cùng chuyên mục|(?:các )?tin khác|tin mới hơn|tin cũ hơn|chủ đề|từ khóa|từ khoá|tags?)\s*(?::|$)|^(?i:xem thêm video|xem chi tiết tại đây|xem chi tiết:|mời (?:quý )?(?:độc giả|bạn đọc) xem|to view this video please enable javascript|video đang được xem nhiều|bạn đang đọc bài viết)",
    )
    .expect("valid regex")
});
/// Footer lines that are never story text, but for the two that end in a word boundary
/// ([`is_strong_footer`]): Unicode word classes (`\b`, `[^\w]`) made this pattern ten times as
/// costly to compile (3 ms, which every short run pays) and the fast engine give up on
/// Vietnamese text.
static FOOTER_STRONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(?:phó )?tổng biên tập\s*:|(?:nghiêm )?cấm sao chép|bản quyền (?:thuộc|©|\(c\))|©|ghi rõ nguồn|mọi hình thức sao chép|chịu trách nhiệm (?:xuất bản|nội dung)|cơ quan (?:chủ quản|của đảng bộ|ngôn luận)|trụ sở (?:chính|tòa soạn)\s*:|tòa soạn\s*:)",
    )
    .expect("valid regex")
});
/// Footer lines that could start a story paragraph too: only dropped next to another footer line.
static FOOTER_WEAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:địa chỉ|điện thoại|đt|tel|hotline|đường dây nóng|fax|e-?mail|website|liên hệ quảng cáo)\s*:",
    )
    .expect("valid regex")
});
/// A teaser of another article: a time stamp first ("Sáng 27/11, …", "Chiều 25-11, …"), the
/// date ending a word ([`is_teaser`] looks, as [`FOOTER_STRONG`] explains).
static TEASER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(?:rạng |sáng |chiều |tối )?(?:sáng|trưa|chiều|tối|đêm|ngày)(?: qua| nay)?|hôm (?:qua|nay))\s+\(?[0-9]{1,2}[/-][0-9]{1,2}",
    )
    .expect("valid regex")
});
/// What a byline says before the names: "Bài và ảnh:", "Ảnh:", "Tin:", "Theo".
static BYLINE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(?:bài|tin|ảnh|video|clip)(?:(?: và|,) (?:ảnh|bài|video))?\s*:|nhóm phóng viên|nhóm pv)\s*",
    )
    .expect("valid regex")
});
/// Attribution lines: "Theo Forbes", "Theo TTXVN", "Nguồn: VTV", "(Theo Dân trí)".
static ATTRIBUTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\(?(?i:theo|nguồn\s*:)\s+[^,.;:!?]{1,60}\)?\.?$").expect("valid regex"));
/// A remark after the names: "(theo ChinaDaily)", "(tổng hợp)", "/VOV.VN", "- TTXVN".
static BYLINE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\s*(?:\((?i:theo|tổng hợp|lược dịch|dịch|tt)[^()]*\)|/\s*\S+|\s[-–]\s*(?:TTXVN|VNA|VOV|PV))$",
    )
    .expect("valid regex")
});

/// Agency and desk signatures that are a byline on their own.
const AGENCIES: &[&str] =
    &["pv", "ptv", "ctv", "btv", "ttxvn", "vna", "vov", "pv ttxvn", "nhom pv", "phong vien"];

/// Longest paragraph, in characters, that may be a byline.
const BYLINE_CHARS: usize = 80;
/// Longest footer or teaser line, in characters: longer is a story paragraph.
const FOOTER_CHARS: usize = 300;
const TEASER_CHARS: usize = 600;
/// More byline-like paragraphs than this at the end are a list of names in the story.
const MAX_BYLINES: usize = 3;

/// A photo or video caption line (not story text).
pub fn is_caption(text: &str) -> bool {
    // a credit at the end has its colon ("Ảnh: …"): a paragraph without one (most story text)
    // is settled without the slower end-anchored search
    CAPTION_START.is_match(text)
        || (text.contains(':') && text.chars().count() <= 250 && CAPTION_END.is_match(text))
}

/// The heading or line of a related-articles box, or a widget's text.
pub fn is_related(text: &str) -> bool {
    RELATED.is_match(text)
}

/// A line of a paper's footer: `Some(true)` when it can only be a footer, `Some(false)` when it
/// is one only next to another footer line ("Địa chỉ: …", "Email: …").
pub fn footer_line(text: &str) -> Option<bool> {
    if text.chars().count() > FOOTER_CHARS {
        return None;
    }
    if is_strong_footer(text) || is_paper_masthead(text) {
        Some(true)
    } else if FOOTER_WEAK.is_match(text) {
        Some(false)
    } else {
        None
    }
}

/// [`FOOTER_STRONG`], or a licence ("Giấy phép xuất bản số …": "số" or "GP" within 80
/// characters) or copyright line.
fn is_strong_footer(text: &str) -> bool {
    FOOTER_STRONG.is_match(text) || is_licence(text) || after_word(text, "copyright").is_some()
}

fn is_licence(text: &str) -> bool {
    let Some(rest) = after_word(text, "giấy phép") else { return false };
    // the character after the words, then at most 79 more before "số"
    let mut chars = rest.chars();
    if chars.next().is_none_or(|c| c == '\n') {
        return false;
    }
    let rest = chars.as_str();
    for (n, (at, c)) in rest.char_indices().enumerate() {
        let here = &rest[at..];
        if starts_with_caseless(here, "số") || starts_with_caseless(here, "gp") {
            return true;
        }
        if n == 79 || c == '\n' {
            return false;
        }
    }
    false
}

/// What follows `word` at the start of `text` (in any case, as `(?i)` matches), when a word
/// ends there: `\b` told without a regex.
fn after_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let rest = strip_prefix_caseless(text, word)?;
    (!rest.chars().next().is_some_and(regex_syntax::is_word_character)).then_some(rest)
}

fn starts_with_caseless(text: &str, word: &str) -> bool {
    strip_prefix_caseless(text, word).is_some()
}

/// `text` without `word` at its start, compared as a `(?i)` pattern compares (simple case
/// folding: "ſ" is an "s"). `word` is in lower case.
fn strip_prefix_caseless<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let mut chars = text.chars();
    for expected in word.chars() {
        let c = chars.next()?;
        let same =
            c == expected || (c == 'ſ' && expected == 's') || c.to_lowercase().eq(std::iter::once(expected));
        if !same {
            return None;
        }
    }
    Some(chars.as_str())
}

/// "BÁO HÀ NAM ĐIỆN TỬ", "BÁO ĐIỆN TỬ CHÍNH PHỦ": a paper's name set in capitals.
fn is_paper_masthead(text: &str) -> bool {
    // a story line has a small letter within its first word: stop there
    let mut letters = 0;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    // folding is the costly part: only for the rare line set in capitals
    letters >= 6 && {
        let folded = fold(text);
        (folded.starts_with("bao ") || folded.starts_with("tap chi ")) && folded.split(' ').count() <= 10
    }
}

/// A teaser of another article ("Sáng 27/11, …"), as scraped pages list after the story.
pub fn is_teaser(text: &str) -> bool {
    text.chars().count() <= TEASER_CHARS
        && TEASER.find(text).is_some_and(|date| {
            !text[date.end()..].chars().next().is_some_and(regex_syntax::is_word_character)
        })
}

/// Whether a paragraph at the end of a story is its byline: the configured `author`, an
/// agency ("PV", "TTXVN"), an attribution ("Theo Forbes"), names ("Hoài Phương - Đức Đồng",
/// "N. Huyền", "Xuân Bình (theo ChinaDaily)"), or anything short set right-aligned or bold.
pub fn is_byline(para: &Para, author: Option<&str>) -> bool {
    let text = para.text.trim();
    let chars = text.chars().count();
    if chars == 0 || chars > BYLINE_CHARS || para.figure {
        return false;
    }
    let folded = fold(text);
    if author.map(fold).is_some_and(|a| !a.is_empty() && a == folded) || AGENCIES.contains(&folded.as_str()) {
        return true;
    }
    if ATTRIBUTION.is_match(text) || is_caption(text) {
        return true;
    }
    let words = text.split_whitespace().count();
    if para.emphasized && words <= 8 && !text.ends_with(['?', '!', ':']) {
        return true;
    }
    is_names(text)
}

/// "Hồng Duy", "Hoài Phương - Đức Đồng", "N. Huyền", "T.Nhung", "Minh Anh/VOV.VN",
/// "Bài và ảnh: Thu Hương": every word capitalised, a few words per name.
fn is_names(text: &str) -> bool {
    let text = BYLINE_LABEL.replace(text, "");
    let text = BYLINE_TAIL.replace(&text, "");
    let text = text.trim().trim_end_matches('.');
    if text.is_empty() {
        return false;
    }
    let mut words = 0;
    for name in text.split([',', '-', '–', '&']).flat_map(|n| n.split(" và ")) {
        let name_words: Vec<&str> = name.split_whitespace().collect();
        if name_words.is_empty() || name_words.len() > 5 {
            return false;
        }
        words += name_words.len();
        if !name_words.iter().all(|w| is_name_word(w)) {
            return false;
        }
    }
    words <= 10
}

/// "Huyền", "N.", "T.Nhung", "TTXVN": letters (and initials' dots), capitalised.
fn is_name_word(word: &str) -> bool {
    word.starts_with(char::is_uppercase) && word.chars().all(|c| c.is_alphabetic() || c == '.')
}

/// Whether the paragraph is only the end mark "./.".
fn is_end_mark(text: &str) -> bool {
    // the last three characters that are not whitespace, last first
    let mut tail = text.chars().rev().filter(|c| !c.is_whitespace());
    matches!((tail.next(), tail.next(), tail.next()), (Some('.'), Some('/'), Some('.') | None))
}

/// Which paragraphs to keep. Applied in this order:
/// 1. with `cut_at_end_mark`, everything after the first paragraph ending in "./." goes (and
///    "./." on a line of its own goes too);
/// 2. the footer: from the first footer line that is strong or has a footer line next to it,
///    to the end; the teasers just before it ("Sáng 27/11, …") go with it;
/// 3. related boxes anywhere (a marker line, and the list of links after a bare marker),
///    captions when `drop_captions`;
/// 4. bylines at the end: a run of at most three (a body that is only a name is no story).
pub fn keep(paras: &[Para], author: Option<&str>, policy: Policy) -> Vec<bool> {
    let mut keep = vec![true; paras.len()];
    let end = end_of_story(paras, policy.cut_at_end_mark);
    for flag in &mut keep[end..] {
        *flag = false;
    }
    let mut i = 0;
    while i < end {
        let p = &paras[i];
        if is_related(p.text) && !p.figure {
            keep[i] = false;
            // A bare heading ("Tin liên quan") is followed by its list of links.
            let bare = p.text.trim_end_matches(':').split_whitespace().count() <= 4;
            if bare && paras.get(i + 1).is_some_and(|next| next.links_only) && i + 1 < end {
                keep[i + 1] = false;
                i += 1;
            }
        } else if policy.drop_captions && is_caption(p.text) {
            keep[i] = false;
        }
        i += 1;
    }
    // Bylines: the trailing run of byline-like paragraphs (pictures without text are passed
    // over). A run longer than three is a list of names in the story, and stays.
    let with_text: Vec<usize> = (0..end).filter(|&i| keep[i] && !paras[i].text.is_empty()).collect();
    let run = with_text.iter().rev().take_while(|&&i| is_byline(&paras[i], author)).count();
    if run <= MAX_BYLINES {
        for &i in &with_text[with_text.len() - run..] {
            keep[i] = false;
        }
    }
    keep
}

/// Where the story ends: after the first paragraph ending in "./." (when `at_end_mark`; a bare
/// "./." line ends it too), else at the footer, less the teasers just before the footer.
fn end_of_story(paras: &[Para], at_end_mark: bool) -> usize {
    let mut end = paras.len();
    if at_end_mark && let Some(mark) = paras.iter().position(|p| is_end_mark(p.text)) {
        end = if p_is_bare_mark(paras[mark].text) { mark } else { mark + 1 };
    }
    if let Some(footer) = footer_start(&paras[..end]) {
        end = footer;
        while end > 1 && is_teaser(paras[end - 1].text) && !paras[end - 1].figure {
            end -= 1;
        }
    }
    end
}

/// How many of a plain-text article's lines are the story: the lines after it are the related
/// teasers and the footer of the page it was scraped from (see [`keep`], steps 1 and 2).
/// What `extract::plain_text` cuts at, so that a `RawItem` holds only the article.
pub fn story_lines<S: AsRef<str>>(lines: &[S]) -> usize {
    let cleaned: Vec<String> = lines.iter().map(|l| clean_text(l.as_ref())).collect();
    let paras: Vec<Para> = cleaned.iter().map(|text| Para { text, ..Para::default() }).collect();
    end_of_story(&paras, true)
}

fn p_is_bare_mark(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || c == '.' || c == '/')
}

/// Where the footer starts: a strong footer line, or a weak one next to another footer line
/// (captions, related lines and empty paragraphs in between do not count: they go anyway).
fn footer_start(paras: &[Para]) -> Option<usize> {
    let kinds: Vec<Option<bool>> =
        paras.iter().map(|p| if p.figure { None } else { footer_line(p.text) }).collect();
    let skippable =
        |j: usize| paras[j].text.is_empty() || is_related(paras[j].text) || is_caption(paras[j].text);
    let footer_at = |j: Option<usize>| j.is_some_and(|j| kinds[j].is_some());
    (0..kinds.len()).find(|&i| match kinds[i] {
        Some(true) => true,
        Some(false) => {
            let before = (0..i).rev().find(|&j| !skippable(j));
            let after = (i + 1..kinds.len()).find(|&j| !skippable(j));
            footer_at(before) || footer_at(after)
        }
        None => false,
    })
}

/// The story paragraphs of a plain-text body: each line cleaned, then [`keep`] with the end
/// mark cut and captions dropped. Idempotent.
pub fn body_paragraphs<S: AsRef<str>>(paragraphs: &[S], author: Option<&str>) -> Vec<String> {
    let cleaned: Vec<String> =
        paragraphs.iter().map(|p| clean_text(p.as_ref())).filter(|p| !p.is_empty()).collect();
    story_paragraphs(cleaned, author)
}

/// [`body_paragraphs`] of paragraphs that are already clean and not empty (what
/// [`super::html_paragraphs`] gives): the same answer without cleaning them again.
pub(super) fn story_paragraphs(cleaned: Vec<String>, author: Option<&str>) -> Vec<String> {
    debug_assert!(cleaned.iter().all(|p| !p.is_empty() && clean_text(p) == *p));
    let paras: Vec<Para> = cleaned.iter().map(|text| Para { text, ..Para::default() }).collect();
    let policy = Policy { cut_at_end_mark: true, drop_captions: true };
    let keep = keep(&paras, author, policy);
    cleaned.into_iter().zip(keep).filter_map(|(p, k)| k.then_some(p)).collect()
}

#[cfg(test)]
mod tests;
