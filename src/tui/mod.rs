//! tui layer (being built).
