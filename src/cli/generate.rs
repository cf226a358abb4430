//! `permanence-panel generate`: synthetic, realistic SSDA903 tables and
//! plans.csv from a seed.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;
use chrono::NaiveDate;

use super::context::Ctx;

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    #[arg(long)]
    pub children: usize,
    #[arg(long)]
    pub seed: u64,
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The date the synthetic return runs to (default today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_at: Option<NaiveDate>,
}

impl GenerateArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
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
