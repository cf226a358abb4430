//! The membership as CSV, both ways: `members export` writes it, `members
//! import` reads it back (after the administrator edits it in Excel).
//!
//! Columns: `id,role,job_title,name,kind,substitute_for,start,end`. A blank
//! `id` adds a member; a known id updates that member. Dates dd/mm/yyyy (or
//! yyyy-mm-dd). `kind` is standing, adviser or presenter; `substitute_for` is
//! the role id the person deputises for.

use std::io::Write;

use chrono::NaiveDate;

use crate::model::Member;

/// The header `members export` writes and `members import` reads.
pub const COLUMNS: [&str; 8] = [
    "id",
    "role",
    "job_title",
    "name",
    "kind",
    "substitute_for",
    "start",
    "end",
];

/// Writes the members as CSV.
pub fn write(members: &[Member], out: &mut dyn Write) -> anyhow::Result<()> {
    let mut w = super::safe_csv::SafeCsv::new(out);
    w.write_record(COLUMNS)?;
    let dmy = |d: Option<NaiveDate>| {
        d.map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default()
    };
    for m in members {
        w.write_record([
            m.id.to_string(),
            m.role.clone(),
            m.job_title.clone(),
            m.name.clone().unwrap_or_default(),
            m.kind.id().to_owned(),
            m.substitute_for.clone().unwrap_or_default(),
            dmy(m.start),
            dmy(m.end),
        ])?;
    }
    w.flush()?;
    Ok(())
}
