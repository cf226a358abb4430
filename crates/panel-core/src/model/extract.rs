//! The SSDA903 tables the panel reads, and the panel's own plan facts
//! (`plans.csv`, see `shared/domain/rules.md`).

use crate::model::codes::coded_enum;
use chrono::NaiveDate;

use super::codes::*;

/// A child's id as the council's return gives it. Kept as text: leading
/// zeros matter.
pub type ChildId = String;

/// One `Header` row.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Child {
    pub id: ChildId,
    pub sex: Sex,
    pub dob: NaiveDate,
    pub ethnic: Ethnicity,
    pub upn: Option<String>,
    pub mother: Option<bool>,
    pub mc_dob: Option<NaiveDate>,
}

/// One `Episodes` row: a spell with one legal status, placement and carers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Episode {
    pub child: ChildId,
    pub decom: NaiveDate,
    pub rne: Rne,
    pub ls: LegalStatus,
    /// `None` when the return's code could not be read: the rules never
    /// read it, so the import kept the episode and warned (rules.md).
    pub cin: Option<CategoryOfNeed>,
    pub place: Place,
    pub place_provider: Option<Provider>,
    /// Blank while the episode is still open.
    pub dec: Option<NaiveDate>,
    pub rec: Option<ReasonCeased>,
    pub reason_place_change: Option<String>,
    pub home_post: Option<String>,
    pub pl_post: Option<String>,
    pub urn: Option<String>,
}

/// One `Reviews` row: a looked after review.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Review {
    pub child: ChildId,
    pub review: NaiveDate,
    /// `None` when the return's code could not be read: the rules never
    /// read it, so the import kept the review and warned (rules.md).
    pub review_code: Option<ReviewCode>,
}

/// One `PlacedAdoption` row: a decision that the child should be placed for
/// adoption, and its reversal if any.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlacedAdoption {
    pub child: ChildId,
    pub date_placed: NaiveDate,
    pub date_placed_ceased: Option<NaiveDate>,
    pub reason_placed_ceased: Option<ReasonPlacedCeased>,
}

coded_enum!(
    /// The permanence plan the panel records (`PLAN` in `plans.csv`).
    PlanKind, "a plan" {
        ReturnHome = "return-home",
        ConnectedPerson = "connected-person",
        Sgo = "sgo",
        Cao = "cao",
        LongTermFostering = "long-term-fostering",
        Adoption = "adoption",
        Residential = "residential",
        Independence = "independence",
        Undecided = "undecided",
    }
);

impl PlanKind {
    /// How a chair would say it.
    pub fn label(self) -> &'static str {
        match self {
            PlanKind::ReturnHome => "return home",
            PlanKind::ConnectedPerson => "connected-person carer",
            PlanKind::Sgo => "special guardianship order",
            PlanKind::Cao => "child arrangements order",
            PlanKind::LongTermFostering => "long-term fostering",
            PlanKind::Adoption => "adoption",
            PlanKind::Residential => "residential care",
            PlanKind::Independence => "independence",
            PlanKind::Undecided => "undecided",
        }
    }
}

/// The panel's facts about one child (one `plans.csv` row).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlanFacts {
    pub child: ChildId,
    pub plan: Option<PlanKind>,
    /// The contingency plan agreed with the plan (`CONTINGENCY_PLAN`,
    /// optional): agreed on the plan's date.
    pub contingency: Option<PlanKind>,
    pub plan_agreed: Option<NaiveDate>,
    pub match_agreed: Option<NaiveDate>,
    pub no_pr: bool,
    pub potential_sgo: bool,
    pub achieved: Option<NaiveDate>,
}

/// Everything the rules need to know about one child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildRecord {
    pub child: Child,
    /// Sorted by `decom`.
    pub episodes: Vec<Episode>,
    /// Sorted by date.
    pub reviews: Vec<Review>,
    pub placed_adoption: Vec<PlacedAdoption>,
    pub plan: Option<PlanFacts>,
}
