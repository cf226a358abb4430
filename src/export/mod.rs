//! export layer (being built).
