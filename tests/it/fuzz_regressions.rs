//! Replays the saved fuzz inputs in `fuzz/regressions/TARGET/` (every crash
//! the fuzzers found, plus a few seeds) through the fuzz targets' own
//! property checks, on stable: a fixed crash stays fixed without nightly
//! or libFuzzer. See the README's "Fuzzing" section.

#[path = "../../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

/// Runs `check` on every file of `fuzz/regressions/TARGET/`, naming the
/// file when one fails. At least one input is required, so a moved
/// directory cannot make the test pass by running nothing.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no saved inputs in {}", dir.display());
    for path in paths {
        let data = std::fs::read(&path).expect("a saved input");
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{} fails again", path.display());
    }
}

#[test]
fn csv903_inputs() {
    replay("csv903", checks::csv903);
}

#[test]
fn xml903_inputs() {
    replay("xml903", checks::xml903);
}

#[test]
fn deadline_inputs() {
    replay("deadline", checks::deadline);
}

#[test]
fn terms_inputs() {
    replay("terms", checks::terms);
}

#[test]
fn members_inputs() {
    replay("members", checks::members);
}

#[test]
fn plans_inputs() {
    replay("plans", checks::plans);
}

#[test]
fn tracker_inputs() {
    replay("tracker", checks::tracker);
}
