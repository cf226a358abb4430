//! The words of `rules.md`: open episode, looked after at D, period of care,
//! same-carers run, setting run, legal-status run, "longer than N months".
//!
//! Everything here walks the child's episodes in place (no allocation), so
//! the cohort engine can run over 100,000 children in well under a second.

use chrono::NaiveDate;

use crate::model::{ChildRecord, Episode, LegalStatus, Place, PlanKind, Review};
use crate::rules::dates::{add_months, dmy, is_18_or_over, span_between};
use crate::text::capitalised;

/// Where a child looked after at D stands: the current episode and the
/// start of its period of care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CareAt {
    /// Index of the current episode in `record.episodes`.
    pub current: usize,
    /// Index of the first episode of the period of care.
    pub period_start_index: usize,
    /// `DECOM` of the period's first episode.
    pub period_start: NaiveDate,
}

/// The start of a run (same carers, setting or legal status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// Index of the run's first episode in `record.episodes`.
    pub first: usize,
    /// `DECOM` of that episode.
    pub start: NaiveDate,
}

/// The setting classes of `rules.md`, each a set of `PLACE` codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SettingClass {
    Foster,
    LongTermFoster,
    ConnectedPerson,
    WithParents,
    PlacedForAdoption,
    Residential,
}

impl SettingClass {
    pub fn contains(self, place: Place) -> bool {
        use Place::*;
        match self {
            SettingClass::Foster => matches!(place, U1 | U2 | U3 | U4 | U5 | U6),
            SettingClass::LongTermFoster => matches!(place, U1 | U4),
            SettingClass::ConnectedPerson => matches!(place, U1 | U2 | U3),
            SettingClass::WithParents => matches!(place, P1),
            SettingClass::PlacedForAdoption => matches!(place, A3 | A4 | A5 | A6),
            SettingClass::Residential => matches!(place, K1 | K2 | R1 | R2 | S1),
        }
    }
}

/// Whether `episode` is open at `d`: `DECOM <= D` and (`DEC` blank or `D < DEC`).
pub fn is_open_at(episode: &Episode, d: NaiveDate) -> bool {
    episode.decom <= d && episode.dec.is_none_or(|dec| d < dec)
}

/// How many episodes are open at `d` (more than one is a data error).
pub fn open_count(record: &ChildRecord, d: NaiveDate) -> usize {
    record.episodes.iter().filter(|e| is_open_at(e, d)).count()
}

/// The child's care at `d`, or `None` when the child is not looked after:
/// no episode open, two or more open (overlapping data), or 18 or over.
pub fn care_at(record: &ChildRecord, d: NaiveDate) -> Option<CareAt> {
    if is_18_or_over(record.child.dob, d) {
        return None;
    }
    let mut open = record
        .episodes
        .iter()
        .enumerate()
        .filter(|(_, e)| is_open_at(e, d));
    let (current, _) = open.next()?;
    if open.next().is_some() {
        return None;
    }
    let mut first = current;
    while let Some(previous) = predecessor(record, first) {
        first = previous;
    }
    Some(CareAt {
        current,
        period_start_index: first,
        period_start: record.episodes[first].decom,
    })
}

/// The episode that episode `i` follows contiguously (`B.DECOM == A.DEC`),
/// if any. Episodes are sorted by `DECOM`, so only earlier indices are
/// searched; that also keeps a walk back from looping on zero-length
/// episodes. When several qualify (overlapping data) the latest is taken.
pub fn predecessor(record: &ChildRecord, i: usize) -> Option<usize> {
    let decom = record.episodes.get(i)?.decom;
    record.episodes[..i]
        .iter()
        .rposition(|e| e.dec == Some(decom))
}

/// Walks back from the current episode through the period of care, current
/// first, ending with the period's first episode.
pub fn period_episodes<'a>(
    record: &'a ChildRecord,
    care: &CareAt,
) -> impl Iterator<Item = (usize, &'a Episode)> + 'a {
    let mut next = Some(care.current);
    std::iter::from_fn(move || {
        let i = next?;
        next = predecessor(record, i);
        record.episodes.get(i).map(|e| (i, e))
    })
}

/// Walks back from the current episode while `keep` holds for each episode;
/// the run starts at the last episode that held. `None` when the current
/// episode itself fails `keep`.
fn run_back(record: &ChildRecord, care: &CareAt, keep: impl Fn(&Episode) -> bool) -> Option<Run> {
    let mut run = None;
    for (i, e) in period_episodes(record, care) {
        if !keep(e) {
            break;
        }
        run = Some(Run {
            first: i,
            start: e.decom,
        });
    }
    run
}

/// The same-carers run: from the current episode back to the latest episode
/// whose `RNE` is S, P or B, or to the period's start.
pub fn same_carers_run_start(record: &ChildRecord, care: &CareAt) -> Run {
    for (i, e) in period_episodes(record, care) {
        if e.rne.carers_change() {
            return Run {
                first: i,
                start: e.decom,
            };
        }
    }
    Run {
        first: care.period_start_index,
        start: care.period_start,
    }
}

/// The episodes of a run, from its first to the current one.
pub fn run_episodes<'a>(
    record: &'a ChildRecord,
    care: &CareAt,
    run: Run,
) -> impl Iterator<Item = &'a Episode> + 'a {
    let mut done = false;
    let mut next = Some(care.current);
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let i = next?;
        if i == run.first {
            done = true;
        }
        next = predecessor(record, i);
        record.episodes.get(i)
    })
}

/// The run of the current placement type (`PLACE` code unchanged), the
/// "placement since" of the card: a change of legal status or of carers
/// within the same type of placement does not end it.
pub fn placement_run_start(record: &ChildRecord, care: &CareAt) -> Run {
    let place = record.episodes.get(care.current).map(|e| e.place);
    run_back(record, care, |e| Some(e.place) == place).unwrap_or(Run {
        first: care.current,
        start: record
            .episodes
            .get(care.current)
            .map_or(care.period_start, |e| e.decom),
    })
}

/// The setting run of `class`, or `None` when the current placement is not
/// in that class.
pub fn setting_run_start(record: &ChildRecord, care: &CareAt, class: SettingClass) -> Option<Run> {
    run_back(record, care, |e| class.contains(e.place))
}

/// The legal-status run of the set `statuses`, or `None` when the current
/// legal status is not in it.
pub fn legal_status_run_start(
    record: &ChildRecord,
    care: &CareAt,
    statuses: &[LegalStatus],
) -> Option<Run> {
    run_back(record, care, |e| statuses.contains(&e.ls))
}

/// The reviews dated within the period of care starting on `period_start`
/// (its first day included) and on or before `d`. Reviews are sorted by
/// date, so this is a slice; two rows on one date are two reviews.
pub fn reviews_in_period(record: &ChildRecord, period_start: NaiveDate, d: NaiveDate) -> &[Review] {
    let from = record.reviews.partition_point(|r| r.review < period_start);
    let to = record.reviews.partition_point(|r| r.review <= d);
    record.reviews.get(from..to.max(from)).unwrap_or(&[])
}

/// A run started on `start` is longer than `n` months at `d` when
/// `d > start + n calendar months` (clamped); exactly `n` months is not.
pub fn longer_than_months(start: NaiveDate, n: u32, d: NaiveDate) -> bool {
    d > add_months(start, n)
}

/// The agreed permanence plan at `d`: `PLAN` counts only when `PLAN_AGREED`
/// is on or before `d` (a blank `PLAN_AGREED` is not agreed).
pub fn agreed_plan(record: &ChildRecord, d: NaiveDate) -> Option<(PlanKind, NaiveDate)> {
    let facts = record.plan.as_ref()?;
    let kind = facts.plan?;
    let agreed = facts.plan_agreed?;
    (agreed <= d).then_some((kind, agreed))
}

/// The contingency plan agreed with the plan (`CONTINGENCY_PLAN`), when the
/// plan is agreed on or before `d`.
pub fn agreed_contingency(record: &ChildRecord, d: NaiveDate) -> Option<PlanKind> {
    agreed_plan(record, d)?;
    record.plan.as_ref()?.contingency
}

/// `MATCH_AGREED` when it is on or before `d`.
pub fn match_agreed_on(record: &ChildRecord, d: NaiveDate) -> Option<NaiveDate> {
    record
        .plan
        .as_ref()
        .and_then(|p| p.match_agreed)
        .filter(|m| *m <= d)
}

/// A long-term fostering match is agreed at `d` when `MATCH_AGREED <= D` or
/// the current placement is long-term foster (U1, U4).
pub fn long_term_match_agreed(record: &ChildRecord, care: &CareAt, d: NaiveDate) -> bool {
    match_agreed_on(record, d).is_some()
        || record
            .episodes
            .get(care.current)
            .is_some_and(|e| SettingClass::LongTermFoster.contains(e.place))
}

/// `ACHIEVED` when it is on or before `d`.
pub fn achieved_on(record: &ChildRecord, d: NaiveDate) -> Option<NaiveDate> {
    record
        .plan
        .as_ref()
        .and_then(|p| p.achieved)
        .filter(|a| *a <= d)
}

pub fn no_pr(record: &ChildRecord) -> bool {
    record.plan.as_ref().is_some_and(|p| p.no_pr)
}

pub fn potential_sgo(record: &ChildRecord) -> bool {
    record.plan.as_ref().is_some_and(|p| p.potential_sgo)
}

/// "since dd/mm/yyyy (9 months 12 days)".
pub(crate) fn since_phrase(start: NaiveDate, d: NaiveDate) -> String {
    format!("since {} ({})", dmy(start), span_between(start, d))
}

/// The legal-status half of the summary: "full care order (C2) since
/// 01/02/2020 (5 years 1 month)", dated from the run of the same `LS`.
pub(crate) fn legal_status_phrase(record: &ChildRecord, care: &CareAt, d: NaiveDate) -> String {
    let Some(current) = record.episodes.get(care.current) else {
        return String::new();
    };
    let start =
        legal_status_run_start(record, care, &[current.ls]).map_or(care.period_start, |r| r.start);
    format!(
        "{} ({}) {}",
        current.ls.meaning(),
        current.ls.code(),
        since_phrase(start, d)
    )
}

/// The placement half of the summary: "placement: foster placement with
/// other foster carer (U6), same carers since 02/06/2024 (1 year 5 months)".
pub(crate) fn placement_phrase(record: &ChildRecord, care: &CareAt, d: NaiveDate) -> String {
    let Some(current) = record.episodes.get(care.current) else {
        return String::new();
    };
    let carers = same_carers_run_start(record, care);
    let provider = current
        .place_provider
        .map(|p| format!(", {} ({})", p.meaning(), p.code()))
        .unwrap_or_default();
    format!(
        "placement: {} ({}){provider}, same carers {}",
        current.place.meaning(),
        current.place.code(),
        since_phrase(carers.start, d)
    )
}

/// One line for the child's card, or `None` when not looked after at `d`:
/// "Full care order (C2) since 01/02/2020 (5 years); placement: ...; in care
/// since 01/01/2020 (5 years 1 month)".
pub fn care_summary(record: &ChildRecord, d: NaiveDate) -> Option<String> {
    let care = care_at(record, d)?;
    Some(format!(
        "{}; {}; in care {}",
        capitalised(&legal_status_phrase(record, &care, d)),
        placement_phrase(record, &care, d),
        since_phrase(care.period_start, d)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{child, date};

    #[test]
    fn open_episode_boundaries() {
        // DECOM <= D and D < DEC: open on its first day, closed on its DEC.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/06/2020")
            .build();
        let e = &r.episodes[0];
        assert!(!is_open_at(e, date("31/12/2019")));
        assert!(is_open_at(e, date("01/01/2020")));
        assert!(is_open_at(e, date("31/05/2020")));
        assert!(!is_open_at(e, date("01/06/2020")), "closed on its DEC");
    }

    #[test]
    fn episode_starting_after_d_is_not_seen() {
        // The only episode starts 01/02/2024; at 31/01/2024 nothing is open.
        let r = child("01/03/2012")
            .ep("01/02/2024  S  C2  U6  PR1  open")
            .build();
        assert_eq!(care_at(&r, date("31/01/2024")), None);
        assert!(care_at(&r, date("01/02/2024")).is_some());
    }

    #[test]
    fn open_episode_is_current_and_closed_one_is_not() {
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/06/2020")
            .ep("01/06/2020  P  C2  U3  PR1  open")
            .build();
        let care = care_at(&r, date("01/06/2020")).expect("looked after");
        assert_eq!(care.current, 1);
        assert_eq!(care.period_start, date("01/01/2020"));
        let care = care_at(&r, date("31/05/2020")).expect("looked after");
        assert_eq!(care.current, 0);
    }

    #[test]
    fn two_open_episodes_mean_not_looked_after() {
        // Overlapping data: both open at 01/03/2020.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  open")
            .ep("01/02/2020  P  C2  U3  PR1  open")
            .build();
        assert_eq!(care_at(&r, date("01/03/2020")), None);
        assert_eq!(open_count(&r, date("01/03/2020")), 2);
        // Before the second started, exactly one was open.
        assert!(care_at(&r, date("15/01/2020")).is_some());
    }

    #[test]
    fn eighteen_or_over_is_not_looked_after() {
        // Born 10/05/2006: 18 on 10/05/2024.
        let r = child("10/05/2006")
            .ep("01/01/2020  S  C2  U6  PR1  open")
            .build();
        assert!(care_at(&r, date("09/05/2024")).is_some());
        assert_eq!(care_at(&r, date("10/05/2024")), None);
    }

    #[test]
    fn leap_day_child_stops_being_looked_after_on_28_february() {
        // Born 29/02/2008: 18 on 28/02/2026 (2026 is not a leap year).
        let r = child("29/02/2008")
            .ep("01/01/2020  S  C2  U6  PR1  open")
            .build();
        assert!(care_at(&r, date("27/02/2026")).is_some());
        assert_eq!(care_at(&r, date("28/02/2026")), None);
    }

    #[test]
    fn period_of_care_is_the_contiguous_chain() {
        // Three contiguous episodes: the period starts at the first.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/06/2020")
            .ep("01/06/2020  P  C2  U3  PR1  01/09/2020")
            .ep("01/09/2020  L  E1  U3  PR1  open")
            .build();
        let care = care_at(&r, date("01/10/2020")).expect("looked after");
        assert_eq!(care.period_start_index, 0);
        assert_eq!(care.period_start, date("01/01/2020"));
    }

    #[test]
    fn contiguous_rne_s_does_not_start_a_period() {
        // The second episode says S but follows on the same day: one period.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/06/2020")
            .ep("01/06/2020  S  C2  U3  PR1  open")
            .build();
        let care = care_at(&r, date("01/07/2020")).expect("looked after");
        assert_eq!(care.period_start, date("01/01/2020"));
    }

    #[test]
    fn a_gap_starts_a_period_whatever_the_rne() {
        // Ended 01/06/2020, next starts 02/06/2020 with RNE P: a new period.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/06/2020")
            .ep("02/06/2020  P  C2  U3  PR1  open")
            .build();
        let care = care_at(&r, date("01/07/2020")).expect("looked after");
        assert_eq!(care.period_start, date("02/06/2020"));
        assert_eq!(care.period_start_index, 1);
    }

    #[test]
    fn same_carers_run_starts_at_latest_s_p_or_b() {
        // P on 01/06/2020 changes carers; T and U after it keep them.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/06/2020")
            .ep("01/06/2020  P  C2  U6  PR1  01/09/2020")
            .ep("01/09/2020  T  C2  U4  PR1  01/12/2020")
            .ep("01/12/2020  U  E1  U5  PR1  open")
            .build();
        let care = care_at(&r, date("01/01/2021")).expect("looked after");
        assert_eq!(same_carers_run_start(&r, &care).start, date("01/06/2020"));
    }

    #[test]
    fn same_carers_run_reaches_back_to_the_period_start() {
        // L and T only after the (gap-started, RNE P) period start: the run
        // starts at the period start, 02/02/2020, not at an earlier S.
        let r = child("01/03/2012")
            .ep("01/01/2019  S  C2  U6  PR1  01/01/2020")
            .ep("02/02/2020  L  C2  U6  PR1  01/06/2020")
            .ep("01/06/2020  T  C2  U4  PR1  open")
            .build();
        let care = care_at(&r, date("01/07/2020")).expect("looked after");
        let run = same_carers_run_start(&r, &care);
        assert_eq!(run.start, date("02/02/2020"));
        assert_eq!(run.first, 1);
    }

    #[test]
    fn setting_run_walks_back_while_the_class_holds() {
        // K2 then U6 then U3 (both foster): the foster run starts 01/06/2020.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  K2  PR1  01/06/2020")
            .ep("01/06/2020  P  C2  U6  PR1  01/09/2020")
            .ep("01/09/2020  P  C2  U3  PR1  open")
            .build();
        let care = care_at(&r, date("01/10/2020")).expect("looked after");
        let run = setting_run_start(&r, &care, SettingClass::Foster).expect("foster now");
        assert_eq!(run.start, date("01/06/2020"));
        assert_eq!(
            setting_run_start(&r, &care, SettingClass::Residential),
            None,
            "current placement is not residential"
        );
        assert_eq!(run_episodes(&r, &care, run).count(), 2);
    }

    #[test]
    fn legal_status_run_uses_the_named_set() {
        // C1 then C2 then E1: a {C1, C2} run ends at E1; the E1 run is 01/09.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C1  U6  PR1  01/06/2020")
            .ep("01/06/2020  L  C2  U6  PR1  01/09/2020")
            .ep("01/09/2020  L  E1  U6  PR1  open")
            .build();
        let care = care_at(&r, date("01/10/2020")).expect("looked after");
        assert_eq!(
            legal_status_run_start(&r, &care, &[LegalStatus::E1]).map(|r| r.start),
            Some(date("01/09/2020"))
        );
        assert_eq!(
            legal_status_run_start(&r, &care, &[LegalStatus::C1, LegalStatus::C2]),
            None
        );
        let care = care_at(&r, date("01/08/2020")).expect("looked after");
        assert_eq!(
            legal_status_run_start(&r, &care, &[LegalStatus::C1, LegalStatus::C2]).map(|r| r.start),
            Some(date("01/01/2020"))
        );
    }

    #[test]
    fn longer_than_n_months_is_strict_and_clamps() {
        // 31/05/2025 + 9 months = 28/02/2026: exactly 9 months is not longer.
        assert!(!longer_than_months(
            date("31/05/2025"),
            9,
            date("28/02/2026")
        ));
        assert!(longer_than_months(
            date("31/05/2025"),
            9,
            date("01/03/2026")
        ));
        // 15/01/2024 + 12 months = 15/01/2025.
        assert!(!longer_than_months(
            date("15/01/2024"),
            12,
            date("15/01/2025")
        ));
        assert!(longer_than_months(
            date("15/01/2024"),
            12,
            date("16/01/2025")
        ));
    }

    #[test]
    fn reviews_in_period_include_the_first_day_and_d_and_count_duplicates() {
        // Period starts 01/01/2020; reviews before it and after D drop out.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  open")
            .reviews(&[
                "31/12/2019",
                "01/01/2020",
                "20/01/2020",
                "20/01/2020",
                "01/03/2020",
                "02/03/2020",
            ])
            .build();
        let held = reviews_in_period(&r, date("01/01/2020"), date("01/03/2020"));
        assert_eq!(held.len(), 4);
        assert_eq!(held[0].review, date("01/01/2020"));
        assert_eq!(held[3].review, date("01/03/2020"));
        // D before the period's start gives nothing, never a panic.
        assert!(reviews_in_period(&r, date("01/01/2020"), date("01/01/2019")).is_empty());
    }

    #[test]
    fn plan_counts_only_once_agreed_on_or_before_d() {
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  open")
            .plan("adoption", "01/03/2020")
            .build();
        assert_eq!(agreed_plan(&r, date("29/02/2020")), None);
        assert_eq!(
            agreed_plan(&r, date("01/03/2020")),
            Some((PlanKind::Adoption, date("01/03/2020")))
        );
        let blank = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  open")
            .plan("adoption", "-")
            .build();
        assert_eq!(agreed_plan(&blank, date("01/01/2030")), None);
    }

    #[test]
    fn match_agreed_counts_from_its_date_or_from_a_long_term_placement() {
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  open")
            .match_agreed("01/05/2020")
            .build();
        let care = care_at(&r, date("30/04/2020")).expect("looked after");
        assert!(!long_term_match_agreed(&r, &care, date("30/04/2020")));
        assert!(long_term_match_agreed(&r, &care, date("01/05/2020")));
        let u4 = child("01/03/2012")
            .ep("01/01/2020  S  C2  U4  PR1  open")
            .build();
        let care = care_at(&u4, date("30/04/2020")).expect("looked after");
        assert!(long_term_match_agreed(&u4, &care, date("30/04/2020")));
    }

    #[test]
    fn summary_reads_legal_status_and_placement() {
        // C2 since 01/01/2020; carers changed (P) on 02/06/2024.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  02/06/2024")
            .ep("02/06/2024  P  C2  U3  PR1  open")
            .build();
        let line = care_summary(&r, date("14/06/2025")).expect("looked after");
        assert_eq!(
            line,
            "Full care order (C2) since 01/01/2020 (5 years 5 months 13 days); \
             placement: foster placement with relative or friend (U3), \
             the council's own provision (PR1), same carers since 02/06/2024 \
             (1 year 12 days); in care since 01/01/2020 (5 years 5 months 13 days)"
        );
        assert_eq!(care_summary(&r, date("31/12/2019")), None);
    }

    #[test]
    fn short_breaks_count_as_looked_after() {
        // Every legal status counts, V3 and V4 included.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  V3  R1  PR1  03/01/2020")
            .ep("01/02/2020  S  V4  R1  PR1  open")
            .build();
        assert_eq!(care_at(&r, date("02/01/2020")).map(|c| c.current), Some(0));
        assert_eq!(care_at(&r, date("10/01/2020")), None, "between breaks");
        assert_eq!(
            care_at(&r, date("01/02/2020")).map(|c| c.period_start),
            Some(date("01/02/2020"))
        );
    }

    #[test]
    fn a_child_with_no_episodes_is_not_looked_after() {
        let r = child("01/03/2012").build();
        assert_eq!(care_at(&r, date("01/01/2020")), None);
        assert_eq!(care_summary(&r, date("01/01/2020")), None);
    }

    #[test]
    fn a_past_overlap_does_not_stop_the_current_episode() {
        // The first episode overlapped the second in the past; at D only the
        // second is open, and with no contiguous predecessor it starts the
        // period.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/05/2020")
            .ep("01/03/2020  S  C2  U3  PR1  open")
            .build();
        let care = care_at(&r, date("01/06/2020")).expect("looked after");
        assert_eq!((care.current, care.period_start_index), (1, 1));
    }

    #[test]
    fn summary_leaves_out_a_blank_provider() {
        // A temporary placement (T1) has no provider.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  T1  -  open")
            .build();
        let line = care_summary(&r, date("11/01/2020")).expect("looked after");
        assert_eq!(
            line,
            "Full care order (C2) since 01/01/2020 (10 days); placement: temporary \
             period in hospital (T1), same carers since 01/01/2020 (10 days); in care \
             since 01/01/2020 (10 days)"
        );
    }
}
