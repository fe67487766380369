//! The request aggregators make all day, answered without hyper: a `GET` or `HEAD` of a cached
//! feed on a kept-alive HTTP/1.1 connection. The body goes out by `sendfile(2)` from the
//! asset's file of its coding (see [`super::asset::Spool`]), as nginx sends files: the copy from
//! user space it saves is a third of the cost of a 200 KB plain answer and a tenth of a gzip
//! one. Heads are written from memory.
//!
//! Anything else (another path or method, a request body, `Expect`, `Upgrade`, HTTP/1.0, a head
//! that does not parse or is too big) hands the connection, with the bytes already read, to
//! hyper for the rest of its life: every other behaviour is exactly the router's. The answers
//! themselves come from [`Asset::answer`], the same code the router's feed route uses.

use std::io;
use std::os::fd::AsRawFd;
use std::time::SystemTime;

use axum::http::header::{CONNECTION, CONTENT_LENGTH, EXPECT, TRANSFER_ENCODING, UPGRADE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use bytes::{Buf, Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt, Interest};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

use super::AppState;
use super::asset::Asset;
use super::listen::{HEADER_TIMEOUT, WRITE_STALL_TIMEOUT};

/// The socket's send buffer (the kernel doubles it): a whole 200 KB feed fits, so one
/// `sendfile` call hands it over instead of several rounds of waiting for the buffer to drain.
/// Left to autotuning, which starts at 16 KB, a full answer took 15% more CPU and twice the p99
/// (bench/serve.sh). It is a cap, not an allocation: the kernel holds only what is in flight.
const SEND_BUFFER: libc::c_int = 512 * 1024;

/// Heads bigger than this go to hyper, which has its own limits and errors.
const MAX_HEAD: usize = 16 * 1024;
const MAX_HEADERS: usize = 48;

/// How a directly served connection ended.
pub enum Ended {
    /// Closed: by the client, a timeout, an error, `Connection: close` or the stop.
    Closed,
    /// A request this path does not answer: hyper takes the connection, replaying `read`.
    Handoff { stream: TcpStream, read: Bytes },
}

/// Serves requests on `stream` until it closes or a request needs hyper.
pub async fn serve(mut stream: TcpStream, state: &AppState, shutdown: &CancellationToken) -> Ended {
    let mut buf = BytesMut::with_capacity(4096);
    set_send_buffer(&stream);
    loop {
        let request = match next_request(&mut stream, &mut buf, shutdown).await {
            Next::Request(request) => request,
            Next::Handoff => return Ended::Handoff { stream, read: buf.freeze() },
            Next::Closed => return Ended::Closed,
        };
        let Some(asset) = state.cache.feed(&request.name) else {
            return Ended::Handoff { stream, read: buf.freeze() };
        };
        buf.advance(request.head_len);
        let answer = asset.answer(&request.headers);
        state.metrics.http(answer.status.as_u16());
        if respond(&mut stream, &asset, answer, request.head_only, request.close).await.is_err()
            || request.close
        {
            return Ended::Closed;
        }
    }
}

/// A request this path answers.
struct Request {
    /// The file asked for: the path without its `/` and query.
    name: String,
    headers: HeaderMap,
    head_only: bool,
    close: bool,
    head_len: usize,
}

enum Next {
    Request(Request),
    Handoff,
    Closed,
}

/// Reads until `buf` holds a whole request head (within [`HEADER_TIMEOUT`], which also bounds
/// the wait for the next request on an idle connection) and parses it.
async fn next_request(stream: &mut TcpStream, buf: &mut BytesMut, shutdown: &CancellationToken) -> Next {
    let deadline = tokio::time::Instant::now() + HEADER_TIMEOUT;
    loop {
        if !buf.is_empty() {
            match parse(buf) {
                Parsed::Request(request) => return Next::Request(request),
                Parsed::Other => return Next::Handoff,
                Parsed::Partial if buf.len() > MAX_HEAD => return Next::Handoff,
                Parsed::Partial => {}
            }
        }
        let read = tokio::select! {
            // between requests the stop closes the connection; inside one, the head is finished
            () = shutdown.cancelled(), if buf.is_empty() => return Next::Closed,
            read = tokio::time::timeout_at(deadline, stream.read_buf(buf)) => read,
        };
        match read {
            Ok(Ok(n)) if n > 0 => {}
            _ => return Next::Closed,
        }
    }
}

enum Parsed {
    Request(Request),
    Partial,
    /// A whole head this path leaves to hyper, or one that does not parse.
    Other,
}

fn parse(buf: &[u8]) -> Parsed {
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut head = httparse::Request::new(&mut slots);
    let head_len = match head.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Parsed::Partial,
        Err(_) => return Parsed::Other,
    };
    let head_only = match head.method {
        Some("GET") => false,
        Some("HEAD") => true,
        _ => return Parsed::Other,
    };
    if head.version != Some(1) {
        return Parsed::Other;
    }
    let Some(path) = head.path.and_then(|p| p.strip_prefix('/')) else { return Parsed::Other };
    let name = path.split_once('?').map_or(path, |(name, _)| name);
    let mut headers = HeaderMap::with_capacity(head.headers.len());
    for header in head.headers.iter() {
        let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(header.name.as_bytes()), HeaderValue::from_bytes(header.value))
        else {
            return Parsed::Other;
        };
        headers.append(name, value);
    }
    // every `Content-Length` counts: "0" then "5" must not let 5 body bytes pass for a request
    let has_body = headers.contains_key(TRANSFER_ENCODING)
        || headers.get_all(CONTENT_LENGTH).iter().any(|v| v.as_bytes() != b"0");
    if has_body || headers.contains_key(EXPECT) || headers.contains_key(UPGRADE) {
        return Parsed::Other;
    }
    let close = headers.get_all(CONNECTION).iter().any(|v| {
        v.to_str().is_ok_and(|v| v.split(',').any(|token| token.trim().eq_ignore_ascii_case("close")))
    });
    Parsed::Request(Request { name: name.to_string(), headers, head_only, close, head_len })
}

/// Writes the answer: the head, then the body (none for `HEAD` and 304).
async fn respond(
    stream: &mut TcpStream,
    asset: &Asset,
    answer: super::asset::Answer,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let ok = answer.status == StatusCode::OK;
    let length = ok.then(|| asset.len(answer.encoding));
    let head = head_bytes(answer.status, &answer.headers, length, close);
    match (ok && !head_only, asset.file(answer.encoding)) {
        (false, _) => write_all(stream, &head).await,
        (true, Some(file)) => {
            send_head(stream, &head).await?;
            send_file(stream, file, asset.len(answer.encoding)).await
        }
        (true, None) => write_both(stream, &head, &asset.body(answer.encoding)).await,
    }
}

/// The status line and headers, with `Date`, `Content-Length` and `Connection: close` as hyper
/// would add them.
fn head_bytes(status: StatusCode, headers: &HeaderMap, length: Option<usize>, close: bool) -> Vec<u8> {
    let mut head = Vec::with_capacity(512);
    head.extend_from_slice(b"HTTP/1.1 ");
    head.extend_from_slice(status.as_str().as_bytes());
    head.push(b' ');
    head.extend_from_slice(status.canonical_reason().unwrap_or("").as_bytes());
    head.extend_from_slice(b"\r\n");
    for (name, value) in headers {
        push_header(&mut head, name.as_str(), value.as_bytes());
    }
    if let Some(length) = length {
        push_header(&mut head, "content-length", length.to_string().as_bytes());
    }
    if close {
        push_header(&mut head, "connection", b"close");
    }
    http_date(|date| push_header(&mut head, "date", date.as_bytes()));
    head.extend_from_slice(b"\r\n");
    head
}

/// Calls `f` with the `Date` header of this second, formatted once per second per thread.
fn http_date(f: impl FnOnce(&str)) {
    thread_local! {
        static DATE: std::cell::RefCell<(u64, String)> = const { std::cell::RefCell::new((u64::MAX, String::new())) };
    }
    let now = SystemTime::now();
    let second = now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    DATE.with_borrow_mut(|(cached, text)| {
        if *cached != second {
            *cached = second;
            *text = httpdate::fmt_http_date(now);
        }
        f(text);
    });
}

fn push_header(head: &mut Vec<u8>, name: &str, value: &[u8]) {
    head.extend_from_slice(name.as_bytes());
    head.extend_from_slice(b": ");
    head.extend_from_slice(value);
    head.extend_from_slice(b"\r\n");
}

fn set_send_buffer(stream: &TcpStream) {
    let size = SEND_BUFFER;
    // SAFETY: our own open socket, and a pointer to a c_int of the length given.
    let _ = unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_SNDBUF,
            (&raw const size).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
}

/// Writes all of `bytes`, giving up once the client has read nothing for [`WRITE_STALL_TIMEOUT`].
async fn write_all(stream: &mut TcpStream, bytes: &[u8]) -> io::Result<()> {
    tokio::time::timeout(WRITE_STALL_TIMEOUT, stream.write_all(bytes)).await.map_err(stalled)?
}

/// Writes the head and an in-memory body together: one `writev` for a gzip feed.
async fn write_both(stream: &mut TcpStream, head: &[u8], body: &[u8]) -> io::Result<()> {
    let (mut head, mut body) = (head, body);
    while !head.is_empty() {
        let slices = [io::IoSlice::new(head), io::IoSlice::new(body)];
        let written = tokio::time::timeout(WRITE_STALL_TIMEOUT, stream.write_vectored(&slices))
            .await
            .map_err(stalled)??;
        if written == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        let from_head = written.min(head.len());
        head = &head[from_head..];
        body = &body[written - from_head..];
    }
    write_all(stream, body).await
}

/// Writes the head with `MSG_MORE`: the kernel holds it back to share a packet with the body.
async fn send_head(stream: &mut TcpStream, head: &[u8]) -> io::Result<()> {
    let mut sent = 0;
    while sent < head.len() {
        let rest = &head[sent..];
        sent += with_socket(stream, || {
            // SAFETY: a valid buffer of `rest.len()` bytes and our own open socket.
            let n = unsafe {
                libc::send(
                    stream.as_raw_fd(),
                    rest.as_ptr().cast(),
                    rest.len(),
                    libc::MSG_MORE | libc::MSG_NOSIGNAL,
                )
            };
            if n < 0 { Err(io::Error::last_os_error()) } else { Ok(n as usize) }
        })
        .await?;
    }
    Ok(())
}

/// Sends `len` bytes of `file` from its start with `sendfile(2)`: no copy through user space.
async fn send_file(stream: &mut TcpStream, file: &std::fs::File, len: usize) -> io::Result<()> {
    let mut offset: libc::off_t = 0;
    while (offset as usize) < len {
        let rest = len - offset as usize;
        let sent = with_socket(stream, || {
            // SAFETY: our own open socket and file; the kernel advances `offset`.
            let n = unsafe { libc::sendfile(stream.as_raw_fd(), file.as_raw_fd(), &mut offset, rest) };
            if n < 0 { Err(io::Error::last_os_error()) } else { Ok(n as usize) }
        })
        .await?;
        if sent == 0 {
            return Err(io::Error::new(io::ErrorKind::WriteZero, "the feed's memory file ended early"));
        }
    }
    Ok(())
}

/// Runs a non-blocking socket write when the socket is writable, waiting as long as it is full,
/// for at most [`WRITE_STALL_TIMEOUT`] without progress.
async fn with_socket(stream: &TcpStream, mut write: impl FnMut() -> io::Result<usize>) -> io::Result<usize> {
    let attempt = async {
        loop {
            stream.writable().await?;
            match stream.try_io(Interest::WRITABLE, &mut write) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                done => return done,
            }
        }
    };
    tokio::time::timeout(WRITE_STALL_TIMEOUT, attempt).await.map_err(stalled)?
}

fn stalled(_: tokio::time::error::Elapsed) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, format!("the client read nothing for {WRITE_STALL_TIMEOUT:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(text: &str) -> Request {
        match parse(text.as_bytes()) {
            Parsed::Request(request) => request,
            Parsed::Partial => panic!("partial: {text:?}"),
            Parsed::Other => panic!("left to hyper: {text:?}"),
        }
    }

    #[test]
    fn gets_and_heads_of_a_file_are_answered_here() {
        let get =
            request("GET /thoi-su.rss?utm_source=x HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\nGET");
        assert_eq!((get.name.as_str(), get.head_only, get.close), ("thoi-su.rss", false, false));
        assert_eq!(get.headers["accept-encoding"], "gzip");
        assert_eq!(
            get.head_len,
            "GET /thoi-su.rss?utm_source=x HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n".len()
        );
        let head =
            request("HEAD /all.atom HTTP/1.1\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n");
        assert_eq!((head.name.as_str(), head.head_only, head.close), ("all.atom", true, true));
    }

    #[test]
    fn everything_else_is_left_to_hyper() {
        for text in [
            "POST /thoi-su.rss HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /thoi-su.rss HTTP/1.0\r\n\r\n",
            "GET /thoi-su.rss HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
            "GET /thoi-su.rss HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET /thoi-su.rss HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nhello",
            "GET /thoi-su.rss HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
            "GET /thoi-su.rss HTTP/1.1\r\nUpgrade: websocket\r\n\r\n",
            "GET thoi-su.rss HTTP/1.1\r\n\r\n",
            "GET /thoi su.rss HTTP/1.1\r\n\r\n",
            "\u{1}\u{2} garbage\r\n\r\n",
        ] {
            assert!(matches!(parse(text.as_bytes()), Parsed::Other), "{text:?}");
        }
        assert!(matches!(parse(b"GET /thoi-su.rss HTTP/1.1\r\nHost: a\r\n"), Parsed::Partial));
    }

    #[test]
    fn heads_carry_length_date_and_close_like_hyper() {
        let mut headers = HeaderMap::new();
        headers.insert("etag", HeaderValue::from_static("\"abc\""));
        let head = String::from_utf8(head_bytes(StatusCode::OK, &headers, Some(221_472), true)).unwrap();
        assert!(head.starts_with("HTTP/1.1 200 OK\r\netag: \"abc\"\r\ncontent-length: 221472\r\n"), "{head}");
        assert!(head.contains("\r\nconnection: close\r\ndate: ") && head.ends_with(" GMT\r\n\r\n"), "{head}");
        let not_modified =
            String::from_utf8(head_bytes(StatusCode::NOT_MODIFIED, &headers, None, false)).unwrap();
        assert!(not_modified.starts_with("HTTP/1.1 304 Not Modified\r\n"), "{not_modified}");
        assert!(!not_modified.contains("content-length"), "{not_modified}");
    }
}
