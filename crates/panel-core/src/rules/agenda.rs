//! Building a meeting's agenda: who is heard, in which order, and who waits.
//!
//! Order (issue #7 and the terms of reference): children carried over by the
//! panel first, then referrals, then children with actions due by the
//! meeting, then the cohorts in the preset's priority order. Each child is
//! listed once, under the first reason, with every reason shown.
//!
//! Rotation: among cohort children, those not heard within the preset's
//! interval (never heard, or heard longest ago, first) come before those
//! heard recently, so a child can wait at most until everyone due before it
//! has been heard; nobody drops off the list for good. Pinned children are
//! never dropped, even when they do not fit the meeting's time.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveTime};

use super::dates::add_months;
use crate::model::ChildId;

/// Why a child is listed, in the order the agenda takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    CarriedOver,
    Referral,
    ActionsDue,
    /// A cohort, by its place in the preset's priority order (0 first).
    Cohort(usize),
}

/// One reason a child could be listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub child: ChildId,
    pub source: Source,
    /// Short id of what lists the child: a cohort id, `referral`, ...
    pub listed_under: String,
    /// Since when the reason holds (orders children within a cohort).
    pub since: NaiveDate,
    /// The sentence a chair reads aloud.
    pub reason: String,
}

/// A child on the agenda (or waiting for the next one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedItem {
    pub child: ChildId,
    pub listed_under: String,
    pub reasons: Vec<String>,
    pub pinned: bool,
    /// Not heard within the rotation interval (or never heard).
    pub due_for_hearing: bool,
}

/// What the administrator has said about this meeting's agenda.
#[derive(Debug, Clone, Default)]
pub struct AgendaChoices {
    /// Children that must be heard, whatever else.
    pub pinned: HashSet<ChildId>,
    /// Children taken off this meeting's agenda (with a reason, kept by the store).
    pub removed: HashSet<ChildId>,
    /// Children added by hand, with the reason typed.
    pub added: Vec<(ChildId, String)>,
}

/// The result: children heard at the meeting, in order, and those who did
/// not fit, in order, for the next meeting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgendaPlan {
    pub heard: Vec<PlannedItem>,
    pub waiting: Vec<PlannedItem>,
}

/// The time slot of the child heard `index`-th (0-based) at a meeting that
/// starts at `start`, each child given `slot_minutes`.
pub fn slot(start: NaiveTime, slot_minutes: u32, index: usize) -> (NaiveTime, NaiveTime) {
    let length = Duration::minutes(i64::from(slot_minutes));
    let from = start + length * index as i32;
    (from, from + length)
}

/// How many children's slots fit between `start` and `end`.
pub fn slots_between(start: NaiveTime, end: NaiveTime, slot_minutes: u32) -> usize {
    let minutes = (end - start).num_minutes().max(0) as u32;
    (minutes / slot_minutes.max(1)) as usize
}

/// Builds the agenda of a meeting on `meeting` with room for `slots` children.
pub fn build(
    listings: &[Listing],
    last_heard: &HashMap<ChildId, NaiveDate>,
    choices: &AgendaChoices,
    meeting: NaiveDate,
    slots: usize,
    rotation_months: u32,
) -> AgendaPlan {
    let due = |child: &str| match last_heard.get(child) {
        None => true,
        Some(&heard) => meeting > add_months(heard, rotation_months),
    };
    // Each child once, under its first source; every reason kept.
    let mut order: Vec<&Listing> = listings.iter().collect();
    // The panel's routes first, in `Source` order; then the cohorts, where
    // rotation comes before priority. Keys are built once per listing.
    order.sort_by_cached_key(|l| {
        let cohort = matches!(l.source, Source::Cohort(_));
        let rotation = match (cohort, due(&l.child)) {
            (true, true) => (0, last_heard.get(&l.child).copied()),
            (true, false) => (1, None),
            // The panel's own routes keep their turn.
            (false, _) => (0, None),
        };
        (cohort, rotation, l.source, l.since, l.child.clone())
    });

    let mut items: Vec<PlannedItem> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    // Hand-added children come first among the panel's own routes.
    for (child, reason) in &choices.added {
        if choices.removed.contains(child) || index.contains_key(child.as_str()) {
            continue;
        }
        index.insert(child, items.len());
        items.push(PlannedItem {
            child: child.clone(),
            listed_under: crate::model::cohort::ADDED_BY_HAND.into(),
            reasons: vec![reason.clone()],
            pinned: choices.pinned.contains(child),
            due_for_hearing: due(child),
        });
    }
    for l in order {
        if choices.removed.contains(&l.child) {
            continue;
        }
        match index.get(l.child.as_str()) {
            Some(&i) => items[i].reasons.push(l.reason.clone()),
            None => {
                index.insert(&l.child, items.len());
                items.push(PlannedItem {
                    child: l.child.clone(),
                    listed_under: l.listed_under.clone(),
                    reasons: vec![l.reason.clone()],
                    pinned: choices.pinned.contains(&l.child),
                    due_for_hearing: due(&l.child),
                });
            }
        }
    }
    // Pinned children are heard whatever the time; the rest fill what is left.
    let pinned = items.iter().filter(|i| i.pinned).count();
    let mut room = slots.saturating_sub(pinned);
    let mut plan = AgendaPlan::default();
    for item in items {
        if item.pinned {
            plan.heard.push(item);
        } else if room > 0 {
            room -= 1;
            plan.heard.push(item);
        } else {
            plan.waiting.push(item);
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%d/%m/%Y").expect("test date")
    }

    fn listing(child: &str, source: Source, since: &str) -> Listing {
        Listing {
            child: child.into(),
            source,
            listed_under: format!("{source:?}"),
            since: d(since),
            reason: format!("{child} {source:?}"),
        }
    }

    fn children(items: &[PlannedItem]) -> Vec<&str> {
        items.iter().map(|i| i.child.as_str()).collect()
    }

    #[test]
    fn panel_routes_come_before_cohorts_in_their_order() {
        let listings = vec![
            listing("A", Source::Cohort(0), "01/01/2025"),
            listing("B", Source::ActionsDue, "01/01/2026"),
            listing("C", Source::Referral, "01/10/2026"),
            listing("D", Source::CarriedOver, "30/10/2026"),
            listing("E", Source::Cohort(1), "01/01/2020"),
        ];
        let plan = build(
            &listings,
            &HashMap::new(),
            &AgendaChoices::default(),
            d("27/11/2026"),
            10,
            3,
        );
        assert_eq!(children(&plan.heard), ["D", "C", "B", "A", "E"]);
        assert!(plan.waiting.is_empty());
    }

    #[test]
    fn a_child_is_listed_once_under_its_first_reason_with_every_reason() {
        let listings = vec![
            listing("A", Source::Cohort(2), "01/01/2025"),
            listing("A", Source::Referral, "01/10/2026"),
            listing("A", Source::Cohort(0), "01/06/2025"),
        ];
        let plan = build(
            &listings,
            &HashMap::new(),
            &AgendaChoices::default(),
            d("27/11/2026"),
            10,
            3,
        );
        assert_eq!(plan.heard.len(), 1);
        assert_eq!(plan.heard[0].listed_under, "Referral");
        assert_eq!(
            plan.heard[0].reasons,
            ["A Referral", "A Cohort(0)", "A Cohort(2)"]
        );
    }

    #[test]
    fn within_a_cohort_the_longest_standing_comes_first() {
        let listings = vec![
            listing("B", Source::Cohort(0), "01/03/2025"),
            listing("A", Source::Cohort(0), "01/03/2025"),
            listing("C", Source::Cohort(0), "01/01/2024"),
        ];
        let plan = build(
            &listings,
            &HashMap::new(),
            &AgendaChoices::default(),
            d("27/11/2026"),
            10,
            3,
        );
        // Since, then child id.
        assert_eq!(children(&plan.heard), ["C", "A", "B"]);
    }

    #[test]
    fn what_does_not_fit_waits_in_order() {
        let listings: Vec<Listing> = (0..6)
            .map(|i| {
                listing(
                    &format!("K{i}"),
                    Source::Cohort(0),
                    &format!("0{}/01/2025", i + 1),
                )
            })
            .collect();
        let plan = build(
            &listings,
            &HashMap::new(),
            &AgendaChoices::default(),
            d("27/11/2026"),
            4,
            3,
        );
        assert_eq!(children(&plan.heard), ["K0", "K1", "K2", "K3"]);
        assert_eq!(children(&plan.waiting), ["K4", "K5"]);
    }

    #[test]
    fn a_child_heard_recently_gives_way_to_one_not_heard_within_the_interval() {
        let listings = vec![
            listing("Recent", Source::Cohort(0), "01/01/2024"),
            listing("Later", Source::Cohort(1), "01/01/2026"),
        ];
        // Heard on 30/10/2026: within 3 months of 27/11/2026.
        let heard = HashMap::from([("Recent".to_owned(), d("30/10/2026"))]);
        let plan = build(
            &listings,
            &heard,
            &AgendaChoices::default(),
            d("27/11/2026"),
            1,
            3,
        );
        assert_eq!(children(&plan.heard), ["Later"]);
        assert_eq!(children(&plan.waiting), ["Recent"]);
        assert!(!plan.waiting[0].due_for_hearing);
    }

    #[test]
    fn choice_exactly_the_interval_since_last_heard_is_not_yet_due() {
        // Heard 27/08/2026; 3 months later is 27/11/2026: not *longer* than
        // the interval, the same reading as rules.md's "longer than N months".
        let listings = vec![
            listing("Edge", Source::Cohort(0), "01/01/2024"),
            listing("Other", Source::Cohort(1), "01/01/2026"),
        ];
        let heard = HashMap::from([("Edge".to_owned(), d("27/08/2026"))]);
        let plan = build(
            &listings,
            &heard,
            &AgendaChoices::default(),
            d("27/11/2026"),
            2,
            3,
        );
        assert_eq!(children(&plan.heard), ["Other", "Edge"]);
        assert!(!plan.heard[1].due_for_hearing);
        // A day later Edge is due, though still after a child never heard.
        let plan = build(
            &listings,
            &heard,
            &AgendaChoices::default(),
            d("28/11/2026"),
            2,
            3,
        );
        assert_eq!(children(&plan.heard), ["Other", "Edge"]);
        assert!(plan.heard[1].due_for_hearing);
        // And it now comes before a higher-priority child heard recently.
        let mut more = listings.clone();
        more.push(listing("Top", Source::Cohort(0), "01/01/2020"));
        let mut heard = heard.clone();
        heard.insert("Top".to_owned(), d("30/10/2026"));
        heard.insert("Other".to_owned(), d("30/10/2026"));
        let plan = build(
            &more,
            &heard,
            &AgendaChoices::default(),
            d("28/11/2026"),
            3,
            3,
        );
        assert_eq!(children(&plan.heard), ["Edge", "Top", "Other"]);
    }

    #[test]
    fn pinned_children_are_never_dropped_even_past_the_time() {
        let listings: Vec<Listing> = (0..5)
            .map(|i| {
                listing(
                    &format!("K{i}"),
                    Source::Cohort(0),
                    &format!("0{}/01/2025", i + 1),
                )
            })
            .collect();
        let choices = AgendaChoices {
            pinned: ["K4".to_owned(), "K3".to_owned(), "K2".to_owned()].into(),
            ..AgendaChoices::default()
        };
        let plan = build(&listings, &HashMap::new(), &choices, d("27/11/2026"), 2, 3);
        // Three pinned in two slots: all three heard, nobody else fits.
        assert_eq!(children(&plan.heard), ["K2", "K3", "K4"]);
        assert_eq!(children(&plan.waiting), ["K0", "K1"]);
    }

    #[test]
    fn removed_children_are_left_off_and_added_ones_listed_with_their_reason() {
        let listings = vec![
            listing("A", Source::Cohort(0), "01/01/2025"),
            listing("B", Source::Cohort(0), "01/02/2025"),
        ];
        let choices = AgendaChoices {
            removed: ["A".to_owned()].into(),
            added: vec![("Z".to_owned(), "Court hearing next week".to_owned())],
            ..AgendaChoices::default()
        };
        let plan = build(&listings, &HashMap::new(), &choices, d("27/11/2026"), 10, 3);
        assert_eq!(children(&plan.heard), ["Z", "B"]);
        assert_eq!(plan.heard[0].reasons, ["Court hearing next week"]);
    }

    #[test]
    fn rotation_hears_every_child_within_a_bounded_number_of_meetings() {
        // 30 children meet a cohort every month; 6 slots a meeting; heard
        // children go to the back for 3 months. Every child must be heard
        // within ceil(30 / 6) = 5 meetings of the first, and again within the
        // next 5 after that: nobody drops off the list for good.
        let listings: Vec<Listing> = (0..30)
            .map(|i| listing(&format!("K{i:02}"), Source::Cohort(i % 3), "01/01/2024"))
            .collect();
        let mut heard: HashMap<ChildId, NaiveDate> = HashMap::new();
        let mut hearings: HashMap<ChildId, Vec<usize>> = HashMap::new();
        let mut meeting = d("29/01/2027");
        for n in 0..24 {
            let plan = build(&listings, &heard, &AgendaChoices::default(), meeting, 6, 3);
            assert_eq!(plan.heard.len(), 6);
            for item in &plan.heard {
                heard.insert(item.child.clone(), meeting);
                hearings.entry(item.child.clone()).or_default().push(n);
            }
            meeting = add_months(meeting, 1);
        }
        for l in &listings {
            let times = &hearings[&l.child];
            assert!(
                times[0] < 5,
                "{} first heard at meeting {}",
                l.child,
                times[0]
            );
            for pair in times.windows(2) {
                assert!(pair[1] - pair[0] <= 5, "{} waited {:?}", l.child, pair);
            }
            assert!(
                times.len() >= 4,
                "{} heard only {} times in 24 meetings",
                l.child,
                times.len()
            );
        }
    }
}
