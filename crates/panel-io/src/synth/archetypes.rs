//! Children built on purpose so that every block of 40 children (the demo's
//! size) meets each cohort of `rules.md` at any as-at date: Telford 1-6,
//! Wiltshire's tracked-from-third-review and its exclusions (placement
//! order, placed for adoption, permanence achieved), the "no
//! plan by the second review" flag, and children who left care by adoption
//! and special guardianship. Each stays a plausible history; only the
//! timing is chosen so that the cohort's threshold is passed with margin.

use chrono::NaiveDate;

use super::history::{self, Course, Ending, Pathway, Who};
use super::pick::{Rng, chance, days, plus, weighted};
use super::placements as pl;
use super::{PeriodPlan, PlanChoice, Story};
use crate::model::{CategoryOfNeed, LegalStatus, PlanFacts, PlanKind, Provider, ReasonCeased};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archetype {
    /// Telford 4: same foster carers for more than 12 months.
    Foster12m,
    /// Telford 2: placement order for more than 9 months, not yet placed.
    PlacementOrder9m,
    /// Telford 1 through `NO_PR = Y`.
    NoParentalResponsibility,
    /// Telford 5: home with parents under a care order for over 12 months.
    HomeWithParents12m,
    /// Telford 6: external residential home for over 12 months.
    ExternalResidential12m,
    /// Telford 3: care order, long-term fostering plan, no match.
    CareOrderLtfUnmatched,
    /// Care order, then a placement order while staying with the foster
    /// carers (Telford 2 without a move). Stands where a freeing order (D1)
    /// once was: freeing orders ended in December 2005 (VAL 445), so no
    /// child under 18 today can hold one, and the generator writes none.
    PlacementOrderWithCarers,
    /// Placed for adoption (A5/A6): Telford 2, Wiltshire exclusion.
    PlacedForAdoption,
    /// Long-term match and `ACHIEVED`: Wiltshire stops tracking.
    PermanenceAchieved,
    /// Reviews but no plan: the "no plan by the second review" flag, and
    /// reviews held late.
    NoPlanYet,
    /// Left care: adopted.
    AdoptedLeaver,
    /// Left care: special guardianship to relative foster carers.
    SgoLeaver,
}

pub const ALL: &[Archetype] = &[
    Archetype::Foster12m,
    Archetype::PlacementOrder9m,
    Archetype::NoParentalResponsibility,
    Archetype::HomeWithParents12m,
    Archetype::ExternalResidential12m,
    Archetype::CareOrderLtfUnmatched,
    Archetype::PlacementOrderWithCarers,
    Archetype::PlacedForAdoption,
    Archetype::PermanenceAchieved,
    Archetype::NoPlanYet,
    Archetype::AdoptedLeaver,
    Archetype::SgoLeaver,
];

/// Children per block; each block holds every archetype once.
pub const BLOCK: usize = 40;

/// The archetype of the child at `index`, if any: every third child from
/// the second of each block of 40, so they are spread among the others.
pub fn for_index(index: usize) -> Option<Archetype> {
    let p = index % BLOCK;
    if p % 3 == 1 {
        ALL.get(p / 3).copied()
    } else {
        None
    }
}

/// The latest age in days a child may have at the as-at date (under 18).
const MAX_AGE_DAYS: i64 = 6560;

struct Frame<'a> {
    as_at: NaiveDate,
    home_post: &'a str,
}

impl Frame<'_> {
    /// A child looked after since `elapsed` days before the as-at date, who
    /// entered care aged `entry_age` days.
    fn who(&self, elapsed: i64, entry_age: i64) -> (NaiveDate, Who<'_>) {
        let entry_age = entry_age.min(MAX_AGE_DAYS - elapsed).max(0);
        let start = plus(self.as_at, -elapsed);
        let dob = plus(start, -entry_age);
        (
            dob,
            Who {
                entry_age_days: entry_age,
                home_post: self.home_post,
                start,
            },
        )
    }
}

fn open_story(
    dob: NaiveDate,
    start: NaiveDate,
    course: Course,
    plan: PlanChoice,
    cin: CategoryOfNeed,
) -> Story {
    Story {
        dob,
        periods: vec![PeriodPlan {
            course,
            start,
            ending: Ending::Open,
            cin,
        }],
        plan,
        late_reviews: 0.1,
    }
}

fn plan(kind: PlanKind, agreed: NaiveDate) -> PlanFacts {
    PlanFacts {
        plan: Some(kind),
        plan_agreed: Some(agreed),
        ..PlanFacts::default()
    }
}

pub fn story(kind: Archetype, rng: &mut Rng, as_at: NaiveDate, home_post: &str) -> Story {
    let f = Frame { as_at, home_post };
    let n1 = CategoryOfNeed::N1;
    match kind {
        Archetype::Foster12m => {
            let elapsed = days(rng, 420, 1500);
            let (dob, who) = f.who(elapsed, days(rng, 365, 3650));
            let kin = chance(rng, 0.3);
            let mut c = Course::default();
            let first_ls = weighted(rng, &[(LegalStatus::V2, 1), (LegalStatus::C1, 1)]);
            c.start(first_ls, pl::foster(rng, kin, false, home_post, None));
            // Only legal changes and same-carers changes: the carers never
            // change, so the same-carers run is the whole period.
            let mut t = 0;
            if first_ls == LegalStatus::V2 {
                t = days(rng, 20, 90);
                c.legal(t, LegalStatus::C1);
            }
            let c2_at = t + days(rng, 150, 250);
            c.legal(c2_at, LegalStatus::C2);
            let agreed = plus(who.start, c2_at + days(rng, 20, 60)).min(as_at);
            let mut facts = if kin {
                PlanFacts {
                    potential_sgo: true,
                    ..plan(PlanKind::Sgo, agreed)
                }
            } else {
                plan(PlanKind::LongTermFostering, agreed)
            };
            if !kin && chance(rng, 0.5) {
                let at = (c2_at + days(rng, 60, 200)).min(elapsed - 1);
                if let Some(lt) = c.current().and_then(|s| pl::made_long_term(&s.placement)) {
                    c.same_carers(at, None, lt);
                    facts.match_agreed = Some(plus(who.start, at).max(agreed));
                }
            }
            open_story(dob, who.start, c, PlanChoice::Fixed(facts), n1)
        }
        Archetype::PlacementOrder9m => {
            let elapsed = days(rng, 480, 850);
            let (dob, who) = f.who(elapsed, days(rng, 0, 60));
            let mut c = Course::default();
            let first = if chance(rng, 0.4) {
                pl::foster_for_adoption(rng, home_post)
            } else {
                pl::foster(rng, false, false, home_post, None)
            };
            c.start(LegalStatus::C1, first);
            let e1_at = days(rng, 120, elapsed - 320);
            let decided = e1_at - days(rng, 15, 60);
            c.adm_decision = Some(decided);
            c.legal(e1_at, LegalStatus::E1);
            let facts = plan(PlanKind::Adoption, plus(who.start, decided));
            open_story(dob, who.start, c, PlanChoice::Fixed(facts), n1)
        }
        Archetype::NoParentalResponsibility => {
            let elapsed = days(rng, 200, 2000);
            let (dob, who) = f.who(elapsed, days(rng, 400, 3000));
            let mut c = history::course(rng, Pathway::CareOrder, &who, elapsed);
            c.adm_decision = None;
            let facts = PlanFacts {
                no_pr: true,
                ..plan(
                    PlanKind::LongTermFostering,
                    plus(who.start, days(rng, 100, elapsed)),
                )
            };
            open_story(
                dob,
                who.start,
                c,
                PlanChoice::Fixed(facts),
                CategoryOfNeed::N8,
            )
        }
        Archetype::HomeWithParents12m => {
            let elapsed = days(rng, 760, 2500);
            let (dob, who) = f.who(elapsed, days(rng, 365, 2500));
            let mut c = Course::default();
            c.start(
                LegalStatus::C1,
                pl::foster(rng, false, false, home_post, None),
            );
            let c2_at = days(rng, 120, 300);
            c.legal(c2_at, LegalStatus::C2);
            let home_at = days(rng, c2_at + 30, elapsed - 400);
            if let Some(cur) = c.current().map(|s| s.placement.clone()) {
                let home = pl::new_placement(
                    rng,
                    crate::model::Place::P1,
                    Provider::PR0,
                    home_post,
                    Some(&cur),
                );
                c.moved(rng, home_at, None, home);
            }
            let kind = weighted(rng, &[(PlanKind::ReturnHome, 3), (PlanKind::Cao, 1)]);
            let facts = plan(kind, plus(who.start, home_at - days(rng, 10, 60)));
            open_story(dob, who.start, c, PlanChoice::Fixed(facts), n1)
        }
        Archetype::ExternalResidential12m => {
            let elapsed = days(rng, 450, 1500);
            let (dob, who) = f.who(elapsed, days(rng, 4000, 5200));
            let mut c = Course::default();
            let first_ls = weighted(rng, &[(LegalStatus::V2, 2), (LegalStatus::C1, 1)]);
            let moved_at = if chance(rng, 0.5) {
                c.start(first_ls, pl::residential(rng, true, home_post, None));
                0
            } else {
                c.start(first_ls, pl::foster(rng, false, false, home_post, None));
                let at = days(rng, 30, elapsed - 400);
                if let Some(cur) = c.current().map(|s| s.placement.clone()) {
                    let home = pl::residential(rng, true, home_post, Some(&cur));
                    c.moved(rng, at, None, home);
                }
                at
            };
            if first_ls == LegalStatus::C1 {
                c.legal(
                    (moved_at + days(rng, 100, 300)).min(elapsed),
                    LegalStatus::C2,
                );
            }
            let facts = plan(
                PlanKind::Residential,
                plus(who.start, moved_at + days(rng, 30, 90)).min(as_at),
            );
            open_story(
                dob,
                who.start,
                c,
                PlanChoice::Fixed(facts),
                CategoryOfNeed::N6,
            )
        }
        Archetype::CareOrderLtfUnmatched => {
            let elapsed = days(rng, 420, 1500);
            let (dob, who) = f.who(elapsed, days(rng, 1500, 3650));
            let mut c = Course::default();
            c.start(
                LegalStatus::C1,
                pl::foster(rng, false, false, home_post, None),
            );
            let c2_at = days(rng, 120, 300);
            c.legal(c2_at, LegalStatus::C2);
            if chance(rng, 0.4) {
                let at = days(rng, c2_at + 30, elapsed);
                if let Some(cur) = c.current().map(|s| s.placement.clone()) {
                    let to = pl::foster(rng, false, false, home_post, Some(&cur));
                    c.moved(rng, at, None, to);
                }
            }
            let agreed = plus(who.start, (c2_at + days(rng, 30, 100)).min(elapsed));
            let facts = plan(PlanKind::LongTermFostering, agreed);
            open_story(dob, who.start, c, PlanChoice::Fixed(facts), n1)
        }
        Archetype::PlacementOrderWithCarers => {
            let elapsed = days(rng, 400, 2000);
            let (dob, who) = f.who(elapsed, days(rng, 1000, 3000));
            let mut c = Course::default();
            c.start(
                LegalStatus::C1,
                pl::foster(rng, false, false, home_post, None),
            );
            let e1_at = days(rng, 100, elapsed - 30);
            c.adm_decision = Some(e1_at - days(rng, 20, 80));
            c.legal(e1_at, LegalStatus::E1);
            let facts = plan(PlanKind::Adoption, plus(who.start, e1_at));
            open_story(dob, who.start, c, PlanChoice::Fixed(facts), n1)
        }
        Archetype::PlacedForAdoption => {
            let elapsed = days(rng, 350, 800);
            let (dob, who) = f.who(elapsed, days(rng, 0, 30));
            let mut c = Course::default();
            let fostering_for_adoption = chance(rng, 0.5);
            let first = if fostering_for_adoption {
                pl::foster_for_adoption(rng, home_post)
            } else {
                pl::foster(rng, false, false, home_post, None)
            };
            c.start(LegalStatus::C1, first.clone());
            let e1_at = days(rng, 150, 200);
            let decided = e1_at - days(rng, 15, 60);
            c.adm_decision = Some(decided);
            c.legal(e1_at, LegalStatus::E1);
            let placed_at = e1_at + days(rng, 40, 100);
            let to = pl::adoptive(rng, &first, fostering_for_adoption, home_post);
            if fostering_for_adoption {
                c.same_carers(placed_at, None, to);
            } else {
                c.moved(rng, placed_at, None, to);
            }
            let facts = plan(PlanKind::Adoption, plus(who.start, decided));
            open_story(dob, who.start, c, PlanChoice::Fixed(facts), n1)
        }
        Archetype::PermanenceAchieved => {
            let elapsed = days(rng, 700, 2500);
            let (dob, who) = f.who(elapsed, days(rng, 1500, 3650));
            let mut c = Course::default();
            c.start(
                LegalStatus::C1,
                pl::foster(rng, false, false, home_post, None),
            );
            let c2_at = days(rng, 150, 300);
            c.legal(c2_at, LegalStatus::C2);
            let agreed = plus(who.start, c2_at + days(rng, 20, 60));
            let matched_at = days(rng, c2_at + 90, elapsed - 200);
            let mut facts = plan(PlanKind::LongTermFostering, agreed);
            if let Some(lt) = c.current().and_then(|s| pl::made_long_term(&s.placement)) {
                c.same_carers(matched_at, None, lt);
            }
            let matched = plus(who.start, matched_at).max(agreed);
            facts.match_agreed = Some(matched);
            facts.achieved = Some(plus(matched, days(rng, 30, 150)).min(as_at));
            open_story(dob, who.start, c, PlanChoice::Fixed(facts), n1)
        }
        Archetype::NoPlanYet => {
            let elapsed = days(rng, 330, 700);
            let (dob, who) = f.who(elapsed, days(rng, 2000, 5000));
            let pathway = weighted(rng, &[(Pathway::Voluntary, 1), (Pathway::CareOrder, 1)]);
            let mut c = history::course(rng, pathway, &who, elapsed);
            c.adm_decision = None;
            let mut s = open_story(dob, who.start, c, PlanChoice::Absent, CategoryOfNeed::N4);
            s.late_reviews = 0.4;
            s
        }
        Archetype::AdoptedLeaver => {
            let leave_ago = days(rng, 10, 300);
            // Built on a provisional start, then anchored so that the
            // adoption order falls `leave_ago` days before the as-at date.
            let provisional = Who {
                entry_age_days: 0,
                home_post,
                start: as_at,
            };
            let c = history::course(rng, Pathway::Adoption, &provisional, 2000);
            let (end, rec) = c.natural_end.unwrap_or((500, ReasonCeased::E11));
            let start = plus(as_at, -(leave_ago + end));
            let dob = plus(start, -days(rng, 0, 20));
            Story {
                dob,
                periods: vec![PeriodPlan {
                    course: c,
                    start,
                    ending: Ending::At(end, Some(rec)),
                    cin: n1,
                }],
                plan: PlanChoice::Usual,
                late_reviews: 0.1,
            }
        }
        Archetype::SgoLeaver => {
            let leave_ago = days(rng, 10, 300);
            let length = days(rng, 500, 1200);
            let start = plus(as_at, -(leave_ago + length));
            let entry_age = days(rng, 300, 3000);
            let dob = plus(start, -entry_age);
            let mut c = Course::default();
            c.start(
                LegalStatus::C1,
                pl::foster(rng, true, false, home_post, None),
            );
            c.legal(days(rng, 150, 300), LegalStatus::C2);
            let facts = PlanFacts {
                potential_sgo: true,
                achieved: Some(plus(start, length)),
                ..plan(PlanKind::Sgo, plus(start, days(rng, 320, 450)))
            };
            Story {
                dob,
                periods: vec![PeriodPlan {
                    course: c,
                    start,
                    ending: Ending::At(length, Some(ReasonCeased::E45)),
                    cin: n1,
                }],
                plan: PlanChoice::Fixed(facts),
                late_reviews: 0.1,
            }
        }
    }
}
