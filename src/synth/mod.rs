//! synth layer (being built).
