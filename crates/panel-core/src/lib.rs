//! The core of permanence-panel: plain data (`model`), a panel's terms of
//! reference (`terms`), the rules as pure functions at an injected date
//! (`rules`) and where "now" comes from (`clock`). No I/O and no C, so it
//! builds and tests in seconds.

pub mod clock;
pub mod model;
pub mod rules;
pub mod terms;
pub mod text;
