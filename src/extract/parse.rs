//! Pages parsed into `scraper`'s tree by html5ever's own tree builder, fed by a tokenizer of
//! ours when the markup is plain enough for it.
//!
//! Reading an article is mostly parsing, and parsing is mostly html5ever's tokenizer, which
//! looks at every character on its own. Tokens are simple things, though: most of a page is
//! text between `<`s, and tags in the forms a serializer writes. [`document`] finds those with
//! `memchr` and hands them to the same tree builder `Html::parse_document` uses, so where the
//! tree goes (implied elements, misnesting, foster parenting, raw text) is html5ever's decision,
//! not ours. Whatever this tokenizer does not follow exactly as html5ever's does (a NUL, CDATA
//! in SVG or MathML, a doctype that would force quirks mode, a tag html5ever would report an
//! error in (no whitespace before an attribute, a quote in a name or a plain value, a stray `/`,
//! attributes on an end tag), a script holding `<!--`, an unfinished tag or comment) makes it
//! give up, and the page is parsed again by html5ever alone. Two of html5ever's habits are
//! copied rather than avoided: its driver drops a byte order mark right after a script ends, and
//! the errors it tells the tree builder of (`</>`, an unfinished `&#10`) make a line break after
//! `<pre>` stay. A proptest compares both trees on tag soup (CI's random cases found both
//! habits), and a corpus test on every benchmark page.

use std::borrow::Cow;

use html5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Doctype, Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::{Attribute, LocalName, QualName, ns};
use memchr::{memchr, memmem};
use scraper::{Html, HtmlTreeSink};

use super::tags::{is_name_end, is_space};

/// `html` parsed as a document: exactly what `Html::parse_document` gives.
pub(super) fn document(html: &str) -> Html {
    fast(html).unwrap_or_else(|| Html::parse_document(html))
}

type Builder = TreeBuilder<ego_tree::NodeId, HtmlTreeSink>;

/// The document, or `None` when something in `html` is beyond this tokenizer.
pub(super) fn fast(html: &str) -> Option<Html> {
    // a NUL is a token of its own, or a U+FFFD, depending on where it is
    if memchr(b'\0', html.as_bytes()).is_some() {
        return None;
    }
    // html5ever reads "\r\n" and "\r" as "\n" before it tokenizes (pages written on Windows)
    let html = match memchr(b'\r', html.as_bytes()) {
        Some(_) => Cow::Owned(html.replace("\r\n", "\n").replace('\r', "\n")),
        None => Cow::Borrowed(html),
    };
    let html = html.strip_prefix('\u{feff}').unwrap_or(&html);
    let builder: Builder =
        TreeBuilder::new(HtmlTreeSink::new(Html::new_document()), TreeBuilderOpts::default());
    Tokenizer { html, at: 0, text: String::new(), builder: &builder }.run()?;
    let _ = builder.process_token(Token::EOFToken, 1);
    builder.end();
    Some(builder.sink.finish())
}

struct Tokenizer<'a> {
    html: &'a str,
    /// Where the scan is.
    at: usize,
    /// Text read but not yet sent (character references decoded).
    text: String,
    builder: &'a Builder,
}

impl Tokenizer<'_> {
    fn run(&mut self) -> Option<()> {
        let bytes = self.html.as_bytes();
        while let Some(offset) = memchr(b'<', &bytes[self.at..]) {
            self.decode_text(self.at, self.at + offset);
            self.at += offset;
            match bytes.get(self.at + 1) {
                Some(b) if b.is_ascii_alphabetic() => self.start_tag()?,
                Some(b'/') => self.end_tag()?,
                Some(b'!') => self.markup_declaration()?,
                Some(b'?') => self.bogus_comment(self.at + 1)?,
                // "a < b": a `<` that starts nothing is text
                _ => {
                    self.text.push('<');
                    self.at += 1;
                }
            }
        }
        self.decode_text(self.at, self.html.len());
        self.flush();
        Some(())
    }

    /// Text of the page between `from` and `to`, character references decoded, into the text
    /// not yet sent.
    fn decode_text(&mut self, from: usize, to: usize) {
        let text = &self.html[from..to];
        // html5ever tells its tree builder of an unfinished "&#10" before it sends the line
        // break, and a tree builder that hears anything after `<pre>` keeps the break
        if self.text.is_empty()
            && text.starts_with("&#")
            && let (Some(('\n', None)), len) = char_ref(text, false)
            && !text[..len].ends_with(';')
        {
            let _ = self.send(Token::ParseError("missing semicolon".into()));
        }
        decode_into(&mut self.text, text, false);
    }

    fn send(&mut self, token: Token) -> TokenSinkResult<ego_tree::NodeId> {
        self.flush();
        self.builder.process_token(token, 1)
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            let text = StrTendril::from_slice(&self.text);
            self.text.clear();
            let _ = self.builder.process_token(Token::CharacterTokens(text), 1);
        }
    }

    fn start_tag(&mut self) -> Option<()> {
        let (tag, end) = start_tag(self.html, self.at)?;
        let name = tag.name.clone();
        self.at = end;
        match self.send(Token::TagToken(tag)) {
            TokenSinkResult::Continue
            | TokenSinkResult::Script(_)
            | TokenSinkResult::EncodingIndicator(_) => Some(()),
            TokenSinkResult::Plaintext => None,
            TokenSinkResult::RawData(kind) => self.raw_text(kind, &name),
        }
    }

    /// The content of a raw-text element, up to its end tag (left for [`Self::run`]).
    fn raw_text(&mut self, kind: RawKind, name: &str) -> Option<()> {
        let close = super::tags::raw_text_end(self.html, self.at, name)?;
        let content = &self.html[self.at..close];
        match kind {
            RawKind::Rawtext => self.text.push_str(content),
            // "<!--" in a script starts escaped states where "</script>" may not end it
            RawKind::ScriptData if memmem::find(content.as_bytes(), b"<!--").is_none() => {
                self.text.push_str(content);
            }
            RawKind::Rcdata => self.decode_text(self.at, close),
            RawKind::ScriptData | RawKind::ScriptDataEscaped(_) => return None,
        }
        self.at = close;
        Some(())
    }

    /// `</name>`, with nothing but whitespace after the name.
    fn end_tag(&mut self) -> Option<()> {
        let bytes = self.html.as_bytes();
        let from = self.at + 2;
        match bytes.get(from)? {
            b if b.is_ascii_alphabetic() => {}
            // "</>" is dropped, but a tree builder that hears of the error after `<pre>` keeps
            // a line break that follows; "</ …>" and the like are comments
            b'>' => {
                self.at = from + 1;
                let _ = self.send(Token::ParseError("empty end tag".into()));
                return Some(());
            }
            _ => return self.bogus_comment(from),
        }
        let name_end = from + bytes[from..].iter().position(|&b| is_name_end(b))?;
        let gt = name_end + bytes[name_end..].iter().position(|&b| !is_space(b))?;
        if bytes[gt] != b'>' {
            return None;
        }
        let tag = Tag {
            kind: TagKind::EndTag,
            name: local_name(&self.html[from..name_end]),
            self_closing: false,
            attrs: Vec::new(),
            had_duplicate_attributes: false,
        };
        self.at = gt + 1;
        if let TokenSinkResult::Script(_) = self.send(Token::TagToken(tag)) {
            // html5ever's driver feeds the rest of the page again after a script ends, and its
            // tokenizer drops a byte order mark at the start of every feed
            if self.html[self.at..].starts_with('\u{feff}') {
                self.at += '\u{feff}'.len_utf8();
            }
        }
        Some(())
    }

    /// A comment, a doctype, or a bogus comment (`<!…>`); CDATA in SVG or MathML and a doctype
    /// that would force quirks mode give up.
    fn markup_declaration(&mut self) -> Option<()> {
        let rest = &self.html[self.at + 2..];
        if let Some(comment) = rest.strip_prefix("--") {
            // "<!-->" and "<!--->" end at once, and "--!>" ends a comment as "-->" does
            if comment.starts_with('>') || comment.starts_with("->") {
                return None;
            }
            let end = memmem::find(comment.as_bytes(), b"-->")?;
            let text = &comment[..end];
            if memmem::find(text.as_bytes(), b"--!>").is_some() || text.ends_with("--!") {
                return None;
            }
            self.at += 4 + end + 3;
            let _ = self.send(Token::CommentToken(StrTendril::from_slice(text)));
            return Some(());
        }
        if rest.get(..7).is_some_and(|k| k.eq_ignore_ascii_case("doctype")) {
            let (doctype, end) = doctype(self.html, self.at + 9)?;
            self.at = end;
            let _ = self.send(Token::DoctypeToken(doctype));
            return Some(());
        }
        // CDATA is text in SVG and MathML, and a comment in HTML
        if rest.starts_with("[CDATA[")
            && self.builder.adjusted_current_node_present_but_not_in_html_namespace()
        {
            return None;
        }
        self.bogus_comment(self.at + 2)
    }

    /// `<?…>`, `<!…>` or `</…>` that is no tag: a comment of what is between `from` and the
    /// next `>`.
    fn bogus_comment(&mut self, from: usize) -> Option<()> {
        let gt = from + memchr(b'>', &self.html.as_bytes()[from..])?;
        let _ = self.send(Token::CommentToken(StrTendril::from_slice(&self.html[from..gt])));
        self.at = gt + 1;
        Some(())
    }
}

/// A doctype whose keyword ends just before `from`, when it is well formed (a name, then
/// nothing, or `PUBLIC` and one or two quoted identifiers, or `SYSTEM` and one), and the index
/// past its `>`. Anything else makes html5ever force quirks mode: not ours to follow.
fn doctype(html: &str, from: usize) -> Option<(Doctype, usize)> {
    let bytes = html.as_bytes();
    let skip_spaces = |mut at: usize| {
        while bytes.get(at).is_some_and(|&b| is_space(b)) {
            at += 1;
        }
        at
    };
    let name_from = skip_spaces(from);
    if name_from == from {
        return None;
    }
    let name_end = name_from + bytes[name_from..].iter().position(|&b| is_space(b) || b == b'>')?;
    if name_end == name_from {
        return None;
    }
    let mut doctype = Doctype {
        name: Some(StrTendril::from_slice(&html[name_from..name_end].to_ascii_lowercase())),
        public_id: None,
        system_id: None,
        force_quirks: false,
    };
    let mut at = skip_spaces(name_end);
    let quoted = |at: usize| -> Option<(StrTendril, usize)> {
        let quote = *bytes.get(at).filter(|&&q| q == b'"' || q == b'\'')?;
        let close = at + 1 + memchr(quote, &bytes[at + 1..])?;
        let id = &html[at + 1..close];
        // a `>` ends the identifier early, and the doctype forces quirks
        (!id.contains('>')).then(|| (StrTendril::from_slice(id), close + 1))
    };
    let keyword = html.get(at..at + 6).map(str::to_ascii_lowercase);
    if keyword.as_deref() == Some("public") {
        let id_at = skip_spaces(at + 6);
        let (public, end) = quoted(id_at).filter(|_| id_at > at + 6)?;
        doctype.public_id = Some(public);
        at = skip_spaces(end);
        if at > end
            && let Some((system, end)) = quoted(at)
        {
            doctype.system_id = Some(system);
            at = skip_spaces(end);
        }
    } else if keyword.as_deref() == Some("system") {
        let id_at = skip_spaces(at + 6);
        let (system, end) = quoted(id_at).filter(|_| id_at > at + 6)?;
        doctype.system_id = Some(system);
        at = skip_spaces(end);
    }
    (bytes.get(at) == Some(&b'>')).then_some((doctype, at + 1))
}

/// The start tag at `lt` and the index past its `>`, when it is in a form this tokenizer reads
/// exactly as html5ever's: a name (anything up to whitespace, `/` or `>`, as `<o:p>` of pasted
/// Word documents); attributes separated by whitespace, valued or not, quoted or plain (without
/// quotes, `<`, `=` or a backtick in a plain one); a `/` only right before the `>`.
fn start_tag(html: &str, lt: usize) -> Option<(Tag, usize)> {
    let bytes = html.as_bytes();
    let from = lt + 1;
    let name_end = from + bytes[from..].iter().position(|&b| is_name_end(b))?;
    let mut tag = Tag {
        kind: TagKind::StartTag,
        name: local_name(&html[from..name_end]),
        self_closing: false,
        attrs: Vec::new(),
        had_duplicate_attributes: false,
    };
    let mut at = name_end;
    loop {
        let spaced = bytes.get(at).is_some_and(|&b| is_space(b));
        while is_space(*bytes.get(at)?) {
            at += 1;
        }
        match bytes[at] {
            b'>' => return Some((tag, at + 1)),
            b'/' if bytes.get(at + 1) == Some(&b'>') => {
                tag.self_closing = true;
                return Some((tag, at + 2));
            }
            b'/' | b'=' | b'"' | b'\'' | b'<' => return None,
            // "a="1"b" reads as two attributes, with a parse error: not ours to follow
            _ if !spaced => return None,
            _ => {}
        }
        let name_start = at;
        while !matches!(*bytes.get(at)?, b'>' | b'/' | b'=' | b'"' | b'\'' | b'<') && !is_space(bytes[at]) {
            at += 1;
        }
        let name = &html[name_start..at];
        if matches!(bytes[at], b'"' | b'\'' | b'<') {
            return None;
        }
        let mut after = at;
        while is_space(*bytes.get(after)?) {
            after += 1;
        }
        let value = if bytes[after] == b'=' {
            at = after + 1;
            while is_space(*bytes.get(at)?) {
                at += 1;
            }
            let (value, end) = attribute_value(html, at)?;
            at = end;
            value
        } else {
            StrTendril::new()
        };
        let name = local_name(name);
        if tag.attrs.iter().any(|a| a.name.local == name) {
            tag.had_duplicate_attributes = true;
        } else {
            tag.attrs.push(Attribute { name: QualName::new(None, ns!(), name), value });
        }
    }
}

/// An attribute value starting at `at` (a quote or its first character), character references
/// decoded, and the index past it.
fn attribute_value(html: &str, at: usize) -> Option<(StrTendril, usize)> {
    let bytes = html.as_bytes();
    let (raw, end) = match bytes[at] {
        quote @ (b'"' | b'\'') => {
            let close = at + 1 + memchr(quote, &bytes[at + 1..])?;
            (&html[at + 1..close], close + 1)
        }
        b'>' => return None,
        _ => {
            let len = bytes[at..].iter().position(|&b| is_space(b) || b == b'>')?;
            let raw = &html[at..at + len];
            if raw.bytes().any(|b| matches!(b, b'"' | b'\'' | b'<' | b'=' | b'`')) {
                return None;
            }
            (raw, at + len)
        }
    };
    if memchr(b'&', raw.as_bytes()).is_none() {
        return Some((StrTendril::from_slice(raw), end));
    }
    let mut value = String::with_capacity(raw.len());
    decode_into(&mut value, raw, true);
    Some((StrTendril::from_slice(&value), end))
}

/// `text` with its character references decoded, onto `out`.
fn decode_into(out: &mut String, text: &str, in_attribute: bool) {
    let mut from = 0;
    while let Some(offset) = memchr(b'&', &text.as_bytes()[from..]) {
        out.push_str(&text[from..from + offset]);
        from += offset;
        let (decoded, len) = char_ref(&text[from..], in_attribute);
        match decoded {
            Some((first, second)) => {
                out.push(first);
                out.extend(second);
            }
            None => out.push('&'),
        }
        from += len;
    }
    out.push_str(&text[from..]);
}

/// The character reference at the start of `text` (which starts with `&`), as html5ever reads
/// it: its characters (`None`: no reference, a plain `&`) and its length. A named one is the
/// longest name in html5ever's own table that `text` starts with, `;` or not; in an attribute,
/// one without its `;` followed by `=` or a letter or digit is left as it is.
fn char_ref(text: &str, in_attribute: bool) -> (Option<(char, Option<char>)>, usize) {
    let bytes = text.as_bytes();
    match bytes.get(1) {
        Some(b'#') => {
            let hex = matches!(bytes.get(2), Some(b'x' | b'X'));
            let digits_from = if hex { 3 } else { 2 };
            let digits = bytes[digits_from.min(bytes.len())..]
                .iter()
                .take_while(|b| if hex { b.is_ascii_hexdigit() } else { b.is_ascii_digit() })
                .count();
            if digits == 0 {
                return (None, 1);
            }
            let number = &text[digits_from..digits_from + digits];
            let value = u32::from_str_radix(number, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
            let mut len = digits_from + digits;
            if bytes.get(len) == Some(&b';') {
                len += 1;
            }
            (Some((numeric(value), None)), len)
        }
        Some(b) if b.is_ascii_alphanumeric() => {
            // the table holds every prefix of every name too, with no characters
            let mut matched = None;
            let mut end = 1;
            while let Some(&b) = bytes.get(end) {
                if !(b.is_ascii_alphanumeric() || b == b';') {
                    break;
                }
                match NAMED_ENTITIES.get(&text[1..=end]) {
                    Some(&(first, second)) => {
                        if first != 0 {
                            matched = Some((first, second, end + 1));
                        }
                        end += 1;
                        if b == b';' {
                            break;
                        }
                    }
                    None => break,
                }
            }
            let Some((first, second, len)) = matched else { return (None, 1) };
            let next = bytes.get(len).copied();
            let historical = in_attribute
                && bytes[len - 1] != b';'
                && next.is_some_and(|b| b == b'=' || b.is_ascii_alphanumeric());
            if historical {
                return (None, 1);
            }
            let char = |c: u32| char::from_u32(c).unwrap_or('\u{fffd}');
            (Some((char(first), (second != 0).then(|| char(second)))), len)
        }
        _ => (None, 1),
    }
}

/// What html5ever makes of a numeric character reference.
fn numeric(value: u32) -> char {
    match value {
        0 | 0xD800..=0xDFFF => '\u{fffd}',
        0x80..=0x9F => C1_REPLACEMENTS[(value - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{fffd}')),
        _ => char::from_u32(value).unwrap_or('\u{fffd}'),
    }
}

/// An element name as html5ever's tokenizer gives it: ASCII lower-cased.
fn local_name(name: &str) -> LocalName {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        LocalName::from(name.to_ascii_lowercase())
    } else {
        LocalName::from(name)
    }
}

/// Every node of `doc` in document order, with where each element closes: two documents
/// with equal lists are the same tree.
#[cfg(test)]
pub(super) fn nodes(doc: &Html) -> Vec<(bool, scraper::Node)> {
    use ego_tree::iter::Edge;
    let node = |edge: Edge<'_, scraper::Node>| match edge {
        Edge::Open(node) => (true, node.value().clone()),
        Edge::Close(node) => (false, node.value().clone()),
    };
    doc.tree.root().traverse().map(node).collect()
}

#[cfg(test)]
mod tests;
