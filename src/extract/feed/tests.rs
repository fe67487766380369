//! Feed entries → raw items, on inline feeds shaped like the Vietnamese papers' own.

use pretty_assertions::assert_eq;

use super::{FeedError, feed, with_feed_fields};
use crate::extract::tests::page;
use crate::model::RawItem;

fn items(url: &str, body: &str) -> Vec<RawItem> {
    feed(&page(url, body)).unwrap_or_else(|e| panic!("{e}")).items
}

#[test]
fn tuoi_tre_rss_keeps_its_us_date_as_written() {
    let body = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Tuổi Trẻ Online - Thời sự</title><link>https://tuoitre.vn</link>
<item>
  <title><![CDATA[Giá xăng giảm từ 15h chiều nay]]></title>
  <link><![CDATA[https://tuoitre.vn/gia-xang-giam-20261002092500123.htm]]></link>
  <guid isPermaLink="false">20261002092500123</guid>
  <description><![CDATA[<a href="https://tuoitre.vn/gia-xang-giam-20261002092500123.htm"><img src="https://cdn.tuoitre.vn/thumb_w/480/2026/10/2/xang.jpg" /></a>Giá xăng RON95 giảm 300 đồng/lít.]]></description>
  <pubDate>10/2/2026 9:25:00 AM</pubDate>
</item></channel></rss>"#;
    let parsed = feed(&page("https://tuoitre.vn/rss/thoi-su.rss", body)).unwrap();
    assert_eq!(parsed.title.as_deref(), Some("Tuổi Trẻ Online - Thời sự"));
    assert!(parsed.repairs.is_empty(), "{}", parsed.repairs);
    assert_eq!(
        parsed.items,
        [RawItem {
            url: "https://tuoitre.vn/gia-xang-giam-20261002092500123.htm".into(),
            title: Some("Giá xăng giảm từ 15h chiều nay".into()),
            summary: Some("Giá xăng RON95 giảm 300 đồng/lít.".into()),
            date: Some("10/2/2026 9:25:00 AM".into()),
            image: Some("https://cdn.tuoitre.vn/thumb_w/480/2026/10/2/xang.jpg".into()),
            guid: Some("20261002092500123".into()),
            ..RawItem::default()
        }]
    );
}

#[test]
fn thanh_nien_entities_in_cdata_stay_for_normalization_and_two_digit_years_too() {
    let body = "<rss version=\"2.0\"><channel><title>Thanh Niên</title><item>\
        <title><![CDATA[ Tr&agrave; Vinh: &amp;quot;Đ&ecirc;m hội&amp;quot; ]]></title>\
        <link>https://thanhnien.vn/tra-vinh-185261125.htm</link>\
        <description><![CDATA[<a href=\"https://thanhnien.vn/tra-vinh-185261125.htm\"><img src=\"https://images.thanhnien.vn/a.jpg\"></a>Lễ hội Ok Om Bok &amp;quot;đ&atilde; c&oacute;&amp;quot; 10.000 người.]]></description>\
        <pubDate>Wed, 25 Nov 26 14:15:00 +0700</pubDate>\
        <category><![CDATA[Thời sự]]></category><category>Văn h&oacute;a</category></item></channel></rss>";
    let item = &items("https://thanhnien.vn/rss/home.rss", body)[0];
    assert_eq!(item.title.as_deref(), Some("Tr&agrave; Vinh: &amp;quot;Đ&ecirc;m hội&amp;quot;"));
    // the HTML is read once; normalization decodes what is left
    assert_eq!(item.summary.as_deref(), Some("Lễ hội Ok Om Bok &quot;đã có&quot; 10.000 người."));
    assert_eq!(item.date.as_deref(), Some("Wed, 25 Nov 26 14:15:00 +0700"));
    assert_eq!(item.categories, ["Thời sự", "Văn hóa"]);
    assert_eq!(item.guid, None);
}

#[test]
fn vnexpress_raw_ampersand_in_the_enclosure_is_repaired_and_the_enclosure_is_the_image() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>VnExpress</title><item>
<title>Hà Nội mưa rét đậm</title>
<description><![CDATA[<a href="https://vnexpress.net/ha-noi-mua-ret-4846612.html"><img src="https://i1-vnexpress.vnecdn.net/2026/11/25/ret-180x108.jpg"></a></br>Nhiệt độ xuống 12 độ C.]]></description>
<pubDate>Wed, 25 Nov 2026 06:30:00 +0700</pubDate>
<link>https://vnexpress.net/ha-noi-mua-ret-4846612.html</link>
<guid>https://vnexpress.net/ha-noi-mua-ret-4846612.html</guid>
<enclosure type="image/jpeg" length="1200" url="https://i1-vnexpress.vnecdn.net/2026/11/25/ret.jpg?w=1200&h=0&q=100&dpr=1&fit=crop&s=Ab1"/>
</item></channel></rss>"#;
    let parsed = feed(&page("https://vnexpress.net/rss/thoi-su.rss", body)).unwrap();
    assert_eq!(parsed.repairs.ampersands, 5);
    let item = &parsed.items[0];
    assert_eq!(
        item.image.as_deref(),
        Some("https://i1-vnexpress.vnecdn.net/2026/11/25/ret.jpg?w=1200&h=0&q=100&dpr=1&fit=crop&s=Ab1")
    );
    assert_eq!(item.summary.as_deref(), Some("Nhiệt độ xuống 12 độ C."));
    assert_eq!(item.guid.as_deref(), Some("https://vnexpress.net/ha-noi-mua-ret-4846612.html"));
}

#[test]
fn dan_tri_broken_html_and_raw_markup_outside_cdata() {
    // the description's HTML is not even in CDATA: wrapped before parsing, read as a browser would
    let body = "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>Dân trí</title><item>\
        <title>Trao 500 suất quà cho học sinh nghèo</title><link>/giao-duc/trao-qua-20261125.htm</link>\
        <description><a href='https://dantri.com.vn/giao-duc/trao-qua-20261125.htm'/><img src='https://cdnphoto.dantri.com.vn/qua.jpg'/></a></br>(Dân trí) - Sáng 25/11, 500 suất quà đã được trao.</description>\
        <dc:creator>Hoàng Lê</dc:creator><pubDate>Wed, 25 Nov 2026 08:00:00 +0700</pubDate></item></channel></rss>";
    let parsed = feed(&page("https://dantri.com.vn/rss/giao-duc.rss", body)).unwrap();
    assert_eq!(parsed.repairs.cdata_wrapped, 1);
    let item = &parsed.items[0];
    assert_eq!(item.url, "https://dantri.com.vn/giao-duc/trao-qua-20261125.htm", "absolute against the feed");
    assert_eq!(item.summary.as_deref(), Some("(Dân trí) - Sáng 25/11, 500 suất quà đã được trao."));
    assert_eq!(item.image.as_deref(), Some("https://cdnphoto.dantri.com.vn/qua.jpg"));
    assert_eq!(item.author.as_deref(), Some("Hoàng Lê"));
}

#[test]
fn atom_03_and_10_and_json_feed() {
    let atom03 = r#"<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Báo cũ</title>
<entry><title type="text/plain" mode="escaped">Khánh thành cầu Phủ Lý</title>
<link rel="alternate" type="text/html" href="https://baohanam.com.vn/cau-phu-ly-123.html"/>
<id>tag:baohanam.com.vn,2006:123</id><issued>2006-05-01T08:00:00+07:00</issued>
<summary type="text/html" mode="escaped">&lt;p&gt;Cầu mới &amp;amp; đẹp&lt;/p&gt;</summary></entry></feed>"#;
    let item = &items("https://baohanam.com.vn/atom.xml", atom03)[0];
    assert_eq!(item.title.as_deref(), Some("Khánh thành cầu Phủ Lý"));
    assert_eq!(item.url, "https://baohanam.com.vn/cau-phu-ly-123.html");
    assert_eq!(item.date.as_deref(), Some("2006-05-01T08:00:00+07:00"));
    assert_eq!(item.guid.as_deref(), Some("tag:baohanam.com.vn,2006:123"));
    assert_eq!(item.summary.as_deref(), Some("Cầu mới & đẹp"));

    let atom10 = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Nhân Dân</title><id>urn:x</id>
<entry><title type="html">Đại hội &lt;b&gt;Đảng&lt;/b&gt;</title><id>https://nhandan.vn/dai-hoi-post1.html</id>
<link rel="enclosure" type="image/jpeg" href="https://nhandan.vn/anh.jpg"/>
<link href="https://nhandan.vn/dai-hoi-post1.html"/>
<updated>2026-11-25T10:00:00+07:00</updated><author><name>Phóng viên</name></author>
<content type="html">&lt;p&gt;Toàn văn.&lt;/p&gt;</content><category term="chinh-tri" label="Chính trị"/></entry></feed>"#;
    let item = &items("https://nhandan.vn/atom", atom10)[0];
    assert_eq!(item.title.as_deref(), Some("Đại hội Đảng"));
    assert_eq!(item.url, "https://nhandan.vn/dai-hoi-post1.html", "the enclosure link is not the page");
    assert_eq!(item.date.as_deref(), Some("2026-11-25T10:00:00+07:00"), "updated when nothing is published");
    assert_eq!(item.content_html.as_deref(), Some("<p>Toàn văn.</p>"));
    assert_eq!(item.author.as_deref(), Some("Phóng viên"));
    assert_eq!(item.categories, ["Chính trị"]);

    let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "VietnamPlus",
      "items": [{"id": "vnp-1001", "url": "https://www.vietnamplus.vn/bai-1001.vnp",
        "title": "Xuất khẩu gạo tăng", "content_text": "Dòng một.\nDòng hai.",
        "summary": "Xuất khẩu gạo tăng 12%.", "date_published": "2026-11-25T07:00:00+07:00",
        "tags": ["Kinh tế"], "authors": [{"name": "TTXVN"}], "image": "/anh/gao.jpg"}]}"#;
    let item = &items("https://www.vietnamplus.vn/feed.json", json)[0];
    assert_eq!(item.title.as_deref(), Some("Xuất khẩu gạo tăng"));
    assert_eq!(item.paragraphs, ["Dòng một.", "Dòng hai."]);
    assert_eq!(item.summary.as_deref(), Some("Xuất khẩu gạo tăng 12%."));
    assert_eq!(item.date.as_deref(), Some("2026-11-25T07:00:00+07:00"));
    assert_eq!(item.guid.as_deref(), Some("vnp-1001"));
    assert_eq!(item.author.as_deref(), Some("TTXVN"));
    assert_eq!(item.image.as_deref(), Some("https://www.vietnamplus.vn/anh/gao.jpg"));
}

#[test]
fn rss_1_and_0_91() {
    let rdf = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://baoxyz.vn/"><title>Báo XYZ</title></channel>
<item rdf:about="https://baoxyz.vn/a-1.html"><title>Tin một</title><link>https://baoxyz.vn/a-1.html</link><dc:date>2026-11-24T08:00:00+07:00</dc:date></item></rdf:RDF>"#;
    let item = &items("https://baoxyz.vn/rss.rdf", rdf)[0];
    assert_eq!(
        (item.title.as_deref(), item.date.as_deref()),
        (Some("Tin một"), Some("2026-11-24T08:00:00+07:00"))
    );
    let rss091 = "<rss version=\"0.91\"><channel><title>X</title><item><title>Tin hai</title><link>https://baoxyz.vn/a-2.html</link></item></channel></rss>";
    assert_eq!(items("https://baoxyz.vn/rss", rss091)[0].url, "https://baoxyz.vn/a-2.html");
    // a version feed-rs does not know is read as 2.0
    let unversioned = "<rss><channel><title>X</title><item><title>Tin ba</title><link>https://baoxyz.vn/a-3.html</link></item></channel></rss>";
    assert_eq!(items("https://baoxyz.vn/rss", unversioned)[0].title.as_deref(), Some("Tin ba"));
}

#[test]
fn guids_shared_by_several_entries_or_naming_the_feed_are_no_identity() {
    let body = "<rss version=\"2.0\"><channel><title>X</title>\
        <item><title>A</title><link>https://baoxyz.vn/a.html</link><guid isPermaLink=\"false\">0</guid></item>\
        <item><title>B</title><link>https://baoxyz.vn/b.html</link><guid isPermaLink=\"false\">0</guid></item>\
        <item><title>C</title><link>https://baoxyz.vn/c.html</link><guid>https://baoxyz.vn/rss</guid></item>\
        <item><title>D</title><guid>https://baoxyz.vn/d.html</guid></item>\
        <item><title>E</title><link>https://baoxyz.vn/e.html</link><guid isPermaLink=\"false\">e-5</guid></item>\
        <item><title>F</title><link>https://baoxyz.vn/f.html?utm_source=rss</link><guid>/f.html</guid></item>\
        </channel></rss>";
    let got: Vec<(String, Option<String>)> =
        items("https://baoxyz.vn/rss", body).into_iter().map(|i| (i.url, i.guid)).collect();
    assert_eq!(
        got,
        [
            ("https://baoxyz.vn/a.html".to_string(), None),
            ("https://baoxyz.vn/b.html".to_string(), None),
            ("https://baoxyz.vn/c.html".to_string(), None),
            // a permalink GUID is the link when there is none
            ("https://baoxyz.vn/d.html".to_string(), Some("https://baoxyz.vn/d.html".to_string())),
            ("https://baoxyz.vn/e.html".to_string(), Some("e-5".to_string())),
            // a path-only permalink GUID is a URL of the feed's site
            (
                "https://baoxyz.vn/f.html?utm_source=rss".to_string(),
                Some("https://baoxyz.vn/f.html".to_string())
            ),
        ]
    );
}

#[test]
fn a_description_holding_a_whole_article_is_the_content() {
    let body = "<rss version=\"2.0\"><channel><title>X</title><item><title>A</title><link>https://baoxyz.vn/a.html</link>\
        <description><![CDATA[<p>Đoạn một.</p><p>Đoạn hai.</p>]]></description></item>\
        <item><title>B</title><link>https://baoxyz.vn/b.html</link>\
        <description><![CDATA[<p>Chỉ sapo.</p>]]></description></item></channel></rss>";
    let got = items("https://baoxyz.vn/rss", body);
    assert_eq!(got[0].content_html.as_deref(), Some("<p>Đoạn một.</p><p>Đoạn hai.</p>"));
    assert_eq!(got[0].summary.as_deref(), Some("Đoạn một. Đoạn hai."));
    assert_eq!(got[1].content_html, None);
}

#[test]
fn pages_that_are_no_feed_say_what_they_are() {
    let html = "<!DOCTYPE html><html><head><title>RSS</title><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss/home.rss\"></head><body><p>Trang RSS</p></body></html>";
    assert_eq!(
        feed(&page("https://dantri.com.vn/rss.htm", html)),
        Err(FeedError::Html { alternate: Some("https://dantri.com.vn/rss/home.rss".into()) })
    );
    let err = feed(&page("https://dantri.com.vn/rss.htm", html)).unwrap_err().to_string();
    assert_eq!(
        err,
        "the page is HTML, not an RSS, Atom or JSON feed (it links to the feed `https://dantri.com.vn/rss/home.rss`)"
    );
    for garbage in ["", "Không có gì", "<rss version=\"2.0\"><channel><item><title>A</title>", "{\"a\": 1}"]
    {
        assert!(
            matches!(
                feed(&page("https://dantri.com.vn/rss/home.rss", garbage)),
                Err(FeedError::Unparseable(_))
            ),
            "{garbage:?}"
        );
    }
}

#[test]
fn the_page_wins_and_the_feed_fills_the_gaps() {
    let page_item = RawItem {
        url: "https://tuoitre.vn/a.htm".into(),
        canonical: Some("https://tuoitre.vn/a.htm".into()),
        title: Some("Tiêu đề trang".into()),
        content_html: Some("<p>Toàn văn.</p>".into()),
        categories: vec!["Thời sự".into()],
        ..RawItem::default()
    };
    let entry = RawItem {
        url: "https://tuoitre.vn/a.htm?utm_source=rss".into(),
        title: Some("Tiêu đề feed".into()),
        summary: Some("Sapo từ feed.".into()),
        paragraphs: vec!["Không dùng".into()],
        date: Some("10/2/2026 9:25:00 AM".into()),
        image: Some("https://cdn.tuoitre.vn/a.jpg".into()),
        categories: vec!["Tin mới".into(), "Thời sự".into()],
        guid: Some("123".into()),
        ..RawItem::default()
    };
    let merged = with_feed_fields(page_item, entry);
    assert_eq!(
        merged,
        RawItem {
            url: "https://tuoitre.vn/a.htm".into(),
            canonical: Some("https://tuoitre.vn/a.htm".into()),
            title: Some("Tiêu đề trang".into()),
            summary: Some("Sapo từ feed.".into()),
            content_html: Some("<p>Toàn văn.</p>".into()),
            paragraphs: vec![],
            date: Some("10/2/2026 9:25:00 AM".into()),
            author: None,
            image: Some("https://cdn.tuoitre.vn/a.jpg".into()),
            categories: vec!["Tin mới".into(), "Thời sự".into()],
            guid: Some("123".into()),
        }
    );
}

proptest::proptest! {
    #[test]
    fn any_bytes_give_a_feed_or_an_error_never_a_panic(
        pieces in proptest::collection::vec(proptest::prop_oneof![
            proptest::strategy::Just("<rss version=\"2.0\"><channel><title>T</title><item><title>".to_string()),
            proptest::strategy::Just("</title><link>https://x.vn/a.html</link><pubDate>10/2/2026 9:25:00 AM</pubDate>".to_string()),
            proptest::strategy::Just("<description><![CDATA[<img src='/a.jpg'>Tr&agrave;]]></description></item>".to_string()),
            proptest::strategy::Just("</channel></rss>".to_string()),
            proptest::strategy::Just("{\"version\": \"https://jsonfeed.org/version/1\", \"items\": [".to_string()),
            "[<>&;#/a-zà-ỹ \"']{0,16}",
            proptest::arbitrary::any::<String>(),
        ], 0..10)
    ) {
        let _ = feed(&page("https://x.vn/rss", &pieces.concat()));
    }
}
