//! The `tinfeed` binary as an operator runs it: exit codes, messages, and the demo config
//! working offline (it reads `file:` URLs, so no server is needed).

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::copy_tree;

fn tinfeed(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tinfeed"))
        .args(args)
        .current_dir(dir)
        .env("RUST_LOG", "info")
        .env_remove("TINFEED_CONFIG")
        .output()
        .expect("run tinfeed")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A copy of config/ (demo.toml, demo/, tinfeed.toml) so runs write into a temp dir.
fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config"), &dir.path().join("config"));
    dir
}

#[test]
fn once_on_the_offline_demo_publishes_every_feed_then_changes_nothing() {
    let dir = demo_copy();
    let out = tinfeed(&["once", "--config", "config/demo.toml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("ok     doi-song"), "{stdout}");
    for slug in ["chinh-tri", "kinh-te", "van-hoa-xa-hoi", "doi-song", "thoi-su", "trong-nuoc", "all"] {
        for ext in ["rss", "atom"] {
            let file = dir.path().join(format!("feeds/{slug}.{ext}"));
            assert!(file.is_file(), "{} missing", file.display());
        }
    }
    assert!(text(&out.stderr).contains("source done"), "logs go to stderr");

    let again = tinfeed(&["once", "--config", "config/demo.toml"], dir.path());
    assert_eq!(again.status.code(), Some(0));
    let stdout = text(&again.stdout);
    assert!(!stdout.contains("written"), "{stdout}");
    assert_eq!(stdout.matches("unchanged").count(), 7, "{stdout}");
}

#[test]
fn check_prints_sources_schedules_and_feed_files() {
    let dir = demo_copy();
    let out = tinfeed(&["check", "--config", "config/demo.toml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for expected in [
        "source chinh-tri",
        "category `Văn hóa - Xã hội` → van-hoa-xa-hoi.rss, van-hoa-xa-hoi.atom",
        "schedule `0 */15 * * * *`",
        "selectors: none (generic extraction)",
        "all.rss all.atom",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in\n{stdout}");
    }
    // the shipped production config is valid too
    let out = tinfeed(&["check", "--config", "config/tinfeed.toml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
}

#[test]
fn a_broken_config_exits_2_with_every_error_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        "[site]\ntitle = \"Báo Hà Nam\"\n\n[[sources]]\nid = \"a\"\nkind = \"html\"\nurl = \"https://baohanam.com.vn/\"\n\
         category = \"Kinh tế\"\nschedule = \"hourly\"\n[sources.selectors]\nitem = \"h3 >\"\n",
    )
    .unwrap();
    for command in ["once", "check"] {
        let out = tinfeed(&[command, "--config", "bad.toml"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{command}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains("bad.toml:9:12: invalid cron schedule `hourly`"), "{stderr}");
        assert!(stderr.contains("bad.toml:11:8: invalid CSS selector `h3 >`"), "{stderr}");
        assert!(stderr.contains("2 problems in the config"), "{stderr}");
    }
    let out = tinfeed(&["check", "--config", "missing.toml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("missing.toml: cannot read config"));
}

#[test]
fn a_failing_source_exits_1_and_the_feeds_are_still_published() {
    let dir = demo_copy();
    let config = dir.path().join("config/demo.toml");
    let text_before = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text_before.replace("file:demo/site/kinh-te/index.html", "file:demo/site/gone/index.html"),
    )
    .unwrap();
    let out = tinfeed(&["once", "--config", "config/demo.toml"], dir.path());
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("FAILED kinh-te"), "{stdout}");
    assert!(stdout.contains("gone/index.html"), "the error names the URL: {stdout}");
    assert!(dir.path().join("feeds/all.rss").is_file());
    assert!(dir.path().join("feeds/kinh-te.rss").is_file(), "an empty but valid feed");
}

#[test]
fn a_second_concurrent_run_is_refused_with_a_clear_message() {
    let dir = demo_copy();
    let _held = tinfeed::pipeline::DataLock::acquire(&dir.path().join("data")).unwrap();
    let out = tinfeed(&["once", "--config", "config/demo.toml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("another tinfeed is already running"), "{}", text(&out.stderr));
    assert!(!dir.path().join("feeds/all.rss").exists(), "nothing written");
}

#[test]
fn inspect_shows_what_a_source_would_produce_and_stores_nothing() {
    let dir = demo_copy();
    let out = tinfeed(&["inspect", "doi-song", "--json", "--config", "config/demo.toml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(items.len(), 4);
    assert_eq!(items[0]["title"], "Bàn giao 50 nhà Đại đoàn kết cho hộ khó khăn");
    assert_eq!(items[0]["published"], "2026-11-24T18:40:00+07:00");
    assert_eq!(items[0]["category_slug"], "doi-song");
    assert!(!dir.path().join("data/tinfeed.sqlite").exists(), "nothing stored");

    let out = tinfeed(&["inspect", "chinh-tri", "--config", "config/demo.toml"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Khai mạc Kỳ họp thứ ba HĐND tỉnh khóa XX"));

    let out = tinfeed(&["inspect", "the-thao", "--config", "config/demo.toml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no source `the-thao`"), "{}", text(&out.stderr));
}
