//! A CSS selector compiled once at config load, remembering how it was written.

use std::fmt;

/// A compiled CSS selector with its source text (for messages such as
/// "selector `h3 a` matched nothing on …").
#[derive(Clone)]
pub struct Selector {
    text: String,
    pub(crate) compiled: scraper::Selector,
}

impl Selector {
    /// Compiles `text`; the error explains what the CSS parser rejected.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("it is empty".to_string());
        }
        scraper::Selector::parse(trimmed)
            .map(|compiled| Selector { text: trimmed.to_string(), compiled })
            .map_err(|e| e.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Selector({:?})", self.text)
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
