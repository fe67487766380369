//! Config errors that point at the culprit: `file:line:col: message`.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One problem in a config file, located when we know where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based line and column (in characters), when the problem has a place in the file.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Every problem found in one config file, in file order: ops fix them all in one go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// Collects errors against one file's text, turning byte spans into line:col.
pub(crate) struct Diagnostics<'a> {
    file: &'a Path,
    text: &'a str,
    errors: Vec<(usize, ConfigError)>,
}

impl<'a> Diagnostics<'a> {
    pub fn new(file: &'a Path, text: &'a str) -> Self {
        Self { file, text, errors: Vec::new() }
    }

    /// Records `message` at the start of `span` (or without a place when there is none).
    pub fn error(&mut self, span: Option<Range<usize>>, message: impl Into<String>) {
        let offset = span.map(|s| s.start.min(self.text.len()));
        let position = offset.map(|o| line_col(self.text, o));
        let error = ConfigError { file: self.file.to_path_buf(), position, message: message.into() };
        self.errors.push((offset.unwrap_or(usize::MAX), error));
    }

    /// Records a deserialization error, keeping toml's span and its first message line.
    pub fn toml(&mut self, error: &toml::de::Error) {
        let message = error.message().trim().lines().next().unwrap_or("invalid value");
        let message = message.replace("expected i64", "expected a whole number");
        self.error(error.span(), message);
    }

    pub fn count(&self) -> usize {
        self.errors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn finish(mut self) -> Result<(), ConfigErrors> {
        if self.errors.is_empty() {
            return Ok(());
        }
        self.errors.sort_by_key(|(offset, _)| *offset);
        Err(ConfigErrors(self.errors.into_iter().map(|(_, e)| e).collect()))
    }
}

/// 1-based line and character column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a = 1\ntitle = \"Báo Hà Nam\" x";
        let offset = text.find('x').unwrap();
        assert_eq!(line_col(text, offset), (2, 22));
        assert_eq!(line_col(text, 0), (1, 1));
    }
}
