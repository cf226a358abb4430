//! The fuzz targets' properties; `checks.rs` is shared with the stable
//! replay test `tests/it/fuzz_regressions.rs`.

pub mod checks;
