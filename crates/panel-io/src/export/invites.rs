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
    /// The child's allocated social worker on the meeting's day, by the
    /// identifier the return gives (SWEpisodes `SW_ID`), when held.
    pub social_worker: Option<String>,
}

/// What every invitation of a meeting shares: where, and who organises it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvitationSetting {
    /// Where the panel meets (the panel's `place` detail), when set.
    pub location: Option<String>,
    /// The panel administrator's mailbox, when set: the organiser. The
    /// presets hold none, so an invitation then has no organiser line.
    pub organiser: Option<String>,
}

/// The child's allocated social worker on `day`: the SWEpisodes row
/// (`CHILD, DOB, SW_ID, SW_DECOM, SW_DEC, SW_REASON`) begun by then and not
/// ended before it, the latest begun if several.
pub fn allocated_social_worker(
    extras: &[crate::store::ExtraRow],
    day: chrono::NaiveDate,
) -> Option<String> {
    use crate::rules::dates::parse_dmy;
    extras
        .iter()
        .filter(|e| e.table == "SWEpisodes")
        .filter_map(|e| {
            let id = e.fields.get(2)?.trim();
            let from = parse_dmy(e.fields.get(3)?)?;
            let to = e.fields.get(4).and_then(|t| parse_dmy(t));
            (!id.is_empty() && from <= day && to.is_none_or(|t| t >= day))
                .then(|| (from, id.to_owned()))
        })
        .max()
        .map(|(_, id)| id)
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
    setting: &InvitationSetting,
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
    let social_worker = invite
        .social_worker
        .as_ref()
        .map(|sw| format!("\nThe child's allocated social worker: {sw}."))
        .unwrap_or_default();
    let mut event = Event::new()
        .uid(&document_text(&uid(terms, meeting, &invite.child)))
        .sequence(sequence)
        // A calendar's text may hold no control characters (RFC 5545);
        // icalendar escapes and folds the rest.
        .summary(&document_text(&format!(
            "{}: child {}",
            terms.short_name, invite.child
        )))
        .description(&document_text(&format!(
            "You are invited to present child {} to the {} at {}.{}\nPapers are due by {}:\n{}",
            invite.child,
            terms.name,
            invite.start.format("%H:%M on %A %d/%m/%Y"),
            social_worker,
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
    if let Some(place) = &setting.location {
        event.location(&document_text(place));
    }
    if let Some(mailbox) = &setting.organiser {
        let mut organiser =
            icalendar::Property::new("ORGANIZER", format!("mailto:{}", mailbox.trim()));
        organiser.add_parameter("CN", "Panel administrator");
        event.append_property(organiser);
    }
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
    setting: &InvitationSetting,
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
        // Added after the contract's columns (issue 17), never between them.
        "social_worker_id",
        "location",
        "organiser",
    ])?;
    for invite in invites {
        let name = format!("{}-{}.ics", iso(meeting.date), invite.child);
        let path = crate::files::inside(dir, &name)?;
        crate::files::write_private(&path, ics(terms, meeting, invite, setting, issued)?)?;
        csv.write_record([
            invite.presenter_role.as_str(),
            invite.presenter_initials.as_str(),
            invite.child.as_str(),
            &dmy(meeting.date),
            &invite.start.format("%H:%M").to_string(),
            &invite.end.format("%H:%M").to_string(),
            &dmy(invite.papers_due),
            name.as_str(),
            invite.social_worker.as_deref().unwrap_or(""),
            setting.location.as_deref().unwrap_or(""),
            setting.organiser.as_deref().unwrap_or(""),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::returns::CollectionYear;
    use crate::store::ExtraRow;

    fn sw(id: &str, from: &str, to: &str) -> ExtraRow {
        ExtraRow {
            table: "SWEpisodes".into(),
            year: CollectionYear::starting(2025),
            fields: ["C1", "01/01/2015", id, from, to, "MANAGE"]
                .map(String::from)
                .to_vec(),
        }
    }

    #[test]
    fn the_allocated_social_worker_is_the_one_allocated_on_the_day() {
        let day = |t: &str| crate::rules::dates::parse_dmy(t).expect("date");
        let rows = vec![
            sw("SW1", "01/01/2024", "31/03/2025"),
            sw("SW2", "01/04/2025", ""),
            ExtraRow {
                table: "Missing".into(),
                ..sw("SW9", "01/01/2026", "")
            },
        ];
        assert_eq!(
            allocated_social_worker(&rows, day("15/06/2024")).as_deref(),
            Some("SW1")
        );
        assert_eq!(
            allocated_social_worker(&rows, day("31/03/2025")).as_deref(),
            Some("SW1")
        );
        assert_eq!(
            allocated_social_worker(&rows, day("27/11/2026")).as_deref(),
            Some("SW2")
        );
        assert_eq!(allocated_social_worker(&rows, day("01/01/2020")), None);
    }
}
