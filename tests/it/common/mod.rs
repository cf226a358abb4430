//! Helpers shared by the integration tests. Each test file uses a part of
//! them, so the rest is unused there.
#![allow(dead_code)]

pub mod cli;
pub mod history;
pub mod import;
pub mod panel;
pub mod returns;
pub mod tmux;
