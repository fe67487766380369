//! The shipped demo (config/demo.toml and config/demo/) copied to a temp dir, its site served on
//! loopback: what the end-to-end tests crawl.

use std::path::{Path, PathBuf};

use tinfeed::config::Config;
use tinfeed::pipeline::{self, RunReport};

use super::{FixtureServer, copy_tree};

/// A copy of the demo (site, files, config) in a temp dir, its site served over HTTP.
pub struct Demo {
    pub dir: tempfile::TempDir,
    pub server: FixtureServer,
}

impl Demo {
    pub async fn start() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_tree(&repo.join("config/demo"), &dir.path().join("demo"));
        let server = FixtureServer::start(&dir.path().join("demo/site")).await;
        let demo = Demo { dir, server };
        demo.write_config(|text| text);
        demo
    }

    /// Writes demo.toml from the shipped one, pointed at the loopback server and the temp dir;
    /// `edit` may change it further.
    pub fn write_config(&self, edit: impl FnOnce(String) -> String) {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(repo.join("config/demo.toml")).unwrap();
        assert!(text.contains("file:demo/site/"), "demo.toml reads the site through file: URLs");
        let text = text
            .replace("file:demo/site/", &self.server.url(""))
            .replace("\"../feeds\"", "\"feeds\"")
            .replace("\"../data\"", "\"data\"");
        std::fs::write(self.config_path(), edit(text)).unwrap();
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("demo.toml")
    }

    pub fn config(&self) -> Config {
        Config::load(&self.config_path()).unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn run(&self) -> RunReport {
        pipeline::run_once(&self.config()).await.expect("run")
    }

    pub fn feed_path(&self, file: &str) -> PathBuf {
        self.dir.path().join("feeds").join(file)
    }

    pub fn feed_bytes(&self, file: &str) -> Vec<u8> {
        std::fs::read(self.feed_path(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    /// Every feed file, by name.
    pub fn all_feeds(&self) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(self.dir.path().join("feeds"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
            .collect();
        files.sort();
        files
    }

    pub fn feed(&self, file: &str) -> feed_rs::model::Feed {
        feed_rs::parser::parse(&self.feed_bytes(file)[..]).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    pub fn site_file(&self, path: &str) -> PathBuf {
        self.dir.path().join("demo/site").join(path)
    }
}
