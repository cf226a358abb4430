//! Pure functions over the model and the terms at an injected date: cohorts,
//! quorum, the review timetable and drift flags. No I/O.

pub mod quorum;
