//! Returns by collection year and how they merge into the one history the
//! rules read (rules.md "Returns and how they merge"). Pure: the store
//! hands each child's rows from every return held, and stores the result.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::model::*;
use crate::rules::dates::dmy;

/// A collection year, 1 April to 31 March, named by the year it starts in
/// and written `2025-26`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CollectionYear(i32);

impl CollectionYear {
    pub fn starting(year: i32) -> Self {
        CollectionYear(year)
    }

    /// The collection year a date falls in.
    pub fn containing(d: NaiveDate) -> Self {
        if d.month() >= 4 {
            CollectionYear(d.year())
        } else {
            CollectionYear(d.year() - 1)
        }
    }

    pub fn start_year(self) -> i32 {
        self.0
    }

    /// 1 April.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).unwrap_or(NaiveDate::MIN)
    }

    /// 31 March of the next calendar year.
    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31).unwrap_or(NaiveDate::MAX)
    }

    pub fn contains(self, d: NaiveDate) -> bool {
        CollectionYear::containing(d) == self
    }

    /// Reads a year written `2025-26`, `2025_26`, `202526`, `2025-2026` or
    /// `25-26` (the second year must follow the first).
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let (first, second) = match t.split_once(['-', '_', '/']) {
            Some((a, b)) => (a, b),
            None if t.len() == 6 && digits(t) => t.split_at(4),
            None => return None,
        };
        if !digits(first) || !digits(second) {
            return None;
        }
        let start: i32 = match first.len() {
            4 => first.parse().ok()?,
            2 => 2000 + first.parse::<i32>().ok()?,
            _ => return None,
        };
        let end_ok = match second.len() {
            4 => second.parse::<i32>().ok()? == start + 1,
            2 => second.parse::<i32>().ok()? == (start + 1) % 100,
            _ => false,
        };
        (end_ok && (1990..=2100).contains(&start)).then_some(CollectionYear(start))
    }

    /// The year named in a file or folder name, e.g. `ssda903_2024-25` or
    /// `returns/202425/`: the last name part that reads as a year. Names
    /// are split at anything that is not a digit, `-` or `_`.
    pub fn find_in_name(name: &str) -> Option<Self> {
        name.split(|c: char| !(c.is_ascii_digit() || c == '-' || c == '_'))
            .flat_map(|part| {
                // `903_2024-25` holds the year after an underscore.
                let mut candidates = vec![part];
                let mut rest = part;
                while let Some((_, tail)) = rest.split_once(['-', '_']) {
                    candidates.push(tail);
                    rest = tail;
                }
                candidates
            })
            .filter_map(|p| CollectionYear::parse(p.trim_matches(['-', '_'])))
            .next_back()
    }
}

impl fmt::Display for CollectionYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.0, (self.0 + 1) % 100)
    }
}

/// A return held, as the merge needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldReturn {
    pub year: CollectionYear,
    /// A single extract holding a whole history (reviews or ended episodes
    /// from before its year): it covers everything from its earliest date.
    pub whole_history: bool,
}

/// Whether a return's rows reach back before its own year, which an
/// annual return's never do (its episodes are those open in the year, its
/// reviews that year's): then it is a whole-history extract.
pub fn is_whole_history(year: CollectionYear, episodes: &[Episode], reviews: &[Review]) -> bool {
    let start = year.first_day();
    reviews.iter().any(|r| r.review < start)
        || episodes.iter().any(|e| e.dec.is_some_and(|d| d < start))
}

/// The year a return holds from its data: the year of its latest DECOM,
/// DEC or REVIEW.
pub fn year_from_data<'a>(
    dates: impl IntoIterator<Item = &'a NaiveDate>,
) -> Option<CollectionYear> {
    dates
        .into_iter()
        .max()
        .map(|d| CollectionYear::containing(*d))
}

/// The first day the returns held vouch for: the first day of the earliest
/// return, or `None` when a whole-history extract is held (nothing begins
/// before it).
pub fn coverage_start(held: &[HeldReturn]) -> Option<NaiveDate> {
    if held.iter().any(|r| r.whole_history) {
        return None;
    }
    held.iter().map(|r| r.year.first_day()).min()
}

/// One child's rows in one return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildInReturn {
    pub year: CollectionYear,
    pub header: Option<Child>,
    pub episodes: Vec<Episode>,
    pub reviews: Vec<Review>,
    pub placed: Vec<PlacedAdoption>,
}

/// Something the merge did that a data manager should know.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MergeWarning {
    pub child: ChildId,
    pub what: String,
    /// `closed-open-episode`, `older-episode-cut` or `older-episode-dropped`.
    pub rule: &'static str,
}

/// One child's history as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MergedChild {
    pub child: Child,
    /// Sorted by DECOM.
    pub episodes: Vec<Episode>,
    /// Sorted by date.
    pub reviews: Vec<Review>,
    pub placed: Vec<PlacedAdoption>,
    pub warnings: Vec<MergeWarning>,
}

/// Merges one child's rows from every return held. `held` is every return
/// held (not only those holding this child), `rows` the child's rows in
/// any order. `None` when no held return has the child's Header row.
pub fn merge_child(held: &[HeldReturn], mut rows: Vec<ChildInReturn>) -> Option<MergedChild> {
    rows.sort_by_key(|r| r.year);
    let latest_held = held.iter().map(|r| r.year).max()?;
    let child = rows.iter().rev().find_map(|r| r.header.clone())?;
    let mut warnings = Vec::new();
    let episodes = merge_episodes(&child.id, latest_held, &rows, &mut warnings);
    let reviews = merge_reviews(held, &rows);
    let placed = latest_wins(&rows, |r| &r.placed, |p| p.date_placed);
    let mut placed = placed;
    placed.sort_by_key(|p| p.date_placed);
    Some(MergedChild {
        child,
        episodes,
        reviews,
        placed,
        warnings,
    })
}

/// Rows keyed by `key`: a key's rows come from the latest return holding
/// it (all of that return's rows with the key: two in one return are kept).
fn latest_wins<T: Clone, K: PartialEq>(
    rows: &[ChildInReturn],
    table: impl Fn(&ChildInReturn) -> &Vec<T>,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        for item in table(r) {
            let k = key(item);
            let superseded = rows[i + 1..]
                .iter()
                .any(|later| later.year > r.year && table(later).iter().any(|x| key(x) == k));
            if !superseded {
                out.push(item.clone());
            }
        }
    }
    out
}

fn merge_episodes(
    child: &str,
    latest_held: CollectionYear,
    rows: &[ChildInReturn],
    warnings: &mut Vec<MergeWarning>,
) -> Vec<Episode> {
    // Each episode with the year of the return it came from.
    let mut eps: Vec<(CollectionYear, Episode)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        for e in &r.episodes {
            let superseded = rows[i + 1..].iter().any(|later| {
                later.year > r.year && later.episodes.iter().any(|x| x.decom == e.decom)
            });
            if !superseded {
                eps.push((r.year, e.clone()));
            }
        }
    }
    eps.sort_by(|a, b| a.1.decom.cmp(&b.1.decom).then(a.0.cmp(&b.0)));

    // Episodes an older return left open, and no later return carries.
    for i in 0..eps.len() {
        let (year, e) = &eps[i];
        if e.dec.is_some() || *year >= latest_held {
            continue;
        }
        let (dec, rec) = match eps.get(i + 1) {
            Some((_, next)) if next.rne == Rne::S => {
                (super::dates::add_days(next.decom, -1), ReasonCeased::E99)
            }
            Some((_, next)) => (next.decom, ReasonCeased::X1),
            None => (year.last_day(), ReasonCeased::E99),
        };
        let year = *year;
        warnings.push(MergeWarning {
            child: child.to_owned(),
            what: format!(
                "the episode starting {} was left open by the {year} return and no later return has it: closed on {} ({})",
                dmy(e.decom),
                dmy(dec),
                rec.code()
            ),
            rule: "closed-open-episode",
        });
        let e = &mut eps[i].1;
        e.dec = Some(dec.max(e.decom));
        e.rec = Some(rec);
    }

    // An older return's episode overlapping a later return's: the later wins.
    let end = |e: &Episode| e.dec.unwrap_or(NaiveDate::MAX);
    let mut keep = vec![true; eps.len()];
    for o in 0..eps.len() {
        for l in 0..eps.len() {
            if !keep[o] || !keep[l] || eps[l].0 <= eps[o].0 {
                continue;
            }
            let (older, later) = (&eps[o].1, &eps[l].1);
            let overlap = older.decom < end(later) && later.decom < end(older);
            if !overlap {
                continue;
            }
            let (oy, ly) = (eps[o].0, eps[l].0);
            if older.decom < later.decom {
                let what = format!(
                    "the episode starting {} ({oy} return) overlaps one starting {} in the {ly} return: it ends on {}",
                    dmy(older.decom),
                    dmy(later.decom),
                    dmy(later.decom)
                );
                let cut = later.decom;
                eps[o].1.dec = Some(cut);
                warnings.push(MergeWarning {
                    child: child.to_owned(),
                    what,
                    rule: "older-episode-cut",
                });
            } else {
                warnings.push(MergeWarning {
                    child: child.to_owned(),
                    what: format!(
                        "the episode starting {} ({oy} return) starts within one starting {} in the {ly} return: left out",
                        dmy(older.decom),
                        dmy(later.decom)
                    ),
                    rule: "older-episode-dropped",
                });
                keep[o] = false;
            }
        }
    }
    eps.into_iter()
        .zip(keep)
        .filter_map(|((_, e), k)| k.then_some(e))
        .collect()
}

/// Reviews dated in a held return's year come from that return; reviews
/// dated in a year not held come from the latest return that has any of
/// this child's reviews of that year.
fn merge_reviews(held: &[HeldReturn], rows: &[ChildInReturn]) -> Vec<Review> {
    let mut out = Vec::new();
    for r in rows {
        for v in &r.reviews {
            let y = CollectionYear::containing(v.review);
            let source = if held.iter().any(|h| h.year == y) {
                y
            } else {
                rows.iter()
                    .filter(|x| {
                        x.reviews
                            .iter()
                            .any(|w| CollectionYear::containing(w.review) == y)
                    })
                    .map(|x| x.year)
                    .max()
                    .unwrap_or(r.year)
            };
            if source == r.year {
                out.push(v.clone());
            }
        }
    }
    // Stable: two reviews on one date in one return keep their order.
    out.sort_by_key(|v| v.review);
    out
}

/// Whether a child's current period of care (at `d`) may have begun before
/// the returns held: its first held episode starts on or before the
/// coverage day, or does not start with `RNE` S. Then its start, runs and
/// review count are lower bounds ("since at least").
pub fn begins_before_coverage(
    record: &ChildRecord,
    coverage: Option<NaiveDate>,
    d: NaiveDate,
) -> bool {
    let Some(coverage) = coverage else {
        return false;
    };
    let Some(care) = crate::rules::care::care_at(record, d) else {
        return false;
    };
    match record.episodes.get(care.period_start_index) {
        Some(e) => e.decom <= coverage || e.rne != Rne::S,
        None => false,
    }
}

/// What the returns held cannot vouch for, for a child whose period of
/// care may have begun before them: "in care since at least dd/mm/yyyy;
/// at least N reviews". `None` when the returns cover the whole period.
pub fn coverage_note(
    record: &ChildRecord,
    coverage: Option<NaiveDate>,
    d: NaiveDate,
) -> Option<String> {
    if !begins_before_coverage(record, coverage, d) {
        return None;
    }
    let care = crate::rules::care::care_at(record, d)?;
    let reviews = crate::rules::care::reviews_in_period(record, care.period_start, d).len();
    Some(format!(
        "in care since at least {}; at least {reviews} review{} (the returns held begin {})",
        dmy(care.period_start),
        if reviews == 1 { "" } else { "s" },
        dmy(coverage?)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn child(id: &str) -> Child {
        Child {
            id: id.to_owned(),
            sex: Sex::Female,
            dob: ymd(2012, 3, 1),
            ethnic: Ethnicity::Nobt,
            upn: None,
            mother: None,
            mc_dob: None,
        }
    }

    fn ep(
        child: &str,
        decom: NaiveDate,
        rne: Rne,
        ls: LegalStatus,
        place: Place,
        dec: Option<NaiveDate>,
    ) -> Episode {
        Episode {
            child: child.to_owned(),
            decom,
            rne,
            ls,
            cin: Some(CategoryOfNeed::N1),
            place,
            place_provider: Some(Provider::PR1),
            dec,
            rec: dec.map(|_| ReasonCeased::E8),
            reason_place_change: None,
            home_post: None,
            pl_post: None,
            urn: None,
        }
    }

    fn review(child: &str, review: NaiveDate) -> Review {
        Review {
            child: child.to_owned(),
            review,
            review_code: Some(ReviewCode::PN1),
        }
    }

    fn y(start: i32) -> CollectionYear {
        CollectionYear::starting(start)
    }

    fn held(years: &[i32]) -> Vec<HeldReturn> {
        years
            .iter()
            .map(|&s| HeldReturn {
                year: y(s),
                whole_history: false,
            })
            .collect()
    }

    fn in_return(year: i32, episodes: Vec<Episode>, reviews: Vec<Review>) -> ChildInReturn {
        ChildInReturn {
            year: y(year),
            header: Some(child("C1")),
            episodes,
            reviews,
            placed: Vec::new(),
        }
    }

    #[test]
    fn year_names_in_every_written_form() {
        for text in ["2025-26", "2025_26", "202526", "2025-2026", "25-26"] {
            assert_eq!(CollectionYear::parse(text), Some(y(2025)), "{text}");
        }
        for text in ["2025-27", "2025", "20252026x", "25-27", "abcd-ef"] {
            assert_eq!(CollectionYear::parse(text), None, "{text}");
        }
        assert_eq!(
            CollectionYear::find_in_name("returns/ssda903_2024-25"),
            Some(y(2024))
        );
        assert_eq!(
            CollectionYear::find_in_name("903 202324 final"),
            Some(y(2023))
        );
        assert_eq!(CollectionYear::find_in_name("episodes.csv"), None);
        assert_eq!(y(2025).to_string(), "2025-26");
        assert_eq!(y(2099).to_string(), "2099-00");
    }

    #[test]
    fn the_year_runs_from_1_april_to_31_march() {
        assert_eq!(CollectionYear::containing(ymd(2026, 3, 31)), y(2025));
        assert_eq!(CollectionYear::containing(ymd(2026, 4, 1)), y(2026));
        assert_eq!(y(2025).first_day(), ymd(2025, 4, 1));
        assert_eq!(y(2025).last_day(), ymd(2026, 3, 31));
    }

    #[test]
    fn an_episode_written_open_then_closed_takes_the_later_dec() {
        let open = ep(
            "C1",
            ymd(2023, 6, 1),
            Rne::S,
            LegalStatus::C2,
            Place::U1,
            None,
        );
        let closed = ep(
            "C1",
            ymd(2023, 6, 1),
            Rne::S,
            LegalStatus::C2,
            Place::U1,
            Some(ymd(2024, 5, 1)),
        );
        let rows = vec![
            in_return(2024, vec![closed.clone()], vec![]),
            in_return(2023, vec![open], vec![]),
        ];
        let m = merge_child(&held(&[2023, 2024]), rows).unwrap();
        assert_eq!(m.episodes, vec![closed]);
        assert!(m.warnings.is_empty());
    }

    #[test]
    fn an_episode_left_open_by_an_older_return_is_closed_by_the_stated_rules() {
        let first = ep(
            "C1",
            ymd(2022, 6, 1),
            Rne::S,
            LegalStatus::C2,
            Place::U1,
            None,
        );
        let next_p = ep(
            "C1",
            ymd(2023, 7, 1),
            Rne::P,
            LegalStatus::C2,
            Place::U4,
            None,
        );
        // Next episode P: ends on its DECOM, X1.
        let m = merge_child(
            &held(&[2022, 2023]),
            vec![
                in_return(2022, vec![first.clone()], vec![]),
                in_return(2023, vec![next_p.clone()], vec![]),
            ],
        )
        .unwrap();
        assert_eq!(m.episodes[0].dec, Some(ymd(2023, 7, 1)));
        assert_eq!(m.episodes[0].rec, Some(ReasonCeased::X1));
        assert_eq!(m.warnings.len(), 1);
        assert_eq!(m.warnings[0].rule, "closed-open-episode");
        // Next episode S: the day before, E99.
        let next_s = ep(
            "C1",
            ymd(2023, 7, 1),
            Rne::S,
            LegalStatus::C2,
            Place::U4,
            None,
        );
        let m = merge_child(
            &held(&[2022, 2023]),
            vec![
                in_return(2022, vec![first.clone()], vec![]),
                in_return(2023, vec![next_s], vec![]),
            ],
        )
        .unwrap();
        assert_eq!(m.episodes[0].dec, Some(ymd(2023, 6, 30)));
        assert_eq!(m.episodes[0].rec, Some(ReasonCeased::E99));
        // No later episode: the last day of its return's year, E99.
        let m = merge_child(
            &held(&[2022, 2023]),
            vec![in_return(2022, vec![first.clone()], vec![])],
        )
        .unwrap();
        assert_eq!(m.episodes[0].dec, Some(ymd(2023, 3, 31)));
        assert_eq!(m.episodes[0].rec, Some(ReasonCeased::E99));
        // In the latest return an open episode stays open.
        let m = merge_child(&held(&[2022]), vec![in_return(2022, vec![first], vec![])]).unwrap();
        assert_eq!(m.episodes[0].dec, None);
        assert!(m.warnings.is_empty());
    }

    #[test]
    fn a_later_returns_corrected_start_wins_over_an_overlapping_older_episode() {
        let older = ep(
            "C1",
            ymd(2023, 5, 1),
            Rne::S,
            LegalStatus::C2,
            Place::U1,
            Some(ymd(2023, 9, 1)),
        );
        let later = ep(
            "C1",
            ymd(2023, 6, 1),
            Rne::S,
            LegalStatus::C2,
            Place::U1,
            None,
        );
        let m = merge_child(
            &held(&[2023, 2024]),
            vec![
                in_return(2023, vec![older], vec![]),
                in_return(2024, vec![later.clone()], vec![]),
            ],
        )
        .unwrap();
        assert_eq!(m.episodes.len(), 2);
        assert_eq!(m.episodes[0].dec, Some(ymd(2023, 6, 1)));
        assert_eq!(m.warnings[0].rule, "older-episode-cut");
        // An older episode starting inside the later one is left out.
        let older_inside = ep(
            "C1",
            ymd(2023, 7, 1),
            Rne::P,
            LegalStatus::C2,
            Place::U4,
            Some(ymd(2023, 9, 1)),
        );
        let m = merge_child(
            &held(&[2023, 2024]),
            vec![
                in_return(2023, vec![older_inside], vec![]),
                in_return(2024, vec![later.clone()], vec![]),
            ],
        )
        .unwrap();
        assert_eq!(m.episodes, vec![later]);
        assert_eq!(m.warnings[0].rule, "older-episode-dropped");
    }

    #[test]
    fn reviews_come_from_their_own_years_return_or_the_latest_that_has_them() {
        let r = |d: NaiveDate| review("C1", d);
        // 2023-24 is held: its reviews come from it only, even if the
        // 2024-25 return repeats one. 2021-22 is not held: the latest return
        // that has reviews of that year gives them.
        let rows = vec![
            in_return(
                2023,
                vec![],
                vec![r(ymd(2021, 6, 1)), r(ymd(2023, 6, 1)), r(ymd(2023, 6, 1))],
            ),
            in_return(
                2024,
                vec![],
                vec![
                    r(ymd(2021, 6, 1)),
                    r(ymd(2021, 7, 1)),
                    r(ymd(2023, 6, 1)),
                    r(ymd(2024, 6, 1)),
                ],
            ),
        ];
        let m = merge_child(&held(&[2023, 2024]), rows).unwrap();
        let dates: Vec<_> = m.reviews.iter().map(|v| v.review).collect();
        assert_eq!(
            dates,
            [
                ymd(2021, 6, 1),
                ymd(2021, 7, 1),
                ymd(2023, 6, 1),
                ymd(2023, 6, 1),
                ymd(2024, 6, 1)
            ]
        );
    }

    #[test]
    fn header_from_the_latest_return_and_order_of_rows_does_not_matter() {
        let mut old = in_return(2022, vec![], vec![]);
        old.header.as_mut().unwrap().upn = Some("OLD".into());
        let mut new = in_return(2024, vec![], vec![]);
        new.header.as_mut().unwrap().upn = Some("NEW".into());
        let a = merge_child(&held(&[2022, 2024]), vec![old.clone(), new.clone()]).unwrap();
        let b = merge_child(&held(&[2022, 2024]), vec![new, old]).unwrap();
        assert_eq!(a.child.upn.as_deref(), Some("NEW"));
        assert_eq!(a, b);
    }

    fn record(episodes: Vec<Episode>, reviews: Vec<Review>) -> ChildRecord {
        ChildRecord {
            child: child("C1"),
            episodes,
            reviews,
            placed_adoption: Vec::new(),
            plan: None,
        }
    }

    #[test]
    fn a_period_before_the_earliest_return_is_said_to_be_a_lower_bound() {
        let coverage = Some(ymd(2022, 4, 1));
        let d = ymd(2024, 1, 1);
        // Its first held episode is not S: it began before.
        let carried_in = record(
            vec![ep(
                "C1",
                ymd(2021, 9, 1),
                Rne::P,
                LegalStatus::C2,
                Place::U1,
                None,
            )],
            vec![review("C1", ymd(2022, 10, 1))],
        );
        assert_eq!(
            coverage_note(&carried_in, coverage, d).as_deref(),
            Some(
                "in care since at least 01/09/2021; at least 1 review (the returns held begin 01/04/2022)"
            )
        );
        // An S episode before the coverage day: same.
        let s_before = record(
            vec![ep(
                "C1",
                ymd(2021, 9, 1),
                Rne::S,
                LegalStatus::C2,
                Place::U1,
                None,
            )],
            vec![],
        );
        assert!(begins_before_coverage(&s_before, coverage, d));
        // An S episode after it: the whole period is held.
        let s_after = record(
            vec![ep(
                "C1",
                ymd(2022, 9, 1),
                Rne::S,
                LegalStatus::C2,
                Place::U1,
                None,
            )],
            vec![],
        );
        assert_eq!(coverage_note(&s_after, coverage, d), None);
        // A whole history covers everything.
        assert_eq!(coverage_note(&carried_in, None, d), None);
    }

    #[test]
    fn a_return_holding_reviews_or_ended_episodes_before_its_year_is_a_whole_history() {
        let past = review("C1", ymd(2020, 5, 1));
        assert!(is_whole_history(y(2025), &[], &[past]));
        let this_year = review("C1", ymd(2025, 5, 1));
        let open_since_long_ago = ep(
            "C1",
            ymd(2019, 1, 1),
            Rne::S,
            LegalStatus::C2,
            Place::U1,
            None,
        );
        assert!(!is_whole_history(
            y(2025),
            &[open_since_long_ago],
            &[this_year]
        ));
        assert_eq!(
            coverage_start(&held(&[2024, 2022, 2023])),
            Some(ymd(2022, 4, 1))
        );
        let mut with_history = held(&[2022]);
        with_history.push(HeldReturn {
            year: y(2025),
            whole_history: true,
        });
        assert_eq!(coverage_start(&with_history), None);
    }
}
