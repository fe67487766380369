//! The shape most visible dates have, read without regexes: a day-first date with a four-digit
//! year and perhaps a time and a "GMT+7", after a weekday or nothing ("chủ nhật, 10/11/2024
//! 05:42 (gmt+7)", "08:30, 28/11/2024"). Through the general patterns such a date costs about
//! 14 µs, and a run first pays about 1.5 ms to compile them.
//!
//! Only a text wholly of this shape is read here, and it is read exactly as the general path
//! reads it (the tests hold the two together on generated texts); any other text, or any doubt
//! (a day that is no day, a time that is no time), is `None` and goes the general way.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

use super::{DateOrder, MIN_YEAR, local};

/// `text` (cleaned and lowercased) read as `[prefix] date [sep time] [suffix]` or
/// `[prefix] time sep date [suffix]`:
/// - prefix: letters, commas and spaces, ending in a space (a weekday: "thứ năm, "), without
///   "gmt" or "utc";
/// - date: `d/m/yyyy` with one or two digits for day and month;
/// - time: `h:mm` or `hhhmm` with one or two digits for the hour, `:ss` after;
/// - sep: `" "`, `", "`, `" - "` or `" | "`;
/// - suffix: `" gmt+7"` or `" (utc+07:00)"` and the like: the offset the time is in.
pub(super) fn numeric(text: &str, zone: Tz, order: DateOrder) -> Option<DateTime<FixedOffset>> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let prefix = &text[..start];
    // no "gmt" before the date: with a dash after it, the general way reads an offset there
    let weekday = |p: &str| {
        p.ends_with(' ')
            && p.chars().all(|c| c.is_alphabetic() || c == ' ' || c == ',')
            && !p.contains("gmt")
            && !p.contains("utc")
    };
    if !prefix.is_empty() && !weekday(prefix) {
        return None;
    }
    let mut s = Scan { rest: &text.as_bytes()[start..] };
    // the date first, or the time first: a time has ':' or 'h' where a date has '/'
    let (date, time) = if s.date_ahead() {
        let date = s.date(order)?;
        let time = if s.sep() { Some(s.time()?) } else { None };
        (date, time)
    } else {
        let time = s.time()?;
        if !s.sep() {
            return None;
        }
        (s.date(order)?, Some(time))
    };
    let offset = if s.rest.is_empty() {
        None
    } else {
        // an offset without a time is read by the general way (an hour alone may be in it)
        time?;
        Some(s.offset()?)
    };
    if !s.rest.is_empty() {
        return None;
    }
    let naive = date.and_time(time.unwrap_or(NaiveTime::MIN));
    match offset {
        Some(offset) => offset.from_local_datetime(&naive).single(),
        None => local(zone, naive),
    }
}

/// What is left of the text, read from the front.
struct Scan<'a> {
    rest: &'a [u8],
}

impl Scan<'_> {
    fn eat(&mut self, prefix: &[u8]) -> bool {
        let found = self.rest.starts_with(prefix);
        if found {
            self.rest = &self.rest[prefix.len()..];
        }
        found
    }

    /// `min..=max` ASCII digits, and not one more.
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let len = self.rest.iter().take(max + 1).take_while(|b| b.is_ascii_digit()).count();
        if len > max {
            return None;
        }
        self.digits(min, len)
    }

    /// `min..=max` ASCII digits, as many as there are (a regex's greedy `\d{min,max}`).
    fn greedy(&mut self, min: usize, max: usize) -> Option<u32> {
        let len = self.rest.iter().take(max).take_while(|b| b.is_ascii_digit()).count();
        self.digits(min, len)
    }

    fn digits(&mut self, min: usize, len: usize) -> Option<u32> {
        if len < min {
            return None;
        }
        let value = self.rest[..len].iter().fold(0, |n, b| n * 10 + u32::from(b - b'0'));
        self.rest = &self.rest[len..];
        Some(value)
    }

    /// Whether the digits ahead are followed by '/' (a date) rather than ':' or 'h' (a time).
    fn date_ahead(&self) -> bool {
        self.rest.iter().find(|b| !b.is_ascii_digit()) == Some(&b'/')
    }

    /// `d/m/yyyy`, then the end or a space or comma: what `DMY` matches, read as `day_first`
    /// reads it.
    fn date(&mut self, order: DateOrder) -> Option<NaiveDate> {
        let first = self.number(1, 2)?;
        self.eat(b"/").then_some(())?;
        let second = self.number(1, 2)?;
        self.eat(b"/").then_some(())?;
        let year = i32::try_from(self.number(4, 4)?).ok()?;
        if !matches!(self.rest.first(), None | Some(b' ' | b',')) {
            return None;
        }
        (MIN_YEAR..=9999).contains(&year).then_some(())?;
        let (day, month) = order.day_month(first, second, year)?;
        NaiveDate::from_ymd_opt(year, month, day)
    }

    /// `h:mm`, `h:mm:ss` or `hhhmm`, a real time of day, then the end or a space or comma.
    fn time(&mut self) -> Option<NaiveTime> {
        let hour = self.number(1, 2)?;
        let colon = self.eat(b":");
        if !colon && !self.eat(b"h") {
            return None;
        }
        let minute = self.number(2, 2)?;
        let second = if self.eat(b":") { self.number(2, 2)? } else { 0 };
        if !matches!(self.rest.first(), None | Some(b' ' | b',')) {
            return None;
        }
        NaiveTime::from_hms_opt(hour, minute, second)
    }

    /// Between date and time: whether one of the separators is next (taken if so).
    fn sep(&mut self) -> bool {
        let digit_after = |s: &Self, len: usize| s.rest.get(len).is_some_and(u8::is_ascii_digit);
        for sep in [&b" "[..], b", ", b" - ", b" | "] {
            if self.rest.starts_with(sep) && digit_after(self, sep.len()) {
                self.rest = &self.rest[sep.len()..];
                return true;
            }
        }
        false
    }

    /// `" gmt+7"`, `" (gmt+07:00)"`, `" utc-0300"`: what `GMT` matches, and nothing after.
    fn offset(&mut self) -> Option<FixedOffset> {
        self.eat(b" ").then_some(())?;
        let paren = self.eat(b"(");
        (self.eat(b"gmt") || self.eat(b"utc")).then_some(())?;
        let sign = if self.eat(b"+") {
            1
        } else {
            self.eat(b"-").then_some(())?;
            -1
        };
        let hours = i32::try_from(self.greedy(1, 2)?).ok()?;
        let minutes = if self.rest.first().is_some_and(|b| b.is_ascii_digit() || *b == b':') {
            self.eat(b":");
            i32::try_from(self.number(2, 2)?).ok()?
        } else {
            0
        };
        if paren {
            self.eat(b")").then_some(())?;
        }
        FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use proptest::prelude::*;

    use super::super::{DateOrder, general};
    use super::numeric;

    const VN: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;

    fn now() -> DateTime<chrono_tz::Tz> {
        DateTime::parse_from_rfc3339("2026-11-27T10:00:00+07:00").unwrap().with_timezone(&VN)
    }

    /// The general way's answer, and this module's: the same whenever this one answers.
    fn both(text: &str, order: DateOrder) -> (Option<String>, Option<String>) {
        let quick = numeric(text, VN, order).map(|d| d.to_rfc3339());
        let general = general(text, VN, order, &now()).map(|d| d.to_rfc3339());
        (quick, general)
    }

    #[test]
    fn reads_the_common_shapes() {
        for (text, expected) in [
            ("chủ nhật, 10/11/2024 05:42 (gmt+7)", "2024-11-10T05:42:00+07:00"),
            ("thứ năm, 28/11/2024, 08:30 (gmt+7)", "2024-11-28T08:30:00+07:00"),
            ("28/11/2024 - 08:30", "2024-11-28T08:30:00+07:00"),
            ("28/11/2024 | 08h30", "2024-11-28T08:30:00+07:00"),
            ("08:30, 28/11/2024", "2024-11-28T08:30:00+07:00"),
            ("07:22:15 25/02/2020", "2020-02-25T07:22:15+07:00"),
            ("28/11/2024", "2024-11-28T00:00:00+07:00"),
            ("1/2/2025 9:05 gmt+8", "2025-02-01T09:05:00+08:00"),
            ("11/25/2026 10:00 (utc-03:00)", "2026-11-25T10:00:00-03:00"),
        ] {
            let (quick, general) = both(text, DateOrder::Auto);
            assert_eq!(quick.as_deref(), Some(expected), "{text}");
            assert_eq!(general.as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn leaves_other_shapes_to_the_general_way() {
        for text in [
            "2024-11-28 08:30",
            "ngày 28 tháng 11 năm 2024",
            "thứ 5, 28/11/2024 08:30",
            "28/11/24 08:30",
            "28-11-2024 08:30",
            "28/11/2024 08:30 sáng",
            "28/11/2024 8h",
            "10/2/2026 9:25:00 am",
            "31/02/2024 08:30",
            "28/11/2024 25:30",
            "28/11/2024 (gmt+7)",
            "28/11/2024 08:30 (gmt+700)",
            "cập nhật:28/11/2024",
            "5 phút trước",
        ] {
            let (quick, general) = both(text, DateOrder::Auto);
            assert_eq!(quick, None, "{text} (the general way reads {general:?})");
        }
    }

    fn piece(options: &'static [&'static str]) -> impl Strategy<Value = String> {
        proptest::sample::select(options).prop_map(str::to_string)
    }

    /// Any one to three digits, or a number that is right for its field most of the time.
    fn digits() -> impl Strategy<Value = String> {
        prop_oneof![
            (0u32..100).prop_map(|n| n.to_string()),
            (0u32..100).prop_map(|n| format!("{n:02}")),
            (0u32..1000).prop_map(|n| format!("{n:03}")),
        ]
    }

    fn field(range: std::ops::RangeInclusive<u32>, padded: bool) -> impl Strategy<Value = String> {
        let right = (range, any::<bool>())
            .prop_map(move |(n, pad)| if pad || padded { format!("{n:02}") } else { n.to_string() });
        prop_oneof![12 => right, 1 => digits(), 1 => piece(&["1989", "1990", "9999", "0000", "60", "24"])]
    }

    /// Texts of the shapes read here and near them: each part right most of the time, and
    /// sometimes wrong (a prefix with a digit, a dash for a slash, three digits, no space).
    fn near_shapes() -> impl Strategy<Value = String> {
        let prefix = prop_oneof![
            3 => piece(&["", "chủ nhật, ", "thứ năm, ", "sáng ", "cập nhật lúc "]),
            1 => piece(&["ngày ", "nov ", "gmt ", "utc, ", "thứ 5, ", "x", " ", ",", "đêm qua ", "utc-"]),
        ];
        let date_sep = || prop_oneof![6 => Just("/".to_string()), 1 => piece(&["-", ".", ":", " "])];
        let date =
            (field(1..=31, false), date_sep(), field(1..=12, false), date_sep(), field(1985..=2030, false))
                .prop_map(|(d, s1, m, s2, y)| format!("{d}{s1}{m}{s2}{y}"));
        let time_sep = prop_oneof![6 => Just(":".to_string()), 1 => piece(&["h", " giờ ", "/", ""])];
        let seconds = piece(&["", "", "", ":00", ":59", ":60", ":5", ":123"]);
        let time = (field(0..=23, false), time_sep, field(0..=59, true), seconds)
            .prop_map(|(h, s, m, sec)| format!("{h}{s}{m}{sec}"));
        let between = prop_oneof![
            3 => piece(&[" ", ", ", " - ", " | "]),
            1 => piece(&["", "  ", " ngày ", ",", " -", "- "]),
        ];
        let tail = prop_oneof![
            3 => piece(&["", " (gmt+7)", " gmt+7", " (utc+07:00)", " gmt-0300"]),
            1 => piece(&[
                " (gmt+7", " gmt+700", " gmt+24", " gmt+07000", " gmt+7:", " sáng", " pm", " am", ")", " gmt +7",
                "h", "(gmt+7)", " 12", ":",
            ]),
        ];
        let body = (date, between, time, 0..3u8).prop_map(|(date, between, time, shape)| match shape {
            0 => format!("{date}{between}{time}"),
            1 => format!("{time}{between}{date}"),
            _ => date,
        });
        (prefix, body, tail).prop_map(|(prefix, body, tail)| format!("{prefix}{body}{tail}"))
    }

    /// Whatever this module reads, the general way reads the same; and it reads a good share
    /// of these texts (else the comparison would compare nothing).
    #[test]
    fn agrees_with_the_general_way() {
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(20_000));
        let read = std::cell::Cell::new(0u32);
        let orders = vec![DateOrder::Auto, DateOrder::Dmy, DateOrder::Mdy];
        runner
            .run(&(near_shapes(), proptest::sample::select(orders)), |(text, order)| {
                let (quick, general) = both(&text, order);
                if quick.is_some() {
                    read.set(read.get() + 1);
                    prop_assert_eq!(quick, general, "{:?} {:?}", text, order);
                }
                Ok(())
            })
            .unwrap();
        assert!(read.get() > 1_000, "only {} of 20,000 texts were read here", read.get());
    }
}
