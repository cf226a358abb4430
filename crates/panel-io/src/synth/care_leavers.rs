//! Care leavers in the annual returns (the OC3 table): a young person who
//! was looked after for at least 13 weeks after their 14th birthday and
//! left care after their 16th (a relevant or former relevant child, VAL
//! 1001), and who has their 17th, 18th, 19th, 20th or 21st birthday in the
//! return's year (VAL 391), gets a row saying whether the council is in
//! touch and the young person's activity and accommodation around that
//! birthday. Not a child still looked after on their birthday (VAL 1007,
//! 1016), adopted (1001), who died (1000), whose care passed to another
//! council (1011) or whom an age assessment found to be an adult (`E15`).

use chrono::NaiveDate;

use super::pick::{Rng, between, chance, weighted};
use crate::model::{ChildRecord, LegalStatus, ReasonCeased};
use crate::rules::dates::add_months;

/// The fewest days looked after from the 14th birthday (13 weeks).
const DAYS_FROM_FOURTEEN: i64 = 91;

/// The care leaver's birthday (age 17 to 21) that falls from `first` to
/// `last`, if the child is in that return's OC3 table.
pub fn oc3_birthday(
    r: &ChildRecord,
    first: NaiveDate,
    last: NaiveDate,
) -> Option<(u32, NaiveDate)> {
    let dob = r.child.dob;
    let (age, birthday) = (17..=21)
        .map(|age| (age, add_months(dob, age * 12)))
        .find(|(_, b)| *b >= first && *b <= last)?;
    let last_episode = r.episodes.last()?;
    let left = last_episode.dec?;
    let leaving_reason = last_episode.rec?;
    if left >= birthday
        || matches!(
            leaving_reason,
            ReasonCeased::X1
                | ReasonCeased::E11
                | ReasonCeased::E12
                | ReasonCeased::E2
                | ReasonCeased::E3
                | ReasonCeased::E15
        )
    {
        return None;
    }
    let days_from = |birthday: NaiveDate| -> i64 {
        r.episodes
            .iter()
            .filter(|e| !matches!(e.ls, LegalStatus::V3 | LegalStatus::V4))
            .filter_map(|e| Some(between(e.decom.max(birthday), e.dec?).max(0)))
            .sum()
    };
    let relevant = days_from(add_months(dob, 14 * 12)) >= DAYS_FROM_FOURTEEN
        && days_from(add_months(dob, 16 * 12)) >= 1;
    relevant.then_some((age, birthday))
}

/// `IN_TOUCH`, `ACTIV` and `ACCOM` for a care leaver at `age`, in the
/// proportions the DfE reports for care leavers: the council in touch with
/// about nine in ten; those who went home to their family for six months
/// or more (`RHOM`) or are not in touch have no activity or accommodation
/// (`0`, VAL 344/345). `returned_home`: the child left care to live with
/// family.
pub fn oc3_values(
    rng: &mut Rng,
    age: u32,
    returned_home: bool,
) -> (&'static str, &'static str, &'static str) {
    if returned_home && chance(rng, 0.4) {
        return ("RHOM", "0", "0");
    }
    let in_touch = weighted(rng, &[("YES", 90), ("NO", 6), ("REFU", 2), ("NREQ", 2)]);
    if in_touch != "YES" {
        return (in_touch, "0", "0");
    }
    let activity = if age <= 18 {
        weighted(
            rng,
            &[
                ("F2", 45),
                ("P2", 5),
                ("F4", 10),
                ("P4", 5),
                ("G4", 5),
                ("G5", 24),
                ("G6", 3),
                ("F1", 3),
            ],
        )
    } else {
        weighted(
            rng,
            &[
                ("F1", 8),
                ("P1", 1),
                ("F2", 15),
                ("P2", 3),
                ("F4", 20),
                ("P4", 8),
                ("G4", 10),
                ("G5", 28),
                ("G6", 7),
            ],
        )
    };
    // With former foster carers (staying put) only from 18 (VAL 3001).
    let kind = if age <= 18 {
        weighted(
            rng,
            &[
                ("D", 35),
                ("B", 22),
                ("E", 12),
                ("U", 8),
                ("C", 5),
                ("Z", if age == 18 { 10 } else { 0 }),
                ("Y", 4),
                ("X", 2),
            ],
        )
    } else {
        weighted(
            rng,
            &[
                ("U", 35),
                ("D", 14),
                ("B", 12),
                ("Z", 7),
                ("E", 7),
                ("T", 3),
                ("K", 3),
                ("C", 2),
                ("V", 2),
                ("W", 1),
                ("Y", 6),
                ("X", 2),
                ("S", 1),
                ("G", 1),
            ],
        )
    };
    // Custody and no fixed abode are never suitable.
    let suitable = !matches!(kind, "X" | "S") && chance(rng, 0.9);
    let accom = match (kind, suitable) {
        ("U", true) => "U1",
        ("U", false) => "U2",
        ("D", true) => "D1",
        ("D", false) => "D2",
        ("B", true) => "B1",
        ("B", false) => "B2",
        ("Z", true) => "Z1",
        ("Z", false) => "Z2",
        ("E", true) => "E1",
        ("E", false) => "E2",
        ("T", true) => "T1",
        ("T", false) => "T2",
        ("K", true) => "K1",
        ("K", false) => "K2",
        ("C", true) => "C1",
        ("C", false) => "C2",
        ("V", true) => "V1",
        ("V", false) => "V2",
        ("W", true) => "W1",
        ("W", false) => "W2",
        ("Y", true) => "Y1",
        ("Y", false) => "Y2",
        ("G", true) => "G1",
        ("G", false) => "G2",
        ("S", _) => "S2",
        _ => "X2",
    };
    ("YES", activity, accom)
}

/// Whether the child left care to live with family (a return home, or
/// relatives without parental responsibility).
pub fn returned_home(r: &ChildRecord) -> bool {
    r.episodes.last().and_then(|e| e.rec).is_some_and(|rec| {
        matches!(
            rec,
            ReasonCeased::E4A | ReasonCeased::E4B | ReasonCeased::E13
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Child, Episode, Ethnicity, Place, Rne, Sex};
    use rand::SeedableRng;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%d/%m/%Y").unwrap()
    }

    /// A child born on 10/06/2006, looked after from `start` to `end`
    /// (one episode) and leaving for `rec`.
    fn leaver(start: &str, end: &str, rec: ReasonCeased, ls: LegalStatus) -> ChildRecord {
        ChildRecord {
            child: Child {
                id: "C1".to_owned(),
                sex: Sex::Male,
                dob: date("10/06/2006"),
                ethnic: Ethnicity::Wbri,
                upn: None,
                mother: None,
                mc_dob: None,
            },
            episodes: vec![Episode {
                child: "C1".to_owned(),
                decom: date(start),
                rne: Rne::S,
                ls,
                cin: Some(crate::model::CategoryOfNeed::N1),
                place: Place::U6,
                place_provider: Some(crate::model::Provider::PR1),
                dec: Some(date(end)),
                rec: Some(rec),
                reason_place_change: None,
                home_post: None,
                pl_post: None,
                urn: None,
            }],
            reviews: vec![],
            placed_adoption: vec![],
            plan: None,
        }
    }

    /// The ages at which the child has a row, return by return (each year
    /// 1 April to 31 March, 2021-22 to 2029-30).
    fn ages_with_rows(r: &ChildRecord) -> Vec<u32> {
        (2021..=2029)
            .filter_map(|y| {
                let first = NaiveDate::from_ymd_opt(y, 4, 1).unwrap();
                let last = NaiveDate::from_ymd_opt(y + 1, 3, 31).unwrap();
                oc3_birthday(r, first, last).map(|(age, _)| age)
            })
            .collect()
    }

    #[test]
    fn a_child_who_left_at_16_after_13_weeks_has_rows_from_17_to_21() {
        // In care from 01/04/2022 (aged 15) for exactly 13 weeks, 21 days
        // of them after the 16th birthday (10/06/2022).
        let r = leaver(
            "01/04/2022",
            "01/07/2022",
            ReasonCeased::E5,
            LegalStatus::V2,
        );
        assert_eq!(between(date("01/04/2022"), date("01/07/2022")), 91);
        assert_eq!(ages_with_rows(&r), vec![17, 18, 19, 20, 21]);
        // Not at 22: the 22nd birthday (10/06/2028) is in 2028-29.
        let first = date("01/04/2028");
        assert_eq!(oc3_birthday(&r, first, date("31/03/2029")), None);
        // The row belongs to the year of the birthday: 17 on 10/06/2023.
        let (age, on) = oc3_birthday(&r, date("01/04/2023"), date("31/03/2024")).unwrap();
        assert_eq!((age, on), (17, date("10/06/2023")));
        // An in-year extract that ends before the birthday has no row yet.
        assert_eq!(
            oc3_birthday(&r, date("01/04/2023"), date("09/06/2023")),
            None
        );
    }

    #[test]
    fn too_short_a_time_in_care_from_14_or_leaving_before_16_gives_no_rows() {
        // 13 weeks less a day from the 14th birthday.
        let r = leaver(
            "01/04/2022",
            "30/06/2022",
            ReasonCeased::E5,
            LegalStatus::V2,
        );
        assert_eq!(between(date("01/04/2022"), date("30/06/2022")), 90);
        assert!(ages_with_rows(&r).is_empty());
        // Long in care, but left the day before the 16th birthday.
        let r = leaver(
            "01/01/2021",
            "09/06/2022",
            ReasonCeased::E4A,
            LegalStatus::C2,
        );
        assert!(ages_with_rows(&r).is_empty());
        // Left on the 16th birthday: no day looked after past it.
        let r = leaver(
            "01/01/2021",
            "10/06/2022",
            ReasonCeased::E4A,
            LegalStatus::C2,
        );
        assert!(ages_with_rows(&r).is_empty());
        // Short breaks (V3) do not count.
        let r = leaver(
            "01/01/2021",
            "01/01/2023",
            ReasonCeased::E8,
            LegalStatus::V3,
        );
        assert!(ages_with_rows(&r).is_empty());
    }

    #[test]
    fn looked_after_on_the_birthday_means_no_row_at_that_age() {
        // Left on the 17th birthday: looked after on it, so from 18.
        let r = leaver(
            "01/01/2021",
            "10/06/2023",
            ReasonCeased::E5,
            LegalStatus::C2,
        );
        assert_eq!(ages_with_rows(&r), vec![18, 19, 20, 21]);
        // Left on the 18th birthday: from 19.
        let r = leaver(
            "01/01/2021",
            "10/06/2024",
            ReasonCeased::E17,
            LegalStatus::C2,
        );
        assert_eq!(ages_with_rows(&r), vec![19, 20, 21]);
    }

    #[test]
    fn no_rows_after_adoption_death_transfer_or_an_adult_age_assessment() {
        for rec in [
            ReasonCeased::E11,
            ReasonCeased::E2,
            ReasonCeased::E3,
            ReasonCeased::E15,
        ] {
            let r = leaver("01/01/2021", "01/01/2023", rec, LegalStatus::C2);
            assert!(ages_with_rows(&r).is_empty(), "{rec:?}");
        }
        let r = leaver(
            "01/01/2021",
            "01/01/2023",
            ReasonCeased::E13,
            LegalStatus::C2,
        );
        assert_eq!(ages_with_rows(&r), vec![17, 18, 19, 20, 21]);
        assert!(returned_home(&r));
    }

    #[test]
    fn values_are_valid_codes_that_agree_with_each_other() {
        let mut rng = Rng::seed_from_u64(9);
        let mut in_touch = 0;
        for i in 0..4000 {
            let age = 17 + (i % 5);
            let (touch, activ, accom) = oc3_values(&mut rng, age, i % 7 == 0);
            match touch {
                "YES" => {
                    in_touch += 1;
                    assert!(activ != "0" && accom != "0");
                    if age == 17 {
                        assert!(!accom.starts_with('Z'), "staying put at 17");
                    }
                    if accom.starts_with('X') || accom.starts_with('S') {
                        assert!(accom.ends_with('2'));
                    }
                }
                "RHOM" | "NO" | "REFU" | "NREQ" => assert_eq!((activ, accom), ("0", "0")),
                other => panic!("{other}"),
            }
        }
        assert!(
            (3200..3800).contains(&in_touch),
            "{in_touch} in touch of 4000"
        );
    }
}
