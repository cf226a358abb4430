//! `permanence-panel quorum`: is the meeting quorate at a moment, who fills
//! which place, and what is missing. Exit status 0 when quorate, 3 when not,
//! so a script can ask.

use crate::rules::dates::dmy;
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
    format: QuorumFormat,
    out: &mut dyn Write,
) -> anyhow::Result<bool> {
    let result = result_at(store, terms, meeting, at)?;
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
            };
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        QuorumFormat::Text => {
            let when = match at {
                Some(t) => format!("at {}", t.format("%H:%M")),
                None => "as the roll call stands".to_owned(),
            };
            writeln!(out, "{} on {}, {when}", terms.name, dmy(meeting.date))?;
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
