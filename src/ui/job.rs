//! Long work off the keyboard path: a screen starts a [`Job`] on its own
//! thread and polls it on every tick, so the screen keeps drawing (e.g. a
//! progress bar) and typed keys are not lost while a batch runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;

use crate::core::error::{KisError, Result};

/// Progress reported by a running job: `done` of `total`.
#[derive(Clone, Default)]
pub struct Progress {
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
}

impl Progress {
    pub fn set(&self, done: usize, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done, Ordering::Relaxed);
    }

    pub fn get(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

pub struct Job<T> {
    handle: Option<JoinHandle<Result<T>>>,
    progress: Progress,
}

impl<T: Send + 'static> Job<T> {
    /// Run `work` on its own thread; it reports progress through the handle.
    pub fn spawn(work: impl FnOnce(&Progress) -> Result<T> + Send + 'static) -> Job<T> {
        let progress = Progress::default();
        let p = progress.clone();
        let handle = std::thread::spawn(move || work(&p));
        Job {
            handle: Some(handle),
            progress,
        }
    }

    pub fn progress(&self) -> (usize, usize) {
        self.progress.get()
    }

    pub fn is_running(&self) -> bool {
        self.handle.as_ref().is_some_and(|h| !h.is_finished())
    }

    /// The result once the work is done (exactly once), else `None`.
    pub fn try_finish(&mut self) -> Option<Result<T>> {
        if self.is_running() {
            return None;
        }
        let handle = self.handle.take()?;
        Some(handle.join().unwrap_or_else(|_| {
            Err(KisError::System(
                "Die Verarbeitung ist abgebrochen; es wurde nichts gespeichert.".into(),
            ))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_reports_progress_and_its_result_once() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let mut job = Job::spawn(move |p| {
            p.set(1, 2);
            rx.recv().map_err(|e| KisError::System(e.to_string()))?;
            p.set(2, 2);
            Ok(42)
        });
        while job.progress() != (1, 2) {
            std::thread::yield_now();
        }
        assert!(job.try_finish().is_none());
        tx.send(()).unwrap();
        let result = loop {
            if let Some(r) = job.try_finish() {
                break r;
            }
            std::thread::yield_now();
        };
        assert_eq!(result.unwrap(), 42);
        assert_eq!(job.progress(), (2, 2));
        assert!(job.try_finish().is_none());
    }

    #[test]
    fn a_panicking_job_becomes_an_error() {
        let mut job: Job<()> = Job::spawn(|_| panic!("boom"));
        let r = loop {
            if let Some(r) = job.try_finish() {
                break r;
            }
            std::thread::yield_now();
        };
        assert!(r.unwrap_err().to_string().contains("nichts gespeichert"));
    }
}
