//! What the panel decided, for the reports (issue 23): the money its
//! decisions committed in the period, by item type and per year (Budget
//! Scrutiny), and its decisions counted by outcome (the SMT report).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Counted, Figure, Section, Table};
use crate::export::minutes::{NO_OUTCOME, item_title};
use crate::model::{Outcome, Pence};
use crate::rules::dates::dmy;
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
        "Decisions at meetings from {} to {} that commit money (an allowance or a payment), with an outcome that commits it; a commitment the decision-maker disagreed with at sign-off is left out",
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

/// The decisions at meetings from `from` to `to`, counted by outcome.
pub fn outcomes_section(store: &Store, from: NaiveDate, to: NaiveDate) -> Result<Section> {
    let mut counts: BTreeMap<usize, (String, f64)> = BTreeMap::new();
    for m in store.meetings()? {
        if m.date < from || m.date > to {
            continue;
        }
        let outcomes = store.decision_outcomes(m.id)?;
        for d in store.decisions(m.id)? {
            let outcome = outcomes.get(&d.id).and_then(|o| o.outcome);
            // Outcomes in the order of their list, decisions without one last.
            let (order, words) = match outcome {
                Some(o) => (
                    Outcome::ALL.iter().position(|x| *x == o).unwrap_or(0),
                    o.words().to_owned(),
                ),
                None => (Outcome::ALL.len(), NO_OUTCOME.to_owned()),
            };
            counts.entry(order).or_insert((words, 0.0)).1 += 1.0;
        }
    }
    let rows: Vec<(String, Vec<f64>)> = counts
        .into_values()
        .map(|(words, n)| (capitalised(&words), vec![n]))
        .collect();
    let notes = if rows.is_empty() {
        vec!["No decisions were recorded in the period.".to_owned()]
    } else {
        Vec::new()
    };
    Ok(Section {
        title: "Decisions by outcome".to_owned(),
        figures: Vec::new(),
        tables: vec![Table {
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
        }],
        notes,
    })
}

fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
