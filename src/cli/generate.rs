//! `permanence-panel generate`: synthetic, realistic SSDA903 tables and
//! plans.csv from a seed.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;
use chrono::NaiveDate;

use super::context::Ctx;
use crate::rules::returns::CollectionYear;

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    #[arg(long)]
    pub children: usize,
    #[arg(long)]
    pub seed: u64,
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The date the synthetic return runs to (default today).
    #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "returns")]
    pub as_at: Option<NaiveDate>,
    /// Write one folder per collection year (e.g. 2019-20..2025-26), each
    /// with every DfE table of that year's return, instead of one extract.
    #[arg(long, value_name = "FIRST..LAST", value_parser = parse_return_years)]
    pub returns: Option<(CollectionYear, CollectionYear)>,
    /// With --returns: also write the in-year extract of the next year, up to this date.
    #[arg(long, value_name = "YYYY-MM-DD", requires = "returns")]
    pub in_year_to: Option<NaiveDate>,
    /// With --in-year-to: also write the in-year extract as it stood on
    /// this earlier day (last month's), in as-at-YYYY-MM-DD/YEAR/.
    #[arg(long, value_name = "YYYY-MM-DD", requires = "in_year_to")]
    pub in_year_before: Option<NaiveDate>,
}

fn parse_return_years(text: &str) -> Result<(CollectionYear, CollectionYear), String> {
    crate::synth::parse_year_range(text)
}

impl GenerateArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        if let Some((first, last)) = self.returns {
            let cfg = crate::synth::ReturnsConfig {
                children: self.children,
                seed: self.seed,
                first,
                last,
                in_year_to: self.in_year_to,
                in_year_before: self.in_year_before,
            };
            cfg.validate().map_err(anyhow::Error::msg)?;
            let written = crate::synth::write_returns(&cfg, &self.out).with_context(|| {
                format!(
                    "cannot write the synthetic returns in {}",
                    self.out.display()
                )
            })?;
            writeln!(out, "{written}")?;
            return Ok(0);
        }
        let cfg = crate::synth::SynthConfig {
            children: self.children,
            seed: self.seed,
            as_at: self.as_at.unwrap_or_else(|| ctx.clock.today()),
        };
        let files = crate::synth::write_csv(&cfg, &self.out).with_context(|| {
            format!("cannot write the synthetic files in {}", self.out.display())
        })?;
        writeln!(out, "{files}")?;
        Ok(0)
    }
}
