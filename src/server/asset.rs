//! One servable document held in memory: its bytes compressed once (gzip and brotli) when it is
//! published, never per request, with the validators and cache headers prepared up front so a
//! request costs a map lookup and a reference-count increment.
//!
//! A compressible document keeps only its compressed copies at first: the plain bytes are
//! inflated from the gzip copy by the first request that wants them, then kept. Aggregators ask
//! for gzip or brotli, so an idle daemon holds about a quarter of its feeds' size.

use std::io::{Read, Write};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::http::header::{
    ACCEPT, ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE,
    IF_NONE_MATCH, LAST_MODIFIED, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use sha2::{Digest, Sha256};

/// Below this size a compressed copy saves too little to be worth a second representation.
const MIN_COMPRESS: usize = 512;
/// Quality 9 of 11: within a few percent of the best ratio at a fraction of the time, which
/// matters when forty feed files are compressed at start-up on a small machine.
const BROTLI_QUALITY: u32 = 9;
/// The window is the document's size rounded up to a power of two (2^16 … 2^22): a larger one
/// only costs memory, which the encoder allocates in proportion to it.
const BROTLI_MIN_WINDOW: u32 = 16;
const BROTLI_MAX_WINDOW: u32 = 22;

/// What [`Asset::answer`] decided.
#[derive(Debug)]
pub struct Answer {
    /// 200 or 304.
    pub status: StatusCode,
    pub encoding: Encoding,
    pub headers: HeaderMap,
}

/// A content coding we can answer with; the order of an asset's per-coding arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity = 0,
    Gzip = 1,
    Brotli = 2,
}

/// Where a feed keeps the files `sendfile(2)` reads its bodies from.
#[derive(Debug, Clone, Copy)]
pub enum Spool<'a> {
    /// Unlinked files in this folder (the daemon's data folder): on a disk, their pages are in
    /// the page cache, which `sendfile` reads in batches, as nginx serves files. A full 200 KB
    /// answer took a fifth less server CPU than from a memory file (bench/serve.sh's feed,
    /// interleaved runs), whose pages the kernel looks up one at a time.
    Dir(&'a std::path::Path),
    /// Sealed memory files (Linux `memfd`) only.
    Memory,
}

/// A document ready to serve.
#[derive(Debug)]
pub struct Asset {
    /// The plain bytes: set at once when there is no gzip copy, else on first demand.
    identity: OnceLock<Bytes>,
    plain_len: usize,
    /// Each coding's bytes (plain, gzip, brotli) in a file of their own (see [`Spool`]), which
    /// the direct path sends with `sendfile(2)` instead of copying them from user space (a third
    /// of the cost of a 200 KB answer). Feeds only; the files live outside the process's
    /// resident memory.
    files: [Option<std::fs::File>; 3],
    gzip: Option<Bytes>,
    brotli: Option<Bytes>,
    content_type: HeaderValue,
    /// The type a browser navigating to the document gets instead (see [`Asset::for_browsers`]).
    browser_type: Option<HeaderValue>,
    /// Strong ETags of the identity, gzip and brotli representations: the content hash, with a
    /// suffix per coding (RFC 9110 wants each representation to have its own strong tag).
    etags: [HeaderValue; 3],
    hash: String,
    last_modified: Option<(SystemTime, HeaderValue)>,
    cache_control: HeaderValue,
}

impl Asset {
    /// Prepares `bytes`: hashed, compressed both ways (unless tiny), headers built.
    /// `last_modified` is when the content last changed for a reader, not when it was written.
    pub fn new(
        bytes: impl Into<Bytes>,
        content_type: &'static str,
        last_modified: Option<SystemTime>,
        max_age: Duration,
    ) -> Asset {
        Asset::build(bytes.into(), content_type, last_modified, max_age, None)
    }

    /// [`Asset::new`] for a feed, the document aggregators poll: each coding of it also goes
    /// into a file in `spool` for the direct path's `sendfile` (pages such as the index are not
    /// served there).
    pub fn feed(
        bytes: impl Into<Bytes>,
        content_type: &'static str,
        last_modified: Option<SystemTime>,
        max_age: Duration,
        spool: Spool<'_>,
    ) -> Asset {
        Asset::build(bytes.into(), content_type, last_modified, max_age, Some(spool))
    }

    fn build(
        identity: Bytes,
        content_type: &'static str,
        last_modified: Option<SystemTime>,
        max_age: Duration,
        spool: Option<Spool<'_>>,
    ) -> Asset {
        let hash = content_hash(&identity);
        let etag = |suffix: &str| {
            HeaderValue::from_str(&format!("\"{hash}{suffix}\"")).expect("hex is a valid header value")
        };
        let etags = [etag(""), etag("-gz"), etag("-br")];
        let (gzip, brotli) = if identity.len() >= MIN_COMPRESS {
            (smaller(gzip(&identity), identity.len()), smaller(brotli(&identity), identity.len()))
        } else {
            (None, None)
        };
        let plain_len = identity.len();
        let file = |bytes: Option<&[u8]>| bytes.zip(spool).and_then(|(bytes, spool)| body_file(bytes, spool));
        let files = [file(Some(&identity)), file(gzip.as_deref()), file(brotli.as_deref())];
        let plain = OnceLock::new();
        if gzip.is_none() {
            let _ = plain.set(identity);
        }
        // HTTP dates have whole seconds: round down so If-Modified-Since compares exactly.
        let last_modified = last_modified.map(|at| {
            let secs = at.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
            let at = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
            let text = httpdate::fmt_http_date(at);
            (at, HeaderValue::from_str(&text).expect("an HTTP date is a valid header value"))
        });
        let cache_control = HeaderValue::from_str(&format!("public, max-age={}", max_age.as_secs()))
            .expect("digits are a valid header value");
        Asset {
            identity: plain,
            plain_len,
            files,
            gzip,
            brotli,
            content_type: HeaderValue::from_static(content_type),
            browser_type: None,
            etags,
            hash,
            last_modified,
            cache_control,
        }
    }

    /// Answers a browser's navigation (an `Accept` that asks for `text/html` and names no feed
    /// type) with `content_type` instead: browsers show `application/rss+xml` as raw text but
    /// render `application/xml` through its `<?xml-stylesheet?>`. Feed readers, which ask for
    /// feeds or for anything, still get the feed type. The bytes and ETags are the same.
    pub fn for_browsers(mut self, content_type: &'static str) -> Asset {
        self.browser_type = Some(HeaderValue::from_static(content_type));
        self
    }

    /// The uncompressed bytes (inflated from the gzip copy the first time).
    pub fn bytes(&self) -> &Bytes {
        self.identity.get_or_init(|| {
            let gzip = self.gzip.as_deref().unwrap_or_default();
            let mut plain = Vec::with_capacity(gzip.len() * 5);
            // our own gzip output: it cannot fail to inflate
            let _ = flate2::read::GzDecoder::new(gzip).read_to_end(&mut plain);
            plain.shrink_to_fit();
            Bytes::from(plain)
        })
    }

    /// The content hash the ETags are made of.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// Whether `bytes` are what this asset serves, by content hash (the plain bytes may not be held).
    pub fn holds(&self, bytes: &[u8]) -> bool {
        content_hash(bytes) == self.hash
    }

    pub fn last_modified(&self) -> Option<SystemTime> {
        self.last_modified.as_ref().map(|(at, _)| *at)
    }

    /// The answer to a GET (or HEAD: the router drops the body) with these request headers:
    /// 304 when the client's copy is current, else 200 in the best coding it accepts.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let answer = self.answer(request);
        let body = match answer.status {
            StatusCode::OK => self.body(answer.encoding),
            _ => Bytes::new(),
        };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = answer.status;
        *response.headers_mut() = answer.headers;
        response
    }

    /// The status, coding and headers of the answer to these request headers (no `Date` or
    /// `Content-Length`: the connection adds them). The body of a 200 is [`Asset::body`].
    pub fn answer(&self, request: &HeaderMap) -> Answer {
        let encoding = self.choose(request.get(ACCEPT_ENCODING));
        let status = if self.not_modified(request) { StatusCode::NOT_MODIFIED } else { StatusCode::OK };
        let etag = self.etag(encoding);
        let mut headers = HeaderMap::with_capacity(8);
        if status == StatusCode::OK {
            let content_type = match &self.browser_type {
                Some(browser_type) if is_browser_navigation(request) => browser_type,
                _ => &self.content_type,
            };
            headers.insert(CONTENT_TYPE, content_type.clone());
            match encoding {
                Encoding::Identity => {}
                Encoding::Gzip => {
                    headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                }
                Encoding::Brotli => {
                    headers.insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
                }
            }
        }
        headers.insert(ETAG, etag.clone());
        if let Some((_, text)) = &self.last_modified {
            headers.insert(LAST_MODIFIED, text.clone());
        }
        headers.insert(CACHE_CONTROL, self.cache_control.clone());
        let vary = if self.browser_type.is_some() { "Accept-Encoding, Accept" } else { "Accept-Encoding" };
        headers.insert(VARY, HeaderValue::from_static(vary));
        Answer { status, encoding, headers }
    }

    /// The body in `encoding`.
    pub fn body(&self, encoding: Encoding) -> Bytes {
        match encoding {
            Encoding::Identity => self.bytes().clone(),
            Encoding::Gzip => self.gzip.clone().unwrap_or_default(),
            Encoding::Brotli => self.brotli.clone().unwrap_or_default(),
        }
    }

    /// The size of the body in `encoding`, without inflating anything.
    pub fn len(&self, encoding: Encoding) -> usize {
        match encoding {
            Encoding::Identity => self.plain_len,
            Encoding::Gzip => self.gzip.as_ref().map_or(0, Bytes::len),
            Encoding::Brotli => self.brotli.as_ref().map_or(0, Bytes::len),
        }
    }

    /// A file holding exactly the body in `encoding`, for `sendfile(2)` (Linux, compressible
    /// feeds only).
    pub fn file(&self, encoding: Encoding) -> Option<&std::fs::File> {
        self.files[encoding as usize].as_ref()
    }

    fn etag(&self, encoding: Encoding) -> &HeaderValue {
        &self.etags[encoding as usize]
    }

    /// The coding to answer with: the client's preference among those we hold.
    fn choose(&self, accept: Option<&HeaderValue>) -> Encoding {
        let Some(accept) = accept.and_then(|v| v.to_str().ok()) else { return Encoding::Identity };
        let quality = |name: &str| accepted_quality(accept, name);
        let br = if self.brotli.is_some() { quality("br") } else { 0.0 };
        let gz = if self.gzip.is_some() { quality("gzip").max(quality("x-gzip")) } else { 0.0 };
        // brotli wins ties: it is the smaller of the two
        if br > 0.0 && br >= gz {
            Encoding::Brotli
        } else if gz > 0.0 {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }

    /// RFC 9110 §13.1: If-None-Match decides when present (weak comparison, any of our
    /// representations' tags matches); else If-Modified-Since against Last-Modified.
    fn not_modified(&self, request: &HeaderMap) -> bool {
        if let Some(tags) = request.get(IF_NONE_MATCH) {
            return tags.to_str().is_ok_and(|tags| etag_matches(tags, &self.hash));
        }
        let since = request.get(IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok());
        match (since.and_then(|s| httpdate::parse_http_date(s).ok()), &self.last_modified) {
            (Some(since), Some((modified, _))) => *modified <= since,
            _ => false,
        }
    }
}

/// Whether the request is a browser opening the document as a page: it asks for HTML and names
/// no feed type.
fn is_browser_navigation(request: &HeaderMap) -> bool {
    let Some(accept) = request.get(ACCEPT).and_then(|v| v.to_str().ok()) else { return false };
    accept.contains("text/html")
        && !accept.contains("application/rss+xml")
        && !accept.contains("application/atom+xml")
}

/// The q-value `accept` (an Accept-Encoding value) gives `coding`: its own entry, else `*`'s,
/// else 0. Malformed q-values count as 0: when in doubt, send identity.
pub fn accepted_quality(accept: &str, coding: &str) -> f32 {
    let mut star = None;
    for entry in accept.split(',') {
        let mut parts = entry.split(';');
        let name = parts.next().unwrap_or("").trim();
        let q = parts
            .find_map(|p| {
                let (key, value) = p.split_once('=')?;
                key.trim().eq_ignore_ascii_case("q").then(|| value.trim().parse::<f32>().unwrap_or(0.0))
            })
            .unwrap_or(1.0)
            .clamp(0.0, 1.0);
        if name.eq_ignore_ascii_case(coding) {
            return q;
        }
        if name == "*" {
            star = Some(q);
        }
    }
    star.unwrap_or(0.0)
}

/// Whether an If-None-Match value names `hash` in any coding (`*` names anything).
pub fn etag_matches(tags: &str, hash: &str) -> bool {
    tags.split(',').map(str::trim).any(|tag| {
        if tag == "*" {
            return true;
        }
        let tag = tag.strip_prefix("W/").unwrap_or(tag);
        let opaque = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(tag);
        let base = opaque.strip_suffix("-gz").or_else(|| opaque.strip_suffix("-br")).unwrap_or(opaque);
        base == hash
    })
}

/// `bytes` in a file for `sendfile`: in the spool folder, else (that failing, say on a full
/// disk) in memory; `None` when neither can hold it (then the body is written from memory), and
/// where the direct path that sends files does not exist.
#[cfg(target_os = "linux")]
fn body_file(bytes: &[u8], spool: Spool<'_>) -> Option<std::fs::File> {
    if let Spool::Dir(dir) = spool {
        match disk_file(bytes, dir) {
            Ok(file) => return Some(file),
            Err(e) => tracing::debug!(dir = %dir.display(), error = %e, "a feed body stays in memory"),
        }
    }
    memory_file(bytes)
}

#[cfg(not(target_os = "linux"))]
fn body_file(_: &[u8], _: Spool<'_>) -> Option<std::fs::File> {
    None
}

/// `bytes` in a file of `dir` that no name leads to: only this process can reach it, and the
/// system deletes it when the last descriptor closes, crash or not.
#[cfg(target_os = "linux")]
fn disk_file(bytes: &[u8], dir: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut file = tempfile::tempfile_in(dir)?;
    file.write_all(bytes)?;
    Ok(file)
}

/// `bytes` in an anonymous memory file (Linux `memfd`), sealed against any change; `None`
/// when the kernel refuses.
#[cfg(target_os = "linux")]
fn memory_file(bytes: &[u8]) -> Option<std::fs::File> {
    use std::os::fd::FromRawFd;
    // SAFETY: a valid C string; the returned descriptor is checked and then owned by the File.
    let fd =
        unsafe { libc::memfd_create(c"tinfeed-feed".as_ptr(), libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING) };
    if fd < 0 {
        return None;
    }
    // SAFETY: `fd` is a fresh descriptor nobody else owns.
    let mut file = unsafe { std::fs::File::from_raw_fd(fd) };
    file.write_all(bytes).ok()?;
    let seals = libc::F_SEAL_SEAL | libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_WRITE;
    // SAFETY: fcntl on a descriptor we own.
    (unsafe { libc::fcntl(fd, libc::F_ADD_SEALS, seals) } == 0).then_some(file)
}

/// The first 10 bytes of the SHA-256 of `bytes`, in hex: the ETag of the plain bytes.
fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..10].iter().map(|b| format!("{b:02x}")).collect()
}

/// A compressed copy worth keeping: smaller than the original, and no spare capacity (the
/// encoders grow their buffers by doubling; `Bytes` would keep the slack for the asset's life).
fn smaller(compressed: Option<Vec<u8>>, than: usize) -> Option<Bytes> {
    compressed.filter(|c| c.len() < than).map(|mut c| {
        c.shrink_to_fit();
        Bytes::from(c)
    })
}

fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

fn brotli(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    {
        let window = (usize::BITS - bytes.len().leading_zeros()).clamp(BROTLI_MIN_WINDOW, BROTLI_MAX_WINDOW);
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, BROTLI_QUALITY, window);
        writer.write_all(bytes).ok()?;
        writer.flush().ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed() -> Vec<u8> {
        let item = "<item><title>Hội nghị Ban Chấp hành Đảng bộ tỉnh Hà Nam lần thứ 25</title></item>";
        format!("<?xml version=\"1.0\"?><rss><channel>{}</channel></rss>", item.repeat(40)).into_bytes()
    }

    fn asset() -> Asset {
        let modified = SystemTime::UNIX_EPOCH + Duration::from_secs(1_732_771_800);
        Asset::new(feed(), "application/rss+xml; charset=utf-8", Some(modified), Duration::from_secs(900))
    }

    fn request(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn accept_encoding_q_values() {
        for (accept, coding, q) in [
            ("gzip, deflate, br", "br", 1.0),
            ("gzip, deflate, br", "gzip", 1.0),
            ("gzip;q=0.5, br;q=0", "br", 0.0),
            ("gzip;q=0.5, br;q=0", "gzip", 0.5),
            ("*", "br", 1.0),
            ("*;q=0, gzip", "br", 0.0),
            ("GZIP", "gzip", 1.0),
            ("identity", "gzip", 0.0),
            ("gzip;q=abc", "gzip", 0.0),
            ("", "gzip", 0.0),
        ] {
            assert_eq!(accepted_quality(accept, coding), q, "{accept:?} for {coding}");
        }
    }

    #[test]
    fn the_best_accepted_coding_is_chosen() {
        let asset = asset();
        for (accept, expected) in [
            (None, Encoding::Identity),
            (Some("gzip"), Encoding::Gzip),
            (Some("gzip, deflate, br, zstd"), Encoding::Brotli),
            (Some("br;q=0.4, gzip"), Encoding::Gzip),
            (Some("identity"), Encoding::Identity),
            (Some("deflate"), Encoding::Identity),
        ] {
            let value = accept.map(|a| HeaderValue::from_str(a).unwrap());
            assert_eq!(asset.choose(value.as_ref()), expected, "{accept:?}");
        }
    }

    #[test]
    fn etags_match_in_any_coding_and_weakly() {
        let hash = "0123456789abcdef0123";
        for (tags, matches) in [
            ("\"0123456789abcdef0123\"", true),
            ("\"0123456789abcdef0123-gz\"", true),
            ("W/\"0123456789abcdef0123-br\"", true),
            ("\"other\", \"0123456789abcdef0123\"", true),
            ("*", true),
            ("\"0123456789abcdef0124\"", false),
            ("\"0123456789abcdef0123-zz\"", false),
            ("", false),
        ] {
            assert_eq!(etag_matches(tags, hash), matches, "{tags}");
        }
    }

    #[test]
    fn plain_bytes_are_inflated_on_first_demand_and_kept() {
        let asset = asset();
        assert!(asset.identity.get().is_none(), "a compressible feed is held compressed");
        assert!(asset.holds(&feed()) && !asset.holds(b"<rss/>"));
        let response = asset.respond(&request(&[]));
        assert_eq!(response.headers()[ETAG], format!("\"{}\"", asset.hash()).as_str());
        assert_eq!(asset.bytes()[..], feed()[..]);
        assert!(asset.identity.get().is_some());
        let tiny = Asset::new(&b"<opml/>"[..], "text/x-opml", None, Duration::from_secs(60));
        assert_eq!(tiny.identity.get().map(|b| &b[..]), Some(&b"<opml/>"[..]), "nothing to inflate from");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_feed_keeps_each_coding_in_a_file_for_sendfile_pages_do_not() {
        let spool_dir = tempfile::tempdir().unwrap();
        let spool_dir = spool_dir.path();
        for (spool, sealed) in [(Spool::Dir(spool_dir), false), (Spool::Memory, true)] {
            let feed_asset = Asset::feed(feed(), "application/rss+xml", None, Duration::from_secs(60), spool);
            for encoding in [Encoding::Identity, Encoding::Gzip, Encoding::Brotli] {
                let file = feed_asset.file(encoding).expect("a compressible feed has its files");
                let body = feed_asset.body(encoding);
                // sendfile reads at an explicit offset, as this does
                let mut held = vec![0; body.len()];
                std::os::unix::fs::FileExt::read_exact_at(file, &mut held, 0).unwrap();
                assert_eq!(held, body, "{spool:?} {encoding:?}");
                assert_eq!(file.metadata().unwrap().len(), body.len() as u64, "nothing more");
                if sealed {
                    assert!((&*file).write_all(b"x").is_err(), "sealed: the bytes served cannot change");
                } else {
                    let fd = std::os::fd::AsRawFd::as_raw_fd(file);
                    let target = std::fs::read_link(format!("/proc/self/fd/{fd}")).unwrap();
                    assert!(target.starts_with(spool_dir), "{target:?} is in the spool folder");
                }
            }
        }
        let names = std::fs::read_dir(spool_dir).unwrap().count();
        assert_eq!(names, 0, "the spooled files have no names: nothing to clean up, ever");
        assert!(asset().file(Encoding::Identity).is_none(), "an index page is never sent by sendfile");
    }

    #[test]
    fn compressed_copies_decode_to_the_same_bytes() {
        let asset = asset();
        let gz = asset.gzip.as_ref().expect("a 3 KB feed is compressed");
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut out).unwrap();
        assert_eq!(out, feed());
        let br = asset.brotli.as_ref().expect("brotli too");
        let mut out = Vec::new();
        brotli::Decompressor::new(&br[..], 4096).read_to_end(&mut out).unwrap();
        assert_eq!(out, feed());
        assert!(br.len() < feed().len() / 4, "repetitive XML compresses well");
    }

    #[test]
    fn conditional_requests() {
        let asset = asset();
        let etag = format!("\"{}\"", asset.hash());
        let modified = "Thu, 28 Nov 2024 05:30:00 GMT";
        for (headers, status) in [
            (vec![], 200),
            (vec![("if-none-match", etag.as_str())], 304),
            (vec![("if-none-match", "\"stale\"")], 200),
            // If-None-Match decides when present, whatever If-Modified-Since says
            (vec![("if-none-match", "\"stale\""), ("if-modified-since", modified)], 200),
            (vec![("if-modified-since", modified)], 304),
            (vec![("if-modified-since", "Fri, 29 Nov 2024 00:00:00 GMT")], 304),
            (vec![("if-modified-since", "Thu, 28 Nov 2024 05:29:59 GMT")], 200),
            (vec![("if-modified-since", "hôm qua")], 200),
        ] {
            let response = asset.respond(&request(&headers));
            assert_eq!(response.status().as_u16(), status, "{headers:?}");
            assert_eq!(response.headers()[LAST_MODIFIED], modified);
            assert_eq!(response.headers()[VARY], "Accept-Encoding");
            assert_eq!(response.headers()[CACHE_CONTROL], "public, max-age=900");
        }
    }

    #[test]
    fn each_coding_has_its_own_etag() {
        let asset = asset();
        let tag =
            |accept: &str| asset.respond(&request(&[("accept-encoding", accept)])).headers()[ETAG].clone();
        let plain = tag("identity");
        assert_eq!(plain, format!("\"{}\"", asset.hash()).as_str());
        assert_eq!(tag("gzip"), format!("\"{}-gz\"", asset.hash()).as_str());
        assert_eq!(tag("br"), format!("\"{}-br\"", asset.hash()).as_str());
    }

    #[test]
    fn browsers_get_xml_they_render_readers_get_the_feed_type() {
        let asset = asset().for_browsers("application/xml; charset=utf-8");
        for (accept, expected) in [
            // Chromium and Firefox opening the feed URL
            (
                Some("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"),
                "application/xml; charset=utf-8",
            ),
            // readers
            (
                Some(
                    "application/rss+xml, application/rdf+xml;q=0.8, application/atom+xml;q=0.6, text/html;q=0.1",
                ),
                "application/rss+xml; charset=utf-8",
            ),
            (Some("*/*"), "application/rss+xml; charset=utf-8"),
            (None, "application/rss+xml; charset=utf-8"),
        ] {
            let headers = accept.map(|a| request(&[("accept", a)])).unwrap_or_default();
            let response = asset.respond(&headers);
            assert_eq!(response.headers()[CONTENT_TYPE], expected, "{accept:?}");
            assert_eq!(response.headers()[VARY], "Accept-Encoding, Accept");
        }
    }
}
