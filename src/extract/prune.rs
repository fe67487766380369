//! Pages made smaller before they are parsed: without code, and without the insides of their
//! site furniture ([`page`]). One scan of the page text does both.
//!
//! Menus (`<nav>`), sidebars (`<aside>`) and the boxes [`dom::classify`] calls furniture (most
//! read, related, widgets…) are most of a news page's tags, and parsing tags is most of what
//! reading an article costs; yet nothing is read from them. So their content is cut while the
//! page is still text (the elements themselves stay, empty), unless it holds something that is
//! read, or might be:
//! - what generic extraction reads anywhere: `<meta>`, `<link>`, `<title>`, JSON-LD,
//!   `itemprop=datePublished`, breadcrumbs;
//! - what a configured selector could match: the cut part would have to contain a class, id,
//!   attribute or tag of the selector's last compound, and one of each compound before it
//!   (unless an element open around the part has it);
//! - markup the parser would read differently than a simple scan: misnested end tags, tables,
//!   forms, templates, unbalanced formatting elements, entities in class names, list items that
//!   would close an item outside, anything unfinished; and any part in a table outside its
//!   cells, or inside a select, template, object, MathML, open formatting element or button.
//!
//! Only block containers are cut (`<nav>`, `<aside>`, `<div>`, `<section>`, `<header>`,
//! `<footer>`, lists, `<article>`, `<figure>`): a `<p>` or a `<span>` can be closed early by a
//! start tag inside it. A proptest (`prune/tests.rs`) feeds tag soup made of these traps to both
//! readings and compares the results.
//!
//! The rule that makes this safe is in [`dom`]: text, body and image lookups skip furniture
//! (`dom::readable_descendants`), so a page reads the same with or without its furniture's
//! insides.

use std::borrow::Cow;
use std::sync::OnceLock;

use memchr::memchr;
use memchr::memmem::Finder;

use super::Selector;
use super::dom;
use super::tags::{self, Kind, Tag};
use crate::config::Selectors;

/// What must not be cut.
#[derive(Debug, Clone)]
pub(super) struct Keep {
    /// `None`: a configured selector cannot be reasoned about, so nothing is cut.
    selectors: Option<Vec<Needles>>,
    /// A searcher for every needle: [`ALWAYS`] first, then each selector's last and ancestor
    /// needles in order.
    finders: Vec<Finder<'static>>,
}

/// The [`Keep`]s of a source's article and listing pages, worked out once.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeepCache {
    article: OnceLock<Keep>,
    listing: OnceLock<Keep>,
}

/// One selector of a list: a token its matched element must carry, then one for each compound
/// to its left (ancestors), as lower-case needles (`<tag` for a type selector).
#[derive(Debug, Clone)]
struct Needles {
    last: Vec<u8>,
    ancestors: Vec<Vec<u8>>,
}

/// Always read by generic extraction, wherever they sit.
const ALWAYS: [&[u8]; 7] = [b"crumb", b"<meta", b"<link", b"ld+json", b"<title", b"datepublished", b"<base"];

impl Keep {
    /// What the article selectors of a source need kept.
    pub(super) fn article(selectors: &Selectors) -> &Keep {
        let s = selectors;
        s.keep.article.get_or_init(|| {
            Keep::for_selectors([&s.title, &s.summary, &s.content, &s.date, &s.author, &s.image])
        })
    }

    /// What the listing selectors of a source need kept.
    pub(super) fn listing(selectors: &Selectors) -> &Keep {
        selectors.keep.listing.get_or_init(|| Keep::for_selectors([&selectors.item, &selectors.next]))
    }

    fn for_selectors<const N: usize>(used: [&Option<Selector>; N]) -> Keep {
        let mut needles = Vec::new();
        for selector in used.into_iter().flatten() {
            match selector_needles(selector.as_str()) {
                Some(list) => needles.extend(list),
                None => return Keep { selectors: None, finders: Vec::new() },
            }
        }
        let patterns = ALWAYS.iter().map(|n| n.to_vec()).chain(
            needles.iter().flat_map(|s| std::iter::once(s.last.clone()).chain(s.ancestors.iter().cloned())),
        );
        let finders = patterns.map(|p| Finder::new(&p).into_owned()).collect();
        Keep { selectors: Some(needles), finders }
    }
}

/// `html` without what is never read. Everywhere: the bodies of `<script>` (JSON-LD kept) and
/// `<style>` elements, and everything inside an `<svg>`; on a news page they are most of the
/// bytes (trackers, ad code, inline CSS, icon sprites), and the parser would tokenize them (SVG
/// slowly, as foreign content) only for extraction to skip them. Then the content of the page's
/// furniture, unless `keep` says it is read. The elements themselves stay, so selectors on them
/// still match. Something never closed is left to the parser.
pub(super) fn page<'a>(html: &'a str, keep: &Keep) -> Cow<'a, str> {
    prune(html, keep.selectors.as_deref().map(|selectors| (selectors, keep.finders.as_slice())))
}

/// [`page`] with every furniture kept: what a page reads like uncut, for tests to compare.
#[cfg(test)]
pub(super) fn inert(html: &str) -> Cow<'_, str> {
    prune(html, None)
}

fn prune<'a>(html: &'a str, furniture: Option<(&[Needles], &[Finder<'static>])>) -> Cow<'a, str> {
    let mut out = Cut { html, out: None, copied: 0 };
    // Elements open at the scan point: name and start tag. Elements the parser closes
    // implicitly may stay open longer here: that only keeps more.
    let mut open: Vec<(&str, Kind, &str)> = Vec::new();
    let mut at = 0;
    while let Some((lt, tag, end)) = tags::next(html, at) {
        at = end;
        let (name, attrs, self_closing) = match tag {
            Tag::End { name } => {
                // closed only when what is open inside it would be closed implicitly too: an
                // end tag the parser ignores (`</nav>` inside a table cell) must not close here
                if let Some(i) = open.iter().rposition(|(n, _, _)| n.eq_ignore_ascii_case(name))
                    && open[i + 1..].iter().all(|(_, kind, _)| *kind == Kind::Implied)
                {
                    open.truncate(i);
                }
                continue;
            }
            Tag::Start { name, attrs, self_closing } => (name, attrs, self_closing),
        };
        let kind = tags::kind(name);
        match kind {
            Kind::Plaintext => break,
            Kind::Svg => {
                if !self_closing && let Some(close) = tags::svg_end(html, end) {
                    out.cut(end, close);
                    at = close;
                }
                continue;
            }
            _ if kind.is_raw_text() => {
                let Some(close) = tags::raw_text_end(html, end, name) else { break };
                if kind == Kind::Style || kind == Kind::Script && !contains_ignore_case(attrs, "ld+json") {
                    out.cut(end, close);
                }
                at = close;
                continue;
            }
            Kind::Void => continue,
            _ => {}
        }
        if let Some((selectors, finders)) = furniture
            && is_cut_candidate(name, kind, attrs)
            && parsed_as_in_body(&open)
            && let Some(inside) = content(html, end, name)
            && !is_kept(html, lt, &inside, &open, selectors, finders)
        {
            out.cut(end, inside.end);
            // the end tag comes next and closes nothing on `open`
            at = inside.end;
            continue;
        }
        open.push((name, kind, &html[lt..end]));
    }
    out.finish()
}

/// The page text being rebuilt without the parts cut so far; nothing is copied until
/// something is cut.
struct Cut<'a> {
    html: &'a str,
    out: Option<String>,
    /// Bytes of `html` already copied into `out`, or cut.
    copied: usize,
}

impl<'a> Cut<'a> {
    fn cut(&mut self, from: usize, to: usize) {
        if to > from {
            let out = self.out.get_or_insert_with(|| String::with_capacity(self.html.len() / 2));
            out.push_str(&self.html[self.copied..from]);
            self.copied = to;
        }
    }

    fn finish(self) -> Cow<'a, str> {
        match self.out {
            None => Cow::Borrowed(self.html),
            Some(mut out) => {
                out.push_str(&self.html[self.copied..]);
                Cow::Owned(out)
            }
        }
    }
}

fn contains_ignore_case(haystack: &str, needle: impl AsRef<[u8]>) -> bool {
    let needle = needle.as_ref();
    haystack.len() >= needle.len()
        && haystack.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether an element starting here is parsed by the ordinary in-body rules: not inside a table
/// outside its cells (the parser moves such elements out of the table, "foster parenting"), and
/// not inside a select, a template, an object or MathML, which have rules of their own, nor
/// inside an open formatting element or button.
fn parsed_as_in_body(open: &[(&str, Kind, &str)]) -> bool {
    let is = |name: &str, names: &[&str]| names.iter().any(|n| name.eq_ignore_ascii_case(n));
    let in_cell = open
        .iter()
        .rev()
        .find(|(name, _, _)| is(name, &["table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption"]))
        .is_none_or(|(name, _, _)| is(name, &["td", "th", "caption"]));
    // an open formatting element or button reacts to tags inside the part (adoption agency)
    in_cell
        && !open.iter().any(|(name, kind, _)| {
            *kind == Kind::Formatting
                || *kind == Kind::Opaque && !is(name, &["form", "table"])
                || is(name, &["button"])
        })
}

/// A `<nav>`, an `<aside>`, or an element whose class or id says furniture. Entities in those
/// attributes would be decoded by the parser and not by us: such an element is left alone.
fn is_cut_candidate(name: &str, kind: Kind, attrs: &str) -> bool {
    // Only block containers: a start tag inside a `<p>`, a `<span>` or a list item can close
    // them early (a `<div>` closes an open `<p>`, an `<li>` the list item around it).
    let block = ["div", "section", "header", "footer", "ul", "ol", "article", "figure"];
    if kind != Kind::Furniture && !block.iter().any(|b| name.eq_ignore_ascii_case(b)) {
        return false;
    }
    if entity_in(attrs, &["class", "id", "aria-label", "itemtype", "type"]) {
        return false;
    }
    // Upper-case attribute names are not lowered here: such an element is just not cut.
    kind == Kind::Furniture || dom::classify_attrs(name, tags::attrs(attrs)).decoy
}

/// Whether one of the `keys` attributes holds a character reference: the parser would decode it
/// and a scan does not, so what the scan sees of that attribute cannot be trusted.
fn entity_in(attrs: &str, keys: &[&str]) -> bool {
    memchr(b'&', attrs.as_bytes()).is_some()
        && tags::attrs(attrs).any(|(k, v)| memchr(b'&', v.as_bytes()).is_some() && keys.contains(&k))
}

/// The inside of an element: where its end tag starts, and the code (script, style and
/// drawing bodies) in it, which says nothing about what the element holds.
struct Inside {
    end: usize,
    code: Vec<(usize, usize)>,
}

/// The inside of the element `name` whose content starts at `from`, when a scan can tell for
/// sure where it ends: same-name elements nest, every other end tag closes something opened
/// inside, no opaque markup or table parts, formatting elements balanced.
fn content(html: &str, from: usize, name: &str) -> Option<Inside> {
    let mut depth = 1;
    // open-minus-closed count per tag name inside the part
    let mut counts: Vec<(&str, i32)> = Vec::new();
    let mut code = Vec::new();
    let mut at = from;
    loop {
        let (lt, tag, end) = tags::next(html, at)?;
        at = end;
        match tag {
            Tag::Start { name: inner, attrs, self_closing } => {
                let kind = tags::kind(inner);
                match kind {
                    // a table part (a `<col>` too) closes the cell or caption around the part
                    Kind::Opaque | Kind::Document | Kind::Plaintext | Kind::TablePart => return None,
                    Kind::Void if inner.eq_ignore_ascii_case("col") => return None,
                    Kind::Svg => {
                        if !self_closing {
                            at = tags::svg_end(html, end)?;
                            code.push((end, at));
                        }
                        continue;
                    }
                    _ if kind.is_raw_text() => {
                        at = tags::raw_text_end(html, end, inner)?;
                        code.push((end, at));
                        continue;
                    }
                    Kind::Void => continue,
                    _ => {}
                }
                if entity_in(attrs, &["class", "id"]) {
                    return None;
                }
                // An `<li>` closes the list item open around it across `<div>`s; a `<dd>` or
                // `<dt>` the definition part: only a list opened inside stops that walk.
                let open_inside = |names: &[&str]| names.iter().map(|n| count(&counts, n)).sum::<i32>() > 0;
                let walks_out = name.eq_ignore_ascii_case("div")
                    && (inner.eq_ignore_ascii_case("li") && !open_inside(&["ul", "ol", "menu"])
                        || ["dd", "dt"].iter().any(|d| inner.eq_ignore_ascii_case(d))
                            && !open_inside(&["dl"]));
                if walks_out {
                    return None;
                }
                if inner.eq_ignore_ascii_case(name) {
                    depth += 1;
                }
                bump(&mut counts, inner, 1);
            }
            Tag::End { name: inner } => {
                if inner.eq_ignore_ascii_case(name) {
                    depth -= 1;
                    if depth == 0 {
                        let balanced =
                            counts.iter().all(|(n, c)| *c == 0 || tags::kind(n) != Kind::Formatting);
                        return balanced.then_some(Inside { end: lt, code });
                    }
                }
                if bump(&mut counts, inner, -1) < 0 {
                    return None;
                }
            }
        }
    }
}

/// The open-minus-closed count of `name`.
fn count(counts: &[(&str, i32)], name: &str) -> i32 {
    counts.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map_or(0, |(_, c)| *c)
}

/// Adds `delta` to the count of `name`, returning the new count.
fn bump<'a>(counts: &mut Vec<(&'a str, i32)>, name: &'a str, delta: i32) -> i32 {
    match counts.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        Some((_, count)) => {
            *count += delta;
            *count
        }
        None => {
            counts.push((name, delta));
            delta
        }
    }
}

/// Whether the element starting at `lt` holds something read, or possibly read: its start tag
/// and content, code left out, are searched in lower case; an ancestor needle may also be in
/// the start tag of an element open around it.
fn is_kept(
    html: &str,
    lt: usize,
    inside: &Inside,
    open: &[(&str, Kind, &str)],
    selectors: &[Needles],
    finders: &[Finder<'static>],
) -> bool {
    let bytes = html.as_bytes();
    let mut part = Vec::with_capacity(inside.end - lt);
    let mut from = lt;
    for &(start, end) in inside.code.iter().chain([&(inside.end, inside.end)]) {
        part.extend(bytes[from..start].iter().map(u8::to_ascii_lowercase));
        from = end;
    }
    let holds = |id: usize| finders[id].find(&part).is_some();
    if (0..ALWAYS.len()).any(holds) {
        return true;
    }
    let around = |needle: &[u8]| open.iter().any(|(_, _, tag)| contains_ignore_case(tag, needle));
    let mut id = ALWAYS.len();
    selectors.iter().any(|s| {
        let last = id;
        id = last + 1 + s.ancestors.len();
        holds(last) && s.ancestors.iter().enumerate().all(|(i, needle)| holds(last + 1 + i) || around(needle))
    })
}

/// The needles of each selector in a list, or `None` when the text is beyond this reasoning
/// (escapes, sibling combinators, a last compound without class, id, attribute or tag).
fn selector_needles(text: &str) -> Option<Vec<Needles>> {
    if text.contains('\\') {
        return None;
    }
    let mut list = Vec::new();
    for alternative in split_top(text, |c| c == ',') {
        if split_top(alternative, |c| c == '+' || c == '~').len() > 1 {
            return None; // sibling combinators
        }
        let mut compounds = Vec::new();
        for compound in split_top(alternative, |c| c.is_whitespace() || c == '>') {
            if compound.is_empty() {
                continue;
            }
            compounds.push(compound_needle(compound));
        }
        let last = compounds.pop()??;
        // an ancestor compound without a needle constrains nothing we can see: leave it out
        let ancestors = compounds.into_iter().flatten().collect();
        list.push(Needles { last, ancestors });
    }
    (!list.is_empty()).then_some(list)
}

/// Pieces of `text` between separators outside brackets, parentheses and quotes.
fn split_top(text: &str, is_separator: impl Fn(char) -> bool) -> Vec<&str> {
    let mut pieces = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, _) if depth == 0 && is_separator(c) => {
                pieces.push(text[start..i].trim());
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    pieces.push(text[start..].trim());
    pieces
}

/// One token a compound's element must carry: its id, a class, an attribute name, else its tag
/// (as `<tag`); `None` for `*` or pseudo-classes alone.
fn compound_needle(compound: &str) -> Option<Vec<u8>> {
    let ident = |from: usize| {
        let rest = &compound[from..];
        let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
        (len > 0).then(|| rest[..len].to_lowercase().into_bytes())
    };
    let mut depth = 0;
    let (mut id, mut class, mut attr) = (None, None, None);
    for (i, c) in compound.char_indices() {
        match c {
            '[' if depth == 0 => {
                attr = attr.or_else(|| ident(i + 1));
                depth += 1;
            }
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '#' if depth == 0 => id = id.or_else(|| ident(i + 1)),
            '.' if depth == 0 => class = class.or_else(|| ident(i + 1)),
            _ => {}
        }
    }
    let tag = || ident(0).map(|name| [b"<".as_slice(), &name].concat());
    id.or(class).or(attr).or_else(tag)
}

#[cfg(test)]
mod tests;
