//! permanence-panel: runs a children's services permanence panel from a
//! local SQLite file. This crate is the app: the command line (`cli`) and the
//! terminal app (`tui`). The layers under it are crates of the workspace,
//! re-exported here under their module names so one path reaches each:
//! `model`, `terms`, `rules`, `clock` (panel-core: pure, no I/O), `store`
//! (panel-store: the only code that speaks SQL) and `import`, `export`,
//! `report`, `synth` (panel-io: every file format).

pub use panel_core::{clock, model, rules, terms};
pub use panel_io::{export, files, import, progress, report, synth};
pub use panel_store as store;

pub mod cli;
pub mod tui;
pub mod usecase;
