//! Problems of meaning a valid return can still carry (`rules.md`,
//! "Importing an extract"): listed by `check`, never a reason to reject.

use chrono::NaiveDate;

use crate::model::{ChildRecord, Episode, Rne};
use crate::rules::care::{is_open_at, predecessor};
use crate::rules::dates::{dmy, eighteenth_birthday, is_18_or_over};

/// One warning about one child's data at D.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataWarning {
    pub child: String,
    /// What is wrong, in a sentence naming the episodes by their dates.
    pub what: String,
    /// A stable id of the rule broken (see the `RULE_*` constants).
    pub rule: String,
}

/// Two or more episodes open at D: the child is not looked after.
pub const RULE_OPEN_OVERLAP: &str = "open-episodes-overlap";
/// Two episodes whose spans overlap (other than both open at D).
pub const RULE_OVERLAP: &str = "episodes-overlap";
/// An episode after a gap (or the first) whose RNE is not S.
pub const RULE_GAP_NOT_S: &str = "gap-rne-not-s";
/// An episode with RNE S that follows another contiguously.
pub const RULE_CONTIGUOUS_S: &str = "contiguous-rne-s";
/// Aged 18 or over at D with an episode open.
pub const RULE_EIGHTEEN_PLUS: &str = "looked-after-18-plus";
/// REC blank with DEC given, or REC given with DEC blank.
pub const RULE_REC_DEC: &str = "rec-dec-mismatch";

/// The data warnings for one child at `d`. Only episodes that started on or
/// before `d` are seen.
pub fn data_warnings(record: &ChildRecord, d: NaiveDate) -> Vec<DataWarning> {
    data_warnings_held(record, d, None)
}

/// As [`data_warnings`], for a history merged from the returns held, the
/// earliest of which starts on `coverage`: a child's first episode held
/// that began before it is not expected to be an S episode (that one is in
/// a return not held; `before-earliest-return` names the child instead).
pub fn data_warnings_held(
    record: &ChildRecord,
    d: NaiveDate,
    coverage: Option<NaiveDate>,
) -> Vec<DataWarning> {
    let mut out = Vec::new();
    let child = &record.child.id;
    let warn = |out: &mut Vec<DataWarning>, rule: &str, what: String| {
        out.push(DataWarning {
            child: child.clone(),
            what,
            rule: rule.to_owned(),
        });
    };
    // Sorted by DECOM, so the episodes seen at D are a prefix.
    let seen_count = record.episodes.partition_point(|e| e.decom <= d);
    let seen = &record.episodes[..seen_count];

    let open: Vec<&Episode> = seen.iter().filter(|e| is_open_at(e, d)).collect();
    if open.len() > 1 {
        let starts: Vec<String> = open.iter().map(|e| dmy(e.decom)).collect();
        warn(
            &mut out,
            RULE_OPEN_OVERLAP,
            format!(
                "{} episodes are open on {} (starting {}); the child is not counted as looked after until this is fixed",
                open.len(),
                dmy(d),
                starts.join(", ")
            ),
        );
    }

    for (i, a) in seen.iter().enumerate() {
        for b in &seen[i + 1..] {
            // b starts on or after a (sorted); they overlap when b starts
            // before a ends. A zero-length episode overlaps nothing.
            let overlaps = a.dec.is_none_or(|end| b.decom < end) && a.dec != Some(a.decom);
            if !overlaps {
                if a.dec.is_some() {
                    break; // later episodes start later still
                }
                continue;
            }
            if is_open_at(a, d) && is_open_at(b, d) {
                continue; // named by the open-at-D warning
            }
            warn(
                &mut out,
                RULE_OVERLAP,
                format!(
                    "the episode starting {} ({}) overlaps the episode starting {} ({})",
                    dmy(a.decom),
                    end_text(a),
                    dmy(b.decom),
                    end_text(b)
                ),
            );
        }
    }

    for (i, e) in seen.iter().enumerate() {
        match (predecessor(record, i), e.rne) {
            (None, Rne::S) | (Some(_), Rne::L | Rne::P | Rne::T | Rne::U | Rne::B) => {}
            (None, _) if i == 0 && coverage.is_some_and(|c| e.decom < c) => {}
            (None, rne) => {
                let after = if i == 0 {
                    "is the child's first episode"
                } else {
                    "follows a gap"
                };
                warn(
                    &mut out,
                    RULE_GAP_NOT_S,
                    format!(
                        "the episode starting {} {after} and so starts a period of care, but its RNE is {} ({}), not S",
                        dmy(e.decom),
                        rne.code(),
                        rne.meaning()
                    ),
                );
            }
            (Some(_), Rne::S) => warn(
                &mut out,
                RULE_CONTIGUOUS_S,
                format!(
                    "the episode starting {} has RNE S but follows the previous episode on the same day; it is counted in the same period of care",
                    dmy(e.decom)
                ),
            ),
        }
        if e.dec.is_some() != e.rec.is_some() {
            let what = match e.dec {
                Some(dec) => format!(
                    "the episode starting {} ended on {} but has no reason ceased (REC)",
                    dmy(e.decom),
                    dmy(dec)
                ),
                None => format!(
                    "the episode starting {} has no end date (DEC) but has a reason ceased (REC {})",
                    dmy(e.decom),
                    e.rec.map(|r| r.code()).unwrap_or_default()
                ),
            };
            warn(&mut out, RULE_REC_DEC, what);
        }
    }

    if is_18_or_over(record.child.dob, d) && !open.is_empty() {
        warn(
            &mut out,
            RULE_EIGHTEEN_PLUS,
            format!(
                "the child turned 18 on {} but an episode is still open on {}; not counted as looked after",
                dmy(eighteenth_birthday(record.child.dob)),
                dmy(d)
            ),
        );
    }
    out
}

fn end_text(e: &Episode) -> String {
    match e.dec {
        Some(dec) => format!("ended {}", dmy(dec)),
        None => "open".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ReasonCeased;
    use crate::rules::testkit::{child, date};

    fn rules(w: &[DataWarning]) -> Vec<&str> {
        w.iter().map(|w| w.rule.as_str()).collect()
    }

    #[test]
    fn clean_history_has_no_warnings() {
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/06/2020")
            .ep("01/06/2020  P  C2  U3  PR1  01/01/2021")
            .ep("01/03/2021  S  C2  U3  PR1  open")
            .build();
        assert_eq!(data_warnings(&r, date("01/06/2021")), vec![]);
    }

    #[test]
    fn a_first_episode_held_from_before_the_earliest_return_need_not_be_an_s() {
        // The S episode began in 2018, in a return not held (they start
        // 01/04/2019): the P episode held first is not a data problem then.
        let r = child("01/03/2012")
            .ep("01/06/2018  P  C2  U6  PR1  01/01/2021")
            .ep("01/01/2021  P  C2  U3  PR1  open")
            .build();
        let d = date("01/06/2021");
        assert_eq!(rules(&data_warnings(&r, d)), vec![RULE_GAP_NOT_S]);
        let coverage = Some(date("01/04/2019"));
        assert_eq!(data_warnings_held(&r, d, coverage), vec![]);
        // One that began inside the returns held still must be an S.
        let later = child("01/03/2012")
            .ep("01/06/2019  P  C2  U6  PR1  open")
            .build();
        assert_eq!(
            rules(&data_warnings_held(&later, d, coverage)),
            vec![RULE_GAP_NOT_S]
        );
    }

    #[test]
    fn two_open_at_d_is_named_once() {
        // Both open on 01/03/2020: one open-overlap warning, no pairwise one.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  open")
            .ep("01/02/2020  P  C2  U3  PR1  open")
            .build();
        let w = data_warnings(&r, date("01/03/2020"));
        assert_eq!(rules(&w), vec![RULE_OPEN_OVERLAP, RULE_GAP_NOT_S]);
        assert!(
            w[0].what.contains("01/01/2020, 01/02/2020"),
            "{}",
            w[0].what
        );
    }

    #[test]
    fn past_overlap_is_a_warning() {
        // The first ran to 01/05/2020 but the second started 01/03/2020:
        // they overlapped in the past; at D only the second is open.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/05/2020")
            .ep("01/03/2020  S  C2  U3  PR1  open")
            .build();
        let w = data_warnings(&r, date("01/06/2020"));
        assert_eq!(rules(&w), vec![RULE_OVERLAP]);
        assert_eq!(
            w[0].what,
            "the episode starting 01/01/2020 (ended 01/05/2020) overlaps the episode starting 01/03/2020 (open)"
        );
    }

    #[test]
    fn an_episode_after_d_is_not_seen() {
        // The second would overlap, but it starts after D.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  open")
            .ep("01/03/2020  P  C2  U3  PR1  open")
            .build();
        assert_eq!(data_warnings(&r, date("01/02/2020")), vec![]);
    }

    #[test]
    fn gap_followed_by_rne_other_than_s() {
        // Ended 01/06/2020; the next starts 05/06/2020 with RNE P.
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/06/2020")
            .ep("05/06/2020  P  C2  U3  PR1  open")
            .build();
        let w = data_warnings(&r, date("01/07/2020"));
        assert_eq!(rules(&w), vec![RULE_GAP_NOT_S]);
        assert!(
            w[0].what.contains("05/06/2020 follows a gap"),
            "{}",
            w[0].what
        );
    }

    #[test]
    fn choice_first_episode_not_s_is_warned() {
        // The first episode starts a period; RNE T there is a warning too.
        let r = child("01/03/2012")
            .ep("01/01/2020  T  C2  U6  PR1  open")
            .build();
        let w = data_warnings(&r, date("01/07/2020"));
        assert_eq!(rules(&w), vec![RULE_GAP_NOT_S]);
        assert!(w[0].what.contains("first episode"));
    }

    #[test]
    fn contiguous_rne_s_is_warned() {
        let r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/06/2020")
            .ep("01/06/2020  S  C2  U3  PR1  open")
            .build();
        let w = data_warnings(&r, date("01/07/2020"));
        assert_eq!(rules(&w), vec![RULE_CONTIGUOUS_S]);
    }

    #[test]
    fn eighteen_plus_and_looked_after_is_warned() {
        // Born 29/02/2008: 18 on 28/02/2026; still open then.
        let r = child("29/02/2008")
            .ep("01/01/2020  S  C2  U6  PR1  open")
            .build();
        assert_eq!(data_warnings(&r, date("27/02/2026")), vec![]);
        let w = data_warnings(&r, date("28/02/2026"));
        assert_eq!(rules(&w), vec![RULE_EIGHTEEN_PLUS]);
        assert!(w[0].what.contains("28/02/2026"));
    }

    #[test]
    fn eighteen_plus_with_care_ended_is_fine() {
        let r = child("01/01/2006")
            .ep("01/01/2020  S  C2  U6  PR1  01/01/2024  E17")
            .build();
        assert_eq!(data_warnings(&r, date("01/06/2025")), vec![]);
    }

    #[test]
    fn rec_and_dec_must_go_together() {
        let mut r = child("01/03/2012")
            .ep("01/01/2020  S  C2  U6  PR1  01/06/2020")
            .ep("01/08/2020  S  C2  U3  PR1  open")
            .build();
        r.episodes[0].rec = None; // ended without a reason
        r.episodes[1].rec = Some(ReasonCeased::E8); // open with a reason
        let w = data_warnings(&r, date("01/09/2020"));
        assert_eq!(rules(&w), vec![RULE_REC_DEC, RULE_REC_DEC]);
        assert!(w[0].what.contains("no reason ceased"));
        assert!(w[1].what.contains("REC E8"));
    }
}
