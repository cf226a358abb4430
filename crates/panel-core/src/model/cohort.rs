//! Cohort ids: stable names used in files, the database and the CLI
//! (see `shared/domain/rules.md`).

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CohortId {
    // Telford & Wrekin, in priority order.
    NoParentalResponsibility,
    #[serde(rename = "placement-order-9m")]
    PlacementOrder9m,
    CareOrderLtfUnmatched,
    #[serde(rename = "foster-12m")]
    Foster12m,
    #[serde(rename = "home-12m")]
    Home12m,
    #[serde(rename = "external-residential-12m")]
    ExternalResidential12m,
    // Wiltshire.
    TrackedFromThirdReview,
    Referral,
    CarriedOver,
}

impl CohortId {
    pub const ALL: &'static [CohortId] = &[
        CohortId::NoParentalResponsibility,
        CohortId::PlacementOrder9m,
        CohortId::CareOrderLtfUnmatched,
        CohortId::Foster12m,
        CohortId::Home12m,
        CohortId::ExternalResidential12m,
        CohortId::TrackedFromThirdReview,
        CohortId::Referral,
        CohortId::CarriedOver,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CohortId::NoParentalResponsibility => "no-parental-responsibility",
            CohortId::PlacementOrder9m => "placement-order-9m",
            CohortId::CareOrderLtfUnmatched => "care-order-ltf-unmatched",
            CohortId::Foster12m => "foster-12m",
            CohortId::Home12m => "home-12m",
            CohortId::ExternalResidential12m => "external-residential-12m",
            CohortId::TrackedFromThirdReview => "tracked-from-third-review",
            CohortId::Referral => "referral",
            CohortId::CarriedOver => "carried-over",
        }
    }

    /// A short title for headings.
    pub fn title(self) -> &'static str {
        match self {
            CohortId::NoParentalResponsibility => "No person with parental responsibility",
            CohortId::PlacementOrder9m => "Placement order for longer than 9 months",
            CohortId::CareOrderLtfUnmatched => "Care order, long-term fostering plan, no match",
            CohortId::Foster12m => "With foster carers for longer than 12 months",
            CohortId::Home12m => "Placed at home for longer than 12 months",
            CohortId::ExternalResidential12m => {
                "External residential care for longer than 12 months"
            }
            CohortId::TrackedFromThirdReview => "Tracked from the third review",
            CohortId::Referral => "Referred to the panel",
            CohortId::CarriedOver => "Carried over from an earlier meeting",
        }
    }

    /// A few words for a column heading or an agenda line, where the
    /// title is too long: the report's tables and chart legends put six of
    /// them side by side on an A4 page, so words a reader outside the
    /// service knows, short enough to wrap between words; the report's key
    /// gives the full title and the id.
    pub fn short_title(self) -> &'static str {
        match self {
            CohortId::NoParentalResponsibility => "No person with PR",
            CohortId::PlacementOrder9m => "Placement order over 9 months",
            CohortId::CareOrderLtfUnmatched => "Long-term fostering, no match",
            CohortId::Foster12m => "Foster care over 12 months",
            CohortId::Home12m => "At home over 12 months",
            // PLACE K2 with PR4/PR5 (is_external_residential): children's homes.
            CohortId::ExternalResidential12m => "External children's home over 12 months",
            CohortId::TrackedFromThirdReview => "From the third review",
            CohortId::Referral => "Referred",
            CohortId::CarriedOver => "Carried over",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        CohortId::ALL
            .iter()
            .copied()
            .find(|c| c.id() == text.trim())
    }
}

impl fmt::Display for CohortId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_names_match_ids() {
        for c in CohortId::ALL {
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.id()));
            assert_eq!(CohortId::parse(c.id()), Some(*c));
        }
    }
}
