//! Properties of the rules layer that must hold for every history, not just
//! the examples in the unit tests (`rules.md` is the contract):
//!
//! - a cohort lists only children looked after at D, each with the cohort's
//!   defining condition and a `since` on or before D;
//! - runs are monotone: a day later in the same episode, every run starts
//!   where it did, so it is a day longer, and a duration cohort keeps the
//!   child with the same `since`;
//! - the timetable's next review is never before the last review held;
//! - `add_months` is monotone in both arguments and clamps to the month end;
//! - the deadline parser: `+Nd` is exactly N days on, forward forms never
//!   resolve before today;
//! - the agenda never gives more slots than it has (pinned children aside)
//!   and never drops a pinned child.
//!
//! Histories are random chains of episodes (contiguous or after a gap, some
//! left open) around a child's childhood, with reviews and plan facts; the
//! codes are drawn mostly from those the cohorts look at.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::{Datelike, Days, Duration, NaiveDate};
use permanence_panel::model::*;
use permanence_panel::rules::agenda::{self, AgendaChoices, Listing, Source};
use permanence_panel::rules::calendar::Calendar;
use permanence_panel::rules::care::{
    self, SettingClass, achieved_on, agreed_plan, care_at, legal_status_run_start,
    long_term_match_agreed, longer_than_months, reviews_in_period, run_episodes,
    same_carers_run_start, setting_run_start,
};
use permanence_panel::rules::cohorts::{self, CarriedOver, PanelRoutes, Referral};
use permanence_panel::rules::dates::add_months;
use permanence_panel::rules::deadline;
use permanence_panel::rules::timetable;
use permanence_panel::terms::Terms;
use proptest::prelude::*;
use proptest::sample::select;

// ------------------------------------------------------------ generators

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn codes<T: Copy>(parse: fn(&str) -> Option<T>, texts: &[&str]) -> Vec<T> {
    texts
        .iter()
        .map(|t| parse(t).unwrap_or_else(|| panic!("{t} is a code")))
        .collect()
}

/// Legal statuses the cohorts name (C2, D1, E1), the rest now and then.
fn legal_status() -> impl Strategy<Value = LegalStatus> {
    prop_oneof![
        3 => select(codes(LegalStatus::parse, &["C2", "D1", "E1", "C1", "V2"])),
        1 => select(LegalStatus::ALL.to_vec()),
    ]
}

/// Placements of every setting class, the rest now and then.
fn place() -> impl Strategy<Value = Place> {
    prop_oneof![
        3 => select(codes(
            Place::parse,
            &["U1", "U3", "U4", "U6", "P1", "R1", "K2", "S1", "A3", "A5"]
        )),
        1 => select(Place::ALL.to_vec()),
    ]
}

fn provider() -> impl Strategy<Value = Option<Provider>> {
    prop_oneof![
        1 => Just(None),
        4 => select(Provider::ALL.to_vec()).prop_map(Some),
    ]
}

/// One episode relative to the end of the one before it.
#[derive(Debug, Clone)]
struct Step {
    /// 0: contiguous with the previous episode; otherwise a gap of days.
    gap: u32,
    days: u32,
    rne: Rne,
    ls: LegalStatus,
    place: Place,
    provider: Option<Provider>,
}

fn step() -> impl Strategy<Value = Step> {
    (
        prop_oneof![4 => Just(0u32), 1 => 1u32..400],
        // Long enough for 9- and 12-month runs, short enough to chain.
        prop_oneof![1 => 1u32..60, 3 => 60u32..700],
        select(Rne::ALL.to_vec()),
        legal_status(),
        place(),
        provider(),
    )
        .prop_map(|(gap, days, rne, ls, place, provider)| Step {
            gap,
            days,
            rne,
            ls,
            place,
            provider,
        })
}

#[derive(Debug, Clone)]
struct Case {
    record: ChildRecord,
    d: NaiveDate,
}

fn plan_facts(base: NaiveDate) -> impl Strategy<Value = Option<PlanFacts>> {
    let day = move |n: u32| base + Days::new(u64::from(n));
    let opt_day = move || prop::option::of((0u32..3000).prop_map(day));
    prop::option::of((
        prop::option::of(select(PlanKind::ALL.to_vec())),
        opt_day(),
        opt_day(),
        any::<bool>(),
        any::<bool>(),
        opt_day(),
    ))
    .prop_map(|facts| {
        facts.map(
            |(plan, plan_agreed, match_agreed, no_pr, potential_sgo, achieved)| PlanFacts {
                child: "C1".into(),
                plan,
                plan_agreed,
                match_agreed,
                no_pr,
                potential_sgo,
                achieved,
                contingency: None,
            },
        )
    })
}

/// A child born 2004–2022 whose care starts some time in childhood, with
/// 1–6 episodes, up to 8 reviews, maybe plan facts, and an as-at date
/// anywhere from the first episode to a year after the last.
fn case() -> impl Strategy<Value = Case> {
    (0u32..6900, 0u32..5000).prop_flat_map(|(born, into_care)| {
        let dob = ymd(2004, 1, 1) + Days::new(u64::from(born));
        let base = dob + Days::new(u64::from(into_care));
        (
            prop::collection::vec(step(), 1..7),
            any::<bool>(),
            prop::collection::vec(0u32..3000, 0..9),
            plan_facts(base),
            0u32..3400,
        )
            .prop_map(move |(steps, last_open, review_days, plan, d_offset)| {
                let mut episodes = Vec::new();
                let mut start = base;
                let n = steps.len();
                for (i, s) in steps.into_iter().enumerate() {
                    start = start + Days::new(u64::from(s.gap));
                    let end = start + Days::new(u64::from(s.days));
                    let open = i + 1 == n && last_open;
                    episodes.push(Episode {
                        child: "C1".into(),
                        decom: start,
                        rne: s.rne,
                        ls: s.ls,
                        cin: Some(CategoryOfNeed::ALL[0]),
                        place: s.place,
                        place_provider: s.provider,
                        dec: (!open).then_some(end),
                        rec: None,
                        reason_place_change: None,
                        home_post: None,
                        pl_post: None,
                        urn: None,
                    });
                    start = end;
                }
                let mut reviews: Vec<Review> = review_days
                    .into_iter()
                    .map(|n| Review {
                        child: "C1".into(),
                        review: base + Days::new(u64::from(n)),
                        review_code: Some(ReviewCode::ALL[0]),
                    })
                    .collect();
                reviews.sort_by_key(|r| r.review);
                Case {
                    record: ChildRecord {
                        child: Child {
                            id: "C1".into(),
                            sex: Sex::ALL[0],
                            dob,
                            ethnic: Ethnicity::ALL[0],
                            upn: None,
                            mother: None,
                            mc_dob: None,
                        },
                        episodes,
                        reviews,
                        placed_adoption: Vec::new(),
                        plan,
                    },
                    d: base + Days::new(u64::from(d_offset)),
                }
            })
    })
}

/// Referrals and carried-over meetings for the child around `d`.
fn routes(d: NaiveDate) -> impl Strategy<Value = PanelRoutes> {
    let day = move |n: i64| d + Duration::days(n);
    (
        prop::collection::vec(
            (-400i64..60, prop::option::of(-300i64..120)).prop_map(move |(made, heard)| Referral {
                child: "C1".into(),
                made_on: day(made),
                heard_on: heard.map(|h| day(made + h.abs())),
            }),
            0..3,
        ),
        prop::collection::vec(
            (-400i64..60).prop_map(move |m| CarriedOver {
                child: "C1".into(),
                meeting: day(m),
            }),
            0..3,
        ),
    )
        .prop_map(|(referrals, carried_over)| PanelRoutes {
            referrals,
            carried_over,
        })
}

fn case_with_routes() -> impl Strategy<Value = (Case, PanelRoutes)> {
    case().prop_flat_map(|c| {
        let d = c.d;
        (Just(c), routes(d))
    })
}

// Parsed once: a preset or the bank-holiday table per case would cost more
// than the rules themselves.
static PRESETS: LazyLock<Vec<Terms>> = LazyLock::new(|| {
    ["telford", "wiltshire"]
        .iter()
        .map(|p| Terms::load(p).expect("the built-in presets load"))
        .collect()
});

/// Every cohort of both presets, for the checks that go through them all.
static ALL_COHORTS: LazyLock<Terms> = LazyLock::new(|| {
    let mut terms = Terms::load("telford").expect("telford loads");
    let wiltshire = Terms::load("wiltshire").expect("wiltshire loads");
    for c in wiltshire.cohorts {
        if !terms.cohorts.contains(&c) {
            terms.cohorts.push(c);
        }
    }
    // The cohorts are data: their definitions come along with their ids.
    terms.cohort_rules.extend(wiltshire.cohort_rules);
    terms
});

static CALENDAR: LazyLock<Calendar> = LazyLock::new(Calendar::england_and_wales);

// ------------------------------------------------------------ cohorts

/// `rules.md`, the cohort tables: the condition each cohort id stands for,
/// stated through the words of `care` (open episode, runs, "longer than").
/// Returns why the membership is wrong, if it is.
fn condition_fails(
    m: &cohorts::Membership,
    record: &ChildRecord,
    terms: &Terms,
    d: NaiveDate,
    routes: &PanelRoutes,
) -> Option<String> {
    let care = care_at(record, d)?;
    let current = &record.episodes[care.current];
    let adoption = SettingClass::PlacedForAdoption.contains(current.place);
    let ls = |code: &str| LegalStatus::parse(code).expect("a legal status");
    let check = |ok: bool, what: &str| (!ok).then(|| what.to_owned());
    match m.cohort {
        CohortId::NoParentalResponsibility => {
            if !((current.ls == ls("D1") || care::no_pr(record)) && !adoption) {
                return Some("needs LS D1 or NO_PR, and not placed for adoption".into());
            }
            let since = if current.ls == ls("D1") {
                legal_status_run_start(record, &care, &[ls("D1")]).map(|r| r.start)
            } else {
                Some(care.period_start)
            };
            check(since == Some(m.since), "since: D1 run or period start")
        }
        CohortId::PlacementOrder9m => {
            let run = legal_status_run_start(record, &care, &[ls("E1")]);
            check(
                run.is_some_and(|r| longer_than_months(r.start, 9, d) && r.start == m.since),
                "an E1 run longer than 9 months, since its start",
            )
        }
        CohortId::CareOrderLtfUnmatched => check(
            current.ls == ls("C2")
                && agreed_plan(record, d) == Some((PlanKind::LongTermFostering, m.since))
                && !long_term_match_agreed(record, &care, d),
            "C2, long-term fostering agreed (since), no match",
        ),
        CohortId::Foster12m => {
            let run = same_carers_run_start(record, &care);
            check(
                SettingClass::Foster.contains(current.place)
                    && longer_than_months(run.start, 12, d)
                    && run_episodes(record, &care, run)
                        .all(|e| SettingClass::Foster.contains(e.place))
                    && run.start == m.since,
                "foster, same carers for more than 12 months, all foster, since its start",
            )
        }
        CohortId::Home12m => check(
            setting_run_start(record, &care, SettingClass::WithParents)
                .is_some_and(|r| longer_than_months(r.start, 12, d) && r.start == m.since),
            "with parents for more than 12 months, since the run's start",
        ),
        CohortId::ExternalResidential12m => {
            let run = setting_run_start(record, &care, SettingClass::Residential);
            check(
                run.is_some_and(|r| {
                    longer_than_months(r.start, 12, d)
                        && r.start == m.since
                        && run_episodes(record, &care, r).all(|e| {
                            e.place_provider
                                .is_some_and(|p| terms.external_providers.contains(&p))
                        })
                }),
                "residential for more than 12 months, every episode external",
            )
        }
        CohortId::TrackedFromThirdReview => {
            let reviews = reviews_in_period(record, care.period_start, d);
            check(
                reviews.len() >= 3
                    && reviews[2].review == m.since
                    && current.ls != ls("E1")
                    && current.ls != ls("D1")
                    && !adoption
                    && achieved_on(record, d).is_none(),
                "three reviews in the period (since the third), not adoption, not achieved",
            )
        }
        CohortId::Referral => check(
            routes
                .referrals
                .iter()
                .any(|r| r.child == record.child.id && r.is_open_at(d) && r.made_on == m.since),
            "an open referral made on since",
        ),
        CohortId::CarriedOver => check(
            routes
                .carried_over
                .iter()
                .any(|c| c.child == record.child.id && c.meeting == m.since),
            "carried over at the meeting on since",
        ),
        other => Some(format!(
            "{other}: no condition is written here for this cohort"
        )),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn cohorts_list_only_looked_after_children_since_no_later_than_d(
        (c, routes) in case_with_routes()
    ) {
        for terms in PRESETS.iter() {
            let all = cohorts::memberships(&c.record, terms, c.d, &routes);
            if care_at(&c.record, c.d).is_none() {
                prop_assert!(all.is_empty(), "not looked after at {} yet in {all:?}", c.d);
            }
            for m in &all {
                prop_assert!(m.since <= c.d, "{:?} since {} after D {}", m.cohort, m.since, c.d);
                prop_assert_eq!(&m.child, &c.record.child.id);
                prop_assert!(terms.cohorts.contains(&m.cohort));
            }
        }
    }

    #[test]
    fn every_member_meets_its_cohorts_defining_condition((c, routes) in case_with_routes()) {
        let terms = &*ALL_COHORTS;
        for m in cohorts::memberships(&c.record, terms, c.d, &routes) {
            let fails = condition_fails(&m, &c.record, terms, c.d, &routes);
            prop_assert!(fails.is_none(), "{:?} at {}: {}", m.cohort, c.d, fails.unwrap_or_default());
        }
    }

    /// Runs are monotone: a day later, still in the same current episode,
    /// every run starts on the same day (so it is one day longer, never
    /// shorter), "longer than N months" stays true once true, and the
    /// duration cohorts keep the child with the same `since`.
    #[test]
    fn a_day_later_in_the_same_episode_never_shortens_a_run(c in case()) {
        let next = c.d + Days::new(1);
        let (Some(today), Some(tomorrow)) = (care_at(&c.record, c.d), care_at(&c.record, next)) else {
            return Ok(());
        };
        prop_assume!(today.current == tomorrow.current);
        let r = &c.record;
        prop_assert_eq!(today.period_start, tomorrow.period_start);
        prop_assert_eq!(same_carers_run_start(r, &today), same_carers_run_start(r, &tomorrow));
        for class in [
            SettingClass::Foster,
            SettingClass::LongTermFoster,
            SettingClass::ConnectedPerson,
            SettingClass::WithParents,
            SettingClass::PlacedForAdoption,
            SettingClass::Residential,
        ] {
            let (a, b) = (setting_run_start(r, &today, class), setting_run_start(r, &tomorrow, class));
            prop_assert_eq!(a, b);
            if let Some(run) = a {
                prop_assert!((next - run.start) > (c.d - run.start));
                for n in [9, 12] {
                    if longer_than_months(run.start, n, c.d) {
                        prop_assert!(longer_than_months(run.start, n, next));
                    }
                }
            }
        }
        let duration_cohorts = [
            CohortId::PlacementOrder9m,
            CohortId::Foster12m,
            CohortId::Home12m,
            CohortId::ExternalResidential12m,
        ];
        let terms = &*ALL_COHORTS;
        let routes = PanelRoutes::default();
        let later = cohorts::memberships(r, terms, next, &routes);
        for m in cohorts::memberships(r, terms, c.d, &routes) {
            if duration_cohorts.contains(&m.cohort) {
                let kept = later.iter().find(|l| l.cohort == m.cohort);
                prop_assert_eq!(kept.map(|l| l.since), Some(m.since), "{:?} lost", m.cohort);
            }
        }
    }

    #[test]
    fn the_next_review_is_never_due_before_the_last_review(c in case()) {
        if let Some(row) = timetable::timetable(&c.record, c.d, &CALENDAR) {
            prop_assert!(row.next_due > row.period_start);
            if let Some(last) = row.last_review {
                prop_assert!(row.next_due > last, "next {} before last {last}", row.next_due);
                prop_assert!(last <= c.d && last >= row.period_start);
            } else {
                prop_assert_eq!(row.reviews_held, 0);
            }
            prop_assert_eq!(row.overdue, c.d > row.next_due);
        }
    }
}

// ------------------------------------------------------------ add_months

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (1900i32..2100, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| {
        (1..=d)
            .rev()
            .find_map(|day| NaiveDate::from_ymd_opt(y, m, day))
            .expect("day 1 exists")
    })
}

fn days_in_month(y: i32, m: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(y, m, d).is_some())
        .expect("every month has 28 days")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn add_months_is_monotone_in_the_date_and_the_months(
        a in any_date(), b in any_date(), n in 0u32..600, k in 0u32..600
    ) {
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(add_months(early, n) <= add_months(late, n));
        let (few, many) = (n.min(k), n.max(k));
        prop_assert!(add_months(a, few) <= add_months(a, many));
        prop_assert!(add_months(a, n) >= a);
    }

    #[test]
    fn add_months_lands_in_the_right_month_clamped_to_its_end(d in any_date(), n in 0u32..600) {
        let got = add_months(d, n);
        let index = d.year() * 12 + d.month0() as i32 + n as i32;
        let (y, m) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
        prop_assert_eq!((got.year(), got.month()), (y, m));
        prop_assert_eq!(got.day(), d.day().min(days_in_month(y, m)));
    }
}

// ------------------------------------------------------------ deadline

fn today() -> impl Strategy<Value = NaiveDate> {
    (2020i32..2040, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| ymd(y, m, d))
}

/// The forms that name a day after the meeting (no next meeting needed);
/// "+0d" and the like name the meeting's day itself and are refused.
fn forward_form() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..2000).prop_map(|n| format!("+{n}d")),
        (0u32..300).prop_map(|n| format!("+{n}w")),
        (0u32..120).prop_map(|n| format!("+{n}m")),
        (0u32..2000).prop_map(|n| format!("in {n} days")),
        (0u32..300).prop_map(|n| format!("{n} weeks")),
        (1u32..=31, 1u32..=12).prop_map(|(d, m)| format!("{d}/{m}")),
        (1u32..=12).prop_map(|n| format!(
            "{} weeks",
            [
                "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve"
            ][n as usize - 1]
        )),
        select(vec![
            "mon",
            "next tue",
            "wednesday",
            "thu",
            "next fri",
            "sat",
            "sunday"
        ])
        .prop_map(str::to_owned),
        select(vec![
            "next week",
            "tomorrow",
            "end of month",
            "end of next month",
            "eom"
        ])
        .prop_map(str::to_owned),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn plus_n_days_is_exactly_n_days_later(today in today(), n in any::<u32>()) {
        let expected = today.checked_add_days(Days::new(u64::from(n)));
        let got = deadline::parse(&format!("+{n}d"), today, None);
        match expected {
            Some(date) if n > 0 => prop_assert_eq!(got, Ok(date)),
            // The meeting's own day ("+0d") is refused, and beyond the last
            // date chrono holds is refused too, not a panic.
            _ => prop_assert!(got.is_err()),
        }
    }

    #[test]
    fn forward_forms_resolve_after_the_meeting(today in today(), typed in forward_form()) {
        // "31/2" style day-months that exist in no year are refused, and so
        // are counts of nothing ("+0d", "0 weeks": the meeting's own day,
        // as is "end of month" at a month's end); everything else resolves
        // after the meeting.
        match deadline::parse(&typed, today, None) {
            Ok(date) => prop_assert!(date > today, "'{typed}' on {today} gave {date}"),
            Err(message) => prop_assert!(
                typed.contains('/') || message.contains("is not after the meeting"),
                "'{typed}' refused: {message}"
            ),
        }
    }

    #[test]
    fn any_text_resolves_after_the_meeting_or_is_refused(
        today in today(), typed in "\\PC{0,24}", panel in prop::option::of(0i64..90)
    ) {
        let next_panel = panel.map(|n| today + Duration::days(n));
        match deadline::parse(&typed, today, next_panel) {
            Ok(date) => prop_assert!(date > today),
            Err(message) => prop_assert!(message.starts_with("Deadline: ")),
        }
    }
}

// ------------------------------------------------------------ agenda

const CHILDREN: &[&str] = &["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10"];

fn listing() -> impl Strategy<Value = Listing> {
    (
        select(CHILDREN.to_vec()),
        prop_oneof![
            Just(Source::CarriedOver),
            Just(Source::Referral),
            Just(Source::ActionsDue),
            (0usize..6).prop_map(Source::Cohort),
        ],
        0u32..2000,
    )
        .prop_map(|(child, source, days)| Listing {
            child: child.into(),
            source,
            listed_under: format!("{source:?}"),
            since: ymd(2020, 1, 1) + Days::new(u64::from(days)),
            reason: format!("{child} by {source:?}"),
        })
}

fn children_subset() -> impl Strategy<Value = HashSet<ChildId>> {
    prop::sample::subsequence(CHILDREN.to_vec(), 0..5)
        .prop_map(|c| c.into_iter().map(ChildId::from).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn the_agenda_keeps_to_its_slots_and_never_drops_a_pinned_child(
        listings in prop::collection::vec(listing(), 0..25),
        heard_before in prop::collection::vec((select(CHILDREN.to_vec()), 0u32..2000), 0..8),
        pinned in children_subset(),
        removed in children_subset(),
        added in prop::sample::subsequence(CHILDREN.to_vec(), 0..3),
        slots in 0usize..12,
        rotation in 0u32..12,
    ) {
        let meeting = ymd(2026, 11, 27);
        let last_heard: HashMap<ChildId, NaiveDate> = heard_before
            .into_iter()
            .map(|(c, n)| (c.into(), ymd(2020, 1, 1) + Days::new(u64::from(n))))
            .collect();
        let choices = AgendaChoices {
            pinned: pinned.clone(),
            removed: removed.clone(),
            added: added.iter().map(|c| (ChildId::from(*c), "typed".to_owned())).collect(),
        };
        let plan = agenda::build(&listings, &last_heard, &choices, meeting, slots, rotation);

        let unpinned_heard = plan.heard.iter().filter(|i| !i.pinned).count();
        let pinned_heard = plan.heard.len() - unpinned_heard;
        prop_assert!(unpinned_heard <= slots.saturating_sub(pinned_heard));
        prop_assert!(plan.heard.len() <= slots.max(pinned_heard));
        prop_assert!(plan.waiting.iter().all(|i| !i.pinned), "a pinned child waits");
        // Free slots are not left empty while someone waits.
        if !plan.waiting.is_empty() {
            prop_assert!(plan.heard.len() >= slots);
        }

        let offered: HashSet<&str> = listings
            .iter()
            .map(|l| l.child.as_str())
            .chain(added.iter().copied())
            .filter(|c| !removed.contains(*c))
            .collect();
        let mut seen: Vec<&str> = plan
            .heard
            .iter()
            .chain(&plan.waiting)
            .map(|i| i.child.as_str())
            .collect();
        seen.sort_unstable();
        let mut expected: Vec<&str> = offered.iter().copied().collect();
        expected.sort_unstable();
        prop_assert_eq!(seen, expected, "each offered child once, no removed child");
        for child in offered.iter().filter(|c| pinned.contains(**c)) {
            prop_assert!(
                plan.heard.iter().any(|i| i.child == *child),
                "pinned {child} not heard"
            );
        }
    }
}

// ------------------------------------------------------------ the generator

/// The cohort properties above say nothing about a cohort the generator
/// never reaches: every cohort id must have members in a fixed sample.
#[test]
fn the_generated_histories_reach_every_cohort() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = case_with_routes();
    let mut reached: HashSet<CohortId> = HashSet::new();
    for _ in 0..800 {
        let (c, routes) = strategy
            .new_tree(&mut runner)
            .expect("the strategy generates")
            .current();
        for m in cohorts::memberships(&c.record, &ALL_COHORTS, c.d, &routes) {
            reached.insert(m.cohort);
        }
    }
    let missing: Vec<&CohortId> = ALL_COHORTS
        .cohorts
        .iter()
        .filter(|c| !reached.contains(c))
        .collect();
    assert!(missing.is_empty(), "never generated: {missing:?}");
}
