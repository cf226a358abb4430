//! Who is in which cohort at D, since when, and why, in a sentence a chair
//! can read aloud (`rules.md`, Telford and Wiltshire tables).

use chrono::NaiveDate;

use crate::model::{ChildRecord, CohortId, LegalStatus, PlanKind};
use crate::rules::care::{
    self, CareAt, SettingClass, achieved_on, agreed_plan, capitalised, care_at,
    legal_status_phrase, legal_status_run_start, long_term_match_agreed, longer_than_months,
    match_agreed_on, placement_phrase, reviews_in_period, run_episodes, same_carers_run_start,
    setting_run_start, since_phrase,
};
use crate::rules::dates::{dmy, span_between};
use crate::terms::Terms;

/// A child in a cohort: since when, and the sentence that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub child: String,
    pub cohort: CohortId,
    pub since: NaiveDate,
    pub reason: String,
}

/// A referral made to the panel. It is open at D when it was made on or
/// before D and not heard on or before D.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub child: String,
    pub made_on: NaiveDate,
    /// The meeting date that heard it; `None` while waiting.
    pub heard_on: Option<NaiveDate>,
}

impl Referral {
    pub fn is_open_at(&self, d: NaiveDate) -> bool {
        self.made_on <= d && self.heard_on.is_none_or(|h| h > d)
    }
}

/// A child the panel carried over from the meeting on `meeting`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedOver {
    pub child: String,
    pub meeting: NaiveDate,
}

/// The panel's own routes onto the agenda (Wiltshire `referral` and
/// `carried-over`), kept by the panel rather than the return.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PanelRoutes {
    pub referrals: Vec<Referral>,
    pub carried_over: Vec<CarriedOver>,
}

/// The cohorts of `terms` the child is in at `d`, in the terms' priority
/// order. Every cohort requires the child to be looked after at `d`.
pub fn memberships(
    record: &ChildRecord,
    terms: &Terms,
    d: NaiveDate,
    routes: &PanelRoutes,
) -> Vec<Membership> {
    let Some(care) = care_at(record, d) else {
        return Vec::new();
    };
    let mut out: Vec<Membership> = Vec::new();
    for &cohort in &terms.cohorts {
        if out.iter().any(|m| m.cohort == cohort) {
            continue; // a cohort listed twice in custom terms counts once
        }
        if let Some((since, reason)) = test_cohort(cohort, record, &care, terms, d, routes) {
            out.push(Membership {
                child: record.child.id.clone(),
                cohort,
                since,
                reason,
            });
        }
    }
    out
}

/// Whether the child is in `cohort` at `d`; its since date and sentence.
pub fn test_cohort(
    cohort: CohortId,
    record: &ChildRecord,
    care: &CareAt,
    terms: &Terms,
    d: NaiveDate,
    routes: &PanelRoutes,
) -> Option<(NaiveDate, String)> {
    match cohort {
        CohortId::NoParentalResponsibility => no_parental_responsibility(record, care, d),
        CohortId::PlacementOrder9m => placement_order_9m(record, care, d),
        CohortId::CareOrderLtfUnmatched => care_order_ltf_unmatched(record, care, d),
        CohortId::Foster12m => foster_12m(record, care, d),
        CohortId::Home12m => home_12m(record, care, d),
        CohortId::ExternalResidential12m => external_residential_12m(record, care, terms, d),
        CohortId::TrackedFromThirdReview => tracked_from_third_review(record, care, d),
        CohortId::Referral => referral(record, care, d, routes),
        CohortId::CarriedOver => carried_over(record, care, d, routes),
    }
}

/// Sorts memberships as the `cohorts` output lists them: by the cohort's
/// priority in `terms`, then since, then child id.
pub fn sort_for_contract(all: &mut [Membership], terms: &Terms) {
    let priority = |c: CohortId| {
        terms
            .cohorts
            .iter()
            .position(|t| *t == c)
            .unwrap_or(usize::MAX)
    };
    all.sort_by(|a, b| {
        (priority(a.cohort), a.since, &a.child).cmp(&(priority(b.cohort), b.since, &b.child))
    });
}

/// The order within `foster-12m` the Telford terms ask for: 0 for no
/// long-term fostering match agreed, 1 for carers exploring an SGO/CAO or
/// connected-person carers, 2 for the rest. `None` when not looked after.
pub fn foster_12m_rank(record: &ChildRecord, d: NaiveDate) -> Option<u8> {
    let care = care_at(record, d)?;
    Some(foster_12m_rank_at(record, &care, d))
}

pub fn foster_12m_rank_at(record: &ChildRecord, care: &CareAt, d: NaiveDate) -> u8 {
    if !long_term_match_agreed(record, care, d) {
        0
    } else if care::potential_sgo(record) || connected_person_carers(record, care) {
        1
    } else {
        2
    }
}

fn connected_person_carers(record: &ChildRecord, care: &CareAt) -> bool {
    record
        .episodes
        .get(care.current)
        .is_some_and(|e| SettingClass::ConnectedPerson.contains(e.place))
}

fn no_parental_responsibility(
    record: &ChildRecord,
    care: &CareAt,
    d: NaiveDate,
) -> Option<(NaiveDate, String)> {
    let current = record.episodes.get(care.current)?;
    if SettingClass::PlacedForAdoption.contains(current.place) {
        return None;
    }
    let no_pr = care::no_pr(record);
    if current.ls == LegalStatus::D1 {
        // Dated from the freeing order even when NO_PR = Y as well.
        let run = legal_status_run_start(record, care, &[LegalStatus::D1])?;
        let also = if no_pr {
            "; no person has parental responsibility (NO_PR = Y)"
        } else {
            ""
        };
        let reason = format!(
            "{} ({}) {}{also}; {}",
            capitalised(current.ls.meaning()),
            current.ls.code(),
            since_phrase(run.start, d),
            placement_phrase(record, care, d)
        );
        Some((run.start, reason))
    } else if no_pr {
        let reason = format!(
            "No person has parental responsibility (NO_PR = Y); in care {}; {}; {}",
            since_phrase(care.period_start, d),
            legal_status_phrase(record, care, d),
            placement_phrase(record, care, d)
        );
        Some((care.period_start, reason))
    } else {
        None
    }
}

fn placement_order_9m(
    record: &ChildRecord,
    care: &CareAt,
    d: NaiveDate,
) -> Option<(NaiveDate, String)> {
    let run = legal_status_run_start(record, care, &[LegalStatus::E1])?;
    if !longer_than_months(run.start, 9, d) {
        return None;
    }
    let reason = format!(
        "{} (E1) {}, longer than 9 months; {}",
        capitalised(LegalStatus::E1.meaning()),
        since_phrase(run.start, d),
        placement_phrase(record, care, d)
    );
    Some((run.start, reason))
}

fn care_order_ltf_unmatched(
    record: &ChildRecord,
    care: &CareAt,
    d: NaiveDate,
) -> Option<(NaiveDate, String)> {
    let current = record.episodes.get(care.current)?;
    if current.ls != LegalStatus::C2 {
        return None;
    }
    let (kind, agreed) = agreed_plan(record, d)?;
    if kind != PlanKind::LongTermFostering || long_term_match_agreed(record, care, d) {
        return None;
    }
    // Since PLAN_AGREED, even when that is before the current period.
    let reason = format!(
        "{}; plan of long-term fostering agreed on {} ({} ago), no long-term fostering match agreed; {}",
        capitalised(&legal_status_phrase(record, care, d)),
        dmy(agreed),
        span_between(agreed, d),
        placement_phrase(record, care, d)
    );
    Some((agreed, reason))
}

fn foster_12m(record: &ChildRecord, care: &CareAt, d: NaiveDate) -> Option<(NaiveDate, String)> {
    let current = record.episodes.get(care.current)?;
    if !SettingClass::Foster.contains(current.place) {
        return None;
    }
    let run = same_carers_run_start(record, care);
    if !run_episodes(record, care, run).all(|e| SettingClass::Foster.contains(e.place))
        || !longer_than_months(run.start, 12, d)
    {
        return None;
    }
    let matched = if let Some(on) = match_agreed_on(record, d) {
        format!("long-term fostering match agreed on {}", dmy(on))
    } else if SettingClass::LongTermFoster.contains(current.place) {
        "long-term fostering match agreed (long-term placement)".to_owned()
    } else {
        "no long-term fostering match agreed".to_owned()
    };
    let mut reason = format!(
        "With the same foster carers {}, longer than 12 months; {} ({}); {matched}",
        since_phrase(run.start, d),
        current.place.meaning(),
        current.place.code(),
    );
    if care::potential_sgo(record) {
        reason.push_str(
            "; carers exploring a special guardianship or child arrangements order (POTENTIAL_SGO = Y)",
        );
    }
    if SettingClass::ConnectedPerson.contains(current.place) {
        reason.push_str("; connected-person carers");
    }
    reason.push_str("; ");
    reason.push_str(&legal_status_phrase(record, care, d));
    Some((run.start, reason))
}

fn home_12m(record: &ChildRecord, care: &CareAt, d: NaiveDate) -> Option<(NaiveDate, String)> {
    let run = setting_run_start(record, care, SettingClass::WithParents)?;
    if !longer_than_months(run.start, 12, d) {
        return None;
    }
    let current = record.episodes.get(care.current)?;
    let reason = format!(
        "{} ({}) {}, longer than 12 months; {}",
        capitalised(current.place.meaning()),
        current.place.code(),
        since_phrase(run.start, d),
        legal_status_phrase(record, care, d)
    );
    Some((run.start, reason))
}

fn external_residential_12m(
    record: &ChildRecord,
    care: &CareAt,
    terms: &Terms,
    d: NaiveDate,
) -> Option<(NaiveDate, String)> {
    let run = setting_run_start(record, care, SettingClass::Residential)?;
    // Every episode of the residential run must be external: a run that
    // began in-house does not count, even after a move to an external home.
    let all_external = run_episodes(record, care, run).all(|e| {
        e.place_provider
            .is_some_and(|p| terms.external_providers.contains(&p))
    });
    if !all_external || !longer_than_months(run.start, 12, d) {
        return None;
    }
    let reason = format!(
        "In residential care with an external provider {}, longer than 12 months; {}; {}",
        since_phrase(run.start, d),
        placement_phrase(record, care, d),
        legal_status_phrase(record, care, d)
    );
    Some((run.start, reason))
}

/// Children the adoption pathway tracks instead: `LS` E1 or D1, or placed
/// for adoption (A3 to A6).
fn on_adoption_pathway(record: &ChildRecord, care: &CareAt) -> bool {
    record.episodes.get(care.current).is_some_and(|e| {
        matches!(e.ls, LegalStatus::E1 | LegalStatus::D1)
            || SettingClass::PlacedForAdoption.contains(e.place)
    })
}

fn tracked_from_third_review(
    record: &ChildRecord,
    care: &CareAt,
    d: NaiveDate,
) -> Option<(NaiveDate, String)> {
    if on_adoption_pathway(record, care) || achieved_on(record, d).is_some() {
        return None;
    }
    let held = reviews_in_period(record, care.period_start, d);
    let third = held.get(2)?.review;
    let reason = format!(
        "Third review of this period of care held on {}; {} reviews since the period began on {}; {}; {}",
        dmy(third),
        held.len(),
        dmy(care.period_start),
        legal_status_phrase(record, care, d),
        placement_phrase(record, care, d)
    );
    Some((third, reason))
}

fn referral(
    record: &ChildRecord,
    care: &CareAt,
    d: NaiveDate,
    routes: &PanelRoutes,
) -> Option<(NaiveDate, String)> {
    // The longest-waiting open referral dates the membership.
    let made_on = routes
        .referrals
        .iter()
        .filter(|r| r.child == record.child.id && r.is_open_at(d))
        .map(|r| r.made_on)
        .min()?;
    let reason = format!(
        "Referred to the panel on {} ({} ago), not yet heard; {}; {}",
        dmy(made_on),
        span_between(made_on, d),
        legal_status_phrase(record, care, d),
        placement_phrase(record, care, d)
    );
    Some((made_on, reason))
}

fn carried_over(
    record: &ChildRecord,
    care: &CareAt,
    d: NaiveDate,
    routes: &PanelRoutes,
) -> Option<(NaiveDate, String)> {
    // The latest meeting on or before D that carried the child over.
    let meeting = routes
        .carried_over
        .iter()
        .filter(|c| c.child == record.child.id && c.meeting <= d)
        .map(|c| c.meeting)
        .max()?;
    let reason = format!(
        "Carried over by the panel at its meeting on {}; {}; {}",
        dmy(meeting),
        legal_status_phrase(record, care, d),
        placement_phrase(record, care, d)
    );
    Some((meeting, reason))
}
