//! The generated history written the way councils hold it: one SSDA903
//! return per collection year (1 April to 31 March), each in its own folder
//! with every DfE table, cut as rules.md "Returns and how they merge"
//! describes, plus an in-year extract of the year after the last return.
//!
//! A year's return holds the children looked after at some time in the
//! year; their episodes open at some time in it (one still running on
//! 31 March is written open: no `DEC`, `REC` or `REASON_PLACE_CHANGE`); the
//! reviews held in it; the adoption decisions made by its end (a reversal
//! after its end not yet known); the care leavers with a 17th to 21st
//! birthday in it (OC3, with a Header row when not looked after); the
//! unaccompanied asylum-seeking children looked after in it (UASC); from
//! 2026-27, the deprivation of liberty orders in force in it (DoLo). Codes
//! follow the year: `SEX` 1/2 to 2023-24 and M/F from 2024-25.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{Datelike, NaiveDate};

use rand::SeedableRng;

use super::care_leavers::{oc3_birthday, oc3_values, returned_home};
use super::csv_out::{self, Table, opt_dmy, plan_row};
use super::dolo::{dolo_from, orders};
use super::pick::{Rng, chance, days, plus, weighted};
use super::uasc::status_ceased;
use super::{SteadyChild, SynthConfig, generate_steady_each};
use crate::model::schema903::{PLAN_COLUMNS, Table903};
use crate::model::{ChildRecord, Episode, Place, ReasonCeased, Rne, Sex};
use crate::rules::dates::{add_months, dmy};
use crate::rules::returns::CollectionYear;

/// Reads a range of collection years `2019-20..2025-26` (first and last
/// included), for `generate --returns`.
pub fn parse_year_range(text: &str) -> Result<(CollectionYear, CollectionYear), String> {
    let expected = "expected collection years like 2019-20..2025-26 (first..last, each YYYY-YY)";
    let (a, b) = text
        .split_once("..")
        .ok_or_else(|| format!("'{text}': {expected}"))?;
    let first = CollectionYear::parse(a).ok_or_else(|| format!("'{a}': {expected}"))?;
    let last = CollectionYear::parse(b).ok_or_else(|| format!("'{b}': {expected}"))?;
    if last < first {
        return Err(format!(
            "'{text}': the last year {last} is before the first {first}"
        ));
    }
    Ok((first, last))
}

/// The year a collection ends in, as the DfE's validator names it (2026
/// for 2025-26).
pub fn year_ends(year: CollectionYear) -> i32 {
    year.start_year() + 1
}

/// What to write: a steady population of `children` from `seed`, returns
/// for `first..=last`, and an in-year extract up to `in_year_to` (a day in
/// the year after `last`); with `in_year_before`, also the in-year extract
/// as it stood on that earlier day (last month's, for the monthly import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnsConfig {
    pub children: usize,
    pub seed: u64,
    pub first: CollectionYear,
    pub last: CollectionYear,
    pub in_year_to: Option<NaiveDate>,
    pub in_year_before: Option<NaiveDate>,
}

impl ReturnsConfig {
    /// Checks that the in-year date falls in the year after the last return.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(d) = self.in_year_to {
            let next = CollectionYear::starting(self.last.start_year() + 1);
            if d < next.first_day() || d > next.last_day() {
                return Err(format!(
                    "--in-year-to {}: expected a date in {next}, the year after the last return {} ({} to {})",
                    d.format("%Y-%m-%d"),
                    self.last,
                    dmy(next.first_day()),
                    dmy(next.last_day())
                ));
            }
        }
        if let Some(before) = self.in_year_before {
            let Some(to) = self.in_year_to else {
                return Err("--in-year-before needs --in-year-to".into());
            };
            if before >= to || CollectionYear::containing(before) != CollectionYear::containing(to)
            {
                return Err(format!(
                    "--in-year-before {}: expected a date before --in-year-to {} in the same year ({} to {})",
                    before.format("%Y-%m-%d"),
                    to.format("%Y-%m-%d"),
                    dmy(CollectionYear::containing(to).first_day()),
                    dmy(to.pred_opt().unwrap_or(to)),
                ));
            }
        }
        Ok(())
    }

    /// The folder, under the output folder, of the in-year extract as it
    /// stood on `in_year_before`: `as-at-YYYY-MM-DD/YEAR`, so that the
    /// import takes the year from its name as from the others'.
    pub fn earlier_extract_folder(&self) -> Option<PathBuf> {
        self.in_year_before.map(|d| {
            PathBuf::from(format!("as-at-{}", d.format("%Y-%m-%d")))
                .join(CollectionYear::containing(d).to_string())
        })
    }

    /// Every return written, oldest first, with the day each runs to.
    pub fn periods(&self) -> Vec<(CollectionYear, NaiveDate)> {
        let mut out: Vec<(CollectionYear, NaiveDate)> = (self.first.start_year()
            ..=self.last.start_year())
            .map(|start| {
                let y = CollectionYear::starting(start);
                (y, y.last_day())
            })
            .collect();
        if let Some(d) = self.in_year_to {
            out.push((CollectionYear::containing(d), d));
        }
        out
    }

    /// The day the generated history runs to.
    pub fn as_at(&self) -> NaiveDate {
        self.in_year_to.unwrap_or(self.last.last_day())
    }
}

/// What one return's folder holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnWritten {
    /// The folder, under the output folder.
    pub folder: PathBuf,
    pub year: CollectionYear,
    pub last_day: NaiveDate,
    pub in_year: bool,
    pub children: usize,
    pub episodes: usize,
    pub reviews: usize,
    pub placed_adoption: usize,
    pub adopted: usize,
    /// Rows of the UASC, OC3 and DoLo tables.
    pub uasc: usize,
    pub care_leavers: usize,
    pub dolo: usize,
}

/// What `write_returns` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnsWritten {
    pub dir: PathBuf,
    pub returns: Vec<ReturnWritten>,
    pub plans: usize,
}

impl fmt::Display for ReturnsWritten {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Wrote synthetic SSDA903 returns to {}:",
            self.dir.display()
        )?;
        let width = self
            .returns
            .iter()
            .map(|r| r.folder.display().to_string().len() + 1)
            .max()
            .unwrap_or(0)
            .max(9);
        writeln!(
            f,
            "  {:<width$} {:<25} {:>8} {:>8} {:>8} {:>5} {:>5} {:>5}",
            "year", "period", "children", "episodes", "reviews", "UASC", "OC3", "DoLo"
        )?;
        for r in &self.returns {
            let period = format!("{} to {}", dmy(r.year.first_day()), dmy(r.last_day));
            writeln!(
                f,
                "  {:<width$} {:<25} {:>8} {:>8} {:>8} {:>5} {:>5} {:>5}{}",
                format!("{}/", r.folder.display()),
                period,
                r.children,
                r.episodes,
                r.reviews,
                r.uasc,
                r.care_leavers,
                r.dolo,
                if r.in_year { "  in-year extract" } else { "" }
            )?;
        }
        write!(
            f,
            "  {:<w$} {:>8} plans",
            csv_out::PLANS_FILE,
            self.plans,
            w = width + 26
        )
    }
}

/// Every table of one return, open for writing.
struct ReturnTables {
    written: ReturnWritten,
    /// The day the whole generated history runs to.
    as_at: NaiveDate,
    header: Table,
    episodes: Table,
    reviews: Table,
    placed: Table,
    ad1: Table,
    oc2: Table,
    prev_perm: Table,
    sw_episodes: Table,
    missing: Table,
    uasc: Table,
    oc3: Table,
    dolo: Table,
}

impl ReturnTables {
    /// The tables of the return of `year` up to `last_day`, in `folder`
    /// under `out`.
    fn create(
        out: &Path,
        folder: PathBuf,
        year: CollectionYear,
        last_day: NaiveDate,
        as_at: NaiveDate,
    ) -> anyhow::Result<Self> {
        let dir = &out.join(&folder);
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
        let t = |table: Table903| Table::create(dir, table.file_name(), table.columns());
        Ok(ReturnTables {
            as_at,
            written: ReturnWritten {
                folder,
                year,
                last_day,
                in_year: last_day != year.last_day(),
                children: 0,
                episodes: 0,
                reviews: 0,
                placed_adoption: 0,
                adopted: 0,
                uasc: 0,
                care_leavers: 0,
                dolo: 0,
            },
            header: t(Table903::Header)?,
            episodes: t(Table903::Episodes)?,
            reviews: t(Table903::Reviews)?,
            placed: t(Table903::PlacedAdoption)?,
            ad1: t(Table903::Ad1)?,
            oc2: t(Table903::Oc2)?,
            prev_perm: t(Table903::PrevPerm)?,
            sw_episodes: t(Table903::SwEpisodes)?,
            missing: t(Table903::Missing)?,
            uasc: t(Table903::Uasc)?,
            oc3: t(Table903::Oc3)?,
            dolo: t(Table903::DoLo)?,
        })
    }

    /// Writes the part of `r` that this return holds; `uasc`: the child is
    /// an unaccompanied asylum-seeking child.
    fn add(&mut self, r: &ChildRecord, uasc: bool) -> anyhow::Result<()> {
        let first = self.written.year.first_day();
        let last = self.written.last_day;
        let in_year: Vec<&Episode> = r
            .episodes
            .iter()
            .filter(|e| e.decom <= last && e.dec.is_none_or(|d| d >= first))
            .collect();
        let care_leaver = oc3_birthday(r, first, last);
        if in_year.is_empty() {
            if let Some((age, _)) = care_leaver {
                self.add_care_leaver(r, age)?;
            }
            return Ok(());
        }
        let c = &r.child;
        let dob = dmy(c.dob);
        let sex = year_sex(c.sex, self.written.year);
        // A child's own child born after the return's end, or after the
        // child left care, is not known to it (VAL 625).
        let left = in_year.last().and_then(|e| e.dec).filter(|d| *d <= last);
        let mc_dob = c.mc_dob.filter(|d| *d <= left.unwrap_or(last));
        let mother = match (c.mother, mc_dob) {
            (None, _) => "",
            (Some(true), Some(_)) => "1",
            (Some(_), _) => "0",
        };
        let upn = returned_upn(c.upn.as_deref());
        self.header.row([
            c.id.as_str(),
            sex.code(),
            &dob,
            c.ethnic.code(),
            upn,
            mother,
            &opt_dmy(mc_dob),
        ])?;
        self.written.children += 1;
        if uasc {
            // In every return that has the child looked after, with the
            // 18th birthday as DUC even before it comes (VAL 205B reads
            // last year's DUC so); none once a care leaver (VAL 1014).
            self.uasc
                .row([c.id.as_str(), sex.code(), &dob, &dmy(status_ceased(c.dob))])?;
            self.written.uasc += 1;
        }
        if let Some((age, _)) = care_leaver {
            self.oc3.row(oc3_row(r, age, self.written.year))?;
            self.written.care_leavers += 1;
        }
        if self.written.year >= dolo_from() {
            for o in orders(r, self.as_at) {
                if o.start <= last && o.end.is_none_or(|d| d >= first) {
                    let end = o.end.filter(|d| *d <= last);
                    self.dolo
                        .row([c.id.as_str(), &dob, &dmy(o.start), &opt_dmy(end)])?;
                    self.written.dolo += 1;
                }
            }
        }
        for e in &in_year {
            // Still running at the return's end: written open.
            let ended = e.dec.filter(|d| *d <= last);
            self.episodes.row([
                e.child.as_str(),
                &dmy(e.decom),
                e.rne.code(),
                e.ls.code(),
                e.cin.map_or("", |c| c.code()),
                e.place.code(),
                e.place_provider.map(|p| p.code()).unwrap_or(""),
                &opt_dmy(ended),
                ended.and(e.rec).map(|x| x.code()).unwrap_or(""),
                ended.and(e.reason_place_change.as_deref()).unwrap_or(""),
                e.home_post.as_deref().unwrap_or(""),
                e.pl_post.as_deref().unwrap_or(""),
                e.urn.as_deref().unwrap_or(""),
            ])?;
        }
        self.written.episodes += in_year.len();
        for v in r
            .reviews
            .iter()
            .filter(|v| v.review >= first && v.review <= last)
        {
            self.reviews.row([
                v.child.as_str(),
                &dob,
                &dmy(v.review),
                v.review_code.map_or("", |c| c.code()),
            ])?;
            self.written.reviews += 1;
        }
        // Decisions made by the year's end and not reversed before it began
        // (VAL 118, 561).
        for p in r
            .placed_adoption
            .iter()
            .filter(|p| p.date_placed <= last && p.date_placed_ceased.is_none_or(|d| d >= first))
        {
            let ceased = p.date_placed_ceased.filter(|d| *d <= last);
            self.placed.row([
                p.child.as_str(),
                &dob,
                &dmy(p.date_placed),
                &opt_dmy(ceased),
                ceased
                    .and(p.reason_placed_ceased)
                    .map(|x| x.code())
                    .unwrap_or(""),
            ])?;
            self.written.placed_adoption += 1;
        }
        if let Some(row) = ad1_row(r, first, last) {
            self.ad1.row(row)?;
            self.written.adopted += 1;
        }
        let year_end = self.written.year.last_day();
        if continuously_looked_after(&in_year, first, year_end) {
            self.oc2.row(oc2_row(r, first, year_end))?;
        }
        // Every child who started to be looked after in the year: no
        // permanence order before (Z1), the usual answer (VAL 630).
        if in_year.iter().any(|e| e.rne == Rne::S && e.decom >= first) {
            self.prev_perm.row([c.id.as_str(), &dob, "Z1", "", ""])?;
        }
        for m in missing_episodes(r, self.as_at) {
            if m.start >= first && m.start <= last {
                self.missing
                    .row([c.id.as_str(), &dob, m.kind, &dmy(m.start), &dmy(m.end)])?;
            }
        }
        if self.written.year >= sw_episodes_from() {
            // The year's workers; from 2024-25 the year before's too (VAL SW07).
            let from = if self.written.year == sw_episodes_from() {
                first
            } else {
                plus(first, -365)
            };
            for sw in social_workers(r, self.as_at) {
                if sw.start <= last && sw.end.is_none_or(|d| d >= from) {
                    let end = sw.end.filter(|d| *d <= last);
                    self.sw_episodes.row([
                        c.id.as_str(),
                        &dob,
                        &sw.id,
                        &dmy(sw.start),
                        &opt_dmy(end),
                        sw.reason,
                    ])?;
                }
            }
        }
        Ok(())
    }

    /// A care leaver not looked after in the year: a Header row (no
    /// motherhood details, VAL 628) and the OC3 row, nothing else (VAL
    /// 1012).
    fn add_care_leaver(&mut self, r: &ChildRecord, age: u32) -> anyhow::Result<()> {
        let c = &r.child;
        self.header.row([
            c.id.as_str(),
            year_sex(c.sex, self.written.year).code(),
            &dmy(c.dob),
            c.ethnic.code(),
            returned_upn(c.upn.as_deref()),
            "",
            "",
        ])?;
        self.written.children += 1;
        self.oc3.row(oc3_row(r, age, self.written.year))?;
        self.written.care_leavers += 1;
        Ok(())
    }

    fn finish(self) -> anyhow::Result<ReturnWritten> {
        for table in [
            self.header,
            self.episodes,
            self.reviews,
            self.placed,
            self.ad1,
            self.oc2,
            self.prev_perm,
            self.sw_episodes,
            self.missing,
            self.uasc,
            self.oc3,
            self.dolo,
        ] {
            table.finish()?;
        }
        Ok(self.written)
    }
}

/// The UPN a return writes. "Newly looked after, UPN not yet known" (UN4)
/// fits one week of one return (VAL 210) and a UPN must not change between
/// returns (VAL 208): the returns write such a child's UPN as not agreed
/// between sources (UN5) throughout.
fn returned_upn(upn: Option<&str>) -> &str {
    match upn {
        Some("UN4") => "UN5",
        other => other.unwrap_or(""),
    }
}

/// The OC3 row of a care leaver at `age` in `year`, drawn from the child's
/// own stream for that year.
fn oc3_row(r: &ChildRecord, age: u32, year: CollectionYear) -> [String; 5] {
    let mut rng = child_rng(
        &r.child.id,
        0x4f43_3300 ^ year.start_year().unsigned_abs() as u64,
    );
    let (in_touch, activ, accom) = oc3_values(&mut rng, age, returned_home(r));
    [
        r.child.id.clone(),
        dmy(r.child.dob),
        in_touch.to_owned(),
        activ.to_owned(),
        accom.to_owned(),
    ]
}

/// The `SEX` code the return of `year` uses: 1/2 to 2023-24, M/F after.
fn year_sex(sex: Sex, year: CollectionYear) -> Sex {
    let normal = sex.normalised();
    if year >= CollectionYear::starting(2024) {
        return normal;
    }
    match normal {
        Sex::Male => Sex::LegacyMale,
        Sex::Female => Sex::LegacyFemale,
        other => other,
    }
}

/// The AD1 row of a child adopted in the year: the decision that the child
/// should be placed for adoption (`DATE_INT`), the match (`DATE_MATCH`,
/// the day placed with the adopters), whether the adopters were the foster
/// carers (A3/A5), and the adopters (one or two, sex, legal status).
fn ad1_row(r: &ChildRecord, first: NaiveDate, last: NaiveDate) -> Option<[String; 8]> {
    let adoption = r.episodes.iter().find(|e| {
        matches!(e.rec, Some(ReasonCeased::E11 | ReasonCeased::E12))
            && e.dec.is_some_and(|d| d >= first && d <= last)
    })?;
    let decided = r
        .placed_adoption
        .iter()
        .filter(|p| p.date_placed <= adoption.decom)
        .map(|p| p.date_placed)
        .max()?;
    let with_carers = matches!(
        adoption.place,
        crate::model::Place::A3 | crate::model::Place::A5
    );
    // Fixed by the child's id, so every year writes the same adopters.
    let n: u32 = r
        .child
        .id
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let (count, sexes, status) = match n % 6 {
        0 => ("1", "F1", "L0"),
        1 => ("1", "M1", "L0"),
        2 | 3 => ("2", "MF", "L11"),
        4 => ("2", "MF", "L2"),
        _ => ("2", "FF", "L12"),
    };
    Some([
        r.child.id.clone(),
        dmy(r.child.dob),
        dmy(decided),
        dmy(adoption.decom),
        if with_carers { "1" } else { "0" }.to_owned(),
        count.to_owned(),
        sexes.to_owned(),
        status.to_owned(),
    ])
}

/// The first collection year with a social worker table (2023-24).
fn sw_episodes_from() -> CollectionYear {
    CollectionYear::starting(2023)
}

/// VAL's "continuously looked after for 12 months at 31 March": looked
/// after in the year, with no period starting after its first day and none
/// ending before its last.
fn continuously_looked_after(in_year: &[&Episode], first: NaiveDate, last: NaiveDate) -> bool {
    !in_year.is_empty()
        && !in_year.iter().any(|e| {
            (e.rne == Rne::S && e.decom > first && e.decom <= last)
                || e.dec
                    .is_some_and(|d| d >= first && d < last && e.rec != Some(ReasonCeased::X1))
        })
}

/// A child's own random stream for the tables the generator does not keep
/// in its records, fixed by the child's id so every year agrees.
pub(super) fn child_rng(id: &str, salt: u64) -> Rng {
    let h = id.bytes().fold(salt ^ 0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    Rng::seed_from_u64(h)
}

/// The OC2 row of a child looked after for 12 months at 31 March: the
/// strengths and difficulties score for ages 4 to 16 (a reason instead
/// when the 4th or 17th birthday falls in the year), convictions from 10,
/// the health check under 5, and the health items (VAL 157-198, 542-547).
fn oc2_row(r: &ChildRecord, first: NaiveDate, year_end: NaiveDate) -> [String; 12] {
    let mut rng = child_rng(&r.child.id, u64::from(year_end.year().unsigned_abs()));
    let dob = r.child.dob;
    let birthday = |years: u32| add_months(dob, years * 12);
    let yes_no = |rng: &mut Rng, p: f64| if chance(rng, p) { "1" } else { "0" }.to_owned();
    let (score, reason) = if birthday(17) < first || birthday(4) > year_end {
        (String::new(), String::new())
    } else if birthday(4) <= first && birthday(17) > year_end {
        if chance(&mut rng, 0.85) {
            (days(&mut rng, 0, 32).to_string(), String::new())
        } else {
            let reason = weighted(
                &mut rng,
                &[("SDQ2", 2), ("SDQ3", 1), ("SDQ4", 1), ("SDQ5", 2)],
            );
            (String::new(), reason.to_owned())
        }
    } else {
        (String::new(), "SDQ1".to_owned())
    };
    let convicted = if birthday(10) <= year_end {
        yes_no(&mut rng, 0.04)
    } else {
        String::new()
    };
    let health_check = if birthday(5) > year_end {
        yes_no(&mut rng, 0.9)
    } else {
        String::new()
    };
    let misuse = birthday(11) <= year_end && chance(&mut rng, 0.05);
    let (received, offered) = if misuse {
        if chance(&mut rng, 0.6) {
            ("1".to_owned(), String::new())
        } else {
            ("0".to_owned(), yes_no(&mut rng, 0.7))
        }
    } else {
        (String::new(), String::new())
    };
    [
        r.child.id.clone(),
        dmy(dob),
        score,
        reason,
        convicted,
        health_check,
        yes_no(&mut rng, 0.9),
        yes_no(&mut rng, 0.85),
        yes_no(&mut rng, 0.92),
        if misuse { "1" } else { "0" }.to_owned(),
        received,
        offered,
    ]
}

/// A time the child was missing (`M`) or away without authorisation (`A`).
struct MissingEpisode {
    kind: &'static str,
    start: NaiveDate,
    end: NaiveDate,
}

/// Times a child of 11 or over went missing or was away from a foster or
/// residential placement: now and then, a day or three, back before the
/// placement ended and within the same collection year (VAL 567-581).
fn missing_episodes(r: &ChildRecord, as_at: NaiveDate) -> Vec<MissingEpisode> {
    let mut rng = child_rng(&r.child.id, 0x4d49);
    let eleven = add_months(r.child.dob, 11 * 12);
    let mut out = Vec::new();
    for e in &r.episodes {
        let from = e.decom.max(eleven);
        let until = e.dec.unwrap_or(as_at).min(as_at);
        let at_risk = matches!(
            e.place,
            Place::U1
                | Place::U3
                | Place::U4
                | Place::U6
                | Place::K2
                | Place::R1
                | Place::K3
                | Place::H5
        );
        let days_there = super::pick::between(from, until);
        if !at_risk || days_there < 10 {
            continue;
        }
        for _ in 0..(days_there / 120) {
            if !chance(&mut rng, 0.12) {
                continue;
            }
            let start = plus(from, days(&mut rng, 1, days_there - 5));
            let year_end = CollectionYear::containing(start).last_day();
            let end = plus(start, days(&mut rng, 0, 3))
                .min(plus(until, -1))
                .min(year_end);
            let kind = if chance(&mut rng, 0.7) { "M" } else { "A" };
            out.push(MissingEpisode { kind, start, end });
        }
    }
    // One at a time: a new one starts after the last ended (VAL 574).
    out.sort_by_key(|m| m.start);
    out.dedup_by(|later, kept| later.start <= kept.end);
    out
}

/// One allocated social worker over part of a period of care.
struct SocialWorker {
    id: String,
    start: NaiveDate,
    end: Option<NaiveDate>,
    reason: &'static str,
}

/// The child's social workers: one allocated from the start of each
/// period of care (first contact, `FCONTA`), then a change every year or
/// two while the child is looked after, each new worker starting the day
/// the last one finished. A period's last worker finishes when the next
/// period starts; the child's last worker is still allocated (the child
/// stays open to the service after leaving care), as VAL SW17 expects of
/// every child in the table.
fn social_workers(r: &ChildRecord, as_at: NaiveDate) -> Vec<SocialWorker> {
    let mut rng = child_rng(&r.child.id, 0x5357);
    let mut out = Vec::new();
    let starts: Vec<usize> = r
        .episodes
        .iter()
        .enumerate()
        .filter(|(_, e)| e.rne == Rne::S)
        .map(|(i, _)| i)
        .collect();
    for (n, &i) in starts.iter().enumerate() {
        let period_end = starts
            .get(n + 1)
            .map(|&j| j - 1)
            .unwrap_or(r.episodes.len() - 1);
        let end = r.episodes[period_end].dec;
        let next_period = starts.get(n + 1).map(|&j| r.episodes[j].decom);
        let mut start = r.episodes[i].decom;
        let mut reason = "FCONTA";
        loop {
            let id = format!("SW{:06}", days(&mut rng, 100_000, 999_999));
            let mut change = plus(start, days(&mut rng, 240, 900));
            if change.month() == 3 && change.day() >= 24 {
                // Not in the last week of a year, which VAL SW11b reads as a
                // worker leaving with no successor.
                change = plus(change, -8);
            }
            let finished = match end {
                Some(e) if e <= change => Some(e),
                _ if change > as_at => None,
                _ => Some(change),
            };
            let left_care = finished.is_some() && finished == end;
            out.push(SocialWorker {
                id,
                start,
                end: if left_care { next_period } else { finished },
                reason,
            });
            match finished {
                Some(f) if !left_care => {
                    start = f;
                    reason = weighted(
                        &mut rng,
                        &[
                            ("MANAGE", 3),
                            ("LEFTRL", 5),
                            ("ORGRST", 2),
                            ("CHCHAN", 2),
                            ("ABSENC", 1),
                            ("OTHERS", 1),
                        ],
                    );
                }
                _ => break,
            }
        }
    }
    out
}

/// Generates the steady population of `cfg` and writes one folder per
/// collection year (named like `2025-26`) under `dir`, plus the in-year
/// extract's folder and `plans.csv` (the panel's plans as at the end).
pub fn write_returns(cfg: &ReturnsConfig, dir: &Path) -> anyhow::Result<ReturnsWritten> {
    let mut writer = ReturnsWriter::create(cfg, dir)?;
    let synth = SynthConfig {
        children: cfg.children,
        seed: cfg.seed,
        as_at: cfg.as_at(),
    };
    generate_steady_each(&synth, cfg.first.first_day(), |child: SteadyChild| {
        writer.add_child(&child.record, child.uasc)
    })?;
    writer.finish()
}

/// Writes children's whole histories (up to `cfg.as_at()`) as the returns
/// of `cfg`, one child at a time: the demo's children, or the generator's.
pub struct ReturnsWriter {
    dir: std::path::PathBuf,
    returns: Vec<ReturnTables>,
    plans: Table,
    plan_count: usize,
}

impl ReturnsWriter {
    pub fn create(cfg: &ReturnsConfig, dir: &Path) -> anyhow::Result<Self> {
        cfg.validate().map_err(anyhow::Error::msg)?;
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
        let earlier = cfg
            .in_year_before
            .zip(cfg.earlier_extract_folder())
            .map(|(day, folder)| (CollectionYear::containing(day), day, folder));
        let returns = cfg
            .periods()
            .into_iter()
            .map(|(year, last_day)| (year, last_day, PathBuf::from(year.to_string())))
            .chain(earlier)
            .map(|(year, last_day, folder)| {
                ReturnTables::create(dir, folder, year, last_day, cfg.as_at())
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(ReturnsWriter {
            dir: dir.to_path_buf(),
            returns,
            plans: Table::create(dir, csv_out::PLANS_FILE, PLAN_COLUMNS)?,
            plan_count: 0,
        })
    }

    /// Writes `r` into every return that holds part of it, and its plan.
    pub fn add(&mut self, r: &ChildRecord) -> anyhow::Result<()> {
        self.add_child(r, false)
    }

    /// As `add`, for a child who may be an unaccompanied asylum-seeking
    /// child (`uasc`).
    fn add_child(&mut self, r: &ChildRecord, uasc: bool) -> anyhow::Result<()> {
        for ret in &mut self.returns {
            ret.add(r, uasc)?;
        }
        if let Some(p) = &r.plan {
            self.plans.row(plan_row(p))?;
            self.plan_count += 1;
        }
        Ok(())
    }

    pub fn finish(self) -> anyhow::Result<ReturnsWritten> {
        self.plans.finish()?;
        let returns = self
            .returns
            .into_iter()
            .map(ReturnTables::finish)
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(ReturnsWritten {
            dir: self.dir,
            returns,
            plans: self.plan_count,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CategoryOfNeed, Child, Ethnicity, LegalStatus, Provider};

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%d/%m/%Y").unwrap()
    }

    fn episode(
        id: &str,
        place: Place,
        decom: &str,
        dec: Option<&str>,
        rec: Option<ReasonCeased>,
    ) -> Episode {
        Episode {
            child: id.to_owned(),
            decom: date(decom),
            rne: Rne::S,
            ls: LegalStatus::V2,
            cin: Some(CategoryOfNeed::N8),
            place,
            place_provider: Some(Provider::PR4),
            dec: dec.map(date),
            rec,
            reason_place_change: None,
            home_post: None,
            pl_post: Some("SN15 3EZ".to_owned()),
            urn: Some("SC123456".to_owned()),
        }
    }

    fn record(id: &str, dob: &str, episodes: Vec<Episode>) -> ChildRecord {
        ChildRecord {
            child: Child {
                id: id.to_owned(),
                sex: Sex::Male,
                dob: date(dob),
                ethnic: Ethnicity::Aoth,
                upn: Some("UN2".to_owned()),
                mother: None,
                mc_dob: None,
            },
            episodes,
            reviews: vec![],
            placed_adoption: vec![],
            plan: None,
        }
    }

    /// Writes `children` (record, UASC) as the returns 2020-21 to 2025-26
    /// and the extract to 30/11/2026, and reads back one table's rows per
    /// year, each row its fields joined by commas.
    fn written(
        name: &str,
        children: &[(ChildRecord, bool)],
        table: Table903,
    ) -> Vec<(String, Vec<String>)> {
        let dir = std::env::temp_dir().join(format!("synth-returns-{}-{name}", std::process::id()));
        let cfg = ReturnsConfig {
            children: children.len(),
            seed: 1,
            first: CollectionYear::starting(2020),
            last: CollectionYear::starting(2025),
            in_year_to: Some(date("30/11/2026")),
            in_year_before: None,
        };
        let mut writer = ReturnsWriter::create(&cfg, &dir).unwrap();
        for (r, uasc) in children {
            writer.add_child(r, *uasc).unwrap();
        }
        writer.finish().unwrap();
        let out = cfg
            .periods()
            .into_iter()
            .map(|(year, _)| {
                let text =
                    std::fs::read_to_string(dir.join(year.to_string()).join(table.file_name()))
                        .unwrap();
                let rows = text.lines().skip(1).map(str::to_owned).collect();
                (year.to_string(), rows)
            })
            .collect();
        std::fs::remove_dir_all(&dir).unwrap();
        out
    }

    fn years_with_rows(rows: &[(String, Vec<String>)]) -> Vec<&str> {
        rows.iter()
            .filter(|(_, r)| !r.is_empty())
            .map(|(y, _)| y.as_str())
            .collect()
    }

    /// A UASC child who arrived at 16 and left care on the 18th birthday:
    /// UASC rows while looked after, then OC3 rows at 19, 20 and 21 with a
    /// Header row and nothing else.
    #[test]
    fn a_uasc_child_has_uasc_rows_while_looked_after_and_oc3_rows_after() {
        let id = "C000001";
        let r = record(
            id,
            "15/05/2005",
            vec![
                episode(
                    id,
                    Place::U6,
                    "01/09/2021",
                    Some("01/03/2022"),
                    Some(ReasonCeased::X1),
                ),
                episode(
                    id,
                    Place::K2,
                    "01/03/2022",
                    Some("15/05/2023"),
                    Some(ReasonCeased::E5),
                ),
            ],
        );
        let children = [(r.clone(), true)];
        let uasc = written("uasc", &children, Table903::Uasc);
        assert_eq!(years_with_rows(&uasc), ["2021-22", "2022-23", "2023-24"]);
        assert_eq!(uasc[1].1, ["C000001,1,15/05/2005,15/05/2023"]);
        let oc3 = written("oc3", &children, Table903::Oc3);
        assert_eq!(years_with_rows(&oc3), ["2024-25", "2025-26", "2026-27"]);
        let header = written("header", &children, Table903::Header);
        assert_eq!(
            years_with_rows(&header),
            [
                "2021-22", "2022-23", "2023-24", "2024-25", "2025-26", "2026-27"
            ]
        );
        // Not looked after: no motherhood details (VAL 628), M/F codes.
        assert_eq!(header[4].1, ["C000001,M,15/05/2005,AOTH,UN2,,"]);
        let episodes = written("episodes", &children, Table903::Episodes);
        assert_eq!(
            years_with_rows(&episodes),
            ["2021-22", "2022-23", "2023-24"]
        );
        // The same child, not UASC: no UASC rows, the same care leaver.
        let not_uasc = [(r, false)];
        assert!(years_with_rows(&written("not-uasc", &not_uasc, Table903::Uasc)).is_empty());
        assert_eq!(
            years_with_rows(&written("not-uasc-oc3", &not_uasc, Table903::Oc3)),
            ["2024-25", "2025-26", "2026-27"]
        );
    }

    /// An order depriving a teenager of liberty in a children's home is
    /// written from 2026-27 only, though made in 2025-26.
    #[test]
    fn dolo_rows_start_in_2026_27() {
        let as_at = date("30/11/2026");
        let r = (1..200)
            .map(|n| {
                let id = format!("C{n:06}");
                let k2 = episode(&id, Place::K2, "01/06/2025", None, None);
                record(&id, "01/01/2011", vec![k2])
            })
            .find(|r| {
                crate::synth::dolo::orders(r, as_at)
                    .first()
                    .is_some_and(|o| o.start < date("01/04/2026"))
            })
            .expect("an order made in 2025-26 among 200 children");
        let order = crate::synth::dolo::orders(&r, as_at)[0].clone();
        let dolo = written("dolo", &[(r.clone(), false)], Table903::DoLo);
        assert_eq!(years_with_rows(&dolo), ["2026-27"]);
        let expected = format!(
            "{},01/01/2011,{},{}",
            r.child.id,
            dmy(order.start),
            opt_dmy(order.end)
        );
        assert_eq!(dolo[6].1, [expected]);
    }

    #[test]
    fn year_ranges_parse_and_say_what_was_expected() {
        let (a, b) = parse_year_range("2019-20..2025-26").unwrap();
        assert_eq!((a.start_year(), b.start_year()), (2019, 2025));
        assert_eq!(year_ends(b), 2026);
        let err = parse_year_range("2025-26..2019-20").unwrap_err();
        assert!(err.contains("before the first"), "{err}");
        let err = parse_year_range("2019-20").unwrap_err();
        assert!(err.contains("expected collection years like"), "{err}");
        let err = parse_year_range("2019-20..2025-27").unwrap_err();
        assert!(err.contains("'2025-27'"), "{err}");
    }

    #[test]
    fn the_in_year_date_must_fall_in_the_year_after_the_last_return() {
        let mut cfg = ReturnsConfig {
            children: 1,
            seed: 1,
            first: CollectionYear::starting(2019),
            last: CollectionYear::starting(2025),
            in_year_to: NaiveDate::from_ymd_opt(2026, 11, 30),
            in_year_before: None,
        };
        assert!(cfg.validate().is_ok());
        let periods = cfg.periods();
        assert_eq!(periods.len(), 8);
        assert_eq!(periods[7].0.to_string(), "2026-27");
        cfg.in_year_to = NaiveDate::from_ymd_opt(2026, 3, 1);
        let err = cfg.validate().unwrap_err();
        assert!(err.contains("expected a date in 2026-27"), "{err}");
    }

    /// Last month's in-year extract is written beside this month's, in a
    /// folder of its own named by its year, and must be of an earlier day
    /// in the same year.
    #[test]
    fn last_months_extract_is_an_earlier_day_of_the_same_year_in_a_folder_of_its_own() {
        let mut cfg = ReturnsConfig {
            children: 1,
            seed: 1,
            first: CollectionYear::starting(2019),
            last: CollectionYear::starting(2025),
            in_year_to: NaiveDate::from_ymd_opt(2026, 11, 27),
            in_year_before: NaiveDate::from_ymd_opt(2026, 10, 27),
        };
        assert!(cfg.validate().is_ok());
        assert_eq!(
            cfg.earlier_extract_folder(),
            Some(PathBuf::from("as-at-2026-10-27").join("2026-27"))
        );
        for (before, to) in [
            ((2026, 11, 27), (2026, 11, 27)),
            ((2026, 3, 31), (2026, 11, 27)),
        ] {
            cfg.in_year_before = NaiveDate::from_ymd_opt(before.0, before.1, before.2);
            cfg.in_year_to = NaiveDate::from_ymd_opt(to.0, to.1, to.2);
            let err = cfg.validate().unwrap_err();
            assert!(err.contains("expected a date before --in-year-to"), "{err}");
        }
    }
}
