//! The kinds of item a panel hears (issue 23), from the preset's
//! `[[item_type]]`: a tracking review (what cohorts, carry-overs and
//! actions list), and what else the terms give the panel: Special
//! Guardianship and Child Arrangements Order applications and support
//! plans, long-term fostering matches, funding requests, ratifying an
//! emergency decision. Each type has its outcomes, its papers and, where
//! the panel only recommends, the decision-maker who decides.

use serde::{Deserialize, Serialize};

use crate::model::Outcome;

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
