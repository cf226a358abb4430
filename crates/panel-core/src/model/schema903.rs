//! The SSDA903 return's tables and columns (`shared/domain/ssda903.md`
//! sections 1 and 2): one list read by the importer, the generator, the
//! validator test and the docs. The DfE changes the return every year; this
//! is the one place to change with it. Pure data: no I/O.

/// Every table of the DfE's SSDA903 return, in the order of ssda903.md
/// section 1. The order is also the order an import loads them: `Header`
/// first, so every other table can check that its children exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table903 {
    Header,
    Episodes,
    Reviews,
    PlacedAdoption,
    Uasc,
    Oc2,
    Oc3,
    Ad1,
    PrevPerm,
    Missing,
    SwEpisodes,
    DoLo,
}

/// What the panel does with a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableUse {
    /// Read by the rules (cohorts, timetable, flags).
    Rules,
    /// Stored and shown (card, reports), not read by the rules.
    Shown,
    /// Recognised and left out: nothing a panel needs.
    LeftOut,
}

impl Table903 {
    pub const ALL: [Table903; 12] = [
        Table903::Header,
        Table903::Episodes,
        Table903::Reviews,
        Table903::PlacedAdoption,
        Table903::Uasc,
        Table903::Oc2,
        Table903::Oc3,
        Table903::Ad1,
        Table903::PrevPerm,
        Table903::Missing,
        Table903::SwEpisodes,
        Table903::DoLo,
    ];

    /// The DfE's name for the table (and the CSV validators' file type).
    pub fn name(self) -> &'static str {
        match self {
            Table903::Header => "Header",
            Table903::Episodes => "Episodes",
            Table903::Reviews => "Reviews",
            Table903::PlacedAdoption => "PlacedAdoption",
            Table903::Uasc => "UASC",
            Table903::Oc2 => "OC2",
            Table903::Oc3 => "OC3",
            Table903::Ad1 => "AD1",
            Table903::PrevPerm => "PrevPerm",
            Table903::Missing => "Missing",
            Table903::SwEpisodes => "SWEpisodes",
            Table903::DoLo => "DoLo",
        }
    }

    /// Looks a table up by its name, ignoring case.
    pub fn from_name(name: &str) -> Option<Table903> {
        let name = name.trim();
        Table903::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name))
    }

    /// The CSV columns, in the DfE's order (the validator's
    /// `lac_validator/config.py`; ssda903.md sections 1 and 2).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table903::Header => &["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
            Table903::Episodes => &[
                "CHILD",
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "REASON_PLACE_CHANGE",
                "HOME_POST",
                "PL_POST",
                "URN",
            ],
            Table903::Reviews => &["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
            Table903::PlacedAdoption => &[
                "CHILD",
                "DOB",
                "DATE_PLACED",
                "DATE_PLACED_CEASED",
                "REASON_PLACED_CEASED",
            ],
            Table903::Uasc => &["CHILD", "SEX", "DOB", "DUC"],
            Table903::Oc2 => &[
                "CHILD",
                "DOB",
                "SDQ_SCORE",
                "SDQ_REASON",
                "CONVICTED",
                "HEALTH_CHECK",
                "IMMUNISATIONS",
                "TEETH_CHECK",
                "HEALTH_ASSESSMENT",
                "SUBSTANCE_MISUSE",
                "INTERVENTION_RECEIVED",
                "INTERVENTION_OFFERED",
            ],
            Table903::Oc3 => &["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
            Table903::Ad1 => &[
                "CHILD",
                "DOB",
                "DATE_INT",
                "DATE_MATCH",
                "FOSTER_CARE",
                "NB_ADOPTR",
                "SEX_ADOPTR",
                "LS_ADOPTR",
            ],
            Table903::PrevPerm => &["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
            Table903::Missing => &["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
            Table903::SwEpisodes => &["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
            Table903::DoLo => &["CHILD", "DOB", "DOLO_START", "DOLO_END"],
        }
    }

    /// The columns the rules need (rules.md "Children held back"): a bad
    /// value there holds the child back, and a file without one of them is
    /// refused. Any other column's bad value is a warning.
    pub fn needed(self) -> &'static [&'static str] {
        match self {
            Table903::Header => &["CHILD", "DOB"],
            Table903::Episodes => &[
                "CHILD",
                "DECOM",
                "DEC",
                "RNE",
                "LS",
                "PLACE",
                "PLACE_PROVIDER",
            ],
            Table903::Reviews => &["CHILD", "REVIEW"],
            Table903::PlacedAdoption => &["CHILD", "DATE_PLACED"],
            Table903::Ad1 => &["CHILD", "DATE_INT", "DATE_MATCH"],
            // Shown on the card, not read by the rules: the child id is all
            // a row cannot do without.
            Table903::Uasc | Table903::PrevPerm | Table903::Missing | Table903::SwEpisodes => {
                &["CHILD"]
            }
            Table903::Oc2 | Table903::Oc3 | Table903::DoLo => &[],
        }
    }

    /// Whether the rules need `column` of this table.
    pub fn is_needed(self, column: &str) -> bool {
        self.needed().iter().any(|c| c.eq_ignore_ascii_case(column))
    }

    pub fn role(self) -> TableUse {
        match self {
            Table903::Header
            | Table903::Episodes
            | Table903::Reviews
            | Table903::PlacedAdoption => TableUse::Rules,
            Table903::Uasc
            | Table903::Ad1
            | Table903::PrevPerm
            | Table903::Missing
            | Table903::SwEpisodes => TableUse::Shown,
            Table903::Oc2 | Table903::Oc3 | Table903::DoLo => TableUse::LeftOut,
        }
    }

    /// At most one row per child in one return (INT31, INT33–36).
    pub fn one_row_per_child(self) -> bool {
        matches!(
            self,
            Table903::Header
                | Table903::Uasc
                | Table903::Oc2
                | Table903::Oc3
                | Table903::Ad1
                | Table903::PrevPerm
        )
    }

    /// The columns that tell this table from the others by its header row:
    /// every column but the shared `CHILD`, `DOB` and `SEX` (`SEX` is in
    /// both Header and UASC).
    pub fn own_columns(self) -> impl Iterator<Item = &'static str> {
        self.columns()
            .iter()
            .copied()
            .filter(|c| !matches!(*c, "CHILD" | "DOB" | "SEX"))
    }

    /// The file name the generator writes the table to.
    pub const fn file_name(self) -> &'static str {
        match self {
            Table903::Header => "header.csv",
            Table903::Episodes => "episodes.csv",
            Table903::Reviews => "reviews.csv",
            Table903::PlacedAdoption => "placed_for_adoption.csv",
            Table903::Uasc => "uasc.csv",
            Table903::Oc2 => "oc2.csv",
            Table903::Oc3 => "oc3.csv",
            Table903::Ad1 => "ad1.csv",
            Table903::PrevPerm => "prev_perm.csv",
            Table903::Missing => "missing.csv",
            Table903::SwEpisodes => "sw_episodes.csv",
            Table903::DoLo => "dolo.csv",
        }
    }

    /// The names of every table, for a message naming the known ones.
    pub fn known_names() -> String {
        Table903::ALL.map(Table903::name).join(", ")
    }
}

/// The element holding a column in the XML return (ssda903.md 5.1): the
/// same as the CSV column but for these two.
pub fn xml_tag(column: &'static str) -> &'static str {
    match column {
        "CHILD" => "CHILDID",
        "PLACE" => "PL",
        other => other,
    }
}

/// `plans.csv`, the panel's own table (rules.md "Inputs"): not part of the
/// return, but written and read next to it.
pub const PLAN_COLUMNS: &[&str] = &[
    "CHILD",
    "PLAN",
    "PLAN_AGREED",
    "MATCH_AGREED",
    "NO_PR",
    "POTENTIAL_SGO",
    "ACHIEVED",
    "CONTINGENCY_PLAN",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_told_apart_by_a_column_of_its_own() {
        for a in Table903::ALL {
            let own: Vec<_> = a.own_columns().collect();
            assert!(!own.is_empty(), "{} has no column of its own", a.name());
            for b in Table903::ALL.into_iter().filter(|b| *b != a) {
                let shared: Vec<_> = own
                    .iter()
                    .filter(|c| b.columns().contains(c))
                    .copied()
                    .collect();
                assert!(
                    shared.is_empty(),
                    "{} and {} share {shared:?}",
                    a.name(),
                    b.name()
                );
            }
        }
    }

    #[test]
    fn needed_columns_are_columns_of_the_table_and_each_table_once() {
        for t in Table903::ALL {
            for c in t.needed() {
                assert!(t.columns().contains(c), "{}.{c}", t.name());
            }
            let mut cols = t.columns().to_vec();
            cols.sort_unstable();
            cols.dedup();
            assert_eq!(
                cols.len(),
                t.columns().len(),
                "{} repeats a column",
                t.name()
            );
            assert_eq!(Table903::from_name(&t.name().to_lowercase()), Some(t));
        }
    }

    #[test]
    fn rules_tables_need_the_child_id() {
        for t in Table903::ALL {
            if t.role() != TableUse::LeftOut {
                assert!(t.is_needed("child"), "{}", t.name());
            }
        }
    }
}
