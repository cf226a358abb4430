//! Building a meeting's agenda and the administrator's changes to it: the
//! panel's own routes (carried over, referrals, actions due) and the
//! cohorts at the meeting's date, fitted to its time. `agenda --build`,
//! the demo and the app all build through here.

use std::collections::HashMap;

use crate::model::{ActionStatus, ChildId, CohortId, Meeting, ReferralStatus};
use crate::rules::agenda::{self, AgendaPlan, Listing, Source};
use crate::rules::cohorts::{self, PanelRoutes};
use crate::rules::dates::dmy;
use crate::store::{AgendaChoice, Store};
use crate::terms::Terms;

/// How many children the meeting holds: its time in slots, capped where
/// the terms cap a sitting.
pub fn slots(terms: &Terms, meeting: &Meeting) -> usize {
    let by_time = agenda::slots_between(meeting.start, meeting.end, terms.agenda.slot_minutes);
    match terms.agenda.max_children {
        Some(cap) => by_time.min(cap as usize),
        None => by_time,
    }
}

/// Builds the agenda of `meeting` from what the store holds.
pub fn build(store: &Store, terms: &Terms, meeting: &Meeting) -> anyhow::Result<AgendaPlan> {
    Ok(build_typed(store, terms, meeting)?.0)
}

/// The item type of each child whose route names one (a deferred item
/// keeps its type; a referral asks for one); every other child's item is a
/// tracking review.
pub type ItemTypes = HashMap<ChildId, String>;

/// Builds the agenda of `meeting`, with the item type of each child a
/// deferral or a referral lists.
pub fn build_typed(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
) -> anyhow::Result<(AgendaPlan, ItemTypes)> {
    let day = meeting.date;
    let mut listings = Vec::new();
    let mut item_types = ItemTypes::new();
    let decisions_between = |child: &str, after: chrono::NaiveDate| -> anyhow::Result<bool> {
        Ok(store.decisions_for_child(child)?.iter().any(|d| {
            let on = d.recorded_at.date();
            on >= after && on < day
        }))
    };

    for c in store.carry_overs()? {
        // Carried to the next meeting: listed until the child is heard again.
        if c.meeting_date < day
            && !decisions_between(&c.child, crate::rules::dates::add_days(c.meeting_date, 1))?
        {
            listings.push(Listing {
                child: c.child.clone(),
                source: Source::CarriedOver,
                listed_under: CohortId::CarriedOver.id().to_owned(),
                since: c.meeting_date,
                reason: format!(
                    "Carried over by the panel on {}: {}",
                    dmy(c.meeting_date),
                    c.reason
                ),
            });
        }
    }
    // Whether a child was heard at a meeting after `after` and before this
    // one: by the meetings' dates, as a decision may be recorded days after
    // its meeting.
    let meeting_dates: HashMap<crate::model::Id, chrono::NaiveDate> = store
        .meetings()?
        .into_iter()
        .map(|m| (m.id, m.date))
        .collect();
    let heard_since = |child: &str, after: chrono::NaiveDate| -> anyhow::Result<bool> {
        Ok(store.decisions_for_child(child)?.iter().any(|d| {
            meeting_dates
                .get(&d.meeting)
                .is_some_and(|&on| on > after && on < day)
        }))
    };
    for d in store.deferrals()? {
        // Deferred to a meeting: listed there (and after, until heard again).
        if d.from_date < day && d.to_date <= day && !heard_since(&d.child, d.from_date)? {
            item_types
                .entry(d.child.clone())
                .or_insert_with(|| d.item_type.clone());
            listings.push(Listing {
                child: d.child.clone(),
                source: Source::CarriedOver,
                listed_under: CohortId::CarriedOver.id().to_owned(),
                since: d.from_date,
                reason: format!("Deferred from {}: {}", dmy(d.from_date), d.reason),
            });
        }
    }
    for r in store.referrals()? {
        let asked_for_later = r.meeting_asked.is_some_and(|m| m > day);
        if r.status == ReferralStatus::Accepted
            && r.made_on <= day
            && !asked_for_later
            && !decisions_between(&r.child, r.made_on)?
        {
            item_types
                .entry(r.child.clone())
                .or_insert_with(|| r.item_type.clone());
            listings.push(Listing {
                child: r.child.clone(),
                source: Source::Referral,
                listed_under: CohortId::Referral.id().to_owned(),
                since: r.made_on,
                reason: format!(
                    "Referred on {} by the {} ({}), supported by the {} ({}): {}",
                    dmy(r.made_on),
                    r.referrer_role,
                    r.referrer_initials,
                    r.supporter_role,
                    r.supporter_initials,
                    r.reason
                ),
            });
        }
    }
    for a in store.all_actions()? {
        if a.status == ActionStatus::Open && a.deadline <= day {
            listings.push(Listing {
                child: a.child.clone(),
                source: Source::ActionsDue,
                listed_under: crate::model::cohort::ACTIONS_DUE.to_owned(),
                since: a.deadline,
                reason: format!("Action due {} ({}): {}", dmy(a.deadline), a.owner, a.text),
            });
        }
    }
    // The panel's routes are listed above whatever the preset's cohorts.
    let routes = PanelRoutes::default();
    store.for_each_child_record(|record| {
        for m in cohorts::memberships(&record, terms, day, &routes) {
            if m.cohort.is_panel_route() {
                continue;
            }
            listings.push(Listing {
                child: m.child,
                source: Source::Cohort(cohorts::priority(terms, m.cohort)),
                listed_under: m.cohort.id().to_owned(),
                since: m.since,
                reason: m.reason,
            });
        }
        Ok(())
    })?;
    let last_heard = store.last_heard_before(day)?;
    let plan = agenda::build(
        &listings,
        &last_heard,
        &store.agenda_choices(meeting.id)?,
        day,
        slots(terms, meeting),
        terms.agenda.rotation_months,
    );
    Ok((plan, item_types))
}

/// What the administrator asked of the agenda on one command line.
#[derive(Debug, Default)]
pub struct Changes {
    pub pin: Option<String>,
    pub unpin: Option<String>,
    pub add: Option<String>,
    pub remove: Option<String>,
    pub reason: Option<String>,
    pub move_to: Option<(String, usize)>,
    pub build: bool,
    pub publish: bool,
}

impl Changes {
    /// Whether anything is asked of the agenda (else it is only read).
    fn any(&self) -> bool {
        self.pin.is_some()
            || self.unpin.is_some()
            || self.add.is_some()
            || self.remove.is_some()
            || self.move_to.is_some()
            || self.build
            || self.publish
    }
}

/// Applies the changes in a sensible order: choices, build (rebuilt
/// automatically after a choice while unpublished), reorder, publish.
pub fn change(
    store: &mut Store,
    terms: &Terms,
    meeting: &Meeting,
    changes: Changes,
    at: chrono::NaiveDateTime,
) -> anyhow::Result<()> {
    // Approved minutes freeze the agenda: said before anything else.
    if changes.any() {
        store.refuse_agenda_change(meeting.id)?;
    }
    let published = store.agenda_published_at(meeting.id)?;
    if changes.build
        && let Some(on) = published
    {
        anyhow::bail!(
            "the agenda was published on {}; change it child by child (--add, --remove, --pin, --move)",
            on.format("%d/%m/%Y %H:%M")
        );
    }
    let needs_reason = |flag: &str| -> anyhow::Result<String> {
        match changes.reason.as_deref().map(str::trim) {
            Some(r) if !r.is_empty() => Ok(r.to_owned()),
            _ => anyhow::bail!("{flag} needs --reason: say why"),
        }
    };
    let mut chose = false;
    let mut choose = |store: &mut Store, child: &str, choice: AgendaChoice| -> anyhow::Result<()> {
        store.choose_on_agenda(meeting.id, child, &choice, at)?;
        chose = true;
        Ok(())
    };
    if let Some(child) = &changes.pin {
        choose(store, child, AgendaChoice::Pin)?;
    }
    if let Some(child) = &changes.unpin {
        choose(store, child, AgendaChoice::Unpin)?;
    }
    if let Some(child) = &changes.add {
        let reason = needs_reason("--add")?;
        choose(store, child, AgendaChoice::Add { reason })?;
    }
    if let Some(child) = &changes.remove {
        let reason = needs_reason("--remove")?;
        choose(store, child, AgendaChoice::Remove { reason })?;
    }
    if changes.build || (chose && published.is_none()) {
        let (plan, item_types) = build_typed(store, terms, meeting)?;
        store.set_agenda_plan_typed(meeting.id, &plan, &item_types, at)?;
    }
    if let Some((child, position)) = &changes.move_to {
        store.move_on_agenda(meeting.id, child, *position, at)?;
    }
    if changes.publish {
        store.publish_agenda(meeting.id, at)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MeetingStatus;
    use chrono::{NaiveDate, NaiveTime};

    fn meeting(start: (u32, u32), end: (u32, u32)) -> Meeting {
        Meeting {
            id: 1,
            date: NaiveDate::from_ymd_opt(2027, 1, 29).expect("a date"),
            start: NaiveTime::from_hms_opt(start.0, start.1, 0).expect("a time"),
            end: NaiveTime::from_hms_opt(end.0, end.1, 0).expect("a time"),
            status: MeetingStatus::Planned,
            current_item: None,
            cancel_reason: None,
        }
    }

    #[test]
    fn slots_come_from_the_time_unless_the_terms_cap_a_sitting() {
        let mut terms = Terms::load("wiltshire").expect("preset");
        let sitting = meeting((9, 30), (13, 0));
        let by_time = agenda::slots_between(sitting.start, sitting.end, terms.agenda.slot_minutes);
        assert!(by_time > 5, "{by_time}");
        assert_eq!(slots(&terms, &sitting), by_time);
        terms.agenda.max_children = Some(5);
        assert_eq!(slots(&terms, &sitting), 5);
        // A cap above what the time holds changes nothing.
        terms.agenda.max_children = Some(100);
        assert_eq!(slots(&terms, &sitting), by_time);
    }

    /// A Knowsley panel meeting on 17/11/2026, 15/12/2026 and 19/01/2027.
    fn knowsley() -> (Store, Terms, Vec<Meeting>) {
        let terms = Terms::load("knowsley").expect("preset");
        let mut store = Store::open_in_memory().expect("store");
        let (ten, one) = (
            NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
            NaiveTime::from_hms_opt(13, 0, 0).expect("time"),
        );
        let at = NaiveDate::from_ymd_opt(2026, 11, 1)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("a time");
        for (y, m, d) in [(2026, 11, 17), (2026, 12, 15), (2027, 1, 19)] {
            store
                .add_meeting(
                    NaiveDate::from_ymd_opt(y, m, d).expect("date"),
                    ten,
                    one,
                    at,
                )
                .expect("meeting");
        }
        let meetings = store.meetings().expect("meetings");
        (store, terms, meetings)
    }

    #[test]
    fn a_child_deferred_to_a_meeting_is_on_its_agenda_with_the_reason_and_the_item_type() {
        use crate::model::{Outcome, OutcomeRecord};
        let (mut store, terms, meetings) = knowsley();
        let (nov, jan) = (&meetings[0], &meetings[2]);
        let deferred = OutcomeRecord {
            item_type: "funding-request".into(),
            outcome: Outcome::Deferred,
            deferred_to: Some(jan.date),
            referred_to: None,
            reason: Some("The quote for the adaptations is awaited.".into()),
            commitment: None,
        };
        // Recorded three days after the meeting, as a CLI user may.
        let at = crate::rules::dates::add_days(nov.date, 3)
            .and_hms_opt(11, 0, 0)
            .expect("time");
        crate::usecase::decisions::record_with_outcome(
            &mut store,
            &terms,
            nov,
            "C9",
            "Deferred.",
            &deferred,
            at,
        )
        .expect("recorded");
        // Not on the meeting between: it was deferred past it.
        let (december, _) = build_typed(&store, &terms, &meetings[1]).expect("built");
        assert!(december.heard.iter().all(|i| i.child != "C9"));
        let (january, types) = build_typed(&store, &terms, jan).expect("built");
        let item = january
            .heard
            .iter()
            .find(|i| i.child == "C9")
            .expect("the deferred child is on the agenda");
        assert_eq!(item.listed_under, CohortId::CarriedOver.id());
        assert_eq!(
            item.reasons,
            vec!["Deferred from 17/11/2026: The quote for the adaptations is awaited.".to_owned()]
        );
        assert_eq!(types.get("C9").map(String::as_str), Some("funding-request"));
        // Saved with its type, which a decision there defaults to.
        store
            .set_agenda_plan_typed(jan.id, &january, &types, at)
            .expect("saved");
        let item = crate::usecase::decisions::item_type_for(&store, &terms, jan, "C9", None)
            .expect("type");
        assert_eq!(item.id, "funding-request");
        // Heard there, it is not listed again after.
        let heard = jan.date.and_hms_opt(11, 0, 0).expect("time");
        store
            .record_decision(jan.id, "C9", "Approved.", true, heard)
            .expect("heard");
        let later = store
            .add_meeting(
                NaiveDate::from_ymd_opt(2027, 2, 16).expect("date"),
                jan.start,
                jan.end,
                heard,
            )
            .expect("meeting");
        let february = store
            .meetings()
            .expect("meetings")
            .into_iter()
            .find(|m| m.id == later)
            .expect("found");
        let (plan, _) = build_typed(&store, &terms, &february).expect("built");
        assert!(
            plan.heard
                .iter()
                .chain(&plan.waiting)
                .all(|i| i.child != "C9")
        );
    }
}
