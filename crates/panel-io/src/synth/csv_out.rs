//! Writing the synthetic return as the CSV files councils exchange (column
//! names of `ssda903.md` section 2, dates dd/mm/yyyy), plus `plans.csv`.

use std::fmt;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;

use super::{SynthConfig, generate_each};
use crate::model::schema903::{PLAN_COLUMNS, Table903};
use crate::model::{ChildRecord, PlanFacts};

pub const HEADER_FILE: &str = Table903::Header.file_name();
pub const EPISODES_FILE: &str = Table903::Episodes.file_name();
pub const REVIEWS_FILE: &str = Table903::Reviews.file_name();
pub const PLACED_ADOPTION_FILE: &str = Table903::PlacedAdoption.file_name();
pub const PLANS_FILE: &str = "plans.csv";

/// What `write_csv` wrote: the directory and the rows of each file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthFiles {
    pub dir: PathBuf,
    pub children: usize,
    pub episodes: usize,
    pub reviews: usize,
    pub placed_adoption: usize,
    pub plans: usize,
}

impl fmt::Display for SynthFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Wrote synthetic SSDA903 files to {}:",
            self.dir.display()
        )?;
        let rows = [
            (HEADER_FILE, self.children, "children"),
            (EPISODES_FILE, self.episodes, "episodes"),
            (REVIEWS_FILE, self.reviews, "reviews"),
            (
                PLACED_ADOPTION_FILE,
                self.placed_adoption,
                "adoption decisions",
            ),
            (PLANS_FILE, self.plans, "plans"),
        ];
        for (i, (file, count, what)) in rows.iter().enumerate() {
            write!(f, "  {file:<26} {count:>9} {what}")?;
            if i + 1 < rows.len() {
                writeln!(f)?;
            }
        }
        Ok(())
    }
}

pub(super) struct Table {
    path: PathBuf,
    writer: csv::Writer<BufWriter<File>>,
}

impl Table {
    pub(super) fn create(dir: &Path, name: &str, columns: &[&str]) -> anyhow::Result<Table> {
        let path = dir.join(name);
        let file =
            File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut writer = csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, file));
        writer
            .write_record(columns)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Table { path, writer })
    }

    pub(super) fn row<I, T>(&mut self, fields: I) -> anyhow::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.writer
            .write_record(fields)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    pub(super) fn finish(mut self) -> anyhow::Result<()> {
        self.writer
            .flush()
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

use crate::rules::dates::dmy;

pub(super) fn opt_dmy(d: Option<NaiveDate>) -> String {
    d.map(dmy).unwrap_or_default()
}

fn yes(flag: bool) -> &'static str {
    if flag { "Y" } else { "" }
}

/// Generates `cfg` and writes `header.csv`, `episodes.csv`, `reviews.csv`,
/// `placed_for_adoption.csv` and `plans.csv` into `dir` (created if
/// missing), one child at a time.
pub fn write_csv(cfg: &SynthConfig, dir: &Path) -> anyhow::Result<SynthFiles> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create directory {}", dir.display()))?;
    let mut header = Table::create(dir, HEADER_FILE, Table903::Header.columns())?;
    let mut episodes = Table::create(dir, EPISODES_FILE, Table903::Episodes.columns())?;
    let mut reviews = Table::create(dir, REVIEWS_FILE, Table903::Reviews.columns())?;
    let mut placed = Table::create(
        dir,
        PLACED_ADOPTION_FILE,
        Table903::PlacedAdoption.columns(),
    )?;
    let mut plans = Table::create(dir, PLANS_FILE, PLAN_COLUMNS)?;
    let mut counts = SynthFiles {
        dir: dir.to_path_buf(),
        children: 0,
        episodes: 0,
        reviews: 0,
        placed_adoption: 0,
        plans: 0,
    };
    generate_each(cfg, |r: ChildRecord| {
        let c = &r.child;
        let dob = dmy(c.dob);
        header.row([
            c.id.as_str(),
            c.sex.code(),
            &dob,
            c.ethnic.code(),
            c.upn.as_deref().unwrap_or(""),
            match c.mother {
                Some(true) => "1",
                Some(false) => "0",
                None => "",
            },
            &opt_dmy(c.mc_dob),
        ])?;
        counts.children += 1;
        for e in &r.episodes {
            episodes.row([
                e.child.as_str(),
                &dmy(e.decom),
                e.rne.code(),
                e.ls.code(),
                e.cin.map_or("", |c| c.code()),
                e.place.code(),
                e.place_provider.map(|p| p.code()).unwrap_or(""),
                &opt_dmy(e.dec),
                e.rec.map(|x| x.code()).unwrap_or(""),
                e.reason_place_change.as_deref().unwrap_or(""),
                e.home_post.as_deref().unwrap_or(""),
                e.pl_post.as_deref().unwrap_or(""),
                e.urn.as_deref().unwrap_or(""),
            ])?;
        }
        counts.episodes += r.episodes.len();
        for v in &r.reviews {
            reviews.row([
                v.child.as_str(),
                &dob,
                &dmy(v.review),
                v.review_code.map_or("", |c| c.code()),
            ])?;
        }
        counts.reviews += r.reviews.len();
        for p in &r.placed_adoption {
            placed.row([
                p.child.as_str(),
                &dob,
                &dmy(p.date_placed),
                &opt_dmy(p.date_placed_ceased),
                p.reason_placed_ceased.map(|x| x.code()).unwrap_or(""),
            ])?;
        }
        counts.placed_adoption += r.placed_adoption.len();
        if let Some(p) = &r.plan {
            plans.row(plan_row(p))?;
            counts.plans += 1;
        }
        Ok(())
    })?;
    for table in [header, episodes, reviews, placed, plans] {
        table.finish()?;
    }
    Ok(counts)
}

pub(super) fn plan_row(p: &PlanFacts) -> [String; 8] {
    [
        p.child.clone(),
        p.plan.map(|k| k.id().to_owned()).unwrap_or_default(),
        opt_dmy(p.plan_agreed),
        opt_dmy(p.match_agreed),
        yes(p.no_pr).to_owned(),
        yes(p.potential_sgo).to_owned(),
        opt_dmy(p.achieved),
        p.contingency.map(|k| k.id().to_owned()).unwrap_or_default(),
    ]
}
