//! Each source's health: last success, last error (and its class), how many runs in a row have
//! failed, and its backoff, so a dead site is visible (health endpoint, logs) and left alone for
//! a while, while its last good items stay published.

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, params};

use super::{SourceStatus, Store, StoreError, parse_date, rfc3339};

/// A success resets the failure streak and any backoff but keeps the last error for the record.
const RECORD_SUCCESS: &str = "
INSERT INTO sources (id, last_success, consecutive_failures) VALUES (?1, ?2, 0)
ON CONFLICT (id) DO UPDATE SET last_success = excluded.last_success, consecutive_failures = 0,
                               skip_runs = 0, not_before = NULL";

const RECORD_FAILURE: &str = "
INSERT INTO sources (id, last_error, last_error_at, consecutive_failures) VALUES (?1, ?2, ?3, 1)
ON CONFLICT (id) DO UPDATE SET last_error = excluded.last_error,
                               last_error_at = excluded.last_error_at,
                               consecutive_failures = consecutive_failures + 1";

const SET_BACKOFF: &str = "
UPDATE sources SET last_error_class = ?2, skip_runs = ?3, not_before = ?4 WHERE id = ?1";

const SKIP_ONE: &str = "UPDATE sources SET skip_runs = max(skip_runs - 1, 0) WHERE id = ?1";

const STATUS: &str = "
SELECT last_success, last_error, last_error_at, consecutive_failures, last_error_class, skip_runs,
       not_before
FROM sources WHERE id = ?1";

impl Store {
    /// Records a successful run: `last_success = at`, failure streak and backoff back to 0.
    pub fn record_success(&mut self, source_id: &str, at: DateTime<FixedOffset>) -> Result<(), StoreError> {
        self.conn.prepare_cached(RECORD_SUCCESS)?.execute(params![source_id, rfc3339(at)])?;
        Ok(())
    }

    /// Records a failed run: its error and time, and one more failure in the streak.
    pub fn record_failure(
        &mut self,
        source_id: &str,
        at: DateTime<FixedOffset>,
        error: &str,
    ) -> Result<(), StoreError> {
        self.conn.prepare_cached(RECORD_FAILURE)?.execute(params![source_id, error, rfc3339(at)])?;
        Ok(())
    }

    /// After a failure: the error's class, the runs to skip, and the time before which the
    /// source must not be tried (a server's `Retry-After`).
    pub fn set_backoff(
        &mut self,
        source_id: &str,
        class: &str,
        skip_runs: u32,
        not_before: Option<DateTime<FixedOffset>>,
    ) -> Result<(), StoreError> {
        self.conn.prepare_cached(SET_BACKOFF)?.execute(params![
            source_id,
            class,
            skip_runs,
            not_before.map(rfc3339)
        ])?;
        Ok(())
    }

    /// A run skipped for backoff: one run fewer to skip.
    pub fn record_skip(&mut self, source_id: &str) -> Result<(), StoreError> {
        self.conn.prepare_cached(SKIP_ONE)?.execute([source_id])?;
        Ok(())
    }

    /// The source's health, or `None` if it never ran.
    pub fn source_status(&self, source_id: &str) -> Result<Option<SourceStatus>, StoreError> {
        type Row = (Option<String>, Option<String>, Option<String>, i64, Option<String>, i64, Option<String>);
        let row: Option<Row> = self
            .conn
            .prepare_cached(STATUS)?
            .query_row([source_id], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                ))
            })
            .optional()?;
        let Some((last_success, last_error, last_error_at, failures, class, skip_runs, not_before)) = row
        else {
            return Ok(None);
        };
        let date =
            |text: Option<String>, column| text.map(|text| parse_date(&text, source_id, column)).transpose();
        let count = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
        Ok(Some(SourceStatus {
            last_success: date(last_success, "last_success")?,
            last_error,
            last_error_at: date(last_error_at, "last_error_at")?,
            consecutive_failures: count(failures),
            last_error_class: class,
            skip_runs: count(skip_runs),
            not_before: date(not_before, "not_before")?,
        }))
    }
}
