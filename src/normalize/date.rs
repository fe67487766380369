//! Publication dates as Vietnamese pages write them, read in the source's zone.
//!
//! Decisions a caller relies on:
//! - **Output zone.** Every date comes out in the configured zone's offset (+07:00 for
//!   Asia/Ho_Chi_Minh): a value with its own offset keeps its instant but is shown in our zone,
//!   so feeds read consistently. Zone-less values are read in the configured zone, never UTC.
//! - **Day first, always** ("05/10/2026" is 5 October). US month-first dates are not guessed.
//! - **Date without time** is 00:00 local: never later than the real publication.
//! - **Time without date** ("08:30") is today at fetch time, or yesterday when that would be
//!   more than five minutes after the fetch (a listing read at 00:10 showing "23:50").
//! - **Date without year** ("Sáng 27/11") takes the fetch year, or the year before when that
//!   would lie more than a day after the fetch (a December date read in January).
//! - **Future dates are rejected**: more than one day after `fetched_at` gives `None`, so a
//!   misread date never pins an item to the top of a feed. The store then uses first-seen.
//! - `None` for anything unreadable; never a silent "now".

use std::sync::LazyLock;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
};
use chrono_tz::Tz;
use regex::Regex;

use super::text::clean_text;

/// Compiles a pattern with `\d` meaning ASCII digits only (a Unicode digit would match, then
/// fail to parse as a number).
fn re(pattern: &str) -> Regex {
    Regex::new(&pattern.replace(r"\d", "[0-9]")).expect("valid date regex")
}

/// ISO 8601 / RFC 3339, whole string: "2024-07-23T21:05:00+07:00", "2024-07-23 21:05",
/// "2024-11-28T01:30:00.000Z", "2024-07-23".
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$",
    )
});
/// A year-first date inside text: "2024-11-28 08:30".
static YMD: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b"));
/// A day-first date with a year: "28/11/2024", "28-11-2024", "28.11.2024", "17/9/26".
static DMY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b|\b(\d{1,2})-(\d{1,2})-(\d{4}|\d{2})\b|\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b",
    )
});
/// "ngày 28 tháng 11 năm 2024", year optional.
static LONG: LazyLock<Regex> = LazyLock::new(|| re(r"ngày (\d{1,2}) tháng (\d{1,2})(?:,? năm (\d{4}))?"));
/// A day-first date without a year: "27/11", "12-8".
static DM: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{1,2})[/-](\d{1,2})\b"));
/// "08:30", "8:30:15", "08h30", "8 giờ 30", with an optional AM/PM (CLDR Vietnamese "SA"/"CH")
/// or part of the day ("8:30 tối").
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(\d{1,2})(?::|h| giờ )(\d{2})(?::(\d{2}))?\b(?:\s*(am|pm|a\.m\.|p\.m\.|sa|ch|sáng|trưa|chiều|tối)\b)?",
    )
});
/// "GMT+7", "(UTC+07:00)", "GMT -3".
static GMT: LazyLock<Regex> = LazyLock::new(|| re(r"\b(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?"));
/// "5 phút trước", "2 giờ trước", "3 ngày trước".
static AGO: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{1,4})\s*(giây|phút|giờ|tiếng|ngày|tuần|tháng|năm)\s*trước"));

/// Reads a date as found on a page. See the module documentation for the rules.
pub fn parse_date(text: &str, zone: Tz, fetched_at: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    let text = clean_text(text).to_lowercase();
    if text.is_empty() {
        return None;
    }
    let now = fetched_at.with_timezone(&zone);
    let date = metadata(&text, zone)
        .or_else(|| visible(&text, zone, &now))
        .or_else(|| relative(&text, zone, &now))?;
    let date = date.with_timezone(&zone).fixed_offset();
    (date <= fetched_at + Duration::days(1)).then_some(date)
}

/// Machine-readable values: ISO 8601 / RFC 3339 (zone-less read in `zone`) and RFC 2822.
fn metadata(text: &str, zone: Tz) -> Option<DateTime<FixedOffset>> {
    if let Some(c) = ISO.captures(text) {
        let num = |i: usize| c.get(i).map_or(Some(0), |m| m.as_str().parse::<u32>().ok());
        let date = NaiveDate::from_ymd_opt(c[1].parse().ok()?, num(2)?, num(3)?)?;
        let time = NaiveTime::from_hms_opt(num(4)?, num(5)?, num(6)?)?;
        let naive = date.and_time(time);
        return match c.get(7) {
            Some(offset) => {
                let offset = parse_offset(offset.as_str())?;
                offset.from_local_datetime(&naive).single()
            }
            None => local(zone, naive),
        };
    }
    // RSS dates ("Thu, 06 Feb 2025 20:30:48 +0700"); chrono wants the English names capitalised.
    let titled: String = text
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ");
    DateTime::parse_from_rfc2822(&titled).ok()
}

/// "+07:00", "+0700", "+07", "z".
fn parse_offset(text: &str) -> Option<FixedOffset> {
    if text == "z" {
        return FixedOffset::east_opt(0);
    }
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4).map_or(Some(0), |m| m.parse().ok())?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// A wall-clock time in `zone`. In a DST gap the clock is read an hour later, in an overlap
/// the earlier instant wins (neither happens in Vietnam, which has no DST).
fn local(zone: Tz, naive: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    zone.from_local_datetime(&naive)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(naive + Duration::hours(1))).earliest())
        .map(|d| d.fixed_offset())
}

/// Visible dates: a day-first (or year-first) date anywhere in the text, with the time and an
/// explicit "GMT+7" when present; a partial date takes its year from the fetch time.
fn visible(text: &str, zone: Tz, now: &DateTime<Tz>) -> Option<DateTime<FixedOffset>> {
    let (date, rest) = full_date(text).or_else(|| partial_date(text, now))?;
    let time = find_time(&rest).unwrap_or(NaiveTime::MIN);
    at(date.and_time(time), &rest, zone)
}

/// The date with a year, and the text with the date removed (so "2024" is not read as a time).
fn full_date(text: &str) -> Option<(NaiveDate, String)> {
    if let Some(c) = YMD.captures(text) {
        let date = ymd(&c[1], &c[2], &c[3])?;
        return Some((date, remove(text, c.get(0)?.range())));
    }
    if let Some(c) = DMY.captures(text) {
        let group = (1..=7).step_by(3).find(|&g| c.get(g).is_some())?;
        let year = &c[group + 2];
        let year = if year.len() == 2 { format!("20{year}") } else { year.to_string() };
        let date = ymd(&year, &c[group + 1], &c[group])?;
        return Some((date, remove(text, c.get(0)?.range())));
    }
    let c = LONG.captures(text)?;
    let date = ymd(c.get(3)?.as_str(), &c[2], &c[1])?;
    Some((date, remove(text, c.get(0)?.range())))
}

/// A date without a year ("27/11", "ngày 27 tháng 11"): the fetch year, or the year before
/// when the date would lie more than a day after the fetch.
fn partial_date(text: &str, now: &DateTime<Tz>) -> Option<(NaiveDate, String)> {
    let c = LONG.captures(text).or_else(|| DM.captures(text))?;
    let (day, month): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
    let today = now.date_naive();
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day);
    let date = match this_year {
        Some(d) if d <= today + Duration::days(1) => d,
        // 29/2 of a leap year read in a common year, or a date still to come this year
        _ => NaiveDate::from_ymd_opt(today.year() - 1, month, day)
            .or_else(|| NaiveDate::from_ymd_opt(today.year() - 4, month, day))?,
    };
    Some((date, remove(text, c.get(0)?.range())))
}

fn ymd(year: &str, month: &str, day: &str) -> Option<NaiveDate> {
    let year: i32 = year.parse().ok()?;
    (1970..=9999).contains(&year).then_some(())?;
    NaiveDate::from_ymd_opt(year, month.parse().ok()?, day.parse().ok()?)
}

fn remove(text: &str, range: std::ops::Range<usize>) -> String {
    format!("{} {}", &text[..range.start], &text[range.end..])
}

/// The first time of day in `text`, 12-hour forms converted.
fn find_time(text: &str) -> Option<NaiveTime> {
    let c = TIME.captures(text)?;
    let mut hour: u32 = c[1].parse().ok()?;
    let minute: u32 = c[2].parse().ok()?;
    let second: u32 = c.get(3).map_or(Some(0), |s| s.as_str().parse().ok())?;
    match c.get(4).map(|m| m.as_str()) {
        Some("pm" | "p.m." | "ch" | "chiều" | "tối") if (1..12).contains(&hour) => hour += 12,
        Some("trưa") if (1..=5).contains(&hour) => hour += 12,
        Some("am" | "a.m." | "sa" | "sáng") if hour == 12 => hour = 0,
        _ => {}
    }
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// A wall-clock time, in the offset the text states ("GMT+7") or else in `zone`.
fn at(naive: NaiveDateTime, text: &str, zone: Tz) -> Option<DateTime<FixedOffset>> {
    match GMT.captures(text) {
        Some(c) => {
            let sign = if &c[1] == "-" { -1 } else { 1 };
            let hours: i32 = c[2].parse().ok()?;
            let minutes: i32 = c.get(3).map_or(Some(0), |m| m.as_str().parse().ok())?;
            let offset = FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))?;
            offset.from_local_datetime(&naive).single()
        }
        None => local(zone, naive),
    }
}

/// Listing-page forms relative to the fetch: "5 phút trước", "hôm qua 08:30", "hôm nay",
/// "vừa xong", and a bare time of day.
fn relative(text: &str, zone: Tz, now: &DateTime<Tz>) -> Option<DateTime<FixedOffset>> {
    let now_fixed = now.fixed_offset();
    if let Some(c) = AGO.captures(text) {
        let n: u32 = c[1].parse().ok()?;
        let n64 = i64::from(n);
        return match &c[2] {
            "giây" => Some(now_fixed - Duration::seconds(n64)),
            "phút" => Some(now_fixed - Duration::minutes(n64)),
            "giờ" | "tiếng" => Some(now_fixed - Duration::hours(n64)),
            "ngày" => Some(now_fixed - Duration::days(n64)),
            "tuần" => Some(now_fixed - Duration::weeks(n64)),
            "tháng" => now.checked_sub_months(Months::new(n)).map(|d| d.fixed_offset()),
            _ => now.checked_sub_months(Months::new(n.checked_mul(12)?)).map(|d| d.fixed_offset()),
        };
    }
    if text.contains("vừa xong") || text.contains("vừa đăng") {
        return Some(now_fixed);
    }
    let today = now.date_naive();
    let days_back = if text.contains("hôm kia") {
        Some(2)
    } else if text.contains("hôm qua") {
        Some(1)
    } else if text.contains("hôm nay") {
        Some(0)
    } else {
        None
    };
    let time = find_time(text);
    match (days_back, time) {
        (Some(days), time) => {
            let day = today - Duration::days(days);
            at(day.and_time(time.unwrap_or(NaiveTime::MIN)), text, zone)
        }
        // A time alone is today, or yesterday when today's would be after the fetch (five
        // minutes of clock skew allowed). Other digits mean a form we do not know: no guess.
        (None, Some(time)) if !TIME.replace(text, "").contains(|c: char| c.is_ascii_digit()) => {
            let today_at = at(today.and_time(time), text, zone)?;
            if today_at > now_fixed + Duration::minutes(5) {
                at((today - Duration::days(1)).and_time(time), text, zone)
            } else {
                Some(today_at)
            }
        }
        (None, _) => None,
    }
}

#[cfg(test)]
mod tests;
