//! import layer (being built).
