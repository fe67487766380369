//! The fast tokenizer must give html5ever's tree, node for node, or give up.

use proptest::prelude::*;
use scraper::Html;

use super::{document, fast, nodes};

/// Whether the fast path took `html`; when it did, its tree must be html5ever's.
fn agrees(html: &str) -> Result<bool, TestCaseError> {
    let Some(ours) = fast(html) else { return Ok(false) };
    let theirs = Html::parse_document(html);
    prop_assert_eq!(ours.html(), theirs.html(), "{:?}", html);
    prop_assert!(nodes(&ours) == nodes(&theirs), "same markup, other nodes: {:?}", html);
    prop_assert_eq!(ours.quirks_mode, theirs.quirks_mode);
    Ok(true)
}

fn taken(html: &str) -> bool {
    agrees(html).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn an_article_page_takes_the_fast_path() {
    let page = r#"<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Hà Nam &amp; Phủ Lý</title>
<meta property="og:title" content="Khai mạc &quot;Lễ hội&quot;">
<script type="application/ld+json">{"headline": "a < b && c"}</script><style></style></head>
<body class=home><!-- đầu trang --><header><nav class="menu"></nav></header>
<div class="article-body"><h1 class='article-title'>Tiêu đề</h1>
<p>Sáng 27/11,&nbsp;tỉnh <b>Hà Nam</b> tổ chức hội nghị; 1 &lt; 2 &#8211; 3 &#x2014; AT&T.</p>
<p>Đoạn hai<p>Đoạn ba, tự đóng.
<figure><img src="/a.jpg" alt="" data-src=/b.jpg loading=lazy><figcaption>Ảnh: Hồng Duy</figcaption></figure>
<table><tr><td>Ô</td></tr></table><br/><svg viewBox="0 0 1 1"><path d="M0 0"/></svg>
<textarea>
&lt;giữ&gt;</textarea><pre>
mã</pre><noscript><img src=x></noscript></div></body></html>"#;
    assert!(taken(page));
}

#[test]
fn what_it_does_not_follow_is_left_to_html5ever() {
    for html in [
        "<p>a\0b</p>",
        "<svg><![CDATA[x]]></svg>",
        "<!--> x",
        "<!-- a --!> b -->",
        "<p>x</p foo>",
        "<a b=\"1\"c=\"2\">x</a>",
        "<a b=c\"d>x</a>",
        "<a / b>x</a>",
        "<script><!-- </script> --></script>",
        "<plaintext><p>x",
        "<title>x",
        "<p class=\"x",
        "<!DOCTYPE html PUBLIC \"a>b\">x",
        "<!DOCTYPE html PUBLIC\"a\">x",
        "<!DOCTYPE>x",
        "<!DOCTYPE html x>y",
        "<math><![CDATA[x]]></math>",
    ] {
        assert!(fast(html).is_none(), "{html:?}");
        assert_eq!(document(html).html(), Html::parse_document(html).html(), "{html:?}");
    }
}

/// Markup at the edges of what the tokenizer follows: each form takes the fast path and gets
/// html5ever's tree.
#[test]
fn edge_forms_html5ever_reads_the_same_way() {
    for html in [
        "",
        "text only & < > ;",
        "<P CLASS=A ID='b' Data-X=\"1\" hidden>x</P>",
        "<a href=x title=y/>z",
        "<a b c=\"\" d='' b=2>dup</a>",
        "<div><p>a<div>b</div>c</p></div>",
        "<b><i>x</b>y</i>",
        "<table><div>foster</div><tr><td>x</table>",
        "<select><option>a<option>b</select>",
        "<ul><li>a<li>b</ul><dl><dt>c<dd>d</dl>",
        "<!---a--><!-- x -- y --><!-- a --->",
        "<!--a<!--b--><!--c<!-->",
        "<!doctype HTML><p>x",
        "&#0;&#128;&#x9F;&#x110000;&#xD800;&#99999999999;&#65",
        "&NotNestedGreaterGreater;&amp;&AMP;",
        "<title>a &amp; b &lt;/title&gt;</title>",
        "<textarea>\n\nx</textarea><pre>\n\ny</pre><listing>\nz</listing>",
        "<svg><title>t</title><style>s</style><foreignObject><p>x</p></foreignObject></svg>",
        "<math><mi>x</mi><annotation-xml encoding=\"text/html\"><p>y</p></annotation-xml></math>",
        "<noscript><p>x</p></noscript><iframe><p>y</p></iframe><xmp><b>z</b></xmp>",
        "<script>var a = '</scr' + 'ipt>';</script><style>a > b {}</style>",
        "<html><head></head><body></body></html><p>after</p>",
        "<body onload=x><body class=y>",
        "\u{feff}<p>bom</p>",
        // html5ever drops a byte order mark right after a script ends, and only there
        "<script></script>\u{feff}<p hidden>x</p><style></style>\u{feff}<p>\u{feff}y</p>",
        "<svg><script></script>\u{feff}</svg><script>a</script>\u{feff}\u{feff}z",
        // a parse error between `<pre>` and a line break keeps the break
        "<pre></>\nx</pre><listing>&#10\ny</listing><textarea>&#x0A\nz</textarea><pre>&#10;\nw</pre>",
        "<p>a</p >b</p\t>",
        "<a href=\"&#x27;&quot;\">x</a>",
        "<p>&copy 2026 &notit; &noti &not &#; &#x; AT&T &amp</p>",
        "<a href=\"?a=1&copy=2&not;&notx&amp\" title=&copy>x</a>",
        "<br></br></p>",
        "<template><p>x</p></template>",
        "<form><form><input></form>",
        "<h1><h2>x</h1></h2>",
        "<frameset><frame></frameset>",
        "<?xml version=\"1.0\"?><p>x</p><?php echo 1 ?>",
        "</>x</ p></1><!x><![endif]><p><![CDATA[x]]></p>",
        "<o:p>x</o:p><a\"b>y</a\"b><é>z</é>",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><p>x</p>",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">x",
        "<!doctype HTML system 'about:legacy-compat'>x",
        "<!DOCTYPE html PUBLIC '-//W3C//DTD HTML 4.0 Transitional//EN'>quirks",
        "<!DOCTYPE svg>x",
        "<p class=\"a\r\nb\">x\r\ny\rz</p>\r\n<!-- \r -->&#13;<textarea>\r\nt</textarea>",
    ] {
        assert!(taken(html), "left to html5ever: {html:?}");
    }
}

/// Pieces of pages: the markup html5ever treats specially, entities, comments and text.
fn piece() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![
        "p",
        "div",
        "span",
        "a",
        "b",
        "i",
        "em",
        "strong",
        "h1",
        "h2",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "tbody",
        "tr",
        "td",
        "th",
        "caption",
        "colgroup",
        "col",
        "form",
        "input",
        "select",
        "option",
        "button",
        "figure",
        "figcaption",
        "img",
        "br",
        "hr",
        "pre",
        "textarea",
        "title",
        "script",
        "style",
        "noscript",
        "iframe",
        "xmp",
        "template",
        "svg",
        "path",
        "math",
        "mi",
        "foreignObject",
        "html",
        "head",
        "body",
        "meta",
        "link",
        "base",
        "nav",
        "aside",
        "section",
        "article",
        "main",
        "font",
        "nobr",
        "plaintext",
        "frameset",
        "frame",
        "listing",
        "P",
        "DIV",
        "Td",
    ]);
    let attr = prop::sample::select(vec![
        "",
        " class=\"a b\"",
        " id='x'",
        " href=/x?a=1&amp;b=2",
        " hidden",
        " data-src=\"/a.jpg\"",
        " CLASS=Up",
        " title=\"&quot;q&quot;\"",
        " x=1 x=2",
        " type=\"application/ld+json\"",
        " encoding=\"text/html\"",
        " src=a.jpg/",
        " a='1'b",
        " c=\"<\"",
        " h=\"?a=1&copy=2&not;x&notx\"",
        " t=&amp",
        "\nclass=x\t",
        " n=\"&#128;&#x0;&NotEqualTilde;\"",
        " =x",
        " a=",
        " b = 'c' ",
    ]);
    prop_oneof![
        (name.clone(), attr, any::<bool>())
            .prop_map(|(n, a, s)| format!("<{n}{a}{}>", if s { "/" } else { "" })),
        name.prop_map(|n| format!("</{n}>")),
        prop::sample::select(vec![
            "Sáng 27/11, Hà Nam",
            " ",
            "\n",
            "\t",
            "a < b",
            "&amp;",
            "&nbsp;",
            "&lt;",
            "&#39;",
            "&#x1F600;",
            "&#128;",
            "&#0;",
            "&copy;",
            "&copy",
            "&ampx;",
            "&",
            "&#",
            "<!-- c -->",
            "<!---->",
            "<!-->",
            "<!DOCTYPE html>",
            "<!doctype html public>",
            "<?php ?>",
            "<![CDATA[x]]>",
            "</ p>",
            "</>",
            "--!>",
            "-->",
            "\r\n",
            "<",
            ">",
            "'",
            "\"",
            "=",
            "/",
            "&notin;",
            "&notit;",
            "&amp",
            "&nbsp",
            "&NotEqualTilde;",
            "&#x41",
            "&#10",
            "\u{feff}",
            "\u{a0}",
            "\x0c",
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\">", "<!doctype html system \"about:legacy-compat\">",
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">",
            "<![endif]>", "<o:p>", "</o:p>", "</ x>",
        ])
        .prop_map(String::from),
        "[a-zà-ỹ ]{1,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn tag_soup_gives_html5ever_s_tree_or_nothing(pieces in prop::collection::vec(piece(), 0..24)) {
        agrees(&pieces.concat())?;
    }
}

/// The comparison above is not vacuous: most soups take the fast path.
#[test]
fn most_soups_take_the_fast_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = prop::collection::vec(piece(), 0..24);
    let taken = (0..1000)
        .filter(|_| taken(&strategy.new_tree(&mut runner).expect("a soup").current().concat()))
        .count();
    assert!(taken >= 300, "only {taken} of 1000 soups took the fast path");
}

/// What older Vietnamese sites serve (an XHTML doctype, an XML declaration, Windows line
/// breaks, Word's `<o:p>`, conditional comments) takes the fast path.
#[test]
fn older_sites_take_the_fast_path() {
    for html in [
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \
         \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\r\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\
         <head><!--[if lt IE 9]><script src=\"html5.js\"></script><![endif]--></head>\r\n\
         <body><p class=\"MsoNormal\">Tin <o:p></o:p>mới</p><![if !IE]><p>x</p><![endif]></body></html>",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\"><p>quirks</p>",
    ] {
        assert!(taken(html), "{html:?}");
    }
}
