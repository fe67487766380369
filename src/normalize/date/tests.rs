use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::{DateError, DateOrder, parse_date, read_date};

const VN: Tz = chrono_tz::Asia::Ho_Chi_Minh;

fn at(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).expect("test date")
}

/// Parses each input fetched at `fetched` and compares the RFC 3339 form.
fn check(fetched: &str, cases: &[(&str, Option<&str>)]) {
    let fetched_at = at(fetched);
    for (input, expected) in cases {
        let got = parse_date(input, VN, fetched_at).map(|d| d.to_rfc3339());
        assert_eq!(got.as_deref(), *expected, "parse_date({input:?}) fetched at {fetched}");
    }
}

#[test]
fn metadata_formats() {
    check(
        "2024-11-28T10:00:00+07:00",
        &[
            ("2024-11-28T08:30:00+07:00", Some("2024-11-28T08:30:00+07:00")),
            // an offset keeps its instant and is shown in our zone
            ("2024-11-28T01:30:00Z", Some("2024-11-28T08:30:00+07:00")),
            ("2024-11-28T01:30:00.000Z", Some("2024-11-28T08:30:00+07:00")),
            ("2024-11-27T20:30:00-05:00", Some("2024-11-28T08:30:00+07:00")),
            ("2024-11-28T08:30:00+0700", Some("2024-11-28T08:30:00+07:00")),
            ("2024-11-28T09:30+08:00", Some("2024-11-28T08:30:00+07:00")),
            // zone-less ISO is local time, not UTC (Dân trí `datetime`)
            ("2024-07-23 21:05", Some("2024-07-23T21:05:00+07:00")),
            ("2024-07-23T21:05:00", Some("2024-07-23T21:05:00+07:00")),
            ("2024-07-23", Some("2024-07-23T00:00:00+07:00")),
            // RSS (RFC 822), four- and two-digit years
            ("Thu, 28 Nov 2024 08:30:00 +0700", Some("2024-11-28T08:30:00+07:00")),
            ("Thu, 28 Nov 2024 01:30:00 GMT", Some("2024-11-28T08:30:00+07:00")),
            ("2024-02-30T08:00:00+07:00", None),
            ("2024-11-28T25:00:00+07:00", None),
        ],
    );
}

#[test]
fn visible_vietnamese_formats() {
    check(
        "2024-11-28T10:00:00+07:00",
        &[
            ("Thứ Năm, 28/11/2024 08:30", Some("2024-11-28T08:30:00+07:00")),
            ("Thứ năm, 28/11/2024, 08:30 (GMT+7)", Some("2024-11-28T08:30:00+07:00")),
            ("THỨ NĂM, 28/11/2024 - 08:30", Some("2024-11-28T08:30:00+07:00")),
            ("08:30, 28/11/2024", Some("2024-11-28T08:30:00+07:00")),
            ("07:22 25/02/2020", Some("2020-02-25T07:22:00+07:00")),
            ("28/11/2024 - 08:30", Some("2024-11-28T08:30:00+07:00")),
            ("08:30 ngày 28-11-2024", Some("2024-11-28T08:30:00+07:00")),
            ("2024-11-28 08:30", Some("2024-11-28T08:30:00+07:00")),
            ("28/11/2024 | 08:30", Some("2024-11-28T08:30:00+07:00")),
            ("28/11/2024 08:30 AM", Some("2024-11-28T08:30:00+07:00")),
            ("27/11/2024 08:30 PM", Some("2024-11-27T20:30:00+07:00")),
            ("27/11/2024 12:15 SA", Some("2024-11-27T00:15:00+07:00")),
            ("27/11/2024 02:15 CH", Some("2024-11-27T14:15:00+07:00")),
            ("28-11-2024 - 08:30", Some("2024-11-28T08:30:00+07:00")),
            ("28.11.2024 08:30", Some("2024-11-28T08:30:00+07:00")),
            ("Cập nhật: 08h30 ngày 28/11/2024", Some("2024-11-28T08:30:00+07:00")),
            ("Ngày 28 tháng 11 năm 2024", Some("2024-11-28T00:00:00+07:00")),
            ("Thứ Ba, 22/04/2025, 17:46", None), // after the fetch: rejected
            ("28/11/2024 08:30:15", Some("2024-11-28T08:30:15+07:00")),
            ("17/9/2024", Some("2024-09-17T00:00:00+07:00")),
            ("17/9/24 7:31", Some("2024-09-17T07:31:00+07:00")),
            // an explicit offset in the text wins over the zone
            ("28/11/2024 01:30 GMT+0", Some("2024-11-28T08:30:00+07:00")),
            ("31/02/2024", None),
            ("13/13/2024", None),
        ],
    );
    check(
        "2026-11-26T12:00:00+07:00",
        &[
            ("05/10/2026 15:42 GMT+7", Some("2026-10-05T15:42:00+07:00")),
            ("Thứ Ba, 22/04/2025, 17:46", Some("2025-04-22T17:46:00+07:00")),
            ("Thứ năm, 17/9/2026, 07:31 (GMT+7)", Some("2026-09-17T07:31:00+07:00")),
            ("18:20 ngày 03/10/2026", Some("2026-10-03T18:20:00+07:00")),
        ],
    );
}

#[test]
fn relative_and_partial_dates() {
    check(
        "2024-11-28T10:00:00+07:00",
        &[
            ("5 phút trước", Some("2024-11-28T09:55:00+07:00")),
            ("2 giờ trước", Some("2024-11-28T08:00:00+07:00")),
            ("15 giờ trước", Some("2024-11-27T19:00:00+07:00")),
            ("3 ngày trước", Some("2024-11-25T10:00:00+07:00")),
            ("1 tuần trước", Some("2024-11-21T10:00:00+07:00")),
            ("2 tháng trước", Some("2024-09-28T10:00:00+07:00")),
            ("Hôm qua", Some("2024-11-27T00:00:00+07:00")),
            ("Hôm qua 20:15", Some("2024-11-27T20:15:00+07:00")),
            ("Hôm nay 08:30", Some("2024-11-28T08:30:00+07:00")),
            ("08:30", Some("2024-11-28T08:30:00+07:00")),
            // later than the fetch: it was yesterday
            ("23:50", Some("2024-11-27T23:50:00+07:00")),
            ("Sáng 27/11", Some("2024-11-27T00:00:00+07:00")),
            ("27/11", Some("2024-11-27T00:00:00+07:00")),
            ("Chiều 12-8", Some("2024-08-12T00:00:00+07:00")),
            ("27/11 lúc 8:30 tối", Some("2024-11-27T20:30:00+07:00")),
            // nothing usable
            ("Thứ năm", None),
            ("", None),
            ("   ", None),
            ("không rõ ngày", None),
            ("Sat, 99 Foo 2024 14:15:00", None),
        ],
    );
}

#[test]
fn more_vietnamese_forms() {
    check(
        "2024-11-28T10:00:00+07:00",
        &[
            // weekday names in any capitalisation, Sunday included
            ("CHỦ NHẬT, 24/11/2024, 06:45", Some("2024-11-24T06:45:00+07:00")),
            ("chủ nhật, 24/11/2024 06:45 (GMT+7)", Some("2024-11-24T06:45:00+07:00")),
            ("Thứ bảy, 23/11/2024 - 14:30", Some("2024-11-23T14:30:00+07:00")),
            ("Thứ Hai, 25/11/2024, 17:46 (GMT+07:00)", Some("2024-11-25T17:46:00+07:00")),
            ("Thứ năm, 28/11/2024, 08:30 (UTC+7)", Some("2024-11-28T08:30:00+07:00")),
            // hours without minutes, part-of-day words
            ("lúc 8h ngày 27/11/2024", Some("2024-11-27T08:00:00+07:00")),
            ("9 giờ tối 27/11/2024", Some("2024-11-27T21:00:00+07:00")),
            ("10:15 đêm 27/11/2024", Some("2024-11-27T22:15:00+07:00")),
            ("Sáng 27/11/2024 lúc 7:30 SA", Some("2024-11-27T07:30:00+07:00")),
            ("27/11/2024 1:05 CH", Some("2024-11-27T13:05:00+07:00")),
            // Thanh Niên's dotted day and month, and "tối qua"/"sáng nay"
            ("Ngày 12.8", Some("2024-08-12T00:00:00+07:00")),
            ("tối qua 26/11", Some("2024-11-26T00:00:00+07:00")),
            ("Tối qua", Some("2024-11-27T00:00:00+07:00")),
            ("Đêm qua 23:15", Some("2024-11-27T23:15:00+07:00")),
            ("Sáng nay 07:00", Some("2024-11-28T07:00:00+07:00")),
            ("Trưa 19/9", Some("2024-09-19T00:00:00+07:00")),
            ("Từ ngày 10-18/9", Some("2024-09-10T00:00:00+07:00")),
            ("ngày 26 - 30/7", Some("2024-07-26T00:00:00+07:00")),
            ("Tuần trước", Some("2024-11-21T10:00:00+07:00")),
            ("1 năm trước", Some("2023-11-28T10:00:00+07:00")),
            ("30 giây trước", Some("2024-11-28T09:59:30+07:00")),
            ("Vừa xong", Some("2024-11-28T10:00:00+07:00")),
            // a decimal is not a date
            ("Tăng 4.5 lần", None),
            // found by fuzzing: a year glued to "tháng trước" is not 2024 months ago
            ("2024tháng trước:00.0011", None),
            ("300 năm trước", None),
            ("1900-01-01T08:00:00", None),
            ("01/01/1989", None),
        ],
    );
}

#[test]
fn feed_dates_without_a_zone() {
    check(
        "2026-11-26T12:00:00+07:00",
        &[
            // Tuổi Trẻ RSS: .NET en-US, month first, no zone
            ("10/2/2026 9:25:00 AM", Some("2026-10-02T09:25:00+07:00")),
            ("11/25/2026 3:05:09 PM", Some("2026-11-25T15:05:09+07:00")),
            // two-digit years, English month names without a zone
            ("Wed, 25 Nov 26 08:30:00 +0700", Some("2026-11-25T08:30:00+07:00")),
            ("25 Nov 2026 08:30", Some("2026-11-25T08:30:00+07:00")),
            ("Wed, 25 Nov 2026 08:30:00", Some("2026-11-25T08:30:00+07:00")),
            ("November 25, 2026 8:30 PM", Some("2026-11-25T20:30:00+07:00")),
            ("Nov 25th, 2026", Some("2026-11-25T00:00:00+07:00")),
            ("25 Nov 2026 01:30 GMT+0", Some("2026-11-25T08:30:00+07:00")),
            // day first whenever it is not the .NET pattern
            ("10/2/2026 9:25", Some("2026-02-10T09:25:00+07:00")),
        ],
    );
}

#[test]
fn date_order_decides_ambiguous_numeric_dates() {
    let fetched_at = at("2026-11-26T12:00:00+07:00");
    // (input, auto, dmy, mdy)
    let cases: &[(&str, &str, &str, &str)] = &[
        // Tuổi Trẻ's .NET form: month first unless the source says dmy
        ("10/2/2026 9:25:00 AM", "2026-10-02T09:25", "2026-02-10T09:25", "2026-10-02T09:25"),
        ("11/3/2026 12:02:00 PM", "2026-11-03T12:02", "2026-03-11T12:02", "2026-11-03T12:02"),
        // other ambiguous numeric forms: day first unless the source says mdy
        ("10/2/2026 9:25", "2026-02-10T09:25", "2026-02-10T09:25", "2026-10-02T09:25"),
        ("05-06-2026", "2026-06-05T00:00", "2026-06-05T00:00", "2026-05-06T00:00"),
        ("Thứ Hai, 9/11/26, 07:31", "2026-11-09T07:31", "2026-11-09T07:31", "2026-09-11T07:31"),
        ("Sáng 3/11", "2026-11-03T00:00", "2026-11-03T00:00", "2026-03-11T00:00"),
        // only one reading is a date: that one, whatever the order
        ("25/11/2026 08:30", "2026-11-25T08:30", "2026-11-25T08:30", "2026-11-25T08:30"),
        ("11/25/2026 3:05:09 PM", "2026-11-25T15:05", "2026-11-25T15:05", "2026-11-25T15:05"),
        ("11/25/2026 08:30", "2026-11-25T08:30", "2026-11-25T08:30", "2026-11-25T08:30"),
        // words, ISO and RFC 822 dates are never ambiguous
        ("ngày 3 tháng 11 năm 2026", "2026-11-03T00:00", "2026-11-03T00:00", "2026-11-03T00:00"),
        ("2026-02-10T09:25:00+07:00", "2026-02-10T09:25", "2026-02-10T09:25", "2026-02-10T09:25"),
        ("Tue, 10 Feb 26 09:25:00 +0700", "2026-02-10T09:25", "2026-02-10T09:25", "2026-02-10T09:25"),
    ];
    for (input, auto, dmy, mdy) in cases {
        for (order, expected) in [(DateOrder::Auto, auto), (DateOrder::Dmy, dmy), (DateOrder::Mdy, mdy)] {
            let got = read_date(input, VN, order, fetched_at).map(|d| d.format("%Y-%m-%dT%H:%M").to_string());
            assert_eq!(got.as_deref(), Ok(*expected), "{input:?} read {order:?}");
        }
    }
    assert_eq!(read_date("13/25/2026", VN, DateOrder::Mdy, fetched_at), Err(DateError::Unreadable));
    assert_eq!(DateOrder::parse("mdy"), Some(DateOrder::Mdy));
    assert_eq!(DateOrder::parse("MDY"), None);
}

#[test]
fn future_dates_say_so() {
    let fetched_at = at("2024-11-28T10:00:00+07:00");
    assert_eq!(
        read_date("30/11/2024 08:00", VN, DateOrder::Auto, fetched_at),
        Err(DateError::Future(at("2024-11-30T08:00:00+07:00")))
    );
    assert_eq!(read_date("không rõ", VN, DateOrder::Auto, fetched_at), Err(DateError::Unreadable));
}

#[test]
fn year_inference_across_new_year() {
    check(
        "2025-01-02T08:00:00+07:00",
        &[
            ("Sáng 30/12", Some("2024-12-30T00:00:00+07:00")),
            ("31/12 23:00", Some("2024-12-31T23:00:00+07:00")),
            ("2/1", Some("2025-01-02T00:00:00+07:00")),
            ("3/1", Some("2025-01-03T00:00:00+07:00")), // one day ahead is tolerated
            ("5/1", Some("2024-01-05T00:00:00+07:00")),
            ("Hôm qua 22:00", Some("2025-01-01T22:00:00+07:00")),
        ],
    );
    // fetched just after midnight UTC+7 but given in UTC: "today" is the Vietnamese day
    check(
        "2024-12-31T17:30:00+00:00",
        &[
            ("00:10", Some("2025-01-01T00:10:00+07:00")),
            ("Hôm qua", Some("2024-12-31T00:00:00+07:00")),
            ("31/12", Some("2024-12-31T00:00:00+07:00")),
        ],
    );
    // 29 February seen in a common year belongs to the last leap year
    check("2025-03-01T08:00:00+07:00", &[("29/2", Some("2024-02-29T00:00:00+07:00"))]);
}

#[test]
fn future_dates_are_rejected() {
    check(
        "2024-11-28T10:00:00+07:00",
        &[
            ("2024-11-29T09:00:00+07:00", Some("2024-11-29T09:00:00+07:00")),
            ("2024-11-29T11:00:00+07:00", None),
            ("30/11/2024", None),
            ("2025-01-01", None),
        ],
    );
}

#[test]
fn other_zones_use_their_offset() {
    let fetched_at = at("2024-07-01T12:00:00+00:00");
    let paris: Tz = "Europe/Paris".parse().unwrap();
    let got = parse_date("28/06/2024 08:30", paris, fetched_at).unwrap();
    assert_eq!(got.to_rfc3339(), "2024-06-28T08:30:00+02:00");
}

proptest! {
    #[test]
    fn never_panics_and_stays_in_zone(s in any::<String>()) {
        let fetched_at = at("2024-11-28T10:00:00+07:00");
        if let Some(d) = parse_date(&s, VN, fetched_at) {
            prop_assert_eq!(d.offset().local_minus_utc(), 7 * 3600);
            prop_assert!(d <= fetched_at + chrono::Duration::days(1));
        }
    }

    #[test]
    fn never_panics_on_date_like_text(s in "[0-9/:. ,-]{0,24}(gmt[+-][0-9]{1,3})?( ?(sa|ch|pm|am|trước|phút|hôm qua))?") {
        let fetched_at = at("2024-11-28T10:00:00+07:00");
        let _ = parse_date(&s, VN, fetched_at);
    }
}
