//! One writer per data dir: a second `tinfeed once` (or a daemon) on the same data fails fast
//! with a clear message instead of racing the first on the store and the feed files.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum LockError {
    #[error("another tinfeed is already running on the data dir `{}` (lock file `{}`)", dir.display(), path.display())]
    Busy { dir: PathBuf, path: PathBuf },
    #[error("cannot lock the data dir `{}`: {source}", dir.display())]
    Io { dir: PathBuf, source: std::io::Error },
}

/// Held for the whole run; the OS releases it when the process ends, even on a crash.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
}

impl DataLock {
    pub fn acquire(data_dir: &Path) -> Result<DataLock, LockError> {
        let io = |source| LockError::Io { dir: data_dir.to_path_buf(), source };
        std::fs::create_dir_all(data_dir).map_err(io)?;
        let path = data_dir.join("tinfeed.lock");
        let file = File::options().create(true).truncate(false).write(true).open(&path).map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(DataLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(LockError::Busy { dir: data_dir.to_path_buf(), path }),
            Err(TryLockError::Error(e)) => Err(io(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_dir_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataLock::acquire(dir.path()).unwrap();
        let second = DataLock::acquire(dir.path());
        assert!(matches!(second, Err(LockError::Busy { .. })), "{second:?}");
        assert!(second.unwrap_err().to_string().contains("already running"));
        drop(first);
        DataLock::acquire(dir.path()).unwrap();
    }
}
