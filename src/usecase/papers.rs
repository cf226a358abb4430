//! Papers for a meeting: the chase list (who owes which paper, due when,
//! how late) and recording a paper as received, signed off or awaited.
//! The `papers` subcommand and the app's Papers screen both use these.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::model::{AgendaItem, Meeting, Referral, ReferralStatus};
use crate::rules::calendar::Calendar;
use crate::rules::dates::dmy;
use crate::rules::papers::{PaperStatus, days_late, paper_due};
use crate::store::Store;
use crate::terms::Terms;

/// One required paper of one child heard at the meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperRow {
    pub child: String,
    pub paper: String,
    /// The presenter's role, with their initials when the panel holds them.
    pub owed_by: String,
    pub due: NaiveDate,
    pub status: PaperStatus,
    /// Whole days late at the day the list was made (0 when in or not due).
    pub days_late: i64,
}

/// How pressing a paper's state is, for its colour (its words say it too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// In, or not due within the week.
    Calm,
    /// Awaited and due within the week.
    Soon,
    /// Awaited after its due day.
    Late,
}

/// Who presents a child and owes its papers: the social worker who
/// referred the child (role and initials, from the latest accepted
/// referral), else the child's allocated social worker, whose initials the
/// panel does not hold.
pub fn presenter(referrals: &[Referral], child: &str) -> (String, String) {
    referrals
        .iter()
        .rev()
        .find(|r| r.child == child && r.status == ReferralStatus::Accepted)
        .map(|r| (r.referrer_role.clone(), r.referrer_initials.clone()))
        .unwrap_or_else(|| ("allocated social worker".to_owned(), String::new()))
}

/// The day the meeting's papers are due, by the terms and the bank holidays.
pub fn due_day(terms: &Terms, meeting: &Meeting) -> NaiveDate {
    paper_due(meeting.date, &terms.papers, &Calendar::england_and_wales())
}

/// The chase list: one row per required paper per child on the agenda,
/// in agenda order, lateness counted at `today`.
pub fn chase_list(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
    today: NaiveDate,
) -> crate::store::Result<Vec<PaperRow>> {
    Ok(chase_rows(
        terms,
        meeting,
        &store.agenda(meeting.id)?,
        &store.agenda_item_types(meeting.id)?,
        &store.paper_statuses(meeting.id)?,
        &store.referrals()?,
        today,
    ))
}

/// Each child's item type on a meeting's agenda (`tracking` when none).
pub type ItemTypes = std::collections::HashMap<String, String>;

/// The papers `child`'s item needs: its item type's (issue 23).
pub fn papers_for_item<'t>(terms: &'t Terms, item_types: &ItemTypes, child: &str) -> &'t [String] {
    terms.papers_for_type(
        item_types
            .get(child)
            .map_or(crate::terms::items::TRACKING, String::as_str),
    )
}

/// The chase list from what the store holds (the app keeps these loaded).
pub fn chase_rows(
    terms: &Terms,
    meeting: &Meeting,
    agenda: &[AgendaItem],
    item_types: &ItemTypes,
    statuses: &PaperStatuses,
    referrals: &[Referral],
    today: NaiveDate,
) -> Vec<PaperRow> {
    let due = due_day(terms, meeting);
    let mut rows = Vec::new();
    for item in agenda {
        let owed_by = match presenter(referrals, &item.child) {
            (role, initials) if initials.is_empty() => role,
            (role, initials) => format!("{role} ({initials})"),
        };
        for paper in papers_for_item(terms, item_types, &item.child) {
            let status = statuses
                .get(&(item.child.clone(), paper.clone()))
                .copied()
                .unwrap_or(PaperStatus::Awaited);
            rows.push(PaperRow {
                child: item.child.clone(),
                paper: paper.clone(),
                owed_by: owed_by.clone(),
                due,
                status,
                days_late: days_late(due, status, today),
            });
        }
    }
    rows
}

/// Each recorded paper's status, by (child, paper), as the store gives them.
pub type PaperStatuses = std::collections::HashMap<(String, String), PaperStatus>;

/// Finds a required paper by its number in the terms (1, 2, ...) or by the
/// start of its name, ignoring case.
pub fn required_paper<'t>(required: &'t [String], asked: &str) -> anyhow::Result<&'t str> {
    if let Ok(n) = asked.trim().parse::<usize>()
        && let Some(p) = required.get(n.wrapping_sub(1))
    {
        return Ok(p);
    }
    let lower = asked.trim().to_lowercase();
    let matching: Vec<&String> = required
        .iter()
        .filter(|p| !lower.is_empty() && p.to_lowercase().starts_with(&lower))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one),
        _ => {
            let list: Vec<String> = required
                .iter()
                .enumerate()
                .map(|(i, p)| format!("{} = {p}", i + 1))
                .collect();
            anyhow::bail!(
                "--paper: found '{asked}', expected one of the papers the terms require: {}",
                list.join("; ")
            )
        }
    }
}

/// Records where a paper stands for a child on the meeting's agenda: the
/// one write behind `papers --status` and the Papers screen (audited by
/// the store).
pub fn set_status(
    store: &mut Store,
    terms: &Terms,
    meeting: &Meeting,
    child: &str,
    paper: &str,
    status: PaperStatus,
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    let item_types = store.agenda_item_types(meeting.id)?;
    let paper = required_paper(papers_for_item(terms, &item_types, child), paper)?;
    let listed = store.agenda(meeting.id)?.iter().any(|i| i.child == child);
    if !listed {
        anyhow::bail!(
            "--child: {child} is not on the agenda of {}",
            dmy(meeting.date)
        );
    }
    store.set_paper_status(meeting.id, child, paper, status, now)?;
    Ok(())
}

/// A paper's state in words, as an administrator chasing it says it:
/// "received", "signed off", "3 days late", "due today", "due Friday"
/// (within the week), else "due 20/11/2026"; with how pressing it is.
pub fn chase_words(due: NaiveDate, status: PaperStatus, today: NaiveDate) -> (String, Urgency) {
    match status {
        PaperStatus::Received => return ("received".to_owned(), Urgency::Calm),
        PaperStatus::SignedOff => return ("signed off".to_owned(), Urgency::Calm),
        PaperStatus::Awaited => {}
    }
    let late = days_late(due, status, today);
    if late > 0 {
        let days = if late == 1 { "day" } else { "days" };
        return (format!("{late} {days} late"), Urgency::Late);
    }
    (
        format!("due {}", due_words(due, today)),
        if (due - today).num_days() < 7 {
            Urgency::Soon
        } else {
            Urgency::Calm
        },
    )
}

/// A day not before `today` as people say it: "today", "tomorrow", the
/// weekday within the week ("Friday"), else dd/mm/yyyy.
pub fn due_words(due: NaiveDate, today: NaiveDate) -> String {
    match (due - today).num_days() {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        2..=6 => weekday_name(due).to_owned(),
        _ => dmy(due),
    }
}

fn weekday_name(day: NaiveDate) -> &'static str {
    match day.weekday() {
        chrono::Weekday::Mon => "Monday",
        chrono::Weekday::Tue => "Tuesday",
        chrono::Weekday::Wed => "Wednesday",
        chrono::Weekday::Thu => "Thursday",
        chrono::Weekday::Fri => "Friday",
        chrono::Weekday::Sat => "Saturday",
        chrono::Weekday::Sun => "Sunday",
    }
}

/// Home's line on the papers: how many are awaited and late, or, before
/// their due day, when they are due. `None` when no paper is asked for.
pub fn home_line(rows: &[PaperRow], today: NaiveDate) -> Option<String> {
    let due = rows.first()?.due;
    let awaited = rows
        .iter()
        .filter(|r| r.status == PaperStatus::Awaited)
        .count();
    let late = rows.iter().filter(|r| r.days_late > 0).count();
    let total = rows.len();
    Some(if awaited == 0 {
        format!("Papers: all {total} in")
    } else if today < due {
        format!(
            "Papers due {}: {awaited} of {total} awaited",
            due_words(due, today)
        )
    } else if late > 0 {
        format!("Papers: {awaited} of {total} awaited, {late} late")
    } else {
        format!("Papers due today: {awaited} of {total} awaited")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        crate::rules::dates::parse_dmy(text).expect("test date")
    }

    #[test]
    fn a_papers_state_is_said_in_words_with_how_pressing_it_is() {
        // Due Friday 20/11/2026.
        let due = d("20/11/2026");
        let awaited = PaperStatus::Awaited;
        assert_eq!(
            chase_words(due, awaited, d("23/11/2026")),
            ("3 days late".to_owned(), Urgency::Late)
        );
        assert_eq!(
            chase_words(due, awaited, d("21/11/2026")),
            ("1 day late".to_owned(), Urgency::Late)
        );
        assert_eq!(
            chase_words(due, awaited, d("20/11/2026")),
            ("due today".to_owned(), Urgency::Soon)
        );
        assert_eq!(
            chase_words(due, awaited, d("16/11/2026")),
            ("due Friday".to_owned(), Urgency::Soon)
        );
        assert_eq!(
            chase_words(due, awaited, d("13/11/2026")),
            ("due 20/11/2026".to_owned(), Urgency::Calm)
        );
        assert_eq!(
            chase_words(due, PaperStatus::Received, d("23/11/2026")),
            ("received".to_owned(), Urgency::Calm)
        );
        assert_eq!(
            chase_words(due, PaperStatus::SignedOff, d("23/11/2026")),
            ("signed off".to_owned(), Urgency::Calm)
        );
    }

    fn row(status: PaperStatus, today: NaiveDate) -> PaperRow {
        let due = d("20/11/2026");
        PaperRow {
            child: "C1".into(),
            paper: "Care Plan".into(),
            owed_by: "allocated social worker".into(),
            due,
            status,
            days_late: days_late(due, status, today),
        }
    }

    #[test]
    fn home_says_when_papers_are_due_then_how_many_are_late() {
        use PaperStatus::{Awaited, Received};
        let before = d("16/11/2026");
        let rows = [
            row(Awaited, before),
            row(Received, before),
            row(Awaited, before),
        ];
        assert_eq!(
            home_line(&rows, before).as_deref(),
            Some("Papers due Friday: 2 of 3 awaited")
        );
        let after = d("23/11/2026");
        let rows = [
            row(Awaited, after),
            row(Received, after),
            row(Awaited, after),
        ];
        assert_eq!(
            home_line(&rows, after).as_deref(),
            Some("Papers: 2 of 3 awaited, 2 late")
        );
        let rows = [row(Received, after)];
        assert_eq!(home_line(&rows, after).as_deref(), Some("Papers: all 1 in"));
        assert_eq!(home_line(&[], after), None);
    }
}
