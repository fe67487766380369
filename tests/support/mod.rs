//! A loopback HTTP server over a folder of fixture pages, started by each test: no network
//! beyond 127.0.0.1. Pages are read from disk per request, so a test can edit an article
//! between runs, and any path can be made to fail with a 500.

#![allow(dead_code)]

pub mod demo;
pub mod faults;
pub mod rules;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::Response;

#[derive(Clone)]
struct Shared {
    root: PathBuf,
    failing: Arc<Mutex<HashSet<String>>>,
    requests: Arc<Mutex<Vec<String>>>,
}

/// The running server. Dropping it stops it (the tokio runtime of the test ends it).
pub struct FixtureServer {
    pub addr: SocketAddr,
    shared: Shared,
}

impl FixtureServer {
    /// Serves `root` on an ephemeral loopback port.
    pub async fn start(root: &Path) -> FixtureServer {
        let shared = Shared { root: root.to_path_buf(), failing: Arc::default(), requests: Arc::default() };
        let app = Router::new().fallback(serve).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        FixtureServer { addr, shared }
    }

    /// `http://127.0.0.1:PORT/` + path.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{}", self.addr, path.trim_start_matches('/'))
    }

    /// Makes every request whose path starts with `prefix` answer 500 (or heals it with `false`).
    pub fn fail(&self, prefix: &str, failing: bool) {
        let mut set = self.shared.failing.lock().unwrap();
        if failing {
            set.insert(prefix.to_string());
        } else {
            set.remove(prefix);
        }
    }

    /// The paths requested so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.shared.requests.lock().unwrap().clone()
    }
}

async fn serve(State(shared): State<Shared>, uri: Uri) -> Response {
    let path = uri.path().to_string();
    shared.requests.lock().unwrap().push(path.clone());
    let status = |code: StatusCode| Response::builder().status(code).body(Body::empty()).unwrap();
    if shared.failing.lock().unwrap().iter().any(|p| path.starts_with(p.as_str())) {
        return status(StatusCode::INTERNAL_SERVER_ERROR);
    }
    let relative = path.trim_start_matches('/');
    if relative.split('/').any(|part| part == "..") {
        return status(StatusCode::BAD_REQUEST);
    }
    let mut file = shared.root.join(relative);
    if file.is_dir() {
        file = file.join("index.html");
    }
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let kind = match file.extension().and_then(|e| e.to_str()) {
                Some("html" | "htm") => "text/html; charset=utf-8",
                Some("xml" | "rss") => "application/xml",
                _ => "application/octet-stream",
            };
            Response::builder().header(header::CONTENT_TYPE, kind).body(Body::from(bytes)).unwrap()
        }
        Err(_) => status(StatusCode::NOT_FOUND),
    }
}

/// Copies a folder tree (the demo site) so a test can edit it.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
