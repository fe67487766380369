//! Feed text made well-formed before strict parsing, and a count of what was repaired.
//!
//! Real Vietnamese feeds are not always XML: VnExpress put a raw `&` in an `<enclosure url>`,
//! Thanh Niên and others use HTML entities (`&agrave;`, `&nbsp;`) that XML does not define, some
//! generators leak control characters or raw HTML into `<description>`. A strict parser stops
//! at the first of these and the whole feed is lost, so the text is repaired first:
//!
//! - anything before the first `<` is dropped (a BOM, blank lines, a PHP warning);
//! - the XML declaration's `encoding` says UTF-8: the fetch stage already decoded the bytes;
//! - characters XML 1.0 forbids are removed, and so are character references to them;
//! - an RSS `<description>` or `<content:encoded>` holding raw markup is wrapped in CDATA (its
//!   content is HTML by definition, never XML elements);
//! - outside CDATA and comments: a `&` that does not start an entity becomes `&amp;`, an HTML
//!   entity unknown to XML becomes numeric character references (`&agrave;` → `&#224;`), an
//!   unknown name keeps its text (`&amp;foo;`), and a `<` that cannot start markup becomes `&lt;`;
//! - an `<rss>` root with a missing or unknown `version` says `2.0`; an Atom 0.3 feed speaks
//!   Atom 1.0 (namespace, `issued`/`modified`/`tagline`, MIME `type`s).
//!
//! Entities inside CDATA are left alone here: they are text, decoded later with the rest of the
//! item's text. JSON Feed input only loses its forbidden characters.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

/// What [`repair`] changed, by kind, for the log line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Repairs {
    /// Bytes before the first `<` (other than whitespace) dropped.
    pub leading_junk: bool,
    /// The declared encoding replaced by UTF-8.
    pub encoding: bool,
    /// Forbidden characters (and references to them) removed.
    pub control_chars: usize,
    /// Bare `&` escaped.
    pub ampersands: usize,
    /// HTML entities turned into character references.
    pub html_entities: usize,
    /// Entities of no known name escaped as text.
    pub unknown_entities: usize,
    /// Bare `<` escaped.
    pub less_thans: usize,
    /// RSS descriptions with raw markup wrapped in CDATA.
    pub cdata_wrapped: usize,
    /// `<rss version>` set to 2.0.
    pub rss_version: bool,
    /// An Atom 0.3 feed rewritten as Atom 1.0.
    pub atom_03: bool,
}

impl Repairs {
    pub fn is_empty(&self) -> bool {
        *self == Repairs::default()
    }
}

impl fmt::Display for Repairs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts = [
            (self.control_chars, "forbidden characters removed"),
            (self.ampersands, "bare `&` escaped"),
            (self.html_entities, "HTML entities made numeric"),
            (self.unknown_entities, "unknown entities escaped"),
            (self.less_thans, "bare `<` escaped"),
            (self.cdata_wrapped, "descriptions with raw HTML wrapped in CDATA"),
        ];
        let flags = [
            (self.leading_junk, "text before the XML dropped"),
            (self.encoding, "declared encoding set to UTF-8"),
            (self.rss_version, "RSS version set to 2.0"),
            (self.atom_03, "Atom 0.3 read as Atom 1.0"),
        ];
        let parts: Vec<String> = counts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .chain(flags.iter().filter(|(on, _)| *on).map(|(_, what)| what.to_string()))
            .collect();
        if parts.is_empty() { f.write_str("nothing") } else { f.write_str(&parts.join(", ")) }
    }
}

/// The repaired text of a feed, XML or JSON.
pub fn repair(text: &str) -> (String, Repairs) {
    let mut repairs = Repairs::default();
    let text = strip_forbidden(text, &mut repairs);
    let start = text.find(['<', '{']).unwrap_or(text.len());
    if !text[..start].trim_start_matches('\u{feff}').trim().is_empty() {
        repairs.leading_junk = true;
    }
    let text = &text[start..];
    if text.starts_with('{') {
        return (text.to_string(), repairs);
    }
    let text = declare_utf8(text, &mut repairs);
    let text = wrap_raw_descriptions(&text, &mut repairs);
    let text = escape_markup(&text, &mut repairs);
    let text = rss_version(&text, &mut repairs);
    let text = atom_03(text, &mut repairs);
    (text, repairs)
}

/// Whether XML 1.0 allows `c` in a document.
fn is_xml_char(c: char) -> bool {
    crate::normalize::is_xml_char(c)
}

fn strip_forbidden(text: &str, repairs: &mut Repairs) -> String {
    let before = text.chars().count();
    let kept: String = text.chars().filter(|&c| is_xml_char(c)).collect();
    repairs.control_chars += before - kept.chars().count();
    kept
}

static DECL_ENCODING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^(<\?xml[^>]*?\bencoding\s*=\s*)["']([^"']*)["']"#).expect("valid regex"));

fn declare_utf8(text: &str, repairs: &mut Repairs) -> String {
    match DECL_ENCODING.captures(text) {
        Some(c) if !c[2].eq_ignore_ascii_case("utf-8") => {
            repairs.encoding = true;
            let end = c.get(0).map_or(0, |m| m.end());
            format!("{}\"UTF-8\"{}", &c[1], &text[end..])
        }
        _ => text.to_string(),
    }
}

static RAW_DESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)(<(description|content:encoded)(?:\s[^>]*)?>)(.*?)(</(description|content:encoded)\s*>)")
        .expect("valid regex")
});

/// In an RSS document, a description holding raw (unescaped, un-CDATA'd) markup is wrapped in
/// CDATA, so that broken HTML inside it cannot break the XML around it.
fn wrap_raw_descriptions(text: &str, repairs: &mut Repairs) -> String {
    // the prolog and root, up to the first channel or item
    let head = &text[..text.find("<channel").or_else(|| text.find("<item")).unwrap_or(text.len())];
    if !(head.contains("<rss") || head.contains("<rdf:RDF") || head.contains("<RDF")) {
        return text.to_string();
    }
    RAW_DESCRIPTION
        .replace_all(text, |c: &regex::Captures| {
            let inner = &c[3];
            if c[2] != c[5] || !inner.contains('<') || inner.contains("<![CDATA[") {
                return c[0].to_string();
            }
            repairs.cdata_wrapped += 1;
            format!("{}<![CDATA[{}]]>{}", &c[1], inner.replace("]]>", "]]]]><![CDATA[>"), &c[4])
        })
        .into_owned()
}

/// Where the scanner is in the document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// Inside a start or end tag; `Some(quote)` inside an attribute value.
    Tag(Option<char>),
}

/// Escapes bare `&` and `<`, rewrites entities XML does not know; CDATA sections, comments,
/// processing instructions and the DOCTYPE are copied as they are.
fn escape_markup(text: &str, repairs: &mut Repairs) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 64);
    let mut state = State::Text;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let c = rest.chars().next().unwrap_or('\0');
        match (state, c) {
            (State::Text, '<') => {
                let verbatim = [("<![CDATA[", "]]>"), ("<!--", "-->"), ("<?", "?>"), ("<!", ">")]
                    .into_iter()
                    .find(|(open, _)| rest.starts_with(open));
                if let Some((open, close)) = verbatim {
                    let end =
                        rest[open.len()..].find(close).map_or(rest.len(), |e| open.len() + e + close.len());
                    out.push_str(&rest[..end]);
                    i += end;
                    continue;
                }
                let next = rest[1..].chars().next();
                if next.is_some_and(|n| n == '/' || n == '_' || n == ':' || n.is_alphabetic()) {
                    state = State::Tag(None);
                    out.push('<');
                } else {
                    repairs.less_thans += 1;
                    out.push_str("&lt;");
                }
            }
            (State::Tag(None), '>') => {
                state = State::Text;
                out.push('>');
            }
            (State::Tag(None), '"' | '\'') => {
                state = State::Tag(Some(c));
                out.push(c);
            }
            (State::Tag(Some(q)), _) if c == q => {
                state = State::Tag(None);
                out.push(c);
            }
            (State::Tag(Some(_)), '<') => {
                repairs.less_thans += 1;
                out.push_str("&lt;");
            }
            (State::Text | State::Tag(Some(_)), '&') => {
                let consumed = entity(rest, &mut out, repairs);
                i += consumed;
                continue;
            }
            _ => out.push(c),
        }
        i += c.len_utf8();
    }
    out
}

static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{0,31}));")
        .expect("valid regex")
});

/// Copies the reference at the start of `rest` (which starts with `&`) as XML can read it;
/// returns the bytes of `rest` consumed.
fn entity(rest: &str, out: &mut String, repairs: &mut Repairs) -> usize {
    let Some(c) = ENTITY.captures(rest) else {
        repairs.ampersands += 1;
        out.push_str("&amp;");
        return 1;
    };
    let whole = &c[0];
    let code = match (c.get(1), c.get(2)) {
        (Some(dec), _) => dec.as_str().parse::<u32>().ok(),
        (_, Some(hex)) => u32::from_str_radix(hex.as_str(), 16).ok(),
        _ => None,
    };
    if c.get(3).is_none() {
        // a numeric reference: kept unless it names a character XML forbids
        if code.and_then(char::from_u32).is_some_and(is_xml_char) {
            out.push_str(whole);
        } else {
            repairs.control_chars += 1;
        }
        return whole.len();
    }
    let name = &c[3];
    if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
        out.push_str(whole);
        return whole.len();
    }
    let decoded = html_escape::decode_html_entities(whole);
    if decoded != whole {
        repairs.html_entities += 1;
        for ch in decoded.chars().filter(|&ch| is_xml_char(ch)) {
            out.push_str(&format!("&#{};", ch as u32));
        }
    } else {
        repairs.unknown_entities += 1;
        out.push_str("&amp;");
        out.push_str(&whole[1..]);
    }
    whole.len()
}

static RSS_ROOT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<rss\b[^>]*>").expect("valid regex"));
static VERSION_ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\sversion\s*=\s*["']([^"']*)["']"#).expect("valid regex"));

/// feed-rs reads `<rss>` only with version 2.0, 0.91 or 0.92: anything else (none, "2", "0.94")
/// is read as the 2.0 it is in practice.
fn rss_version(text: &str, repairs: &mut Repairs) -> String {
    let Some(root) = RSS_ROOT.find(text) else { return text.to_string() };
    let tag = root.as_str();
    let fixed = match VERSION_ATTR.captures(tag) {
        Some(v) if matches!(&v[1], "2.0" | "0.91" | "0.92") => return text.to_string(),
        Some(v) => tag.replacen(&v[0], " version=\"2.0\"", 1),
        None => tag.replacen("<rss", "<rss version=\"2.0\"", 1),
    };
    repairs.rss_version = true;
    format!("{}{fixed}{}", &text[..root.start()], &text[root.end()..])
}

const ATOM_03_NS: &str = "http://purl.org/atom/ns#";
static ATOM_03_RENAMES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(/?)(issued|modified|tagline|copyright)\b").expect("valid regex"));
static ATOM_03_TYPES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\stype\s*=\s*["'](text/plain|application/xhtml\+xml)["']"#).expect("valid regex")
});

/// Atom 0.3 (2003) as Atom 1.0: the namespace, the renamed elements and MIME `type`s.
fn atom_03(text: String, repairs: &mut Repairs) -> String {
    if !text.contains(ATOM_03_NS) {
        return text;
    }
    repairs.atom_03 = true;
    let text = text.replace(ATOM_03_NS, "http://www.w3.org/2005/Atom");
    let text = ATOM_03_RENAMES.replace_all(&text, |c: &regex::Captures| {
        let new = match &c[2] {
            "issued" => "published",
            "modified" => "updated",
            "tagline" => "subtitle",
            _ => "rights",
        };
        format!("<{}{new}", &c[1])
    });
    ATOM_03_TYPES
        .replace_all(&text, |c: &regex::Captures| {
            if &c[1] == "text/plain" { " type=\"text\"".to_string() } else { " type=\"xhtml\"".to_string() }
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(text: &str) -> String {
        repair(text).0
    }

    #[test]
    fn entities_and_ampersands_become_xml() {
        for (input, expected) in [
            // VnExpress: a raw `&` in an attribute
            (
                r#"<enclosure type="image/jpeg" length="1200" url="https://i1-vnexpress.vnecdn.net/a.jpg?w=1200&h=0&q=100&dpr=1&fit=crop&s=Ab"/>"#,
                r#"<enclosure type="image/jpeg" length="1200" url="https://i1-vnexpress.vnecdn.net/a.jpg?w=1200&amp;h=0&amp;q=100&amp;dpr=1&amp;fit=crop&amp;s=Ab"/>"#,
            ),
            ("<title>Xăng & dầu</title>", "<title>Xăng &amp; dầu</title>"),
            ("<title>R&D</title>", "<title>R&amp;D</title>"),
            // HTML entities, Vietnamese letters among them
            ("<title>Tr&agrave; Vinh&nbsp;&hellip;</title>", "<title>Tr&#224; Vinh&#160;&#8230;</title>"),
            (
                "<title>Gi&aacute; v&agrave;ng &ndash; &ecirc;</title>",
                "<title>Gi&#225; v&#224;ng &#8211; &#234;</title>",
            ),
            ("<title>&Agrave;o</title>", "<title>&#192;o</title>"),
            // XML's own entities and good references stay
            (
                "<t>a &amp; b &lt; c &quot;d&quot; &#039; &#x1EA1;</t>",
                "<t>a &amp; b &lt; c &quot;d&quot; &#039; &#x1EA1;</t>",
            ),
            // unknown names keep their text; references to forbidden characters go
            ("<t>&foo; &#1;x&#xFFFE;</t>", "<t>&amp;foo; x</t>"),
            // CDATA, comments and the declaration are text as they are
            (
                "<?xml version=\"1.0\"?><!-- a & b --><t><![CDATA[Tr&agrave; & <b>x</b>]]></t>",
                "<?xml version=\"1.0\"?><!-- a & b --><t><![CDATA[Tr&agrave; & <b>x</b>]]></t>",
            ),
            // a `<` that cannot start a tag
            ("<title>Lãi suất < 5% và > 3%</title>", "<title>Lãi suất &lt; 5% và > 3%</title>"),
            (r#"<a title="x < y">"#, r#"<a title="x &lt; y">"#),
        ] {
            assert_eq!(repaired(input), expected, "{input}");
        }
    }

    #[test]
    fn forbidden_characters_go_and_are_counted() {
        let (text, repairs) = repair("<title>Qu\u{b}ốc h\u{0}ội\u{1f} \u{fffe}họp</title>");
        assert_eq!(text, "<title>Quốc hội họp</title>");
        assert_eq!(repairs.control_chars, 4);
        assert!(repairs.to_string().contains("4 forbidden characters removed"), "{repairs}");
    }

    #[test]
    fn declaration_prefix_and_versions() {
        let (text, repairs) = repair(
            "\u{feff}\n Warning: x\n<?xml version=\"1.0\" encoding=\"windows-1258\"?>\n<rss><channel/></rss>",
        );
        assert_eq!(text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel/></rss>");
        assert!(repairs.leading_junk && repairs.encoding && repairs.rss_version);
        assert_eq!(repaired("<rss version='0.94' xmlns:x=\"y\">"), "<rss version=\"2.0\" xmlns:x=\"y\">");
        let (text, repairs) = repair("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\">");
        assert_eq!(text, "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\">");
        assert!(repairs.is_empty(), "{repairs}");
    }

    #[test]
    fn raw_html_in_an_rss_description_is_wrapped_in_cdata() {
        let input = "<rss version=\"2.0\"><channel><item><description><a href='/a'/><img src='/b.jpg'/></a></br>(Dân trí) - Sáng 25/11 &amp; chiều</description>\
                     <description>&lt;p&gt;đã escape&lt;/p&gt;</description><description><![CDATA[<p>ok</p>]]></description></item></channel></rss>";
        let (text, repairs) = repair(input);
        assert!(
            text.contains("<description><![CDATA[<a href='/a'/><img src='/b.jpg'/></a></br>(Dân trí) - Sáng 25/11 &amp; chiều]]></description>"),
            "{text}"
        );
        assert!(text.contains("<description>&lt;p&gt;đã escape&lt;/p&gt;</description>"), "{text}");
        assert!(text.contains("<description><![CDATA[<p>ok</p>]]></description>"), "{text}");
        assert_eq!(repairs.cdata_wrapped, 1);
        // not in Atom, whose XHTML content is real XML
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><description><b>x</b></description></feed>";
        assert_eq!(repaired(atom), atom);
    }

    #[test]
    fn atom_03_speaks_atom_10() {
        let input = "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><tagline>Tin</tagline><entry>\
                     <title type=\"text/plain\">A</title><issued>2026-11-25T08:00:00+07:00</issued>\
                     <modified>2026-11-25T09:00:00+07:00</modified></entry></feed>";
        let (text, repairs) = repair(input);
        assert!(repairs.atom_03);
        assert_eq!(
            text,
            "<feed version=\"0.3\" xmlns=\"http://www.w3.org/2005/Atom\"><subtitle>Tin</subtitle><entry>\
             <title type=\"text\">A</title><published>2026-11-25T08:00:00+07:00</published>\
             <updated>2026-11-25T09:00:00+07:00</updated></entry></feed>"
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_leaves_only_xml_characters(
            pieces in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just("<rss version=\"2.0\"><channel><item><description>".to_string()),
                proptest::strategy::Just("</description></item>".to_string()),
                proptest::strategy::Just("<![CDATA[".to_string()),
                proptest::strategy::Just("]]>".to_string()),
                proptest::strategy::Just("&agrave;&amp;&#1;&#x1EA1;&".to_string()),
                proptest::strategy::Just("<a href='x?a=1&b=2'>".to_string()),
                "[<>&;#a-zà-ỹ \\x00-\\x1f\"']{0,12}",
                proptest::arbitrary::any::<String>(),
            ], 0..12)
        ) {
            let (text, _) = repair(&pieces.concat());
            proptest::prop_assert!(text.chars().all(is_xml_char));
        }
    }

    #[test]
    fn json_only_loses_forbidden_characters() {
        let (text, repairs) = repair(" {\"title\": \"a & b\u{1}\"}");
        assert_eq!(text, "{\"title\": \"a & b\"}");
        assert_eq!(repairs.control_chars, 1);
    }
}
