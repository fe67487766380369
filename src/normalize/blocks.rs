//! Boilerplate out of an HTML body: the rules of [`super::boilerplate`] applied to its blocks.
//!
//! The body is first made well-formed by a permissive ammonia pass (which keeps `style` and
//! `align`, the marks of a right-aligned byline); that output is a balanced tree, so a small
//! parser is enough here and `scraper` stays inside `extract`. The final, strict sanitizing
//! happens after this, as ever.

use std::borrow::Cow;

use super::boilerplate::{Para, Policy, keep};
use super::text::{clean_text, map_char};

/// A node of a well-formed fragment. Text and attributes stay escaped exactly as serialized,
/// borrowed from it (names too, unless they need lower-casing).
#[derive(Debug)]
enum Node<'a> {
    Element { name: Cow<'a, str>, attrs: &'a str, children: Vec<Node<'a>> },
    Void { name: Cow<'a, str>, attrs: &'a str },
    Text(&'a str),
}

/// An element being parsed: its name, attributes and children so far.
type Open<'a> = (Cow<'a, str>, &'a str, Vec<Node<'a>>);

/// A tag name in lower case (ammonia writes them so: nothing to copy).
fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Elements whose children are judged one by one, rather than the element as a whole.
fn is_container(name: &str) -> bool {
    matches!(name, "div" | "section" | "article" | "main" | "header" | "footer" | "aside" | "center" | "span")
}

fn is_block(name: &str) -> bool {
    is_container(name)
        || matches!(
            name,
            "p" | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "ul"
                | "ol"
                | "dl"
                | "table"
                | "figure"
                | "blockquote"
                | "pre"
                | "hr"
        )
}

fn is_void(name: &str) -> bool {
    matches!(name, "area" | "br" | "col" | "hr" | "img" | "wbr" | "source" | "track")
}

/// Parses a fragment as ammonia serializes it. Stray end tags are ignored and open elements are
/// closed at the end, so any input gives a tree.
fn parse(html: &str) -> Vec<Node<'_>> {
    let mut stack: Vec<Open> = vec![(Cow::Borrowed(""), "", Vec::new())];
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push(&mut stack, Node::Text(rest));
            break;
        };
        if lt > 0 {
            push(&mut stack, Node::Text(&rest[..lt]));
        }
        rest = &rest[lt..];
        let Some(end) = tag_end(rest) else {
            push(&mut stack, Node::Text(rest));
            break;
        };
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = lower(name.trim());
            if let Some(open) = stack.iter().skip(1).rposition(|(n, _, _)| *n == name) {
                while stack.len() > open + 1 {
                    close(&mut stack);
                }
            }
            continue;
        }
        let name_len = tag.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(tag.len());
        let name = lower(&tag[..name_len]);
        let attrs = tag[name_len..].trim_end_matches('/');
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        if is_void(&name) {
            push(&mut stack, Node::Void { name, attrs });
        } else {
            stack.push((name, attrs, Vec::new()));
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.pop().map(|(_, _, children)| children).unwrap_or_default()
}

/// The index of the `>` that ends the tag at the start of `text`, skipping quoted values.
fn tag_end(text: &str) -> Option<usize> {
    // the delimiters are ASCII, so bytes do (no byte of a longer character equals one)
    let mut quote = None;
    for (i, b) in text.bytes().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn push<'a>(stack: &mut [Open<'a>], node: Node<'a>) {
    if let Some((_, _, children)) = stack.last_mut() {
        children.push(node);
    }
}

fn close(stack: &mut Vec<Open>) {
    if let Some((name, attrs, children)) = stack.pop() {
        push(stack, Node::Element { name, attrs, children });
    }
}

fn serialize(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Void { name, attrs } => {
                out.push('<');
                out.push_str(name);
                out.push_str(attrs);
                out.push('>');
            }
            Node::Element { name, attrs, children } => {
                out.push('<');
                out.push_str(name);
                out.push_str(attrs);
                out.push('>');
                serialize(children, out);
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
        }
    }
}

/// The raw (escaped) text of a node; `<br>` counts as a space.
fn raw_text(node: &Node, out: &mut String) {
    match node {
        Node::Text(text) => out.push_str(text),
        Node::Void { name, .. } if name == "br" => out.push(' '),
        Node::Void { .. } => {}
        Node::Element { children, .. } => children.iter().for_each(|c| raw_text(c, out)),
    }
}

fn text_of(node: &Node) -> String {
    let mut raw = String::new();
    raw_text(node, &mut raw);
    clean_text(&raw)
}

/// Whether any text lies outside every element of `names` (e.g. outside `<a>`).
fn has_text_outside(node: &Node, names: &[&str]) -> bool {
    fn walk(node: &Node, names: &[&str], out: &mut String) {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element { name, children, .. } if !names.contains(&name.as_ref()) => {
                children.iter().for_each(|c| walk(c, names, out));
            }
            _ => {}
        }
    }
    let mut raw = String::new();
    walk(node, names, &mut raw);
    !is_blank(&raw)
}

/// Whether [`clean_text`] would leave nothing of `raw`. Without a character reference that is
/// when every character is a space or goes; with one, the text is cleaned to see.
fn is_blank(raw: &str) -> bool {
    if raw.contains('&') {
        return clean_text(raw).is_empty();
    }
    raw.chars().all(|c| matches!(map_char(c), None | Some(' ')))
}

fn has_image(node: &Node) -> bool {
    match node {
        Node::Void { name, .. } => name == "img",
        Node::Element { children, .. } => children.iter().any(has_image),
        Node::Text(_) => false,
    }
}

/// Right-aligned (`style="text-align: right"`, `align="right"`) or all text bold or italic.
fn is_emphasized(node: &Node, text: &str) -> bool {
    let Node::Element { attrs, .. } = node else { return false };
    let attrs = attrs.to_ascii_lowercase().replace(' ', "");
    let right = attrs.contains("text-align:right") || attrs.contains("align=\"right\"");
    right || (!text.is_empty() && !has_text_outside(node, &["strong", "b", "em", "i"]))
}

/// Where a block sits: the path of child indexes from the root.
type Path = Vec<usize>;

/// The leaf blocks of the tree in document order: containers are opened (unless they hold no
/// block at all), everything else is judged whole. Runs of inline content directly inside a
/// container are judged node by node.
fn leaves(nodes: &[Node], path: &mut Path, out: &mut Vec<Path>) {
    for (i, node) in nodes.iter().enumerate() {
        path.push(i);
        match node {
            Node::Element { name, children, .. }
                if is_container(name)
                    && children.iter().any(|c| matches!(c, Node::Element { name, .. } if is_block(name))) =>
            {
                leaves(children, path, out);
            }
            Node::Text(text) if text.trim().is_empty() => {}
            _ => out.push(path.clone()),
        }
        path.pop();
    }
}

fn node_at<'a, 'h>(nodes: &'a [Node<'h>], path: &[usize]) -> Option<&'a Node<'h>> {
    let (first, rest) = path.split_first()?;
    let node = nodes.get(*first)?;
    match (rest.is_empty(), node) {
        (true, _) => Some(node),
        (false, Node::Element { children, .. }) => node_at(children, rest),
        _ => None,
    }
}

/// Removes the nodes at `paths` (deepest and last first, so earlier paths stay valid), then the
/// containers left without text or picture.
fn remove(nodes: &mut Vec<Node>, paths: &[Path]) {
    let mut paths = paths.to_vec();
    paths.sort();
    for path in paths.iter().rev() {
        remove_one(nodes, path);
    }
    prune(nodes);
}

fn remove_one(nodes: &mut Vec<Node>, path: &[usize]) {
    match path {
        [] => {}
        [i] => {
            if *i < nodes.len() {
                nodes.remove(*i);
                // The indentation before it goes too (text nodes are never removed leaves).
                if i.checked_sub(1).is_some_and(|j| matches!(&nodes[j], Node::Text(t) if t.trim().is_empty()))
                {
                    nodes.remove(i - 1);
                }
            }
        }
        [i, rest @ ..] => {
            if let Some(Node::Element { children, .. }) = nodes.get_mut(*i) {
                remove_one(children, rest);
            }
        }
    }
}

/// Drops containers that removal emptied (no text, no picture).
fn prune(nodes: &mut Vec<Node>) {
    for node in nodes.iter_mut() {
        if let Node::Element { children, .. } = node {
            prune(children);
        }
    }
    nodes.retain(|node| match node {
        Node::Element { name, .. } if is_container(name) => !text_of(node).is_empty() || has_image(node),
        _ => true,
    });
}

/// `html` (well-formed, as ammonia writes it) without related boxes, footer lines and the
/// trailing byline. Figures and their captions stay.
pub fn strip_boilerplate(html: &str, author: Option<&str>) -> String {
    let mut tree = parse(html);
    let mut paths = Vec::new();
    leaves(&tree, &mut Vec::new(), &mut paths);
    let texts: Vec<(String, bool, bool, bool)> = paths
        .iter()
        .filter_map(|path| node_at(&tree, path))
        .map(|node| {
            let text = text_of(node);
            let emphasized = is_emphasized(node, &text);
            let links_only = !text.is_empty() && !has_text_outside(node, &["a"]);
            let figure = matches!(node, Node::Element { name, .. } if name == "figure");
            (text, emphasized, links_only, figure)
        })
        .collect();
    let paras: Vec<Para> = texts
        .iter()
        .map(|(text, emphasized, links_only, figure)| Para {
            text,
            emphasized: *emphasized,
            links_only: *links_only,
            figure: *figure,
        })
        .collect();
    let policy = Policy { cut_at_end_mark: false, drop_captions: false };
    let keep = keep(&paras, author, policy);
    let dropped: Vec<Path> =
        paths.into_iter().zip(keep).filter_map(|(path, keep)| (!keep).then_some(path)).collect();
    if dropped.is_empty() {
        return html.to_string();
    }
    remove(&mut tree, &dropped);
    let mut out = String::with_capacity(html.len());
    serialize(&tree, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn drops_related_boxes_footers_and_the_byline() {
        let html = concat!(
            "<p>Dự khai mạc kỳ họp có các đồng chí trong Ban Thường vụ Tỉnh ủy.</p>",
            "<figure><img src=\"a.png\"><figcaption>Quang cảnh kỳ họp. Ảnh: Hoàng Anh</figcaption></figure>",
            "<div><h3>Tin liên quan</h3><ul><li><a href=\"x.html\">Bài khác</a></li></ul></div>",
            "<p><strong>Xem thêm:</strong> <a href=\"y.html\">Tin khác</a></p>",
            "<p>Kỳ họp dự kiến diễn ra trong 2,5 ngày.</p>",
            "<p style=\"text-align: right;\"><strong>Hoàng Anh</strong></p>",
        );
        assert_eq!(
            strip_boilerplate(html, None),
            concat!(
                "<p>Dự khai mạc kỳ họp có các đồng chí trong Ban Thường vụ Tỉnh ủy.</p>",
                "<figure><img src=\"a.png\"><figcaption>Quang cảnh kỳ họp. Ảnh: Hoàng Anh</figcaption></figure>",
                "<p>Kỳ họp dự kiến diễn ra trong 2,5 ngày.</p>",
            )
        );
    }

    #[test]
    fn a_heading_then_a_list_of_links_is_a_related_box() {
        let html = "<div class=\"body\"><p>Nội dung chính của bài.</p><p><b>Tin liên quan</b></p>\
                    <ul><li><a href=\"/a\">Tin A</a></li><li><a href=\"/b\">Tin B</a></li></ul>\
                    <p>Đoạn cuối của bài viết, còn tiếp.</p></div>";
        assert_eq!(
            strip_boilerplate(html, None),
            "<div class=\"body\"><p>Nội dung chính của bài.</p><p>Đoạn cuối của bài viết, còn tiếp.</p></div>"
        );
    }

    #[test]
    fn footer_lines_inside_a_body_go() {
        let html = "<p>Tin chính.</p><p>Hết bài./.</p><p><strong>BÁO HÀ NAM ĐIỆN TỬ</strong></p>\
                    <p>Tổng Biên tập: Lê Hồng Kỳ</p><p>Email: <a href=\"mailto:a@b.vn\">a@b.vn</a></p>";
        assert_eq!(strip_boilerplate(html, None), "<p>Tin chính.</p><p>Hết bài./.</p>");
    }

    #[test]
    fn keeps_a_clean_body_byte_for_byte() {
        for html in [
            "<p>Tỉnh Hà Nam có 5 huyện.</p><p>Hà Nam là tỉnh nhỏ nhất.</p>",
            "<p>Chỉ một đoạn: Hà Nam</p>",
            "<p>Bài viết</p><p><img src=\"x.png\"></p>",
            "chỉ có chữ &amp; không thẻ",
            "",
        ] {
            assert_eq!(strip_boilerplate(html, Some("Hà Nam")), html);
        }
        // a byline in the middle is a sub-heading and stays; the one at the end goes
        let html = "<p>Tỉnh Hà Nam có 5 huyện.</p><p><b>Hà Nam</b></p><p>Tiếp theo là bài.</p><p>Hà Nam</p>";
        assert_eq!(
            strip_boilerplate(html, Some("Hà Nam")),
            "<p>Tỉnh Hà Nam có 5 huyện.</p><p><b>Hà Nam</b></p><p>Tiếp theo là bài.</p>"
        );
    }

    #[test]
    fn parses_and_serializes_round_trip() {
        for html in [
            "<div class=\"a\"><p>x<br>y</p><img src=\"a.png\" alt=\"&quot;\"></div>",
            "<p title=\"a>b\">c</p>",
            "<table><tbody><tr><td>1</td></tr></tbody></table>",
        ] {
            let mut out = String::new();
            serialize(&parse(html), &mut out);
            assert_eq!(out, html);
        }
    }

    #[test]
    fn blank_text_is_judged_as_clean_text_would() {
        for raw in
            ["", " \n\t", "&nbsp; ", "\u{200B}\u{a0}", "&#8203;", " x ", "&amp;", "\u{1}Hà", "&nbsp;Nam"]
        {
            assert_eq!(is_blank(raw), clean_text(raw).is_empty(), "{raw:?}");
        }
    }

    proptest! {
        #[test]
        fn blank_is_clean_text_empty(s in "(&nbsp;|&#8203;|&amp;|&| |\u{a0}|\u{200B}|\u{1}|\n|a|ệ)*") {
            prop_assert_eq!(is_blank(&s), clean_text(&s).is_empty());
        }

        #[test]
        fn never_panics(s in "(<|>|/|p|div|a|b|\"|=| |Tin liên quan|Hà Nam|Email: x|BÁO HÀ NAM ĐIỆN TỬ|Giấy phép số 1)*") {
            let _ = strip_boilerplate(&s, Some("Hà Nam"));
        }
    }
}
