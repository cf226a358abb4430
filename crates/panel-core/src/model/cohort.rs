//! Cohort ids: stable names used in files, the database and the CLI
//! (see `shared/domain/rules.md`).

use super::codes::coded_enum;

coded_enum!(
    /// A cohort of the terms of reference, or one of the panel's own routes
    /// to the agenda.
    CohortId, "a cohort id" {
        // Telford & Wrekin, in priority order.
        NoParentalResponsibility = "no-parental-responsibility",
        PlacementOrder9m = "placement-order-9m",
        CareOrderLtfUnmatched = "care-order-ltf-unmatched",
        Foster12m = "foster-12m",
        Home12m = "home-12m",
        ExternalResidential12m = "external-residential-12m",
        // Wiltshire.
        TrackedFromThirdReview = "tracked-from-third-review",
        // The panel's own routes.
        Referral = "referral",
        CarriedOver = "carried-over",
    }
);

/// The panel's route for a child whose actions fall due by the meeting: an
/// agenda's `listed_under` beside the cohort ids.
pub const ACTIONS_DUE: &str = "actions-due";

/// How an agenda's `listed_under` reads in full: a cohort's (or route's)
/// title, never its id.
pub fn listed_under_title(id: &str) -> &str {
    match CohortId::parse(id) {
        Some(cohort) => cohort.title(),
        None if id == ACTIONS_DUE => "Actions due by this meeting",
        None => id,
    }
}

/// The same in a few words, for a list or a column heading.
pub fn listed_under_short(id: &str) -> &str {
    match CohortId::parse(id) {
        Some(cohort) => cohort.short_title(),
        None if id == ACTIONS_DUE => "Actions due",
        None => id,
    }
}

impl CohortId {
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

    /// Whether this is one of the panel's own routes to the agenda
    /// (referral, carried over) rather than a cohort the return decides.
    pub fn is_panel_route(self) -> bool {
        matches!(self, CohortId::Referral | CohortId::CarriedOver)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_reads_as_words_not_an_id() {
        assert_eq!(listed_under_short(ACTIONS_DUE), "Actions due");
        assert_eq!(
            listed_under_title(ACTIONS_DUE),
            "Actions due by this meeting"
        );
        assert_eq!(
            listed_under_short("foster-12m"),
            CohortId::Foster12m.short_title()
        );
        assert_eq!(
            listed_under_title("foster-12m"),
            CohortId::Foster12m.title()
        );
    }

    #[test]
    fn serde_names_match_ids() {
        for c in CohortId::ALL {
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.id()));
            assert_eq!(CohortId::parse(c.id()), Some(*c));
        }
    }
}
