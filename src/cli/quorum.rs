//! `permanence-panel quorum`: is the meeting quorate at a moment, who fills
//! which place, and what is missing. Exit status 0 when quorate, 3 when not,
//! so a script can ask.

use super::context::{Ctx, meeting_on, panel_terms};
use super::{EXIT_NO, parse_hh_mm};
use crate::rules::dates::dmy;
use chrono::NaiveDate;
use std::io::Write;

use chrono::NaiveTime;
use clap::ValueEnum;
use serde::Serialize;

use crate::model::Meeting;
use crate::store::Store;
use crate::terms::Terms;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QuorumFormat {
    Text,
    Json,
}

#[derive(Serialize)]
struct QuorumJson<'a> {
    meeting: String,
    at: Option<String>,
    quorate: bool,
    assumed_rule: bool,
    filled: Vec<FilledJson<'a>>,
    standing_present: u32,
    standing_needed: u32,
    missing: Vec<String>,
    /// With --child: the members present who declared an interest in the
    /// item and do not count towards its quorum.
    #[serde(skip_serializing_if = "Option::is_none")]
    withdrawn: Option<Vec<String>>,
}

#[derive(Serialize)]
struct FilledJson<'a> {
    requirement: &'a str,
    by: Option<&'a str>,
}

use crate::usecase::decisions::quorum_at as result_at;

/// Writes the answer; returns whether the meeting is quorate.
pub fn write(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
    at: Option<NaiveTime>,
    child: Option<&str>,
    format: QuorumFormat,
    out: &mut dyn Write,
) -> anyhow::Result<bool> {
    let result = result_at(store, terms, meeting, at, child)?;
    match format {
        QuorumFormat::Json => {
            let json = QuorumJson {
                meeting: meeting.date.format("%Y-%m-%d").to_string(),
                at: at.map(|t| t.format("%H:%M").to_string()),
                quorate: result.quorate,
                assumed_rule: result.assumed,
                filled: result
                    .filled
                    .iter()
                    .map(|f| FilledJson {
                        requirement: &f.requirement,
                        by: f.by.as_deref(),
                    })
                    .collect(),
                standing_present: result.standing_present,
                standing_needed: result.standing_needed,
                missing: result.missing(),
                withdrawn: child.map(|_| result.withdrawn.clone()),
            };
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        QuorumFormat::Text => {
            let when = match at {
                Some(t) => format!("at {}", t.format("%H:%M")),
                None => "as the roll call stands".to_owned(),
            };
            let item = child.map_or(String::new(), |c| format!(", for {c}'s item"));
            writeln!(out, "{} on {}, {when}{item}", terms.name, dmy(meeting.date))?;
            writeln!(out, "{}", result.summary())?;
            for f in &result.filled {
                let by = f.by.as_deref().unwrap_or("nobody present");
                writeln!(out, "  {}: {by}", f.requirement)?;
            }
            if result.standing_needed > 0 {
                writeln!(
                    out,
                    "  Standing members present: {} (at least {} needed)",
                    result.standing_present, result.standing_needed
                )?;
            }
            if result.assumed {
                writeln!(
                    out,
                    "The terms of reference state no quorum; this rule is assumed by the panel's settings."
                )?;
            }
        }
    }
    Ok(result.quorate)
}

#[derive(Debug, clap::Args)]
pub struct QuorumArgs {
    /// The meeting's date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub meeting: NaiveDate,
    /// The time to check at (default: as the roll call stands now).
    #[arg(long, value_name = "HH:MM", value_parser = parse_hh_mm)]
    pub at: Option<NaiveTime>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: QuorumFormat,
    /// For this child's item: without the members who declared an interest in it.
    #[arg(long)]
    pub child: Option<String>,
}

impl QuorumArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let store = ctx.open_existing()?;
        let terms = panel_terms(&store, None)?;
        let m = meeting_on(&store, self.meeting)?;
        let quorate = write(
            &store,
            &terms,
            &m,
            self.at,
            self.child.as_deref(),
            self.format,
            out,
        )?;
        Ok(if quorate { 0 } else { EXIT_NO })
    }
}
