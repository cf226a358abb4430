//! Unaccompanied asylum-seeking children (UASC) in the steady population of
//! the annual returns: young people who arrive alone aged 14 to 17, are
//! accommodated under section 20 (`V2`) for absent parenting (`N8`), have no
//! home postcode in England (so VAL 392b asks for none and 406 for no
//! distance), and mostly stay looked after until their 18th birthday, when
//! their UASC status ends (`DUC`: VAL 205B expects the 18th birthday, 304
//! nothing later).
//!
//! Wiltshire is an inland council taking children through the National
//! Transfer Scheme, so UASC are a few percent of those looked after; a port
//! or coastal council (Kent, Portsmouth) would hold several times more.

use chrono::NaiveDate;
use rand::SeedableRng;

use super::history::{self, Course, Ending, Pathway, Who};
use super::pick::{Rng, between, chance, days, plus, weighted};
use super::{PeriodPlan, PlanChoice, Story};
use crate::model::{CategoryOfNeed, ChildRecord, Ethnicity, Place, ReasonCeased, Sex};
use crate::rules::dates::add_months;

/// The share of the steady population's children who are UASC arrivals.
/// About 5% of those looked after at 31 March (measured in the unit test
/// below), against 9% in England as a whole, where port councils hold many.
const UASC_SHARE: f64 = 0.05;

/// Salt of the stream that picks the UASC children, kept apart from each
/// child's own stream so that every other child is drawn as before.
const UASC_SALT: u64 = 0x5541_5343;

/// The stream deciding whether the child at `child_seed` arrived as UASC
/// and, if so, who the child is.
pub(super) fn arrival_rng(child_seed: u64) -> Rng {
    Rng::seed_from_u64(child_seed ^ UASC_SALT.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Whether the child arrived as UASC (one draw from `arrival_rng`).
pub(super) fn arrives(rng: &mut Rng) -> bool {
    chance(rng, UASC_SHARE)
}

/// The day UASC status ceases: the 18th birthday (VAL 205B, 304).
pub fn status_ceased(dob: NaiveDate) -> NaiveDate {
    add_months(dob, 18 * 12)
}

/// A UASC child's one period of care: arrived on a day from two years
/// before `first_day` (most arrivals are 16 or 17) to
/// `as_at`, aged 14 to 17 (mostly 16 or 17), accommodated under section 20.
/// Most stay until their 18th birthday and move on to supported or
/// independent living; some are found by an age assessment to be adults
/// (`E15`), some move to another council under the National Transfer Scheme
/// (`E3`), a few go missing and care ends (`E8`).
pub(super) fn story(
    rng: &mut Rng,
    first_day: NaiveDate,
    as_at: NaiveDate,
    home_post: &str,
) -> Story {
    let window_start = plus(first_day, -2 * 365);
    let window = between(window_start, as_at).max(1);
    loop {
        let start = plus(window_start, days(rng, 0, window));
        let years: i64 = weighted(rng, &[(14, 10), (15, 25), (16, 40), (17, 25)]);
        let entry_age = years * 365 + days(rng, 0, 330);
        let dob = plus(start, -entry_age);
        let to_eighteen = between(start, status_ceased(dob)).max(1);
        let (length, rec) = weighted(
            rng,
            &[
                (None, 80),
                (Some(ReasonCeased::E15), 8),
                (Some(ReasonCeased::E3), 7),
                (Some(ReasonCeased::E8), 5),
            ],
        )
        .map(|rec| {
            let length = match rec {
                ReasonCeased::E15 => days(rng, 20, 150),
                ReasonCeased::E3 => days(rng, 10, 60),
                _ => days(rng, 30, 400),
            };
            (length.min(to_eighteen), rec)
        })
        .unwrap_or_else(|| {
            let rec = weighted(rng, &[(ReasonCeased::E5, 5), (ReasonCeased::E6, 2)]);
            (to_eighteen, rec)
        });
        if plus(start, length) < first_day {
            // Left before the first return: in none of them; draw again.
            continue;
        }
        let who = Who {
            entry_age_days: entry_age,
            home_post,
            start,
        };
        let mut course = history::course(rng, Pathway::Voluntary, &who, length);
        with_unrelated_carers(&mut course);
        let ending = if plus(start, length) > as_at {
            Ending::Open
        } else {
            Ending::At(length, Some(rec))
        };
        return Story {
            dob,
            periods: vec![PeriodPlan {
                course,
                start,
                ending,
                cin: CategoryOfNeed::N8,
            }],
            plan: PlanChoice::Usual,
            late_reviews: 0.1,
        };
    }
}

/// A child who arrived alone has no relatives here to foster them and is
/// not placed with carers approved as adopters: foster care is with other
/// carers (`U6`, made long-term `U4`), which keeps every change of carers
/// or placement record a change VAL 434-436 can see (`U6` to `U4`).
fn with_unrelated_carers(course: &mut Course) {
    for step in &mut course.steps {
        step.placement.place = match step.placement.place {
            Place::U1 => Place::U4,
            Place::U2 | Place::U3 | Place::U5 => Place::U6,
            other => other,
        };
    }
}

/// Makes the child's record that of a UASC arrival: mostly boys, from the
/// countries most arrivals come from (Afghanistan, Eritrea, Sudan, Iran,
/// Iraq, Syria, Albania, Vietnam), with no home postcode in England.
pub(super) fn as_arrival(rng: &mut Rng, record: &mut ChildRecord) {
    let c = &mut record.child;
    let female = chance(rng, 0.08);
    let legacy = matches!(c.sex, Sex::LegacyMale | Sex::LegacyFemale);
    c.sex = match (female, legacy) {
        (true, true) => Sex::LegacyFemale,
        (false, true) => Sex::LegacyMale,
        (true, false) => Sex::Female,
        (false, false) => Sex::Male,
    };
    if female {
        c.mother = Some(false);
    } else {
        c.mother = None;
    }
    c.mc_dob = None;
    c.ethnic = weighted(
        rng,
        &[
            (Ethnicity::Aoth, 30),
            (Ethnicity::Bafr, 25),
            (Ethnicity::Ooth, 30),
            (Ethnicity::Woth, 10),
            (Ethnicity::Both, 5),
        ],
    );
    for e in &mut record.episodes {
        e.home_post = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LegalStatus, Rne};
    use crate::synth::{SynthConfig, generate_steady_each};

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%d/%m/%Y").unwrap()
    }

    #[test]
    fn uasc_status_ceases_on_the_18th_birthday() {
        assert_eq!(status_ceased(date("14/07/2008")), date("14/07/2026"));
        assert_eq!(status_ceased(date("29/02/2008")), date("28/02/2026"));
    }

    /// Children arrive aged 14 to 17 under section 20, for absent
    /// parenting, with no home postcode, and leave by their 18th birthday;
    /// they are a few percent of those looked after at each 31 March.
    #[test]
    fn arrivals_are_older_children_accommodated_under_section_20() {
        let cfg = SynthConfig {
            children: 3000,
            seed: 11,
            as_at: date("31/03/2026"),
        };
        let first_day = date("01/04/2019");
        let (mut uasc, mut looked_after, mut uasc_looked_after) = (0, 0, 0);
        let march = date("31/03/2024");
        generate_steady_each(&cfg, first_day, |child| {
            let r = &child.record;
            let open_on = |d: NaiveDate| {
                r.episodes
                    .iter()
                    .any(|e| e.decom <= d && e.dec.is_none_or(|x| x > d))
            };
            if open_on(march) {
                looked_after += 1;
            }
            if !child.uasc {
                assert!(r.episodes.iter().all(|e| e.home_post.is_some()), "{r:?}");
                return Ok(());
            }
            uasc += 1;
            if open_on(march) {
                uasc_looked_after += 1;
            }
            let first = &r.episodes[0];
            assert_eq!((first.rne, first.ls), (Rne::S, LegalStatus::V2), "{r:?}");
            let age = between(r.child.dob, first.decom) / 365;
            assert!((14..=17).contains(&age), "arrived aged {age}: {r:?}");
            for e in &r.episodes {
                assert!(
                    !matches!(e.place, Place::U1 | Place::U2 | Place::U3 | Place::U5),
                    "{r:?}"
                );
                assert_eq!(e.ls, LegalStatus::V2, "{r:?}");
                assert_eq!(e.cin, Some(CategoryOfNeed::N8), "{r:?}");
                assert_eq!(e.home_post, None, "{r:?}");
                assert!(e.dec.is_none_or(|d| d <= status_ceased(r.child.dob)));
            }
            assert_eq!(r.child.mc_dob, None);
            Ok(())
        })
        .unwrap();
        assert!(uasc > 50, "{uasc} UASC of 3000");
        let share = f64::from(uasc_looked_after) / f64::from(looked_after);
        assert!(
            (0.02..=0.08).contains(&share),
            "{uasc_looked_after} UASC of {looked_after} looked after on {march}"
        );
    }
}
