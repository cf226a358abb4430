//! Every file format the panel reads or writes: `import` (one module per
//! format), `export` (one module per format), `report` (the periodic reports
//! the terms of reference ask for) and `synth` (synthetic returns from a seed).

// The lower layers, reachable as `crate::model`, `crate::store` and so on.
use panel_core::{model, rules, terms};
use panel_store as store;

pub mod export;
pub mod files;
pub mod import;
pub mod progress;
pub mod report;
pub mod synth;
