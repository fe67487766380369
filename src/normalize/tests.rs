//! `item()` end to end on realistic raw items.

use std::path::Path;

use chrono::DateTime;
use pretty_assertions::assert_eq;

use super::{Context, Dropped, item};
use crate::config::{Config, Source};
use crate::model::RawItem;

const CONFIG: &str = r#"
[site]
title = "Báo Hà Nam"
timezone = "Asia/Ho_Chi_Minh"

[[sources]]
id = "chinh-tri"
kind = "html"
url = "https://baohanam.com.vn/chinh-tri"
category = "Chính trị"
summary_length = 160
"#;

fn source() -> Source {
    let config = Config::parse(Path::new("/etc/tinfeed/tinfeed.toml"), CONFIG).expect("test config");
    config.sources.into_iter().next().expect("one source")
}

fn normalize(raw: RawItem) -> Result<crate::model::Item, Dropped> {
    let source = source();
    let ctx = Context {
        source: &source,
        site_title: "Báo Hà Nam",
        fetched_at: DateTime::parse_from_rfc3339("2024-11-28T10:00:00+07:00").unwrap(),
    };
    item(raw, &ctx)
}

#[test]
fn html_article() {
    let raw = RawItem {
        url: "https://baohanam.com.vn/chinh-tri/tin-tuc/hoi-nghi-thong-tin-doi-ngoai-123456.html?utm_source=zalo#top".into(),
        canonical: Some("https://baohanam.com.vn/chinh-tri/hoi-nghi-thong-tin-doi-ngoai-123456.html".into()),
        title: Some("  Hội nghị tập huấn công tác thông tin đối ngoại &amp; nhân quyền - Báo Hà Nam ".into()),
        summary: Some("(Baohanam.com.vn) - Sáng 27/11, Ban Tuyên giáo Trung ương phối hợp với Tỉnh ủy Hòa Bình tổ chức hội nghị. Hội nghị có sự tham gia của lãnh đạo 14 tỉnh, thành phố khu vực Trung du, miền núi Bắc Bộ./.".into()),
        content_html: Some(r#"<p>Quô&#769;c hội <b>khai mạc</b>.</p><script>track()</script><p><img src="/uploads/2024/anh.jpg" onerror="x()"></p>"#.into()),
        paragraphs: vec![],
        date: Some("07:22 25/02/2020".into()),
        author: Some("  Hồng\u{a0}Duy ".into()),
        image: Some("/uploads/2024/anh.jpg?w=1200".into()),
        categories: vec!["Chính trị".into()],
        guid: None,
    };
    let item = normalize(raw).unwrap();
    assert_eq!(item.key, "https://baohanam.com.vn/chinh-tri/hoi-nghi-thong-tin-doi-ngoai-123456.html");
    assert_eq!(item.url, item.key);
    assert_eq!(item.title, "Hội nghị tập huấn công tác thông tin đối ngoại & nhân quyền");
    assert_eq!(
        item.summary,
        // the sentence end (88) is before the last third of the window: cut at a word
        "Sáng 27/11, Ban Tuyên giáo Trung ương phối hợp với Tỉnh ủy Hòa Bình tổ chức hội nghị. Hội nghị có sự tham gia của lãnh đạo 14 tỉnh, thành phố khu vực Trung du…"
    );
    assert_eq!(
        item.content_html.as_deref(),
        Some(
            "<p><strong>Sáng 27/11, Ban Tuyên giáo Trung ương phối hợp với Tỉnh ủy Hòa Bình tổ chức hội nghị. Hội nghị có sự tham gia của lãnh đạo 14 tỉnh, thành phố khu vực Trung du, miền núi Bắc Bộ.</strong></p>\
             <p>Quốc hội <b>khai mạc</b>.</p><p><img src=\"https://baohanam.com.vn/uploads/2024/anh.jpg\"></p>"
        )
    );
    assert_eq!(item.published.map(|d| d.to_rfc3339()).as_deref(), Some("2020-02-25T07:22:00+07:00"));
    assert_eq!(item.author.as_deref(), Some("Hồng Duy"));
    assert_eq!(item.image.as_deref(), Some("https://baohanam.com.vn/uploads/2024/anh.jpg?w=1200"));
    assert_eq!((item.category.as_str(), item.category_slug.as_str()), ("Chính trị", "chinh-tri"));
    assert_eq!(item.source_id, "chinh-tri");
}

/// The shape of the seed article (a `files` source): no title, no lead, paragraphs only.
#[test]
fn plain_text_article() {
    let paragraphs = vec![
        "Ban Tuyên giáo Trung ương và Ban Chỉ đạo Nhân quyền của Chính phủ phối hợp với Tỉnh ủy Hòa Bình vừa tổ chức Hội nghị tập huấn công tác thông tin đối ngoại và nhân quyền năm 2024 cho lãnh đạo, cán bộ tại 14 tỉnh, thành phố thuộc khu vực Trung du, miền núi Bắc Bộ.".to_string(),
        "Cho đến nay, Ban Chỉ đạo đã phát hành 1.000 cuốn sổ tay <thông tin> đối ngoại./.".to_string(),
    ];
    let raw = RawItem {
        url: "file:///srv/tinfeed/samples/000_269d0f4177d92658.txt".into(),
        paragraphs,
        ..RawItem::default()
    };
    let item = normalize(raw).unwrap();
    assert_eq!(item.key, "file:///srv/tinfeed/samples/000_269d0f4177d92658.txt");
    assert_eq!(
        item.title,
        "Ban Tuyên giáo Trung ương và Ban Chỉ đạo Nhân quyền của Chính phủ phối hợp với Tỉnh ủy Hòa Bình vừa tổ chức Hội nghị tập…"
    );
    assert_eq!(
        item.summary,
        "Ban Tuyên giáo Trung ương và Ban Chỉ đạo Nhân quyền của Chính phủ phối hợp với Tỉnh ủy Hòa Bình vừa tổ chức Hội nghị tập huấn công tác thông tin đối ngoại và…"
    );
    assert!(item.summary.chars().count() <= 160);
    assert_eq!(item.content_html.as_deref().map(|h| h.lines().count()), Some(2), "one <p> per paragraph");
    assert!(item.content_html.as_deref().unwrap().ends_with(
        "<p>Cho đến nay, Ban Chỉ đạo đã phát hành 1.000 cuốn sổ tay &lt;thông tin&gt; đối ngoại./.</p>"
    ));
    assert_eq!(item.published, None);
}

#[test]
fn title_and_summary_fall_back_to_the_body() {
    let raw = RawItem {
        url: "https://baohanam.com.vn/xa-hoi/le-hoi-654321.html".into(),
        title: Some(" - Báo Hà Nam".into()),
        content_html: Some("<figure><img src=\"a.jpg\"><figcaption>Ảnh: Hồng Duy</figcaption></figure><p>TPO - Sáng 27/11, khai mạc lễ hội Tam Chúc. Du khách đông vui.</p>".into()),
        date: Some("2 giờ trước".into()),
        ..RawItem::default()
    };
    let item = normalize(raw).unwrap();
    // " - Báo Hà Nam" is not stripped to nothing; it is kept as written
    assert_eq!(item.title, "- Báo Hà Nam");
    assert_eq!(item.summary, "Sáng 27/11, khai mạc lễ hội Tam Chúc. Du khách đông vui.");
    assert_eq!(item.published.map(|d| d.to_rfc3339()).as_deref(), Some("2024-11-28T08:00:00+07:00"));
    assert!(item.content_html.unwrap().contains("https://baohanam.com.vn/xa-hoi/a.jpg"));

    let raw = RawItem {
        url: "https://baohanam.com.vn/xa-hoi/le-hoi-654321.html".into(),
        title: Some("   ".into()),
        summary: Some("(Dân trí) - Vì sao giá vàng tăng? Chuyên gia giải thích.".into()),
        ..RawItem::default()
    };
    let item = normalize(raw).unwrap();
    assert_eq!(item.title, "Vì sao giá vàng tăng?");
    assert_eq!(item.content_html, None);
}

#[test]
fn dropped_items() {
    let no_text = RawItem { url: "https://baohanam.com.vn/a-1.html".into(), ..RawItem::default() };
    assert_eq!(normalize(no_text), Err(Dropped::NoTitle));
    let captions_only = RawItem {
        url: "https://baohanam.com.vn/a-1.html".into(),
        paragraphs: vec!["Ảnh: Hồng Duy".into(), " ".into()],
        ..RawItem::default()
    };
    assert_eq!(normalize(captions_only), Err(Dropped::NoTitle));
    for url in ["", "javascript:void(0)", "/relative/only.html", "mailto:a@b.vn"] {
        let raw = RawItem { url: url.into(), title: Some("Tin".into()), ..RawItem::default() };
        assert_eq!(normalize(raw), Err(Dropped::BadUrl(url.into())), "url {url:?}");
    }
}

#[test]
fn unusable_fields_become_none() {
    let raw = RawItem {
        url: "https://baohanam.com.vn/a-1.html".into(),
        title: Some("Tin".into()),
        date: Some("30/12/2024".into()), // a month after the fetch
        author: Some(" \u{200B} ".into()),
        image: Some("data:image/gif;base64,R0lGOD".into()),
        content_html: Some("<script>x()</script>".into()),
        ..RawItem::default()
    };
    let item = normalize(raw).unwrap();
    assert_eq!((item.published, item.author, item.image, item.content_html), (None, None, None, None));
    assert_eq!(item.summary, "");
}

/// A body as a provincial paper serves it: the sapo repeated first (with its tag), a lazy
/// picture with its caption, a related box, the byline right-aligned, the footer inside the
/// container; no `og:image`.
#[test]
fn html_body_without_boilerplate() {
    let raw = RawItem {
        url: "https://baohanam.com.vn/chinh-tri/khai-mac-ky-hop-122943.html".into(),
        title: Some("Khai mạc Kỳ họp thứ ba HĐND tỉnh khóa XX - Báo Hà Nam điện tử".into()),
        summary: Some("(BHN) - Sáng 25/11, HĐND tỉnh khóa XX khai mạc Kỳ họp thứ ba.".into()),
        content_html: Some(
            r#"<div class="detail-content">
            <p>(BHN) - Sáng 25/11, HĐND tỉnh khóa XX khai mạc Kỳ họp thứ ba.</p>
            <figure><img src="/images/blank.gif" data-src="/images/2026/11/25/ky-hop.png" data-srcset="/images/ky-hop-480.png 480w, javascript:alert(1) 2x">
            <figcaption>Quang cảnh kỳ họp. Ảnh: Hoàng Anh</figcaption></figure>
            <p>Dự khai mạc có các đồng chí trong Ban Thường vụ Tỉnh ủy.</p>
            <div class="box"><h3>Tin liên quan</h3><ul><li><a href="/a-1.html">Bài khác</a></li></ul></div>
            <p>Kỳ họp diễn ra trong 2,5 ngày./.</p>
            <p style="text-align: right;"><strong>Hoàng Anh</strong></p>
            <p><strong>BÁO HÀ NAM ĐIỆN TỬ</strong></p><p>Tổng Biên tập: Lê Hồng Kỳ</p>
            <p>Email: <a href="mailto:a@baohanam.vn">a@baohanam.vn</a></p></div>"#
                .into(),
        ),
        date: Some("Thứ Tư, 27/11/2024, 11:40 (GMT+7)".into()),
        author: Some("Hoàng Anh".into()),
        ..RawItem::default()
    };
    let item = normalize(raw).unwrap();
    assert_eq!(item.title, "Khai mạc Kỳ họp thứ ba HĐND tỉnh khóa XX");
    assert_eq!(item.summary, "Sáng 25/11, HĐND tỉnh khóa XX khai mạc Kỳ họp thứ ba.");
    let content = item.content_html.unwrap();
    assert!(!content.contains("<strong>Sáng"), "the lead is in the body already: {content}");
    assert!(content.contains("<p>(BHN) - Sáng 25/11"), "{content}");
    assert!(content.contains("<figcaption>Quang cảnh kỳ họp. Ảnh: Hoàng Anh</figcaption>"), "{content}");
    assert!(content.contains(r#"srcset="https://baohanam.com.vn/images/ky-hop-480.png 480w""#), "{content}");
    for gone in
        ["Tin liên quan", "Bài khác", "BÁO HÀ NAM", "Tổng Biên tập", "Email", "javascript", "blank.gif"]
    {
        assert!(!content.contains(gone), "{gone} left in {content}");
    }
    assert!(content.ends_with("<p>Kỳ họp diễn ra trong 2,5 ngày./.</p></div>"), "the byline goes: {content}");
    assert_eq!(item.image.as_deref(), Some("https://baohanam.com.vn/images/2026/11/25/ky-hop.png"));
    assert_eq!(item.published.map(|d| d.to_rfc3339()).as_deref(), Some("2024-11-27T11:40:00+07:00"));
}

/// A lead short enough to pass for a byline ("Hà Nam") over a body with no text: it goes in
/// front of the body once, and an item normalized again (a feed read back) keeps it once.
#[test]
fn a_short_lead_is_put_in_front_once() {
    let figure = r#"<figure><img src="/a.jpg"><figcaption>Ảnh: Hồng Duy</figcaption></figure>"#;
    let raw = |summary: &str, body: &str| RawItem {
        url: "https://baohanam.com.vn/thoi-su/bai-123456.html".into(),
        title: Some("Sáng 27/11, tỉnh Hà Nam tổ chức hội nghị".into()),
        summary: Some(summary.into()),
        content_html: Some(body.into()),
        author: Some("Hồng Duy".into()),
        ..RawItem::default()
    };
    let first = normalize(raw("Hà Nam", figure)).unwrap();
    let body = first.content_html.unwrap();
    assert!(body.starts_with("<p><strong>Hà Nam</strong></p><figure>"), "{body}");
    let again = normalize(raw(&first.summary, &body)).unwrap();
    assert_eq!(again.content_html.as_deref(), Some(body.as_str()));
}

/// A plain-text article whose end mark is missing: the footer and the teasers before it still go.
#[test]
fn plain_text_without_an_end_mark() {
    let raw = RawItem {
        url: "file:///srv/tinfeed/samples/bai.txt".into(),
        paragraphs: [
            "Chiều 25/11, tại TP. Phủ Lý, Ban Dân vận Tỉnh ủy tổ chức Hội nghị tổng kết công tác dân vận năm 2026.",
            "Ảnh: Hồng Duy",
            "Dịp này, Ban Thường vụ Tỉnh ủy tặng Bằng khen cho 25 tập thể.",
            "Thu Hương",
            "Sáng 27/11, Sở Văn hóa khai mạc Liên hoan các câu lạc bộ hát chèo năm 2026.",
            "Sáng 27/11, Công an tỉnh ra quân tổng kiểm soát phương tiện giao thông.",
            "BÁO HÀ NAM ĐIỆN TỬ",
            "Giấy phép xuất bản số 68/GP-BTTTT do Bộ Thông tin và Truyền thông cấp ngày 16/2/2017",
            "Email: toasoan@baohanam.example",
        ]
        .map(String::from)
        .to_vec(),
        ..RawItem::default()
    };
    let item = normalize(raw).unwrap();
    assert_eq!(
        item.title,
        "Chiều 25/11, tại TP. Phủ Lý, Ban Dân vận Tỉnh ủy tổ chức Hội nghị tổng kết công tác dân vận năm 2026"
    );
    assert_eq!(
        item.content_html.as_deref(),
        Some(
            "<p>Chiều 25/11, tại TP. Phủ Lý, Ban Dân vận Tỉnh ủy tổ chức Hội nghị tổng kết công tác dân vận năm 2026.</p>\n\
             <p>Dịp này, Ban Thường vụ Tỉnh ủy tặng Bằng khen cho 25 tập thể.</p>"
        )
    );
    assert!(!item.summary.contains("Sáng 27/11") && !item.summary.contains("Hồng Duy"), "{}", item.summary);
}

#[test]
fn a_future_date_is_dropped_not_clamped() {
    let raw = RawItem {
        url: "https://baohanam.com.vn/a-1.html".into(),
        title: Some("Tin".into()),
        date: Some("2024-11-30T08:00:00+07:00".into()),
        ..RawItem::default()
    };
    assert_eq!(normalize(raw).unwrap().published, None);
}
