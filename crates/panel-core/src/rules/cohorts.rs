//! Who is in which cohort at D, since when, and why, in a sentence a chair
//! can read aloud. Each cohort is data: a preset's `[[cohort]]` built from
//! the blocks of `rules::blocks` (rules.md, Telford and Wiltshire tables,
//! written as `assets/terms/telford.toml` and `wiltshire.toml`).

use chrono::NaiveDate;

use crate::model::{ChildRecord, CohortId};
use crate::rules::blocks::{self, Facts, Trace};
use crate::rules::care::care_at;
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
    let facts = Facts {
        record,
        care: &care,
        d,
        external: &terms.external_providers,
        routes,
    };
    let mut trace = Trace::default();
    let mut out: Vec<Membership> = Vec::new();
    for &cohort in &terms.cohorts {
        if out.iter().any(|m| m.cohort.is(cohort)) {
            continue; // a cohort listed twice in custom terms counts once
        }
        let Some(rule) = terms.rule(cohort) else {
            continue;
        };
        if let Some((since, reason)) = blocks::evaluate(rule, &facts, &mut trace) {
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

/// A cohort's place in the terms' priority order; cohorts the terms do not
/// list go last.
pub fn priority(terms: &Terms, cohort: CohortId) -> usize {
    terms
        .cohorts
        .iter()
        .position(|t| t.is(cohort))
        .unwrap_or(usize::MAX)
}

/// Sorts memberships as the `cohorts` output lists them: by the cohort's
/// priority in `terms`, then since, then child id.
pub fn sort_for_contract(all: &mut [Membership], terms: &Terms) {
    let priority = |c: CohortId| priority(terms, c);
    all.sort_by(|a, b| {
        (priority(a.cohort), a.since, &a.child).cmp(&(priority(b.cohort), b.since, &b.child))
    });
}

/// Sorts memberships for an agenda: as [`sort_for_contract`], but within a
/// cohort by `rank` first (lower first), so `foster-12m` can put the
/// children the terms single out ahead ([`rank_within`]).
pub fn sort_for_agenda(all: &mut [Membership], terms: &Terms, rank: impl Fn(&Membership) -> u8) {
    let priority = |c: CohortId| priority(terms, c);
    all.sort_by_cached_key(|m| (priority(m.cohort), rank(m), m.since, m.child.clone()));
}

/// Where the child stands within `cohort` at `d` by the cohort's `first`
/// list (Telford's `foster-12m`: 0 for no long-term fostering match agreed,
/// 1 for carers exploring an SGO/CAO or connected-person carers, 2 for the
/// rest). `None` when not looked after or the terms do not define it.
pub fn rank_within(
    record: &ChildRecord,
    terms: &Terms,
    cohort: CohortId,
    d: NaiveDate,
) -> Option<u8> {
    let care = care_at(record, d)?;
    let rule = terms.rule(cohort)?;
    let routes = PanelRoutes::default();
    let facts = Facts {
        record,
        care: &care,
        d,
        external: &terms.external_providers,
        routes: &routes,
    };
    Some(blocks::rank(rule, &facts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Provider;
    use crate::rules::testkit::{History, child, child_with_id, date};

    fn telford() -> Terms {
        Terms::load("telford").expect("telford preset loads")
    }

    fn wiltshire() -> Terms {
        Terms::load("wiltshire").expect("wiltshire preset loads")
    }

    fn none() -> PanelRoutes {
        PanelRoutes::default()
    }

    /// The memberships of `cohort` only.
    fn in_cohort(
        record: &ChildRecord,
        terms: &Terms,
        d: &str,
        routes: &PanelRoutes,
        cohort: CohortId,
    ) -> Option<Membership> {
        memberships(record, terms, date(d), routes)
            .into_iter()
            .find(|m| m.cohort == cohort)
    }

    fn since(record: &ChildRecord, terms: &Terms, d: &str, cohort: CohortId) -> Option<NaiveDate> {
        in_cohort(record, terms, d, &none(), cohort).map(|m| m.since)
    }

    fn ids(ms: &[Membership]) -> Vec<CohortId> {
        ms.iter().map(|m| m.cohort).collect()
    }

    // ---- 1. no-parental-responsibility ----

    #[test]
    fn no_pr_freeing_order_since_start_of_d1_run() {
        // D1 from 01/03/2021 (after C2 from 01/01/2020): since 01/03/2021.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/03/2021")
            .ep("01/03/2021  L  D1  U6  PR1  open")
            .build();
        let m = in_cohort(
            &r,
            &telford(),
            "01/06/2021",
            &none(),
            CohortId::NoParentalResponsibility,
        )
        .expect("member");
        assert_eq!(m.since, date("01/03/2021"));
        assert_eq!(
            m.reason,
            "Freeing order granted (D1) since 01/03/2021 (3 months); placement: \
             foster placement with other foster carer (U6), the council's own \
             provision (PR1), same carers since 01/01/2020 (1 year 5 months)"
        );
    }

    #[test]
    fn no_pr_d1_run_date_wins_even_with_no_pr_set() {
        // NO_PR = Y and LS D1 from 01/03/2021: the D1 run start, not the
        // period start (01/01/2020).
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/03/2021")
            .ep("01/03/2021  L  D1  U6  PR1  open")
            .no_pr()
            .build();
        assert_eq!(
            since(
                &r,
                &telford(),
                "01/06/2021",
                CohortId::NoParentalResponsibility
            ),
            Some(date("01/03/2021"))
        );
    }

    #[test]
    fn no_pr_flag_without_d1_dates_from_period_start() {
        // Period began 01/01/2020 (the C2 run and the placement change do
        // not matter).
        let r = child("01/03/2012")
            .ep("01/01/2020  S  V2  U6  PR1  01/03/2021")
            .ep("01/03/2021  B  C2  U3  PR1  open")
            .no_pr()
            .build();
        let m = in_cohort(
            &r,
            &telford(),
            "01/06/2021",
            &none(),
            CohortId::NoParentalResponsibility,
        )
        .expect("member");
        assert_eq!(m.since, date("01/01/2020"));
        assert!(
            m.reason.starts_with(
                "No person has parental responsibility (NO_PR = Y); in care since 01/01/2020"
            ),
            "{}",
            m.reason
        );
    }

    #[test]
    fn no_pr_excludes_children_placed_for_adoption() {
        let r = child("01/03/2012")
            .ep("01/01/2020  S  D1  A5  PR1  open")
            .no_pr()
            .build();
        assert_eq!(
            since(
                &r,
                &telford(),
                "01/06/2021",
                CohortId::NoParentalResponsibility
            ),
            None
        );
    }

    #[test]
    fn no_pr_needs_d1_or_the_flag() {
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  open")
            .build();
        assert_eq!(
            since(
                &r,
                &telford(),
                "01/06/2021",
                CohortId::NoParentalResponsibility
            ),
            None
        );
    }

    // ---- 2. placement-order-9m ----

    fn placement_order_child() -> ChildRecord {
        child("01/03/2012")
            .ep("01/01/2024  S  C2  U6  PR1  02/06/2024")
            .ep("02/06/2024  P  C2  U3  PR1  14/02/2025")
            .ep("14/02/2025  L  E1  U3  PR1  open")
            .build()
    }

    #[test]
    fn placement_order_longer_than_9_months_reads_the_example_sentence() {
        // E1 since 14/02/2025; at 26/11/2025 that is 9 months 12 days.
        let r = placement_order_child();
        let m = in_cohort(
            &r,
            &telford(),
            "26/11/2025",
            &none(),
            CohortId::PlacementOrder9m,
        )
        .expect("member");
        assert_eq!(m.since, date("14/02/2025"));
        assert_eq!(
            m.reason,
            "Placement order granted (E1) since 14/02/2025 (9 months 12 days), longer \
             than 9 months; placement: foster placement with relative or friend (U3), \
             the council's own provision (PR1), same carers since 02/06/2024 \
             (1 year 5 months 24 days)"
        );
    }

    #[test]
    fn placement_order_of_exactly_9_months_is_not_longer() {
        // 14/02/2025 + 9 months = 14/11/2025: not in on that day, in the next.
        let r = placement_order_child();
        assert_eq!(
            since(&r, &telford(), "14/11/2025", CohortId::PlacementOrder9m),
            None
        );
        assert_eq!(
            since(&r, &telford(), "15/11/2025", CohortId::PlacementOrder9m),
            Some(date("14/02/2025"))
        );
    }

    #[test]
    fn placement_order_months_clamp_at_february() {
        // E1 from 31/05/2025: 9 months later is 28/02/2026 (clamped).
        let r = child("01/03/2012")
            .ep("31/05/2025  S  E1  U6  PR1  open")
            .build();
        assert_eq!(
            since(&r, &telford(), "28/02/2026", CohortId::PlacementOrder9m),
            None
        );
        assert_eq!(
            since(&r, &telford(), "01/03/2026", CohortId::PlacementOrder9m),
            Some(date("31/05/2025"))
        );
    }

    #[test]
    fn placement_order_includes_children_placed_for_adoption() {
        // E1 since 01/01/2024, placed for adoption (A6) since 01/06/2024.
        let r = child("01/03/2012")
            .ep("01/01/2024  S  E1  U6  PR1  01/06/2024")
            .ep("01/06/2024  P  E1  A6  PR1  open")
            .build();
        assert_eq!(
            since(&r, &telford(), "01/12/2024", CohortId::PlacementOrder9m),
            Some(date("01/01/2024"))
        );
    }

    #[test]
    fn placement_order_run_restarts_after_another_legal_status() {
        // E1, then C2, then E1 again from 01/01/2025: the run starts there.
        let r = child("01/03/2012")
            .ep("01/01/2023  S  E1  U6  PR1  01/06/2024")
            .ep("01/06/2024  L  C2  U6  PR1  01/01/2025")
            .ep("01/01/2025  L  E1  U6  PR1  open")
            .build();
        assert_eq!(
            since(&r, &telford(), "01/09/2025", CohortId::PlacementOrder9m),
            None,
            "8 months since 01/01/2025"
        );
        assert_eq!(
            since(&r, &telford(), "02/10/2025", CohortId::PlacementOrder9m),
            Some(date("01/01/2025"))
        );
    }

    #[test]
    fn placement_order_run_does_not_reach_back_past_a_gap() {
        // E1 until 01/01/2025, then a gap, then E1 again from 10/01/2025.
        let r = child("01/03/2012")
            .ep("01/01/2023  S  E1  U6  PR1  01/01/2025")
            .ep("10/01/2025  S  E1  U6  PR1  open")
            .build();
        assert_eq!(
            since(&r, &telford(), "01/06/2025", CohortId::PlacementOrder9m),
            None
        );
    }

    #[test]
    fn episode_starting_after_d_is_ignored_by_the_runs() {
        // At 02/10/2025 the C2 episode from 01/12/2025 does not exist yet;
        // the E1 episode is current and its run is 9 months 1 day long.
        let r = child("01/03/2012")
            .ep("01/01/2025  S  E1  U6  PR1  01/12/2025")
            .ep("01/12/2025  L  C2  U6  PR1  open")
            .build();
        assert_eq!(
            since(&r, &telford(), "02/10/2025", CohortId::PlacementOrder9m),
            Some(date("01/01/2025"))
        );
        assert_eq!(
            since(&r, &telford(), "02/12/2025", CohortId::PlacementOrder9m),
            None
        );
    }

    // ---- 3. care-order-ltf-unmatched ----

    #[test]
    fn care_order_with_ltf_plan_and_no_match_since_plan_agreed() {
        let r = child("01/03/2012")
            .ep("01/01/2023  S  C2  U6  PR1  open")
            .plan("long-term-fostering", "01/02/2024")
            .build();
        let m = in_cohort(
            &r,
            &telford(),
            "01/03/2024",
            &none(),
            CohortId::CareOrderLtfUnmatched,
        )
        .expect("member");
        assert_eq!(m.since, date("01/02/2024"));
        assert!(
            m.reason.starts_with(
                "Full care order (C2) since 01/01/2023 (1 year 2 months); plan of \
                 long-term fostering agreed on 01/02/2024 (1 month ago), no long-term \
                 fostering match agreed"
            ),
            "{}",
            m.reason
        );
    }

    #[test]
    fn choice_cohort3_since_is_plan_agreed_even_before_period() {
        // Plan agreed 01/06/2022 in an earlier period; the current period
        // began 01/01/2023. Since stays 01/06/2022.
        let r = child("01/03/2012")
            .ep("01/01/2022  S  C2  U6  PR1  01/09/2022")
            .ep("01/01/2023  S  C2  U6  PR1  open")
            .plan("long-term-fostering", "01/06/2022")
            .build();
        assert_eq!(
            since(
                &r,
                &telford(),
                "01/03/2024",
                CohortId::CareOrderLtfUnmatched
            ),
            Some(date("01/06/2022"))
        );
    }

    #[test]
    fn care_order_plan_not_yet_agreed_at_d_does_not_count() {
        let r = child("01/03/2012")
            .ep("01/01/2023  S  C2  U6  PR1  open")
            .plan("long-term-fostering", "01/02/2024")
            .build();
        assert_eq!(
            since(
                &r,
                &telford(),
                "31/01/2024",
                CohortId::CareOrderLtfUnmatched
            ),
            None
        );
        let blank = child("01/03/2012")
            .ep("01/01/2023  S  C2  U6  PR1  open")
            .plan("long-term-fostering", "-")
            .build();
        assert_eq!(
            since(
                &blank,
                &telford(),
                "31/01/2026",
                CohortId::CareOrderLtfUnmatched
            ),
            None
        );
    }

    #[test]
    fn care_order_match_counts_only_from_its_date() {
        // Match agreed 01/05/2024: in the cohort before, out from that day.
        let r = child("01/03/2012")
            .ep("01/01/2023  S  C2  U6  PR1  open")
            .plan("long-term-fostering", "01/02/2024")
            .match_agreed("01/05/2024")
            .build();
        assert!(
            since(
                &r,
                &telford(),
                "30/04/2024",
                CohortId::CareOrderLtfUnmatched
            )
            .is_some()
        );
        assert_eq!(
            since(
                &r,
                &telford(),
                "01/05/2024",
                CohortId::CareOrderLtfUnmatched
            ),
            None
        );
    }

    #[test]
    fn care_order_long_term_placement_is_a_match() {
        // Current placement U4 (long-term foster): a match is agreed.
        let r = child("01/03/2012")
            .ep("01/01/2023  S  C2  U4  PR1  open")
            .plan("long-term-fostering", "01/02/2024")
            .build();
        assert_eq!(
            since(
                &r,
                &telford(),
                "01/03/2024",
                CohortId::CareOrderLtfUnmatched
            ),
            None
        );
    }

    #[test]
    fn care_order_needs_c2_and_an_ltf_plan() {
        let interim = child("01/03/2012")
            .ep("01/01/2023  S  C1  U6  PR1  open")
            .plan("long-term-fostering", "01/02/2024")
            .build();
        assert_eq!(
            since(
                &interim,
                &telford(),
                "01/03/2024",
                CohortId::CareOrderLtfUnmatched
            ),
            None
        );
        let sgo = child("01/03/2012")
            .ep("01/01/2023  S  C2  U6  PR1  open")
            .plan("sgo", "01/02/2024")
            .build();
        assert_eq!(
            since(
                &sgo,
                &telford(),
                "01/03/2024",
                CohortId::CareOrderLtfUnmatched
            ),
            None
        );
    }

    // ---- 4. foster-12m ----

    #[test]
    fn foster_same_carers_longer_than_12_months() {
        // Same carers since 01/01/2024 (P); exactly 12 months on 01/01/2025.
        let r = child("01/03/2012")
            .ep("01/06/2023  S  C2  U6  PR1  01/01/2024")
            .ep("01/01/2024  P  C2  U6  PR1  open")
            .build();
        assert_eq!(
            since(&r, &telford(), "01/01/2025", CohortId::Foster12m),
            None
        );
        let m =
            in_cohort(&r, &telford(), "02/01/2025", &none(), CohortId::Foster12m).expect("member");
        assert_eq!(m.since, date("01/01/2024"));
        assert!(
            m.reason.starts_with(
                "With the same foster carers since 01/01/2024 (1 year 1 day), longer than \
                 12 months; foster placement with other foster carer (U6); no long-term \
                 fostering match agreed"
            ),
            "{}",
            m.reason
        );
    }

    #[test]
    fn foster_run_keeps_carers_across_t_l_and_u() {
        // S 01/01/2023, then T, L, U (same carers): run starts 01/01/2023.
        let r = child("01/03/2012")
            .ep("01/01/2023  S  C1  U6  PR1  01/03/2023")
            .ep("01/03/2023  T  C1  U5  PR1  01/06/2023")
            .ep("01/06/2023  L  C2  U5  PR1  01/09/2023")
            .ep("01/09/2023  U  E1  U4  PR1  open")
            .build();
        assert_eq!(
            since(&r, &telford(), "02/01/2024", CohortId::Foster12m),
            Some(date("01/01/2023"))
        );
    }

    #[test]
    fn foster_run_restarts_when_carers_change() {
        // B on 01/09/2023 changes carers: the run is 4 months long at D.
        let r = child("01/03/2012")
            .ep("01/01/2022  S  C1  U6  PR1  01/09/2023")
            .ep("01/09/2023  B  C2  U6  PR1  open")
            .build();
        assert_eq!(
            since(&r, &telford(), "02/01/2024", CohortId::Foster12m),
            None
        );
        assert_eq!(
            since(&r, &telford(), "02/09/2024", CohortId::Foster12m),
            Some(date("01/09/2023"))
        );
    }

    #[test]
    fn foster_run_with_a_non_foster_episode_does_not_count() {
        // Same carers (RNE T) from a residential K2 episode: not all foster.
        let r = child("01/03/2012")
            .ep("01/01/2022  S  C2  K2  PR1  01/06/2022")
            .ep("01/06/2022  T  C2  U6  PR1  open")
            .build();
        assert_eq!(
            since(&r, &telford(), "01/01/2024", CohortId::Foster12m),
            None
        );
    }

    #[test]
    fn foster_rank_puts_unmatched_first_then_sgo_or_connected() {
        let unmatched = child("01/03/2012")
            .ep("01/01/2022  S  C2  U6  PR1  open")
            .build();
        let matched_sgo = child("01/03/2012")
            .ep("01/01/2022  S  C2  U6  PR1  open")
            .match_agreed("01/06/2022")
            .potential_sgo()
            .build();
        let connected_long_term = child("01/03/2012")
            .ep("01/01/2022  S  C2  U1  PR1  open")
            .build();
        let matched_other = child("01/03/2012")
            .ep("01/01/2022  S  C2  U4  PR1  open")
            .build();
        let d = date("01/06/2023");
        assert_eq!(
            rank_within(&unmatched, &telford(), CohortId::Foster12m, d),
            Some(0)
        );
        assert_eq!(
            rank_within(&matched_sgo, &telford(), CohortId::Foster12m, d),
            Some(1)
        );
        assert_eq!(
            rank_within(&connected_long_term, &telford(), CohortId::Foster12m, d),
            Some(1)
        );
        assert_eq!(
            rank_within(&matched_other, &telford(), CohortId::Foster12m, d),
            Some(2)
        );
        assert_eq!(
            rank_within(
                &unmatched,
                &telford(),
                CohortId::Foster12m,
                date("01/06/2020")
            ),
            None
        );
    }

    #[test]
    fn foster_reason_names_sgo_and_connected_carers() {
        let r = child("01/03/2012")
            .ep("01/01/2022  S  C2  U3  PR1  open")
            .potential_sgo()
            .build();
        let m =
            in_cohort(&r, &telford(), "01/06/2023", &none(), CohortId::Foster12m).expect("member");
        assert!(m.reason.contains("(POTENTIAL_SGO = Y)"), "{}", m.reason);
        assert!(m.reason.contains("connected-person carers"), "{}", m.reason);
    }

    // ---- 5. home-12m ----

    #[test]
    fn home_with_parents_longer_than_12_months() {
        // P1 from 01/03/2023 (an L change on 01/06/2023 keeps the setting).
        let r = child("01/03/2012")
            .ep("01/01/2023  S  C1  U6  PR1  01/03/2023")
            .ep("01/03/2023  P  C1  P1  PR0  01/06/2023")
            .ep("01/06/2023  L  C2  P1  PR0  open")
            .build();
        assert_eq!(since(&r, &telford(), "01/03/2024", CohortId::Home12m), None);
        let m =
            in_cohort(&r, &telford(), "02/03/2024", &none(), CohortId::Home12m).expect("member");
        assert_eq!(m.since, date("01/03/2023"));
        assert!(
            m.reason
                .starts_with("Placed with own parent(s) (P1) since 01/03/2023 (1 year 1 day)"),
            "{}",
            m.reason
        );
    }

    // ---- 6. external-residential-12m ----

    #[test]
    fn external_residential_longer_than_12_months() {
        // Foster, then K2 with a private provider from 01/02/2023.
        let r = child("01/03/2012")
            .ep("01/01/2022  S  C2  U6  PR1  01/02/2023")
            .ep("01/02/2023  P  C2  K2  PR4  01/08/2023")
            .ep("01/08/2023  P  C2  R1  PR5  open")
            .build();
        assert_eq!(
            since(
                &r,
                &telford(),
                "01/02/2024",
                CohortId::ExternalResidential12m
            ),
            None
        );
        assert_eq!(
            since(
                &r,
                &telford(),
                "02/02/2024",
                CohortId::ExternalResidential12m
            ),
            Some(date("01/02/2023"))
        );
    }

    #[test]
    fn external_residential_run_that_began_in_house_does_not_count() {
        // K2 in-house (PR1) from 01/01/2022, then external K2 (PR4): the
        // residential run began in-house, so never, however long.
        let r = child("01/03/2012")
            .ep("01/01/2022  S  C2  K2  PR1  01/06/2022")
            .ep("01/06/2022  P  C2  K2  PR4  open")
            .build();
        assert_eq!(
            since(
                &r,
                &telford(),
                "01/06/2025",
                CohortId::ExternalResidential12m
            ),
            None
        );
    }

    #[test]
    fn external_providers_come_from_the_terms() {
        // PR2 (another council) counts by default, not when the terms say
        // only PR4 is external.
        let r = child("01/03/2012")
            .ep("01/01/2022  S  C2  K2  PR2  open")
            .build();
        assert_eq!(
            since(
                &r,
                &telford(),
                "01/06/2023",
                CohortId::ExternalResidential12m
            ),
            Some(date("01/01/2022"))
        );
        let mut terms = telford();
        terms.external_providers = vec![Provider::PR4];
        assert_eq!(
            since(&r, &terms, "01/06/2023", CohortId::ExternalResidential12m),
            None
        );
    }

    // ---- priority order and the terms' list ----

    #[test]
    fn memberships_follow_the_terms_priority_order() {
        // C2, LTF plan unmatched (3), with same foster carers 2 years (4).
        let r = child("01/03/2012")
            .ep("01/01/2022  S  C2  U6  PR1  open")
            .plan("long-term-fostering", "01/06/2022")
            .reviews(&["20/01/2022", "20/04/2022", "20/10/2022"])
            .build();
        let ms = memberships(&r, &telford(), date("01/01/2024"), &none());
        assert_eq!(
            ids(&ms),
            vec![CohortId::CareOrderLtfUnmatched, CohortId::Foster12m]
        );
        // Reversed terms order gives reversed output; Wiltshire's cohorts
        // are not listed by Telford, so the third review does not show.
        let mut reversed = telford();
        reversed.cohorts.reverse();
        let ms = memberships(&r, &reversed, date("01/01/2024"), &none());
        assert_eq!(
            ids(&ms),
            vec![CohortId::Foster12m, CohortId::CareOrderLtfUnmatched]
        );
        // And Wiltshire sees only its own.
        let ms = memberships(&r, &wiltshire(), date("01/01/2024"), &none());
        assert_eq!(ids(&ms), vec![CohortId::TrackedFromThirdReview]);
    }

    #[test]
    fn not_looked_after_has_no_memberships() {
        let r = child("01/03/2012")
            .ep("01/01/2020  S  D1  U6  PR1  01/01/2023")
            .no_pr()
            .build();
        assert!(memberships(&r, &telford(), date("01/06/2023"), &none()).is_empty());
    }

    #[test]
    fn sort_for_contract_orders_by_priority_then_since_then_child() {
        let terms = telford();
        let make = |child: &str, cohort, since: &str| Membership {
            child: child.to_owned(),
            cohort,
            since: date(since),
            reason: String::new(),
        };
        let mut all = vec![
            make("B", CohortId::Foster12m, "01/01/2020"),
            make("C", CohortId::PlacementOrder9m, "01/01/2021"),
            make("A", CohortId::Foster12m, "01/01/2020"),
            make("D", CohortId::Foster12m, "01/01/2019"),
            make("E", CohortId::NoParentalResponsibility, "01/01/2024"),
        ];
        sort_for_contract(&mut all, &terms);
        let order: Vec<&str> = all.iter().map(|m| m.child.as_str()).collect();
        assert_eq!(order, vec!["E", "C", "D", "A", "B"]);
    }

    #[test]
    fn sort_for_agenda_puts_unmatched_foster_children_first() {
        // A (matched: long-term U4) has the oldest run, yet B and C (both
        // unmatched, rank 0) come first within foster-12m, by since. C's
        // placement order (priority 2) leads the whole list.
        let d = date("01/06/2024");
        let records = [
            child_with_id("A", "01/03/2012")
                .ep("01/01/2021  S  C2  U4  PR1  open")
                .build(),
            child_with_id("B", "01/03/2012")
                .ep("01/01/2022  S  C2  U6  PR1  open")
                .build(),
            child_with_id("C", "01/03/2012")
                .ep("01/01/2023  S  E1  U6  PR1  open")
                .build(),
        ];
        let terms = telford();
        let mut all: Vec<Membership> = records
            .iter()
            .flat_map(|r| memberships(r, &terms, d, &none()))
            .collect();
        let rank = |m: &Membership| {
            records
                .iter()
                .find(|r| r.child.id == m.child)
                .and_then(|r| rank_within(r, &terms, CohortId::Foster12m, d))
                .unwrap_or(u8::MAX)
        };
        sort_for_agenda(&mut all, &terms, rank);
        let order: Vec<(&str, CohortId)> =
            all.iter().map(|m| (m.child.as_str(), m.cohort)).collect();
        assert_eq!(
            order,
            vec![
                ("C", CohortId::PlacementOrder9m),
                ("B", CohortId::Foster12m),
                ("C", CohortId::Foster12m),
                ("A", CohortId::Foster12m),
            ]
        );
        // The contract order is by since only: A's run is the oldest.
        sort_for_contract(&mut all, &terms);
        let order: Vec<&str> = all.iter().map(|m| m.child.as_str()).collect();
        assert_eq!(order, vec!["C", "A", "B", "C"]);
    }

    // ---- Wiltshire: tracked-from-third-review ----

    fn tracked(history: History) -> ChildRecord {
        history.ep("01/01/2024  S  C2  U6  PR1  open").build()
    }

    #[test]
    fn tracked_from_the_third_review_date() {
        let r = tracked(child("01/03/2012").reviews(&["20/01/2024", "15/04/2024", "10/10/2024"]));
        assert_eq!(
            since(
                &r,
                &wiltshire(),
                "09/10/2024",
                CohortId::TrackedFromThirdReview
            ),
            None
        );
        let m = in_cohort(
            &r,
            &wiltshire(),
            "10/10/2024",
            &none(),
            CohortId::TrackedFromThirdReview,
        )
        .expect("member");
        assert_eq!(m.since, date("10/10/2024"));
        assert!(
            m.reason.starts_with(
                "Third review of this period of care held on 10/10/2024; 3 reviews since \
                 the period began on 01/01/2024"
            ),
            "{}",
            m.reason
        );
    }

    #[test]
    fn tracked_counts_two_reviews_on_one_date_and_the_first_day() {
        // Reviews on the period's first day and twice on 15/04/2024.
        let r = tracked(child("01/03/2012").reviews(&["01/01/2024", "15/04/2024", "15/04/2024"]));
        assert_eq!(
            since(
                &r,
                &wiltshire(),
                "16/04/2024",
                CohortId::TrackedFromThirdReview
            ),
            Some(date("15/04/2024"))
        );
    }

    #[test]
    fn tracked_ignores_reviews_of_an_earlier_period() {
        // Two reviews in 2022 (earlier period), one in this period.
        let r = child("01/03/2012")
            .ep("01/01/2022  S  C2  U6  PR1  01/12/2022")
            .ep("01/01/2024  S  C2  U6  PR1  open")
            .reviews(&["20/01/2022", "20/04/2022", "20/01/2024"])
            .build();
        assert_eq!(
            since(
                &r,
                &wiltshire(),
                "01/06/2024",
                CohortId::TrackedFromThirdReview
            ),
            None
        );
    }

    #[test]
    fn tracked_excludes_the_adoption_pathway() {
        let reviews = ["20/01/2024", "15/04/2024", "10/10/2024"];
        for row in [
            "01/01/2024  S  E1  U6  PR1  open",
            "01/01/2024  S  D1  U6  PR1  open",
            "01/01/2024  S  C2  A3  PR1  open",
            "01/01/2024  S  C2  A6  PR1  open",
        ] {
            let r = child("01/03/2012").ep(row).reviews(&reviews).build();
            assert_eq!(
                since(
                    &r,
                    &wiltshire(),
                    "01/11/2024",
                    CohortId::TrackedFromThirdReview
                ),
                None,
                "{row}"
            );
        }
    }

    #[test]
    fn achieved_stops_wiltshire_tracking_but_not_telford() {
        // Achieved 01/11/2024: tracked before, not from that day. The same
        // child stays in Telford's foster-12m (ACHIEVED is ignored there).
        let r = tracked(
            child("01/03/2012")
                .reviews(&["20/01/2024", "15/04/2024", "10/10/2024"])
                .achieved("01/11/2024"),
        );
        assert!(
            since(
                &r,
                &wiltshire(),
                "31/10/2024",
                CohortId::TrackedFromThirdReview
            )
            .is_some()
        );
        assert_eq!(
            since(
                &r,
                &wiltshire(),
                "01/11/2024",
                CohortId::TrackedFromThirdReview
            ),
            None
        );
        assert_eq!(
            since(&r, &telford(), "02/01/2025", CohortId::Foster12m),
            Some(date("01/01/2024"))
        );
    }

    // ---- Wiltshire: referral and carried-over ----

    fn referral(child: &str, made: &str, heard: Option<&str>) -> Referral {
        Referral {
            child: child.to_owned(),
            made_on: date(made),
            heard_on: heard.map(date),
        }
    }

    #[test]
    fn choice_referral_heard_on_d_is_no_longer_open() {
        let r = tracked(child("01/03/2012"));
        let routes = PanelRoutes {
            referrals: vec![referral("C1", "10/03/2024", Some("29/03/2024"))],
            carried_over: vec![],
        };
        let on =
            |d: &str| in_cohort(&r, &wiltshire(), d, &routes, CohortId::Referral).map(|m| m.since);
        assert_eq!(on("09/03/2024"), None, "not yet made");
        assert_eq!(on("10/03/2024"), Some(date("10/03/2024")));
        assert_eq!(on("28/03/2024"), Some(date("10/03/2024")));
        assert_eq!(on("29/03/2024"), None, "heard that day");
    }

    #[test]
    fn choice_referral_since_is_the_earliest_open_referral() {
        let r = tracked(child("01/03/2012"));
        let routes = PanelRoutes {
            referrals: vec![
                referral("C1", "01/02/2024", Some("23/02/2024")),
                referral("C1", "20/03/2024", None),
                referral("C1", "05/03/2024", None),
                referral("C2", "01/01/2024", None),
            ],
            carried_over: vec![],
        };
        let m =
            in_cohort(&r, &wiltshire(), "01/04/2024", &routes, CohortId::Referral).expect("member");
        assert_eq!(m.since, date("05/03/2024"));
        assert!(
            m.reason
                .starts_with("Referred to the panel on 05/03/2024 (27 days ago), not yet heard"),
            "{}",
            m.reason
        );
    }

    #[test]
    fn choice_referral_ignores_achieved_and_adoption_exclusion() {
        // E1 and permanence achieved: not tracked, but an open referral
        // still brings the child to the panel.
        let r = child("01/03/2012")
            .ep("01/01/2024  S  E1  U6  PR1  open")
            .achieved("01/02/2024")
            .build();
        let routes = PanelRoutes {
            referrals: vec![referral("C1", "01/03/2024", None)],
            carried_over: vec![],
        };
        let ms = memberships(&r, &wiltshire(), date("01/04/2024"), &routes);
        assert_eq!(ids(&ms), vec![CohortId::Referral]);
    }

    #[test]
    fn choice_routes_need_the_child_looked_after() {
        // Care ended 01/03/2024: an open referral no longer puts the child
        // on the agenda (every cohort is of children looked after at D).
        let r = child("01/03/2012")
            .ep("01/01/2024  S  C2  U6  PR1  01/03/2024")
            .build();
        let routes = PanelRoutes {
            referrals: vec![referral("C1", "01/02/2024", None)],
            carried_over: vec![CarriedOver {
                child: "C1".to_owned(),
                meeting: date("23/02/2024"),
            }],
        };
        assert!(memberships(&r, &wiltshire(), date("01/04/2024"), &routes).is_empty());
    }

    #[test]
    fn carried_over_since_the_latest_meeting_on_or_before_d() {
        let r = tracked(child_with_id("C7", "01/03/2012"));
        let routes = PanelRoutes {
            referrals: vec![],
            carried_over: vec![
                CarriedOver {
                    child: "C7".to_owned(),
                    meeting: date("23/02/2024"),
                },
                CarriedOver {
                    child: "C7".to_owned(),
                    meeting: date("29/03/2024"),
                },
                CarriedOver {
                    child: "C7".to_owned(),
                    meeting: date("26/04/2024"),
                },
            ],
        };
        let m = in_cohort(
            &r,
            &wiltshire(),
            "01/04/2024",
            &routes,
            CohortId::CarriedOver,
        )
        .expect("member");
        assert_eq!(m.since, date("29/03/2024"), "26/04/2024 is after D");
        assert!(
            m.reason
                .starts_with("Carried over by the panel at its meeting on 29/03/2024"),
            "{}",
            m.reason
        );
        assert_eq!(
            in_cohort(
                &r,
                &wiltshire(),
                "22/02/2024",
                &routes,
                CohortId::CarriedOver
            ),
            None
        );
    }

    #[test]
    fn wiltshire_lists_carried_over_before_referral_before_tracked() {
        let r = tracked(child("01/03/2012").reviews(&["20/01/2024", "15/04/2024", "10/10/2024"]));
        let routes = PanelRoutes {
            referrals: vec![referral("C1", "01/11/2024", None)],
            carried_over: vec![CarriedOver {
                child: "C1".to_owned(),
                meeting: date("25/10/2024"),
            }],
        };
        let ms = memberships(&r, &wiltshire(), date("20/11/2024"), &routes);
        assert_eq!(
            ids(&ms),
            vec![
                CohortId::CarriedOver,
                CohortId::Referral,
                CohortId::TrackedFromThirdReview
            ]
        );
    }
}
