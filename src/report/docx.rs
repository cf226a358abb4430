//! The report as a Word document in the minutes' house style (A4, the
//! protective marking in the header and footer): each figure in a sentence
//! with its definition and what it counts, tables as ruled grids, and each
//! chart as a PNG picture.

use std::io::{Seek, Write};

use docx_rs::{Docx, Paragraph, Pic, Run};

use super::charts::{self, ChartError};
use super::{Report, Table, number};
use crate::export::minutes_docx::{
    TEXT_WIDTH, house_document, marking_paragraph, plain, styled, table,
};
use crate::rules::dates::dmy;

/// English Metric Units per twentieth of a point (914,400 a inch, 1,440
/// twentieths an inch).
const EMU_PER_TWIP: u32 = 635;

/// Why the Word report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportDocxError {
    #[error(transparent)]
    Chart(#[from] ChartError),
    #[error("cannot write the Word document: {0}")]
    Write(String),
}

pub fn write<W: Write + Seek>(report: &Report, out: W) -> Result<(), ReportDocxError> {
    build(report)?
        .pack(out)
        .map_err(|e| ReportDocxError::Write(e.to_string()))
}

/// The figure as one sentence: "Children heard: 12 children (target 15)."
fn figure_paragraph(f: &super::Figure, with_target: bool) -> Paragraph {
    let target = if with_target {
        format!(" (target {})", f.target_shown())
    } else {
        String::new()
    };
    Paragraph::new()
        .keep_next(true)
        .add_run(Run::new().add_text(format!("{}: ", f.measure)).bold())
        .add_run(Run::new().add_text(format!("{}{target}.", f.shown())))
}

fn chart_paragraph(t: &Table) -> Result<Option<Paragraph>, ChartError> {
    let Some(kind) = t.chart else {
        return Ok(None);
    };
    let bytes = charts::png(t, kind)?;
    // Full text width, keeping the picture's proportions.
    let width = TEXT_WIDTH as u32 * EMU_PER_TWIP;
    let height = width / charts::WIDTH * charts::HEIGHT;
    let pic = Pic::new_with_dimensions(bytes, charts::WIDTH, charts::HEIGHT).size(width, height);
    Ok(Some(Paragraph::new().add_run(Run::new().add_image(pic))))
}

pub fn build(report: &Report) -> Result<Docx, ReportDocxError> {
    let with_target = report.kind == super::ReportKind::AnnualPlan;
    let mut doc = house_document()
        .add_paragraph(styled(
            "Title",
            &format!("{}: {}", report.panel, report.kind.title()),
        ))
        .add_paragraph(plain(&format!(
            "Period: {} to {}. For: {}.",
            dmy(report.from),
            dmy(report.to),
            report.reports_to
        )))
        .add_paragraph(plain(super::RECORDS_NOTE));
    for section in &report.sections {
        doc = doc.add_paragraph(styled("Heading1", &section.title));
        for f in &section.figures {
            doc = doc
                .add_paragraph(figure_paragraph(f, with_target))
                .add_paragraph(plain(&format!("Definition: {}", f.definition)))
                .add_paragraph(plain(&format!("Counts: {}", f.counts)));
        }
        for t in &section.tables {
            doc = doc.add_paragraph(styled("Heading2", &t.title));
            let headers: Vec<&str> = std::iter::once(t.label_header.as_str())
                .chain(t.columns.iter().map(String::as_str))
                .collect();
            // The label column takes half the width, the numbers share the rest.
            let each = 50 / t.columns.len().max(1);
            let percent: Vec<usize> = std::iter::once(100 - each * t.columns.len())
                .chain(t.columns.iter().map(|_| each))
                .collect();
            let rows = t
                .rows
                .iter()
                .map(|(label, values)| {
                    std::iter::once(label.clone())
                        .chain(values.iter().map(|v| number(*v)))
                        .collect()
                })
                .collect();
            doc = doc
                .add_table(table(&headers, &percent, rows))
                .add_paragraph(plain(&format!("Definition: {}", t.definition)));
            if let Some(p) = chart_paragraph(t)? {
                doc = doc.add_paragraph(p);
            }
        }
        for note in &section.notes {
            doc = doc.add_paragraph(plain(&format!("Note: {note}")));
        }
    }
    Ok(doc.add_paragraph(marking_paragraph()))
}
