//! Cron arithmetic for the run loop, pure (the caller passes "now"): when a source runs next,
//! how many firings a long run made it skip, how much jitter spreads sources that share a
//! schedule, and the period that `Cache-Control: max-age` follows.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};

/// Firings looked at to find a schedule's shortest interval: enough to see the gap of
/// `0 0 6,18 * * *` and the weekend of `0 0 8 * * Mon-Fri`.
const PERIOD_SAMPLES: usize = 16;
/// Jitter is at most a tenth of the period, and never more than this.
const MAX_JITTER: Duration = Duration::from_secs(30);

/// The shortest interval between consecutive firings of `schedule` from `now` on; `None` for a
/// schedule that fires less than twice from now on.
pub fn period_from(schedule: &cron::Schedule, now: DateTime<Utc>) -> Option<Duration> {
    let times: Vec<DateTime<Utc>> = schedule.after(&now).take(PERIOD_SAMPLES).collect();
    times.windows(2).filter_map(|w| (w[1] - w[0]).to_std().ok()).min()
}

/// [`period_from`] now.
pub fn period(schedule: &cron::Schedule) -> Option<Duration> {
    period_from(schedule, Utc::now())
}

/// The jitter bound of a schedule: a tenth of its period, at most 30 s (a per-second test
/// schedule gets 100 ms; the default quarter-hourly one 30 s).
pub fn max_jitter(period: Option<Duration>) -> Duration {
    period.map_or(MAX_JITTER, |p| (p / 10).min(MAX_JITTER))
}

/// A random delay in `[0, bound)`.
pub fn jitter(bound: Duration) -> Duration {
    let millis = u64::try_from(bound.as_millis()).unwrap_or(u64::MAX);
    if millis == 0 { Duration::ZERO } else { Duration::from_millis(fastrand::u64(0..millis)) }
}

/// The first firing strictly after `now`, in the source's zone (`0 0 6 * * *` is 06:00 where
/// the site is, not in the container's UTC).
pub fn next_after<Z: TimeZone>(
    schedule: &cron::Schedule,
    now: DateTime<Utc>,
    zone: &Z,
) -> Option<DateTime<Utc>> {
    schedule.after(&now.with_timezone(zone)).next().map(|at| at.with_timezone(&Utc))
}

/// How many firings fell in `(started, finished]`: the runs skipped because this one was still
/// going (a source never overlaps itself). Counting stops at 1000.
pub fn missed<Z: TimeZone>(
    schedule: &cron::Schedule,
    started: DateTime<Utc>,
    finished: DateTime<Utc>,
    zone: &Z,
) -> usize {
    schedule
        .after(&started.with_timezone(zone))
        .take(1000)
        .take_while(|at| at.with_timezone(&Utc) <= finished)
        .count()
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn schedule(expr: &str) -> cron::Schedule {
        cron::Schedule::from_str(expr).unwrap()
    }

    fn utc(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn periods_of_common_schedules() {
        let now = utc("2024-11-28T08:31:00+07:00");
        for (expr, secs) in [
            ("* * * * * *", Some(1)),
            ("0 */15 * * * *", Some(900)),
            ("0 0 * * * *", Some(3600)),
            ("0 0 6,18 * * *", Some(12 * 3600)),
            ("0 30 7 * * Mon-Fri", Some(24 * 3600)),
            ("0 0 0 1 1 * 2020", None),
        ] {
            assert_eq!(period_from(&schedule(expr), now), secs.map(Duration::from_secs), "{expr}");
        }
    }

    #[test]
    fn jitter_is_a_tenth_of_the_period_at_most_thirty_seconds() {
        assert_eq!(max_jitter(Some(Duration::from_secs(1))), Duration::from_millis(100));
        assert_eq!(max_jitter(Some(Duration::from_secs(120))), Duration::from_secs(12));
        assert_eq!(max_jitter(Some(Duration::from_secs(900))), Duration::from_secs(30));
        assert_eq!(max_jitter(None), Duration::from_secs(30));
        for _ in 0..100 {
            assert!(jitter(Duration::from_millis(100)) < Duration::from_millis(100));
        }
        assert_eq!(jitter(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn the_next_run_is_in_the_sources_zone() {
        let six_am = schedule("0 0 6 * * *");
        let now = utc("2024-11-28T08:31:00+07:00");
        let next = next_after(&six_am, now, &chrono_tz::Asia::Ho_Chi_Minh).unwrap();
        assert_eq!(next, utc("2024-11-29T06:00:00+07:00"));
        let next = next_after(&six_am, now, &Utc).unwrap();
        assert_eq!(next, utc("2024-11-28T06:00:00+00:00"));
    }

    #[test]
    fn a_long_run_counts_the_firings_it_skipped() {
        let quarter = schedule("0 */15 * * * *");
        let zone = chrono_tz::Asia::Ho_Chi_Minh;
        let started = utc("2024-11-28T08:30:00+07:00");
        for (finished, skipped) in [
            ("2024-11-28T08:30:40+07:00", 0),
            ("2024-11-28T08:45:00+07:00", 1),
            ("2024-11-28T09:20:00+07:00", 3),
        ] {
            assert_eq!(missed(&quarter, started, utc(finished), &zone), skipped, "{finished}");
        }
    }
}
