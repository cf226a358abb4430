//! What a panel decided about an item, in the words panels use (issue 23):
//! the outcome beside the decision's text, whether a decision-maker must
//! still sign it off, and the money a decision commits.

use std::fmt;

use chrono::NaiveDate;

use crate::model::codes::coded_enum;

coded_enum!(
    /// The outcome of a decision, from the list its item type allows.
    Outcome, "an outcome" {
        /// The panel endorses the plan (tracking).
        Endorsed = "endorsed",
        NotEndorsed = "not-endorsed",
        /// The panel ratifies a decision made outside it (an emergency).
        Ratified = "ratified",
        NotRatified = "not-ratified",
        /// The panel recommends; a decision-maker decides.
        Recommended = "recommended",
        NotRecommended = "not-recommended",
        /// The panel approves (a funding request, where it holds the budget).
        Approved = "approved",
        Declined = "declined",
        /// Heard again at a named later meeting, for a reason.
        Deferred = "deferred",
        /// Sent to another body (named), for a reason.
        ReferredElsewhere = "referred-elsewhere",
        /// Heard and noted, nothing to decide.
        Noted = "noted",
    }
);

/// Which way an outcome goes, for counting and for what follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The plan or request goes ahead (or is recommended to).
    Positive,
    /// It does not.
    Negative,
    /// It is heard again at a later meeting.
    Deferral,
    /// It goes to another body.
    Referral,
    /// Nothing was decided.
    Neutral,
}

impl Outcome {
    /// The outcome in a sentence: "endorsed", "not endorsed", "deferred".
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Endorsed => "endorsed",
            Outcome::NotEndorsed => "not endorsed",
            Outcome::Ratified => "ratified",
            Outcome::NotRatified => "not ratified",
            Outcome::Recommended => "recommended",
            Outcome::NotRecommended => "not recommended",
            Outcome::Approved => "approved",
            Outcome::Declined => "declined",
            Outcome::Deferred => "deferred",
            Outcome::ReferredElsewhere => "referred elsewhere",
            Outcome::Noted => "noted",
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            Outcome::Endorsed | Outcome::Ratified | Outcome::Recommended | Outcome::Approved => {
                Direction::Positive
            }
            Outcome::NotEndorsed
            | Outcome::NotRatified
            | Outcome::NotRecommended
            | Outcome::Declined => Direction::Negative,
            Outcome::Deferred => Direction::Deferral,
            Outcome::ReferredElsewhere => Direction::Referral,
            Outcome::Noted => Direction::Neutral,
        }
    }

    /// Whether a decision with this outcome goes to the item type's
    /// decision-maker: a panel that only recommends recommends either
    /// way; a deferral, a referral elsewhere or a note decides nothing.
    pub fn awaits_sign_off(self, has_decision_maker: bool) -> bool {
        has_decision_maker && matches!(self.direction(), Direction::Positive | Direction::Negative)
    }
}

coded_enum!(
    /// What a decision-maker said of a panel's recommendation.
    SignOffOutcome, "a sign-off outcome" {
        Agree = "agree",
        Disagree = "disagree",
    }
);

coded_enum!(
    /// How often a financial commitment is paid.
    PaymentPeriod, "a payment period" {
        Weekly = "weekly",
        Monthly = "monthly",
        Annual = "annual",
        OneOff = "one-off",
    }
);

impl PaymentPeriod {
    /// "a week", "a month", "a year", "once".
    pub fn words(self) -> &'static str {
        match self {
            PaymentPeriod::Weekly => "a week",
            PaymentPeriod::Monthly => "a month",
            PaymentPeriod::Annual => "a year",
            PaymentPeriod::OneOff => "once",
        }
    }

    /// What `amount` paid this often costs over a year (52 weeks, as
    /// councils' fostering and SGO allowance schedules count); a one-off
    /// payment counts once.
    pub fn per_year(self, amount: Pence) -> Pence {
        let times: i64 = match self {
            PaymentPeriod::Weekly => 52,
            PaymentPeriod::Monthly => 12,
            PaymentPeriod::Annual | PaymentPeriod::OneOff => 1,
        };
        Pence(amount.0.saturating_mul(times))
    }
}

/// An amount of money in whole pence (never a float).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pence(pub i64);

/// The largest amount accepted: £100 million, far above any allowance or
/// placement a panel agrees, so a slip of the keyboard is caught.
const MOST_PENCE: i64 = 10_000_000_000;

impl Pence {
    /// Reads an amount as a person types it: "245.50", "£245.50",
    /// "£1,200", "1200". Pence after the point are two digits or none.
    pub fn parse(text: &str) -> Result<Pence, String> {
        let expected = || {
            format!(
                "'{}' is not an amount of money: pounds, optionally with pence, e.g. £245.50 or 1,200",
                text.trim()
            )
        };
        let t = text.trim();
        let t = t.strip_prefix('£').unwrap_or(t).trim();
        let (pounds, pence) = match t.split_once('.') {
            Some((p, q)) => (p, Some(q)),
            None => (t, None),
        };
        let pounds = pounds.replace(',', "");
        if pounds.is_empty() || !pounds.bytes().all(|b| b.is_ascii_digit()) {
            return Err(expected());
        }
        let pence = match pence {
            None => 0,
            Some(q) if q.len() == 2 && q.bytes().all(|b| b.is_ascii_digit()) => {
                q.parse::<i64>().map_err(|_| expected())?
            }
            Some(_) => return Err(expected()),
        };
        let total = pounds
            .parse::<i64>()
            .ok()
            .and_then(|p| p.checked_mul(100))
            .and_then(|p| p.checked_add(pence))
            .ok_or_else(expected)?;
        if total > MOST_PENCE {
            return Err(format!(
                "'{}' is more than £100,000,000: check the amount",
                text.trim()
            ));
        }
        Ok(Pence(total))
    }
}

impl fmt::Display for Pence {
    /// "£1,234.50", as a council's report writes money.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let pounds = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in pounds.chars().enumerate() {
            if i > 0 && (pounds.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}£{grouped}.{:02}", abs % 100)
    }
}

/// Money a decision commits: an allowance or a payment, how much, how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinancialCommitment {
    /// What is paid, in the council's words ("Special Guardianship allowance").
    pub allowance: String,
    pub amount: Pence,
    pub period: PaymentPeriod,
}

impl FinancialCommitment {
    /// "Special Guardianship allowance: £245.50 a week (£12,766.00 a year)".
    pub fn words(&self) -> String {
        match self.period {
            PaymentPeriod::OneOff => format!("{}: {} once", self.allowance, self.amount),
            period => format!(
                "{}: {} {} ({} a year)",
                self.allowance,
                self.amount,
                period.words(),
                period.per_year(self.amount)
            ),
        }
    }
}

/// A decision's outcome as the panel gives it, before it is stored:
/// checked against its item type by `ItemType::check_outcome`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeRecord {
    /// The item type's id (`tracking`, `funding-request`).
    pub item_type: String,
    pub outcome: Outcome,
    /// The later meeting a deferral goes to, by its date.
    pub deferred_to: Option<NaiveDate>,
    /// The body a referral elsewhere goes to ("the Fostering Panel").
    pub referred_to: Option<String>,
    /// Why the item was deferred or referred elsewhere.
    pub reason: Option<String>,
    /// The money a decision commits, on an item type that records it.
    pub commitment: Option<FinancialCommitment>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_people_type_them() {
        assert_eq!(Pence::parse("245.50"), Ok(Pence(24_550)));
        assert_eq!(Pence::parse(" £1,200 "), Ok(Pence(120_000)));
        assert_eq!(Pence::parse("£0.05"), Ok(Pence(5)));
        for bad in ["", "£", "12.5", "12.505", "-3", "1e4", "£12.ab", "12,00.0"] {
            assert!(Pence::parse(bad).is_err(), "{bad:?} was accepted");
        }
        let err = Pence::parse("twelve").unwrap_err();
        assert!(err.contains("'twelve' is not an amount of money"), "{err}");
        assert!(
            Pence::parse("100000000.01")
                .unwrap_err()
                .contains("check the amount")
        );
        assert!(Pence::parse("99999999999999999999").is_err());
    }

    #[test]
    fn money_is_written_with_pounds_grouped_and_two_pence_digits() {
        assert_eq!(Pence(5).to_string(), "£0.05");
        assert_eq!(Pence(24_550).to_string(), "£245.50");
        assert_eq!(Pence(123_456_789).to_string(), "£1,234,567.89");
        assert_eq!(Pence(-100_000).to_string(), "-£1,000.00");
    }

    #[test]
    fn a_weekly_allowance_costs_52_weeks_a_year_and_a_one_off_once() {
        let weekly = FinancialCommitment {
            allowance: "Special Guardianship allowance".into(),
            amount: Pence(24_550),
            period: PaymentPeriod::Weekly,
        };
        assert_eq!(
            weekly.words(),
            "Special Guardianship allowance: £245.50 a week (£12,766.00 a year)"
        );
        assert_eq!(PaymentPeriod::Monthly.per_year(Pence(1_000)), Pence(12_000));
        assert_eq!(PaymentPeriod::OneOff.per_year(Pence(1_000)), Pence(1_000));
    }

    #[test]
    fn only_a_decision_one_way_or_the_other_waits_for_a_decision_maker() {
        assert!(Outcome::Recommended.awaits_sign_off(true));
        assert!(Outcome::NotRecommended.awaits_sign_off(true));
        assert!(!Outcome::Recommended.awaits_sign_off(false));
        assert!(!Outcome::Deferred.awaits_sign_off(true));
        assert!(!Outcome::ReferredElsewhere.awaits_sign_off(true));
        assert!(!Outcome::Noted.awaits_sign_off(true));
        // Every outcome has words a chair reads, without hyphens.
        for o in Outcome::ALL {
            assert!(!o.words().contains('-'), "{o}");
        }
    }
}
