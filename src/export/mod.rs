//! Files that leave the room: one module per format.

pub mod actions;
pub mod invites;
pub mod members_csv;
pub mod minutes;
pub mod minutes_docx;
pub mod minutes_md;
pub mod subject_access;
pub mod tracker_xlsx;
