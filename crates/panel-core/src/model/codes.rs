//! SSDA903 code lists (see `shared/domain/ssda903.md` section 3).
//!
//! Codes are kept as enums so a typo can never reach the rules; every enum
//! parses case-insensitively after trimming and prints its DfE code back.

/// A value kept in files, the database and on the command line as a short
/// text: a DfE code (`C2`) or one of our ids (`long-term-fostering`). The
/// store reads every such column back through this one trait.
pub trait Code: Copy + Sized + 'static {
    /// What a message says was expected ("a legal status code").
    const WHAT: &'static str;
    /// The text kept for the value.
    fn code_text(self) -> &'static str;
    /// The value for a text, ignoring case and surrounding white space.
    fn from_code_text(text: &str) -> Option<Self>;
}

/// Defines every coded enum of the model, so a code or an id is spelled
/// once: its `ALL`, `EXPECTED` (for messages), `parse()` (any case, trimmed),
/// `Display` and `Code`. Two forms:
///
/// - the DfE's lists, `Variant = "CODE": "meaning"`: `code()` and `meaning()`;
/// - our own ids, `Variant = "kebab-id"` (cohorts, plans, statuses): `id()`,
///   and serde by id, as presets and files write them.
macro_rules! coded_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($variant:ident = $code:literal : $meaning:literal),+ $(,)? }) => {
        coded_enum!(@common [$(#[$doc])*] $name, $what, code, { $($variant = $code),+ });
        impl $name {
            /// The code's meaning, for a chair to read.
            pub fn meaning(self) -> &'static str {
                match self { $($name::$variant => $meaning),+ }
            }
        }
    };
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $id:literal),+ $(,)? }) => {
        coded_enum!(@common [$(#[$doc])*] $name, $what, id, { $($(#[$vdoc])* $variant = $id),+ });

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.id())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(d)?;
                $name::parse(&text).ok_or_else(|| {
                    <D::Error as serde::de::Error>::custom(format!(
                        "'{text}' is not {}",
                        $name::EXPECTED
                    ))
                })
            }
        }
    };
    (@common [$(#[$doc:meta])*] $name:ident, $what:literal, $text:ident, { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in the order of its list.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// What an error message says was expected.
            pub const EXPECTED: &'static str = concat!($what, " (one of", $(" ", $code),+, ")");

            /// The text kept in files, the database and on the command line
            /// (`C2`, `long-term-fostering`).
            pub fn $text(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses the text, ignoring case and surrounding white space.
            pub fn parse(text: &str) -> Option<Self> {
                let t = text.trim();
                $(if t.eq_ignore_ascii_case($code) { return Some($name::$variant); })+
                None
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.$text())
            }
        }

        impl $crate::model::codes::Code for $name {
            const WHAT: &'static str = $what;
            fn code_text(self) -> &'static str {
                self.$text()
            }
            fn from_code_text(text: &str) -> Option<Self> {
                $name::parse(text)
            }
        }
    };
}
pub(crate) use coded_enum;

coded_enum!(
    /// Legal status (`LS`).
    LegalStatus, "a legal status code" {
        C1 = "C1": "interim care order",
        C2 = "C2": "full care order",
        D1 = "D1": "freeing order granted",
        E1 = "E1": "placement order granted",
        V2 = "V2": "accommodated under section 20",
        V3 = "V3": "series of short-term breaks (episodes recorded)",
        V4 = "V4": "series of short-term breaks (agreements recorded)",
        L1 = "L1": "under police protection",
        L2 = "L2": "emergency protection order",
        L3 = "L3": "child assessment order",
        J1 = "J1": "remanded to local authority accommodation",
        J2 = "J2": "in local authority accommodation under PACE",
        J3 = "J3": "youth rehabilitation order with residence requirement",
    }
);

coded_enum!(
    /// Reason for new episode (`RNE`).
    Rne, "a reason for new episode code" {
        S = "S": "started to be looked after",
        L = "L": "change of legal status only",
        P = "P": "change of placement and carer(s)",
        T = "T": "change of placement, same carer(s)",
        U = "U": "change of legal status and placement, same carer(s)",
        B = "B": "change of legal status, placement and carer(s)",
    }
);

impl Rne {
    /// Whether the carers change at an episode starting for this reason
    /// (S, P and B; L, T and U keep the same carers).
    pub fn carers_change(self) -> bool {
        matches!(self, Rne::S | Rne::P | Rne::B)
    }
}

coded_enum!(
    /// Placement type (`PLACE`); every code that was ever valid is accepted.
    Place, "a placement code" {
        A3 = "A3": "placed for adoption with consent, with current foster carers",
        A4 = "A4": "placed for adoption with consent, not with current foster carers",
        A5 = "A5": "placed for adoption under a placement order, with current foster carers",
        A6 = "A6": "placed for adoption under a placement order, not with current foster carers",
        H5 = "H5": "semi-independent living",
        K1 = "K1": "secure children's home",
        K2 = "K2": "children's home",
        K3 = "K3": "registered supported accommodation",
        P1 = "P1": "placed with own parent(s)",
        P2 = "P2": "independent living",
        P3 = "P3": "residential employment",
        R1 = "R1": "residential care home",
        R2 = "R2": "NHS or other medical or nursing care",
        R3 = "R3": "family centre or mother and baby unit",
        R5 = "R5": "young offender institution",
        S1 = "S1": "residential school",
        T0 = "T0": "temporary move",
        T1 = "T1": "temporary period in hospital",
        T2 = "T2": "temporary absence on holiday",
        T3 = "T3": "temporary accommodation while foster carer on holiday",
        T4 = "T4": "temporary accommodation of 7 days or less",
        U1 = "U1": "foster placement with relative or friend, long-term",
        U2 = "U2": "foster placement with relative or friend who is an approved adopter",
        U3 = "U3": "foster placement with relative or friend",
        U4 = "U4": "foster placement with other foster carer, long-term",
        U5 = "U5": "foster placement with other foster carer who is an approved adopter",
        U6 = "U6": "foster placement with other foster carer",
        Z1 = "Z1": "other placement",
        Z11 = "Z11": "other placement (Z11)",
        Z12 = "Z12": "other placement (Z12)",
        Z13 = "Z13": "other placement (Z13)",
        Z14 = "Z14": "other placement (Z14)",
    }
);

coded_enum!(
    /// Placement provider (`PLACE_PROVIDER`).
    Provider, "a placement provider code" {
        PR0 = "PR0": "parent(s) or other person with parental responsibility",
        PR1 = "PR1": "the council's own provision",
        PR2 = "PR2": "another council's provision",
        PR3 = "PR3": "other public provision",
        PR4 = "PR4": "private provision",
        PR5 = "PR5": "voluntary or third sector provision",
    }
);

coded_enum!(
    /// Category of need (`CIN`).
    CategoryOfNeed, "a category of need code" {
        N1 = "N1": "abuse or neglect",
        N2 = "N2": "child's disability",
        N3 = "N3": "parental illness or disability",
        N4 = "N4": "family in acute stress",
        N5 = "N5": "family dysfunction",
        N6 = "N6": "socially unacceptable behaviour",
        N7 = "N7": "low income",
        N8 = "N8": "absent parenting",
    }
);

coded_enum!(
    /// Reason an episode ceased (`REC`), including historic E43/E44 and the
    /// LIIA artefact E99 that real stacked files carry.
    ReasonCeased, "a reason episode ceased code" {
        X1 = "X1": "episode ended, a new one started the same day",
        E11 = "E11": "adopted, application unopposed",
        E12 = "E12": "adopted, consent dispensed with",
        E13 = "E13": "left care to live with a person without parental responsibility",
        E14 = "E14": "accommodation on remand ended",
        E15 = "E15": "age assessment found the child to be 18 or over",
        E16 = "E16": "moved abroad",
        E17 = "E17": "aged 18 or over and stayed with current carers",
        E2 = "E2": "died",
        E3 = "E3": "care taken over by another local authority",
        E41 = "E41": "residence or child arrangements order granted",
        E43 = "E43": "special guardianship order to former foster carers (before 2019)",
        E44 = "E44": "special guardianship order to other carers (before 2019)",
        E45 = "E45": "special guardianship order to former foster carers, relatives or friends",
        E46 = "E46": "special guardianship order to former foster carers, not relatives or friends",
        E47 = "E47": "special guardianship order to other carers, relatives or friends",
        E48 = "E48": "special guardianship order to other carers, not relatives or friends",
        E4A = "E4A": "returned home as part of the care plan",
        E4B = "E4B": "returned home, not part of the care plan",
        E5 = "E5": "moved to independent living with formal support",
        E6 = "E6": "moved to independent living without formal support",
        E7 = "E7": "transferred to residential care funded by adult social care",
        E8 = "E8": "care ceased for another reason",
        E9 = "E9": "sentenced to custody",
        E99 = "E99": "episode closed by a data pipeline (not a DfE code)",
    }
);

coded_enum!(
    /// Participation in a looked after review (`REVIEW_CODE`).
    ReviewCode, "a review participation code" {
        PN0 = "PN0": "child under 4 at the review",
        PN1 = "PN1": "attends and speaks for themself",
        PN2 = "PN2": "attends; an advocate or the IRO speaks for them",
        PN3 = "PN3": "attends and conveys views non-verbally",
        PN4 = "PN4": "attends but does not contribute",
        PN5 = "PN5": "does not attend; briefs an advocate or the IRO",
        PN6 = "PN6": "does not attend; conveys views by another medium",
        PN7 = "PN7": "does not attend and views are not conveyed",
    }
);

coded_enum!(
    /// Reason a should-be-placed-for-adoption decision ceased.
    ReasonPlacedCeased, "a reason placed ceased code" {
        RD1 = "RD1": "the child's needs changed",
        RD2 = "RD2": "the court did not make a placement order",
        RD3 = "RD3": "prospective adopters could not be found",
        RD4 = "RD4": "any other reason",
    }
);

coded_enum!(
    /// Child's sex; the legacy 1/2 and the current M/F/U families are both
    /// accepted and stored as given.
    Sex, "a sex code" {
        Male = "M": "male",
        Female = "F": "female",
        Unknown = "U": "unknown",
        LegacyMale = "1": "male",
        LegacyFemale = "2": "female",
    }
);

impl Sex {
    /// The current (2024/25 onward) code for this sex.
    pub fn normalised(self) -> Sex {
        match self {
            Sex::LegacyMale => Sex::Male,
            Sex::LegacyFemale => Sex::Female,
            other => other,
        }
    }
}

coded_enum!(
    /// Ethnicity (`ETHNIC`).
    Ethnicity, "an ethnicity code" {
        Wbri = "WBRI": "White British",
        Wiri = "WIRI": "White Irish",
        Woth = "WOTH": "any other White background",
        Wirt = "WIRT": "Traveller of Irish heritage",
        Wrom = "WROM": "Gypsy/Roma",
        Mwbc = "MWBC": "White and Black Caribbean",
        Mwba = "MWBA": "White and Black African",
        Mwas = "MWAS": "White and Asian",
        Moth = "MOTH": "any other Mixed background",
        Aind = "AIND": "Indian",
        Apkn = "APKN": "Pakistani",
        Aban = "ABAN": "Bangladeshi",
        Aoth = "AOTH": "any other Asian background",
        Bcrb = "BCRB": "Caribbean",
        Bafr = "BAFR": "African",
        Both = "BOTH": "any other Black background",
        Chne = "CHNE": "Chinese",
        Ooth = "OOTH": "any other ethnic group",
        Refu = "REFU": "refused",
        Nobt = "NOBT": "not yet obtained",
    }
);

/// What a `REASON_PLACE_CHANGE` code says (why the placement of the episode
/// it sits on ended; ssda903.md §3.9), for the child's history. `None` for a
/// code outside the list, which the card then shows as given.
pub fn place_change_reason(code: &str) -> Option<&'static str> {
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "CARPL" => "change to or implementation of the care plan",
        "CLOSE" => "resignation or closure of provision",
        "ALLEG" => "allegation (s47)",
        "STAND" => "standards of care concern",
        "APPRR" => "approval removed",
        "CREQB" => "carer asked for it to end because of the child's behaviour",
        "CREQO" => "carer asked for it to end for other reasons",
        "CHILD" => "child asked for it to end",
        "LAREQ" => "responsible or area authority asked for it to end",
        "PLACE" => "change in the status of the placement only",
        "CUSTOD" => "custody arrangement",
        "OTHER" => "other",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_ignore_case() {
        for ls in LegalStatus::ALL {
            assert_eq!(LegalStatus::parse(ls.code()), Some(*ls));
            assert_eq!(LegalStatus::parse(&ls.code().to_lowercase()), Some(*ls));
        }
        assert_eq!(Place::parse(" u4 "), Some(Place::U4));
        assert_eq!(Place::parse("A1"), None);
        assert_eq!(Place::ALL.len(), 32);
        assert_eq!(LegalStatus::ALL.len(), 13);
    }

    #[test]
    fn carers_change_only_at_s_p_and_b() {
        let changing: Vec<_> = Rne::ALL.iter().filter(|r| r.carers_change()).collect();
        assert_eq!(changing, vec![&Rne::S, &Rne::P, &Rne::B]);
    }

    #[test]
    fn expected_lists_every_code() {
        assert!(
            Rne::EXPECTED.ends_with("(one of S L P T U B)"),
            "{}",
            Rne::EXPECTED
        );
    }

    /// Every id enum reads back what it writes, in any case, through the
    /// one `Code` trait the store uses, and through serde as the presets do.
    fn round_trips<T: Code + PartialEq + std::fmt::Debug + serde::de::DeserializeOwned>(all: &[T]) {
        for v in all {
            let text = v.code_text();
            assert_eq!(T::from_code_text(text), Some(*v), "{text}");
            assert_eq!(
                T::from_code_text(&format!(" {} ", text.to_uppercase())),
                Some(*v)
            );
            let json = format!("\"{text}\"");
            assert_eq!(serde_json::from_str::<T>(&json).expect("serde by id"), *v);
        }
        assert_eq!(T::from_code_text("no-such-id"), None);
    }

    #[test]
    fn id_enums_round_trip_through_code_and_serde() {
        use crate::model::{
            ActionStatus, AttendanceState, CohortId, MeetingStatus, MemberKind, PlanKind,
            ReferralStatus,
        };
        round_trips(&CohortId::ALL);
        round_trips(MemberKind::ALL);
        round_trips(AttendanceState::ALL);
        round_trips(MeetingStatus::ALL);
        round_trips(ActionStatus::ALL);
        round_trips(ReferralStatus::ALL);
        round_trips(PlanKind::ALL);
        round_trips(crate::rules::papers::PaperStatus::ALL);
        assert_eq!(
            PlanKind::EXPECTED,
            "a plan (one of return-home connected-person sgo cao long-term-fostering adoption residential independence undecided)"
        );
    }

    #[test]
    fn dfe_codes_go_through_the_same_trait() {
        assert_eq!(LegalStatus::from_code_text(" e1 "), Some(LegalStatus::E1));
        assert_eq!(Place::U4.code_text(), "U4");
        assert_eq!(<Place as Code>::WHAT, "a placement code");
    }
}
