//! The kinds of item a panel hears (issue 23), from the preset's
//! `[[item_type]]`: a tracking review (what cohorts, carry-overs and
//! actions list), and what else the terms give the panel: Special
//! Guardianship and Child Arrangements Order applications and support
//! plans, long-term fostering matches, funding requests, ratifying an
//! emergency decision. Each type has its outcomes, its papers and, where
//! the panel only recommends, the decision-maker who decides.

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::model::{Outcome, OutcomeRecord};
use crate::rules::dates::dmy;

/// The item type every panel has: the permanence tracking review that
/// cohorts, carry-overs and actions due put on the agenda.
pub const TRACKING: &str = "tracking";

/// One kind of item the panel hears.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemType {
    /// Lower-case letters, digits and hyphens: `tracking`, `sgo-support-plan`.
    pub id: String,
    /// As the agenda and the minutes name it: "Special Guardianship support plan".
    pub title: String,
    /// The outcomes a decision on such an item may have, the first the
    /// one offered first.
    pub outcomes: Vec<Outcome>,
    /// The papers such an item needs; absent: the `[papers]` list.
    #[serde(default)]
    pub papers: Option<Vec<String>>,
    /// Who decides, where the panel only recommends (a job title:
    /// "Agency Decision Maker", "Head of Service"): the decision then waits
    /// for their sign-off.
    #[serde(default)]
    pub decided_by: Option<String>,
    /// Whether a decision records a financial commitment (an allowance,
    /// a payment), summed in the Budget Scrutiny report.
    #[serde(default)]
    pub financial: bool,
}

impl ItemType {
    /// The tracking review of a preset that names no item types: the
    /// outcomes a tracking panel records, decided by the panel itself.
    pub fn default_tracking() -> ItemType {
        ItemType {
            id: TRACKING.into(),
            title: "Permanence tracking review".into(),
            outcomes: vec![
                Outcome::Endorsed,
                Outcome::NotEndorsed,
                Outcome::Deferred,
                Outcome::ReferredElsewhere,
                Outcome::Noted,
            ],
            papers: None,
            decided_by: None,
            financial: false,
        }
    }

    /// Whether a decision with `outcome` waits for the decision-maker.
    pub fn awaits_sign_off(&self, outcome: Outcome) -> bool {
        outcome.awaits_sign_off(self.decided_by.is_some())
    }

    /// What is wrong with recording `record` on an item of this type heard
    /// at the meeting of `meeting`, if anything: the one check of an
    /// outcome, whoever records it. An outcome must be one the type
    /// allows; a deferral names a later meeting and a reason; a referral
    /// elsewhere names where and why; money only on a type that records
    /// it, with an outcome that commits it. The message names the type.
    pub fn check_outcome(&self, record: &OutcomeRecord, meeting: NaiveDate) -> Result<(), String> {
        let outcome = record.outcome;
        if !self.outcomes.contains(&outcome) {
            return Err(format!(
                "a {} cannot be {}: its outcomes are {}",
                self.title,
                outcome.words(),
                self.outcomes_in_words()
            ));
        }
        let given = |text: &Option<String>| text.as_deref().is_some_and(|t| !t.trim().is_empty());
        match outcome {
            Outcome::Deferred => {
                let Some(to) = record.deferred_to else {
                    return Err("a deferral names the later meeting the item is deferred to".into());
                };
                if to <= meeting {
                    return Err(format!(
                        "an item heard on {} is deferred to a later meeting, not {}",
                        dmy(meeting),
                        dmy(to)
                    ));
                }
                if !given(&record.reason) {
                    return Err("a deferral needs its reason".into());
                }
            }
            Outcome::ReferredElsewhere => {
                if !given(&record.referred_to) {
                    return Err("a referral elsewhere names where the item goes".into());
                }
                if !given(&record.reason) {
                    return Err("a referral elsewhere needs its reason".into());
                }
            }
            _ => {}
        }
        if outcome != Outcome::Deferred && record.deferred_to.is_some() {
            return Err(format!(
                "only a deferral names a meeting to defer to; the outcome is {}",
                outcome.words()
            ));
        }
        if outcome != Outcome::ReferredElsewhere && record.referred_to.is_some() {
            return Err(format!(
                "only a referral elsewhere names where the item goes; the outcome is {}",
                outcome.words()
            ));
        }
        if !matches!(outcome, Outcome::Deferred | Outcome::ReferredElsewhere)
            && record.reason.is_some()
        {
            return Err(format!(
                "a reason is recorded with a deferral or a referral elsewhere; the outcome is {} (put the panel's reasons in the decision's text)",
                outcome.words()
            ));
        }
        if record.commitment.is_some() {
            if !self.financial {
                return Err(format!(
                    "a {} records no money: an amount is recorded only on an item that commits it",
                    self.title
                ));
            }
            if outcome.direction() != crate::model::Direction::Positive {
                return Err(format!(
                    "money is recorded with an outcome that commits it; a {} that is {} commits none",
                    self.title,
                    outcome.words()
                ));
            }
        }
        Ok(())
    }

    /// The outcomes allowed, as a sentence's list: "endorsed, not endorsed
    /// or deferred".
    pub fn outcomes_in_words(&self) -> String {
        let words: Vec<&str> = self.outcomes.iter().map(|o| o.words()).collect();
        match words.split_last() {
            None => String::new(),
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        }
    }
}

/// The item types of a preset that gives none.
pub fn default_item_types() -> Vec<ItemType> {
    vec![ItemType::default_tracking()]
}

/// What is wrong with a preset's item types, if anything: an id that is
/// not lower-case letters, digits and hyphens or is given twice, a type
/// with no outcomes or an outcome twice, no `tracking` type, a blank title
/// or decision-maker. The message names the type.
pub fn check(types: &[ItemType]) -> Result<(), String> {
    for (i, t) in types.iter().enumerate() {
        if t.id.is_empty()
            || !t
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(format!(
                "item type '{}': an id is lower-case letters, digits and hyphens",
                t.id
            ));
        }
        if types[..i].iter().any(|u| u.id == t.id) {
            return Err(format!("the item type '{}' is defined twice", t.id));
        }
        if t.title.trim().is_empty() {
            return Err(format!("item type '{}': the title is empty", t.id));
        }
        if t.outcomes.is_empty() {
            return Err(format!(
                "item type '{}': give the outcomes its decisions may have",
                t.id
            ));
        }
        for (j, o) in t.outcomes.iter().enumerate() {
            if t.outcomes[..j].contains(o) {
                return Err(format!(
                    "item type '{}': the outcome '{o}' is listed twice",
                    t.id
                ));
            }
        }
        if t.decided_by.as_deref().is_some_and(|d| d.trim().is_empty()) {
            return Err(format!(
                "item type '{}': decided_by is empty (leave it out where the panel decides)",
                t.id
            ));
        }
    }
    if !types.iter().any(|t| t.id == TRACKING) {
        return Err(format!(
            "the item types must include '{TRACKING}', the review that cohorts, carry-overs and actions put on the agenda"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sgo() -> ItemType {
        ItemType {
            id: "sgo-support-plan".into(),
            title: "Special Guardianship support plan".into(),
            outcomes: vec![
                Outcome::Recommended,
                Outcome::NotRecommended,
                Outcome::Deferred,
            ],
            papers: Some(vec!["Support plan".into()]),
            decided_by: Some("Head of Service".into()),
            financial: true,
        }
    }

    #[test]
    fn a_recommendation_waits_for_the_decision_maker_and_a_deferral_does_not() {
        let t = sgo();
        assert!(t.awaits_sign_off(Outcome::Recommended));
        assert!(t.awaits_sign_off(Outcome::NotRecommended));
        assert!(!t.awaits_sign_off(Outcome::Deferred));
        assert!(!ItemType::default_tracking().awaits_sign_off(Outcome::Endorsed));
        assert_eq!(
            t.outcomes_in_words(),
            "recommended, not recommended or deferred"
        );
    }

    fn record(outcome: Outcome) -> OutcomeRecord {
        OutcomeRecord {
            item_type: "sgo-support-plan".into(),
            outcome,
            deferred_to: None,
            referred_to: None,
            reason: None,
            commitment: None,
        }
    }

    fn day(d: u32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("a date")
    }

    #[test]
    fn an_outcome_is_one_the_type_allows_and_the_message_lists_them() {
        let heard = day(17, 11);
        assert_eq!(
            sgo().check_outcome(&record(Outcome::Recommended), heard),
            Ok(())
        );
        let err = sgo()
            .check_outcome(&record(Outcome::Endorsed), heard)
            .unwrap_err();
        assert_eq!(
            err,
            "a Special Guardianship support plan cannot be endorsed: its outcomes are recommended, not recommended or deferred"
        );
    }

    #[test]
    fn a_deferral_needs_a_later_meeting_and_a_reason() {
        let heard = day(17, 11);
        let mut deferred = record(Outcome::Deferred);
        let err = sgo().check_outcome(&deferred, heard).unwrap_err();
        assert!(err.contains("names the later meeting"), "{err}");
        deferred.deferred_to = Some(heard);
        let err = sgo().check_outcome(&deferred, heard).unwrap_err();
        assert!(
            err.contains("deferred to a later meeting, not 17/11/2026"),
            "{err}"
        );
        deferred.deferred_to = Some(day(15, 12));
        let err = sgo().check_outcome(&deferred, heard).unwrap_err();
        assert!(err.contains("needs its reason"), "{err}");
        deferred.reason = Some("  ".into());
        assert!(sgo().check_outcome(&deferred, heard).is_err());
        deferred.reason = Some("The assessment is not finished.".into());
        assert_eq!(sgo().check_outcome(&deferred, heard), Ok(()));
        // A date to defer to on another outcome is a slip, not ignored.
        let mut endorsed = record(Outcome::Recommended);
        endorsed.deferred_to = Some(day(15, 12));
        let err = sgo().check_outcome(&endorsed, heard).unwrap_err();
        assert!(err.contains("only a deferral"), "{err}");
    }

    #[test]
    fn a_referral_elsewhere_names_where_and_why() {
        let heard = day(17, 11);
        let tracking = ItemType::default_tracking();
        let mut referred = record(Outcome::ReferredElsewhere);
        referred.item_type = TRACKING.into();
        let err = tracking.check_outcome(&referred, heard).unwrap_err();
        assert!(err.contains("names where"), "{err}");
        referred.referred_to = Some("the Fostering Panel".into());
        let err = tracking.check_outcome(&referred, heard).unwrap_err();
        assert!(err.contains("needs its reason"), "{err}");
        referred.reason = Some("A long-term match is proposed.".into());
        assert_eq!(tracking.check_outcome(&referred, heard), Ok(()));
    }

    #[test]
    fn money_only_on_a_financial_type_with_an_outcome_that_commits_it() {
        use crate::model::{FinancialCommitment, PaymentPeriod, Pence};
        let heard = day(17, 11);
        let money = FinancialCommitment {
            allowance: "Special Guardianship allowance".into(),
            amount: Pence(24_550),
            period: PaymentPeriod::Weekly,
        };
        let mut recommended = record(Outcome::Recommended);
        recommended.commitment = Some(money.clone());
        assert_eq!(sgo().check_outcome(&recommended, heard), Ok(()));
        let mut tracking_money = record(Outcome::Endorsed);
        tracking_money.item_type = TRACKING.into();
        tracking_money.commitment = Some(money.clone());
        let err = ItemType::default_tracking()
            .check_outcome(&tracking_money, heard)
            .unwrap_err();
        assert!(
            err.contains("Permanence tracking review records no money"),
            "{err}"
        );
        let mut refused = record(Outcome::NotRecommended);
        refused.commitment = Some(money);
        let err = sgo().check_outcome(&refused, heard).unwrap_err();
        assert!(err.contains("not recommended commits none"), "{err}");
    }

    #[test]
    fn each_item_type_has_its_papers_and_tracking_the_terms_list() {
        let terms = crate::terms::Terms::load("knowsley").expect("preset");
        assert_eq!(
            terms.papers_for_type("sgo-cao-support-plan"),
            ["Special Guardianship assessment report", "Support plan"]
        );
        assert_eq!(
            terms.papers_for_type("funding-request"),
            ["Funding request"]
        );
        assert_eq!(
            terms.papers_for_type(TRACKING),
            terms.papers.required.as_slice()
        );
        assert!(!terms.papers.required.is_empty());
        // A type the terms no longer name falls back to the terms' list.
        assert_eq!(
            terms.papers_for_type("gone"),
            terms.papers.required.as_slice()
        );
    }

    #[test]
    fn the_checks_name_the_type_and_what_is_wrong() {
        assert_eq!(check(&default_item_types()), Ok(()));
        assert_eq!(check(&[ItemType::default_tracking(), sgo()]), Ok(()));
        let err = check(&[sgo()]).unwrap_err();
        assert!(err.contains("must include 'tracking'"), "{err}");
        let err = check(&[ItemType::default_tracking(), sgo(), sgo()]).unwrap_err();
        assert!(err.contains("'sgo-support-plan' is defined twice"), "{err}");
        let mut bad = sgo();
        bad.outcomes.clear();
        let err = check(&[ItemType::default_tracking(), bad]).unwrap_err();
        assert!(err.contains("give the outcomes"), "{err}");
        let mut bad = sgo();
        bad.outcomes.push(Outcome::Deferred);
        let err = check(&[ItemType::default_tracking(), bad]).unwrap_err();
        assert!(err.contains("'deferred' is listed twice"), "{err}");
        let mut bad = sgo();
        bad.id = "SGO plan".into();
        let err = check(&[ItemType::default_tracking(), bad]).unwrap_err();
        assert!(err.contains("lower-case letters"), "{err}");
        let mut bad = sgo();
        bad.decided_by = Some(" ".into());
        let err = check(&[ItemType::default_tracking(), bad]).unwrap_err();
        assert!(err.contains("decided_by is empty"), "{err}");
    }
}
