//! The keys that shape fetching: timeouts, body cap, retries, politeness per host, backoff of a
//! failing source (`[site]`), and what one source may override (`[[sources]]`).

use std::time::Duration;

use toml::Spanned;

use super::duration;
use super::error::Diagnostics;
use super::raw::{RawSite, RawSource};
use crate::fetch::{Policy, Settings};

pub const DEFAULT_BACKOFF_AFTER: u32 = 3;
pub const DEFAULT_BACKOFF_MAX_RUNS: u32 = 16;

/// When a failing source starts skipping runs, and how many it skips at most.
///
/// After `after` failures in a row it skips 1 run, then 2, 4, 8 … up to `max_runs`, and is
/// back to every run after its first success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub after: u32,
    pub max_runs: u32,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff { after: DEFAULT_BACKOFF_AFTER, max_runs: DEFAULT_BACKOFF_MAX_RUNS }
    }
}

impl Backoff {
    /// The runs to skip after `failures` failures in a row.
    pub fn runs_to_skip(&self, failures: u32) -> u32 {
        if failures < self.after {
            return 0;
        }
        let doublings = (failures - self.after).min(31);
        (1u32 << doublings).min(self.max_runs)
    }
}

/// The `[site]` fetch keys; `None` after reporting an error.
pub(super) fn site_settings(
    raw: &RawSite,
    user_agent: &str,
    diag: &mut Diagnostics,
) -> Option<(Settings, Backoff)> {
    let d = Settings::default();
    let connect_timeout = duration(raw.connect_timeout.as_ref(), d.connect_timeout, true, diag);
    let header_timeout = duration(raw.header_timeout.as_ref(), d.header_timeout, true, diag);
    let total_timeout = duration(raw.timeout.as_ref(), d.total_timeout, true, diag);
    let max_body_bytes = whole(raw.max_body_bytes.as_ref(), d.max_body_bytes as i64, 1024, 1 << 30, diag);
    let retries = whole(raw.retries.as_ref(), i64::from(d.retries), 0, 10, diag);
    let retry_delay = duration(raw.retry_delay.as_ref(), d.retry_delay, false, diag);
    let max_retry_wait = duration(raw.max_retry_wait.as_ref(), d.max_retry_wait, false, diag);
    let host_concurrency = whole(raw.host_concurrency.as_ref(), d.host_concurrency as i64, 1, 64, diag);
    let host_delay = duration(raw.host_delay.as_ref(), d.host_delay, false, diag);
    let after = whole(raw.backoff_after.as_ref(), i64::from(DEFAULT_BACKOFF_AFTER), 1, 1000, diag);
    let max_runs = whole(raw.backoff_max_runs.as_ref(), i64::from(DEFAULT_BACKOFF_MAX_RUNS), 1, 10_000, diag);
    let settings = Settings {
        user_agent: user_agent.to_string(),
        connect_timeout: connect_timeout?,
        header_timeout: header_timeout?,
        total_timeout: total_timeout?,
        max_body_bytes: max_body_bytes? as usize,
        retries: retries? as u32,
        retry_delay: retry_delay?,
        max_retry_wait: max_retry_wait?,
        host_concurrency: host_concurrency? as usize,
        host_delay: host_delay?,
    };
    Some((settings, Backoff { after: after? as u32, max_runs: max_runs? as u32 }))
}

/// A source's own fetch keys and its re-fetch interval; `None` after reporting an error.
pub(super) fn source_policy(raw: &RawSource, diag: &mut Diagnostics) -> Option<(Policy, Option<Duration>)> {
    let user_agent = match &raw.user_agent {
        Some(ua) if is_header_value(ua.get_ref()) => Some(Some(ua.get_ref().trim().to_string())),
        Some(ua) => {
            diag.error(
                Some(ua.span()),
                format!(
                    "invalid value `{}`, expected a User-Agent of printable ASCII such as `tinfeed/0.1 (+https://example.vn/)`",
                    ua.get_ref()
                ),
            );
            None
        }
        None => Some(None),
    };
    let max_body_bytes = match &raw.max_body_bytes {
        Some(v) => whole(Some(v), 0, 1024, 1 << 30, diag).map(|n| Some(n as usize)),
        None => Some(None),
    };
    let refetch = match &raw.refetch_interval {
        Some(v) => duration(Some(v), Duration::ZERO, false, diag).map(Some),
        None => Some(None),
    };
    let policy = Policy {
        user_agent: user_agent?,
        robots: raw.robots.unwrap_or(true),
        max_body_bytes: max_body_bytes?,
    };
    Some((policy, refetch?))
}

fn duration(
    value: Option<&Spanned<String>>,
    default: Duration,
    nonzero: bool,
    diag: &mut Diagnostics,
) -> Option<Duration> {
    let Some(value) = value else { return Some(default) };
    match duration::parse(value.get_ref()) {
        Ok(d) if nonzero && d.is_zero() => {
            diag.error(
                Some(value.span()),
                format!("invalid duration `{}`, expected more than zero", value.get_ref()),
            );
            None
        }
        Ok(d) => Some(d),
        Err(message) => {
            diag.error(Some(value.span()), message);
            None
        }
    }
}

fn whole(
    value: Option<&Spanned<i64>>,
    default: i64,
    min: i64,
    max: i64,
    diag: &mut Diagnostics,
) -> Option<i64> {
    match value {
        None => Some(default),
        Some(v) if (min..=max).contains(v.get_ref()) => Some(*v.get_ref()),
        Some(v) => {
            diag.error(
                Some(v.span()),
                format!("invalid value `{}`, expected a whole number from {min} to {max}", v.get_ref()),
            );
            None
        }
    }
}

fn is_header_value(text: &str) -> bool {
    !text.trim().is_empty() && text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_double_from_the_threshold_up_to_the_cap() {
        let backoff = Backoff { after: 3, max_runs: 16 };
        let skips: Vec<u32> = (0..=10).map(|failures| backoff.runs_to_skip(failures)).collect();
        assert_eq!(skips, [0, 0, 0, 1, 2, 4, 8, 16, 16, 16, 16]);
        assert_eq!(backoff.runs_to_skip(u32::MAX), 16, "no overflow");
        assert_eq!(Backoff { after: 1, max_runs: 5 }.runs_to_skip(1), 1);
    }
}
