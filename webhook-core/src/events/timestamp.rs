//! The message `timestamp`, which Vapi sends as epoch milliseconds or as an
//! ISO-8601 string.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// When Vapi sent a message, in Unix epoch milliseconds.
///
/// Vapi sends a number of milliseconds (sometimes with a fraction) and some
/// events send an ISO-8601 string; both decode to the same value. A string
/// must carry its UTC offset (`Z` or `+01:00`), since without one the
/// instant is unknown. It serialises back as a number.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Timestamp {
    unix_ms: f64,
}

impl Timestamp {
    /// Builds a timestamp from Unix epoch milliseconds.
    pub fn from_unix_ms(unix_ms: f64) -> Self {
        Timestamp { unix_ms }
    }

    /// Returns the time in Unix epoch milliseconds.
    pub fn unix_ms(self) -> f64 {
        self.unix_ms
    }

    /// Returns the time as a [`SystemTime`](std::time::SystemTime), or `None`
    /// when it is not a finite number or the platform cannot represent it.
    pub fn to_system_time(self) -> Option<std::time::SystemTime> {
        if !self.unix_ms.is_finite() {
            return None;
        }
        // Whole milliseconds and the fraction apart, as in
        // `to_offset_date_time`, so the fraction is not rounded away.
        let distance = self.unix_ms.abs();
        let whole_ms = distance.trunc();
        if whole_ms >= u64::MAX as f64 {
            return None;
        }
        let fraction_ns = ((distance - whole_ms) * 1_000_000.0).round() as u64;
        let since_epoch = std::time::Duration::from_millis(whole_ms as u64)
            .checked_add(std::time::Duration::from_nanos(fraction_ns))?;
        if self.unix_ms >= 0.0 {
            std::time::SystemTime::UNIX_EPOCH.checked_add(since_epoch)
        } else {
            std::time::SystemTime::UNIX_EPOCH.checked_sub(since_epoch)
        }
    }

    /// Returns the time as an [`time::OffsetDateTime`] in UTC, or `None` when
    /// it is out of range. The major version of the `time` crate is part of
    /// this signature, so [`to_system_time`](Self::to_system_time) is the
    /// conversion that ties a caller to no crate.
    pub fn to_offset_date_time(self) -> Option<time::OffsetDateTime> {
        if !self.unix_ms.is_finite() {
            return None;
        }

        // Scaling the whole value to nanoseconds would round away the
        // sub-millisecond digits, so the fraction is scaled on its own.
        let whole_ms = self.unix_ms.floor();
        let fraction_ns = ((self.unix_ms - whole_ms) * 1_000_000.0).round();
        let nanos = (whole_ms as i128)
            .checked_mul(1_000_000)?
            .checked_add(fraction_ns as i128)?;
        time::OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.unix_ms.fract() == 0.0 && self.unix_ms.abs() < 9.0e15 {
            serializer.serialize_i64(self.unix_ms as i64)
        } else {
            serializer.serialize_f64(self.unix_ms)
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;

        impl serde::de::Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("epoch milliseconds or an ISO-8601 date-time string")
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Timestamp, E> {
                Ok(Timestamp::from_unix_ms(value as f64))
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Timestamp, E> {
                Ok(Timestamp::from_unix_ms(value as f64))
            }

            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Timestamp, E> {
                Ok(Timestamp::from_unix_ms(value))
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Timestamp, E> {
                use time::format_description::well_known::{Iso8601, Rfc3339};

                // RFC 3339 is what JavaScript's `toISOString` writes; the
                // wider ISO-8601 forms (`+0000`, no seconds, the basic
                // format without separators) are tried after it.
                let parsed = time::OffsetDateTime::parse(value, &Rfc3339)
                    .or_else(|_| time::OffsetDateTime::parse(value, &Iso8601::DEFAULT))
                    .map_err(|error| {
                        // Worded as serde's `invalid value`, so log lines
                        // leave the received text out.
                        E::custom(format_args!(
                            "invalid value: string {value:?}, expected epoch milliseconds or an ISO-8601 date-time with a UTC offset, such as `2026-01-01T00:00:00Z` ({error})"
                        ))
                    })?;
                Ok(Timestamp::from_unix_ms(unix_ms_of(parsed)))
            }
        }

        deserializer.deserialize_any(TimestampVisitor)
    }
}

/// Converts a date-time to epoch milliseconds.
///
/// The nanosecond count of a present-day date (about 1.8e18) does not fit an
/// `f64` mantissa, so dividing it would round the fraction differently from
/// a number sent as milliseconds. The whole milliseconds and the fraction
/// are converted separately instead.
fn unix_ms_of(date_time: time::OffsetDateTime) -> f64 {
    let nanos = date_time.unix_timestamp_nanos();
    let whole_ms = nanos.div_euclid(1_000_000);
    let fraction_ns = nanos.rem_euclid(1_000_000);
    whole_ms as f64 + fraction_ns as f64 / 1_000_000.0
}
