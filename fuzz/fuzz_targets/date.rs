//! The date parser on arbitrary text: never panics, and a date it returns is in the zone's
//! offset and at most a day after the fetch (whatever the fetch time).
#![no_main]

use chrono::{DateTime, Duration};
use libfuzzer_sys::fuzz_target;
use tinfeed::normalize::parse_date;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let zone = chrono_tz::Asia::Ho_Chi_Minh;
    // Two fetch times: mid-year, and the first minutes of a new year (year inference).
    for fetched in ["2024-11-28T10:00:00+07:00", "2025-01-01T00:05:00+07:00"] {
        let fetched_at = DateTime::parse_from_rfc3339(fetched).expect("valid");
        if let Some(date) = parse_date(&text, zone, fetched_at) {
            assert_eq!(date.offset().local_minus_utc(), 7 * 3600, "{text:?} → {date}");
            assert!(date <= fetched_at + Duration::days(1), "{text:?} → {date} is in the future");
        }
    }
});
