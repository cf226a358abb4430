//! Is the meeting quorate, who fills which requirement, and what is missing.
//!
//! Quorum is a bipartite matching: each requirement of the terms must be
//! filled by a different person present (a Head of Service who is also the
//! chair cannot fill two places), plus an optional minimum number of standing
//! members present.

use chrono::NaiveTime;

use crate::model::{Attendance, AttendanceState, Id, Member, MemberKind};
use crate::terms::Quorum;

/// A person in the room at the moment quorum is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentPerson {
    pub member: Id,
    pub role: String,
    /// The role they deputise for, when attending as a substitute.
    pub substitute_for: Option<String>,
    /// A standing member, or the substitute of one.
    pub standing: bool,
    /// How the person is named in the explanation (job title or name).
    pub label: String,
    /// How a sentence names them: "the Head of Service", or the name and
    /// title as `label` shows them.
    pub in_sentence: String,
}

/// One requirement and who fills it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub requirement: String,
    pub by: Option<String>,
    /// When nobody fills it: the time the last person who could left, if
    /// someone did ("no ... present since 11:40").
    pub vacant_since: Option<NaiveTime>,
}

/// Why places are empty, worked out from the matching (Hall's theorem), so
/// the explanation never names a place someone present could have filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shortfall {
    /// No one present can fill this requirement (its index).
    NoOne { requirement: usize },
    /// Everyone present who could fill any of these requirements is one of
    /// `people`, and there are fewer of them than places: only
    /// `people.len()` of the places can be filled.
    TooFew {
        people: Vec<String>,
        requirements: Vec<usize>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuorumResult {
    pub quorate: bool,
    /// The rule is ours, not the terms of reference's.
    pub assumed: bool,
    pub filled: Vec<Filled>,
    pub standing_present: u32,
    pub standing_needed: u32,
    /// Why the empty places are empty (none when every place is filled).
    pub shortfalls: Vec<Shortfall>,
    /// People in the room who declared an interest in the item and so do
    /// not count towards its quorum, as a sentence names them.
    pub withdrawn: Vec<String>,
}

fn count_word(n: usize) -> String {
    match n {
        1 => "one".into(),
        2 => "two".into(),
        3 => "three".into(),
        4 => "four".into(),
        n => n.to_string(),
    }
}

impl QuorumResult {
    /// What is missing, one phrase each ("no Head of Service or Service Manager").
    /// A place no one present can fill is named ("no Conference and
    /// Reviewing Service representative"); places that the same few people
    /// could each fill are named together ("Head of Service can fill only
    /// one of: a social work manager, a Head of Service or Service Manager").
    pub fn missing(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .shortfalls
            .iter()
            .map(|shortfall| match shortfall {
                Shortfall::NoOne { requirement } => {
                    let f = &self.filled[*requirement];
                    let what = f
                        .requirement
                        .trim_start_matches("a ")
                        .trim_start_matches("an ");
                    match f.vacant_since {
                        Some(t) => format!("no {what} present since {}", t.format("%H:%M")),
                        None => format!("no {what}"),
                    }
                }
                Shortfall::TooFew {
                    people,
                    requirements,
                } => {
                    let places: Vec<&str> = requirements
                        .iter()
                        .map(|r| self.filled[*r].requirement.as_str())
                        .collect();
                    format!(
                        "{} can fill only {} of: {}",
                        people.join(" and "),
                        count_word(people.len()),
                        places.join(", ")
                    )
                }
            })
            .collect();
        if self.standing_present < self.standing_needed {
            out.push(format!(
                "{} of {} standing members needed present",
                self.standing_present, self.standing_needed
            ));
        }
        out
    }

    /// One line for the screen and the minutes.
    pub fn summary(&self) -> String {
        let mut rule = if self.assumed { " (assumed rule)" } else { "" }.to_owned();
        if !self.withdrawn.is_empty() {
            rule.push_str(&format!(
                " without {}, who declared an interest",
                self.withdrawn_words()
            ));
        }
        if self.quorate {
            let who: Vec<String> = self
                .filled
                .iter()
                .filter_map(|f| f.by.as_ref().map(|b| format!("{}: {b}", f.requirement)))
                .collect();
            if who.is_empty() {
                format!("Quorate{rule}")
            } else {
                format!("Quorate{rule}: {}", who.join("; "))
            }
        } else {
            format!("NOT QUORATE{rule}: {}", self.missing().join("; "))
        }
    }

    /// "the Head of Service and the Team Manager": who withdrew.
    pub fn withdrawn_words(&self) -> String {
        match self.withdrawn.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }
}

/// Who is present at `at` (or now, if `None`), from the roll call.
pub fn present_at(
    members: &[Member],
    attendance: &[Attendance],
    at: Option<NaiveTime>,
) -> Vec<PresentPerson> {
    attendance
        .iter()
        // Someone "in attendance" (a presenter, a guest) is in the room but
        // not sitting as a member: they never count towards quorum.
        .filter(|a| a.state != AttendanceState::InAttendance && is_present_at(a, at))
        .filter_map(|a| {
            let m = members.iter().find(|m| m.id == a.member)?;
            // A named substitute deputises whether marked `s` or `p`: the
            // place they deputise for is theirs to fill either way.
            let substitute_for = match a.state {
                AttendanceState::Substitute | AttendanceState::Present => a
                    .substitute_for
                    .clone()
                    .or_else(|| m.substitute_for.clone()),
                _ => None,
            };
            Some(PresentPerson {
                member: m.id,
                role: m.role.clone(),
                standing: m.kind == MemberKind::Standing || substitute_for.is_some(),
                substitute_for,
                label: m.display(),
                in_sentence: if m.display() == m.job_title {
                    format!("the {}", m.job_title)
                } else {
                    m.display()
                },
            })
        })
        .collect()
}

/// Present at a moment: arrived at or before it and not yet departed. With no
/// moment, the current state decides.
fn is_present_at(a: &Attendance, at: Option<NaiveTime>) -> bool {
    let Some(t) = at else {
        return a.state.is_present();
    };
    // Comings and goings: in the room during one of the stretches.
    if !a.intervals.is_empty() {
        return a.intervals.iter().any(|i| i.covers(t));
    }
    match (a.arrived, a.departed) {
        (Some(arr), Some(dep)) => arr <= t && t < dep,
        (Some(arr), None) => a.state.is_present() && arr <= t,
        // Marked present without a time: present throughout.
        (None, None) => a.state.is_present(),
        (None, Some(dep)) => t < dep,
    }
}

/// Checks the rule against the people present.
pub fn check(rule: &Quorum, present: &[PresentPerson]) -> QuorumResult {
    let can_fill = |req: usize, person: usize| -> bool {
        let r = &rule.quorum_requirement(req);
        let p = &present[person];
        if !counts(rule, p) {
            return false;
        }
        r.roles.contains(&p.role)
            || (r.substitute
                && p.substitute_for
                    .as_ref()
                    .is_some_and(|s| r.roles.contains(s)))
    };
    let assignment = max_matching(rule.requirements.len(), present.len(), can_fill);
    let shortfalls = shortfalls(rule.requirements.len(), present, &assignment, &can_fill);
    let filled: Vec<Filled> = rule
        .requirements
        .iter()
        .zip(&assignment)
        .map(|(r, who)| Filled {
            requirement: r.label.clone(),
            by: who.map(|p| present[p].label.clone()),
            vacant_since: None,
        })
        .collect();
    let standing_present = present
        .iter()
        .filter(|p| p.standing && counts(rule, p))
        .count() as u32;
    QuorumResult {
        quorate: filled.iter().all(|f| f.by.is_some()) && standing_present >= rule.min_standing,
        assumed: rule.assumed,
        filled,
        standing_present,
        standing_needed: rule.min_standing,
        shortfalls,
        withdrawn: Vec::new(),
    }
}

/// The quorum for one item: the people present except those `withdrawn`
/// from it (they declared an interest in it), who are named in the result
/// when they are in the room. With none withdrawn it is `check`.
pub fn check_for_item(rule: &Quorum, present: &[PresentPerson], withdrawn: &[Id]) -> QuorumResult {
    let (out, counted): (Vec<PresentPerson>, Vec<PresentPerson>) = present
        .iter()
        .cloned()
        .partition(|p| withdrawn.contains(&p.member));
    let mut result = check(rule, &counted);
    result.withdrawn = out.into_iter().map(|p| p.in_sentence).collect();
    result
}

/// Whether a person present counts towards quorum: a member whose role
/// attends "as required" is minuted but never counts, unless they sit as a
/// named substitute for a member who does.
fn counts(rule: &Quorum, p: &PresentPerson) -> bool {
    p.substitute_for.is_some() || !rule.as_required.contains(&p.role)
}

/// Why each place the matching leaves empty is empty. From an empty place,
/// the alternating paths of a maximum matching reach a set of places whose
/// possible fillers are all already used within the set (Hall's theorem):
/// those people can fill only as many of those places as there are of
/// them. Sets that share a place are told as one.
fn shortfalls(
    requirements: usize,
    present: &[PresentPerson],
    assignment: &[Option<usize>],
    can_fill: &impl Fn(usize, usize) -> bool,
) -> Vec<Shortfall> {
    let mut sets: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut out = Vec::new();
    for empty in (0..requirements).filter(|r| assignment[*r].is_none()) {
        let mut places = vec![empty];
        let mut people: Vec<usize> = Vec::new();
        let mut next = 0;
        while next < places.len() {
            let place = places[next];
            next += 1;
            for person in (0..present.len()).filter(|p| can_fill(place, *p)) {
                if people.contains(&person) {
                    continue;
                }
                people.push(person);
                // A maximum matching uses everyone who could fill an empty
                // place's alternating tree; follow them to their own place.
                if let Some(theirs) = assignment.iter().position(|a| *a == Some(person))
                    && !places.contains(&theirs)
                {
                    places.push(theirs);
                }
            }
        }
        if people.is_empty() {
            out.push(Shortfall::NoOne { requirement: empty });
            continue;
        }
        // Every set sharing a place with this one becomes part of it.
        sets.retain(|(ps, qs)| {
            if !ps.iter().any(|p| places.contains(p)) {
                return true;
            }
            places.extend(
                ps.iter()
                    .filter(|p| !places.contains(p))
                    .collect::<Vec<_>>(),
            );
            people.extend(
                qs.iter()
                    .filter(|q| !people.contains(q))
                    .collect::<Vec<_>>(),
            );
            false
        });
        sets.push((places, people));
    }
    for (mut places, mut people) in sets {
        places.sort_unstable();
        people.sort_unstable();
        out.push(Shortfall::TooFew {
            people: people
                .into_iter()
                .map(|p| present[p].label.clone())
                .collect(),
            requirements: places,
        });
    }
    out
}

/// The quorum of a meeting at `at` (or as the roll call stands, if `None`),
/// with, for each empty place, when the last person who could fill it left.
/// `withdrawn`: the members who declared an interest in the item the
/// quorum is for (none for the meeting as a whole).
pub fn check_at(
    rule: &Quorum,
    members: &[Member],
    attendance: &[Attendance],
    at: Option<NaiveTime>,
    withdrawn: &[Id],
) -> QuorumResult {
    let present = present_at(members, attendance, at);
    let mut result = check_for_item(rule, &present, withdrawn);
    for (filled, req) in result.filled.iter_mut().zip(&rule.requirements) {
        if filled.by.is_some() {
            continue;
        }
        filled.vacant_since = attendance
            .iter()
            .filter_map(|a| {
                // The last time they left by `at` (any stretch), if they
                // are not in the room then.
                let left = if a.intervals.is_empty() {
                    a.departed?
                } else {
                    a.intervals
                        .iter()
                        .filter_map(|i| i.left)
                        .filter(|l| at.is_none_or(|t| *l <= t))
                        .max()?
                };
                let m = members.iter().find(|m| m.id == a.member)?;
                let deputises = a.substitute_for.as_ref().or(m.substitute_for.as_ref());
                let could_fill = (deputises.is_some() || !rule.as_required.contains(&m.role))
                    && req.roles.contains(&m.role)
                    || (req.substitute && deputises.is_some_and(|s| req.roles.contains(s)));
                (could_fill && at.is_none_or(|t| left <= t)).then_some(left)
            })
            .max();
    }
    result
}

trait RequirementAt {
    fn quorum_requirement(&self, i: usize) -> &crate::terms::QuorumRequirement;
}

impl RequirementAt for Quorum {
    fn quorum_requirement(&self, i: usize) -> &crate::terms::QuorumRequirement {
        &self.requirements[i]
    }
}

/// Maximum bipartite matching of requirements to people (Kuhn's augmenting
/// paths; a panel has a handful of each). Returns, per requirement, the
/// person filling it.
pub fn max_matching(
    requirements: usize,
    people: usize,
    can_fill: impl Fn(usize, usize) -> bool,
) -> Vec<Option<usize>> {
    fn augment(
        req: usize,
        people: usize,
        can_fill: &dyn Fn(usize, usize) -> bool,
        seen: &mut [bool],
        person_to_req: &mut [Option<usize>],
    ) -> bool {
        for p in 0..people {
            if can_fill(req, p) && !seen[p] {
                seen[p] = true;
                let free = match person_to_req[p] {
                    None => true,
                    Some(other) => augment(other, people, can_fill, seen, person_to_req),
                };
                if free {
                    person_to_req[p] = Some(req);
                    return true;
                }
            }
        }
        false
    }
    let mut person_to_req = vec![None; people];
    for req in 0..requirements {
        let mut seen = vec![false; people];
        augment(req, people, &can_fill, &mut seen, &mut person_to_req);
    }
    let mut out = vec![None; requirements];
    for (p, r) in person_to_req.iter().enumerate() {
        if let Some(r) = r {
            out[*r] = Some(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::Terms;

    fn person(id: Id, role: &str, standing: bool) -> PresentPerson {
        PresentPerson {
            member: id,
            role: role.into(),
            substitute_for: None,
            standing,
            label: role.into(),
            in_sentence: format!("the {role}"),
        }
    }

    #[test]
    fn a_member_attending_as_required_never_counts() {
        let text = Terms::preset_text("wiltshire").unwrap().replace(
            "id = \"service-manager-crs\"\njob_title = \"Service Manager – Conference and Reviewing Service\"\nkind = \"standing\"",
            "id = \"service-manager-crs\"\njob_title = \"Service Manager – Conference and Reviewing Service\"\nkind = \"standing\"\nas_required = true",
        );
        let w = Terms::parse(&text, "wiltshire.toml").unwrap();
        assert_eq!(w.quorum.as_required, vec!["service-manager-crs".to_owned()]);
        let present = vec![
            person(1, "team-manager-kinship-fostering", true),
            person(2, "head-of-service", true),
            person(3, "service-manager-crs", true),
        ];
        // Without them the Conference and Reviewing Service place is empty.
        let r = check(&w.quorum, &present);
        assert!(!r.quorate, "{}", r.summary());
        assert_eq!(r.standing_present, 2);
        assert!(
            r.summary().contains("no Conference and Reviewing Service"),
            "{}",
            r.summary()
        );
        // The same three under the preset as written are quorate.
        let as_written = Terms::load("wiltshire").unwrap();
        assert!(check(&as_written.quorum, &present).quorate);
        // Sitting as a named substitute, they count for the place they hold.
        let mut deputy = person(3, "service-manager-crs", true);
        deputy.substitute_for = Some("iro".into());
        let r = check(&w.quorum, &[present[0].clone(), present[1].clone(), deputy]);
        assert!(r.quorate, "{}", r.summary());
    }

    #[test]
    fn wiltshire_three_distinct_people_are_quorate() {
        let w = Terms::load("wiltshire").unwrap();
        let present = vec![
            person(1, "team-manager-kinship-fostering", true),
            person(2, "head-of-service", true),
            person(3, "service-manager-crs", true),
        ];
        let r = check(&w.quorum, &present);
        assert!(r.quorate, "{}", r.summary());
        assert!(r.missing().is_empty());
    }

    /// Issue 16: with only the Head of Service present the line said "no
    /// Head of Service or Service Manager", though the Head of Service is
    /// one (they filled the other place). It names what cannot be filled.
    #[test]
    fn wiltshire_head_of_service_alone_is_told_as_one_person_for_two_places() {
        let w = Terms::load("wiltshire").unwrap();
        let r = check(&w.quorum, &[person(1, "head-of-service", true)]);
        assert_eq!(
            r.missing(),
            [
                "no Conference and Reviewing Service representative or substitute",
                "head-of-service can fill only one of: a social work manager, a Head of Service or Service Manager"
            ]
        );
    }

    /// Issue 16: the reviewing service's named substitute, marked present,
    /// was said missing. They fill the place they deputise for.
    #[test]
    fn a_named_substitute_marked_present_fills_the_place_they_deputise_for() {
        let w = Terms::load("wiltshire").unwrap();
        let member = |id: Id, role: &str, deputy: Option<&str>| Member {
            id,
            role: role.into(),
            job_title: role.into(),
            name: None,
            kind: MemberKind::Standing,
            substitute_for: deputy.map(str::to_owned),
            start: None,
            end: None,
        };
        let members = vec![
            member(1, "head-of-service", None),
            member(2, "team-manager-kinship-fostering", None),
            member(3, "reviewing-deputy", Some("service-manager-crs")),
        ];
        let attendance: Vec<Attendance> = members
            .iter()
            .map(|m| Attendance {
                meeting: 1,
                member: m.id,
                state: AttendanceState::Present,
                substitute_for: None,
                arrived: None,
                departed: None,
                intervals: Vec::new(),
            })
            .collect();
        let r = check_at(&w.quorum, &members, &attendance, None, &[]);
        assert!(r.quorate, "{}", r.summary());
    }

    /// Ealing and Guernsey: a member who declares an interest in an item
    /// withdraws, and the quorum for that item is counted without them.
    #[test]
    fn a_member_who_declared_an_interest_does_not_count_for_the_item() {
        let w = Terms::load("wiltshire").unwrap();
        let present = vec![
            person(1, "head-of-service", true),
            person(2, "service-manager-cic", true),
            person(3, "service-manager-crs", true),
            person(4, "team-manager-kinship-fostering", true),
        ];
        let whole = check_for_item(&w.quorum, &present, &[]);
        assert!(whole.quorate && whole.withdrawn.is_empty());
        assert_eq!(whole, check(&w.quorum, &present));
        // Without the Head of Service the others still fill every place.
        let without_hos = check_for_item(&w.quorum, &present, &[1]);
        assert!(without_hos.quorate, "{}", without_hos.summary());
        assert!(
            without_hos.summary().starts_with(
                "Quorate without the head-of-service, who declared an interest: a social work manager: "
            ),
            "{}",
            without_hos.summary()
        );
        assert!(!without_hos.summary().contains(": head-of-service"));
        // Without the reviewing service's manager no one can be its
        // representative: not quorate for this item.
        let without_crs = check_for_item(&w.quorum, &present, &[3, 1]);
        assert!(!without_crs.quorate);
        assert_eq!(
            without_crs.summary(),
            "NOT QUORATE without the head-of-service and the service-manager-crs, who declared an interest: \
             no Conference and Reviewing Service representative or substitute"
        );
        // A member not in the room who declared is not named.
        let absent = check_for_item(&w.quorum, &present, &[9]);
        assert!(absent.withdrawn.is_empty() && absent.quorate);
    }

    #[test]
    fn wiltshire_one_person_cannot_fill_two_places() {
        // The Conference and Reviewing Service manager is both a service
        // manager and the CRS representative, but counts once.
        let w = Terms::load("wiltshire").unwrap();
        let present = vec![
            person(1, "service-manager-crs", true),
            person(2, "team-manager-kinship-fostering", true),
        ];
        let r = check(&w.quorum, &present);
        assert!(!r.quorate);
        assert_eq!(r.missing().len(), 1, "{:?}", r.missing());
    }

    #[test]
    fn wiltshire_matching_reassigns_to_find_quorum() {
        // Greedy filling would put the HoS on "a social work manager" first;
        // the matching must move them to let the service manager fill... the
        // social work manager place instead.
        let w = Terms::load("wiltshire").unwrap();
        let present = vec![
            person(1, "head-of-service", true),
            person(2, "service-manager-cic", true),
            person(3, "iro", false),
        ];
        let r = check(&w.quorum, &present);
        assert!(r.quorate, "{}", r.summary());
    }

    #[test]
    fn wiltshire_crs_substitute_fills_the_reviewing_place() {
        let w = Terms::load("wiltshire").unwrap();
        let mut deputy = person(3, "service-manager-cp", true);
        deputy.substitute_for = Some("service-manager-crs".into());
        let present = vec![
            person(1, "head-of-service", true),
            person(2, "team-manager-kinship-fostering", true),
            deputy,
        ];
        assert!(check(&w.quorum, &present).quorate);
    }

    #[test]
    fn wiltshire_without_reviewing_service_says_so() {
        let w = Terms::load("wiltshire").unwrap();
        let present = vec![
            person(1, "head-of-service", true),
            person(2, "team-manager-kinship-fostering", true),
        ];
        let r = check(&w.quorum, &present);
        assert!(!r.quorate);
        assert_eq!(
            r.missing(),
            vec!["no Conference and Reviewing Service representative or substitute"]
        );
        assert!(r.summary().starts_with("NOT QUORATE: "), "{}", r.summary());
    }

    #[test]
    fn telford_assumed_rule_needs_three_standing_and_an_sdm() {
        let t = Terms::load("telford").unwrap();
        let two = vec![
            person(1, "sdm-placements", true),
            person(2, "business-information-manager", true),
        ];
        let r = check(&t.quorum, &two);
        assert!(!r.quorate);
        assert!(r.summary().contains("(assumed rule)"));
        let mut three = two.clone();
        three.push(person(3, "sdm-acm-cic", true));
        assert!(check(&t.quorum, &three).quorate);
        // Three standing members but no Service Delivery Manager to chair.
        let no_sdm = vec![
            person(1, "business-information-manager", true),
            person(2, "legal-adviser", true),
            person(3, "iro", true),
        ];
        assert!(!check(&t.quorum, &no_sdm).quorate);
    }

    #[test]
    fn presence_follows_arrival_and_departure_times() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let a = Attendance {
            meeting: 1,
            member: 1,
            state: AttendanceState::Absent,
            substitute_for: None,
            arrived: Some(t(9, 30)),
            departed: Some(t(11, 40)),
            intervals: Vec::new(),
        };
        assert!(!is_present_at(&a, Some(t(9, 29))));
        assert!(is_present_at(&a, Some(t(9, 30))));
        assert!(is_present_at(&a, Some(t(11, 39))));
        assert!(!is_present_at(&a, Some(t(11, 40))));
        assert!(!is_present_at(&a, None));
        // Left at 10:10 and came back at 10:40: out in between only.
        let a = Attendance {
            state: AttendanceState::Present,
            intervals: vec![
                crate::model::Interval {
                    arrived: t(9, 30),
                    left: Some(t(10, 10)),
                },
                crate::model::Interval {
                    arrived: t(10, 40),
                    left: None,
                },
            ],
            ..a
        };
        assert!(is_present_at(&a, Some(t(10, 0))));
        assert!(!is_present_at(&a, Some(t(10, 20))));
        assert!(is_present_at(&a, Some(t(12, 0))));
        assert!(is_present_at(&a, None));
        // Without stretches (an older roll call): the one arrival and departure.
        let a = Attendance {
            state: AttendanceState::Absent,
            intervals: Vec::new(),
            ..a
        };
        assert!(!is_present_at(&a, Some(t(9, 29))));
        assert!(is_present_at(&a, Some(t(9, 30))));
        assert!(is_present_at(&a, Some(t(11, 39))));
        assert!(!is_present_at(&a, Some(t(11, 40))));
        assert!(!is_present_at(&a, None));
    }

    #[test]
    fn a_departure_makes_the_meeting_inquorate_and_says_since_when() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let w = Terms::load("wiltshire").unwrap();
        let member = |id: Id, role: &str| Member {
            id,
            role: role.into(),
            job_title: role.into(),
            name: None,
            kind: MemberKind::Standing,
            substitute_for: None,
            start: None,
            end: None,
        };
        let members = vec![
            member(1, "head-of-service"),
            member(2, "team-manager-kinship-fostering"),
            member(3, "iro"),
        ];
        let seen = |member: Id, departed: Option<NaiveTime>| Attendance {
            meeting: 1,
            member,
            state: if departed.is_some() {
                AttendanceState::Absent
            } else {
                AttendanceState::Present
            },
            substitute_for: None,
            arrived: Some(t(9, 30)),
            departed,
            intervals: Vec::new(),
        };
        // The reviewing officer left at 11:40.
        let attendance = vec![seen(1, None), seen(2, None), seen(3, Some(t(11, 40)))];

        let before = check_at(&w.quorum, &members, &attendance, Some(t(11, 0)), &[]);
        assert!(before.quorate, "{}", before.summary());
        let after = check_at(&w.quorum, &members, &attendance, Some(t(11, 45)), &[]);
        assert!(!after.quorate);
        assert_eq!(
            after.missing(),
            vec![
                "no Conference and Reviewing Service representative or substitute present since 11:40"
            ]
        );
        // As the roll call stands now, the same.
        let now = check_at(&w.quorum, &members, &attendance, None, &[]);
        assert_eq!(now.missing(), after.missing());
    }
}
