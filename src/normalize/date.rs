//! Publication dates as Vietnamese pages write them, read in the source's zone.
//!
//! Decisions a caller relies on:
//! - **Output zone.** Every date comes out in the configured zone's offset (+07:00 for
//!   Asia/Ho_Chi_Minh): a value with its own offset keeps its instant but is shown in our zone,
//!   so feeds read consistently. Zone-less values are read in the configured zone, never UTC.
//! - **Day first** ("05/10/2026" is 5 October). The one month-first form read is the exact
//!   .NET en-US pattern of Tuổi Trẻ's RSS ("10/2/2026 9:25:00 AM", see [`US_DOTNET`]). A source
//!   may force the order of ambiguous numeric dates with [`DateOrder`] (`date_order` in the
//!   config). Whatever the order, a numeric date that can only be read one way ("11/25/2026")
//!   is read that way.
//! - **Date without time** is 00:00 local: never later than the real publication.
//! - **Time without date** ("08:30") is today at fetch time, or yesterday when that would be
//!   more than five minutes after the fetch (a listing read at 00:10 showing "23:50").
//! - **Date without year** ("Sáng 27/11") takes the fetch year, or the year before when that
//!   would lie more than a day after the fetch (a December date read in January).
//! - **Future dates are rejected**: more than one day after `fetched_at` gives `None`
//!   ([`read_date`] says [`DateError::Future`], which `item` logs as a warning), so a misread
//!   date never pins an item to the top of a feed. The store then uses first-seen.
//! - **An explicit offset wins** ("+07:00", "Z", "GMT+7" in the text) over the zone.
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
/// A day-first date without a year: "27/11", "12-8", and "ngày 12.8" (Thanh Niên; a dot needs
/// the "ngày" before it, else "4.5" would be a date).
static DM: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{1,2})[/-](\d{1,2})\b|ngày (\d{1,2})\.(\d{1,2})\b"));
/// A range of days in one month: "từ ngày 10-18/9", "ngày 26 - 30/7" (the first day counts).
static DAY_RANGE: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{1,2})\s?[-–]\s?\d{1,2}/(\d{1,2})\b"));
/// The .NET en-US default that Tuổi Trẻ's RSS uses, whole string: "10/2/2026 9:25:00 AM" is
/// 2 October. Seconds and an English AM/PM together never occur in Vietnamese day-first dates
/// (CLDR Vietnamese says "SA"/"CH"), which is what makes this month-first reading safe.
static US_DOTNET: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (am|pm)$"));
/// English month names, as zone-less RSS dates write them: "28 Nov 2024 08:30",
/// "November 28, 2024 8:30 AM".
static ENGLISH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))\b",
    )
});
/// An hour without minutes: "lúc 8h", "9 giờ sáng".
static HOUR: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(\d{1,2})\s?(?:h|giờ)\b(?:\s*(sáng|trưa|chiều|tối|đêm))?"));
/// A part of yesterday or today: "tối qua", "đêm qua", "sáng nay".
static PART_OF_DAY: LazyLock<Regex> = LazyLock::new(|| re(r"\b(?:sáng|trưa|chiều|tối|đêm) (qua|nay)\b"));
/// "08:30", "8:30:15", "08h30", "8 giờ 30", with an optional AM/PM (CLDR Vietnamese "SA"/"CH")
/// or part of the day ("8:30 tối").
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(\d{1,2})(?::|h| giờ )(\d{2})(?::(\d{2}))?\b(?:\s*(am|pm|a\.m\.|p\.m\.|sa|ch|sáng|trưa|chiều|tối|đêm)\b)?",
    )
});
/// "GMT+7", "(UTC+07:00)", "GMT -3".
static GMT: LazyLock<Regex> = LazyLock::new(|| re(r"\b(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?"));
/// "5 phút trước", "2 giờ trước", "3 ngày trước".
static AGO: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(\d{1,4})\s*(giây|phút|giờ|tiếng|ngày|tuần|tháng|năm)\s*trước"));

/// No news page is older than this: an earlier "date" is a misreading ("2024 tháng trước"),
/// and in local mean time besides (Asia/Ho_Chi_Minh was +07:06:40 before 1906, +08:00 in parts
/// of the 1960s and 70s), which would break the promise of a +07:00 offset.
const MIN_YEAR: i32 = 1990;

/// The order of day and month in an ambiguous numeric date ("10/2/2026"), per source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DateOrder {
    /// Day first, except the whole-string .NET en-US form "10/2/2026 9:25:00 AM" (Tuổi Trẻ's
    /// RSS), which is month first.
    #[default]
    Auto,
    /// Day first always, the .NET form included.
    Dmy,
    /// Month first always ("10/2/2026" is 2 October).
    Mdy,
}

impl DateOrder {
    /// The config spelling: `auto`, `dmy`, `mdy`.
    pub fn parse(text: &str) -> Option<DateOrder> {
        match text {
            "auto" => Some(DateOrder::Auto),
            "dmy" => Some(DateOrder::Dmy),
            "mdy" => Some(DateOrder::Mdy),
            _ => None,
        }
    }

    /// (day, month) from two numbers as written: in this order when that is a real date of
    /// `year`, else the other way round when that one is (a "25" is never a month).
    fn day_month(self, first: u32, second: u32, year: i32) -> Option<(u32, u32)> {
        let preferred = match self {
            DateOrder::Mdy => (second, first),
            DateOrder::Auto | DateOrder::Dmy => (first, second),
        };
        let valid = |(day, month): (u32, u32)| NaiveDate::from_ymd_opt(year, month, day).is_some();
        [preferred, (preferred.1, preferred.0)].into_iter().find(|&pair| valid(pair))
    }
}

/// Why a date string gave no date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("no date in it")]
    Unreadable,
    /// Read, but more than a day after the fetch: a misread or a scheduled post. Rejected, not
    /// clamped, so that it never pins an item to the top of a feed.
    #[error("`{0}` is more than a day after the fetch")]
    Future(DateTime<FixedOffset>),
}

/// Reads a date as found on a page, in the default [`DateOrder::Auto`]. See the module
/// documentation for the rules.
pub fn parse_date(text: &str, zone: Tz, fetched_at: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    read_date(text, zone, DateOrder::Auto, fetched_at).ok()
}

/// [`parse_date`] with the source's day/month order, saying why there is no date (the caller
/// logs a future date as a warning).
pub fn read_date(
    text: &str,
    zone: Tz,
    order: DateOrder,
    fetched_at: DateTime<FixedOffset>,
) -> Result<DateTime<FixedOffset>, DateError> {
    let text = clean_text(text).to_lowercase();
    if text.is_empty() {
        return Err(DateError::Unreadable);
    }
    let now = fetched_at.with_timezone(&zone);
    let date = quick::numeric(&text, zone, order)
        .or_else(|| general(&text, zone, order, &now))
        .ok_or(DateError::Unreadable)?;
    let date = date.with_timezone(&zone).fixed_offset();
    if date.year() < MIN_YEAR {
        return Err(DateError::Unreadable);
    }
    if date > fetched_at + Duration::days(1) {
        return Err(DateError::Future(date));
    }
    Ok(date)
}

/// Every form, each by its pattern, the first that reads the (cleaned, lowercased) text.
fn general(text: &str, zone: Tz, order: DateOrder, now: &DateTime<Tz>) -> Option<DateTime<FixedOffset>> {
    metadata(text, zone)
        .or_else(|| if order == DateOrder::Dmy { None } else { us_dotnet(text, zone) })
        .or_else(|| visible(text, zone, order, now))
        .or_else(|| english(text, zone))
        .or_else(|| relative(text, zone, now))
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
fn visible(text: &str, zone: Tz, order: DateOrder, now: &DateTime<Tz>) -> Option<DateTime<FixedOffset>> {
    // A date that states a year is read with it or not at all ("01/01/1989" is not 1 January
    // of this year).
    let (date, rest) = match full_date(text, order) {
        Some(with_year) => with_year?,
        None => partial_date(text, order, now)?,
    };
    let time = find_time(&rest).unwrap_or(NaiveTime::MIN);
    at(date.and_time(time), &rest, zone)
}

/// The date with a year, and the text with the date removed (so "2024" is not read as a time):
/// `None` when the text states no year, `Some(None)` when the date that states one is no date.
fn full_date(text: &str, order: DateOrder) -> Option<Option<(NaiveDate, String)>> {
    if let Some(c) = YMD.captures(text) {
        return Some(ymd(&c[1], &c[2], &c[3]).map(|date| (date, remove(text, c.get_match().range()))));
    }
    if let Some(c) = DMY.captures(text) {
        return Some(day_first(&c, order).map(|date| (date, remove(text, c.get_match().range()))));
    }
    let c = LONG.captures(text).filter(|c| c.get(3).is_some())?;
    Some(ymd(&c[3], &c[2], &c[1]).map(|date| (date, remove(text, c.get_match().range()))))
}

/// The date a [`DMY`] match says.
fn day_first(c: &regex::Captures, order: DateOrder) -> Option<NaiveDate> {
    let group = (1..=7).step_by(3).find(|&g| c.get(g).is_some())?;
    let year = &c[group + 2];
    let year: i32 = if year.len() == 2 { 2000 + year.parse::<i32>().ok()? } else { year.parse().ok()? };
    (MIN_YEAR..=9999).contains(&year).then_some(())?;
    let (day, month) = order.day_month(c[group].parse().ok()?, c[group + 1].parse().ok()?, year)?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A date without a year ("27/11", "ngày 27 tháng 11"): the fetch year, or the year before
/// when the date would lie more than a day after the fetch.
fn partial_date(text: &str, order: DateOrder, now: &DateTime<Tz>) -> Option<(NaiveDate, String)> {
    let today = now.date_naive();
    let in_year = |day: u32, month: u32| {
        let this_year = NaiveDate::from_ymd_opt(today.year(), month, day);
        match this_year {
            Some(d) if d <= today + Duration::days(1) => Some(d),
            // 29/2 of a leap year read in a common year, or a date still to come this year
            _ => NaiveDate::from_ymd_opt(today.year() - 1, month, day)
                .or_else(|| NaiveDate::from_ymd_opt(today.year() - 4, month, day)),
        }
    };
    // Words and ranges are Vietnamese, so day first; only a bare "11/27" follows `order`.
    let long = LONG.captures(text).into_iter().chain(DAY_RANGE.captures(text)).map(|c| (c, false));
    let numeric = DM.captures_iter(text).map(|c| {
        let slashed = c.get(1).is_some();
        (c, slashed)
    });
    // The first candidate that is a real day.
    long.chain(numeric).find_map(|(c, follows_order)| {
        let group = if c.get(1).is_some() { 1 } else { 3 };
        let first: u32 = c.get(group)?.as_str().parse().ok()?;
        let second: u32 = c.get(group + 1)?.as_str().parse().ok()?;
        let (day, month) =
            if follows_order && order == DateOrder::Mdy { (second, first) } else { (first, second) };
        Some((in_year(day, month)?, remove(text, c.get(0)?.range())))
    })
}

fn ymd(year: &str, month: &str, day: &str) -> Option<NaiveDate> {
    let year: i32 = year.parse().ok()?;
    (MIN_YEAR..=9999).contains(&year).then_some(())?;
    NaiveDate::from_ymd_opt(year, month.parse().ok()?, day.parse().ok()?)
}

fn remove(text: &str, range: std::ops::Range<usize>) -> String {
    format!("{} {}", &text[..range.start], &text[range.end..])
}

/// The first time of day in `text`, 12-hour forms converted; an hour alone ("lúc 8h") when
/// there is no time with minutes.
fn find_time(text: &str) -> Option<NaiveTime> {
    let (hour, minute, second, part) = match TIME.captures(text) {
        Some(c) => (
            c[1].parse().ok()?,
            c[2].parse().ok()?,
            c.get(3).map_or(Some(0), |s| s.as_str().parse().ok())?,
            c.get(4).map(|m| m.as_str().to_string()),
        ),
        None => {
            let c = HOUR.captures(text)?;
            (c[1].parse().ok()?, 0, 0, c.get(2).map(|m| m.as_str().to_string()))
        }
    };
    NaiveTime::from_hms_opt(twelve_hour(hour, part.as_deref()), minute, second)
}

/// An hour on the 24-hour clock, given the AM/PM or part-of-day word after it.
fn twelve_hour(hour: u32, part: Option<&str>) -> u32 {
    match part {
        Some("pm" | "p.m." | "ch" | "chiều" | "tối") if (1..12).contains(&hour) => hour + 12,
        Some("đêm") if (6..12).contains(&hour) => hour + 12,
        Some("trưa") if (1..=5).contains(&hour) => hour + 12,
        Some("am" | "a.m." | "sa" | "sáng") if hour == 12 => 0,
        _ => hour,
    }
}

/// "10/2/2026 9:25:00 AM" (Tuổi Trẻ RSS): month first, see [`US_DOTNET`].
fn us_dotnet(text: &str, zone: Tz) -> Option<DateTime<FixedOffset>> {
    let c = US_DOTNET.captures(text)?;
    let date = ymd(&c[3], &c[1], &c[2])?;
    let time = NaiveTime::from_hms_opt(
        twelve_hour(c[4].parse().ok()?, Some(&c[7])),
        c[5].parse().ok()?,
        c[6].parse().ok()?,
    )?;
    at(date.and_time(time), text, zone)
}

/// Dates with English month names ("28 Nov 2024 08:30"), in the stated "GMT+7" or the zone.
fn english(text: &str, zone: Tz) -> Option<DateTime<FixedOffset>> {
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let c = ENGLISH.captures(text)?;
    let (day, month, year) = match c.get(1) {
        Some(day) => (day.as_str(), &c[2], &c[3]),
        None => (&c[5], &c[4], &c[6]),
    };
    let month = MONTHS.iter().position(|m| *m == month)? + 1;
    let date = ymd(year, &month.to_string(), day)?;
    let rest = remove(text, c.get(0)?.range());
    at(date.and_time(find_time(&rest).unwrap_or(NaiveTime::MIN)), &rest, zone)
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
    if text.contains("tuần trước") {
        return Some(now_fixed - Duration::weeks(1));
    }
    if text.contains("tháng trước") {
        return now.checked_sub_months(Months::new(1)).map(|d| d.fixed_offset());
    }
    let today = now.date_naive();
    let part_of_day = PART_OF_DAY.captures(text).map(|c| c[1].to_string());
    let days_back = if text.contains("hôm kia") {
        Some(2)
    } else if text.contains("hôm qua") || part_of_day.as_deref() == Some("qua") {
        Some(1)
    } else if text.contains("hôm nay") || part_of_day.as_deref() == Some("nay") {
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

mod quick;
#[cfg(test)]
mod tests;
