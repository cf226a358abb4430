//! A second, deliberately naive reading of `rules.md`, written apart from
//! `src/rules/`, compared with the engine on thousands of random histories
//! built around the boundaries (exactly N months, month ends, 29 February,
//! 18th birthdays, gaps, same-date reviews, plans agreed the day after).
//!
//! The oracle shares nothing with the engine but the model types: its own
//! month arithmetic, its own working-day count read straight from
//! `assets/bank-holidays.csv`, its own walk over the episodes.

use std::collections::{BTreeSet, HashSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use permanence_panel::model::*;
use permanence_panel::rules::calendar::Calendar;
use permanence_panel::rules::cohorts::{self, PanelRoutes};
use permanence_panel::rules::timetable;
use permanence_panel::terms::Terms;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

// ---------------------------------------------------------------- oracle

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Calendar months forward (or back, n < 0), clamping to the month's end.
fn months(d: NaiveDate, n: i32) -> NaiveDate {
    let index = d.year() * 12 + d.month0() as i32 + n;
    let (y, m) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
    let mut day = d.day();
    loop {
        if let Some(x) = NaiveDate::from_ymd_opt(y, m, day) {
            return x;
        }
        day -= 1;
    }
}

fn bank_holidays() -> HashSet<NaiveDate> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/bank-holidays.csv"
    ))
    .expect("the bank holiday table ships in assets/");
    text.lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .filter_map(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .collect()
}

fn twentieth_working_day_after(x: NaiveDate, holidays: &HashSet<NaiveDate>) -> NaiveDate {
    let mut d = x;
    let mut counted = 0;
    while counted < 20 {
        d += Duration::days(1);
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        if !weekend && !holidays.contains(&d) {
            counted += 1;
        }
    }
    d
}

struct Looked<'a> {
    /// Visible episodes, oldest first, ending with the current one.
    chain: Vec<&'a Episode>,
}

fn looked_after(r: &ChildRecord, d: NaiveDate) -> Option<Looked<'_>> {
    if d >= months(r.child.dob, 18 * 12) {
        return None;
    }
    let open: Vec<&Episode> = r
        .episodes
        .iter()
        .filter(|e| e.decom <= d && e.dec.is_none_or(|end| d < end))
        .collect();
    if open.len() != 1 {
        return None;
    }
    let mut chain = vec![open[0]];
    loop {
        let first = chain[0];
        let before: Vec<&Episode> = r
            .episodes
            .iter()
            .filter(|e| e.dec == Some(first.decom))
            .collect();
        match before.as_slice() {
            [one] => chain.insert(0, one),
            _ => break,
        }
    }
    Some(Looked { chain })
}

/// The start of the run of the chain's tail whose episodes all satisfy `keep`.
fn run_start(chain: &[&Episode], keep: impl Fn(&Episode) -> bool) -> Option<NaiveDate> {
    let mut start = None;
    for e in chain.iter().rev() {
        if keep(e) {
            start = Some(e.decom);
        } else {
            break;
        }
    }
    start
}

fn is_foster(p: Place) -> bool {
    matches!(
        p,
        Place::U1 | Place::U2 | Place::U3 | Place::U4 | Place::U5 | Place::U6
    )
}
fn is_placed_for_adoption(p: Place) -> bool {
    matches!(p, Place::A3 | Place::A4 | Place::A5 | Place::A6)
}
fn is_residential(p: Place) -> bool {
    matches!(p, Place::K1 | Place::K2 | Place::R1 | Place::R2 | Place::S1)
}

fn oracle_memberships(r: &ChildRecord, terms: &Terms, d: NaiveDate) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let Some(care) = looked_after(r, d) else {
        return out;
    };
    let chain = &care.chain;
    let current = chain[chain.len() - 1];
    let period_start = chain[0].decom;
    let facts = r.plan.clone().unwrap_or_default();
    let agreed_plan = match (facts.plan, facts.plan_agreed) {
        (Some(p), Some(on)) if on <= d => Some((p, on)),
        _ => None,
    };
    let match_agreed = facts.match_agreed.is_some_and(|m| m <= d)
        || matches!(current.place, Place::U1 | Place::U4);
    let longer = |start: NaiveDate, n: i32| d > months(start, n);
    let mut add = |cohort: CohortId, since: NaiveDate| {
        if terms.cohorts.contains(&cohort) {
            out.insert((cohort.id().to_owned(), since.format("%Y-%m-%d").to_string()));
        }
    };

    // Telford.
    if (current.ls == LegalStatus::D1 || facts.no_pr) && !is_placed_for_adoption(current.place) {
        let since = if current.ls == LegalStatus::D1 {
            run_start(chain, |e| e.ls == LegalStatus::D1).expect("current is D1")
        } else {
            period_start
        };
        add(CohortId::NoParentalResponsibility, since);
    }
    if let Some(s) = run_start(chain, |e| e.ls == LegalStatus::E1)
        && longer(s, 9)
    {
        add(CohortId::PlacementOrder9m, s);
    }
    if current.ls == LegalStatus::C2
        && let Some((PlanKind::LongTermFostering, on)) = agreed_plan
        && !match_agreed
    {
        add(CohortId::CareOrderLtfUnmatched, on);
    }
    if is_foster(current.place) {
        // The latest carers change, else the period's start.
        let mut start_index = 0;
        for (i, e) in chain.iter().enumerate() {
            if e.rne.carers_change() {
                start_index = i;
            }
        }
        let run = &chain[start_index..];
        if run.iter().all(|e| is_foster(e.place)) && longer(run[0].decom, 12) {
            add(CohortId::Foster12m, run[0].decom);
        }
    }
    if let Some(s) = run_start(chain, |e| e.place == Place::P1)
        && longer(s, 12)
    {
        add(CohortId::Home12m, s);
    }
    if let Some(s) = run_start(chain, |e| is_residential(e.place)) {
        let external = chain.iter().filter(|e| e.decom >= s).all(|e| {
            e.place_provider
                .is_some_and(|p| terms.external_providers.contains(&p))
        });
        if external && longer(s, 12) {
            add(CohortId::ExternalResidential12m, s);
        }
    }

    // Wiltshire.
    let excluded = matches!(current.ls, LegalStatus::E1 | LegalStatus::D1)
        || is_placed_for_adoption(current.place);
    let achieved = facts.achieved.is_some_and(|a| a <= d);
    let mut held: Vec<NaiveDate> = r
        .reviews
        .iter()
        .map(|v| v.review)
        .filter(|&v| v >= period_start && v <= d)
        .collect();
    held.sort();
    if held.len() >= 3 && !excluded && !achieved {
        add(CohortId::TrackedFromThirdReview, held[2]);
    }
    out
}

fn oracle_timetable(
    r: &ChildRecord,
    d: NaiveDate,
    holidays: &HashSet<NaiveDate>,
) -> Option<(NaiveDate, usize, Option<NaiveDate>, NaiveDate, bool)> {
    let care = looked_after(r, d)?;
    let period_start = care.chain[0].decom;
    let mut held: Vec<NaiveDate> = r
        .reviews
        .iter()
        .map(|v| v.review)
        .filter(|&v| v >= period_start && v <= d)
        .collect();
    held.sort();
    let due = match held.len() {
        0 => twentieth_working_day_after(period_start, holidays),
        1 => months(held[0], 3),
        _ => months(held[held.len() - 1], 6),
    };
    Some((period_start, held.len(), held.last().copied(), due, d > due))
}

// ------------------------------------------------- boundary-case histories

const AS_AT: [(i32, u32, u32); 4] = [(2026, 11, 27), (2025, 2, 28), (2024, 2, 29), (2024, 12, 31)];

fn pick<T: Copy>(rng: &mut ChaCha8Rng, from: &[T]) -> T {
    from[rng.random_range(0..from.len())]
}

/// A date near a boundary of one of the as-at dates: N months before it
/// (N a rule's threshold), give or take a day, or a month's end.
fn boundary_date(rng: &mut ChaCha8Rng) -> NaiveDate {
    let (y, m, dd) = pick(rng, &AS_AT);
    let anchor = ymd(y, m, dd);
    let back = pick(rng, &[3, 6, 9, 12, 13, 18, 24, 30]);
    let base = months(anchor, -back);
    match rng.random_range(0..6) {
        0 => base - Duration::days(1),
        1 => base + Duration::days(1),
        2 => {
            // The last day of that month.
            months(ymd(base.year(), base.month(), 1), 1) - Duration::days(1)
        }
        3 => base - Duration::days(rng.random_range(2..60)),
        _ => base,
    }
}

const LS: &[LegalStatus] = &[
    LegalStatus::C1,
    LegalStatus::C2,
    LegalStatus::E1,
    LegalStatus::D1,
    LegalStatus::V2,
    LegalStatus::V3,
    LegalStatus::L1,
    LegalStatus::J1,
];
const PLACES: &[Place] = &[
    Place::U1,
    Place::U2,
    Place::U3,
    Place::U4,
    Place::U5,
    Place::U6,
    Place::P1,
    Place::A3,
    Place::A5,
    Place::A6,
    Place::K1,
    Place::K2,
    Place::R1,
    Place::R2,
    Place::S1,
    Place::H5,
    Place::R3,
    Place::Z1,
];
const PROVIDERS: &[Option<Provider>] = &[
    None,
    Some(Provider::PR0),
    Some(Provider::PR1),
    Some(Provider::PR2),
    Some(Provider::PR3),
    Some(Provider::PR4),
    Some(Provider::PR5),
];

fn random_child(rng: &mut ChaCha8Rng, n: usize) -> ChildRecord {
    let id = format!("T{n:05}");
    let start = boundary_date(rng);
    // Born 0 to 17 years before the first episode; sometimes on 29 February,
    // sometimes turning 18 on an as-at date.
    let dob = match rng.random_range(0..10) {
        0 => ymd(2008, 2, 29),
        1 => {
            let (y, m, dd) = pick(rng, &AS_AT);
            months(ymd(y, m, dd), -18 * 12) + Duration::days(rng.random_range(-1..=1))
        }
        _ => start - Duration::days(rng.random_range(0..17 * 365)),
    };
    let start = start.max(dob);
    let mut episodes = Vec::new();
    let mut decom = start;
    // Stay in one legal status or setting for a while, as real histories do.
    let mut ls = pick(rng, LS);
    let mut place = pick(rng, PLACES);
    let mut provider = pick(rng, PROVIDERS);
    let count = rng.random_range(1..=6);
    for i in 0..count {
        let rne = if i == 0 { Rne::S } else { pick(rng, Rne::ALL) };
        if i > 0 {
            if rng.random_bool(0.5) {
                ls = pick(rng, LS);
            }
            if rng.random_bool(0.5) {
                place = pick(rng, PLACES);
            }
            if rng.random_bool(0.3) {
                provider = pick(rng, PROVIDERS);
            }
        }
        let last = i + 1 == count;
        let length = match rng.random_range(0..4) {
            0 => rng.random_range(1..40),
            1 => rng.random_range(40..400),
            _ => {
                // End on a boundary date, if it is later.
                let b = boundary_date(rng);
                (b - decom).num_days().max(1)
            }
        };
        let dec = if last && rng.random_bool(0.7) {
            None
        } else {
            Some(decom + Duration::days(length))
        };
        episodes.push(Episode {
            child: id.clone(),
            decom,
            rne,
            ls,
            cin: Some(CategoryOfNeed::N1),
            place,
            place_provider: provider,
            dec,
            rec: dec.map(|_| ReasonCeased::X1),
            reason_place_change: None,
            home_post: None,
            pl_post: None,
            urn: None,
        });
        let Some(end) = dec else { break };
        // Mostly contiguous; sometimes a gap (a new period, whatever its RNE).
        decom = if rng.random_bool(0.15) {
            end + Duration::days(rng.random_range(1..200))
        } else {
            end
        };
    }
    let period_days: Vec<NaiveDate> = episodes.iter().map(|e| e.decom).collect();
    let mut reviews = Vec::new();
    for _ in 0..rng.random_range(0..8) {
        let on = match rng.random_range(0..4) {
            0 => pick(rng, &period_days),
            1 => reviews.last().map(|r: &Review| r.review).unwrap_or(start),
            _ => start + Duration::days(rng.random_range(0..1500)),
        };
        reviews.push(Review {
            child: id.clone(),
            review: on,
            review_code: Some(ReviewCode::PN1),
        });
    }
    reviews.sort_by_key(|r| r.review);
    let plan = rng.random_bool(0.7).then(|| PlanFacts {
        child: id.clone(),
        plan: Some(pick(rng, PlanKind::ALL)),
        plan_agreed: rng.random_bool(0.8).then(|| boundary_date(rng)),
        match_agreed: rng.random_bool(0.3).then(|| boundary_date(rng)),
        no_pr: rng.random_bool(0.1),
        potential_sgo: rng.random_bool(0.1),
        achieved: rng.random_bool(0.2).then(|| boundary_date(rng)),
        contingency: None,
    });
    ChildRecord {
        child: Child {
            id,
            sex: Sex::Male,
            dob,
            ethnic: Ethnicity::Nobt,
            upn: None,
            mother: None,
            mc_dob: None,
        },
        episodes,
        reviews,
        placed_adoption: Vec::new(),
        plan,
    }
}

fn histories(n: usize) -> Vec<ChildRecord> {
    let mut rng = ChaCha8Rng::seed_from_u64(903);
    (0..n).map(|i| random_child(&mut rng, i)).collect()
}

// ------------------------------------------------------------------ tests

#[test]
fn cohorts_agree_with_an_independent_reading_of_rules_md() {
    let records = histories(4000);
    let mut compared = 0;
    let mut members = 0;
    for preset in ["telford", "wiltshire"] {
        let terms = Terms::load(preset).expect("preset loads");
        for (y, m, d) in AS_AT {
            let d = ymd(y, m, d);
            for r in &records {
                let engine: BTreeSet<(String, String)> =
                    cohorts::memberships(r, &terms, d, &PanelRoutes::default())
                        .into_iter()
                        .map(|m| {
                            (
                                m.cohort.id().to_owned(),
                                m.since.format("%Y-%m-%d").to_string(),
                            )
                        })
                        .collect();
                let oracle = oracle_memberships(r, &terms, d);
                assert_eq!(
                    engine, oracle,
                    "{preset} at {d}: child {} differs\n{r:#?}",
                    r.child.id
                );
                compared += 1;
                members += oracle.len();
            }
        }
    }
    // The histories must exercise the rules, not just agree on "nothing".
    assert!(
        members > compared / 10,
        "only {members} memberships in {compared} comparisons"
    );
}

#[test]
fn every_cohort_is_met_somewhere_in_the_boundary_histories() {
    let records = histories(4000);
    let mut seen = BTreeSet::new();
    for preset in ["telford", "wiltshire"] {
        let terms = Terms::load(preset).expect("preset loads");
        for (y, m, d) in AS_AT {
            for r in &records {
                for (cohort, _) in oracle_memberships(r, &terms, ymd(y, m, d)) {
                    seen.insert(cohort);
                }
            }
        }
    }
    for cohort in CohortId::ALL {
        if matches!(cohort, CohortId::Referral | CohortId::CarriedOver) {
            continue; // come from the panel, not the return
        }
        assert!(
            seen.contains(cohort.id()),
            "no history meets {}",
            cohort.id()
        );
    }
}

#[test]
fn timetable_agrees_with_an_independent_reading_of_rules_md() {
    let records = histories(4000);
    let holidays = bank_holidays();
    let calendar = Calendar::england_and_wales();
    let mut looked_after = 0;
    let mut overdue = 0;
    for (y, m, d) in AS_AT {
        let d = ymd(y, m, d);
        for r in &records {
            let engine = timetable::timetable(r, d, &calendar).map(|row| {
                assert_eq!(row.child, r.child.id);
                (
                    row.period_start,
                    row.reviews_held as usize,
                    row.last_review,
                    row.next_due,
                    row.overdue,
                )
            });
            let oracle = oracle_timetable(r, d, &holidays);
            assert_eq!(
                engine, oracle,
                "at {d}: child {} differs\n{r:#?}",
                r.child.id
            );
            if let Some(row) = oracle {
                looked_after += 1;
                overdue += usize::from(row.4);
            }
        }
    }
    assert!(looked_after > 1000, "only {looked_after} looked after");
    assert!(
        overdue > 100 && overdue < looked_after,
        "{overdue} overdue of {looked_after}"
    );
}
