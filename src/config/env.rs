//! Environment overrides for what ops set per deployment (a container image ships one config;
//! each deployment says where it listens, its public URL, and its volumes). They apply after the
//! file is validated; `TINFEED_CONFIG` (which file) is read by the command line itself.
//!
//! Relative directories in the environment resolve against the working directory, as a path
//! typed in a shell does (the file's own paths resolve against the file's folder).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use url::Url;

use super::{Config, ConfigError, ConfigErrors, clean_path};

/// The variables [`Config::apply_env`] reads, each overriding the `[site]` key of the same name.
pub const ENV_OVERRIDES: [&str; 4] =
    ["TINFEED_LISTEN", "TINFEED_BASE_URL", "TINFEED_DATA_DIR", "TINFEED_FEEDS_DIR"];

impl Config {
    /// Overrides `listen`, `base_url`, `data_dir` and `feeds_dir` from `TINFEED_*` variables
    /// found by `lookup` (`|name| std::env::var(name).ok()`); unset or empty ones change
    /// nothing. Every bad value is reported, each naming its variable.
    pub fn apply_env(&mut self, lookup: impl Fn(&str) -> Option<String>) -> Result<(), ConfigErrors> {
        let mut errors = Vec::new();
        let mut error = |name: &str, value: &str, expected: &str| {
            errors.push(ConfigError {
                file: PathBuf::from(format!("${name}")),
                position: None,
                message: format!("invalid value `{value}`, expected {expected}"),
            });
        };
        let get = |name: &str| lookup(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        if let Some(value) = get("TINFEED_LISTEN") {
            match SocketAddr::from_str(&value) {
                Ok(addr) => self.site.listen = addr,
                Err(_) => error("TINFEED_LISTEN", &value, "a socket address such as `0.0.0.0:8080`"),
            }
        }
        if let Some(value) = get("TINFEED_BASE_URL") {
            match base_url(&value) {
                Some(url) => self.site.base_url = url,
                None => error("TINFEED_BASE_URL", &value, "an absolute http(s) URL"),
            }
        }
        for (name, dir) in
            [("TINFEED_DATA_DIR", &mut self.site.data_dir), ("TINFEED_FEEDS_DIR", &mut self.site.feeds_dir)]
        {
            if let Some(value) = get(name) {
                match std::path::absolute(Path::new(&value)) {
                    Ok(path) => *dir = clean_path(&path),
                    Err(_) => error(name, &value, "a directory path"),
                }
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(ConfigErrors(errors)) }
    }
}

/// An http(s) URL ending with `/`, as `[site] base_url` is kept.
fn base_url(text: &str) -> Option<Url> {
    let mut url =
        Url::parse(text).ok().filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())?;
    if !url.path().ends_with('/') {
        url.set_path(&format!("{}/", url.path()));
    }
    Some(url)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config() -> Config {
        let text = "[site]\ntitle = \"Báo Hà Nam\"\n\n[[sources]]\nid = \"thoi-su\"\nkind = \"files\"\n\
                    path = \"bai\"\ncategory = \"Thời sự\"\n";
        Config::parse(Path::new("/srv/tinfeed/config/tinfeed.toml"), text).unwrap()
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn each_variable_overrides_its_key() {
        let mut config = config();
        config
            .apply_env(env(&[
                ("TINFEED_LISTEN", "0.0.0.0:9000"),
                ("TINFEED_BASE_URL", "https://tin.baohanam.vn/rss"),
                ("TINFEED_DATA_DIR", "/var/lib/tinfeed/data"),
                ("TINFEED_FEEDS_DIR", "/var/lib/tinfeed/../tinfeed/feeds"),
            ]))
            .unwrap();
        assert_eq!(config.site.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(config.site.base_url.as_str(), "https://tin.baohanam.vn/rss/");
        assert_eq!(config.site.data_dir, Path::new("/var/lib/tinfeed/data"));
        assert_eq!(config.site.feeds_dir, Path::new("/var/lib/tinfeed/feeds"));
    }

    #[test]
    fn unset_or_empty_variables_change_nothing() {
        let mut config = config();
        config.apply_env(env(&[("TINFEED_LISTEN", "  ")])).unwrap();
        assert_eq!(config.site.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.site.data_dir, Path::new("/srv/tinfeed/config/data"));
    }

    #[test]
    fn bad_values_are_all_reported_by_variable() {
        let mut config = config();
        let errors = config
            .apply_env(env(&[
                ("TINFEED_LISTEN", "cổng 8080"),
                ("TINFEED_BASE_URL", "ftp://baohanam.com.vn/"),
            ]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            errors,
            "$TINFEED_LISTEN: invalid value `cổng 8080`, expected a socket address such as `0.0.0.0:8080`\n\
             $TINFEED_BASE_URL: invalid value `ftp://baohanam.com.vn/`, expected an absolute http(s) URL"
        );
    }
}
