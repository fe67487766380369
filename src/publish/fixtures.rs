//! Realistic items for the publish tests: Vietnamese titles, a URL with a non-ASCII path (as
//! `url::Url` encodes it), an item without author, image or content, dates at +07:00.

use chrono::{DateTime, FixedOffset};
use url::Url;

use super::FeedMeta;
use crate::model::{Item, StoredItem};

/// A rendered feed as text.
pub(super) fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("feeds are UTF-8")
}

/// A rendered feed parsed back, as a reader would.
pub(super) fn parse(bytes: &[u8]) -> feed_rs::model::Feed {
    feed_rs::parser::parse(bytes).expect("our feeds parse")
}

pub(super) fn date(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("fixture date")
}

pub(super) fn meta() -> FeedMeta {
    FeedMeta {
        slug: "van-hoa-xa-hoi".to_owned(),
        title: "Báo Hà Nam – Văn hóa - Xã hội".to_owned(),
        description: "Tin Văn hóa - Xã hội mới nhất của Báo Hà Nam".to_owned(),
        language: "vi".to_owned(),
        base_url: Url::parse("http://127.0.0.1:8080/").expect("fixture url"),
        link: Url::parse("https://baohanam.com.vn/van-hoa-xa-hoi").expect("fixture url"),
        author: "Báo Hà Nam".to_owned(),
    }
}

fn stored(item: Item, first_seen: &str, updated: &str, categories: &[&str]) -> StoredItem {
    StoredItem {
        item,
        first_seen: date(first_seen),
        updated: date(updated),
        content_hash: "0".repeat(64),
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
    }
}

/// Three items, newest first, as the store hands them.
pub(super) fn items() -> Vec<StoredItem> {
    let festival = Item {
        key: "https://baohanam.com.vn/van-hoa/le-hoi/khai-mac-le-hoi-chua-tam-chuc-2024-123456.html"
            .to_owned(),
        url: "https://baohanam.com.vn/van-hoa/le-hoi/khai-mac-le-hoi-chua-tam-chuc-2024-123456.html"
            .to_owned(),
        title: "Khai mạc Lễ hội giao lưu Văn hóa Phật giáo Việt Nam – Nhật Bản".to_owned(),
        summary: "Sáng 27/11, tại Khu Du lịch Tam Chúc, chùa Tam Chúc phối hợp với Hội Phật tử \
                  Việt Nam tại Nhật tổ chức khai mạc lễ hội."
            .to_owned(),
        content_html: Some(
            "<p>Sáng 27/11, tại Khu Du lịch Tam Chúc (thị trấn Ba Sao, huyện Kim Bảng)…</p>\
             <p><img src=\"https://baohanam-fileserver.nvcms.net/IMAGES/2024/11/27/tam-chuc.jpg\" \
             alt=\"Lễ khai mạc\"></p>"
                .to_owned(),
        ),
        published: Some(date("2024-11-28T08:30:00+07:00")),
        author: Some("Minh Hằng".to_owned()),
        image: Some(
            "https://baohanam-fileserver.nvcms.net/IMAGES/2024/11/27/tam-chuc.jpg?w=800&h=450".to_owned(),
        ),
        category: "Văn hóa - Xã hội".to_owned(),
        category_slug: "van-hoa-xa-hoi".to_owned(),
        source_id: "van-hoa-xa-hoi".to_owned(),
    };
    // A URL with a non-ASCII path, as `url::Url` serializes it (already percent-encoded); no
    // author, no image, no content; the summary holds characters HTML would misread.
    let youth = Item {
        key: "https://baohanam.com.vn/x%C3%A3-h%E1%BB%99i/t%E1%BB%89nh-%C4%91o%C3%A0n-654321.html".to_owned(),
        url: "https://baohanam.com.vn/x%C3%A3-h%E1%BB%99i/t%E1%BB%89nh-%C4%91o%C3%A0n-654321.html".to_owned(),
        title: "Tỉnh đoàn phản biện dự thảo quy chế tuyển dụng công chức cấp xã".to_owned(),
        summary: "Hội nghị góp ý dự thảo \"Quy chế tuyển dụng\" cho < 100 xã & phường.".to_owned(),
        content_html: None,
        published: Some(date("2024-11-27T09:15:00+07:00")),
        author: None,
        image: None,
        category: "Văn hóa - Xã hội".to_owned(),
        category_slug: "van-hoa-xa-hoi".to_owned(),
        source_id: "van-hoa-xa-hoi".to_owned(),
    };
    // No date on the page (published falls back to first_seen), edited the next day (the
    // latest change of the three, though listed last), filed under two
    // categories; its key is not its URL (a stable hash), so its GUID is not a permalink.
    let summit = Item {
        key: "sha256:5b1f0c7e9a2d4e6f8b0a1c3d5e7f9a0b".to_owned(),
        url: "https://baohanam.com.vn/chinh-tri/thu-tuong-du-hoi-nghi-thuong-dinh-111222.html".to_owned(),
        title: "Thủ tướng dự Hội nghị Thượng đỉnh Kinh doanh Việt Nam - Hoa Kỳ".to_owned(),
        summary: "Sáng 27/11, tại Hà Nội, Thủ tướng Chính phủ Phạm Minh Chính dự Hội nghị.".to_owned(),
        content_html: Some("<p>Sáng 27/11, tại Hà Nội…</p>".to_owned()),
        published: None,
        author: Some("Thanh Tùng".to_owned()),
        image: None,
        category: "Chính trị".to_owned(),
        category_slug: "chinh-tri".to_owned(),
        source_id: "chinh-tri".to_owned(),
    };
    vec![
        stored(festival, "2024-11-28T09:00:00+07:00", "2024-11-28T09:00:00+07:00", &["Văn hóa - Xã hội"]),
        stored(youth, "2024-11-27T10:00:00+07:00", "2024-11-27T10:00:00+07:00", &["Văn hóa - Xã hội"]),
        stored(
            summit,
            "2024-11-27T07:45:00+07:00",
            "2024-11-28T10:05:00+07:00",
            &["Chính trị", "Văn hóa - Xã hội"],
        ),
    ]
}
