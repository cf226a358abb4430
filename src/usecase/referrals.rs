//! Referrals: a social worker's referral of a child, supported by their
//! Team Manager (roles and initials only, as the terms ask), and the
//! chair's acceptance for a meeting or refusal with a reason. `referrals
//! add/accept/decline` and the app's Referrals screen both come here, so a
//! referral is checked one way.

use chrono::{NaiveDate, NaiveDateTime};

use crate::model::{Id, ReferralStatus};
use crate::store::{NewReferral, Store};

/// A part of a referral that can be wrong, so each front end can name it
/// in its own words (a flag on the command line, a field on screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Child,
    ReferrerInitials,
    SupporterInitials,
    Reason,
}

impl Field {
    /// The command line's name for it.
    pub fn flag(self) -> &'static str {
        match self {
            Field::Child => "--child",
            Field::ReferrerInitials => "--referrer-initials",
            Field::SupporterInitials => "--supporter-initials",
            Field::Reason => "--reason",
        }
    }

    /// The screen's name for it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Child => "Child",
            Field::ReferrerInitials => "Referrer's initials",
            Field::SupporterInitials => "Team Manager's initials",
            Field::Reason => "Reason",
        }
    }
}

/// What is wrong with a referral, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: Field,
    /// What was found and what was expected, without the field's name.
    pub problem: String,
}

impl Invalid {
    /// "--reason: say why the child is referred"
    pub fn on_command_line(&self) -> String {
        format!("{}: {}", self.field.flag(), self.problem)
    }

    /// "Reason: say why the child is referred"
    pub fn on_screen(&self) -> String {
        format!("{}: {}", self.field.label(), self.problem)
    }
}

/// Initials, not names: the referral is minuted and may be projected.
pub fn initials_ok(text: &str) -> bool {
    (1..=4).contains(&text.chars().count()) && text.chars().all(|c| c.is_ascii_uppercase())
}

/// Checks a referral before it is recorded: a child, the referrer's and
/// the Team Manager's initials, and a reason. Text is trimmed.
pub fn check(mut referral: NewReferral) -> Result<NewReferral, Invalid> {
    referral.child = referral.child.trim().to_owned();
    referral.reason = referral.reason.trim().to_owned();
    if referral.child.is_empty() {
        return Err(Invalid {
            field: Field::Child,
            problem: "say which child is referred (their id)".into(),
        });
    }
    for (field, value) in [
        (Field::ReferrerInitials, &referral.referrer_initials),
        (Field::SupporterInitials, &referral.supporter_initials),
    ] {
        if !initials_ok(value) {
            return Err(Invalid {
                field,
                problem: format!(
                    "found '{value}', expected initials (1 to 4 capital letters, e.g. JS)"
                ),
            });
        }
    }
    if referral.reason.is_empty() {
        return Err(Invalid {
            field: Field::Reason,
            problem: "say why the child is referred".into(),
        });
    }
    Ok(referral)
}

/// Records a checked referral (open: the chair accepts or declines it).
pub fn add(store: &mut Store, referral: NewReferral, at: NaiveDateTime) -> anyhow::Result<Id> {
    add_of_type(store, referral, crate::terms::items::TRACKING, at)
}

/// Records a referral asking the panel to hear an item of `item_type` (an
/// id the caller has checked against the terms).
pub fn add_of_type(
    store: &mut Store,
    referral: NewReferral,
    item_type: &str,
    at: NaiveDateTime,
) -> anyhow::Result<Id> {
    let referral = check(referral).map_err(|e| anyhow::anyhow!(e.on_command_line()))?;
    Ok(store.add_referral_of_type(&referral, item_type, at)?)
}

/// Accepts a referral; with a meeting, for that meeting (the child is
/// listed when its agenda is built), else for the meeting asked for or the
/// next one.
pub fn accept(
    store: &mut Store,
    id: Id,
    meeting: Option<NaiveDate>,
    at: NaiveDateTime,
) -> anyhow::Result<()> {
    if let Some(day) = meeting {
        if store.meeting_on(day)?.is_none() {
            anyhow::bail!("there is no meeting on {}", crate::rules::dates::dmy(day));
        }
        let asked = store
            .referrals()?
            .into_iter()
            .find(|r| r.id == id)
            .and_then(|r| r.meeting_asked);
        if asked != Some(day) {
            store.set_referral_meeting(id, day, at)?;
        }
    }
    store.decide_referral(id, ReferralStatus::Accepted, None, at)?;
    Ok(())
}

/// Declines a referral with the reason (required).
pub fn decline(store: &mut Store, id: Id, reason: &str, at: NaiveDateTime) -> anyhow::Result<()> {
    store.decide_referral(id, ReferralStatus::Declined, Some(reason), at)?;
    Ok(())
}

/// The open referrals, oldest first.
pub fn open(store: &Store) -> anyhow::Result<Vec<crate::model::Referral>> {
    Ok(store
        .referrals()?
        .into_iter()
        .filter(|r| r.status == ReferralStatus::Open)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 4)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("a time")
    }

    fn draft() -> NewReferral {
        NewReferral {
            child: " C000101 ".into(),
            made_on: at().date(),
            referrer_role: "social worker".into(),
            referrer_initials: "JS".into(),
            supporter_role: "team manager".into(),
            supporter_initials: "AB".into(),
            reason: " Permanence plan needs agreeing ".into(),
            meeting_asked: None,
        }
    }

    #[test]
    fn a_referral_needs_a_child_initials_and_a_reason() {
        let ok = check(draft()).expect("a good referral");
        assert_eq!(
            (ok.child.as_str(), ok.reason.as_str()),
            ("C000101", "Permanence plan needs agreeing")
        );
        let wrong = |change: fn(&mut NewReferral)| {
            let mut d = draft();
            change(&mut d);
            check(d).unwrap_err()
        };
        let e = wrong(|d| d.supporter_initials = "Ann Bee".into());
        assert_eq!(e.field, Field::SupporterInitials);
        assert_eq!(
            e.on_screen(),
            "Team Manager's initials: found 'Ann Bee', expected initials (1 to 4 capital letters, e.g. JS)"
        );
        assert_eq!(
            wrong(|d| d.supporter_initials.clear()).field,
            Field::SupporterInitials
        );
        assert_eq!(
            wrong(|d| d.referrer_initials = "js".into()).field,
            Field::ReferrerInitials
        );
        assert_eq!(
            wrong(|d| d.reason = "  ".into()).on_command_line(),
            "--reason: say why the child is referred"
        );
        assert_eq!(wrong(|d| d.child = " ".into()).field, Field::Child);
    }

    #[test]
    fn accepting_for_a_meeting_sets_the_meeting_and_declining_needs_a_reason() {
        let mut store = Store::open_in_memory().expect("store");
        let day = NaiveDate::from_ymd_opt(2027, 1, 29).expect("a date");
        let time = |h| chrono::NaiveTime::from_hms_opt(h, 0, 0).expect("a time");
        store
            .add_meeting(day, time(9), time(13), at())
            .expect("meeting");
        let first = add(&mut store, draft(), at()).expect("added");
        let second = add(&mut store, draft(), at()).expect("added");
        assert_eq!(open(&store).expect("open").len(), 2);
        let elsewhere = accept(
            &mut store,
            first,
            Some(day.succ_opt().expect("a day")),
            at(),
        )
        .unwrap_err();
        assert!(
            elsewhere.to_string().contains("no meeting on 30/01/2027"),
            "{elsewhere}"
        );
        accept(&mut store, first, Some(day), at()).expect("accepted");
        assert!(decline(&mut store, second, " ", at()).is_err());
        decline(&mut store, second, "Not a permanence matter", at()).expect("declined");
        let held = store.referrals().expect("referrals");
        assert_eq!(held[0].status, ReferralStatus::Accepted);
        assert_eq!(held[0].meeting_asked, Some(day));
        assert_eq!(held[1].status, ReferralStatus::Declined);
        assert!(open(&store).expect("open").is_empty());
    }
}
