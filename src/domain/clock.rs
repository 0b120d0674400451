//! Time as a parameter: the server asks its `Clock`, tests move a `ManualClock`.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDateTime, Utc};

pub trait Clock: Send + Sync + 'static {
    /// Now, truncated to microseconds (what both databases store).
    fn now(&self) -> DateTime<Utc>;
}

fn truncate_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        truncate_micros(Utc::now())
    }
}

/// The system clock shifted by an offset that tests can change.
#[derive(Debug, Default)]
pub struct ManualClock {
    offset_micros: AtomicI64,
}

impl ManualClock {
    pub fn advance(&self, by: chrono::Duration) {
        self.offset_micros
            .fetch_add(by.num_microseconds().unwrap_or(i64::MAX), Ordering::SeqCst);
    }

    /// Moves the clock to an absolute time.
    pub fn set(&self, at: DateTime<Utc>) {
        let offset = at.timestamp_micros() - Utc::now().timestamp_micros();
        self.offset_micros.store(offset, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        let shifted =
            Utc::now() + chrono::Duration::microseconds(self.offset_micros.load(Ordering::SeqCst));
        truncate_micros(shifted)
    }
}

/// Database timestamps are UTC without a zone.
pub fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

/// RFC 3339 UTC with microseconds, the form of every timestamp the API returns.
pub fn rfc3339(t: NaiveDateTime) -> String {
    // The same text as `format("%Y-%m-%dT%H:%M:%S%.6fZ")` (always six digits and `Z`; the audit
    // chain hashes it), without parsing a format string on every call (it showed in the verify
    // profile).
    t.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_is_the_audit_chains_format() {
        for (secs, nanos) in [
            (0, 0),
            (1_764_000_000, 1_000),
            (1_764_000_059, 999_999_999),
            (4_102_444_800, 123_456_000),
        ] {
            let t = chrono::DateTime::from_timestamp(secs, nanos)
                .expect("valid")
                .naive_utc();
            assert_eq!(
                rfc3339(t),
                t.and_utc().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
            );
        }
    }

    #[test]
    fn manual_clock_moves() {
        let clock = ManualClock::default();
        let before = clock.now();
        clock.advance(chrono::Duration::seconds(90));
        assert!(clock.now() - before >= chrono::Duration::seconds(90));
    }

    #[test]
    fn rfc3339_has_micros_and_z() {
        let t = DateTime::from_timestamp_micros(1_700_000_000_123_456)
            .expect("valid")
            .naive_utc();
        assert_eq!(rfc3339(t), "2023-11-14T22:13:20.123456Z");
    }
}
