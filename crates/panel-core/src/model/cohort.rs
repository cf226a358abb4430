//! Cohort ids: stable names used in files, the database and the CLI
//! (see `shared/domain/rules.md`). A cohort is defined in a preset's TOML
//! (`[[cohort]]`: its title, condition and "since"); its id is the name
//! the rest of the program keeps. Ids are interned so that a `CohortId`
//! stays `Copy` and compares as cheaply as the enum it replaced.

use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

/// A cohort of the terms of reference, or one of the panel's own routes
/// to the agenda (`referral`, `carried-over`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CohortId(&'static str);

/// The names a cohort is shown by: its title and a few words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Titles {
    title: &'static str,
    short_title: &'static str,
}

/// Every cohort id some preset read so far defines, with its titles; seeded
/// with the built-in presets' cohorts, so a title is known wherever an id
/// is shown (an agenda stored under a Wiltshire cohort, a route).
static KNOWN: LazyLock<RwLock<HashMap<&'static str, Titles>>> = LazyLock::new(|| {
    let mut known = HashMap::new();
    for (id, title, short_title) in crate::terms::bundled_cohort_titles() {
        known.insert(
            leak(id),
            Titles {
                title: leak(title),
                short_title: leak(short_title),
            },
        );
    }
    RwLock::new(known)
});

/// Interned text lives as long as the program: each distinct id or title a
/// preset defines is kept once (a handful per preset).
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

#[allow(non_upper_case_globals)]
impl CohortId {
    // The cohorts of the two presets the program was first written for,
    // named here because tests, the oracle and the reports refer to them.
    pub const NoParentalResponsibility: CohortId = CohortId("no-parental-responsibility");
    pub const PlacementOrder9m: CohortId = CohortId("placement-order-9m");
    pub const CareOrderLtfUnmatched: CohortId = CohortId("care-order-ltf-unmatched");
    pub const Foster12m: CohortId = CohortId("foster-12m");
    pub const Home12m: CohortId = CohortId("home-12m");
    pub const ExternalResidential12m: CohortId = CohortId("external-residential-12m");
    pub const TrackedFromThirdReview: CohortId = CohortId("tracked-from-third-review");
    // The panel's own routes: the agenda lists them whatever the preset.
    pub const Referral: CohortId = CohortId("referral");
    pub const CarriedOver: CohortId = CohortId("carried-over");

    /// The Telford and Wiltshire cohorts and the panel's routes.
    pub const ALL: [CohortId; 9] = [
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

    /// What an error message says was expected.
    pub const EXPECTED: &'static str = "a cohort id defined by a [[cohort]] of the terms";

    /// The text kept in files, the database and on the command line.
    pub fn id(self) -> &'static str {
        self.0
    }

    /// The same cohort, as `==`, but the address decides at once when both
    /// came from the interned table (every id a preset hands out): sorting
    /// 60,000 memberships by priority asks this millions of times.
    pub fn is(self, other: CohortId) -> bool {
        std::ptr::eq(self.0, other.0) || self.0 == other.0
    }

    /// The cohort a preset read so far (or a built-in one) defines under
    /// `text`, ignoring case and surrounding white space.
    pub fn parse(text: &str) -> Option<CohortId> {
        let t = text.trim().to_ascii_lowercase();
        let known = KNOWN.read().unwrap_or_else(|e| e.into_inner());
        known.get_key_value(t.as_str()).map(|(id, _)| CohortId(id))
    }

    /// Records a cohort a preset defines, with its titles, and returns its
    /// id. A later preset that titles the same id otherwise wins (the
    /// panel in use is the last one read).
    pub fn define(id: &str, title: &str, short_title: &str) -> CohortId {
        let id = id.trim().to_ascii_lowercase();
        let mut known = KNOWN.write().unwrap_or_else(|e| e.into_inner());
        let key = match known.get_key_value(id.as_str()) {
            Some((key, titles)) if titles.title == title && titles.short_title == short_title => {
                return CohortId(key);
            }
            Some((key, _)) => *key,
            None => leak(id),
        };
        known.insert(
            key,
            Titles {
                title: leak(title.to_owned()),
                short_title: leak(short_title.to_owned()),
            },
        );
        CohortId(key)
    }

    /// The id a preset's `[[cohort]]` defines, titled by its id until the
    /// preset's titles are recorded with [`CohortId::define`].
    pub fn define_id(id: &str) -> CohortId {
        let id = id.trim().to_ascii_lowercase();
        if let Some(known) = CohortId::parse(&id) {
            return known;
        }
        let mut known = KNOWN.write().unwrap_or_else(|e| e.into_inner());
        if let Some((key, _)) = known.get_key_value(id.as_str()) {
            return CohortId(key);
        }
        let key = leak(id);
        known.insert(
            key,
            Titles {
                title: key,
                short_title: key,
            },
        );
        CohortId(key)
    }

    fn titles(self) -> Option<Titles> {
        let known = KNOWN.read().unwrap_or_else(|e| e.into_inner());
        known.get(self.0).copied()
    }

    /// A short title for headings (the preset's `title`).
    pub fn title(self) -> &'static str {
        self.titles().map_or(self.0, |t| t.title)
    }

    /// A few words for a column heading or an agenda line, where the
    /// title is too long: the report's tables and chart legends put six of
    /// them side by side on an A4 page (the preset's `short_title`).
    pub fn short_title(self) -> &'static str {
        self.titles().map_or(self.0, |t| t.short_title)
    }

    /// Whether this is one of the panel's own routes to the agenda
    /// (referral, carried over) rather than a cohort the return decides.
    pub fn is_panel_route(self) -> bool {
        self == CohortId::Referral || self == CohortId::CarriedOver
    }
}

impl std::fmt::Display for CohortId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl crate::model::codes::Code for CohortId {
    const WHAT: &'static str = "a cohort id";
    fn code_text(self) -> &'static str {
        self.0
    }
    fn from_code_text(text: &str) -> Option<Self> {
        CohortId::parse(text)
    }
}

impl serde::Serialize for CohortId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for CohortId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        CohortId::parse(&text).ok_or_else(|| {
            <D::Error as serde::de::Error>::custom(format!(
                "'{text}' is not {}",
                CohortId::EXPECTED
            ))
        })
    }
}

/// The panel's route for a child whose actions fall due by the meeting: an
/// agenda's `listed_under` beside the cohort ids.
pub const ACTIONS_DUE: &str = "actions-due";

/// What a child added to an agenda by hand is listed under (the reason
/// typed goes with it).
pub const ADDED_BY_HAND: &str = "added";

/// How an agenda's `listed_under` reads in full: a cohort's (or route's)
/// title, never its id.
pub fn listed_under_title(id: &str) -> &str {
    match CohortId::parse(id) {
        Some(cohort) => cohort.title(),
        None if id == ACTIONS_DUE => "Actions due by this meeting",
        None if id == ADDED_BY_HAND => "Added to the agenda by hand",
        None => id,
    }
}

/// The same in a few words, for a list or a column heading.
pub fn listed_under_short(id: &str) -> &str {
    match CohortId::parse(id) {
        Some(cohort) => cohort.short_title(),
        None if id == ACTIONS_DUE => "Actions due",
        None if id == ADDED_BY_HAND => "Added by hand",
        None => id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_reads_as_words_not_an_id() {
        assert_eq!(listed_under_short(ACTIONS_DUE), "Actions due");
        assert_eq!(
            listed_under_title(ADDED_BY_HAND),
            "Added to the agenda by hand"
        );
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
    fn the_built_in_cohorts_are_titled_by_their_presets() {
        // No preset loaded in this test: the titles come from the TOML.
        assert_eq!(
            CohortId::Foster12m.title(),
            "With foster carers for longer than 12 months"
        );
        assert_eq!(CohortId::Referral.short_title(), "Referred");
        assert_eq!(CohortId::parse("no-such-cohort"), None);
    }

    #[test]
    fn a_cohort_a_preset_defines_is_known_by_its_titles() {
        let id = CohortId::define("test-under-5-no-plan", "Under 5, no plan", "Under 5");
        assert_eq!(CohortId::parse(" Test-Under-5-No-Plan "), Some(id));
        assert_eq!(id.title(), "Under 5, no plan");
        assert_eq!(listed_under_short("test-under-5-no-plan"), "Under 5");
        assert!(!id.is_panel_route());
        assert!(CohortId::CarriedOver.is_panel_route());
    }

    #[test]
    fn serde_names_match_ids() {
        for c in CohortId::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.id()));
            assert_eq!(CohortId::parse(c.id()), Some(c));
            assert_eq!(serde_json::from_str::<CohortId>(&json).unwrap(), c);
        }
    }
}
