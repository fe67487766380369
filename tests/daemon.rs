//! `tinfeed run` end to end on loopback: scheduled runs republish a feed after its source
//! changes; the cancellation token and SIGTERM stop it cleanly with the feeds intact; and a
//! person opening the index and a feed in headless Chromium sees Vietnamese titles and links.
//!
//! Every wait is a bounded poll for something observable (the served feed, a process exit),
//! never a fixed sleep.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{FixtureServer, copy_tree};
use tinfeed::config::Config;
use tinfeed::daemon::{self, Options};
use tinfeed::pipeline::DataLock;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Polls `check` every 50 ms until it gives a value, failing after `limit`.
async fn wait_for<T>(what: &str, limit: Duration, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(started.elapsed() < limit, "timed out after {limit:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap()
}

/// The body of `url` if it answers 200.
async fn fetch(client: &reqwest::Client, url: &str) -> Option<String> {
    let response = client.get(url).send().await.ok()?;
    if response.status() != 200 {
        return None;
    }
    response.text().await.ok()
}

/// A copy of config/ in a temp dir (demo.toml, the demo site and files).
fn config_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config"), &dir.path().join("config"));
    dir
}

/// demo.toml with its site served by `server` and every source running every second, re-reading
/// its articles every run (stored articles are otherwise not fetched again).
fn every_second_over_http(dir: &Path, server: &FixtureServer) -> Config {
    let path = dir.join("config/demo.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace("file:demo/site/", &server.url(""));
    let text: String = text
        .lines()
        .map(|line| {
            if line.starts_with("schedule = ") {
                "schedule = \"* * * * * *\"\nrefetch_interval = \"0s\""
            } else {
                line
            }
        })
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(text.matches("schedule = \"* * * * * *\"").count(), 6, "{text}");
    std::fs::write(&path, text).unwrap();
    Config::load(&path).unwrap()
}

fn feed_titles(bytes: &[u8]) -> Vec<String> {
    let feed = feed_rs::parser::parse(bytes).expect("the feed on disk parses whole");
    feed.entries.iter().map(|e| e.title.as_ref().unwrap().content.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_article_is_republished_on_schedule_and_the_token_stops_the_daemon_cleanly() {
    let dir = config_copy();
    let server = FixtureServer::start(&dir.path().join("config/demo/site")).await;
    let config = every_second_over_http(dir.path(), &server);
    let data_dir = config.site.data_dir.clone();
    let feeds_dir = config.site.feeds_dir.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let shutdown = CancellationToken::new();
    let options = Options { grace: Duration::from_secs(2), ..Options::default() };
    let daemon = tokio::spawn(daemon::run(config, listener, shutdown.clone(), options));
    let client = client();
    let feed_url = format!("{base}/kinh-te.rss");

    let old = "Thông xe kỹ thuật đường vành đai phía Tây Phủ Lý";
    let new = "Chính thức thông xe đường vành đai phía Tây Phủ Lý";
    wait_for("the start-up run to publish kinh-te", Duration::from_secs(30), async || {
        fetch(&client, &feed_url).await.filter(|feed| feed.contains(old))
    })
    .await;
    let runs_before = server.requests().len();
    // the daemon holds the data dir for its whole life
    assert!(DataLock::acquire(&data_dir).is_err(), "a second writer is refused while the daemon runs");

    let page = dir.path().join(
        "config/demo/site/kinh-te/ha-tang/thong-xe-ky-thuat-duong-vanh-dai-phia-tay-phu-ly-122877.html",
    );
    let html = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, html.replace(old, new)).unwrap();
    let served =
        wait_for("the edited title on the next scheduled run", Duration::from_secs(30), async || {
            fetch(&client, &feed_url).await.filter(|feed| feed.contains(new))
        })
        .await;
    assert!(!served.contains(old), "the item was updated in place, not duplicated");
    assert!(server.requests().len() > runs_before, "the schedule fetched the site again");
    // `all` was republished too
    let all = fetch(&client, &format!("{base}/all.atom")).await.unwrap();
    assert!(all.contains(new), "all.atom follows its categories");

    shutdown.cancel();
    let stopped = tokio::time::timeout(Duration::from_secs(15), daemon).await;
    stopped.expect("the daemon stops within its grace period").unwrap().expect("a clean stop is Ok");

    // the feeds on disk are whole and current; the port and the lock are free again
    let titles = feed_titles(&std::fs::read(feeds_dir.join("kinh-te.rss")).unwrap());
    assert_eq!(titles.iter().filter(|t| t.as_str() == new).count(), 1, "{titles:?}");
    for name in ["all.rss", "all.atom", "chinh-tri.rss", "doi-song.atom", "thoi-su.rss"] {
        assert!(!feed_titles(&std::fs::read(feeds_dir.join(name)).unwrap()).is_empty(), "{name}");
    }
    assert!(client.get(&feed_url).send().await.is_err(), "the server stopped listening");
    DataLock::acquire(&data_dir).expect("the lock is released after the stop");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn tinfeed(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tinfeed"));
    command.current_dir(dir).env("RUST_LOG", "info").env_remove("TINFEED_CONFIG");
    command
}

/// The offline demo daemon as a child process on a free loopback port, with its stderr in a file.
struct Child {
    process: std::process::Child,
    base: String,
    stderr: PathBuf,
}

impl Child {
    fn start(dir: &Path) -> Child {
        let port = free_port();
        let stderr = dir.join("run.log");
        let process = tinfeed(dir)
            .args(["run", "--config", "config/demo.toml"])
            .env("TINFEED_LISTEN", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        Child { process, base: format!("http://127.0.0.1:{port}"), stderr }
    }

    /// Waits until every source has run once (each has a last success in `/readyz`).
    async fn wait_until_every_source_ran(&self, client: &reqwest::Client) {
        let url = format!("{}/readyz", self.base);
        wait_for("every source's first run", Duration::from_secs(60), async || {
            let json: serde_json::Value = serde_json::from_str(&fetch(client, &url).await?).ok()?;
            let sources = json["sources"].as_array()?;
            sources.iter().all(|s| !s["last_success"].is_null()).then_some(())
        })
        .await;
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        // a failed test must not leave a daemon behind
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_binary_with_exit_0_and_whole_feeds() {
    let dir = config_copy();
    let mut child = Child::start(dir.path());
    let client = client();
    child.wait_until_every_source_ran(&client).await;

    let health =
        tinfeed(dir.path()).args(["health", "--url", &format!("{}/healthz", child.base)]).output().unwrap();
    assert_eq!(health.status.code(), Some(0), "{}", String::from_utf8_lossy(&health.stderr));
    // the daemon holds the data dir: a `tinfeed once` beside it fails fast
    let once = tinfeed(dir.path()).args(["once", "--config", "config/demo.toml"]).output().unwrap();
    assert_eq!(once.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&once.stderr).contains("already running"));

    let killed = Command::new("kill").args(["-TERM", &child.process.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status =
        wait_for("the daemon to exit", Duration::from_secs(20), async || child.process.try_wait().unwrap())
            .await;
    let log = child.log();
    assert_eq!(status.code(), Some(0), "{log}");
    assert!(log.contains("signal received") && log.contains("stopped"), "{log}");
    for slug in ["chinh-tri", "kinh-te", "van-hoa-xa-hoi", "doi-song", "thoi-su", "trong-nuoc", "all"] {
        for ext in ["rss", "atom"] {
            let bytes = std::fs::read(dir.path().join(format!("feeds/{slug}.{ext}"))).unwrap();
            assert!(!feed_titles(&bytes).is_empty(), "{slug}.{ext}");
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("feeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no half-written file: {leftovers:?}");

    let probe =
        tinfeed(dir.path()).args(["health", "--url", &format!("{}/healthz", child.base)]).output().unwrap();
    assert_eq!(probe.status.code(), Some(1), "nobody answers any more");
}

/// Debian's `chromium` (the CI installs it), else nothing.
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|name| {
        Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// The DOM Chromium builds for `url`, after scripts and stylesheets (XSLT included).
async fn dump_dom(chromium: &str, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let run = tokio::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.path().display()),
            "--dump-dom",
            url,
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(90), run)
        .await
        .expect("chromium rendered the page within 90 s")
        .unwrap();
    assert!(output.status.success(), "chromium failed on {url}");
    String::from_utf8(output.stdout).unwrap()
}

/// (text, href) of every element `selector` matches.
fn links(html: &str, selector: &str) -> Vec<(String, String)> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(selector).unwrap();
    document
        .select(&selector)
        .map(|a| (a.text().collect::<String>().trim().to_string(), a.attr("href").unwrap_or("").to_string()))
        .collect()
}

fn text_of(html: &str, selector: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(selector).unwrap();
    document.select(&selector).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_sees_the_index_and_a_readable_feed_page_in_chromium() {
    let Some(chromium) = chromium() else {
        println!(
            "SKIPPED: chromium is not installed (Debian: `apt-get install chromium`; .ci/run installs it)"
        );
        return;
    };
    let dir = config_copy();
    let child = Child::start(dir.path());
    let client = client();
    child.wait_until_every_source_ran(&client).await;

    let index = dump_dom(chromium, &format!("{}/", child.base)).await;
    assert_eq!(text_of(&index, "h1"), ["Báo Hà Nam"], "{index}");
    let feeds = links(&index, "td.feed a");
    let expected: Vec<(String, String)> = [
        ("Báo Hà Nam", "all.rss"),
        ("Báo Hà Nam – Chính trị", "chinh-tri.rss"),
        ("Báo Hà Nam – Kinh tế", "kinh-te.rss"),
        ("Báo Hà Nam – Văn hóa - Xã hội", "van-hoa-xa-hoi.rss"),
        ("Báo Hà Nam – Đời sống", "doi-song.rss"),
        ("Báo Hà Nam – Thời sự", "thoi-su.rss"),
        ("Báo Hà Nam – Trong nước", "trong-nuoc.rss"),
    ]
    .map(|(t, h)| (t.to_string(), h.to_string()))
    .into();
    assert_eq!(feeds, expected, "{index}");
    let counts = text_of(&index, "td.items");
    assert!(counts.iter().all(|c| c.parse::<usize>().is_ok_and(|n| n > 0)), "{counts:?}");
    assert_eq!(links(&index, "link[rel=alternate]").len(), 14, "autodiscovery for every feed file");

    // the feed, rendered through feed.xsl
    let page = dump_dom(chromium, &format!("{}/chinh-tri.rss", child.base)).await;
    assert_eq!(text_of(&page, "h1"), ["Báo Hà Nam – Chính trị"], "{page}");
    assert!(text_of(&page, "p.banner")[0].starts_with("Đây là nguồn tin"), "{page}");
    let items = links(&page, "li.item a.title");
    let rss = std::fs::read_to_string(dir.path().join("feeds/chinh-tri.rss")).unwrap();
    assert_eq!(items.len(), rss.matches("<item>").count(), "{page}");
    assert!(
        items.iter().any(|(title, _)| title == "Khai mạc Kỳ họp thứ ba HĐND tỉnh khóa XX"),
        "a Vietnamese title as written: {items:?}"
    );
    for (title, href) in &items {
        assert!(!title.is_empty() && href.ends_with(".html"), "{title} → {href}");
        assert!(rss.contains(&format!("<link>{href}</link>")), "each link is the item's: {href}");
    }
    // dates as Vietnamese readers write them: day first
    let meta = text_of(&page, "li.item div.meta");
    assert!(
        meta.iter().all(|m| m.len() >= 16 && m.as_bytes()[2] == b'/' && m.as_bytes()[5] == b'/'),
        "{meta:?}"
    );
}

/// The exec-form JSON array after `instruction` in the Dockerfile (`CMD ["run"]`).
fn exec_form(dockerfile: &str, instruction: &str) -> Vec<String> {
    let line =
        dockerfile.lines().find(|l| l.starts_with(instruction)).unwrap_or_else(|| panic!("no {instruction}"));
    let json = &line[line.find('[').unwrap()..];
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{instruction}: {e}"))
}

#[test]
fn the_container_runs_real_commands_with_variables_tinfeed_reads() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dockerfile = std::fs::read_to_string(repo.join("Dockerfile")).unwrap();

    // ENV: every TINFEED_* it sets is read by tinfeed
    let env_block: String = {
        let start = dockerfile.find("\nENV ").unwrap() + 5;
        let mut block = String::new();
        for line in dockerfile[start..].lines() {
            block.push_str(line.trim_end_matches('\\'));
            block.push(' ');
            if !line.ends_with('\\') {
                break;
            }
        }
        block
    };
    let vars: Vec<(String, String)> = env_block
        .split_whitespace()
        .map(|pair| pair.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())).unwrap())
        .collect();
    assert_eq!(vars.len(), 4, "{vars:?}");
    for (name, _) in &vars {
        assert!(
            name == "TINFEED_CONFIG" || tinfeed::config::ENV_OVERRIDES.contains(&name.as_str()),
            "{name}"
        );
    }

    // the image's config under those variables validates and listens on every interface
    let dir = config_copy();
    let image_root = dir.path().join("var/lib/tinfeed");
    std::fs::create_dir_all(&image_root).unwrap();
    copy_tree(&dir.path().join("config"), &image_root.join("config"));
    let rooted = |value: &str| value.replace("/var/lib/tinfeed", &image_root.display().to_string());
    let mut check = tinfeed(dir.path());
    check.arg("check");
    for (name, value) in &vars {
        check.env(name, rooted(value));
    }
    let out = check.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("listen   0.0.0.0:8080"), "{stdout}");
    assert!(stdout.contains(&format!("data     {}", image_root.join("data").display())), "{stdout}");

    // ENTRYPOINT + CMD and the HEALTHCHECK are commands the binary accepts
    let entrypoint = exec_form(&dockerfile, "ENTRYPOINT");
    let cmd = exec_form(&dockerfile, "CMD");
    assert_eq!(entrypoint[0], "/usr/local/bin/tinfeed");
    assert_eq!(cmd, ["run"], "the default command is the daemon");
    let healthcheck = exec_form(&dockerfile, "HEALTHCHECK");
    assert_eq!(healthcheck, ["/usr/local/bin/tinfeed", "health"]);
    for args in [[&entrypoint[1..], &cmd[..]].concat(), healthcheck[1..].to_vec()] {
        let out = tinfeed(dir.path()).args(&args).arg("--help").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(dockerfile.contains("\nEXPOSE 8080\n") && dockerfile.contains("\nUSER 65532:65532\n"));
}

/// The build stage copies every file cargo reads to build: a missing `build.rs` or a bench the
/// manifest names would fail `docker build`, which no other test runs.
#[test]
fn the_image_build_copies_what_cargo_reads() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dockerfile = std::fs::read_to_string(repo.join("Dockerfile")).unwrap();
    let copied: Vec<&str> = dockerfile
        .lines()
        .filter_map(|l| l.strip_prefix("COPY "))
        .filter(|l| !l.starts_with("--"))
        .flat_map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            words[..words.len() - 1].to_vec()
        })
        .collect();
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo.join("Cargo.toml")).unwrap()).unwrap();
    let mut needed = vec!["Cargo.toml", "Cargo.lock", "src"];
    if repo.join("build.rs").exists() {
        needed.push("build.rs");
    }
    if manifest.contains_key("bench") {
        needed.push("benches");
    }
    for file in needed {
        assert!(copied.contains(&file), "the Dockerfile's build stage does not COPY {file}: {copied:?}");
    }
}
