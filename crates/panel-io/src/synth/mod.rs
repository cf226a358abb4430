//! Deterministic synthetic SSDA903 data from a seed: the four return tables
//! plus the panel's `plans.csv`, for the demo, tests and benchmarks, as one
//! full-history extract or (module `returns`) as a council's annual returns of
//! every table from a steady population. No real
//! child is ever involved: ids are `C` and a number, postcodes and UPNs are
//! random (UPNs use the non-existent council code 999).
//!
//! Each child is generated from its own random stream, derived from the seed
//! and the child's position, so children can be produced one at a time
//! (100,000 never sit in memory) and the same seed always gives the same
//! files. Every 40 children include a fixed set of archetypes
//! ([`archetypes`]) so that even the 40-child demo meets every cohort of
//! `rules.md`; the rest follow the general model in [`history`].

mod archetypes;
mod care_leavers;
mod csv_out;
mod dolo;
mod history;
mod names;
mod pick;
mod placements;
mod returns;
mod uasc;

use chrono::{Datelike, NaiveDate, Weekday};
use rand::SeedableRng;

pub use csv_out::{SynthFiles, write_csv};
pub use names::synthetic_name;
pub use returns::{
    ReturnsConfig, ReturnsWriter, ReturnsWritten, parse_year_range, write_returns, year_ends,
};

use crate::model::*;
use crate::rules::calendar::Calendar;
use crate::rules::dates::add_months;
use history::{Course, Ending, Pathway, Who};
use pick::{Rng, between, chance, days, plus, weighted};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthConfig {
    /// How many children (rows of `Header`).
    pub children: usize,
    pub seed: u64,
    /// The date the extract is taken: nothing happens after it, and every
    /// child is under 18 on it.
    pub as_at: NaiveDate,
}

/// Generates the children one at a time, in id order, handing each to `f`.
/// Stops at the first error `f` returns.
pub fn generate_each(
    cfg: &SynthConfig,
    mut f: impl FnMut(ChildRecord) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let calendar = Calendar::england_and_wales();
    for index in 0..cfg.children {
        f(child_record(cfg, &calendar, index))?;
    }
    Ok(())
}

/// Every child at once (for small sets such as the demo's).
pub fn generate(cfg: &SynthConfig) -> Vec<ChildRecord> {
    let calendar = Calendar::england_and_wales();
    (0..cfg.children)
        .map(|index| child_record(cfg, &calendar, index))
        .collect()
}

/// Generates a steady population in id order, handing each child to `f`:
/// children come into care at any time over the 18 years before
/// `first_day` up to `cfg.as_at` and leave after a realistic time, and only
/// children looked after on or after `first_day` are kept (each child is
/// drawn again from its own stream until it is), so the number looked
/// after stays about the same from year to year. A few children are
/// unaccompanied asylum-seeking children ([`uasc`]), drawn from a stream of
/// their own so that the others are the same with or without them. For
/// annual returns.
pub fn generate_steady_each(
    cfg: &SynthConfig,
    first_day: NaiveDate,
    mut f: impl FnMut(SteadyChild) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let calendar = Calendar::england_and_wales();
    for index in 0..cfg.children {
        let seed = child_seed(cfg.seed, index);
        let mut rng = Rng::seed_from_u64(seed);
        let mut arrival = uasc::arrival_rng(seed);
        let is_uasc = uasc::arrives(&mut arrival);
        let id = child_id(index);
        // One council's children: homes in Wiltshire.
        let home_post = placements::postcode_in(&mut rng, placements::WILTSHIRE);
        let story = if is_uasc {
            uasc::story(&mut rng, first_day, cfg.as_at, &home_post)
        } else {
            steady_story(&mut rng, first_day, cfg.as_at, &home_post)
        };
        let mut record = build_record(&mut rng, cfg.as_at, &calendar, &id, &home_post, story);
        if is_uasc {
            uasc::as_arrival(&mut arrival, &mut record);
        }
        f(SteadyChild {
            record,
            uasc: is_uasc,
        })?;
    }
    Ok(())
}

/// A child of the steady population, with what the four tables do not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SteadyChild {
    pub record: ChildRecord,
    /// An unaccompanied asylum-seeking child (UASC table rows while looked
    /// after, status ceasing on the 18th birthday).
    pub uasc: bool,
}

/// The id of the child at `index` (0-based): `C000001`, `C000002`, ...
pub fn child_id(index: usize) -> String {
    format!("C{:06}", index + 1)
}

/// An independent seed per child (SplitMix64 finaliser over the run's seed
/// and the child's position), so one child's history never shifts another's.
fn child_seed(seed: u64, index: usize) -> u64 {
    let mut z = seed
        ^ (index as u64)
            .wrapping_add(1)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One period of care, ready to be turned into episodes.
pub(crate) struct PeriodPlan {
    pub course: Course,
    pub start: NaiveDate,
    pub ending: Ending,
    pub cin: CategoryOfNeed,
}

/// How a child's plan facts are chosen.
pub(crate) enum PlanChoice {
    /// From the child's situation, as most children.
    Usual,
    /// No `plans.csv` row.
    Absent,
    /// Exactly these facts (the archetypes).
    Fixed(PlanFacts),
}

/// A child's history before it becomes rows.
pub(crate) struct Story {
    pub dob: NaiveDate,
    /// Oldest first; periods never overlap and are separated by a gap.
    pub periods: Vec<PeriodPlan>,
    pub plan: PlanChoice,
    /// The share of reviews held late.
    pub late_reviews: f64,
}

/// The most episodes a child's history holds (all periods together).
const MAX_EPISODES: usize = 8;

fn child_record(cfg: &SynthConfig, calendar: &Calendar, index: usize) -> ChildRecord {
    let mut rng = Rng::seed_from_u64(child_seed(cfg.seed, index));
    let id = child_id(index);
    let home_post = placements::postcode(&mut rng);
    let story = match archetypes::for_index(index) {
        Some(kind) => archetypes::story(kind, &mut rng, cfg.as_at, &home_post),
        None => general_story(&mut rng, cfg.as_at, &home_post),
    };
    build_record(&mut rng, cfg.as_at, calendar, &id, &home_post, story)
}

/// Turns a story into the child's rows.
fn build_record(
    rng: &mut Rng,
    as_at: NaiveDate,
    calendar: &Calendar,
    id: &str,
    home_post: &str,
    story: Story,
) -> ChildRecord {
    let child = header(rng, id, story.dob, as_at);
    let mut episodes: Vec<Episode> = Vec::new();
    let mut reviews = Vec::new();
    let mut placed_adoption = Vec::new();
    for period in &story.periods {
        let room = MAX_EPISODES.saturating_sub(episodes.len());
        if room == 0 {
            break;
        }
        let max_offset = between(period.start, as_at);
        let end_offset = match period.ending {
            Ending::Open => max_offset,
            Ending::At(end, _) => end,
        };
        let age_at_end = between(story.dob, plus(period.start, end_offset)) / 365;
        let (mut eps, ended) = history::realise(
            rng,
            id,
            &period.course,
            period.start,
            period.ending,
            max_offset,
            room,
            period.cin,
            home_post,
            age_at_end,
        );
        let last_day = ended.map(|e| plus(e, -1)).unwrap_or(as_at).min(as_at);
        reviews.extend(
            review_dates(rng, calendar, period.start, last_day, story.late_reviews)
                .into_iter()
                .map(|review| Review {
                    child: id.to_owned(),
                    review,
                    review_code: Some(review_code(rng, story.dob, review)),
                }),
        );
        if let Some(offset) = period.course.adm_decision {
            let decided = plus(period.start, offset);
            if decided <= last_day {
                placed_adoption.push(adoption_decision(rng, id, decided, &eps, last_day));
            }
        }
        episodes.append(&mut eps);
    }
    let record = ChildRecord {
        child,
        episodes,
        reviews,
        placed_adoption,
        plan: None,
    };
    let plan = match story.plan {
        PlanChoice::Absent => None,
        PlanChoice::Fixed(mut facts) => {
            facts.child = id.to_owned();
            Some(facts)
        }
        PlanChoice::Usual => usual_plan(rng, &record, as_at),
    };
    ChildRecord { plan, ..record }
}

/// The `PlacedAdoption` row for a decision on `decided`: still standing when
/// the period ends on a placement order, freeing order or adoptive
/// placement; reversed otherwise (VAL 557), on the day the care order was
/// made when there was one (the court made no placement order).
fn adoption_decision(
    rng: &mut Rng,
    id: &str,
    decided: NaiveDate,
    episodes: &[Episode],
    last_day: NaiveDate,
) -> PlacedAdoption {
    let standing = episodes.last().is_some_and(|e| {
        matches!(e.ls, LegalStatus::E1 | LegalStatus::D1)
            || placements::is_adoptive(e.place)
            || matches!(e.rec, Some(ReasonCeased::E11 | ReasonCeased::E12))
    });
    let mut row = PlacedAdoption {
        child: id.to_owned(),
        date_placed: decided,
        date_placed_ceased: None,
        reason_placed_ceased: None,
    };
    if !standing {
        let care_order = episodes
            .iter()
            .find(|e| e.ls == LegalStatus::C2 && e.decom >= decided)
            .map(|e| e.decom);
        let (ceased, reason) = match care_order {
            Some(d) => (d, ReasonPlacedCeased::RD2),
            None => (
                plus(decided, days(rng, 20, 200)).min(last_day),
                weighted(
                    rng,
                    &[
                        (ReasonPlacedCeased::RD1, 3),
                        (ReasonPlacedCeased::RD3, 2),
                        (ReasonPlacedCeased::RD4, 2),
                    ],
                ),
            ),
        };
        row.date_placed_ceased = Some(ceased.max(decided));
        row.reason_placed_ceased = Some(reason);
    }
    row
}

/// A child of the general model: looked after at the as-at date (about
/// 85%) or left care in the 18 months before, sometimes after an earlier
/// period of care.
fn general_story(rng: &mut Rng, as_at: NaiveDate, home_post: &str) -> Story {
    let age_days = sample_age_days(rng);
    let dob = plus(as_at, -age_days);
    // A newborn cannot have come and gone already.
    let looked_after = age_days < 10 || chance(rng, 0.85);
    let cin = category_of_need(rng);
    let main = if looked_after {
        let elapsed = sample_elapsed(rng).min(age_days);
        let start = plus(as_at, -elapsed);
        let who = Who {
            entry_age_days: age_days - elapsed,
            home_post,
            start,
        };
        let mut pathway = history::choose_pathway(rng, who.entry_age_days);
        if pathway == Pathway::Adoption && elapsed > 900 {
            // Not adopted within two and a half years: the plan changed.
            pathway = Pathway::CareOrder;
        }
        let mut course = history::course(rng, pathway, &who, elapsed);
        if let Some((end, _)) = course.natural_end
            && end <= elapsed
        {
            if pathway == Pathway::Remand {
                course = history::course(rng, Pathway::Voluntary, &who, elapsed);
            }
            // An adoption order not yet made: the child is still placed.
            course.natural_end = None;
        }
        PeriodPlan {
            course,
            start,
            ending: Ending::Open,
            cin,
        }
    } else {
        let leave_ago = days(rng, 1, 540).min(age_days - 2).max(0);
        let leave = plus(as_at, -leave_ago);
        let room = age_days - leave_ago; // days from birth to leaving
        // Anchored on the day the child left: the period ran `length` days
        // up to it, after entering care aged `room - length` days.
        let length = sample_elapsed(rng).min(room).max(1);
        let who = Who {
            entry_age_days: room - length,
            home_post,
            start: plus(leave, -length),
        };
        let pathway = history::choose_pathway(rng, who.entry_age_days);
        let course = history::course(rng, pathway, &who, room);
        let (start, ending) = match course.natural_end {
            // An adoption order or the end of remand: the period lasted as
            // long as the course took.
            Some((end, rec)) if end <= room => (plus(leave, -end), Ending::At(end, Some(rec))),
            _ => (who.start, Ending::At(length, None)),
        };
        PeriodPlan {
            course,
            start,
            ending,
            cin,
        }
    };
    let mut periods = Vec::new();
    // About one child in ten had an earlier, short period of care.
    let before = between(dob, main.start);
    if before > 120 && chance(rng, 0.1) {
        let gap = days(rng, 30, (before - 60).min(700));
        let prior_end = plus(main.start, -gap);
        let length = days(rng, 14, (between(dob, prior_end) - 1).min(240));
        let start = plus(prior_end, -length);
        let who = Who {
            entry_age_days: between(dob, start),
            home_post,
            start,
        };
        let course = history::course(rng, Pathway::Voluntary, &who, length);
        let rec = weighted(
            rng,
            &[
                (ReasonCeased::E4A, 5),
                (ReasonCeased::E13, 2),
                (ReasonCeased::E8, 2),
            ],
        );
        periods.push(PeriodPlan {
            course,
            start,
            ending: Ending::At(length, Some(rec)),
            cin: category_of_need(rng),
        });
    }
    periods.push(main);
    Story {
        dob,
        periods,
        plan: PlanChoice::Usual,
        late_reviews: 0.1,
    }
}

/// One period of care in a steady flow (see [`generate_steady_each`]):
/// entered on a day drawn evenly from 18 years before `first_day` to
/// `as_at`, at an age and for a time weighted like a council's flow (many
/// short stays, some to 18), open at `as_at` when it has not ended.
fn steady_story(rng: &mut Rng, first_day: NaiveDate, as_at: NaiveDate, home_post: &str) -> Story {
    let window_start = plus(first_day, -18 * 365);
    let window = between(window_start, as_at).max(1);
    loop {
        let start = plus(window_start, days(rng, 0, window));
        let entry_age = sample_entry_age_days(rng);
        let dob = plus(start, -entry_age);
        let to_eighteen = between(start, add_months(dob, 18 * 12)).max(1);
        let who = Who {
            entry_age_days: entry_age,
            home_post,
            start,
        };
        let pathway = history::choose_pathway(rng, entry_age);
        let wanted = sample_stay(rng).min(to_eighteen);
        let course = history::course(rng, pathway, &who, wanted);
        let (length, rec) = match course.natural_end {
            Some((end, rec)) if end <= to_eighteen => (end, Some(rec)),
            _ => (wanted, None),
        };
        if plus(start, length) < first_day {
            // Left before the first return: in none of them; draw again.
            continue;
        }
        let ending = if plus(start, length) > as_at {
            Ending::Open
        } else {
            Ending::At(length, rec)
        };
        let period = PeriodPlan {
            course,
            start,
            ending,
            cin: category_of_need(rng),
        };
        return Story {
            dob,
            periods: vec![period],
            plan: PlanChoice::Usual,
            late_reviews: 0.1,
        };
    }
}

/// Age on entering care, weighted like the DfE's starters (babies and
/// teenagers most).
fn sample_entry_age_days(rng: &mut Rng) -> i64 {
    let (lo, hi) = weighted(
        rng,
        &[
            ((0, 364), 20),
            ((365, 1824), 15),
            ((1825, 3649), 18),
            ((3650, 5839), 35),
            ((5840, 6500), 12),
        ],
    );
    days(rng, lo, hi)
}

/// How long a period of care lasts, in days, before any adoption order or
/// 18th birthday ends it sooner.
fn sample_stay(rng: &mut Rng) -> i64 {
    let (lo, hi) = weighted(
        rng,
        &[
            ((14, 180), 30),
            ((181, 540), 25),
            ((541, 1460), 25),
            ((1461, 6570), 20),
        ],
    );
    days(rng, lo, hi)
}

/// Age at the as-at date, weighted like the looked-after population
/// (teenagers most, babies fewest). At most 17 years and 360 days.
fn sample_age_days(rng: &mut Rng) -> i64 {
    let (lo, hi) = weighted(
        rng,
        &[
            ((0, 364), 6),
            ((365, 1824), 14),
            ((1825, 3649), 18),
            ((3650, 5839), 38),
            ((5840, 6565), 24),
        ],
    );
    days(rng, lo, hi)
}

/// Days looked after so far in the current period.
fn sample_elapsed(rng: &mut Rng) -> i64 {
    let (lo, hi) = weighted(
        rng,
        &[
            ((1, 179), 20),
            ((180, 539), 25),
            ((540, 1459), 30),
            ((1460, 4380), 25),
        ],
    );
    days(rng, lo, hi)
}

fn category_of_need(rng: &mut Rng) -> CategoryOfNeed {
    use CategoryOfNeed::*;
    weighted(
        rng,
        &[
            (N1, 65),
            (N2, 3),
            (N3, 3),
            (N4, 8),
            (N5, 13),
            (N6, 2),
            (N7, 1),
            (N8, 5),
        ],
    )
}

/// The `Header` row. Sex codes follow the collection year of the as-at date
/// (M/F from 2024/25, 1/2 before); UPNs use the non-existent council code
/// 999 so they can never be a real pupil's number.
fn header(rng: &mut Rng, id: &str, dob: NaiveDate, as_at: NaiveDate) -> Child {
    let female = chance(rng, 0.45);
    let new_codes = as_at >= NaiveDate::from_ymd_opt(2024, 4, 1).unwrap_or(NaiveDate::MIN);
    let sex = match (female, new_codes) {
        (true, true) => Sex::Female,
        (false, true) => Sex::Male,
        (true, false) => Sex::LegacyFemale,
        (false, false) => Sex::LegacyMale,
    };
    let age_years = between(dob, as_at) / 365;
    let upn = if age_years < 5 && chance(rng, 0.6) {
        "UN1".to_owned()
    } else if chance(rng, 0.02) {
        weighted(rng, &[("UN4", 1), ("UN5", 1)]).to_owned()
    } else {
        synthetic_upn(rng, dob)
    };
    let (mother, mc_dob) = if !female {
        (None, None)
    } else if age_years >= 14 && chance(rng, 0.05) {
        let first_possible = add_months(dob, 13 * 12 + 6);
        let child_born = plus(first_possible, days(rng, 0, between(first_possible, as_at)));
        (Some(true), Some(child_born.min(as_at)))
    } else {
        (Some(false), None)
    };
    Child {
        id: id.to_owned(),
        sex,
        dob,
        ethnic: ethnicity(rng),
        upn: Some(upn),
        mother,
        mc_dob,
    }
}

/// A UPN of the DfE form: check letter, council code (here 999), school
/// number, year of allocation, serial. The check letter follows the DfE
/// rule (weights 2-13, modulo 23).
fn synthetic_upn(rng: &mut Rng, dob: NaiveDate) -> String {
    let school = days(rng, 2000, 7999);
    let year = (dob.year() + 5).rem_euclid(100);
    let serial = days(rng, 0, 999);
    let body = format!("999{school:04}{year:02}{serial:03}");
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * (i as u32 + 2))
        .sum();
    let letters = b"ABCDEFGHJKLMNPQRTUVWXYZ";
    let check = letters[(sum % 23) as usize] as char;
    format!("{check}{body}")
}

fn ethnicity(rng: &mut Rng) -> Ethnicity {
    use Ethnicity::*;
    weighted(
        rng,
        &[
            (Wbri, 680),
            (Wiri, 5),
            (Woth, 40),
            (Wirt, 3),
            (Wrom, 7),
            (Mwbc, 30),
            (Mwba, 15),
            (Mwas, 20),
            (Moth, 30),
            (Aind, 10),
            (Apkn, 15),
            (Aban, 5),
            (Aoth, 20),
            (Bcrb, 10),
            (Bafr, 40),
            (Both, 10),
            (Chne, 2),
            (Ooth, 30),
            (Refu, 3),
            (Nobt, 5),
        ],
    )
}

/// Review dates in a period from `start` to `last_day`, on the statutory
/// timetable (first within 20 working days, second within 3 months, then
/// every 6 months), a share `late` of them held after the deadline. A late
/// review that would fall after `last_day` simply has not happened yet, so
/// the child is overdue at the as-at date.
fn review_dates(
    rng: &mut Rng,
    calendar: &Calendar,
    start: NaiveDate,
    last_day: NaiveDate,
    late: f64,
) -> Vec<NaiveDate> {
    let mut out: Vec<NaiveDate> = Vec::new();
    let mut deadline = calendar.add_working_days(start, 20);
    loop {
        let earliest = out.last().map(|d| plus(*d, 1)).unwrap_or(start);
        let date = if chance(rng, late) {
            weekday_on_or_after(plus(deadline, days(rng, 1, 45)))
        } else {
            let slack = if out.is_empty() { 14 } else { 25 };
            weekday_on_or_before(plus(deadline, -days(rng, 0, slack)), earliest)
        };
        if date > last_day || date < earliest {
            return out;
        }
        out.push(date);
        deadline = add_months(date, if out.len() == 1 { 3 } else { 6 });
    }
}

/// `d`, or the Monday after when it falls at a weekend.
fn weekday_on_or_after(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => plus(d, 2),
        Weekday::Sun => plus(d, 1),
        _ => d,
    }
}

/// `d`, or the Friday before when it falls at a weekend, unless that is
/// before `earliest`.
fn weekday_on_or_before(d: NaiveDate, earliest: NaiveDate) -> NaiveDate {
    let back = match d.weekday() {
        Weekday::Sat => 1,
        Weekday::Sun => 2,
        _ => 0,
    };
    let moved = plus(d, -back);
    if moved >= earliest {
        moved
    } else {
        d.max(earliest)
    }
}

/// How the child took part: PN0 exactly when under 4 (VAL 440/441).
fn review_code(rng: &mut Rng, dob: NaiveDate, on: NaiveDate) -> ReviewCode {
    use ReviewCode::*;
    if on < add_months(dob, 48) {
        return PN0;
    }
    weighted(
        rng,
        &[
            (PN1, 45),
            (PN2, 10),
            (PN3, 3),
            (PN4, 5),
            (PN5, 10),
            (PN6, 15),
            (PN7, 12),
        ],
    )
}

/// Plan facts that fit the child's situation: about 70% of children looked
/// after have a row, usually agreed at the second review; a few children
/// who left have one recording the permanence achieved.
fn usual_plan(rng: &mut Rng, record: &ChildRecord, as_at: NaiveDate) -> Option<PlanFacts> {
    let last = record.episodes.last()?;
    let id = record.child.id.clone();
    let period_start = record
        .episodes
        .iter()
        .rev()
        .find(|e| e.rne == Rne::S)
        .map(|e| e.decom)
        .unwrap_or(last.decom);
    let age = between(record.child.dob, as_at) / 365;
    if let (Some(dec), Some(rec)) = (last.dec, last.rec) {
        // Left care: sometimes the panel recorded the outcome.
        let kind = match rec {
            ReasonCeased::E11 | ReasonCeased::E12 => PlanKind::Adoption,
            ReasonCeased::E45 | ReasonCeased::E46 => PlanKind::Sgo,
            ReasonCeased::E41 => PlanKind::Cao,
            ReasonCeased::E4A => PlanKind::ReturnHome,
            _ => return None,
        };
        if !chance(rng, 0.3) {
            return None;
        }
        let agreed = plus(period_start, days(rng, 60, 200)).min(dec);
        return Some(PlanFacts {
            child: id,
            plan: Some(kind),
            plan_agreed: Some(agreed),
            achieved: Some(dec.max(agreed)),
            ..PlanFacts::default()
        });
    }
    if !chance(rng, 0.7) {
        return None;
    }
    let second_review = record
        .reviews
        .iter()
        .filter(|r| r.review >= period_start)
        .nth(1)
        .map(|r| r.review);
    let agreed = second_review
        .unwrap_or_else(|| plus(period_start, days(rng, 30, 120)))
        .min(plus(as_at, 30));
    // A plan proposed but not yet agreed is recorded without a date.
    let plan_agreed = (agreed <= as_at && !chance(rng, 0.04)).then_some(agreed);
    let mut facts = PlanFacts {
        child: id,
        plan_agreed,
        ..PlanFacts::default()
    };
    let place = last.place;
    let kind = match last.ls {
        LegalStatus::E1 | LegalStatus::D1 => PlanKind::Adoption,
        _ if placements::is_adoptive(place) => PlanKind::Adoption,
        LegalStatus::C1 | LegalStatus::L1 | LegalStatus::L2 | LegalStatus::L3 => weighted(
            rng,
            &[
                (PlanKind::Undecided, 5),
                (PlanKind::ReturnHome, 3),
                (PlanKind::ConnectedPerson, 1),
            ],
        ),
        _ if place == Place::P1 => weighted(rng, &[(PlanKind::ReturnHome, 3), (PlanKind::Cao, 1)]),
        _ if age >= 16 => weighted(
            rng,
            &[
                (PlanKind::Independence, 4),
                (PlanKind::LongTermFostering, 1),
            ],
        ),
        _ if placements::is_residential(place) => PlanKind::Residential,
        _ if matches!(place, Place::U1 | Place::U4) => PlanKind::LongTermFostering,
        _ if placements::is_kin(place) => {
            weighted(rng, &[(PlanKind::ConnectedPerson, 3), (PlanKind::Sgo, 2)])
        }
        LegalStatus::V2 => weighted(
            rng,
            &[
                (PlanKind::ReturnHome, 5),
                (PlanKind::LongTermFostering, 2),
                (PlanKind::Undecided, 1),
            ],
        ),
        _ => weighted(
            rng,
            &[
                (PlanKind::LongTermFostering, 6),
                (PlanKind::Sgo, 1),
                (PlanKind::ReturnHome, 1),
                (PlanKind::Undecided, 1),
            ],
        ),
    };
    facts.plan = Some(kind);
    if kind == PlanKind::Independence {
        // A plan for independence is made from 16, not years before.
        let sixteen = add_months(record.child.dob, 16 * 12);
        facts.plan_agreed = facts
            .plan_agreed
            .map(|a| a.max(plus(sixteen, days(rng, 0, 90))))
            .filter(|a| *a <= as_at);
    }
    if let (PlanKind::LongTermFostering, Some(agreed)) = (kind, plan_agreed) {
        // Matched when the carers became long-term carers; now and then a
        // match agreed before the placement code caught up.
        let long_term_since = record
            .episodes
            .iter()
            .rev()
            .take_while(|e| matches!(e.place, Place::U1 | Place::U4))
            .last()
            .map(|e| e.decom);
        facts.match_agreed = match long_term_since {
            Some(d) => Some(d.max(agreed)),
            None if chance(rng, 0.2) => Some(plus(agreed, days(rng, 30, 300)).min(as_at)),
            None => None,
        };
        if let Some(m) = facts.match_agreed
            && chance(rng, 0.08)
        {
            let achieved = plus(m, days(rng, 30, 365));
            facts.achieved = (achieved <= as_at).then_some(achieved);
        }
    }
    if matches!(kind, PlanKind::Sgo | PlanKind::ConnectedPerson) || chance(rng, 0.03) {
        facts.potential_sgo = kind == PlanKind::Sgo || chance(rng, 0.3);
    }
    facts.no_pr = last.ls == LegalStatus::C2 && chance(rng, 0.02);
    Some(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%d/%m/%Y").unwrap()
    }

    #[test]
    fn reviews_on_time_meet_every_statutory_deadline() {
        let calendar = Calendar::england_and_wales();
        let mut rng = Rng::seed_from_u64(3);
        for start in ["02/01/2020", "20/12/2021", "29/02/2024"] {
            let start = date(start);
            let reviews = review_dates(&mut rng, &calendar, start, date("01/01/2027"), 0.0);
            assert!(reviews.len() >= 6, "{reviews:?}");
            assert!(reviews[0] >= start);
            assert!(reviews[0] <= calendar.add_working_days(start, 20));
            assert!(reviews[1] <= add_months(reviews[0], 3));
            for w in reviews[1..].windows(2) {
                assert!(w[0] < w[1] && w[1] <= add_months(w[0], 6), "{w:?}");
            }
            assert!(
                reviews
                    .iter()
                    .all(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            );
        }
    }

    #[test]
    fn late_reviews_miss_their_deadline_and_stop_at_the_last_day() {
        let calendar = Calendar::england_and_wales();
        let mut rng = Rng::seed_from_u64(4);
        let start = date("06/03/2023");
        let last_day = date("01/06/2025");
        let reviews = review_dates(&mut rng, &calendar, start, last_day, 1.0);
        assert!(reviews[0] > calendar.add_working_days(start, 20));
        assert!(reviews[1] > add_months(reviews[0], 3));
        assert!(reviews.iter().all(|d| *d <= last_day));
    }

    #[test]
    fn upn_has_the_dfe_form_and_check_letter() {
        let mut rng = Rng::seed_from_u64(5);
        for _ in 0..200 {
            let upn = synthetic_upn(&mut rng, date("14/07/2012"));
            assert_eq!(upn.len(), 13);
            assert_eq!(&upn[1..4], "999", "the non-existent council code");
            let check = upn.as_bytes()[0];
            assert!(!b"IOS".contains(&check));
            // Recompute the check letter from the definition.
            let sum: u32 = upn[1..]
                .bytes()
                .zip(2..)
                .map(|(b, weight)| u32::from(b - b'0') * weight)
                .sum();
            assert_eq!(b"ABCDEFGHJKLMNPQRTUVWXYZ"[(sum % 23) as usize], check);
        }
    }

    #[test]
    fn child_seeds_differ_between_children_and_runs() {
        let seeds: std::collections::HashSet<u64> = (0..10_000)
            .flat_map(|i| [child_seed(1, i), child_seed(2, i)])
            .collect();
        assert_eq!(seeds.len(), 20_000);
    }

    #[test]
    fn child_ids_are_zero_padded_from_one() {
        assert_eq!(child_id(0), "C000001");
        assert_eq!(child_id(99_999), "C100000");
        assert_eq!(child_id(1_234_566), "C1234567");
    }

    #[test]
    fn weekend_reviews_move_to_a_weekday_without_leaving_the_period() {
        // 16/11/2024 was a Saturday.
        assert_eq!(
            weekday_on_or_before(date("16/11/2024"), date("01/11/2024")),
            date("15/11/2024")
        );
        assert_eq!(
            weekday_on_or_before(date("16/11/2024"), date("16/11/2024")),
            date("16/11/2024")
        );
        assert_eq!(weekday_on_or_after(date("17/11/2024")), date("18/11/2024"));
    }
}
