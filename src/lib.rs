//! permanence-panel: runs a children's services permanence panel from a
//! local SQLite file. Layers: `model` (plain data), `terms` (a panel's terms
//! of reference), `rules` (pure functions at a date), `store` (the only code
//! that speaks SQL), `import` / `export` (one module per format), `report` (the periodic
//! reports the terms of reference ask for), `synth`
//! (synthetic data from a seed), `tui` (the live meeting) and `cli`.

pub mod cli;
pub mod clock;
pub mod export;
pub mod import;
pub mod model;
pub mod report;
pub mod rules;
pub mod store;
pub mod synth;
pub mod terms;
pub mod tui;
