//! Bodies that are gzip files rather than gzip-encoded responses: a `sitemap.xml.gz` served as
//! `application/x-gzip` (no `Content-Encoding`, so the HTTP client leaves it compressed), or a
//! `.gz` file on disk. Inflated before charset decoding, under the same body cap. Nothing else
//! starts with the gzip magic bytes, so any page may pass through here.

use std::io::Read;

use flate2::read::MultiGzDecoder;
use url::Url;

use super::FetchError;

const MAGIC: [u8; 2] = [0x1f, 0x8b];

/// `bytes` inflated when they are a gzip file, else as they are.
pub(super) fn inflate(bytes: Vec<u8>, limit: usize, url: &Url) -> Result<Vec<u8>, FetchError> {
    if !bytes.starts_with(&MAGIC) {
        return Ok(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(limit));
    // one byte more than the cap tells a body at the cap from one over it
    let read = MultiGzDecoder::new(&bytes[..]).take(limit as u64 + 1).read_to_end(&mut out);
    match read {
        Ok(_) if out.len() > limit => Err(FetchError::TooLarge { url: url.clone(), limit }),
        Ok(_) => Ok(out),
        Err(e) => Err(FetchError::Body { url: url.clone(), reason: format!("corrupt gzip file: {e}") }),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzip_files_are_inflated_within_the_cap() {
        let url = Url::parse("https://vnexpress.net/sitemap/news.xml.gz").unwrap();
        let xml =
            "<urlset><url><loc>https://vnexpress.net/gia-vang-4846612.html</loc></url></urlset>".as_bytes();
        assert_eq!(inflate(gzip(xml), 1024, &url).unwrap(), xml);
        // not gzip: untouched
        assert_eq!(inflate(xml.to_vec(), 1024, &url).unwrap(), xml);
        // a bomb stops at the cap
        let bomb = gzip(&vec![b' '; 100_000]);
        assert!(matches!(inflate(bomb, 4096, &url), Err(FetchError::TooLarge { limit: 4096, .. })));
        let mut cut = gzip(xml);
        cut.truncate(cut.len() / 2);
        let error = inflate(cut, 1024, &url).unwrap_err().to_string();
        assert!(
            error.starts_with(
                "the body of `https://vnexpress.net/sitemap/news.xml.gz` broke off: corrupt gzip"
            ),
            "{error}"
        );
    }
}
