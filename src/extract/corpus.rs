//! Checks and speed on the shared benchmark corpus (shared/bench/make_corpus.py): generic
//! extraction against the manifest, pages reading the same pruned, our tokenizer giving
//! html5ever's tree. Not part of the normal run: it needs a generated corpus on disk.
//!
//! ```sh
//! python3 ../shared/bench/make_corpus.py /tmp/corpus --articles 600
//! TINFEED_CORPUS=/tmp/corpus cargo test --lib extract::corpus -- --ignored --nocapture
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::DateTime;
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;
use url::Url;

use super::article;
use super::links::listing_links;
use crate::config::Selectors;
use crate::model::FetchedPage;

/// The manifest's truth normalization: NFC, control characters dropped, whitespace collapsed.
fn norm(s: &str) -> String {
    let s: String = s.nfc().filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decode(s: &str) -> String {
    html_escape::decode_html_entities(s).into_owned()
}

fn page(root: &Path, rel: &str) -> FetchedPage {
    let path = root.join(rel.trim_start_matches('/'));
    let path = if rel.ends_with('/') { path.join("index.html") } else { path };
    let url = Url::parse("http://127.0.0.1:18080/").unwrap().join(rel).unwrap();
    FetchedPage {
        requested_url: url.clone(),
        url,
        body: std::fs::read_to_string(&path).unwrap(),
        content_type: None,
        charset: "UTF-8",
        etag: None,
        last_modified: None,
        fetched_at: DateTime::parse_from_rfc3339("2024-11-28T09:00:00+07:00").unwrap(),
    }
}

/// The corpus `TINFEED_CORPUS` names and its manifest; `None` without the variable.
fn corpus() -> Option<(PathBuf, Value)> {
    let dir = PathBuf::from(std::env::var("TINFEED_CORPUS").ok()?);
    let manifest =
        std::fs::read_to_string(dir.join("manifest.json")).expect("the corpus has a manifest.json");
    Some((dir, serde_json::from_str(&manifest).expect("manifest.json is JSON")))
}

#[test]
#[ignore = "needs TINFEED_CORPUS pointing at a generated benchmark corpus"]
fn benchmark_corpus_generic_extraction() {
    let Some((dir, manifest)) = corpus() else {
        return;
    };
    let root = dir.as_path();
    let none = Selectors::default();

    for cat in manifest["categories"].as_array().unwrap() {
        let first = &cat["pages"][0];
        let got: Vec<String> = listing_links(&page(root, first["url"].as_str().unwrap()), &none)
            .iter()
            .map(|u| u.path().to_string())
            .collect();
        let want: Vec<&str> =
            first["articles"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        assert_eq!(got, want, "listing {}", cat["url"]);
    }

    let articles = manifest["articles"].as_array().unwrap();
    let pages: Vec<FetchedPage> = articles.iter().map(|a| page(root, a["url"].as_str().unwrap())).collect();
    let mut wrong = Vec::new();
    for (a, p) in articles.iter().zip(&pages) {
        let item = article(p, &none);
        let check = |field: &str, got: Option<String>, want: &Value| {
            let want = want.as_str().map(norm);
            (got != want).then(|| format!("{} {field}: got {got:?}, want {want:?}", a["url"]))
        };
        let body = item.content_html.clone().unwrap_or_default();
        let paragraphs = body.matches("<p class=\"para\">").count() as u64;
        wrong.extend(
            [
                check("title", item.title.as_deref().map(|t| norm(&decode(t))), &a["title"]),
                check("lead", item.summary.as_deref().map(|t| norm(&decode(t))), &a["lead"]),
                check("date", item.date.clone(), &a["date"]),
                check("author", item.author.clone(), &a["author"]),
                (paragraphs != a["paragraphs"].as_u64().unwrap() || body.contains("ad-inread"))
                    .then(|| format!("{} body: {paragraphs} paragraphs", a["url"])),
                (item.categories != [a["category"].as_str().unwrap()])
                    .then(|| format!("{} categories {:?}", a["url"], item.categories)),
            ]
            .into_iter()
            .flatten(),
        );
    }
    assert!(wrong.is_empty(), "{} wrong fields, first: {:#?}", wrong.len(), &wrong[..wrong.len().min(10)]);

    let start = Instant::now();
    for p in &pages {
        std::hint::black_box(scraper::Html::parse_document(&p.body));
    }
    let parse = start.elapsed();
    let start = Instant::now();
    for p in &pages {
        std::hint::black_box(article(p, &none));
    }
    let full = start.elapsed();
    eprintln!(
        "{} pages: parse only {:.0} pages/s, article() {:.0} pages/s ({:.0}% of the time in parsing)",
        pages.len(),
        pages.len() as f64 / parse.as_secs_f64(),
        pages.len() as f64 / full.as_secs_f64(),
        100.0 * parse.as_secs_f64() / full.as_secs_f64()
    );
}

/// The selectors a config for the corpus gives (those of `bench/crawl.sh`).
fn configured() -> Selectors {
    let sel = |text: &str| Some(crate::extract::Selector::parse(text).unwrap());
    Selectors {
        item: sel("div.list-news article.story h3.story-title a"),
        title: sel("h1.article-title"),
        summary: sel("p.article-sapo"),
        content: sel("div.article-body"),
        date: sel("div.article-meta span.pub-date"),
        author: sel("p.article-author strong"),
        image: sel("div.article-body figure img"),
        ..Selectors::default()
    }
}

/// Every page of the corpus (hazards included) reads the same with its furniture cut as whole,
/// with generic extraction and with the corpus's selectors.
#[test]
#[ignore = "needs TINFEED_CORPUS pointing at a generated benchmark corpus"]
fn benchmark_corpus_reads_the_same_pruned() {
    let Some((dir, manifest)) = corpus() else {
        return;
    };
    let root = dir.as_path();
    for selectors in [Selectors::default(), configured()] {
        for cat in manifest["categories"].as_array().unwrap() {
            for listing in cat["pages"].as_array().unwrap() {
                let p = page(root, listing["url"].as_str().unwrap());
                assert_eq!(
                    super::links::listing(&p, &selectors),
                    super::links::listing_uncut(&p, &selectors)
                );
            }
        }
        for a in manifest["articles"].as_array().unwrap() {
            let p = page(root, a["url"].as_str().unwrap());
            assert_eq!(
                article(&p, &selectors),
                super::article::article_uncut(&p, &selectors),
                "{}",
                a["url"]
            );
        }
    }
}

/// Every page of the corpus, as the extractor parses it (furniture cut, with generic extraction
/// and with the corpus's selectors) and whole, takes the fast tokenizer and gets html5ever's
/// tree; and how much faster that is.
#[test]
#[ignore = "needs TINFEED_CORPUS pointing at a generated benchmark corpus"]
fn benchmark_corpus_parses_fast_and_the_same() {
    let Some((dir, manifest)) = corpus() else {
        return;
    };
    let root = dir.as_path();
    let (generic, configured) = (Selectors::default(), configured());
    let mut pages: Vec<String> = Vec::new();
    for cat in manifest["categories"].as_array().unwrap() {
        for listing in cat["pages"].as_array().unwrap() {
            let p = page(root, listing["url"].as_str().unwrap());
            for selectors in [&generic, &configured] {
                pages.push(super::prune::page(&p.body, super::prune::Keep::listing(selectors)).into_owned());
            }
        }
    }
    let pruned_from = pages.len();
    for a in manifest["articles"].as_array().unwrap() {
        let p = page(root, a["url"].as_str().unwrap());
        for selectors in [&generic, &configured] {
            pages.push(super::prune::page(&p.body, super::prune::Keep::article(selectors)).into_owned());
        }
        pages.push(p.body);
    }
    let mut slow = 0;
    for (i, html) in pages.iter().enumerate() {
        let theirs = scraper::Html::parse_document(html);
        match super::parse::fast(html) {
            Some(ours) => assert!(super::parse::nodes(&ours) == super::parse::nodes(&theirs), "page {i}"),
            None => slow += 1,
        }
    }
    assert_eq!(slow, 0, "{slow} of {} pages left to html5ever", pages.len());
    // the article pages as the benchmark's config prunes them
    let articles: Vec<&String> = pages[pruned_from + 1..].iter().step_by(3).collect();
    let time = |parse: &dyn Fn(&str)| {
        let start = Instant::now();
        articles.iter().for_each(|html| parse(html));
        articles.len() as f64 / start.elapsed().as_secs_f64()
    };
    let html5ever = time(&|html| drop(std::hint::black_box(scraper::Html::parse_document(html))));
    let ours = time(&|html| drop(std::hint::black_box(super::parse::document(html))));
    eprintln!(
        "{} pruned article pages: html5ever {html5ever:.0} pages/s, fast tokenizer {ours:.0} pages/s",
        articles.len()
    );
}
