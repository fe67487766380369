//! A loopback HTTP/1.1 server written on raw TCP, so a test can misbehave at the byte level:
//! answer slowly byte by byte, hang after the headers, cut a body short, stream 50 MB, send a
//! gzip bomb, loop redirects, lie about the charset. Every request is logged with its headers;
//! the server also counts how many requests it handles at once.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What a path answers.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete response.
    Full { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    /// 200 with an ETag; 304 when the request's `If-None-Match` matches it.
    Validated { etag: String, body: Vec<u8> },
    /// The headers at once (with the true length), then one byte every `every`.
    Slow { body: Vec<u8>, every: Duration },
    /// Headers announcing a body, then silence until the client hangs up.
    HangAfterHeaders,
    /// `Content-Length: declared`, then only `body`, then the connection closes.
    Truncated { body: Vec<u8>, declared: usize },
    /// `bytes` of HTML-ish filler, chunked (no length announced), until done or the client quits.
    Endless { bytes: usize },
    /// Pre-compressed bytes sent with `Content-Encoding: gzip`.
    Gzip { compressed: Vec<u8> },
    /// The first request gets the first reply, and so on; the last one repeats.
    Sequence(Vec<Reply>),
    /// `reply`, after holding the request for `delay` (to see concurrency).
    Delayed { delay: Duration, reply: Box<Reply> },
}

impl Reply {
    pub fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply::typed("text/html; charset=utf-8", body)
    }

    pub fn typed(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply::Full { status, headers: vec![], body: format!("HTTP {status}").into_bytes() }
    }

    pub fn with_header(status: u16, name: &str, value: &str) -> Reply {
        Reply::Full { status, headers: vec![(name.into(), value.into())], body: Vec::new() }
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    /// Header names lower-cased.
    pub headers: HashMap<String, String>,
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Reply>,
    served: HashMap<String, usize>,
    log: Vec<Seen>,
}

/// The running server; it stops with the test's runtime.
pub struct FaultServer {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
}

impl FaultServer {
    pub async fn start() -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let server = FaultServer {
            addr,
            state: Arc::default(),
            in_flight: Arc::default(),
            max_in_flight: Arc::default(),
        };
        let (state, in_flight, max) =
            (server.state.clone(), server.in_flight.clone(), server.max_in_flight.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (state, in_flight, max) = (state.clone(), in_flight.clone(), max.clone());
                tokio::spawn(async move { handle(stream, state, in_flight, max).await });
            }
        });
        server
    }

    /// `http://127.0.0.1:PORT` + path.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The same server under another host name: a different origin for tinfeed.
    pub fn url_as_localhost(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.addr.port())
    }

    /// `path` under the `localhost` name only (see [`FaultServer::url_as_localhost`]).
    pub fn route_on_localhost(&self, path: &str, reply: Reply) {
        self.route(&format!("localhost:{}{path}", self.addr.port()), reply);
    }

    /// What `path` answers from now on (under any host name unless a host-specific route exists).
    pub fn route(&self, path: &str, reply: Reply) {
        let mut state = self.state.lock().unwrap();
        state.routes.insert(path.to_string(), reply);
        state.served.remove(path);
    }

    /// Every request so far.
    pub fn log(&self) -> Vec<Seen> {
        self.state.lock().unwrap().log.clone()
    }

    /// How many requests asked for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.log().iter().filter(|s| s.path == path).count()
    }

    /// Forgets the log (between runs).
    pub fn clear_log(&self) {
        self.state.lock().unwrap().log.clear();
    }

    /// The most requests handled at once since the start.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }
}

async fn handle(
    mut stream: TcpStream,
    state: Arc<Mutex<State>>,
    in_flight: Arc<AtomicUsize>,
    max: Arc<AtomicUsize>,
) {
    let Some(seen) = read_head(&mut stream).await else { return };
    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    max.fetch_max(now, Ordering::SeqCst);
    let reply = {
        let mut state = state.lock().unwrap();
        state.log.push(seen.clone());
        let n = *state.served.entry(seen.path.clone()).and_modify(|n| *n += 1).or_insert(1);
        let state = &*state;
        let host = seen.headers.get("host").map_or("", String::as_str);
        let route =
            state.routes.get(&format!("{host}{}", seen.path)).or_else(|| state.routes.get(&seen.path));
        match route {
            Some(Reply::Sequence(replies)) => replies.get(n - 1).or(replies.last()).cloned(),
            other => other.cloned(),
        }
    };
    let mut reply = reply.unwrap_or_else(|| Reply::status(404));
    // "in flight" = received and not yet answered: the client is surely still waiting then
    if let Reply::Delayed { delay, reply: inner } = reply {
        tokio::time::sleep(delay).await;
        reply = *inner;
    }
    in_flight.fetch_sub(1, Ordering::SeqCst);
    Box::pin(answer(&mut stream, &seen, reply)).await;
    let _ = stream.shutdown().await;
}

async fn read_head(stream: &mut TcpStream) -> Option<Seen> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 || head.len() > 64 * 1024 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Seen { path, headers })
}

fn head(status: u16, headers: &[(String, String)], length: Option<usize>) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\nConnection: close\r\n", reason(status));
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(length) = length {
        out.push_str(&format!("Content-Length: {length}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

async fn answer(stream: &mut TcpStream, seen: &Seen, reply: Reply) {
    let html = || vec![("Content-Type".to_string(), "text/html; charset=utf-8".to_string())];
    match reply {
        Reply::Full { status, headers, body } => {
            let mut out = head(status, &headers, Some(body.len()));
            out.extend_from_slice(&body);
            let _ = stream.write_all(&out).await;
        }
        Reply::Validated { etag, body } => {
            let mut headers = html();
            headers.push(("ETag".into(), etag.clone()));
            if seen.headers.get("if-none-match") == Some(&etag) {
                let _ = stream.write_all(&head(304, &headers, None)).await;
            } else {
                let mut out = head(200, &headers, Some(body.len()));
                out.extend_from_slice(&body);
                let _ = stream.write_all(&out).await;
            }
        }
        Reply::Slow { body, every } => {
            if stream.write_all(&head(200, &html(), Some(body.len()))).await.is_err() {
                return;
            }
            for byte in body {
                tokio::time::sleep(every).await;
                if stream.write_all(&[byte]).await.is_err() {
                    return;
                }
            }
        }
        Reply::HangAfterHeaders => {
            if stream.write_all(&head(200, &html(), Some(10_000))).await.is_ok() {
                // until the client gives up and closes
                let mut buf = [0u8; 64];
                while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
            }
        }
        Reply::Truncated { body, declared } => {
            let mut out = head(200, &html(), Some(declared));
            out.extend_from_slice(&body);
            let _ = stream.write_all(&out).await;
        }
        Reply::Endless { bytes } => {
            let mut headers = html();
            headers.push(("Transfer-Encoding".into(), "chunked".into()));
            if stream.write_all(&head(200, &headers, None)).await.is_err() {
                return;
            }
            let filler = "<p>Tin tức mới nhất trong ngày. </p>\n".repeat(1800);
            let chunk = format!("{:x}\r\n{filler}\r\n", filler.len());
            let mut sent = 0;
            while sent < bytes {
                if stream.write_all(chunk.as_bytes()).await.is_err() {
                    return;
                }
                sent += filler.len();
            }
            let _ = stream.write_all(b"0\r\n\r\n").await;
        }
        Reply::Gzip { compressed } => {
            let mut headers = html();
            headers.push(("Content-Encoding".into(), "gzip".into()));
            let mut out = head(200, &headers, Some(compressed.len()));
            out.extend_from_slice(&compressed);
            let _ = stream.write_all(&out).await;
        }
        Reply::Sequence(_) => unreachable!("sequences are resolved before answering"),
        Reply::Delayed { reply, .. } => Box::pin(answer(stream, seen, *reply)).await,
    }
}

/// `size` zero bytes, gzipped: a few kilobytes that inflate to `size`.
pub fn gzip_bomb(size: usize) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(zeros.len());
        encoder.write_all(&zeros[..n]).unwrap();
        left -= n;
    }
    encoder.finish().unwrap()
}
