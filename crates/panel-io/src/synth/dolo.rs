//! Deprivation of liberty orders (the DoLo table, collected from 2026-27,
//! VAL rules 700-710): the High Court authorises restrictions on a
//! teenager's liberty in a children's home (`K2`) that a secure children's
//! home (`K1`, where the secure order is the authority) would otherwise
//! give. Each order here lies strictly inside one `K2` episode of a child
//! of 12 or over, so no episode overlapping it is in another placement
//! (VAL 709/710), it ends after it starts (702) and no later than the
//! period of care (707), and one child's orders never overlap (705).

use chrono::NaiveDate;

use super::pick::{between, chance, days, plus};
use super::returns::child_rng;
use crate::model::{ChildRecord, Place};
use crate::rules::dates::add_months;
use crate::rules::returns::CollectionYear;

/// The first collection year with a DoLo table holding rows.
pub fn dolo_from() -> CollectionYear {
    CollectionYear::starting(2026)
}

/// The share of long enough children's home episodes of a child of 12 or
/// over with an order: about 1,300 applications a year in England for some
/// 83,000 children looked after.
const SHARE: f64 = 0.15;

/// The fewest days in the children's home for an order to be sought.
const MIN_STAY: i64 = 60;

/// One deprivation of liberty order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub start: NaiveDate,
    /// `None` while the order is in force at `as_at`.
    pub end: Option<NaiveDate>,
}

/// The child's orders, as known at `as_at`, oldest first.
pub fn orders(r: &ChildRecord, as_at: NaiveDate) -> Vec<Order> {
    let mut rng = child_rng(&r.child.id, 0x444f_4c4f);
    let twelve = add_months(r.child.dob, 12 * 12);
    let mut out = Vec::new();
    for e in &r.episodes {
        if e.place != Place::K2 || e.decom < twelve || e.decom > as_at {
            continue;
        }
        let until = e.dec.unwrap_or(as_at).min(as_at);
        let stay = between(e.decom, until);
        if stay < MIN_STAY || !chance(&mut rng, SHARE) {
            continue;
        }
        // Sought a week to six weeks after the move.
        let start = plus(e.decom, days(&mut rng, 7, 42));
        let wanted_end = plus(start, days(&mut rng, 90, 720));
        let end = match e.dec {
            // Discharged before the child leaves the home.
            Some(dec) => Some(wanted_end.min(plus(dec, -days(&mut rng, 1, 7)))),
            None if wanted_end < as_at => Some(wanted_end),
            None => None,
        }
        .filter(|end| *end > start);
        if end.is_none() && e.dec.is_some() {
            // The stay was too short after the order to fit it: none.
            continue;
        }
        out.push(Order { start, end });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Child, Episode, Ethnicity, LegalStatus, Rne, Sex};

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%d/%m/%Y").unwrap()
    }

    fn episode(id: &str, place: Place, decom: &str, dec: Option<&str>) -> Episode {
        Episode {
            child: id.to_owned(),
            decom: date(decom),
            rne: Rne::P,
            ls: LegalStatus::C2,
            cin: Some(crate::model::CategoryOfNeed::N1),
            place,
            place_provider: Some(crate::model::Provider::PR4),
            dec: dec.map(date),
            rec: dec.map(|_| crate::model::ReasonCeased::X1),
            reason_place_change: None,
            home_post: None,
            pl_post: None,
            urn: None,
        }
    }

    fn child(id: &str, dob: &str, episodes: Vec<Episode>) -> ChildRecord {
        ChildRecord {
            child: Child {
                id: id.to_owned(),
                sex: Sex::Male,
                dob: date(dob),
                ethnic: Ethnicity::Wbri,
                upn: None,
                mother: None,
                mc_dob: None,
            },
            episodes,
            reviews: vec![],
            placed_adoption: vec![],
            plan: None,
        }
    }

    /// Orders only for teenagers in children's homes, each strictly inside
    /// the home's episode, open only while the episode is.
    #[test]
    fn orders_lie_inside_a_teenagers_childrens_home_episode() {
        let as_at = date("30/11/2026");
        let (mut with_orders, mut open) = (0, 0);
        for i in 0..400 {
            let id = format!("C{i:06}");
            let closed = i % 2 == 0;
            let k2 = episode(&id, Place::K2, "01/05/2025", closed.then_some("20/08/2026"));
            let mut eps = vec![
                episode(&id, Place::U6, "01/01/2025", Some("01/05/2025")),
                k2,
            ];
            if closed {
                eps.push(episode(&id, Place::U6, "20/08/2026", None));
            }
            let teen = child(&id, "01/01/2011", eps.clone());
            let found = orders(&teen, as_at);
            if !found.is_empty() {
                with_orders += 1;
            }
            for o in &found {
                assert!(o.start > date("01/05/2025"), "{o:?}");
                match (closed, o.end) {
                    (true, Some(end)) => assert!(end > o.start && end < date("20/08/2026")),
                    (false, Some(end)) => assert!(end > o.start && end < as_at),
                    (false, None) => open += 1,
                    (true, None) => panic!("an order outliving the stay: {o:?}"),
                }
            }
            // The same placements for a child of 10: none.
            assert!(orders(&child(&id, "01/01/2015", eps), as_at).is_empty());
        }
        assert!((30..=100).contains(&with_orders), "{with_orders} of 400");
        assert!(open > 0);
        // A foster placement never has one.
        let foster = child(
            "C1",
            "01/01/2011",
            vec![episode("C1", Place::U6, "01/01/2024", None)],
        );
        assert!(orders(&foster, as_at).is_empty());
    }
}
