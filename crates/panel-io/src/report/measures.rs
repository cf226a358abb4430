//! The measures of each report, computed from the period's facts through
//! the rules layer (cohorts, care, flags), each with its definition and
//! the records it counts.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};

use super::facts::Facts;
use super::targets::Targets;
use super::{ChartKind, Counted, Figure, KeyEntry, Section, Table};
use crate::model::{ChildRecord, CohortId, Place, PlanKind, Provider, ReasonCeased};
use crate::rules::calendar::Calendar;
use crate::rules::care::{CareAt, agreed_plan, care_at, predecessor, same_carers_run_start};
use crate::rules::cohorts::{self, PanelRoutes};
use crate::rules::dates::dmy;
use crate::rules::flags;
use crate::terms::Terms;
use panel_core::text::capitalised;

/// Average days in a month (365.25 / 12): child-days to child-months.
pub const DAYS_PER_MONTH: f64 = 30.4375;

/// The placement groups of the Budget Scrutiny report, each a set of
/// `PLACE` codes; every code is in exactly one group.
pub const PLACEMENT_GROUPS: &[(&str, &[Place])] = &[
    (
        "Foster care (U1-U6)",
        &[
            Place::U1,
            Place::U2,
            Place::U3,
            Place::U4,
            Place::U5,
            Place::U6,
        ],
    ),
    (
        "Placed for adoption (A3-A6)",
        &[Place::A3, Place::A4, Place::A5, Place::A6],
    ),
    ("Placed with parents (P1)", &[Place::P1]),
    (
        "Children's homes and residential care (K1, K2, R1, R2, S1)",
        &[Place::K1, Place::K2, Place::R1, Place::R2, Place::S1],
    ),
    (
        "Independent and supported living (H5, K3, P2)",
        &[Place::H5, Place::K3, Place::P2],
    ),
    (
        "Temporary moves (T0-T4)",
        &[Place::T0, Place::T1, Place::T2, Place::T3, Place::T4],
    ),
    (
        "Other (P3, R3, R5, Z1, Z11-Z14)",
        &[
            Place::P3,
            Place::R3,
            Place::R5,
            Place::Z1,
            Place::Z11,
            Place::Z12,
            Place::Z13,
            Place::Z14,
        ],
    ),
];

/// A route out of care into permanence, by the `REC` codes that record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub id: &'static str,
    pub label: &'static str,
    pub codes: &'static [ReasonCeased],
}

pub const ADOPTION: Route = Route {
    id: "adoption",
    label: "Adoption order",
    codes: &[ReasonCeased::E11, ReasonCeased::E12],
};
pub const SGO: Route = Route {
    id: "sgo",
    label: "Special guardianship order",
    codes: &[
        ReasonCeased::E43,
        ReasonCeased::E44,
        ReasonCeased::E45,
        ReasonCeased::E46,
        ReasonCeased::E47,
        ReasonCeased::E48,
    ],
};
pub const CAO: Route = Route {
    id: "cao",
    label: "Child arrangements order",
    codes: &[ReasonCeased::E41],
};
/// Return home as part of the care plan only: E4B (not part of the plan)
/// is not permanence planned for, and E13 is living with someone without
/// parental responsibility, not a return home (`ssda903.md` §3.8).
pub const RETURN_HOME: Route = Route {
    id: "return-home",
    label: "Return home",
    codes: &[ReasonCeased::E4A],
};
pub const ROUTES: &[Route] = &[ADOPTION, SGO, CAO, RETURN_HOME];

fn codes_text(codes: &[ReasonCeased]) -> String {
    codes
        .iter()
        .map(|c| c.code())
        .collect::<Vec<_>>()
        .join(", ")
}

fn period_text(facts: &Facts) -> String {
    format!("{} to {}", dmy(facts.from), dmy(facts.to))
}

/// A child leaving care by a route in the period: the episode that ended,
/// and the start of its period of care.
#[derive(Debug, Clone)]
pub struct Leaving<'a> {
    pub record: &'a ChildRecord,
    pub episode: usize,
    pub left: NaiveDate,
    pub period_start: NaiveDate,
    pub care: CareAt,
}

/// The children who left care by `route` in the period: an episode with
/// `DEC` in the period and `REC` one of the route's codes. A child who left
/// this way twice counts once, at the later leaving.
pub fn leavings<'a>(facts: &'a Facts, route: Route) -> Vec<Leaving<'a>> {
    let mut out = Vec::new();
    for record in &facts.records {
        let last = record.episodes.iter().enumerate().rfind(|(_, e)| {
            e.dec.is_some_and(|d| facts.from <= d && d <= facts.to)
                && e.rec.is_some_and(|r| route.codes.contains(&r))
        });
        let Some((i, e)) = last else { continue };
        let Some(left) = e.dec else { continue };
        let mut first = i;
        while let Some(p) = predecessor(record, first) {
            first = p;
        }
        let period_start = record.episodes.get(first).map_or(e.decom, |f| f.decom);
        out.push(Leaving {
            record,
            episode: i,
            left,
            period_start,
            care: CareAt {
                current: i,
                period_start_index: first,
                period_start,
            },
        });
    }
    out
}

fn count_figure(
    measure: &str,
    unit: &'static str,
    definition: String,
    counts: String,
    records: Vec<Counted>,
) -> Figure {
    Figure {
        measure: measure.to_owned(),
        value: Some(records.len() as f64),
        unit,
        missing: None,
        target: None,
        definition,
        counts,
        records,
    }
}

fn average(values: &[i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let sum: i64 = values.iter().sum();
    // One decimal place is all a report shows.
    Some((sum as f64 / values.len() as f64 * 10.0).round() / 10.0)
}

fn route_figure(facts: &Facts, route: Route) -> Figure {
    let records = leavings(facts, route)
        .into_iter()
        .map(|l| Counted {
            child: l.record.child.id.clone(),
            detail: format!(
                "left care {} ({})",
                dmy(l.left),
                l.record.episodes[l.episode]
                    .rec
                    .map_or("", ReasonCeased::code)
            ),
        })
        .collect();
    count_figure(
        &format!(
            "Children achieving permanence: {}",
            route.label.to_lowercase()
        ),
        "children",
        format!(
            "Children who left care with reason episode ceased {} in the period; a child counts once.",
            codes_text(route.codes)
        ),
        format!(
            "Episodes rows with DEC from {} and REC in {}.",
            period_text(facts),
            codes_text(route.codes)
        ),
        records,
    )
}

fn meetings_held_figure(facts: &Facts) -> Figure {
    let records = facts
        .meetings_held
        .iter()
        .map(|m| Counted {
            child: String::new(),
            detail: format!("meeting of {}", dmy(m.date)),
        })
        .collect();
    count_figure(
        "Panel meetings held",
        "meetings",
        "Meetings dated in the period, not cancelled, and closed or with at least one decision recorded.".to_owned(),
        format!("The panel's meetings dated {}.", period_text(facts)),
        records,
    )
}

fn children_heard_figure(facts: &Facts) -> Figure {
    let mut first_heard: BTreeMap<&str, NaiveDate> = BTreeMap::new();
    for (on, d) in &facts.decisions {
        first_heard.entry(d.child.as_str()).or_insert(*on);
    }
    let records = first_heard
        .into_iter()
        .map(|(child, on)| Counted {
            child: child.to_owned(),
            detail: format!("first heard {}", dmy(on)),
        })
        .collect();
    count_figure(
        "Children heard",
        "children",
        "Distinct children with a decision recorded at a meeting held in the period; a child heard twice counts once.".to_owned(),
        format!(
            "Decisions recorded at the meetings held {}.",
            period_text(facts)
        ),
        records,
    )
}

fn decisions_figure(facts: &Facts) -> Figure {
    let records = facts
        .decisions
        .iter()
        .map(|(on, d)| Counted {
            child: d.child.clone(),
            detail: format!("decision at the meeting of {}", dmy(*on)),
        })
        .collect();
    count_figure(
        "Decisions made",
        "decisions",
        "Decisions recorded at meetings held in the period (one per child heard at a meeting)."
            .to_owned(),
        format!(
            "Decisions recorded at the meetings held {}.",
            period_text(facts)
        ),
        records,
    )
}

fn actions_on_time_figure(facts: &Facts) -> Figure {
    let on_time = facts
        .actions_done
        .iter()
        .filter(|(a, done)| *done <= a.deadline)
        .count();
    let total = facts.actions_done.len();
    let records = facts
        .actions_done
        .iter()
        .map(|(a, done)| Counted {
            child: a.child.clone(),
            detail: format!(
                "action {} due {}, done {} ({})",
                a.id,
                dmy(a.deadline),
                dmy(*done),
                if *done <= a.deadline {
                    "on time"
                } else {
                    "late"
                }
            ),
        })
        .collect();
    Figure {
        measure: "Actions completed on time".to_owned(),
        value: (total > 0).then(|| ((on_time as f64 / total as f64) * 1000.0).round() / 10.0),
        unit: "%",
        missing: (total == 0).then(|| "no actions were completed in the period".to_owned()),
        target: None,
        definition: format!(
            "Of the actions marked done in the period, the share done on or before their deadline ({on_time} of {total})."
        ),
        counts: format!(
            "Actions with status done whose audit trail entry marking them done is dated {}.",
            period_text(facts)
        ),
        records,
    }
}

/// Month ends in the period, and the period's end when it is not one, so
/// the last point matches the end-date figures.
pub fn month_ends(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut year = from.year();
    let mut month = from.month();
    loop {
        let (next_year, next_month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        let Some(end) =
            NaiveDate::from_ymd_opt(next_year, next_month, 1).and_then(|d| d.pred_opt())
        else {
            break;
        };
        if end > to {
            break;
        }
        if end >= from {
            out.push(end);
        }
        (year, month) = (next_year, next_month);
    }
    if out.last() != Some(&to) {
        out.push(to);
    }
    out
}

/// The cohorts the return decides (the panel's own routes, referral and
/// carried-over, are counted by the panel activity figures instead).
fn return_cohorts(terms: &Terms) -> Vec<CohortId> {
    terms
        .cohorts
        .iter()
        .copied()
        .filter(|c| !c.is_panel_route())
        .collect()
}

fn cohorts_over_time(facts: &Facts, terms: &Terms) -> (Table, Figure) {
    let cohorts = return_cohorts(terms);
    let routes = PanelRoutes::default();
    let dates = month_ends(facts.from, facts.to);
    let mut rows = Vec::new();
    let mut at_end = Vec::new();
    for &d in &dates {
        let mut counts = vec![0.0; cohorts.len()];
        for record in &facts.records {
            for m in cohorts::memberships(record, terms, d, &routes) {
                if let Some(i) = cohorts.iter().position(|c| *c == m.cohort) {
                    counts[i] += 1.0;
                    if d == facts.to {
                        at_end.push(Counted {
                            child: m.child.clone(),
                            detail: format!("{} since {}", m.cohort.title(), dmy(m.since)),
                        });
                    }
                }
            }
        }
        rows.push((dmy(d), counts));
    }
    let table = Table {
        title: "Children by cohort over time".to_owned(),
        label_header: "As at".to_owned(),
        columns: cohorts.iter().map(|c| c.short_title().to_owned()).collect(),
        rows,
        chart: Some(ChartKind::Line),
        key: cohorts
            .iter()
            .map(|c| KeyEntry {
                heading: c.short_title().to_owned(),
                meaning: c.title().to_owned(),
            })
            .collect(),
        definition: "Children in each cohort of the terms of reference at each month end in the period (and at its end date), by the cohort rules the agenda uses; a child in two cohorts counts in both.".to_owned(),
    };
    let children: BTreeSet<&str> = at_end.iter().map(|c| c.child.as_str()).collect();
    let figure = Figure {
        measure: "Children in a cohort at the end date".to_owned(),
        value: Some(children.len() as f64),
        unit: "children",
        missing: None,
        target: None,
        definition: format!(
            "Children looked after on {} who are in at least one cohort of the terms of reference.",
            dmy(facts.to)
        ),
        counts:
            "Each child's episodes, reviews and plan facts, through the cohort rules of the terms of reference."
                .to_owned(),
        records: at_end,
    };
    (table, figure)
}

/// The children looked after at `d`, with their current episode.
fn looked_after(
    facts: &Facts,
    d: NaiveDate,
) -> Vec<(&ChildRecord, CareAt, &crate::model::Episode)> {
    facts
        .records
        .iter()
        .filter_map(|r| {
            let care = care_at(r, d)?;
            let e = r.episodes.get(care.current)?;
            Some((r, care, e))
        })
        .collect()
}

fn placements(facts: &Facts) -> (Figure, Table, Table) {
    let now = looked_after(facts, facts.to);
    let records = now
        .iter()
        .map(|(r, _, e)| Counted {
            child: r.child.id.clone(),
            detail: format!(
                "{} {}",
                e.place.code(),
                e.place_provider.map_or("no provider", Provider::code)
            ),
        })
        .collect();
    let figure = count_figure(
        "Children looked after at the end date",
        "children",
        format!(
            "Children with exactly one episode open on {} and under 18 (looked after on that day).",
            dmy(facts.to)
        ),
        "The open Episodes row of each child.".to_owned(),
        records,
    );
    let by_type = Table {
        title: format!("Placements by type on {}", dmy(facts.to)),
        label_header: "Placement".to_owned(),
        columns: vec!["Children".to_owned()],
        rows: PLACEMENT_GROUPS
            .iter()
            .map(|(label, codes)| {
                let n = now.iter().filter(|(_, _, e)| codes.contains(&e.place)).count();
                ((*label).to_owned(), vec![n as f64])
            })
            .collect(),
        chart: Some(ChartKind::Bar),
        key: Vec::new(),
        definition: "Children looked after at the end date by the PLACE code of their open episode, grouped as shown.".to_owned(),
    };
    let mut provider_rows: Vec<(String, Vec<f64>)> = Provider::ALL
        .iter()
        .map(|p| {
            let n = now
                .iter()
                .filter(|(_, _, e)| e.place_provider == Some(*p))
                .count();
            (format!("{} {}", p.code(), p.meaning()), vec![n as f64])
        })
        .collect();
    let blank = now
        .iter()
        .filter(|(_, _, e)| e.place_provider.is_none())
        .count();
    provider_rows.push((
        "No provider recorded (e.g. temporary moves)".to_owned(),
        vec![blank as f64],
    ));
    let by_provider = Table {
        title: format!("Placements by provider on {}", dmy(facts.to)),
        label_header: "Provider".to_owned(),
        columns: vec!["Children".to_owned()],
        rows: provider_rows,
        chart: Some(ChartKind::Bar),
        key: Vec::new(),
        definition:
            "Children looked after at the end date by the PLACE_PROVIDER of their open episode."
                .to_owned(),
    };
    (figure, by_type, by_provider)
}

/// Whether an episode is external residential for the budget: a children's
/// home (K2) run by a private (PR4) or voluntary (PR5) provider.
pub fn is_external_residential(e: &crate::model::Episode) -> bool {
    e.place == Place::K2 && matches!(e.place_provider, Some(Provider::PR4 | Provider::PR5))
}

/// Child-days in external residential care in the period: each day a
/// child was looked after (rules.md) with that episode as the current one.
pub fn external_residential_days(facts: &Facts) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for record in &facts.records {
        let mut days = 0;
        for (i, e) in record.episodes.iter().enumerate() {
            if !is_external_residential(e) {
                continue;
            }
            let mut d = e.decom.max(facts.from);
            // The episode is open up to the day before DEC.
            let last = e
                .dec
                .and_then(|dec| dec.pred_opt())
                .map_or(facts.to, |l| l.min(facts.to));
            while d <= last {
                if care_at(record, d).is_some_and(|c| c.current == i) {
                    days += 1;
                }
                let Some(next) = d.succ_opt() else { break };
                d = next;
            }
        }
        if days > 0 {
            out.push((record.child.id.clone(), days));
        }
    }
    out
}

fn external_residential(facts: &Facts) -> Vec<Figure> {
    let days = external_residential_days(facts);
    let total: i64 = days.iter().map(|(_, d)| d).sum();
    let months = (total as f64 / DAYS_PER_MONTH * 10.0).round() / 10.0;
    let definition = "Child-days in the period on which the child was looked after in a children's home (PLACE K2) run by a private (PLACE_PROVIDER PR4) or voluntary/third sector (PR5) provider, divided by 30.4375 (the average days in a month). Secure homes (K1), other residential settings and other councils' homes (PR2) are not counted.".to_owned();
    let counts = format!(
        "Episodes rows with PLACE K2 and PLACE_PROVIDER PR4 or PR5, open on days from {}.",
        period_text(facts)
    );
    let records: Vec<Counted> = days
        .iter()
        .map(|(child, d)| Counted {
            child: child.clone(),
            detail: format!("{d} days"),
        })
        .collect();
    vec![
        Figure {
            measure: "External residential months".to_owned(),
            value: Some(months),
            unit: "child-months",
            missing: None,
            target: None,
            definition: definition.clone(),
            counts: counts.clone(),
            records: records.clone(),
        },
        Figure {
            measure: "External residential days".to_owned(),
            value: Some(total as f64),
            unit: "child-days",
            missing: None,
            target: None,
            definition: "The child-days behind the months above.".to_owned(),
            counts: counts.clone(),
            records: records.clone(),
        },
        count_figure(
            "Children in external residential care",
            "children",
            "Children with at least one such day in the period.".to_owned(),
            counts,
            records,
        ),
    ]
}

/// Telford's quarterly report for Budget Scrutiny.
pub fn budget_scrutiny(facts: &Facts, terms: &Terms) -> Vec<Section> {
    let (cohort_table, in_cohort) = cohorts_over_time(facts, terms);
    let (looked_after, by_type, by_provider) = placements(facts);
    vec![
        Section {
            title: "Children by cohort".to_owned(),
            figures: vec![in_cohort],
            tables: vec![cohort_table],
            notes: Vec::new(),
        },
        Section {
            title: "Placements".to_owned(),
            figures: vec![looked_after],
            tables: vec![by_type, by_provider],
            notes: Vec::new(),
        },
        Section {
            title: "External residential care".to_owned(),
            figures: external_residential(facts),
            tables: Vec::new(),
            notes: Vec::new(),
        },
        Section {
            title: "Panel activity".to_owned(),
            figures: vec![meetings_held_figure(facts), children_heard_figure(facts)],
            tables: Vec::new(),
            notes: Vec::new(),
        },
    ]
}

/// Long-term fostering matches agreed (ratified) in the period, from the
/// panel's plans (`MATCH_AGREED`).
fn ltf_ratified_figure(facts: &Facts) -> Figure {
    let records = facts
        .records
        .iter()
        .filter_map(|r| {
            let on = r.plan.as_ref()?.match_agreed?;
            (facts.from <= on && on <= facts.to).then(|| Counted {
                child: r.child.id.clone(),
                detail: format!("match agreed {}", dmy(on)),
            })
        })
        .collect();
    count_figure(
        "Children achieving permanence: long-term fostering ratified",
        "children",
        "Children whose long-term fostering match was agreed in the period (MATCH_AGREED in the panel's plans).".to_owned(),
        format!(
            "The panel's plan facts with a match agreed (MATCH_AGREED) from {}.",
            period_text(facts)
        ),
        records,
    )
}

/// Telford's yearly targets against actuals.
pub fn annual_plan(facts: &Facts, targets: &Targets) -> Vec<Section> {
    let t = &targets.targets;
    let with = |mut f: Figure, target: Option<f64>| {
        f.target = target;
        f
    };
    let permanence = vec![
        with(route_figure(facts, ADOPTION), t.adoption),
        with(route_figure(facts, SGO), t.sgo),
        with(route_figure(facts, CAO), t.cao),
        with(route_figure(facts, RETURN_HOME), t.return_home),
        with(ltf_ratified_figure(facts), t.long_term_fostering_ratified),
    ];
    let panel = vec![
        with(children_heard_figure(facts), t.children_heard),
        with(actions_on_time_figure(facts), t.actions_on_time_percent),
    ];
    let chart_rows = permanence
        .iter()
        .chain(panel.iter().filter(|f| f.unit == "children"))
        .filter_map(|f| {
            let target = f.target?;
            let label = capitalised(
                f.measure
                    .trim_start_matches("Children achieving permanence: "),
            );
            Some((label, vec![target, f.value.unwrap_or(0.0)]))
        })
        .collect();
    let table = Table {
        title: "Targets and actuals (children)".to_owned(),
        label_header: "Measure".to_owned(),
        columns: vec!["Target".to_owned(), "Actual".to_owned()],
        rows: chart_rows,
        chart: Some(ChartKind::Bar),
        key: Vec::new(),
        definition: "The yearly targets of the action plan that count children, against the actuals of the period.".to_owned(),
    };
    let mut notes = Vec::new();
    if let Some(title) = &targets.title {
        notes.push(format!("Targets: {title}."));
    }
    notes.push(
        "Return home counts E4A (returned home as part of the care plan) only: E4B is a return home outside the care plan and E13 is living with someone without parental responsibility (the DfE's guidance on the return).".to_owned(),
    );
    vec![
        Section {
            title: "Children achieving permanence".to_owned(),
            figures: permanence,
            tables: vec![table],
            notes,
        },
        Section {
            title: "The panel's work".to_owned(),
            figures: panel,
            tables: Vec::new(),
            notes: Vec::new(),
        },
    ]
}

/// A1 of the adoption scorecard.
fn a1_figure(facts: &Facts) -> Figure {
    let mut days = Vec::new();
    let mut records = Vec::new();
    for l in leavings(facts, ADOPTION) {
        let moved_in = same_carers_run_start(l.record, &l.care).start;
        let d = (moved_in - l.period_start).num_days();
        days.push(d);
        records.push(Counted {
            child: l.record.child.id.clone(),
            detail: format!(
                "entered care {}, moved in with the adoptive family {}, adopted {}: {d} days",
                dmy(l.period_start),
                dmy(moved_in),
                dmy(l.left)
            ),
        });
    }
    Figure {
        measure: "A1: entering care to moving in with the adoptive family".to_owned(),
        value: average(&days),
        unit: "days",
        missing: days.is_empty().then(|| "no children were adopted in the period".to_owned()),
        target: None,
        definition: "Adoption scorecard A1: the average days between a child entering care and moving in with its adoptive family, for children adopted in the period. Moving in is the start of the placement with the carers who adopted (for adoption by the foster carers, when the child moved in with them).".to_owned(),
        counts: format!(
            "Children who left care with REC E11 or E12 from {}: the start of their period of care, and the start of the same-carers run of the episode that ended in adoption.",
            period_text(facts)
        ),
        records,
    }
}

/// The start of the placement order (legal status E1) in the period of
/// care that ended at the leaving, if the child had one.
fn placement_order_start(l: &Leaving<'_>) -> Option<NaiveDate> {
    l.record
        .episodes
        .iter()
        .filter(|e| {
            e.ls == crate::model::LegalStatus::E1 && e.decom >= l.period_start && e.decom <= l.left
        })
        .map(|e| e.decom)
        .min()
}

/// A2 of the adoption scorecard, from the AD1 table's match date.
fn a2_figure(facts: &Facts) -> Figure {
    let mut days = Vec::new();
    let mut records = Vec::new();
    let adopted = leavings(facts, ADOPTION);
    let with_ad1 = adopted
        .iter()
        .filter(|l| facts.ad1.contains_key(&l.record.child.id))
        .count();
    for l in &adopted {
        let Some(ad1) = facts.ad1.get(&l.record.child.id) else {
            continue;
        };
        let (Some(order), Some(matched)) = (placement_order_start(l), ad1.date_match) else {
            continue;
        };
        let d = (matched - order).num_days();
        days.push(d);
        records.push(Counted {
            child: l.record.child.id.clone(),
            detail: format!(
                "placement order {}, matched with the adopters {}: {d} days",
                dmy(order),
                dmy(matched)
            ),
        });
    }
    let missing = days.is_empty().then(|| {
        if adopted.is_empty() {
            "no children were adopted in the period".to_owned()
        } else if with_ad1 == 0 {
            "not recorded: the returns held have no adoption details (AD1) for the children adopted in the period".to_owned()
        } else {
            "not recorded: no child adopted in the period has both a placement order and a match date".to_owned()
        }
    });
    Figure {
        measure: "A2: placement order to match decision".to_owned(),
        value: average(&days),
        unit: "days",
        missing,
        target: None,
        definition: "Adoption scorecard A2: the average days between the local authority receiving court authority to place a child (the placement order) and deciding on a match to an adoptive family, for children adopted in the period.".to_owned(),
        counts: format!(
            "Children who left care adopted from {}: the first episode of the period of care with legal status E1 (placement order granted), and the date of the match in the return's adoption details (AD1 DATE_MATCH).",
            period_text(facts)
        ),
        records,
    }
}

/// A10 of the adoption scorecard: entering care to moving in with the
/// adoptive family, where a child adopted by its foster carers counts to
/// the match with them (AD1 FOSTER_CARE 1), as the scorecard adjusts.
fn a10_figure(facts: &Facts) -> Figure {
    let mut days = Vec::new();
    let mut records = Vec::new();
    let adopted = leavings(facts, ADOPTION);
    for l in &adopted {
        let Some(ad1) = facts.ad1.get(&l.record.child.id) else {
            continue;
        };
        let (end, what) = match (ad1.by_foster_carers, ad1.date_match) {
            (true, Some(matched)) => (matched, "matched with the foster carers who adopted"),
            _ => (
                same_carers_run_start(l.record, &l.care).start,
                "moved in with the adoptive family",
            ),
        };
        let d = (end - l.period_start).num_days();
        days.push(d);
        records.push(Counted {
            child: l.record.child.id.clone(),
            detail: format!(
                "entered care {}, {what} {}: {d} days",
                dmy(l.period_start),
                dmy(end)
            ),
        });
    }
    let missing = days.is_empty().then(|| {
        if adopted.is_empty() {
            "no children were adopted in the period".to_owned()
        } else {
            "not recorded: the returns held have no adoption details (AD1) for the children adopted in the period".to_owned()
        }
    });
    Figure {
        measure: "A10: entering care to moving in with the adoptive family, adjusted for foster carer adoptions".to_owned(),
        value: average(&days),
        unit: "days",
        missing,
        target: None,
        definition: "Adoption scorecard A10: the average days between a child entering care and moving in with its adoptive family, adjusted for foster carer adoptions: for a child adopted by its foster carers, the date of the match with them stands for moving in.".to_owned(),
        counts: format!(
            "Children who left care adopted from {} with adoption details (AD1) in the returns held: the start of the period of care, and the match date (AD1 DATE_MATCH) when the foster carers adopted (AD1 FOSTER_CARE 1), else the start of the placement with the adopters.",
            period_text(facts)
        ),
        records,
    }
}

fn time_to_permanence(facts: &Facts) -> (Vec<Figure>, Table) {
    let mut figures = vec![a1_figure(facts), a2_figure(facts), a10_figure(facts)];
    let mut rows = Vec::new();
    for route in ROUTES {
        let mut days = Vec::new();
        let mut records = Vec::new();
        for l in leavings(facts, *route) {
            let d = (l.left - l.period_start).num_days();
            days.push(d);
            records.push(Counted {
                child: l.record.child.id.clone(),
                detail: format!(
                    "entered care {}, left {}: {d} days",
                    dmy(l.period_start),
                    dmy(l.left)
                ),
            });
        }
        let avg = average(&days);
        rows.push((route.label.to_owned(), vec![avg.unwrap_or(0.0)]));
        figures.push(Figure {
            measure: format!("Time to permanence: {}", route.label.to_lowercase()),
            value: avg,
            unit: "days",
            missing: days
                .is_empty()
                .then(|| "no children left care this way in the period".to_owned()),
            target: None,
            definition: format!(
                "The average days from the start of the period of care to leaving care with REC {}, for the {} who left care this way in the period.",
                codes_text(route.codes),
                panel_core::text::count_of(days.len(), "child", "children")
            ),
            counts: format!(
                "Episodes rows with DEC from {} and REC in {}, and the first episode of each one's period of care.",
                period_text(facts),
                codes_text(route.codes)
            ),
            records,
        });
    }
    let table = Table {
        title: "Average days from entering care to leaving, by route".to_owned(),
        label_header: "Route".to_owned(),
        columns: vec!["Average days".to_owned()],
        rows,
        chart: Some(ChartKind::Bar),
        key: Vec::new(),
        definition: "As the time to permanence figures; 0 where no child left care by the route."
            .to_owned(),
    };
    (figures, table)
}

/// The median and range of `days` (sorted here): "median 120 days (from
/// 14 to 900 days)".
pub(crate) fn median_and_range(days: &mut [i64]) -> Option<(f64, i64, i64)> {
    days.sort_unstable();
    let n = days.len();
    if n == 0 {
        return None;
    }
    let median = if n % 2 == 1 {
        days[n / 2] as f64
    } else {
        (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0
    };
    Some((median, days[0], days[n - 1]))
}

/// Drift told straight: children with no plan agreed today apart from
/// those whose plan was agreed, but late (after the second review), with
/// how late; and reviews overdue.
fn drift(facts: &Facts) -> Vec<Figure> {
    let calendar = Calendar::england_and_wales();
    let mut no_plan = Vec::new();
    let mut late = Vec::new();
    let mut late_days = Vec::new();
    let mut overdue = Vec::new();
    for record in &facts.records {
        for flag in flags::flags(record, facts.to, &calendar) {
            match flag {
                flags::Flag::NoPlanBySecondReview {
                    second_review,
                    agreed_later: None,
                } => no_plan.push(Counted {
                    child: record.child.id.clone(),
                    detail: format!(
                        "second review {}; no permanence plan agreed by {}",
                        dmy(second_review),
                        dmy(facts.to)
                    ),
                }),
                flags::Flag::NoPlanBySecondReview {
                    second_review,
                    agreed_later: Some(agreed),
                } => {
                    let d = (agreed - second_review).num_days();
                    late_days.push(d);
                    late.push(Counted {
                        child: record.child.id.clone(),
                        detail: format!(
                            "second review {}; plan agreed {}: {d} days after it",
                            dmy(second_review),
                            dmy(agreed)
                        ),
                    });
                }
                flags::Flag::ReviewOverdue { .. } => overdue.push(Counted {
                    child: record.child.id.clone(),
                    detail: flag.sentence(),
                }),
            }
        }
    }
    let late_measure = match median_and_range(&mut late_days) {
        Some((median, least, most)) => format!(
            "Drift: permanence plan agreed late, after the second review (median {} days late, from {least} to {most} days)",
            super::number(median)
        ),
        None => "Drift: permanence plan agreed late, after the second review".to_owned(),
    };
    let counts = format!(
        "Each child's episodes, reviews and plan facts at {}, through the card's drift flags.",
        dmy(facts.to)
    );
    vec![
        count_figure(
            "Drift: no permanence plan agreed yet, past the second review",
            "children",
            format!(
                "Children looked after on {} with two or more reviews in this period of care and no plan other than undecided agreed by that date.",
                dmy(facts.to)
            ),
            counts.clone(),
            no_plan,
        ),
        count_figure(
            &late_measure,
            "children",
            format!(
                "Children looked after on {} whose plan was agreed after their second review in this period of care (not by it): how many days after it, as the median and the range.",
                dmy(facts.to)
            ),
            counts.clone(),
            late,
        ),
        count_figure(
            "Drift: review overdue",
            "children",
            "Children looked after at the end date whose next statutory review is past its deadline (first within 20 working days, second within 3 months, then every 6 months).".to_owned(),
            counts,
            overdue,
        ),
    ]
}

fn long_term_matching(facts: &Facts) -> Vec<Figure> {
    // The one count of demand and capacity, which the app shows too.
    let demand = super::fostering::demand(&facts.records, &facts.fostering_panels, facts.to);
    let booked: BTreeMap<&str, NaiveDate> = facts
        .fostering_panels
        .iter()
        .flat_map(|p| p.booked.iter().map(move |c| (c.as_str(), p.date)))
        .collect();
    let horizon = demand.horizon;
    let ahead = super::fostering::sittings_ahead(&facts.fostering_panels, facts.to);
    let waiting: Vec<Counted> = demand
        .waiting
        .iter()
        .map(|w| Counted {
            child: w.child.clone(),
            detail: match w.booked {
                Some(d) => format!(
                    "long-term fostering plan agreed {}; booked to the Fostering Panel of {}",
                    dmy(w.agreed),
                    dmy(d)
                ),
                None => format!(
                    "long-term fostering plan agreed {}; not booked to a Fostering Panel",
                    dmy(w.agreed)
                ),
            },
        })
        .collect();
    let horizon_text = format!(
        "{} to {}",
        dmy(facts.to.succ_opt().unwrap_or(facts.to)),
        dmy(horizon)
    );
    let mut figures = Vec::new();
    if facts.fostering_panels.is_empty() {
        figures.push(Figure {
            measure: "Fostering Panel capacity for long-term matches".to_owned(),
            value: None,
            unit: "matches",
            missing: Some("not recorded".to_owned()),
            target: None,
            definition: "The terms of reference ask the panel to oversee that the Fostering Panel has capacity to make long-term matches in a timely way.".to_owned(),
            counts: "No sittings of the Fostering Panel are recorded by the panel, so its capacity cannot be set against the demand above.".to_owned(),
            records: Vec::new(),
        });
    } else {
        let (slots, free) = (demand.slots, demand.free);
        figures.push(Figure {
            measure: format!("Fostering Panel slots for long-term matches, {horizon_text}"),
            value: Some(f64::from(slots)),
            unit: "matches",
            missing: None,
            target: None,
            definition: "The long-term matches the Fostering Panel's sittings in the six months after the end date can hear, as the panel recorded them; the terms of reference ask the panel to oversee that this capacity lets long-term matches be made in a timely way.".to_owned(),
            counts: {
                let sittings: Vec<String> = ahead
                    .iter()
                    .map(|p| {
                        format!(
                            "{} ({} {}, {} booked)",
                            dmy(p.date),
                            p.slots,
                            if p.slots == 1 { "slot" } else { "slots" },
                            p.booked.len()
                        )
                    })
                    .collect();
                if sittings.is_empty() {
                    format!("No sittings of the Fostering Panel are recorded from {horizon_text}.")
                } else {
                    format!(
                        "The Fostering Panel's sittings recorded from {horizon_text}: {}.",
                        sittings.join("; ")
                    )
                }
            },
            records: Vec::new(),
        });
        let unbooked = demand.unbooked().count();
        let short = demand.beyond_free_slots();
        figures.push(count_figure(
            &format!(
                "Children waiting for a long-term match beyond the Fostering Panel's free slots ({unbooked} not booked; {free} free {} to {})",
                if free == 1 { "slot" } else { "slots" },
                dmy(horizon)
            ),
            "children",
            format!(
                "Of the children waiting for a long-term fostering match on {} and not booked to a Fostering Panel, those beyond the free slots of the sittings from {horizon_text}: the demand the recorded capacity does not meet.",
                dmy(facts.to)
            ),
            "The children waiting (below) not booked to a sitting, less the sittings' free slots.".to_owned(),
            waiting
                .iter()
                .zip(&demand.waiting)
                .filter(|(_, w)| w.booked.is_none())
                .map(|(c, _)| c)
                .skip(free as usize)
                .take(short)
                .cloned()
                .collect(),
        ));
        let mut waits = Vec::new();
        let mut heard = Vec::new();
        for record in &facts.records {
            let Some(sitting) = booked.get(record.child.id.as_str()) else {
                continue;
            };
            if *sitting < facts.from || *sitting > facts.to {
                continue;
            }
            let Some((PlanKind::LongTermFostering, agreed)) = agreed_plan(record, *sitting) else {
                continue;
            };
            let d = (*sitting - agreed).num_days();
            waits.push(d);
            heard.push(Counted {
                child: record.child.id.clone(),
                detail: format!(
                    "plan agreed {}, Fostering Panel {}: {d} days",
                    dmy(agreed),
                    dmy(*sitting)
                ),
            });
        }
        let shown = median_and_range(&mut waits);
        figures.push(Figure {
            measure: match shown {
                Some((_, least, most)) => format!(
                    "Wait from a long-term fostering plan to the Fostering Panel (median; from {least} to {most} days)"
                ),
                None => "Wait from a long-term fostering plan to the Fostering Panel".to_owned(),
            },
            value: shown.map(|(median, _, _)| median),
            unit: "days",
            missing: shown.is_none().then(|| {
                "no child's match was booked to a Fostering Panel sitting in the period".to_owned()
            }),
            target: None,
            definition: "The days from a child's long-term fostering plan being agreed to the Fostering Panel sitting their match was booked to, for sittings in the period: the median, and the shortest and longest.".to_owned(),
            counts: format!(
                "Children booked to a Fostering Panel sitting from {}, with a long-term fostering plan agreed by then.",
                period_text(facts)
            ),
            records: heard,
        });
    }
    // Demand first, then the capacity set against it.
    figures.insert(0, count_figure(
        "Children waiting for a long-term fostering match",
        "children",
        format!(
            "Children looked after on {} with a long-term fostering plan agreed and no long-term match agreed (no match date on or before the date and not in a long-term foster placement, U1 or U4).",
            dmy(facts.to)
        ),
        "The panel's plan facts and the open Episodes row of each child.".to_owned(),
        waiting,
    ));
    figures
}

/// Wiltshire's six-monthly report to the Senior Management Team.
pub fn smt(facts: &Facts) -> Vec<Section> {
    let (ttp, ttp_table) = time_to_permanence(facts);
    vec![
        Section {
            title: "The panel's work".to_owned(),
            figures: vec![
                meetings_held_figure(facts),
                children_heard_figure(facts),
                decisions_figure(facts),
                actions_on_time_figure(facts),
            ],
            tables: Vec::new(),
            notes: Vec::new(),
        },
        Section {
            title: "Time to permanence".to_owned(),
            figures: ttp,
            tables: vec![ttp_table],
            notes: Vec::new(),
        },
        Section {
            title: "Drift".to_owned(),
            figures: drift(facts),
            tables: Vec::new(),
            notes: Vec::new(),
        },
        Section {
            title: "Long-term fostering matches".to_owned(),
            figures: long_term_matching(facts),
            tables: Vec::new(),
            notes: Vec::new(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{child_with_id, date};

    fn facts(from: &str, to: &str, records: Vec<ChildRecord>) -> Facts {
        Facts {
            from: date(from),
            to: date(to),
            records,
            meetings_held: Vec::new(),
            decisions: Vec::new(),
            actions_done: Vec::new(),
            fostering_panels: Vec::new(),
            ad1: std::collections::HashMap::new(),
        }
    }

    #[test]
    fn a1_counts_from_entering_care_to_moving_in_with_the_adopters() {
        let records = vec![
            // Moved to adopters (P: new carers) on 01/09/2024, 244 days
            // after entering care on 01/01/2024; adopted in the period.
            child_with_id("C1", "01/03/2022")
                .ep("01/01/2024  S  C2  U6  PR1  01/06/2024")
                .ep("01/06/2024  L  E1  U6  PR1  01/09/2024")
                .ep("01/09/2024  P  E1  A6  PR1  20/05/2026  E11")
                .build(),
            // Adopted by the foster carers (U: same carers) they joined on
            // entering care: 0 days.
            child_with_id("C2", "01/03/2022")
                .ep("01/02/2024  S  C2  U6  PR1  01/08/2024")
                .ep("01/08/2024  U  E1  A5  PR1  01/06/2026  E12")
                .build(),
            // Adopted before the period: not counted.
            child_with_id("C3", "01/03/2022")
                .ep("01/01/2023  S  C2  U6  PR1  01/02/2023")
                .ep("01/02/2023  P  E1  A6  PR1  01/02/2026  E11")
                .build(),
        ];
        let f = a1_figure(&facts("01/04/2026", "30/09/2026", records));
        assert_eq!(f.value, Some((244.0 + 0.0) / 2.0));
        let counted: Vec<&str> = f.records.iter().map(|c| c.child.as_str()).collect();
        assert_eq!(counted, ["C1", "C2"]);
    }

    /// The two adoptions of the A1 test, C2 by its foster carers.
    fn adopted() -> Vec<ChildRecord> {
        vec![
            child_with_id("C1", "01/03/2022")
                .ep("01/01/2024  S  C2  U6  PR1  01/06/2024")
                .ep("01/06/2024  L  E1  U6  PR1  01/09/2024")
                .ep("01/09/2024  P  E1  A6  PR1  20/05/2026  E11")
                .build(),
            child_with_id("C2", "01/03/2022")
                .ep("01/02/2024  S  C2  U6  PR1  01/08/2024")
                .ep("01/08/2024  U  E1  A5  PR1  01/06/2026  E12")
                .build(),
        ]
    }

    #[test]
    fn a2_and_a10_come_from_the_adoption_details_where_held() {
        let mut f = facts("01/04/2026", "30/09/2026", adopted());
        // Without AD1, neither is computed, and each says why.
        assert_eq!(a2_figure(&f).value, None);
        assert!(a2_figure(&f).missing.is_some_and(|m| {
            m.starts_with("not recorded: the returns held have no adoption details")
        }));
        assert_eq!(a10_figure(&f).value, None);
        let ad1 = |matched: &str, by_foster_carers: bool| super::super::facts::Ad1 {
            date_match: Some(date(matched)),
            by_foster_carers,
        };
        f.ad1.insert("C1".into(), ad1("15/08/2024", false));
        f.ad1.insert("C2".into(), ad1("01/07/2024", true));
        // A2: placement order (E1 from 01/06/2024 and 01/08/2024) to match.
        let a2 = a2_figure(&f);
        // C1: 01/06/2024 to 15/08/2024 = 75 days; C2 matched before its
        // order (-31 days), as the return says.
        assert_eq!(a2.value, Some((75.0 - 31.0) / 2.0));
        assert_eq!(a2.records.len(), 2);
        // A10: C1 to moving in (01/09/2024, 244 days); C2, adopted by its
        // foster carers, to the match (01/07/2024, 151 days).
        let a10 = a10_figure(&f);
        assert_eq!(a10.value, Some((244.0 + 151.0) / 2.0));
        assert!(
            a10.records[1]
                .detail
                .contains("matched with the foster carers who adopted 01/07/2024")
        );
    }

    #[test]
    fn drift_splits_no_plan_today_from_a_plan_agreed_late_with_how_late() {
        let records = vec![
            // Two reviews, no plan at all: drifting today.
            child_with_id("C1", "01/03/2015")
                .ep("01/01/2025  S  C2  U6  PR1  open")
                .reviews(&["20/01/2025", "20/04/2025"])
                .build(),
            // Plan agreed 10 days after the second review.
            child_with_id("C2", "01/03/2015")
                .ep("01/01/2025  S  C2  U6  PR1  open")
                .reviews(&["20/01/2025", "20/04/2025"])
                .plan("adoption", "30/04/2025")
                .build(),
            // Plan agreed 100 days after the second review.
            child_with_id("C3", "01/03/2015")
                .ep("01/01/2025  S  C2  U6  PR1  open")
                .reviews(&["20/01/2025", "20/04/2025"])
                .plan("sgo", "29/07/2025")
                .build(),
            // Plan agreed by the second review: not drift.
            child_with_id("C4", "01/03/2015")
                .ep("01/01/2025  S  C2  U6  PR1  open")
                .reviews(&["20/01/2025", "20/04/2025"])
                .plan("sgo", "20/04/2025")
                .build(),
        ];
        let figures = drift(&facts("01/04/2025", "30/09/2025", records));
        let by = |start: &str| {
            figures
                .iter()
                .find(|f| f.measure.starts_with(start))
                .unwrap_or_else(|| panic!("no {start}: {figures:?}"))
        };
        let none = by("Drift: no permanence plan agreed yet");
        assert_eq!(none.value, Some(1.0));
        assert_eq!(none.records[0].child, "C1");
        let late = by("Drift: permanence plan agreed late");
        assert_eq!(late.value, Some(2.0));
        assert_eq!(
            late.measure,
            "Drift: permanence plan agreed late, after the second review (median 55 days late, from 10 to 100 days)"
        );
        let children: Vec<&str> = late.records.iter().map(|c| c.child.as_str()).collect();
        assert_eq!(children, ["C2", "C3"]);
    }

    #[test]
    fn a1_with_no_adoptions_says_so_rather_than_zero() {
        let f = a1_figure(&facts("01/04/2026", "30/09/2026", Vec::new()));
        assert_eq!(f.value, None);
        assert_eq!(f.shown(), "no children were adopted in the period");
    }

    #[test]
    fn external_residential_days_count_only_looked_after_days_in_private_or_voluntary_homes() {
        let records = vec![
            // K2 PR4 until 10/07 (DEC, not a day in it): 01/07 to 09/07 = 9 days;
            // then a council home (PR1): not external.
            child_with_id("C1", "01/03/2012")
                .ep("01/01/2026  S  C2  K2  PR4  10/07/2026")
                .ep("10/07/2026  P  C2  K2  PR1  open")
                .build(),
            // K2 PR5, turns 18 on 15/08/2026: 01/07 to 14/08 = 45 days.
            child_with_id("C2", "15/08/2008")
                .ep("01/01/2025  S  C2  K2  PR5  open")
                .build(),
            // Another council's home (PR2) and a secure home (K1): not counted.
            child_with_id("C3", "01/03/2012")
                .ep("01/01/2025  S  C2  K2  PR2  01/08/2026")
                .ep("01/08/2026  P  C2  K1  PR4  open")
                .build(),
        ];
        let days = external_residential_days(&facts("01/07/2026", "30/09/2026", records));
        assert_eq!(days, [("C1".to_owned(), 9), ("C2".to_owned(), 45)]);
    }

    #[test]
    fn return_home_counts_e4a_only_and_a_child_leaving_twice_once() {
        let records = vec![
            child_with_id("C1", "01/03/2012")
                .ep("01/01/2026  S  C2  U6  PR1  01/05/2026  E4A")
                .ep("01/06/2026  S  C2  U6  PR1  01/08/2026  E4A")
                .build(),
            child_with_id("C2", "01/03/2012")
                .ep("01/01/2026  S  C2  U6  PR1  01/05/2026  E4B")
                .build(),
            child_with_id("C3", "01/03/2012")
                .ep("01/01/2026  S  C2  U6  PR1  01/05/2026  E13")
                .build(),
        ];
        let f = facts("01/04/2026", "30/09/2026", records);
        let left = leavings(&f, RETURN_HOME);
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].record.child.id, "C1");
        // The later leaving, from its own period of care.
        assert_eq!(left[0].left, date("01/08/2026"));
        assert_eq!(left[0].period_start, date("01/06/2026"));
    }

    #[test]
    fn every_placement_code_is_in_exactly_one_group() {
        for place in Place::ALL {
            let groups = PLACEMENT_GROUPS
                .iter()
                .filter(|(_, codes)| codes.contains(place))
                .count();
            assert_eq!(groups, 1, "{} is in {groups} groups", place.code());
        }
    }

    #[test]
    fn month_ends_include_the_end_date_when_it_is_not_one() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("a date");
        assert_eq!(
            month_ends(d(2026, 4, 1), d(2026, 6, 30)),
            [d(2026, 4, 30), d(2026, 5, 31), d(2026, 6, 30)]
        );
        assert_eq!(
            month_ends(d(2026, 11, 15), d(2027, 2, 10)),
            [
                d(2026, 11, 30),
                d(2026, 12, 31),
                d(2027, 1, 31),
                d(2027, 2, 10)
            ]
        );
        assert_eq!(month_ends(d(2026, 5, 2), d(2026, 5, 9)), [d(2026, 5, 9)]);
    }
}
