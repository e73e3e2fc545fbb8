//! The injected clock: services never read the system time directly, so
//! tests and demos can run on any date.

use std::sync::Mutex;

use chrono::{Local, NaiveDate, NaiveDateTime};

pub trait Clock: Send + Sync {
    fn now(&self) -> NaiveDateTime;

    fn today(&self) -> NaiveDate {
        self.now().date()
    }
}

/// The local wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        Local::now().naive_local()
    }
}

/// A clock that stands still until it is set (tests, `KIS_HEUTE`).
pub struct FixedClock(Mutex<NaiveDateTime>);

impl FixedClock {
    pub fn new(at: NaiveDateTime) -> Self {
        FixedClock(Mutex::new(at))
    }

    /// A clock at 09:00 of the given day.
    pub fn on(day: NaiveDate) -> Self {
        FixedClock::new(day.and_hms_opt(9, 0, 0).unwrap_or_default())
    }

    pub fn set(&self, at: NaiveDateTime) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *t += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> NaiveDateTime {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A working date for the whole process: the day set in `KIS_HEUTE`
/// (`TT.MM.JJJJ` or ISO) keeps the wall-clock time but that date.
pub struct WorkingDayClock {
    pub day: NaiveDate,
}

impl Clock for WorkingDayClock {
    fn now(&self) -> NaiveDateTime {
        self.day.and_time(Local::now().naive_local().time())
    }
}
