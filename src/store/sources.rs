//! Each source's health: last success, last error, and how many runs in a row have failed, so a
//! dead site is visible (health endpoint, logs) while its last good items stay published.

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, params};

use super::{SourceStatus, Store, StoreError, parse_date, rfc3339};

/// A success resets the failure streak but keeps the last error for the record.
const RECORD_SUCCESS: &str = "
INSERT INTO sources (id, last_success, consecutive_failures) VALUES (?1, ?2, 0)
ON CONFLICT (id) DO UPDATE SET last_success = excluded.last_success, consecutive_failures = 0";

const RECORD_FAILURE: &str = "
INSERT INTO sources (id, last_error, last_error_at, consecutive_failures) VALUES (?1, ?2, ?3, 1)
ON CONFLICT (id) DO UPDATE SET last_error = excluded.last_error,
                               last_error_at = excluded.last_error_at,
                               consecutive_failures = consecutive_failures + 1";

const STATUS: &str = "
SELECT last_success, last_error, last_error_at, consecutive_failures FROM sources WHERE id = ?1";

impl Store {
    /// Records a successful run: `last_success = at`, failure streak back to 0.
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

    /// The source's health, or `None` if it never ran.
    pub fn source_status(&self, source_id: &str) -> Result<Option<SourceStatus>, StoreError> {
        type Row = (Option<String>, Option<String>, Option<String>, i64);
        let row: Option<Row> = self
            .conn
            .prepare_cached(STATUS)?
            .query_row([source_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
            .optional()?;
        let Some((last_success, last_error, last_error_at, failures)) = row else {
            return Ok(None);
        };
        let date =
            |text: Option<String>, column| text.map(|text| parse_date(&text, source_id, column)).transpose();
        Ok(Some(SourceStatus {
            last_success: date(last_success, "last_success")?,
            last_error,
            last_error_at: date(last_error_at, "last_error_at")?,
            consecutive_failures: u32::try_from(failures.max(0)).unwrap_or(u32::MAX),
        }))
    }
}
