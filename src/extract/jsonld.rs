//! Article metadata from `<script type="application/ld+json">` blocks (schema.org).
//!
//! Pages put one object, an array, or a `@graph` there, often next to `WebSite` and
//! `BreadcrumbList` objects; we read the first article-like object that has each field. Broken
//! JSON is common (raw newlines inside strings): we try once more with control characters
//! blanked, then give up quietly, since the page's other metadata still applies.

use serde_json::Value;

/// The fields tinfeed uses from a schema.org article, as found (trimmed, not decoded).
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct LdArticle {
    pub headline: Option<String>,
    pub description: Option<String>,
    pub date_published: Option<String>,
    pub author: Option<String>,
    pub image: Option<String>,
    /// `articleSection` (the first one when it is a list).
    pub section: Option<String>,
    /// The names of a `BreadcrumbList`, in position order.
    pub breadcrumb: Vec<String>,
}

/// Reads every block; for each field the first article object that has it wins.
pub(super) fn parse<'a>(blocks: impl IntoIterator<Item = &'a str>) -> LdArticle {
    let mut found = LdArticle::default();
    for block in blocks {
        let value = serde_json::from_str::<Value>(block.trim()).or_else(|_| {
            let blanked: String = block.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
            serde_json::from_str::<Value>(blanked.trim())
        });
        if let Ok(value) = value {
            visit(&value, &mut found, 0);
        }
    }
    found
}

fn visit(value: &Value, found: &mut LdArticle, depth: usize) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| visit(v, found, depth + 1)),
        Value::Object(map) => {
            if let Some(graph) = map.get("@graph") {
                visit(graph, found, depth + 1);
            }
            if map.get("@type").is_some_and(is_article_type) {
                let text = |key: &str| map.get(key).and_then(Value::as_str).and_then(non_blank);
                fill(&mut found.headline, || text("headline").or_else(|| text("name")));
                fill(&mut found.description, || text("description"));
                fill(&mut found.date_published, || text("datePublished"));
                fill(&mut found.author, || map.get("author").and_then(author_names));
                fill(&mut found.image, || map.get("image").and_then(image_url));
                fill(&mut found.section, || map.get("articleSection").and_then(first_text));
            }
            if found.breadcrumb.is_empty()
                && map.get("@type").and_then(Value::as_str) == Some("BreadcrumbList")
            {
                found.breadcrumb = crumb_names(map.get("itemListElement"));
            }
        }
        _ => {}
    }
}

fn fill(slot: &mut Option<String>, value: impl FnOnce() -> Option<String>) {
    if slot.is_none() {
        *slot = value();
    }
}

fn non_blank(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// A string, or the first string of an array.
fn first_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => non_blank(s),
        Value::Array(items) => items.iter().find_map(first_text),
        _ => None,
    }
}

/// `[{"@type":"ListItem","position":2,"name":"Thể thao"}, …]` (or the name inside `item`), by
/// position.
fn crumb_names(list: Option<&Value>) -> Vec<String> {
    let Some(Value::Array(items)) = list else { return Vec::new() };
    let mut crumbs: Vec<(i64, String)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            let name = entry.get("name").or_else(|| entry.get("item").and_then(|item| item.get("name")));
            let name = name.and_then(Value::as_str).and_then(non_blank)?;
            let position =
                entry.get("position").and_then(|p| p.as_i64().or_else(|| p.as_str()?.parse().ok()));
            Some((position.unwrap_or(i as i64 + 1), name))
        })
        .collect();
    crumbs.sort_by_key(|(position, _)| *position);
    crumbs.into_iter().map(|(_, name)| name).collect()
}

/// `NewsArticle`, `Article`, `ReportageNewsArticle`, `BlogPosting`… or an array holding one.
fn is_article_type(t: &Value) -> bool {
    match t {
        Value::String(s) => {
            let s = s.rsplit('/').next().unwrap_or(s);
            s.ends_with("Article") || s == "BlogPosting" || s == "LiveBlogPosting"
        }
        Value::Array(types) => types.iter().any(is_article_type),
        _ => false,
    }
}

/// `"Tên"`, `{"name": "Tên"}` or an array of either; several names are joined with ", ".
fn author_names(author: &Value) -> Option<String> {
    let one = |v: &Value| match v {
        Value::String(s) => non_blank(s),
        Value::Object(o) => o.get("name").and_then(Value::as_str).and_then(non_blank),
        _ => None,
    };
    match author {
        Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(one).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        other => one(other),
    }
}

/// `"url"`, `{"url": "…"}` (or `contentUrl`) or an array of either: the first.
fn image_url(image: &Value) -> Option<String> {
    match image {
        Value::String(s) => non_blank(s),
        Value::Object(o) => ["url", "contentUrl", "@id"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str).and_then(non_blank)),
        Value::Array(items) => items.iter().find_map(image_url),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_objects_arrays_and_graphs() {
        let cases = [
            (
                r#"{"@context":"https://schema.org","@type":"NewsArticle","headline":"Hà Nam khai mạc Lễ hội chùa Long Đọi Sơn",
                   "datePublished":"2024-02-25T07:22:00+07:00","author":{"@type":"Person","name":"Minh Anh"},
                   "image":{"@type":"ImageObject","url":"https://baohanam-fileserver.nvcms.net/anh.jpg"}}"#,
                LdArticle {
                    headline: Some("Hà Nam khai mạc Lễ hội chùa Long Đọi Sơn".into()),
                    description: None,
                    date_published: Some("2024-02-25T07:22:00+07:00".into()),
                    author: Some("Minh Anh".into()),
                    image: Some("https://baohanam-fileserver.nvcms.net/anh.jpg".into()),
                    ..LdArticle::default()
                },
            ),
            (
                r#"[{"@type":"WebSite","name":"Báo Hà Nam"},{"@type":["Article"],"headline":"Tin B",
                   "author":["Lan Hương",{"name":"Quốc Tuấn"}],"image":["/a.jpg","/b.jpg"],"description":"Sapo B"}]"#,
                LdArticle {
                    headline: Some("Tin B".into()),
                    description: Some("Sapo B".into()),
                    date_published: None,
                    author: Some("Lan Hương, Quốc Tuấn".into()),
                    image: Some("/a.jpg".into()),
                    ..LdArticle::default()
                },
            ),
            (
                r#"{"@context":"https://schema.org","@graph":[{"@type":"BreadcrumbList","name":"Văn hóa"},
                   {"@type":"ReportageNewsArticle","headline":"Tin C","datePublished":"2025-04-22T17:46:00+07:00",
                   "author":"Ban Thời sự"}]}"#,
                LdArticle {
                    headline: Some("Tin C".into()),
                    date_published: Some("2025-04-22T17:46:00+07:00".into()),
                    author: Some("Ban Thời sự".into()),
                    ..LdArticle::default()
                },
            ),
        ];
        for (json, want) in cases {
            assert_eq!(parse([json]), want, "{json}");
        }
    }

    #[test]
    fn invalid_json_is_ignored_and_raw_newlines_are_rescued() {
        assert_eq!(parse(["{\"@type\": \"NewsArticle\", \"headline\": "]), LdArticle::default());
        let rescued = parse(["{\"@type\":\"NewsArticle\",\"headline\":\"Dòng một\ndòng hai\"}"]);
        assert_eq!(rescued.headline.as_deref(), Some("Dòng một dòng hai"));
    }

    #[test]
    fn non_article_types_are_skipped_and_the_first_article_field_wins() {
        let found = parse([
            r#"{"@type":"Organization","name":"Báo Hà Nam","image":"/logo.png"}"#,
            r#"{"@type":"BlogPosting","headline":"Bài một"}"#,
            r#"{"@type":"NewsArticle","headline":"Bài hai","image":"/hai.jpg"}"#,
        ]);
        assert_eq!(found.headline.as_deref(), Some("Bài một"));
        assert_eq!(found.image.as_deref(), Some("/hai.jpg"));
    }

    #[test]
    fn breadcrumb_lists_and_sections_are_read() {
        let found = parse([r#"{"@context":"https://schema.org","@graph":[
            {"@type":"BreadcrumbList","itemListElement":[
                {"@type":"ListItem","position":3,"item":{"@id":"https://vnexpress.net/bong-da","name":"Bóng đá"}},
                {"@type":"ListItem","position":1,"name":"Trang chủ","item":"https://vnexpress.net/"},
                {"@type":"ListItem","position":"2","name":"Thể thao","item":"https://vnexpress.net/the-thao"}]},
            {"@type":"NewsArticle","headline":"Việt Nam thắng Thái Lan","articleSection":["Thể thao","Bóng đá"]}]}"#]);
        assert_eq!(found.breadcrumb, ["Trang chủ", "Thể thao", "Bóng đá"]);
        assert_eq!(found.section.as_deref(), Some("Thể thao"));
        assert_eq!(
            parse([r#"{"@type":"BreadcrumbList","itemListElement":"x"}"#]).breadcrumb,
            Vec::<String>::new()
        );
    }
}
