//! Feed files on disk: replaced atomically (readers and the HTTP server never see half a
//! file), and left alone when the bytes are the same (stable mtime, no needless fsync).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

pub(super) fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    let context = |e: io::Error| io::Error::new(e.kind(), format!("cannot write `{}`: {e}", path.display()));
    if unchanged(path, bytes).map_err(context)? {
        return Ok(false);
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).map_err(context)?;
    // Same folder as the target, so the rename stays on one file system and is atomic.
    let mut tmp =
        tempfile::Builder::new().prefix(".tinfeed-").suffix(".tmp").tempfile_in(dir).map_err(context)?;
    tmp.write_all(bytes).map_err(context)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // tempfile creates 0600; feeds are public files that a web server may serve
        tmp.as_file().set_permissions(fs::Permissions::from_mode(0o644)).map_err(context)?;
    }
    tmp.as_file().sync_all().map_err(context)?;
    tmp.persist(path).map_err(|e| context(e.error))?;
    // Make the rename itself durable; some platforms cannot open or sync a folder.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(true)
}

/// Whether `path` already holds exactly `bytes`; a missing file is a change.
fn unchanged(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    match fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => Ok(fs::read(path)? == bytes),
        Ok(_) => Ok(false),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::write_if_changed;

    #[test]
    fn writes_only_on_change() {
        let dir = tempfile::tempdir().expect("temp dir");
        // the parent folder does not exist yet
        let path = dir.path().join("feeds").join("van-hoa-xa-hoi.rss");
        let first = "<rss>Văn hóa</rss>".as_bytes();

        assert!(write_if_changed(&path, first).expect("first write"));
        assert_eq!(fs::read(&path).expect("read back"), first);
        let mtime = fs::metadata(&path).and_then(|m| m.modified()).expect("mtime");

        // identical bytes: nothing written, mtime untouched
        assert!(!write_if_changed(&path, first).expect("same bytes"));
        assert_eq!(fs::metadata(&path).and_then(|m| m.modified()).expect("mtime"), mtime);

        // same length, different bytes: written
        let second = "<rss>Văn hoá</rss>".as_bytes();
        assert_eq!(first.len(), second.len());
        assert!(write_if_changed(&path, second).expect("changed write"));
        assert_eq!(fs::read(&path).expect("read back"), second);

        // no temp file left behind
        let names: Vec<_> = fs::read_dir(path.parent().expect("parent"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["van-hoa-xa-hoi.rss"]);
    }

    #[cfg(unix)]
    #[test]
    fn feeds_are_world_readable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("all.atom");
        write_if_changed(&path, b"<feed/>").expect("write");
        let mode = fs::metadata(&path).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[test]
    fn errors_name_the_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        // the target is a folder: cannot be replaced by a file
        let path = dir.path().join("all.rss");
        fs::create_dir(&path).expect("mkdir");
        fs::write(path.join("x"), b"x").expect("fill");
        let err = write_if_changed(&path, b"<rss/>").expect_err("a folder is in the way");
        assert!(err.to_string().contains("all.rss`"), "{err}");
    }
}
