//! The first user's sample article (`../shared/seeds/`), read as a `files` source through the
//! whole pipeline up to normalized items: one item, a title derived from its first sentence, a
//! summary from its first paragraph, its 12 body paragraphs as content, and nothing of the three
//! "Sáng 27/11" teasers or the paper's footer anywhere. Skipped, with the reason printed, when
//! the seeds folder is not there (a checkout of this repository alone).

use std::path::Path;

use tinfeed::config::Config;
use tinfeed::fetch::Fetcher;
use tinfeed::model::Item;
use tinfeed::pipeline;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds");
const SEED: &str = "000_269d0f4177d92658.txt";

/// Lines of the seed: 12 body paragraphs (the last ends with "./."), 3 teasers, 7 footer lines.
const BODY_LINES: usize = 12;

/// The items a `files` source over `files` gives, read from a temp folder.
async fn collect(files: &[(&str, &str)]) -> Vec<Item> {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("bai-viet");
    std::fs::create_dir(&folder).unwrap();
    for (name, text) in files {
        std::fs::write(folder.join(name), text).unwrap();
    }
    let config_path = dir.path().join("tinfeed.toml");
    let toml = r#"
[site]
title = "Báo Hà Nam"
base_url = "http://127.0.0.1:8080/"
timezone = "Asia/Ho_Chi_Minh"

[[sources]]
id = "thoi-su"
kind = "files"
path = "bai-viet"
category = "Thời sự"
"#;
    let config = Config::parse(&config_path, toml).unwrap_or_else(|e| panic!("{e}"));
    let fetcher = Fetcher::new("tinfeed-test").unwrap();
    let collected = pipeline::collect(&fetcher, &config.site, &config.sources[0]).await.expect("collect");
    assert!(collected.dropped.is_empty(), "dropped: {:?}", collected.dropped);
    assert!(collected.failed.is_empty(), "failed: {:?}", collected.failed);
    collected.items
}

/// The `<p>` paragraphs of a plain-text item's content, unescaped.
fn content_paragraphs(item: &Item) -> Vec<String> {
    let html = item.content_html.as_deref().expect("content");
    html.lines()
        .map(|line| {
            let inner = line.strip_prefix("<p>").and_then(|l| l.strip_suffix("</p>"));
            let inner = inner.unwrap_or_else(|| panic!("not one <p> per line: {line:?}"));
            html_escape::decode_html_entities(inner).into_owned()
        })
        .collect()
}

/// Every text field of an item, for "appears nowhere" checks.
fn everything(item: &Item) -> String {
    [
        item.title.as_str(),
        &item.summary,
        item.content_html.as_deref().unwrap_or(""),
        item.author.as_deref().unwrap_or(""),
        item.image.as_deref().unwrap_or(""),
    ]
    .join("\n")
}

#[tokio::test]
async fn the_seed_article_gives_one_clean_item() {
    let path = Path::new(SEEDS).join(SEED);
    let Ok(seed) = std::fs::read_to_string(&path) else {
        println!(
            "skipped: the seed {} is not there (../shared/seeds comes with the workplace)",
            path.display()
        );
        return;
    };
    let lines: Vec<&str> = seed.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), BODY_LINES + 3 + 7, "the seed file changed: re-read this test");

    let items = collect(&[(SEED, &seed)]).await;
    assert_eq!(items.len(), 1, "one item: {items:#?}");
    let item = &items[0];

    // the title: the first sentence, cut at a word within 120 characters
    let first_line = lines[0];
    let title_stem = item.title.strip_suffix('…').expect("a long first sentence is cut with …");
    assert!(first_line.starts_with(title_stem), "{:?} is not from {first_line:?}", item.title);
    assert!(item.title.chars().count() <= 121, "{:?}", item.title);
    assert!(first_line[title_stem.len()..].starts_with(' '), "cut at a word: {:?}", item.title);
    assert_eq!(
        item.title,
        "Ban Tuyên giáo Trung ương và Ban Chỉ đạo Nhân quyền của Chính phủ phối hợp với Tỉnh ủy Hòa Bình vừa tổ chức Hội nghị tập…"
    );

    // the summary: from the first paragraph only, at most 300 characters, cut at a word
    assert!(item.summary.chars().count() <= 300, "{}", item.summary);
    let summary_stem = item.summary.strip_suffix('…').unwrap_or(&item.summary);
    assert!(first_line.starts_with(summary_stem), "summary not from the first paragraph: {}", item.summary);
    assert!(summary_stem.chars().count() > 200, "a summary worth reading: {}", item.summary);

    // the content: exactly the 12 body paragraphs, in order
    let paragraphs = content_paragraphs(item);
    assert_eq!(paragraphs.len(), BODY_LINES);
    assert_eq!(paragraphs, lines[..BODY_LINES]);

    // nothing of the teasers or the footer anywhere
    let all = everything(item);
    for line in &lines[BODY_LINES..] {
        assert!(!all.contains(line), "{line:?} leaked into the item");
    }
    for fragment in
        ["Sáng 27/11", "BÁO HÀ NAM", "Giấy phép", "Tổng Biên tập", "Điện thoại", "Email", "Cấm sao chép"]
    {
        assert!(!all.contains(fragment), "{fragment:?} leaked into the item");
    }
    assert_eq!(item.published, None, "the seed has no date of its own");
    assert_eq!((item.category.as_str(), item.category_slug.as_str()), ("Thời sự", "thoi-su"));
}

/// The seed with its end mark removed: the footer still ends the story, and the teasers before
/// it go with it.
#[tokio::test]
async fn the_seed_without_its_end_mark_is_still_clean() {
    let path = Path::new(SEEDS).join(SEED);
    let Ok(seed) = std::fs::read_to_string(&path) else {
        println!("skipped: the seed {} is not there", path.display());
        return;
    };
    let without_mark = seed.replacen("trong nước và quốc tế./.", "trong nước và quốc tế.", 1);
    assert_ne!(without_mark, seed, "the seed's end mark moved: re-read this test");
    // and the same article with the end mark on a line of its own
    let own_line = seed.replacen("trong nước và quốc tế./.", "trong nước và quốc tế.\n./.", 1);
    let items = collect(&[("a.txt", &without_mark), ("b.txt", &own_line)]).await;
    assert_eq!(items.len(), 2);
    for item in &items {
        let paragraphs = content_paragraphs(item);
        assert_eq!(paragraphs.len(), BODY_LINES, "{paragraphs:#?}");
        assert!(paragraphs[BODY_LINES - 1].ends_with("trong nước và quốc tế."));
        let all = everything(item);
        for fragment in ["Sáng 27/11", "BÁO HÀ NAM", "Giấy phép", "Tổng Biên tập", "Email", "Cấm sao chép"]
        {
            assert!(!all.contains(fragment), "{fragment:?} leaked into {}", item.url);
        }
    }
}

/// The demo's two plain-text files (config/demo/files) keep working: one item each, with the
/// end mark and without.
#[tokio::test]
async fn the_demo_files_give_clean_items() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/demo/files");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        files.push((name.clone(), text.clone()));
        files.push((format!("khong-dau-ket-{name}"), text.replace("./.", "")));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let items = collect(&files).await;
    assert_eq!(items.len(), 4);
    for item in &items {
        let all = everything(item);
        for fragment in ["Sáng 27/11", "BÁO HÀ NAM", "Giấy phép", "Tổng Biên tập", "Email", "Cấm sao chép"]
        {
            assert!(!all.contains(fragment), "{fragment:?} leaked into {}: {all}", item.url);
        }
        assert!(item.summary.chars().count() <= 300);
        assert!(!item.title.is_empty());
    }
}
