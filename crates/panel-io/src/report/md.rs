//! The report as Markdown: headings, each figure with its definition and
//! what it counts on the lines under it, and tables as pipe tables.

use std::fmt::Write;

use super::{Report, number};
use crate::export::minutes_docx::MARKING;
use crate::rules::dates::dmy;

/// A cell's text with the pipe escaped, so a label cannot break the table.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_report(report, &mut out);
    out
}

fn write_report(report: &Report, out: &mut String) -> std::fmt::Result {
    writeln!(out, "# {}: {}", report.panel, super::title(report))?;
    writeln!(out)?;
    writeln!(
        out,
        "Period: {} to {}. For: {}.",
        dmy(report.from),
        dmy(report.to),
        report.reports_to
    )?;
    writeln!(out)?;
    writeln!(out, "*{MARKING}*")?;
    writeln!(out)?;
    writeln!(out, "{}", super::RECORDS_NOTE)?;
    for section in &report.sections {
        writeln!(out)?;
        writeln!(out, "## {}", section.title)?;
        writeln!(out)?;
        for f in &section.figures {
            match f.target {
                Some(_) => writeln!(
                    out,
                    "- **{}**: {} (target {})",
                    f.measure,
                    f.shown(),
                    f.target_shown()
                )?,
                None if report.kind == super::ReportKind::AnnualPlan => {
                    writeln!(out, "- **{}**: {} (target not set)", f.measure, f.shown())?
                }
                None => writeln!(out, "- **{}**: {}", f.measure, f.shown())?,
            }
            writeln!(out, "  Definition: {}", f.definition)?;
            writeln!(out, "  Counts: {}", f.counts)?;
        }
        for t in &section.tables {
            writeln!(out)?;
            writeln!(out, "### {}", t.title)?;
            writeln!(out)?;
            let header: Vec<String> = std::iter::once(&t.label_header)
                .chain(&t.columns)
                .map(|h| cell(h))
                .collect();
            writeln!(out, "| {} |", header.join(" | "))?;
            let rule: Vec<&str> = std::iter::once("---")
                .chain(t.columns.iter().map(|_| "---:"))
                .collect();
            writeln!(out, "| {} |", rule.join(" | "))?;
            for (label, values) in &t.rows {
                let cells: Vec<String> = std::iter::once(cell(label))
                    .chain(values.iter().map(|v| number(*v)))
                    .collect();
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
            if !t.key.is_empty() {
                writeln!(out)?;
                writeln!(out, "Key:")?;
                writeln!(out)?;
                for entry in &t.key {
                    writeln!(out, "- {}", entry.line())?;
                }
            }
            writeln!(out)?;
            writeln!(out, "Definition: {}", t.definition)?;
        }
        for note in &section.notes {
            writeln!(out)?;
            writeln!(out, "Note: {note}")?;
        }
    }
    Ok(())
}
