//! What the panel does, written once for both front ends: the command line
//! and the terminal app (and the demo) call these, never the store directly
//! for the same job. Each is tested here on an in-memory store.

pub mod actions;
pub mod agenda;
pub mod decisions;
pub mod files;
pub mod fostering;
pub mod interests;
pub mod meetings;
pub mod papers;
pub mod referrals;
pub mod returns;
