//! Invitations for presenters: one iCalendar file per child heard (the
//! presenter's slot) and one CSV for a mail merge.
//!
//! Each event's UID is stable (meeting date, child, panel), so a re-issue
//! replaces the entry already in the presenter's calendar; its SEQUENCE
//! rises with each issue (minutes since 2020), as RFC 5545 asks of updates.
//! Times are Europe/London wall-clock times with the zone's rules included.

use panel_core::text::document_text;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike};

use crate::model::Meeting;
use crate::rules::dates::{dmy, iso};
use crate::terms::Terms;

/// Europe/London since 1996 (EU rules): BST from the last Sunday of March
/// at 01:00 UTC to the last Sunday of October at 01:00 UTC.
const EUROPE_LONDON: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\nDTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\nDTSTART:19701025T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n";

pub const TZID: &str = "Europe/London";

/// One presenter's invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub child: String,
    /// Who presents: a role, with initials when known.
    pub presenter_role: String,
    pub presenter_initials: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub papers_due: chrono::NaiveDate,
}

/// The stable UID of a child's slot at a meeting.
pub fn uid(terms: &Terms, meeting: &Meeting, child: &str) -> String {
    format!(
        "{}-{}-{}@permanence-panel",
        terms.id,
        meeting.date.format("%Y%m%d"),
        child
    )
}

/// The calendar text of one invitation.
pub fn ics(
    terms: &Terms,
    meeting: &Meeting,
    invite: &Invitation,
    issued: NaiveDateTime,
) -> anyhow::Result<String> {
    let mut calendar = Calendar::new();
    let sequence = (issued
        - chrono::NaiveDate::from_ymd_opt(2020, 1, 1)
            .unwrap_or_default()
            .and_time(chrono::NaiveTime::MIN))
    .num_minutes()
    .max(0) as u32;
    let papers = terms
        .papers
        .required
        .iter()
        .map(|p| format!("- {p}"))
        .collect::<Vec<_>>()
        .join("\n");
    let event = Event::new()
        .uid(&document_text(&uid(terms, meeting, &invite.child)))
        .sequence(sequence)
        // A calendar's text may hold no control characters (RFC 5545);
        // icalendar escapes and folds the rest.
        .summary(&document_text(&format!(
            "{}: child {}",
            terms.short_name, invite.child
        )))
        .description(&document_text(&format!(
            "You are invited to present child {} to the {} at {}.\nPapers are due by {}:\n{}",
            invite.child,
            terms.name,
            invite.start.format("%H:%M on %A %d/%m/%Y"),
            invite.papers_due.format("%A %d/%m/%Y"),
            papers
        )))
        .starts(CalendarDateTime::WithTimezone {
            date_time: invite.start,
            tzid: TZID.to_owned(),
        })
        .ends(CalendarDateTime::WithTimezone {
            date_time: invite.end,
            tzid: TZID.to_owned(),
        })
        .done();
    calendar.push(event);
    // The zone's rules go before the event, as written above: the builder
    // would add properties (UID, DTSTAMP) that a VTIMEZONE must not carry.
    let text = calendar.done().to_string();
    Ok(text.replacen("BEGIN:VEVENT", &format!("{EUROPE_LONDON}BEGIN:VEVENT"), 1))
}

/// Writes one `.ics` per invitation and `invitations.csv`; returns the files.
pub fn write(
    terms: &Terms,
    meeting: &Meeting,
    invites: &[Invitation],
    dir: &Path,
    issued: NaiveDateTime,
) -> anyhow::Result<Vec<PathBuf>> {
    crate::files::create_private_dir(dir)?;
    let mut files = Vec::new();
    let csv_path = dir.join("invitations.csv");
    let mut csv = super::safe_csv::SafeCsv::new(crate::files::create_private(&csv_path)?);
    csv.write_record([
        "role",
        "initials",
        "child_id",
        "meeting_date",
        "slot_start",
        "slot_end",
        "papers_due",
        "ics_file",
    ])?;
    for invite in invites {
        let name = format!("{}-{}.ics", iso(meeting.date), invite.child);
        let path = crate::files::inside(dir, &name)?;
        crate::files::write_private(&path, ics(terms, meeting, invite, issued)?)?;
        csv.write_record([
            invite.presenter_role.as_str(),
            invite.presenter_initials.as_str(),
            invite.child.as_str(),
            &dmy(meeting.date),
            &invite.start.format("%H:%M").to_string(),
            &invite.end.format("%H:%M").to_string(),
            &dmy(invite.papers_due),
            name.as_str(),
        ])?;
        files.push(path);
    }
    csv.flush()
        .map_err(|e| crate::files::io_error(e, &csv_path))?;
    files.push(csv_path);
    Ok(files)
}

/// The slot of the `index`-th child heard (0-based).
pub fn slot(terms: &Terms, meeting: &Meeting, index: usize) -> (NaiveDateTime, NaiveDateTime) {
    let (from, to) = crate::rules::agenda::slot(meeting.start, terms.agenda.slot_minutes, index);
    (meeting.date.and_time(from), meeting.date.and_time(to))
}
