//! How far a long job has got, for a screen to show while it runs on
//! another thread: the job says what it is doing and how many of its steps
//! are done; the screen reads it between frames.

use std::sync::{Arc, Mutex, PoisonError};

/// Where a job stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Step {
    /// What it is doing now, in words ("reading 2023-24/Episodes.csv").
    pub doing: String,
    pub done: u64,
    /// How many steps there are (0: not known yet).
    pub of: u64,
}

/// A shared view of a job's progress. Cloning shares it.
#[derive(Clone, Default)]
pub struct Watch(Arc<Mutex<Inner>>);

#[derive(Default)]
struct Inner {
    step: Step,
    /// A progress bar the job keeps itself (an import's), read when asked.
    bar: Option<indicatif::ProgressBar>,
}

impl Watch {
    pub fn new() -> Watch {
        Watch::default()
    }

    /// The job says where it stands.
    pub fn set(&self, doing: impl Into<String>, done: u64, of: u64) {
        let mut inner = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        inner.step = Step {
            doing: doing.into(),
            done,
            of,
        };
        inner.bar = None;
    }

    /// Where the job stands now.
    pub fn now(&self) -> Step {
        let inner = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match &inner.bar {
            Some(bar) => Step {
                doing: bar.message(),
                done: bar.position(),
                of: bar.length().unwrap_or(0),
            },
            None => inner.step.clone(),
        }
    }

    /// Follows a progress bar the job keeps (hidden or on a terminal).
    pub(crate) fn follow(&self, bar: &indicatif::ProgressBar) {
        let mut inner = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        inner.bar = Some(bar.clone());
    }
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Watch").field(&self.now()).finish()
    }
}

/// Two watches are the same when they watch the same job.
impl PartialEq for Watch {
    fn eq(&self, other: &Watch) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Watch {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watch_reads_what_the_job_said_or_its_bar() {
        let watch = Watch::new();
        let shared = watch.clone();
        shared.set("writing the tracker", 1, 3);
        assert_eq!(
            watch.now(),
            Step {
                doing: "writing the tracker".into(),
                done: 1,
                of: 3
            }
        );
        let bar = indicatif::ProgressBar::hidden();
        bar.set_length(5);
        shared.follow(&bar);
        bar.inc(2);
        bar.set_message("reading Episodes.csv");
        assert_eq!(watch.now().done, 2);
        assert_eq!(watch.now().of, 5);
        assert_eq!(watch.now().doing, "reading Episodes.csv");
        assert_eq!(watch, shared);
        assert_ne!(watch, Watch::new());
    }
}
