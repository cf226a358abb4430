//! Pure functions over the model and the terms at an injected date: cohorts,
//! quorum, the review timetable and drift flags. No I/O.

pub mod agenda;
pub mod blocks;
pub mod calendar;
pub mod care;
pub mod check;
pub mod cohorts;
pub mod dates;
pub mod deadline;
pub mod duration;
pub mod flags;
pub mod meetings;
pub mod members;
pub mod papers;
pub mod quorum;
pub mod returns;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
pub mod timetable;
