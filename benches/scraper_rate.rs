//! The machine's speed in the unit the crawl issue states its limits against: article pages of
//! the shared corpus that `scraper` parses per second on one core (the issue measured "about
//! 2,700 pages/s here"). Not a test, not tinfeed's code: a yardstick. This machine's speed
//! drifts by a third from one minute to the next, so `bench/crawl.sh CALIBRATE=1` runs it
//! between runs of job (a) and reports (a) at the issue's reference speed as well.
//!
//! ```sh
//! cargo bench --bench scraper_rate -- CORPUS_DIR [SECONDS]   # or TINFEED_CORPUS=CORPUS_DIR
//! ```
//!
//! Prints one line: `scraper_rate <pages/s> pages/s <MB/s> MB/s <pages> pages`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Article pages read from the corpus (sorted by path, so every run parses the same ones).
const PAGES: usize = 200;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    // a plain `cargo bench` names no corpus: say so and pass
    let Some(dir) = args.first().cloned().or_else(|| std::env::var("TINFEED_CORPUS").ok()) else {
        println!(
            "scraper_rate: skipped, no corpus (cargo bench --bench scraper_rate -- CORPUS_DIR [SECONDS])"
        );
        return;
    };
    let seconds: f64 = args.get(1).map_or(Ok(1.0), |s| s.parse()).unwrap_or_else(|e| {
        eprintln!("SECONDS: {e}");
        std::process::exit(2);
    });
    let pages: Vec<String> = article_paths(Path::new(&dir))
        .into_iter()
        .take(PAGES)
        .map(|path| std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect();
    if pages.is_empty() {
        eprintln!("no article pages under {dir} (make one with ../shared/bench/make_corpus.py)");
        std::process::exit(2);
    }
    // one warm-up pass: page cache, allocator, branch predictors
    let mut nodes =
        pages.iter().map(|p| scraper::Html::parse_document(p).tree.nodes().count()).sum::<usize>();
    let budget = Duration::from_secs_f64(seconds);
    let (mut parsed, mut bytes) = (0usize, 0usize);
    let started = Instant::now();
    while started.elapsed() < budget {
        for page in &pages {
            nodes += scraper::Html::parse_document(page).tree.nodes().count();
            bytes += page.len();
        }
        parsed += pages.len();
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "scraper_rate {:.0} pages/s {:.0} MB/s {parsed} pages ({nodes} nodes)",
        parsed as f64 / elapsed,
        bytes as f64 / elapsed / 1e6
    );
}

/// `<category>/<slug>-<id>.html` under the corpus root: the article pages, not the listings
/// (`index.html`, `trang-N.html`).
fn article_paths(root: &Path) -> Vec<PathBuf> {
    let is_article = |path: &Path| {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        path.extension().is_some_and(|e| e == "html")
            && stem
                .rsplit_once('-')
                .is_some_and(|(_, id)| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .flat_map(|dir| std::fs::read_dir(dir.path()).into_iter().flatten().flatten())
        .map(|entry| entry.path())
        .filter(|path| is_article(path))
        .collect();
    paths.sort();
    paths
}
