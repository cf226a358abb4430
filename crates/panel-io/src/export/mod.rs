//! Files that leave the room: one module per format.

pub mod actions;
pub mod docx_finish;
pub mod invites;
pub mod members_csv;
pub mod minutes;
pub mod minutes_docx;
pub mod minutes_md;
pub mod print;
pub mod safe_csv;
pub mod subject_access;
pub mod tracker_xlsx;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::ExcelDateTime;

/// `d` as a real Excel date, so a spreadsheet sorts and filters it as one;
/// shared by every workbook this module writes.
pub(crate) fn excel_date(d: NaiveDate) -> anyhow::Result<ExcelDateTime> {
    let year =
        u16::try_from(d.year()).map_err(|_| anyhow::anyhow!("{d}: a year Excel cannot hold"))?;
    // Month and day come from a valid date, so they fit in a u8.
    Ok(ExcelDateTime::from_ymd(
        year,
        d.month() as u8,
        d.day() as u8,
    )?)
}
