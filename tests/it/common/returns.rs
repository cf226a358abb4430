//! A whole generated history cut into annual returns the way the DfE
//! return is cut (rules.md "Returns and how they merge", ssda903.md 4.5),
//! and written as CSV folders a council would hold.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use permanence_panel::model::schema903::Table903;
use permanence_panel::model::*;
use permanence_panel::rules::returns::CollectionYear;

/// One year's return: the rows as the council would have written them at
/// the end of the year (or on `ends`, for the in-year extract).
#[derive(Debug, Default)]
pub struct CutReturn {
    pub children: Vec<Child>,
    pub episodes: Vec<Episode>,
    pub reviews: Vec<Review>,
    pub placed: Vec<PlacedAdoption>,
}

/// The return of `year`, ending on `ends` (31 March, or the in-year
/// extract's date): episodes open at some time in the year, those still
/// open on `ends` written open; that year's reviews; adoption decisions
/// made by `ends` and not reversed before the year began; a Header row for
/// every child with any of these.
pub fn cut(records: &[ChildRecord], year: CollectionYear, ends: NaiveDate) -> CutReturn {
    let first = year.first_day();
    let mut out = CutReturn::default();
    for r in records {
        let episodes: Vec<Episode> = r
            .episodes
            .iter()
            .filter(|e| e.decom <= ends && e.dec.is_none_or(|d| d >= first))
            .map(|e| {
                let mut e = e.clone();
                if e.dec.is_some_and(|d| d > ends) {
                    e.dec = None;
                    e.rec = None;
                    e.reason_place_change = None;
                }
                e
            })
            .collect();
        let reviews: Vec<Review> = r
            .reviews
            .iter()
            .filter(|v| v.review >= first && v.review <= ends)
            .cloned()
            .collect();
        let placed: Vec<PlacedAdoption> = r
            .placed_adoption
            .iter()
            .filter(|p| p.date_placed <= ends && p.date_placed_ceased.is_none_or(|d| d >= first))
            .map(|p| {
                let mut p = p.clone();
                if p.date_placed_ceased.is_some_and(|d| d > ends) {
                    p.date_placed_ceased = None;
                    p.reason_placed_ceased = None;
                }
                p
            })
            .collect();
        if episodes.is_empty() && reviews.is_empty() {
            continue;
        }
        out.children.push(r.child.clone());
        out.episodes.extend(episodes);
        out.reviews.extend(reviews);
        out.placed.extend(placed);
    }
    out
}

fn d(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn od(date: Option<NaiveDate>) -> String {
    date.map(d).unwrap_or_default()
}

/// Writes a return as the four CSV tables into `dir/name`, with the
/// schema's header rows. Returns the folder.
pub fn write_return(dir: &Path, name: &str, r: &CutReturn) -> PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).expect("folder");
    let table = |t: Table903, rows: Vec<Vec<String>>| {
        let mut w = csv::Writer::from_path(folder.join(t.file_name())).expect("create");
        w.write_record(t.columns()).expect("write");
        for row in rows {
            w.write_record(row).expect("write");
        }
        w.flush().expect("flush");
    };
    let dob = |child: &str| {
        r.children
            .iter()
            .find(|c| c.id == child)
            .map(|c| d(c.dob))
            .unwrap_or_default()
    };
    table(
        Table903::Header,
        r.children
            .iter()
            .map(|c| {
                vec![
                    c.id.clone(),
                    c.sex.code().to_owned(),
                    d(c.dob),
                    c.ethnic.code().to_owned(),
                    c.upn.clone().unwrap_or_default(),
                    c.mother
                        .map(|m| if m { "1" } else { "0" }.to_owned())
                        .unwrap_or_default(),
                    od(c.mc_dob),
                ]
            })
            .collect(),
    );
    table(
        Table903::Episodes,
        r.episodes
            .iter()
            .map(|e| {
                vec![
                    e.child.clone(),
                    d(e.decom),
                    e.rne.code().to_owned(),
                    e.ls.code().to_owned(),
                    e.cin.map_or("", |c| c.code()).to_owned(),
                    e.place.code().to_owned(),
                    e.place_provider.map(|p| p.code()).unwrap_or("").to_owned(),
                    od(e.dec),
                    e.rec.map(|x| x.code()).unwrap_or("").to_owned(),
                    e.reason_place_change.clone().unwrap_or_default(),
                    e.home_post.clone().unwrap_or_default(),
                    e.pl_post.clone().unwrap_or_default(),
                    e.urn.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    );
    table(
        Table903::Reviews,
        r.reviews
            .iter()
            .map(|v| {
                vec![
                    v.child.clone(),
                    dob(&v.child),
                    d(v.review),
                    v.review_code.map_or("", |c| c.code()).to_owned(),
                ]
            })
            .collect(),
    );
    table(
        Table903::PlacedAdoption,
        r.placed
            .iter()
            .map(|p| {
                vec![
                    p.child.clone(),
                    dob(&p.child),
                    d(p.date_placed),
                    od(p.date_placed_ceased),
                    p.reason_placed_ceased
                        .map(|x| x.code())
                        .unwrap_or("")
                        .to_owned(),
                ]
            })
            .collect(),
    );
    folder
}

/// Every collection year from the one holding the history's earliest date
/// to the one holding `as_at`, each cut and written as `dir/YYYY-YY`; the
/// last is the in-year extract ending on `as_at`. Oldest first.
pub fn write_all_returns(dir: &Path, records: &[ChildRecord], as_at: NaiveDate) -> Vec<PathBuf> {
    let earliest = records
        .iter()
        .flat_map(|r| r.episodes.iter().map(|e| e.decom))
        .min()
        .expect("a history with episodes");
    let (from, to) = (
        CollectionYear::containing(earliest).start_year(),
        CollectionYear::containing(as_at).start_year(),
    );
    (from..=to)
        .map(|y| {
            let year = CollectionYear::starting(y);
            let ends = year.last_day().min(as_at);
            write_return(dir, &year.to_string(), &cut(records, year, ends))
        })
        .collect()
}
