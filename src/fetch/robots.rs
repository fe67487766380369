//! robots.txt as RFC 9309 reads it: the groups for our product token (else `*`), the longest
//! matching rule wins, `Allow` wins a tie, `*` and `$` wildcards; plus the common `Crawl-delay`.

use std::time::Duration;

/// Only the first 500 KiB of a robots.txt are read (RFC 9309 §2.5 asks for at least that much).
pub const MAX_ROBOTS_BYTES: usize = 500 * 1024;

/// A site's rules for one product token.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    /// (pattern, allow), patterns percent-encoded like URL paths.
    rules: Vec<(String, bool)>,
    pub crawl_delay: Option<Duration>,
}

impl Robots {
    /// Everything allowed: what a missing robots.txt (HTTP 4xx) means.
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    /// The rules of `text` that apply to `token` (e.g. `tinfeed`, from our User-Agent).
    pub fn parse(text: &str, token: &str) -> Robots {
        let text = cut(text, MAX_ROBOTS_BYTES);
        let token = token.to_ascii_lowercase();
        let mut ours = Robots::default();
        let mut star = Robots::default();
        let mut found_ours = false;
        // the agents of the group being read, and whether its rules have started
        let (mut is_ours, mut is_star, mut in_rules) = (false, false, false);
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else { continue };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            match key.as_str() {
                "user-agent" | "useragent" | "user agent" => {
                    if in_rules {
                        (is_ours, is_star, in_rules) = (false, false, false);
                    }
                    let agent = value.split('/').next().unwrap_or("").trim().to_ascii_lowercase();
                    if agent == "*" {
                        is_star = true;
                    } else if !agent.is_empty() && agent == token {
                        is_ours = true;
                        found_ours = true;
                    }
                }
                "allow" | "disallow" | "crawl-delay" => {
                    in_rules = true;
                    for (wanted, target) in [(is_ours, &mut ours), (is_star, &mut star)] {
                        if !wanted {
                            continue;
                        }
                        if key == "crawl-delay" {
                            if let Ok(seconds) = value.parse::<f64>()
                                && seconds.is_finite()
                                && seconds >= 0.0
                            {
                                target.crawl_delay = Some(Duration::from_secs_f64(seconds.min(86_400.0)));
                            }
                        } else if !value.is_empty() {
                            target.rules.push((encode(value), key == "allow"));
                        }
                    }
                }
                _ => {}
            }
        }
        if found_ours { ours } else { star }
    }

    /// Whether `path_and_query` (as in a URL: `/thoi-su/a.html?x=1`) may be fetched.
    pub fn allows(&self, path_and_query: &str) -> bool {
        if path_and_query == "/robots.txt" {
            return true;
        }
        let mut best: Option<(usize, bool)> = None;
        for (pattern, allow) in &self.rules {
            if matches(pattern, path_and_query) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// The product token of a User-Agent: `tinfeed/0.1 (+https://…)` → `tinfeed`.
pub fn product_token(user_agent: &str) -> &str {
    user_agent.split(['/', ' ']).next().unwrap_or(user_agent)
}

/// `*` matches any run of characters; a final `$` anchors the end; otherwise a prefix match.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = path.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if last && anchored {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    !anchored || rest.is_empty()
}

/// Non-ASCII bytes of a pattern percent-encoded, as they appear in URL paths.
fn encode(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    for byte in pattern.bytes() {
        if byte.is_ascii() {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    const BAO: &str = "\
# robots.txt của một tòa soạn
User-agent: *
Disallow: /tim-kiem
Disallow: /*?print=
Allow: /tim-kiem/huong-dan$
Crawl-delay: 2

User-agent: BadBot
User-agent: tinfeed
Disallow: /thoi-su/
Allow: /thoi-su/trong-nuoc/
Disallow: /*.pdf$
Crawl-delay: 0.5

User-agent: Googlebot
Disallow:
";

    #[test]
    fn our_group_wins_over_star_and_longest_rule_wins() {
        let robots = Robots::parse(BAO, "tinfeed");
        assert_eq!(robots.crawl_delay, Some(Duration::from_millis(500)));
        let cases = [
            ("/", true),
            ("/thoi-su/", false),
            ("/thoi-su/ha-nam-khai-mac-ky-hop-122943.html", false),
            ("/thoi-su/trong-nuoc/quoc-hoi-hop-phien-be-mac-1234.html", true),
            ("/kinh-te/bao-cao.pdf", false),
            ("/kinh-te/bao-cao.pdf?v=2", true),
            // the star group's rules do not apply to us once we have our own group
            ("/tim-kiem?q=lua-gao", true),
            ("/robots.txt", true),
        ];
        for (path, allowed) in cases {
            assert_eq!(robots.allows(path), allowed, "{path}");
        }
    }

    #[test]
    fn other_agents_fall_back_to_star() {
        let robots = Robots::parse(BAO, "feedfetcher");
        assert_eq!(robots.crawl_delay, Some(Duration::from_secs(2)));
        let cases = [
            ("/tim-kiem", false),
            ("/tim-kiem?q=gia-vang", false),
            ("/tim-kiem/huong-dan", true),
            ("/tim-kiem/huong-dan/them", false),
            ("/van-hoa/le-hoi-den-tran.html?print=1", false),
            ("/van-hoa/le-hoi-den-tran.html", true),
        ];
        for (path, allowed) in cases {
            assert_eq!(robots.allows(path), allowed, "{path}");
        }
        // an empty Disallow allows everything
        assert!(Robots::parse(BAO, "googlebot").allows("/tim-kiem"));
    }

    #[test]
    fn matching_is_case_insensitive_for_agents_and_encodes_vietnamese_paths() {
        let text = "User-Agent: TinFeed/2\nDisallow: /tìm-kiếm\n";
        let robots =
            Robots::parse(text, product_token("tinfeed/0.1.0 (+https://github.com/tinfeed/tinfeed)"));
        assert!(!robots.allows("/t%C3%ACm-ki%E1%BA%BFm?q=1"));
        assert!(robots.allows("/tin-moi"));
    }

    #[test]
    fn garbage_and_empty_files_allow_everything() {
        for text in ["", "<html><body>404 Không tìm thấy</body></html>", "Disallow /\nnonsense"] {
            assert!(Robots::parse(text, "tinfeed").allows("/thoi-su/"), "{text:?}");
        }
        // a Disallow before any User-agent belongs to no group
        assert!(Robots::parse("Disallow: /\n", "tinfeed").allows("/"));
        assert!(!Robots::parse("User-agent: *\nDisallow: /\n", "tinfeed").allows("/thoi-su/"));
    }

    #[test]
    fn wildcards() {
        let cases = [
            ("/*.html$", "/a/b.html", true),
            ("/*.html$", "/a/b.html?x", false),
            ("/a*b*c", "/a-x-b-y-c-z", true),
            ("/a*b*c", "/a-x-c-b", false),
            ("/a$", "/a", true),
            ("/a$", "/ab", false),
            ("*", "/anything", true),
            ("/*$", "/", true),
        ];
        for (pattern, path, expected) in cases {
            assert_eq!(matches(pattern, path), expected, "{pattern} vs {path}");
        }
    }
}
