//! Command line (being built).

/// Runs the program; returns the process exit status.
pub fn main() -> i32 {
    0
}
