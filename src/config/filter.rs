//! A source's filters and category mapping, compiled once: `[sources.include]` and
//! `[sources.exclude]` regexes on title, summary and URL, and `[sources.categories]`, which files
//! an item under another category when its URL path or the page's own categories name it.
//!
//! Applying them is elsewhere: [`crate::pipeline`] keeps or drops links and items,
//! [`crate::normalize`] picks an item's category.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use regex::{Regex, RegexBuilder};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use toml::Spanned;
use unicode_normalization::{UnicodeNormalization, is_nfc};

use super::Category;
use super::error::Diagnostics;
use crate::normalize::{slug, tone_on_second_vowel};

/// `[sources.include]` / `[sources.exclude]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPatterns {
    pub title: Option<Spanned<String>>,
    pub summary: Option<Spanned<String>>,
    pub url: Option<Spanned<String>>,
}

/// `[sources.categories]` as written: `"key" = "Category"` pairs in file order (the order is
/// the priority, so it is kept rather than read into a sorted map).
#[derive(Debug, Default)]
pub struct RawCategories(pub Vec<(Spanned<String>, Spanned<String>)>);

impl<'de> Deserialize<'de> for RawCategories {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = RawCategories;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of `\"path-segment or category\" = \"Category name\"`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawCategories, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(RawCategories(pairs))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

/// Which field of an item a pattern reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
    Summary,
    Url,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Title => "title",
            Field::Summary => "summary",
            Field::Url => "url",
        })
    }
}

/// A regex matched case-insensitively on NFC text in one tone-placement style, so "hòa" in a
/// pattern finds "Hoà" in a title, and an NFD title still matches.
#[derive(Debug, Clone)]
pub struct Pattern {
    written: String,
    regex: Regex,
}

impl Pattern {
    /// Compiles `written`; the error is the regex crate's own reason, on one line.
    pub fn new(written: &str) -> Result<Pattern, String> {
        if written.is_empty() {
            return Err("an empty regex matches everything; remove the key instead".to_string());
        }
        let prepared = prepare(written);
        match RegexBuilder::new(&prepared).case_insensitive(true).build() {
            Ok(regex) => Ok(Pattern { written: written.to_string(), regex }),
            Err(e) => Err(reason(&e)),
        }
    }

    /// The pattern as written in the config.
    pub fn as_str(&self) -> &str {
        &self.written
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(&prepare(text))
    }
}

/// NFC, then the newer tone placement: what both patterns and texts are compared as.
fn prepare(text: &str) -> Cow<'_, str> {
    if is_nfc(text) {
        tone_on_second_vowel(text)
    } else {
        let nfc: String = text.nfc().collect();
        Cow::Owned(tone_on_second_vowel(&nfc).into_owned())
    }
}

/// regex's message spans several lines (the pattern, a caret, `error: …`): keep the reason.
fn reason(error: &regex::Error) -> String {
    let text = error.to_string();
    let reason = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .or_else(|| text.lines().map(str::trim).rfind(|l| !l.is_empty()))
        .unwrap_or("invalid regex");
    reason.trim_end_matches('.').to_lowercase()
}

/// The patterns of one table (`include` or `exclude`).
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    pub title: Option<Pattern>,
    pub summary: Option<Pattern>,
    pub url: Option<Pattern>,
}

impl Patterns {
    /// The patterns given, with the field each reads.
    pub fn iter(&self) -> impl Iterator<Item = (Field, &Pattern)> {
        [(Field::Title, &self.title), (Field::Summary, &self.summary), (Field::Url, &self.url)]
            .into_iter()
            .filter_map(|(field, p)| p.as_ref().map(|p| (field, p)))
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// A source's include and exclude patterns. An item is kept when every `include` pattern given
/// matches its field and no `exclude` pattern does. See `crate::pipeline` for where each
/// field is checked (URLs before any fetch).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub include: Patterns,
    pub exclude: Patterns,
}

impl Filter {
    /// No pattern at all: every item is kept.
    pub fn is_empty(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty()
    }
}

/// One `"key" = "Category"` line of `[sources.categories]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRule {
    /// The key as written ("Bóng đá", "the-thao").
    pub key: String,
    /// Its slug, what path segments and declared categories are compared by (`bong-da`).
    pub key_slug: String,
    pub category: Category,
}

/// `[sources.categories]`: rules in file order; the first that matches an item wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CategoryMap {
    pub rules: Vec<CategoryRule>,
}

impl super::Source {
    /// The categories this source files items under: its own, then those of its mapping, each
    /// once, in file order.
    pub fn categories(&self) -> Vec<Category> {
        let own = Category { name: self.category.clone(), slug: self.category_slug.clone() };
        let mut all = vec![own];
        for rule in &self.category_map.rules {
            if !all.iter().any(|c| c.slug == rule.category.slug) {
                all.push(rule.category.clone());
            }
        }
        all
    }

    /// Whether this source's items can land in the feed `slug` (its own category or a mapped one).
    pub fn feeds(&self, slug: &str) -> bool {
        self.category_slug == slug || self.category_map.rules.iter().any(|r| r.category.slug == slug)
    }
}

pub(super) fn compile_filter(
    include: Option<&RawPatterns>,
    exclude: Option<&RawPatterns>,
    diag: &mut Diagnostics,
) -> Option<Filter> {
    let before = diag.count();
    let filter = Filter {
        include: compile_patterns("include", include, diag),
        exclude: compile_patterns("exclude", exclude, diag),
    };
    (diag.count() == before).then_some(filter)
}

fn compile_patterns(table: &str, raw: Option<&RawPatterns>, diag: &mut Diagnostics) -> Patterns {
    let Some(raw) = raw else { return Patterns::default() };
    let mut one = |field: &str, written: &Option<Spanned<String>>| {
        let written = written.as_ref()?;
        Pattern::new(written.get_ref())
            .map_err(|reason| {
                diag.error(
                    Some(written.span()),
                    format!("invalid regex `{}` in `{table}.{field}`: {reason}", written.get_ref()),
                )
            })
            .ok()
    };
    Patterns {
        title: one("title", &raw.title),
        summary: one("summary", &raw.summary),
        url: one("url", &raw.url),
    }
}

/// Compiles the mapping; each target category obeys the rules of `category` (a slug of its own,
/// not `all`, not shared with a differently written name), checked against `slugs`, the feeds
/// named so far in the file.
pub(super) fn compile_category_map(
    raw: Option<&RawCategories>,
    slugs: &mut BTreeMap<String, String>,
    diag: &mut Diagnostics,
) -> Option<CategoryMap> {
    let Some(raw) = raw else { return Some(CategoryMap::default()) };
    let before = diag.count();
    let mut rules = Vec::<CategoryRule>::new();
    for (key, name) in &raw.0 {
        let key_slug = slug(key.get_ref());
        if key_slug.is_empty() {
            diag.error(
                Some(key.span()),
                format!("category key `{}` has no letters or digits to match", key.get_ref()),
            );
        } else if let Some(earlier) = rules.iter().find(|r| r.key_slug == key_slug) {
            diag.error(
                Some(key.span()),
                format!(
                    "category key `{}` matches the same as `{}` above, so it would never apply",
                    key.get_ref(),
                    earlier.key
                ),
            );
        }
        let name_text = name.get_ref().trim().to_string();
        if let Some(category) = check_category(&name_text, name.span(), slugs, diag) {
            rules.push(CategoryRule { key: key.get_ref().clone(), key_slug, category });
        }
    }
    (diag.count() == before).then_some(CategoryMap { rules })
}

/// A category name that may name a feed: the same checks as a source's `category`.
fn check_category(
    name: &str,
    span: std::ops::Range<usize>,
    slugs: &mut BTreeMap<String, String>,
    diag: &mut Diagnostics,
) -> Option<Category> {
    let category_slug = slug(name);
    if category_slug.is_empty() {
        diag.error(Some(span), format!("category `{name}` has no letters or digits to name its feed"));
        return None;
    }
    if category_slug == "all" {
        diag.error(
            Some(span),
            format!("category `{name}` would take the slug `all`, which names the feed of every category"),
        );
        return None;
    }
    match slugs.get(&category_slug) {
        Some(other) if other != name => {
            diag.error(
                Some(span),
                format!("category `{name}` and category `{other}` would share the feed `{category_slug}`"),
            );
            None
        }
        Some(_) => Some(Category { name: name.to_string(), slug: category_slug }),
        None => {
            slugs.insert(category_slug.clone(), name.to_string());
            Some(Category { name: name.to_string(), slug: category_slug })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    #[test]
    fn patterns_match_vietnamese_in_any_case_form_and_tone_style() {
        let cases: &[(&str, &str, bool)] = &[
            ("bóng đá", "BÓNG ĐÁ: Việt Nam thắng Thái Lan 2-1", true),
            ("BÓNG ĐÁ", "Lịch thi đấu bóng đá hôm nay", true),
            // NFD title, NFC pattern
            ("bóng đá", "Bo\u{301}ng đa\u{301} nữ", true),
            // both tone placements
            ("văn hóa", "Ngày hội Văn hoá các dân tộc", true),
            ("thuỷ lợi", "Công trình THỦY LỢI Bắc Hà Nam", true),
            ("^(khai mạc|hội nghị)", "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12", true),
            ("^(khai mạc|hội nghị)", "Diễn tập khu vực phòng thủ xã Thanh Liêm", false),
            // tones are letters: "bong da" is not "bóng đá"
            ("bóng đá", "Bong da phong trao", false),
            (r"/the-thao/", "https://baohanam.com.vn/the-thao/bong-da/tin-123.html", true),
            (r"\bquảng cáo\b", "Thông tin QUẢNG CÁO", true),
        ];
        for (pattern, text, expected) in cases {
            let compiled = Pattern::new(pattern).unwrap();
            assert_eq!(compiled.is_match(text), *expected, "`{pattern}` on {text:?}");
            assert_eq!(compiled.as_str(), *pattern);
        }
    }

    #[test]
    fn bad_patterns_say_why_in_one_line() {
        for (pattern, reason) in [
            ("(bóng đá", "unclosed group"),
            ("[a-", "unclosed character class"),
            ("*tin", "repetition operator missing expression"),
            ("", "an empty regex matches everything; remove the key instead"),
        ] {
            assert_eq!(Pattern::new(pattern).unwrap_err(), reason, "{pattern}");
        }
    }
}
