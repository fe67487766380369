//! What is worth trying again, and when: exponential backoff with jitter, or the server's own
//! `Retry-After`.

use std::time::{Duration, SystemTime};

/// The wait before retry number `attempt` (0 for the first retry): `base` × 2^attempt, with
/// "equal jitter" (half fixed, half random) so many sources failing together do not retry in step.
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    let full = base.saturating_mul(1u32 << attempt.min(16));
    let half = full / 2;
    half + half.mul_f64(fastrand::f64())
}

/// `Retry-After` as seconds (`120`) or an HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`), relative to
/// `now`. A date in the past means "now"; garbage means the header is ignored.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_stays_within_its_jitter_band() {
        let base = Duration::from_millis(100);
        for attempt in 0..5 {
            let full = base * (1 << attempt);
            for _ in 0..50 {
                let wait = backoff(base, attempt);
                assert!(
                    wait >= full / 2 && wait <= full,
                    "attempt {attempt}: {wait:?} outside {full:?}/2..{full:?}"
                );
            }
        }
        // a huge attempt number neither overflows nor panics
        assert!(backoff(Duration::from_secs(1), 1000) >= Duration::from_secs(1 << 15));
    }

    #[test]
    fn retry_after_as_seconds_or_http_date() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2026 07:28:00 GMT").unwrap();
        let cases: &[(&str, Option<Duration>)] = &[
            ("120", Some(Duration::from_secs(120))),
            (" 0 ", Some(Duration::ZERO)),
            ("Wed, 21 Oct 2026 07:30:00 GMT", Some(Duration::from_secs(120))),
            ("Wed, 21 Oct 2026 07:00:00 GMT", Some(Duration::ZERO)),
            ("-5", None),
            ("sau 5 phút", None),
            ("", None),
        ];
        for (header, expected) in cases {
            assert_eq!(parse_retry_after(header, now), *expected, "{header:?}");
        }
    }
}
