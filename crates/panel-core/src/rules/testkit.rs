//! Test-only helpers: a child's history written like a table.
//!
//! ```text
//! child("01/03/2012")
//!     .ep("01/01/2020  S  C2  U6  PR1  01/06/2020")
//!     .ep("01/06/2020  P  C2  U3  PR1  open")
//!     .reviews(&["20/01/2020", "15/04/2020"])
//!     .build()
//! ```
//! An episode row is `DECOM RNE LS PLACE PROVIDER DEC [REC]`; `-` is a blank
//! provider, `open` (or `-`) a blank DEC. Without a REC, an ended episode gets
//! X1 when another row starts on its DEC and E8 otherwise, as a valid return
//! would carry.

use chrono::NaiveDate;

use crate::model::*;

/// A dd/mm/yyyy date; panics on a typo in a test.
pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%d/%m/%Y")
        .unwrap_or_else(|_| panic!("test date '{text}' is not dd/mm/yyyy"))
}

pub struct History {
    record: ChildRecord,
    explicit_rec: Vec<bool>,
}

/// A child with id `C1` born on `dob`.
pub fn child(dob: &str) -> History {
    child_with_id("C1", dob)
}

pub fn child_with_id(id: &str, dob: &str) -> History {
    History {
        record: ChildRecord {
            child: Child {
                id: id.to_owned(),
                sex: Sex::Female,
                dob: date(dob),
                ethnic: Ethnicity::Nobt,
                upn: None,
                mother: None,
                mc_dob: None,
            },
            episodes: Vec::new(),
            reviews: Vec::new(),
            placed_adoption: Vec::new(),
            plan: None,
        },
        explicit_rec: Vec::new(),
    }
}

impl History {
    pub fn ep(mut self, row: &str) -> History {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(
            cols.len() == 6 || cols.len() == 7,
            "episode row needs DECOM RNE LS PLACE PROVIDER DEC [REC]: '{row}'"
        );
        let blank = |t: &str| t == "-" || t == "open";
        let episode = Episode {
            child: self.record.child.id.clone(),
            decom: date(cols[0]),
            rne: Rne::parse(cols[1]).unwrap_or_else(|| panic!("RNE in '{row}'")),
            ls: LegalStatus::parse(cols[2]).unwrap_or_else(|| panic!("LS in '{row}'")),
            cin: Some(CategoryOfNeed::N1),
            place: Place::parse(cols[3]).unwrap_or_else(|| panic!("PLACE in '{row}'")),
            place_provider: if blank(cols[4]) {
                None
            } else {
                Some(Provider::parse(cols[4]).unwrap_or_else(|| panic!("provider in '{row}'")))
            },
            dec: if blank(cols[5]) {
                None
            } else {
                Some(date(cols[5]))
            },
            rec: cols
                .get(6)
                .map(|c| ReasonCeased::parse(c).unwrap_or_else(|| panic!("REC in '{row}'"))),
            reason_place_change: None,
            home_post: None,
            pl_post: None,
            urn: None,
        };
        self.explicit_rec.push(cols.len() == 7);
        self.record.episodes.push(episode);
        self
    }

    pub fn reviews(mut self, dates: &[&str]) -> History {
        for d in dates {
            self.record.reviews.push(Review {
                child: self.record.child.id.clone(),
                review: date(d),
                review_code: Some(ReviewCode::PN1),
            });
        }
        self
    }

    fn plan_facts(&mut self) -> &mut PlanFacts {
        let id = self.record.child.id.clone();
        self.record.plan.get_or_insert_with(|| PlanFacts {
            child: id,
            ..PlanFacts::default()
        })
    }

    /// `PLAN` and `PLAN_AGREED` (`-` for a blank date).
    pub fn plan(mut self, plan: &str, agreed: &str) -> History {
        let kind = PlanKind::parse(plan).unwrap_or_else(|| panic!("plan '{plan}'"));
        let agreed = if agreed == "-" {
            None
        } else {
            Some(date(agreed))
        };
        let facts = self.plan_facts();
        facts.plan = Some(kind);
        facts.plan_agreed = agreed;
        self
    }

    /// `CONTINGENCY_PLAN` (agreed with the plan, on its date).
    pub fn contingency(mut self, plan: &str) -> History {
        let kind = PlanKind::parse(plan).unwrap_or_else(|| panic!("plan '{plan}'"));
        self.plan_facts().contingency = Some(kind);
        self
    }

    pub fn match_agreed(mut self, on: &str) -> History {
        self.plan_facts().match_agreed = Some(date(on));
        self
    }

    pub fn no_pr(mut self) -> History {
        self.plan_facts().no_pr = true;
        self
    }

    pub fn potential_sgo(mut self) -> History {
        self.plan_facts().potential_sgo = true;
        self
    }

    pub fn achieved(mut self, on: &str) -> History {
        self.plan_facts().achieved = Some(date(on));
        self
    }

    pub fn build(mut self) -> ChildRecord {
        let starts: Vec<NaiveDate> = self.record.episodes.iter().map(|e| e.decom).collect();
        for (episode, explicit) in self.record.episodes.iter_mut().zip(&self.explicit_rec) {
            if !explicit {
                episode.rec = episode.dec.map(|dec| {
                    if starts.contains(&dec) {
                        ReasonCeased::X1
                    } else {
                        ReasonCeased::E8
                    }
                });
            }
        }
        // The store hands records over sorted; keep the builder honest to that.
        self.record.episodes.sort_by_key(|e| e.decom);
        self.record.reviews.sort_by_key(|r| r.review);
        self.record
    }
}
