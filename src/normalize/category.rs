//! Which category an item is filed under: the source's `[sources.categories]` rules, compared by
//! slug against the path segments of the item's canonical URL and the categories its page
//! declares (breadcrumb, `article:section`, a feed's `<category>`), so "Bóng đá", "BÓNG ĐÁ" and
//! `/bong-da/` all meet. Pure: the same item and source always give the same category.

use url::Url;

use super::{clean_text, percent_decode, slug};
use crate::config::{CategoryRule, Source};

/// The first rule, in file order, whose key names a path segment of `url` or one of the
/// `declared` categories; `None`: the item keeps the source's own category.
///
/// A `file:` URL's folders count too: a copy of a site on disk (the offline demo) keeps its
/// sections as folders.
pub fn mapped_category<'a>(source: &'a Source, url: &Url, declared: &[String]) -> Option<&'a CategoryRule> {
    let rules = &source.category_map.rules;
    if rules.is_empty() {
        return None;
    }
    let mut names: Vec<String> = declared.iter().map(|name| slug(&clean_text(name))).collect();
    if let Some(segments) = url.path_segments() {
        names.extend(segments.map(|segment| slug(&percent_decode(segment))));
    }
    names.retain(|name| !name.is_empty());
    rules.iter().find(|rule| names.contains(&rule.key_slug))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use url::Url;

    use super::mapped_category;
    use crate::config::{Config, Source};

    fn mapping(categories: &str) -> Source {
        let text = format!(
            "[site]\ntitle = \"Báo Hà Nam\"\n[[sources]]\nid = \"tin-moi\"\nkind = \"html\"\n\
             url = \"https://baohanam.com.vn/tin-moi\"\ncategory = \"Tin mới\"\n\
             [sources.categories]\n{categories}\n"
        );
        let config = Config::parse(Path::new("t.toml"), &text).unwrap_or_else(|e| panic!("{e}"));
        config.sources.into_iter().next().unwrap()
    }

    fn mapped(source: &Source, url: &str, declared: &[&str]) -> Option<String> {
        let declared: Vec<String> = declared.iter().map(|d| d.to_string()).collect();
        let rule = mapped_category(source, &Url::parse(url).unwrap(), &declared)?;
        Some(rule.category.name.clone())
    }

    #[test]
    fn url_segments_and_declared_categories_map_by_slug() {
        let source = mapping(
            "\"the-thao\" = \"Thể thao\"\n\"Bóng đá\" = \"Thể thao\"\n\"Văn hoá\" = \"Văn hóa - Giải trí\"\n\
             \"giai-tri\" = \"Văn hóa - Giải trí\"\n\"Y tế\" = \"Sức khỏe\"",
        );
        let cases: &[(&str, &[&str], Option<&str>)] = &[
            ("https://baohanam.com.vn/the-thao/tin-a-123456.html", &[], Some("Thể thao")),
            // VnExpress-style sub-section, written in the table as a Vietnamese name
            ("https://vnexpress.net/bong-da/viet-nam-thang-4846612.html", &[], Some("Thể thao")),
            // capitalised and percent-encoded segments
            ("https://baocaobang.vn/The-thao/tin-b", &[], Some("Thể thao")),
            ("https://vi.wikipedia.org/wiki/B%C3%B3ng_%C4%91%C3%A1/tin", &[], Some("Thể thao")),
            // the breadcrumb says it, in capitals, NFD or the other tone style
            ("https://baohanam.com.vn/tin-c-122001.html", &["Trang chủ", "BÓNG ĐÁ"], Some("Thể thao")),
            ("https://baohanam.com.vn/tin-d-122002.html", &["Văn ho\u{301}a"], Some("Văn hóa - Giải trí")),
            ("https://baohanam.com.vn/tin-d-122002.html", &["Văn hóa"], Some("Văn hóa - Giải trí")),
            ("https://baohanam.com.vn/tin-e-122003.html", &["Y t&#7871;"], Some("Sức khỏe")),
            // nothing names a key: the source's own category
            ("https://baohanam.com.vn/thoi-su/tin-f-122004.html", &["Thời sự"], None),
            // a segment must equal the key, not merely contain it
            ("https://baohanam.com.vn/the-thao-24h/tin-g.html", &[], None),
            // a site copied to disk keeps its sections as folders
            ("file:///srv/bao/the-thao/tin-h.html", &[], Some("Thể thao")),
            ("file:///srv/bao/thoi-su/tin-h.html", &[], None),
        ];
        for (url, declared, expected) in cases {
            assert_eq!(mapped(&source, url, declared).as_deref(), *expected, "{url} {declared:?}");
        }
    }

    #[test]
    fn the_first_rule_in_file_order_wins() {
        let source = mapping("\"bong-da\" = \"Bóng đá\"\n\"the-thao\" = \"Thể thao\"");
        let url = "https://baohanam.com.vn/the-thao/bong-da/tin-123456.html";
        assert_eq!(mapped(&source, url, &[]).as_deref(), Some("Bóng đá"));
        let source = mapping("\"the-thao\" = \"Thể thao\"\n\"bong-da\" = \"Bóng đá\"");
        assert_eq!(mapped(&source, url, &[]).as_deref(), Some("Thể thao"));
        // the declared category is no stronger than the URL: rule order decides
        assert_eq!(
            mapped(&source, "https://baohanam.com.vn/tin.html", &["Bóng đá"]).as_deref(),
            Some("Bóng đá")
        );
    }
}
