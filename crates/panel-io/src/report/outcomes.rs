//! What the panel decided, for the reports (issue 23): the money its
//! decisions committed in the period, by item type and per year (Budget
//! Scrutiny), and its decisions counted by outcome (the SMT report).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::measures::median_and_range;
use super::{Counted, Figure, Section, Table};
use crate::export::minutes::{NO_OUTCOME, item_title};
use crate::model::{Decision, Id, MeetingStatus, Outcome, Pence, SignOffOutcome};
use crate::rules::dates::dmy;
use crate::store::DecisionOutcome;
use crate::store::{Result, Store};
use crate::terms::Terms;

/// The money committed at meetings from `from` to `to`, summed per year by
/// item type. A commitment the decision-maker disagreed with is left out;
/// one still awaiting sign-off is counted and said to wait.
pub fn money_section(
    store: &Store,
    terms: &Terms,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Section> {
    let committed = store.committed_money(from, to)?;
    // By item type's title: (decisions, per year, of it awaiting sign-off, records).
    let mut by_type: BTreeMap<String, (usize, Pence, Pence, Vec<Counted>)> = BTreeMap::new();
    let mut left_out = 0;
    for c in &committed {
        if !c.stands() {
            left_out += 1;
            continue;
        }
        let yearly = c.commitment.period.per_year(c.commitment.amount);
        let entry = by_type
            .entry(item_title(terms, &c.item_type))
            .or_insert_with(|| (0, Pence(0), Pence(0), Vec::new()));
        entry.0 += 1;
        entry.1 = Pence(entry.1.0.saturating_add(yearly.0));
        if c.awaiting_sign_off {
            entry.2 = Pence(entry.2.0.saturating_add(yearly.0));
        }
        entry.3.push(Counted {
            child: c.child.clone(),
            detail: format!(
                "{}: {} ({}{})",
                dmy(c.meeting_date),
                c.commitment.words(),
                c.outcome.words(),
                if c.awaiting_sign_off {
                    ", awaiting sign-off"
                } else {
                    ""
                }
            ),
        });
    }
    let counts = format!(
        "Decisions at meetings from {} to {} that commit money (an allowance or a payment), with an outcome that commits it; a commitment the decision-maker disagreed with at sign-off is left out.",
        dmy(from),
        dmy(to)
    );
    let mut figures = Vec::new();
    let mut notes = Vec::new();
    let mut total = Pence(0);
    for (title, (decisions, yearly, waiting, records)) in by_type {
        total = Pence(total.0.saturating_add(yearly.0));
        let waits = if waiting.0 > 0 {
            format!(" ({waiting} of it awaiting sign-off)")
        } else {
            String::new()
        };
        notes.push(format!("{title}: {yearly} a year{waits}."));
        figures.push(Figure {
            measure: format!("{title}: decisions committing money"),
            value: Some(decisions as f64),
            unit: "decisions",
            missing: None,
            target: None,
            definition: "Each decision's money is costed per year: a weekly amount 52 times, a monthly one 12 times, an annual or one-off payment once.".to_owned(),
            counts: counts.clone(),
            records,
        });
    }
    if figures.is_empty() {
        notes.push("No decision in the period committed money.".to_owned());
    } else {
        notes.push(format!("In all: {total} a year."));
    }
    if left_out > 0 {
        notes.push(format!(
            "{left_out} commitment{} the decision-maker disagreed with at sign-off {} left out.",
            if left_out == 1 { "" } else { "s" },
            if left_out == 1 { "is" } else { "are" }
        ));
    }
    Ok(Section {
        title: "Financial commitments".to_owned(),
        figures,
        tables: Vec::new(),
        notes,
    })
}

/// Every decision at a meeting held on or before `to` (cancelled meetings
/// left out), oldest meeting first, with its outcome.
fn decisions_to(store: &Store, to: NaiveDate) -> Result<Vec<Heard>> {
    let mut meetings: Vec<_> = store
        .meetings()?
        .into_iter()
        .filter(|m| m.date <= to && m.status != MeetingStatus::Cancelled)
        .collect();
    meetings.sort_by_key(|m| m.date);
    let mut heard = Vec::new();
    for m in meetings {
        let mut outcomes = store.decision_outcomes(m.id)?;
        for d in store.decisions(m.id)? {
            let outcome = outcomes.remove(&d.id);
            heard.push(Heard {
                meeting: m.id,
                on: m.date,
                decision: d,
                outcome,
            });
        }
    }
    Ok(heard)
}

/// A decision with the date of the meeting that took it.
struct Heard {
    meeting: Id,
    on: NaiveDate,
    decision: Decision,
    outcome: Option<DecisionOutcome>,
}

impl Heard {
    fn outcome(&self) -> Option<Outcome> {
        self.outcome.as_ref().and_then(|o| o.outcome)
    }
}

/// The panel's decisions at meetings from `from` to `to`: counted by
/// outcome; the time from a child's first hearing to the endorsement of
/// their plan; what waits for a decision-maker's sign-off at the end of
/// the period and for how long, and how long sign-offs took; and the
/// decisions with a member's dissent or a declared interest.
pub fn decisions_section(
    store: &Store,
    terms: &Terms,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Section> {
    let heard = decisions_to(store, to)?;
    let in_period: Vec<&Heard> = heard.iter().filter(|h| h.on >= from).collect();
    let mut counts: BTreeMap<usize, (String, f64)> = BTreeMap::new();
    for h in &in_period {
        // Outcomes in the order of their list, decisions without one last.
        let (order, words) = match h.outcome() {
            Some(o) => (
                Outcome::ALL.iter().position(|x| *x == o).unwrap_or(0),
                o.words().to_owned(),
            ),
            None => (Outcome::ALL.len(), NO_OUTCOME.to_owned()),
        };
        counts.entry(order).or_insert((words, 0.0)).1 += 1.0;
    }
    let rows: Vec<(String, Vec<f64>)> = counts
        .into_values()
        .map(|(words, n)| (capitalised(&words), vec![n]))
        .collect();
    let mut notes = Vec::new();
    let mut tables = Vec::new();
    // An empty table reads as a fault: the note says there is nothing.
    if rows.is_empty() {
        notes.push("No decisions were recorded in the period.".to_owned());
    } else {
        tables.push(by_outcome_table(rows, from, to));
    }
    let (waiting_figure, waiting_table) = awaiting_sign_off(terms, &heard, to);
    if let Some(table) = waiting_table {
        tables.push(table);
    }
    let members = store.members()?;
    let title_of = |id: Id| {
        members
            .iter()
            .find(|m| m.id == id)
            .map_or_else(|| format!("member {id}"), |m| m.job_title.clone())
    };
    Ok(Section {
        title: "Decisions: outcomes, endorsement and sign-off".to_owned(),
        figures: vec![
            time_to_endorsement(store, &heard, from, to)?,
            waiting_figure,
            time_to_sign_off(terms, &heard, from, to),
            dissents(terms, &in_period, from, to),
            interests_declared(store, terms, &in_period, &title_of, from, to)?,
        ],
        tables,
        notes,
    })
}

/// The decisions of the period counted by outcome, as a table.
fn by_outcome_table(rows: Vec<(String, Vec<f64>)>, from: NaiveDate, to: NaiveDate) -> Table {
    Table {
        title: "Decisions by outcome".to_owned(),
        label_header: "Outcome".to_owned(),
        columns: vec!["Decisions".to_owned()],
        rows,
        chart: None,
        definition: format!(
            "Decisions recorded at meetings from {} to {}, by their outcome; a decision recorded before outcomes were has none recorded.",
            dmy(from),
            dmy(to)
        ),
        key: Vec::new(),
    }
}

/// A measure's name with the range of its days: "Time from first hearing
/// to endorsement (median; from 0 to 40 days)", or "(median; each 1 day)"
/// when every wait is the same; its value is the median.
fn median_words(measure: &str, shown: Option<(f64, i64, i64)>) -> String {
    let days = |n: i64| if n == 1 { "day" } else { "days" };
    match shown {
        // One wait, or all alike: no range to give.
        Some((_, least, most)) if least == most => {
            format!("{measure} (median; each {least} {})", days(most))
        }
        Some((_, least, most)) => {
            format!("{measure} (median; from {least} to {most} {})", days(most))
        }
        None => measure.to_owned(),
    }
}

/// For each child whose plan the panel endorsed at a meeting in the
/// period (their first endorsement in it), the days from the first
/// meeting that heard them in their current period of care to the
/// meeting that endorsed it.
fn time_to_endorsement(
    store: &Store,
    heard: &[Heard],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Figure> {
    // The first endorsement in the period of each child (meetings come in date order).
    let mut endorsed: BTreeMap<&str, NaiveDate> = BTreeMap::new();
    for h in heard {
        if h.on >= from && h.outcome() == Some(Outcome::Endorsed) {
            endorsed.entry(h.decision.child.as_str()).or_insert(h.on);
        }
    }
    let mut days = Vec::new();
    let mut records = Vec::new();
    for (child, on) in endorsed {
        let since = store
            .child_record(child)?
            .and_then(|r| crate::rules::care::care_at(&r, on))
            .map(|c| c.period_start);
        let first = heard
            .iter()
            .filter(|h| h.decision.child == child && h.on <= on)
            .filter(|h| since.is_none_or(|s| h.on >= s))
            .map(|h| h.on)
            .min()
            .unwrap_or(on);
        let d = (on - first).num_days();
        days.push(d);
        let care = match since {
            Some(s) => format!("in care since {}", dmy(s)),
            None => "period of care not in the returns held".to_owned(),
        };
        records.push(Counted {
            child: child.to_owned(),
            detail: format!(
                "first heard {} ({care}); plan endorsed {}: {d} day{}",
                dmy(first),
                dmy(on),
                if d == 1 { "" } else { "s" }
            ),
        });
    }
    let shown = median_and_range(&mut days);
    Ok(Figure {
        measure: median_words("Time from first hearing to endorsement", shown),
        value: shown.map(|(median, _, _)| median),
        unit: "days",
        missing: shown
            .is_none()
            .then(|| "the panel endorsed no child's plan in the period".to_owned()),
        target: None,
        definition: "For each child whose plan the panel endorsed in the period: the days from the first panel meeting that heard the child in their current period of care to the meeting that endorsed the plan (0 when it was endorsed at the first hearing); the median, and the shortest and longest. Where the returns held do not show the child's period of care, from the first meeting that heard them.".to_owned(),
        counts: format!(
            "Decisions with the outcome endorsed at meetings from {} to {} (each child's first in the period), and every earlier decision on the same child.",
            dmy(from),
            dmy(to)
        ),
        records,
    })
}

/// The recommendations still waiting for their decision-maker at the end
/// of the period (`to`), with the days each has waited since the meeting:
/// a count, and a table listing them.
fn awaiting_sign_off(terms: &Terms, heard: &[Heard], to: NaiveDate) -> (Figure, Option<Table>) {
    let mut records = Vec::new();
    let mut rows = Vec::new();
    for h in heard {
        let Some(o) = &h.outcome else { continue };
        let (Some(by), Some(outcome)) = (&o.sign_off_by, o.outcome) else {
            continue;
        };
        if o.sign_off.as_ref().is_some_and(|s| s.on <= to) {
            continue;
        }
        let waited = (to - h.on).num_days();
        let what = format!(
            "{} {} on {}, for the {by}",
            item_title(terms, &o.item_type),
            outcome.words(),
            dmy(h.on)
        );
        records.push(Counted {
            child: h.decision.child.clone(),
            detail: format!(
                "{what}: waiting {waited} day{}",
                if waited == 1 { "" } else { "s" }
            ),
        });
        rows.push((format!("{}: {what}", h.decision.child), vec![waited as f64]));
    }
    // Longest wait first.
    rows.sort_by(|a, b| b.1[0].total_cmp(&a.1[0]));
    let definition = format!(
        "Decisions the panel recommended (or did not recommend) where a decision-maker decides, not yet signed off on {}: the days each has waited since the meeting that made it, to that date.",
        dmy(to)
    );
    let table = (!rows.is_empty()).then(|| Table {
        title: "Waiting for sign-off".to_owned(),
        label_header: "Child and decision".to_owned(),
        columns: vec!["Days waiting".to_owned()],
        rows,
        chart: None,
        definition: definition.clone(),
        key: Vec::new(),
    });
    let figure = Figure {
        measure: "Decisions waiting for sign-off".to_owned(),
        value: Some(records.len() as f64),
        unit: "decisions",
        missing: None,
        target: None,
        definition,
        counts: format!(
            "Decisions at meetings up to {} whose item type a decision-maker decides, with no sign-off recorded by that date.",
            dmy(to)
        ),
        records,
    };
    (figure, table)
}

/// How long the decision-makers took: for each sign-off made in the
/// period, the days from the meeting that recommended to the sign-off.
fn time_to_sign_off(terms: &Terms, heard: &[Heard], from: NaiveDate, to: NaiveDate) -> Figure {
    let mut days = Vec::new();
    let mut records = Vec::new();
    for h in heard {
        let Some(o) = &h.outcome else { continue };
        let Some(s) = o.sign_off.as_ref().filter(|s| s.on >= from && s.on <= to) else {
            continue;
        };
        let d = (s.on - h.on).num_days();
        days.push(d);
        records.push(Counted {
            child: h.decision.child.clone(),
            detail: format!(
                "{} {} on {}; signed off by the {} on {} ({}): {d} day{}",
                item_title(terms, &o.item_type),
                o.outcome.map_or(NO_OUTCOME, Outcome::words),
                dmy(h.on),
                s.by,
                dmy(s.on),
                match s.outcome {
                    SignOffOutcome::Agree => "agreed",
                    SignOffOutcome::Disagree => "disagreed",
                },
                if d == 1 { "" } else { "s" }
            ),
        });
    }
    let shown = median_and_range(&mut days);
    Figure {
        measure: median_words("Time from recommendation to sign-off", shown),
        value: shown.map(|(median, _, _)| median),
        unit: "days",
        missing: shown
            .is_none()
            .then(|| "no decision was signed off in the period".to_owned()),
        target: None,
        definition: "For each decision signed off by its decision-maker in the period: the days from the meeting that made the recommendation to the sign-off; the median, and the shortest and longest.".to_owned(),
        counts: format!(
            "Sign-offs recorded with a date from {} to {}.",
            dmy(from),
            dmy(to)
        ),
        records,
    }
}

/// The decisions in the period with a member's dissent recorded.
fn dissents(terms: &Terms, in_period: &[&Heard], from: NaiveDate, to: NaiveDate) -> Figure {
    let mut records = Vec::new();
    for h in in_period {
        let Some(o) = &h.outcome else { continue };
        for d in &o.dissents {
            records.push(Counted {
                child: h.decision.child.clone(),
                detail: format!(
                    "{}: {} {}; the {} dissented: {}",
                    dmy(h.on),
                    item_title(terms, &o.item_type),
                    o.outcome.map_or(NO_OUTCOME, Outcome::words),
                    d.member_title,
                    d.view
                ),
            });
        }
    }
    Figure {
        measure: "Dissenting views recorded".to_owned(),
        value: Some(records.len() as f64),
        unit: "dissents",
        missing: None,
        target: None,
        definition: "Each member's dissent from a decision, recorded with their view and printed in the minutes.".to_owned(),
        counts: format!(
            "Dissents recorded on decisions at meetings from {} to {}.",
            dmy(from),
            dmy(to)
        ),
        records,
    }
}

/// The items in the period a member withdrew from, having declared an interest.
fn interests_declared(
    store: &Store,
    terms: &Terms,
    in_period: &[&Heard],
    title_of: &dyn Fn(Id) -> String,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Figure> {
    let mut records = Vec::new();
    let mut meetings: Vec<(Id, NaiveDate)> = in_period.iter().map(|h| (h.meeting, h.on)).collect();
    meetings.dedup();
    for (meeting, on) in meetings {
        for d in store.interest_declarations(meeting)? {
            let item = in_period
                .iter()
                .find(|h| h.meeting == meeting && h.decision.child == d.child)
                .and_then(|h| h.outcome.as_ref())
                .map_or_else(
                    || "the item".to_owned(),
                    |o| format!("the item ({})", item_title(terms, &o.item_type)),
                );
            let note = d
                .note
                .as_deref()
                .map(|n| format!(" ({})", n.trim_end_matches('.')))
                .unwrap_or_default();
            records.push(Counted {
                child: d.child.clone(),
                detail: format!(
                    "{}: the {} declared an interest{note} and withdrew from {item}",
                    dmy(on),
                    title_of(d.member)
                ),
            });
        }
    }
    Ok(Figure {
        measure: "Interests declared".to_owned(),
        value: Some(records.len() as f64),
        unit: "declarations",
        missing: None,
        target: None,
        definition: "A member who declares an interest in a child's item withdraws from it and does not count towards its quorum; each declaration is printed in the minutes.".to_owned(),
        counts: format!(
            "Declarations of interest at meetings from {} to {} that recorded decisions.",
            dmy(from),
            dmy(to)
        ),
        records,
    })
}

fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OutcomeRecord;
    use crate::rules::testkit::{child_with_id, date};
    use crate::store::NewDecision;

    fn at(d: &str) -> chrono::NaiveDateTime {
        date(d).and_hms_opt(10, 0, 0).expect("a time")
    }

    /// Records the decision on `child` at the meeting `meeting` with `outcome`.
    fn decide(
        store: &mut Store,
        terms: &Terms,
        meeting: Id,
        on: &str,
        child: &str,
        outcome: Outcome,
    ) {
        let record = OutcomeRecord {
            item_type: "tracking".into(),
            outcome,
            deferred_to: None,
            referred_to: None,
            reason: None,
            commitment: None,
        };
        let decision = NewDecision {
            meeting,
            child,
            text: "Synthetic decision.",
            quorate: true,
            quorum: None,
        };
        let item = terms.item_type("tracking").expect("tracking");
        store
            .record_decision_with_outcome(&decision, item, &record, at(on))
            .expect("recorded");
    }

    /// C1 was heard in an earlier period of care (left care in 2025, back
    /// in 2026): only the hearings of the current period count. C2 has no
    /// return: from the first hearing held.
    #[test]
    fn time_to_endorsement_counts_from_the_first_hearing_in_the_current_period_of_care() {
        let terms = Terms::load("wiltshire").expect("preset");
        let mut store = Store::open_in_memory().expect("store");
        let c1 = child_with_id("C1", "01/01/2015")
            .ep("01/01/2024  S  C2  U6  PR1  01/03/2025  E13")
            .ep("01/01/2026  S  C2  U6  PR1  open")
            .build();
        let mut import = store.begin_extract_import().expect("import");
        import.insert_child(&c1.child).expect("child");
        for e in &c1.episodes {
            import.insert_episode(e).expect("episode");
        }
        import.finish(at("01/06/2026"), &[]).expect("finish");
        let hm = |h| chrono::NaiveTime::from_hms_opt(h, 0, 0).expect("a time");
        let mut meeting = |d: &str| {
            store
                .add_meeting(date(d), hm(9), hm(12), at("01/01/2024"))
                .expect("meeting")
        };
        let (old, feb, apr, jun) = (
            meeting("10/06/2024"),
            meeting("10/02/2026"),
            meeting("10/04/2026"),
            meeting("10/06/2026"),
        );
        decide(
            &mut store,
            &terms,
            old,
            "10/06/2024",
            "C1",
            Outcome::NotEndorsed,
        );
        decide(&mut store, &terms, feb, "10/02/2026", "C1", Outcome::Noted);
        decide(
            &mut store,
            &terms,
            jun,
            "10/06/2026",
            "C1",
            Outcome::Endorsed,
        );
        decide(&mut store, &terms, apr, "10/04/2026", "C2", Outcome::Noted);
        decide(
            &mut store,
            &terms,
            jun,
            "10/06/2026",
            "C2",
            Outcome::Endorsed,
        );

        let section = decisions_section(&store, &terms, date("01/04/2026"), date("30/06/2026"))
            .expect("section");
        let figure = &section.figures[0];
        // C1: 10/02/2026 to 10/06/2026, 120 days; C2: 10/04 to 10/06, 61 days.
        assert_eq!(
            figure.measure,
            "Time from first hearing to endorsement (median; from 61 to 120 days)"
        );
        assert_eq!(figure.value, Some(90.5));
        let details: Vec<(&str, &str)> = figure
            .records
            .iter()
            .map(|c| (c.child.as_str(), c.detail.as_str()))
            .collect();
        assert_eq!(
            details,
            [
                (
                    "C1",
                    "first heard 10/02/2026 (in care since 01/01/2026); plan endorsed 10/06/2026: 120 days"
                ),
                (
                    "C2",
                    "first heard 10/04/2026 (period of care not in the returns held); plan endorsed 10/06/2026: 61 days"
                ),
            ]
        );
        // Before the period, nothing was endorsed: the figure says so.
        let earlier = decisions_section(&store, &terms, date("01/01/2026"), date("31/03/2026"))
            .expect("section");
        assert_eq!(earlier.figures[0].value, None);
        assert_eq!(
            earlier.figures[0].shown(),
            "the panel endorsed no child's plan in the period"
        );
    }
}
