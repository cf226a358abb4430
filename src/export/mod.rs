//! Files that leave the room: one module per format.

pub mod minutes_md;
