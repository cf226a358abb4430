//! The quorum matching against a brute-force search over every assignment of
//! people to requirements, on random rules and rooms.

use permanence_panel::rules::quorum::{PresentPerson, Shortfall, check, check_for_item};
use permanence_panel::terms::{Quorum, QuorumRequirement};
use proptest::prelude::*;

const ROLES: &[&str] = &["chair", "hos", "sm", "crs", "tm", "legal"];

/// Can person `p` fill requirement `r`? The rule, spelled out again here so
/// the test does not lean on the code under test.
fn fills(r: &QuorumRequirement, p: &PresentPerson) -> bool {
    r.roles.contains(&p.role)
        || (r.substitute
            && p.substitute_for
                .as_ref()
                .is_some_and(|s| r.roles.contains(s)))
}

/// The most requirements any assignment (one person, at most one place)
/// fills, by trying every choice for every requirement.
fn brute_force_most_filled(reqs: &[QuorumRequirement], people: &[PresentPerson]) -> usize {
    fn go(
        i: usize,
        reqs: &[QuorumRequirement],
        people: &[PresentPerson],
        used: &mut Vec<bool>,
    ) -> usize {
        if i == reqs.len() {
            return 0;
        }
        // Leave requirement i empty ...
        let mut best = go(i + 1, reqs, people, used);
        // ... or give it to anyone free who can fill it.
        for p in 0..people.len() {
            if !used[p] && fills(&reqs[i], &people[p]) {
                used[p] = true;
                best = best.max(1 + go(i + 1, reqs, people, used));
                used[p] = false;
            }
        }
        best
    }
    go(0, reqs, people, &mut vec![false; people.len()])
}

fn requirement() -> impl Strategy<Value = QuorumRequirement> {
    (proptest::sample::subsequence(ROLES, 1..=3), any::<bool>()).prop_map(|(roles, substitute)| {
        QuorumRequirement {
            label: roles.join(" or "),
            roles: roles.into_iter().map(str::to_owned).collect(),
            substitute,
        }
    })
}

fn person() -> impl Strategy<Value = (usize, Option<usize>, bool)> {
    (
        0..ROLES.len(),
        proptest::option::of(0..ROLES.len()),
        any::<bool>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn matching_fills_as_many_places_as_any_assignment(
        reqs in proptest::collection::vec(requirement(), 0..5),
        min_standing in 0u32..4,
        people in proptest::collection::vec(person(), 0..7),
    ) {
        let present: Vec<PresentPerson> = people
            .iter()
            .enumerate()
            .map(|(i, &(role, sub, standing))| PresentPerson {
                member: i as i64 + 1,
                role: ROLES[role].to_owned(),
                substitute_for: sub.map(|s| ROLES[s].to_owned()),
                standing,
                label: format!("person {}", i + 1),
                in_sentence: format!("person {}", i + 1),
            })
            .collect();
        let rule = Quorum { assumed: false, min_standing, requirements: reqs.clone(), as_required: Vec::new() };
        let result = check(&rule, &present);

        let best = brute_force_most_filled(&reqs, &present);
        let filled: Vec<&str> = result.filled.iter().filter_map(|f| f.by.as_deref()).collect();
        prop_assert_eq!(filled.len(), best, "{}", result.summary());

        // Nobody fills two places, and whoever fills a place can.
        let mut seen = std::collections::HashSet::new();
        for (f, r) in result.filled.iter().zip(&reqs) {
            if let Some(by) = &f.by {
                prop_assert!(seen.insert(by.clone()), "{by} fills two places");
                let p = present.iter().find(|p| &p.label == by).expect("a present person");
                prop_assert!(fills(r, p), "{by} cannot fill {}", r.label);
            }
        }

        let standing = present.iter().filter(|p| p.standing).count() as u32;
        prop_assert_eq!(result.quorate, best == reqs.len() && standing >= min_standing);
        prop_assert_eq!(result.quorate, result.missing().is_empty());

        // The explanation, checked against brute force: every claim true,
        // and together they account for every place left empty.
        let mut explained = 0;
        for shortfall in &result.shortfalls {
            match shortfall {
                Shortfall::NoOne { requirement } => {
                    let r = &reqs[*requirement];
                    prop_assert!(
                        present.iter().all(|p| !fills(r, p)),
                        "someone present can fill {}", r.label
                    );
                    explained += 1;
                }
                Shortfall::TooFew { people, requirements } => {
                    let places: Vec<QuorumRequirement> =
                        requirements.iter().map(|i| reqs[*i].clone()).collect();
                    // Everyone who can fill any of the places is named ...
                    for p in &present {
                        if places.iter().any(|r| fills(r, p)) {
                            prop_assert!(people.contains(&p.label), "{} not named", p.label);
                        }
                    }
                    // ... they are fewer than the places, and exactly that
                    // many of the places can be filled at best.
                    prop_assert!(people.len() < places.len());
                    prop_assert_eq!(brute_force_most_filled(&places, &present), people.len());
                    explained += places.len() - people.len();
                }
            }
        }
        prop_assert_eq!(explained, reqs.len() - best, "{:?}", result.shortfalls);
    }

    /// A member who declared an interest in an item does not count for it:
    /// the item's quorum is the room's without them, it names each of them
    /// present, and a withdrawal never makes an item quorate.
    #[test]
    fn a_withdrawn_member_counts_for_nothing_in_the_item(
        reqs in proptest::collection::vec(requirement(), 0..5),
        min_standing in 0u32..4,
        people in proptest::collection::vec(person(), 0..7),
        declared in proptest::collection::vec(1i64..9, 0..4),
    ) {
        let present: Vec<PresentPerson> = people
            .iter()
            .enumerate()
            .map(|(i, &(role, sub, standing))| PresentPerson {
                member: i as i64 + 1,
                role: ROLES[role].to_owned(),
                substitute_for: sub.map(|s| ROLES[s].to_owned()),
                standing,
                label: format!("person {}", i + 1),
                in_sentence: format!("the person {}", i + 1),
            })
            .collect();
        let rule = Quorum { assumed: false, min_standing, requirements: reqs.clone(), as_required: Vec::new() };
        let item = check_for_item(&rule, &present, &declared);
        let rest: Vec<PresentPerson> = present
            .iter()
            .filter(|p| !declared.contains(&p.member))
            .cloned()
            .collect();
        let without = check(&rule, &rest);
        prop_assert_eq!(&item.filled, &without.filled);
        prop_assert_eq!(item.quorate, without.quorate);
        // Counted afresh, not read off the code under test.
        let standing = rest.iter().filter(|p| p.standing).count() as u32;
        prop_assert_eq!(
            item.quorate,
            brute_force_most_filled(&reqs, &rest) == reqs.len() && standing >= min_standing
        );
        let named: Vec<String> = present
            .iter()
            .filter(|p| declared.contains(&p.member))
            .map(|p| p.in_sentence.clone())
            .collect();
        prop_assert_eq!(&item.withdrawn, &named);
        for f in item.filled.iter().filter_map(|f| f.by.as_ref()) {
            let p = present.iter().find(|p| &p.label == f).expect("present");
            prop_assert!(!declared.contains(&p.member), "{} withdrew but fills a place", f);
        }
        if item.quorate {
            prop_assert!(check(&rule, &present).quorate, "a withdrawal made it quorate");
        }
        prop_assert_eq!(
            item.summary().contains("who declared an interest"),
            !named.is_empty()
        );
    }
}
