//! Periods of care as a list of changes ("steps") counted in days from the
//! period's start, and their realisation as `Episodes` rows.
//!
//! A step is one new episode: why it started (`RNE`), the legal status and
//! the placement from then on. Steps are built so that each `RNE` agrees
//! with what changed (VAL 434-436): `L` changes only the legal status, `P`
//! and `T` only the placement, `U` and `B` both; `P` and `B` bring new
//! carers, `T` and `U` keep them.

use chrono::NaiveDate;

use super::pick::{Rng, chance, days, plus, weighted};
use super::placements::{self as pl, Placement};
use crate::model::{CategoryOfNeed, Episode, LegalStatus, Place, ReasonCeased, Rne};

#[derive(Debug, Clone)]
pub struct Step {
    /// Days after the period's start (0 for the first step).
    pub offset: i64,
    pub rne: Rne,
    pub ls: LegalStatus,
    pub placement: Placement,
    /// Why the previous placement ended (`REASON_PLACE_CHANGE`, written on
    /// the episode that is left).
    pub reason_left: Option<&'static str>,
}

/// A period of care before it is given dates.
#[derive(Debug, Clone, Default)]
pub struct Course {
    pub steps: Vec<Step>,
    /// Where the course ends of its own accord (an adoption order, remand
    /// ending): days after the start and the reason.
    pub natural_end: Option<(i64, ReasonCeased)>,
    /// The decision that the child should be placed for adoption, in days
    /// after the start.
    pub adm_decision: Option<i64>,
}

impl Course {
    fn last(&self) -> Option<&Step> {
        self.steps.last()
    }

    /// Adds a step at `offset` (pushed past the previous step if needed, so
    /// that no episode lasts less than a day). `None` placement keeps the
    /// current one.
    fn push(
        &mut self,
        offset: i64,
        rne: Rne,
        ls: LegalStatus,
        placement: Placement,
        reason_left: Option<&'static str>,
    ) {
        let offset = match self.last() {
            Some(prev) if offset <= prev.offset => prev.offset + 1,
            _ => offset,
        };
        self.steps.push(Step {
            offset,
            rne,
            ls,
            placement,
            reason_left,
        });
    }

    pub fn start(&mut self, ls: LegalStatus, placement: Placement) {
        self.push(0, Rne::S, ls, placement, None);
    }

    /// A new legal status: `L` in the same placement.
    pub fn legal(&mut self, offset: i64, ls: LegalStatus) {
        if let Some(prev) = self.last().cloned() {
            self.push(offset, Rne::L, ls, prev.placement, None);
        }
    }

    /// A move to new carers, with (`B`) or without (`P`) a new legal status.
    pub fn moved(&mut self, rng: &mut Rng, offset: i64, ls: Option<LegalStatus>, to: Placement) {
        if let Some(prev) = self.last().cloned() {
            let reason = move_reason(rng);
            match ls {
                Some(ls) if ls != prev.ls => self.push(offset, Rne::B, ls, to, Some(reason)),
                _ => self.push(offset, Rne::P, prev.ls, to, Some(reason)),
            }
        }
    }

    /// Same carers, different placement record, with (`U`) or without (`T`)
    /// a new legal status.
    pub fn same_carers(&mut self, offset: i64, ls: Option<LegalStatus>, to: Placement) {
        if let Some(prev) = self.last().cloned() {
            match ls {
                Some(ls) if ls != prev.ls => self.push(offset, Rne::U, ls, to, Some("CARPL")),
                _ => self.push(offset, Rne::T, prev.ls, to, Some("PLACE")),
            }
        }
    }

    pub fn current(&self) -> Option<&Step> {
        self.last()
    }
}

/// Why a child moved to new carers, weighted roughly as councils report it.
fn move_reason(rng: &mut Rng) -> &'static str {
    weighted(
        rng,
        &[
            ("CARPL", 30),
            ("CREQB", 12),
            ("CREQO", 10),
            ("CHILD", 8),
            ("LAREQ", 8),
            ("OTHER", 8),
            ("STAND", 3),
            ("ALLEG", 2),
            ("CLOSE", 3),
            ("APPRR", 1),
        ],
    )
}

/// How the period is to be realised: open at the as-at date, or ended.
#[derive(Debug, Clone, Copy)]
pub enum Ending {
    /// Still looked after; the last episode is open.
    Open,
    /// Ended on the given day offset (from the period's start) for the given
    /// reason; `None` picks a reason that fits the last placement.
    At(i64, Option<ReasonCeased>),
}

/// Turns a course into episodes starting on `start`. Steps on or after an
/// end, or beyond `max_offset` (the as-at date for an open period), are
/// dropped; at most `max_episodes` are kept. Returns the episodes and the
/// day the period ended, if it did.
#[allow(clippy::too_many_arguments)]
pub fn realise(
    rng: &mut Rng,
    child: &str,
    course: &Course,
    start: NaiveDate,
    ending: Ending,
    max_offset: i64,
    max_episodes: usize,
    cin: CategoryOfNeed,
    home_post: &str,
    age_years_at_end: i64,
) -> (Vec<Episode>, Option<NaiveDate>) {
    let limit = match ending {
        Ending::Open => max_offset,
        Ending::At(end, _) => end - 1,
    };
    let steps: Vec<&Step> = course
        .steps
        .iter()
        .filter(|s| s.offset <= limit)
        .take(max_episodes.max(1))
        .collect();
    let mut episodes = Vec::with_capacity(steps.len());
    for (i, step) in steps.iter().enumerate() {
        let next = steps.get(i + 1);
        let (dec, rec) = match (next, ending) {
            (Some(next), _) => (Some(plus(start, next.offset)), Some(ReasonCeased::X1)),
            (None, Ending::Open) => (None, None),
            (None, Ending::At(end, reason)) => {
                // A course's own reason is kept unless the episodes were cut
                // short before the adoptive placement it presumes (VAL 390).
                let reason = match reason {
                    Some(ReasonCeased::E11 | ReasonCeased::E12)
                        if !pl::is_adoptive(step.placement.place) =>
                    {
                        leaving_reason(rng, step.ls, step.placement.place, age_years_at_end, end)
                    }
                    Some(r) => r,
                    None => {
                        leaving_reason(rng, step.ls, step.placement.place, age_years_at_end, end)
                    }
                };
                (Some(plus(start, end)), Some(reason))
            }
        };
        episodes.push(Episode {
            child: child.to_owned(),
            decom: plus(start, step.offset),
            rne: step.rne,
            ls: step.ls,
            cin: Some(cin),
            place: step.placement.place,
            place_provider: step.placement.provider,
            dec,
            rec,
            reason_place_change: next.and_then(|n| n.reason_left).map(str::to_owned),
            home_post: Some(home_post.to_owned()),
            pl_post: step.placement.pl_post.clone(),
            urn: step.placement.urn.clone(),
        });
    }
    register_supported_accommodation(rng, &mut episodes, plus(start, limit));
    let ended = match ending {
        Ending::Open => None,
        Ending::At(end, _) => Some(plus(start, end)),
    };
    (episodes, ended)
}

/// The fewest days in care before a court makes a special guardianship or
/// child arrangements order: care proceedings run about 26 weeks, and the
/// carers' assessment follows.
pub const MIN_DAYS_BEFORE_ORDER: i64 = 270;

/// Semi-independent accommodation (H5) had to be registered with Ofsted
/// from 28/10/2023 (VAL 230: a URN from then) and left the DfE's list after
/// 2024-25 (VAL 146 for 2025-26, where it is registered supported
/// accommodation, K3). A setting in use on either day is recorded again
/// from that day: the same carers (a `T` change) with a URN.
/// Nothing is recorded after `last_day`, the period's last day held.
fn register_supported_accommodation(
    rng: &mut Rng,
    episodes: &mut Vec<Episode>,
    last_day: NaiveDate,
) {
    for (cut, to) in [
        (pl::h5_urn_from(), Place::H5),
        (pl::last_h5_day(), Place::K3),
    ] {
        if cut <= last_day {
            reregister(rng, episodes, cut, to);
        }
    }
}

/// Splits the H5 episode running across `cut` there, the part from `cut`
/// recorded as `to` with a URN (episodes after it in the same setting, a
/// change of legal status only, follow).
fn reregister(rng: &mut Rng, episodes: &mut Vec<Episode>, cut: NaiveDate, to: Place) {
    let Some(i) = episodes
        .iter()
        .position(|e| e.place == Place::H5 && e.decom < cut && e.dec.is_none_or(|d| d > cut))
    else {
        return;
    };
    if to == Place::H5 && episodes[i].urn.is_some() {
        return;
    }
    let old = episodes[i].clone();
    let urn = old.urn.clone().unwrap_or_else(|| pl::urn(rng));
    let same_setting =
        |e: &Episode| e.place == old.place && e.pl_post == old.pl_post && e.urn == old.urn;
    for later in &mut episodes[i + 1..] {
        if same_setting(later) {
            later.place = to;
            later.urn = Some(urn.clone());
        }
    }
    let mut from_cut = Episode {
        decom: cut,
        rne: Rne::T,
        place: to,
        urn: Some(urn),
        ..old
    };
    // The left episode ends on `cut` for a change of placement record.
    let first = &mut episodes[i];
    first.dec = Some(cut);
    first.rec = Some(ReasonCeased::X1);
    from_cut.reason_place_change = first.reason_place_change.replace("PLACE".to_owned());
    episodes.insert(i + 1, from_cut);
}

/// A reason for leaving care that fits the legal status and placement the
/// child leaves from (VAL 390: adoption only from A3-A6; 516: special
/// guardianship by former foster carers only from U1-U6), and the time in
/// care: no special guardianship or child arrangements order before
/// [`MIN_DAYS_BEFORE_ORDER`] days.
pub fn leaving_reason(
    rng: &mut Rng,
    ls: LegalStatus,
    place: Place,
    age_years: i64,
    days_in_care: i64,
) -> ReasonCeased {
    use ReasonCeased::*;
    if matches!(ls, LegalStatus::J1 | LegalStatus::J2) {
        return E14;
    }
    if pl::is_adoptive(place) {
        return weighted(rng, &[(E11, 3), (E12, 2)]);
    }
    // Each table keeps its length so that one draw is taken either way;
    // an order too early becomes a return home.
    let order_ok = days_in_care >= MIN_DAYS_BEFORE_ORDER;
    let order = |r: ReasonCeased| if order_ok { r } else { E4A };
    if pl::is_kin(place) {
        return weighted(
            rng,
            &[
                (order(E45), 6),
                (order(E41), 3),
                (E4A, 5),
                (E13, 3),
                (E8, 3),
            ],
        );
    }
    if pl::is_foster(place) {
        if age_years >= 16 {
            return weighted(rng, &[(E5, 4), (E6, 1), (E4A, 3), (E8, 2)]);
        }
        return weighted(
            rng,
            &[(order(E46), 5), (E4A, 7), (E13, 3), (E8, 3), (E3, 1)],
        );
    }
    if place == Place::P1 {
        return weighted(rng, &[(E4A, 6), (order(E41), 3), (E8, 1)]);
    }
    if age_years >= 16 {
        return weighted(rng, &[(E5, 4), (E6, 2), (E4A, 2), (E8, 2)]);
    }
    weighted(rng, &[(E4A, 5), (E13, 2), (E8, 3)])
}

/// Facts a course generator needs about the child.
pub struct Who<'a> {
    /// Age in days on the period's first day.
    pub entry_age_days: i64,
    pub home_post: &'a str,
    pub start: NaiveDate,
}

impl Who<'_> {
    fn age_years_at(&self, offset: i64) -> i64 {
        (self.entry_age_days + offset) / 365
    }

    /// Whether the child has had their 16th birthday `offset` days into
    /// the period, to the day (VAL 371: semi-independent living from 16).
    fn sixteen_at(&self, offset: i64) -> bool {
        let dob = plus(self.start, -self.entry_age_days);
        plus(self.start, offset) >= crate::rules::dates::add_months(dob, 16 * 12)
    }
}

/// The broad route through care a period follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pathway {
    /// Accommodated under section 20 throughout.
    Voluntary,
    /// Care proceedings: interim then full care order.
    CareOrder,
    /// Care proceedings ending in a placement order and adoption.
    Adoption,
    /// Remanded (J1), then accommodated or released.
    Remand,
}

pub fn choose_pathway(rng: &mut Rng, entry_age_days: i64) -> Pathway {
    use Pathway::*;
    let years = entry_age_days / 365;
    match years {
        0..=1 => weighted(rng, &[(Adoption, 45), (CareOrder, 45), (Voluntary, 10)]),
        2..=4 => weighted(rng, &[(Adoption, 10), (CareOrder, 65), (Voluntary, 25)]),
        5..=9 => weighted(rng, &[(CareOrder, 65), (Voluntary, 35)]),
        10..=13 => weighted(rng, &[(CareOrder, 45), (Voluntary, 55)]),
        14..=15 => weighted(rng, &[(CareOrder, 35), (Voluntary, 57), (Remand, 8)]),
        _ => weighted(rng, &[(CareOrder, 10), (Voluntary, 78), (Remand, 12)]),
    }
}

/// A placement that suits the child's age at a move: foster care mostly,
/// residential for some teenagers, semi-independent at 16 or 17.
fn next_home(rng: &mut Rng, who: &Who, offset: i64, current: &Placement) -> Placement {
    let age = who.age_years_at(offset);
    let on = plus(who.start, offset);
    if age >= 16 && who.sixteen_at(offset) && chance(rng, 0.35) {
        return pl::semi_independent(rng, on, who.home_post, Some(current));
    }
    if age >= 11 && chance(rng, if age >= 13 { 0.3 } else { 0.15 }) {
        return pl::residential(rng, false, who.home_post, Some(current));
    }
    let kin = pl::kin_share(rng);
    let long_term = chance(rng, 0.15);
    pl::foster(rng, kin, long_term, who.home_post, Some(current))
}

/// The first placement of a period.
fn first_home(rng: &mut Rng, who: &Who) -> Placement {
    let age = who.age_years_at(0);
    if age >= 16 && who.sixteen_at(0) && chance(rng, 0.25) {
        return pl::semi_independent(rng, who.start, who.home_post, None);
    }
    if age >= 12 && chance(rng, 0.2) {
        return pl::residential(rng, false, who.home_post, None);
    }
    let kin = pl::kin_share(rng);
    pl::foster(rng, kin, false, who.home_post, None)
}

/// Placement moves (and the odd same-carers change) from `from` up to
/// `horizon`, under legal status `ls`.
fn settle(rng: &mut Rng, course: &mut Course, who: &Who, from: i64, horizon: i64, mean_gap: i64) {
    let mut t = from;
    loop {
        // Long-term, kinship and home placements last longer.
        let settled = course.current().is_some_and(|s| {
            matches!(s.placement.place, Place::U1 | Place::U4 | Place::P1)
                || pl::is_kin(s.placement.place)
        });
        let gap = if settled { mean_gap * 2 } else { mean_gap };
        t += days(rng, gap / 3, gap * 2);
        if t > horizon || course.steps.len() >= 12 {
            return;
        }
        let Some(current) = course.current().map(|s| s.placement.clone()) else {
            return;
        };
        let age = who.age_years_at(t);
        if let Some(long_term) = pl::made_long_term(&current).filter(|_| chance(rng, 0.25)) {
            course.same_carers(t, None, long_term);
        } else if age < 16
            && current.place != Place::P1
            && course.current().map(|s| s.ls) == Some(LegalStatus::C2)
            && chance(rng, 0.12)
        {
            let home = pl::new_placement(
                rng,
                Place::P1,
                crate::model::Provider::PR0,
                who.home_post,
                Some(&current),
            );
            course.moved(rng, t, None, home);
        } else {
            let to = next_home(rng, who, t, &current);
            course.moved(rng, t, None, to);
        }
    }
}

/// Builds the course of a period following `pathway`, with changes up to
/// `horizon` days after the start.
pub fn course(rng: &mut Rng, pathway: Pathway, who: &Who, horizon: i64) -> Course {
    let mut c = Course::default();
    match pathway {
        Pathway::Voluntary => {
            c.start(LegalStatus::V2, first_home(rng, who));
            settle(rng, &mut c, who, 0, horizon, 300);
        }
        Pathway::Remand => {
            let home = if chance(rng, 0.5) {
                pl::residential(rng, true, who.home_post, None)
            } else {
                pl::foster(rng, false, false, who.home_post, None)
            };
            c.start(LegalStatus::J1, home);
            let remand = days(rng, 20, 120);
            if chance(rng, 0.5) {
                c.natural_end = Some((remand, ReasonCeased::E14));
            } else {
                c.legal(remand, LegalStatus::V2);
                settle(rng, &mut c, who, remand, horizon, 300);
            }
        }
        Pathway::CareOrder => {
            let first = first_home(rng, who);
            let c1_at = care_proceedings_entry(rng, &mut c, first);
            let c2_at = c1_at + days(rng, 120, 330);
            let current = c.current().map(|s| s.placement.clone());
            match current {
                Some(p) if chance(rng, 0.15) => {
                    let to = next_home(rng, who, c2_at, &p);
                    c.moved(rng, c2_at, Some(LegalStatus::C2), to);
                }
                Some(p) if chance(rng, 0.1) => match pl::made_long_term(&p) {
                    Some(lt) => c.same_carers(c2_at, Some(LegalStatus::C2), lt),
                    None => c.legal(c2_at, LegalStatus::C2),
                },
                _ => c.legal(c2_at, LegalStatus::C2),
            }
            // A few young children had an adoption decision that was later
            // reversed (the court made a care order instead).
            if who.age_years_at(0) < 4 && chance(rng, 0.12) {
                c.adm_decision = Some(days(rng, c1_at + 30, c2_at - 20));
            }
            settle(rng, &mut c, who, c2_at, horizon, 420);
        }
        Pathway::Adoption => {
            let first = if chance(rng, 0.3) {
                pl::foster_for_adoption(rng, who.home_post)
            } else {
                pl::foster(rng, false, false, who.home_post, None)
            };
            let c1_at = care_proceedings_entry(rng, &mut c, first);
            // An occasional move while proceedings run.
            let e1_at = c1_at + days(rng, 150, 360);
            if chance(rng, 0.25) {
                let t = days(rng, c1_at + 20, e1_at - 20);
                if let Some(cur) = c.current().map(|s| s.placement.clone()) {
                    let to = pl::foster(rng, false, false, who.home_post, Some(&cur));
                    c.moved(rng, t, None, to);
                }
            }
            c.adm_decision = Some(e1_at - days(rng, 15, 100));
            c.legal(e1_at, LegalStatus::E1);
            let placed_at = e1_at + days(rng, 60, 300);
            if let Some(cur) = c.current().map(|s| s.placement.clone()) {
                let with_carers = cur.place == Place::U5 || chance(rng, 0.1);
                let to = pl::adoptive(rng, &cur, with_carers, who.home_post);
                if with_carers {
                    c.same_carers(placed_at, None, to);
                } else {
                    c.moved(rng, placed_at, None, to);
                }
            }
            let order_at = placed_at + days(rng, 100, 330);
            let rec = weighted(rng, &[(ReasonCeased::E11, 3), (ReasonCeased::E12, 2)]);
            c.natural_end = Some((order_at, rec));
        }
    }
    c
}

/// The start of care proceedings: police protection, an emergency
/// protection order or accommodation first, then an interim care order.
/// Returns the day the interim care order began.
fn care_proceedings_entry(rng: &mut Rng, c: &mut Course, first: Placement) -> i64 {
    let entry = weighted(
        rng,
        &[
            (Some(LegalStatus::V2), 40),
            (Some(LegalStatus::L1), 5),
            (Some(LegalStatus::L2), 10),
            (None, 45),
        ],
    );
    match entry {
        None => {
            c.start(LegalStatus::C1, first);
            0
        }
        Some(ls) => {
            let lasts = match ls {
                LegalStatus::L1 => days(rng, 1, 3),
                LegalStatus::L2 => days(rng, 2, 8),
                _ => days(rng, 20, 150),
            };
            c.start(ls, first);
            c.legal(lasts, LegalStatus::C1);
            lasts
        }
    }
}
