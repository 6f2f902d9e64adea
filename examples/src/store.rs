//! The example's SQLite file: end-of-call reports, so nothing is lost on
//! restart, and the orders and appointment slots its tools read and write.
//!
//! `rusqlite` calls block, so each query runs on tokio's blocking pool and
//! handlers never stall the async workers.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};

/// A failed storage operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite returned an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The blocking task running the query panicked or was cancelled.
    #[error("database task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// Another thread panicked while it held the connection.
    #[error("database connection is unusable after a panic")]
    Poisoned,
}

/// The connection, shared by every handler.
#[derive(Clone, Debug)]
pub struct Store {
    connection: Arc<Mutex<Connection>>,
}

/// One stored end-of-call report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallRecord {
    /// Vapi's call id (or chat id), or `None` when the report carried neither.
    pub call_id: Option<String>,
    /// The ended reason, as Vapi wrote it.
    pub ended_reason: Option<String>,
    /// Call length in seconds.
    pub duration_seconds: Option<f64>,
    /// Total cost in USD.
    pub cost_usd: Option<f64>,
    /// The call summary.
    pub summary: Option<String>,
    /// The whole transcript.
    pub transcript: Option<String>,
    /// The caller's number, stored in full (logs show it masked).
    pub customer_number: Option<String>,
}

/// An order as the `lookupOrder` tool returns it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// The order id, e.g. `ORD-1001`.
    pub order_id: String,
    /// `processing`, `shipped`, `delivered` or `cancelled`.
    pub status: String,
    /// Expected delivery date, `YYYY-MM-DD`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_delivery: Option<String>,
    /// The ordered items.
    pub items: String,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS call_reports (
    id               INTEGER PRIMARY KEY,
    call_id          TEXT UNIQUE,
    ended_reason     TEXT,
    duration_seconds REAL,
    cost_usd         REAL,
    summary          TEXT,
    transcript       TEXT,
    customer_number  TEXT,
    received_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE IF NOT EXISTS orders (
    order_id           TEXT PRIMARY KEY,
    status             TEXT NOT NULL,
    estimated_delivery TEXT,
    items              TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS appointment_slots (
    date        TEXT NOT NULL,
    time        TEXT NOT NULL,
    booked_by   TEXT,
    booked_call TEXT,
    PRIMARY KEY (date, time)
);
";

/// Demo rows, inserted once. A real deployment loads its own.
const SEED: &str = "
INSERT OR IGNORE INTO orders VALUES
    ('ORD-1001', 'shipped',    '2030-01-12', '1 x espresso machine'),
    ('ORD-1002', 'processing', NULL,         '2 x milk jug'),
    ('ORD-1003', 'delivered',  '2030-01-05', '1 x grinder');
INSERT OR IGNORE INTO appointment_slots (date, time, booked_by) VALUES
    ('2030-01-10', '09:00', NULL), ('2030-01-10', '11:00', 'seed'),
    ('2030-01-10', '14:00', NULL), ('2030-01-10', '16:00', NULL),
    ('2030-01-11', '09:00', 'seed'), ('2030-01-11', '11:00', 'seed'),
    ('2030-01-12', '10:00', NULL), ('2030-01-12', '15:00', NULL);
";

impl Store {
    /// Opens (or creates) the database file, creates missing tables and
    /// inserts the demo rows that are not there yet.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        // Well under the booking tool's 5 s timeout, so a locked database
        // fails the write before the tool times out, instead of the write
        // landing after the model received a timeout error.
        connection.busy_timeout(std::time::Duration::from_secs(2))?;
        connection.execute_batch(SCHEMA)?;
        add_booked_call_column(&connection)?;
        connection.execute_batch(SEED)?;
        Ok(Store {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    async fn run<T, F>(&self, query: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let connection = Arc::clone(&self.connection);
        tokio::task::spawn_blocking(move || {
            let guard = lock(&connection)?;
            query(&guard)
        })
        .await?
    }

    /// Stores a report. A later report for a call already stored updates
    /// the fields it carries and keeps the stored value of each field it
    /// lacks, so a sparser repeat does not erase the summary or transcript.
    pub async fn save_report(&self, record: CallRecord) -> Result<(), StoreError> {
        self.run(move |connection| {
            connection.execute(
                "INSERT INTO call_reports
                     (call_id, ended_reason, duration_seconds, cost_usd, summary, transcript, customer_number)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (call_id) DO UPDATE SET
                     ended_reason = COALESCE(excluded.ended_reason, ended_reason),
                     duration_seconds = COALESCE(excluded.duration_seconds, duration_seconds),
                     cost_usd = COALESCE(excluded.cost_usd, cost_usd),
                     summary = COALESCE(excluded.summary, summary),
                     transcript = COALESCE(excluded.transcript, transcript),
                     customer_number = COALESCE(excluded.customer_number, customer_number)",
                params![
                    record.call_id,
                    record.ended_reason,
                    record.duration_seconds,
                    record.cost_usd,
                    record.summary,
                    record.transcript,
                    record.customer_number,
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// Reads the stored report of one call.
    pub async fn report(&self, call_id: String) -> Result<Option<CallRecord>, StoreError> {
        self.run(move |connection| {
            let record = connection
                .query_row(
                    "SELECT call_id, ended_reason, duration_seconds, cost_usd, summary, transcript, customer_number
                     FROM call_reports WHERE call_id = ?1",
                    [call_id],
                    |row| {
                        Ok(CallRecord {
                            call_id: row.get(0)?,
                            ended_reason: row.get(1)?,
                            duration_seconds: row.get(2)?,
                            cost_usd: row.get(3)?,
                            summary: row.get(4)?,
                            transcript: row.get(5)?,
                            customer_number: row.get(6)?,
                        })
                    },
                )
                .optional()?;
            Ok(record)
        })
        .await
    }

    /// Finds an order by id.
    pub async fn order(&self, order_id: String) -> Result<Option<Order>, StoreError> {
        self.run(move |connection| {
            let order = connection
                .query_row(
                    "SELECT order_id, status, estimated_delivery, items FROM orders WHERE order_id = ?1",
                    [order_id],
                    |row| {
                        Ok(Order {
                            order_id: row.get(0)?,
                            status: row.get(1)?,
                            estimated_delivery: row.get(2)?,
                            items: row.get(3)?,
                        })
                    },
                )
                .optional()?;
            Ok(order)
        })
        .await
    }

    /// Lists the free appointment times of a date (`YYYY-MM-DD`), earliest
    /// first. A date with no slots at all is closed and lists none.
    pub async fn open_slots(&self, date: String) -> Result<Vec<String>, StoreError> {
        self.run(move |connection| {
            let mut statement = connection.prepare(
                "SELECT time FROM appointment_slots
                 WHERE date = ?1 AND booked_by IS NULL ORDER BY time",
            )?;
            let times = statement
                .query_map([date], |row| row.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok(times)
        })
        .await
    }

    /// Books a free slot for `name` as the tool call `tool_call_id`.
    ///
    /// A repeated delivery of the same tool call gets
    /// [`BookingOutcome::Booked`] again, so a retry does not report the
    /// caller's own slot as taken. One tool call books one slot: the same
    /// id sent with another slot gets [`BookingOutcome::CallBookedOther`]
    /// and books nothing.
    pub async fn book(
        &self,
        date: String,
        time: String,
        name: String,
        tool_call_id: String,
    ) -> Result<BookingOutcome, StoreError> {
        self.run(move |connection| {
            // The connection is held for the whole closure, so no other
            // booking runs between the look-up and the update.
            let earlier: Option<(String, String)> = connection
                .query_row(
                    "SELECT date, time FROM appointment_slots WHERE booked_call = ?1",
                    [&tool_call_id],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            if let Some((booked_date, booked_time)) = earlier {
                if booked_date != date || booked_time != time {
                    return Ok(BookingOutcome::CallBookedOther {
                        date: booked_date,
                        time: booked_time,
                    });
                }
            }

            let changed = connection.execute(
                "UPDATE appointment_slots SET booked_by = ?3, booked_call = ?4
                 WHERE date = ?1 AND time = ?2
                   AND (booked_by IS NULL OR booked_call = ?4)",
                params![date, time, name, tool_call_id],
            )?;
            Ok(if changed == 1 {
                BookingOutcome::Booked
            } else {
                BookingOutcome::NotFree
            })
        })
        .await
    }
}

/// The outcome of [`Store::book`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BookingOutcome {
    /// The slot is booked for this tool call, now or by an earlier delivery
    /// of it.
    Booked,
    /// The slot does not exist or another tool call has it.
    NotFree,
    /// This tool call id already booked another slot, which it keeps.
    CallBookedOther {
        /// The day it booked.
        date: String,
        /// The time it booked.
        time: String,
    },
}

/// Adds `appointment_slots.booked_call` to a database file made before the
/// column existed.
fn add_booked_call_column(connection: &Connection) -> Result<(), StoreError> {
    let present = connection
        .prepare("SELECT 1 FROM pragma_table_info('appointment_slots') WHERE name = 'booked_call'")?
        .exists([])?;
    if !present {
        connection.execute_batch("ALTER TABLE appointment_slots ADD COLUMN booked_call TEXT")?;
    }
    Ok(())
}

fn lock(connection: &Mutex<Connection>) -> Result<MutexGuard<'_, Connection>, StoreError> {
    connection.lock().map_err(|_| StoreError::Poisoned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temporary_store() -> (tempfile::TempDir, Store) {
        let folder = tempfile::tempdir().expect("temporary folder");
        let store = Store::open(&folder.path().join("calls.db")).expect("database opens");
        (folder, store)
    }

    #[tokio::test]
    async fn report_survives_reopen() {
        let (folder, store) = temporary_store();
        let record = CallRecord {
            call_id: Some("call-test-0001".into()),
            ended_reason: Some("customer-ended-call".into()),
            duration_seconds: Some(73.4),
            cost_usd: Some(0.11),
            summary: Some("Caller tested the line.".into()),
            transcript: Some("AI: Hello.".into()),
            customer_number: Some("+15555550106".into()),
        };
        store.save_report(record.clone()).await.unwrap();
        drop(store);

        let reopened = Store::open(&folder.path().join("calls.db")).unwrap();
        let stored = reopened.report("call-test-0001".into()).await.unwrap();

        assert_eq!(stored, Some(record));
    }

    #[tokio::test]
    async fn repeated_report_updates_given_fields() {
        let (_folder, store) = temporary_store();
        let mut record = CallRecord {
            call_id: Some("call-test-0002".into()),
            summary: Some("first".into()),
            ..CallRecord::default()
        };
        store.save_report(record.clone()).await.unwrap();
        record.summary = Some("second".into());
        store.save_report(record).await.unwrap();

        let stored = store
            .report("call-test-0002".into())
            .await
            .unwrap()
            .unwrap();

        assert_eq!(stored.summary.as_deref(), Some("second"));
    }

    #[tokio::test]
    async fn sparser_repeat_keeps_stored_fields() {
        let (_folder, store) = temporary_store();
        let full = CallRecord {
            call_id: Some("call-test-0003".into()),
            ended_reason: Some("customer-ended-call".into()),
            duration_seconds: Some(73.4),
            cost_usd: Some(0.11),
            summary: Some("Caller booked a visit.".into()),
            transcript: Some("AI: Hello.".into()),
            customer_number: Some("+15555550106".into()),
        };
        let sparse = CallRecord {
            call_id: Some("call-test-0003".into()),
            ended_reason: Some("assistant-ended-call".into()),
            ..CallRecord::default()
        };
        store.save_report(full.clone()).await.unwrap();
        store.save_report(sparse).await.unwrap();

        let stored = store
            .report("call-test-0003".into())
            .await
            .unwrap()
            .unwrap();

        assert_eq!(stored.ended_reason.as_deref(), Some("assistant-ended-call"));
        assert_eq!(stored.duration_seconds, full.duration_seconds);
        assert_eq!(stored.cost_usd, full.cost_usd);
        assert_eq!(stored.summary, full.summary);
        assert_eq!(stored.transcript, full.transcript);
        assert_eq!(stored.customer_number, full.customer_number);
    }

    #[tokio::test]
    async fn reports_without_call_id_are_all_kept() {
        let (_folder, store) = temporary_store();
        store.save_report(CallRecord::default()).await.unwrap();
        store.save_report(CallRecord::default()).await.unwrap();

        let count: i64 = store
            .run(|connection| {
                Ok(connection
                    .query_row("SELECT COUNT(*) FROM call_reports", [], |row| row.get(0))?)
            })
            .await
            .unwrap();

        assert_eq!(count, 2);
    }

    #[tokio::test]
    async fn booking_takes_the_slot_once() {
        let (_folder, store) = temporary_store();
        let before = store.open_slots("2030-01-10".into()).await.unwrap();
        assert_eq!(before, ["09:00", "14:00", "16:00"]);

        // Books 2030-01-10 at 09:00 for `name` as the tool call `call_id`.
        let book = |name: &str, call_id: &str| {
            store.book(
                "2030-01-10".into(),
                "09:00".into(),
                name.into(),
                call_id.into(),
            )
        };
        let first = book("Ada", "call_A").await.unwrap();
        let repeated = book("Ada", "call_A").await.unwrap();
        let second = book("Bob", "call_B").await.unwrap();

        assert_eq!(first, BookingOutcome::Booked);
        assert_eq!(
            repeated,
            BookingOutcome::Booked,
            "the same tool call sent again keeps its booking"
        );
        assert_eq!(second, BookingOutcome::NotFree);
        let after = store.open_slots("2030-01-10".into()).await.unwrap();
        assert_eq!(after, ["14:00", "16:00"]);
    }

    #[tokio::test]
    async fn one_tool_call_books_one_slot() {
        let (_folder, store) = temporary_store();
        let book = |time: &str| {
            store.book(
                "2030-01-10".into(),
                time.into(),
                "Ada".into(),
                "call_A".into(),
            )
        };

        assert_eq!(book("09:00").await.unwrap(), BookingOutcome::Booked);
        assert_eq!(
            book("14:00").await.unwrap(),
            BookingOutcome::CallBookedOther {
                date: "2030-01-10".into(),
                time: "09:00".into(),
            }
        );
        let after = store.open_slots("2030-01-10".into()).await.unwrap();
        assert_eq!(after, ["14:00", "16:00"], "14:00 stays free");

        // The same time on another day is another slot too.
        let other_day = store
            .book(
                "2030-01-12".into(),
                "09:00".into(),
                "Ada".into(),
                "call_A".into(),
            )
            .await
            .unwrap();
        assert_eq!(
            other_day,
            BookingOutcome::CallBookedOther {
                date: "2030-01-10".into(),
                time: "09:00".into(),
            }
        );
    }

    #[tokio::test]
    async fn old_database_gains_booked_call() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("calls.db");
        {
            let connection = Connection::open(&path).unwrap();
            connection
                .execute_batch(
                    "CREATE TABLE appointment_slots (
                         date TEXT NOT NULL, time TEXT NOT NULL, booked_by TEXT,
                         PRIMARY KEY (date, time));
                     INSERT INTO appointment_slots VALUES ('2030-01-10', '09:00', NULL);",
                )
                .unwrap();
        }

        let store = Store::open(&path).expect("an old file opens");
        let booked = store
            .book(
                "2030-01-10".into(),
                "09:00".into(),
                "Ada".into(),
                "call_A".into(),
            )
            .await
            .unwrap();
        assert_eq!(booked, BookingOutcome::Booked);
    }

    #[tokio::test]
    async fn unknown_order_is_none() {
        let (_folder, store) = temporary_store();

        assert!(store.order("ORD-9999".into()).await.unwrap().is_none());
        let known = store.order("ORD-1001".into()).await.unwrap().unwrap();
        assert_eq!(known.status, "shipped");
    }
}
