//! The report as a Word document in the minutes' house style (A4, the
//! protective marking in the header and footer): each figure in a sentence
//! with its definition and what it counts, tables as ruled grids, and each
//! chart as a PNG picture.

use std::io::{Seek, Write};

use docx_rs::{Docx, LineSpacing, Paragraph, Pic, Run};

use super::charts::{self, ChartError};
use super::{Report, Table, number};
use crate::export::minutes_docx::{
    TEXT_WIDTH, TableLayout, house_document, marking_paragraph, plain, styled, table_laid_out,
};
use crate::rules::dates::dmy;

/// English Metric Units per twentieth of a point (914,400 a inch, 1,440
/// twentieths an inch).
const EMU_PER_TWIP: u64 = 635;

/// Why the Word report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportDocxError {
    #[error(transparent)]
    Chart(#[from] ChartError),
    #[error("cannot write the Word document: {0}")]
    Write(String),
}

/// Writes the report as .docx; `written` is the document's creation time.
pub fn write<W: Write + Seek>(
    report: &Report,
    written: chrono::NaiveDateTime,
    out: W,
) -> Result<(), ReportDocxError> {
    let mut packed = std::io::Cursor::new(Vec::new());
    build(report)?
        .pack(&mut packed)
        .map_err(|e| ReportDocxError::Write(e.to_string()))?;
    let title = super::title(report);
    let props = crate::export::docx_finish::DocxProperties {
        title: &title,
        author: &report.panel,
        written,
    };
    crate::export::docx_finish::finish(packed.get_ref(), &props, &alt_texts(report), out)
        .map_err(ReportDocxError::Write)
}

/// The alt text of every chart, in the order the charts appear: what it
/// shows and its figures, for a reader who cannot see the picture.
pub fn alt_texts(report: &Report) -> Vec<String> {
    report
        .sections
        .iter()
        .flat_map(|s| &s.tables)
        .filter_map(|t| t.chart.map(|kind| chart_alt_text(t, kind)))
        .collect()
}

/// "Bar chart of Placements by type: Foster care: 12 (at the start), 14 (at the end); ...".
pub fn chart_alt_text(t: &Table, kind: super::ChartKind) -> String {
    let kind = match kind {
        super::ChartKind::Line => "Line chart",
        super::ChartKind::Bar => "Bar chart",
    };
    let rows: Vec<String> = t
        .rows
        .iter()
        .map(|(label, values)| {
            let values: Vec<String> = t
                .columns
                .iter()
                .zip(values)
                .map(|(c, v)| format!("{c} {}", number(*v)))
                .collect();
            format!("{label}: {}", values.join(", "))
        })
        .collect();
    format!("{kind} of {}. {}.", t.title, rows.join("; "))
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
    let (pixels_wide, pixels_high) = charts::size(t, kind);
    let width = TEXT_WIDTH as u64 * EMU_PER_TWIP;
    let height = width * u64::from(pixels_high) / u64::from(pixels_wide.max(1));
    let to_u32 = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    let pic = Pic::new_with_dimensions(bytes, pixels_wide, pixels_high)
        .size(to_u32(width), to_u32(height));
    Ok(Some(Paragraph::new().add_run(Run::new().add_image(pic))))
}

/// The report's tables are set in 10 pt, with narrow cell padding, so that
/// six numeric columns fit beside a date on A4.
const TABLE_HALF_POINTS: usize = 20;
/// 0.1 cm each side of a cell's text, in twentieths of a point.
const CELL_SIDE_PADDING: usize = 57;
/// The cell's padding either side and some slack for rounding.
const CELL_PADDING: usize = 2 * CELL_SIDE_PADDING + 60;

/// A character's advance in thousandths of an em in a regular weight, the
/// wider of Arial (what Word shows) and DejaVu Sans (what LibreOffice
/// falls back to without Arial): enough to tell whether a word fits a
/// column wherever the document is opened.
fn advance(c: char) -> usize {
    match c {
        'i' | 'j' | 'l' | '\'' | '|' => 280,
        ' ' | '.' | ',' | ':' | ';' | '!' | '/' => 340,
        'f' | 't' | 'I' | '-' => 400,
        '(' | ')' | 'r' => 420,
        'm' | 'M' => 980,
        'w' | 'W' => 990,
        '0'..='9' => 640,
        'A'..='Z' => 760,
        _ => 640,
    }
}

/// The text's width at the table's size in twentieths of a point; bold
/// about an eighth wider.
fn text_width(text: &str, bold: bool) -> usize {
    let em = TABLE_HALF_POINTS * 10;
    let regular = text.chars().map(advance).sum::<usize>() * em / 1000;
    if bold { regular * 9 / 8 } else { regular }
}

/// The widest word of the text: the narrowest a column can be before a
/// word breaks inside itself.
fn widest_word(text: &str, bold: bool) -> usize {
    text.split_whitespace()
        .map(|w| text_width(w, bold))
        .max()
        .unwrap_or(0)
}

/// Each column's width in twentieths of a point, summing to the text width.
/// The numeric columns are equal, at least as wide as their widest heading
/// word and value; a label column holding words (placements, routes) takes
/// what is left, so its labels wrap least, while one of dates or codes
/// keeps to its content and leaves the rest to the numbers.
pub fn column_widths(t: &Table) -> Vec<usize> {
    let k = t.columns.len();
    if k == 0 {
        return vec![TEXT_WIDTH];
    }
    let values = |j: usize| t.rows.iter().filter_map(move |(_, v)| v.get(j));
    let numeric_min = (0..k)
        .map(|j| {
            let widest_value = values(j)
                .map(|v| text_width(&number(*v), false))
                .max()
                .unwrap_or(0);
            widest_word(&t.columns[j], true).max(widest_value)
        })
        .max()
        .unwrap_or(0)
        + CELL_PADDING;
    let numeric_full = (0..k)
        .map(|j| text_width(&t.columns[j], true))
        .max()
        .unwrap_or(0)
        + CELL_PADDING;
    let label_full = t
        .rows
        .iter()
        .map(|(l, _)| text_width(l, false))
        .chain(std::iter::once(text_width(&t.label_header, true)))
        .max()
        .unwrap_or(0)
        + CELL_PADDING;
    let holds_words = t.rows.iter().any(|(l, _)| l.trim().contains(' '));
    let each = if holds_words {
        // Headings on one line if the labels still fit, else as narrow as
        // the headings' words allow.
        // and no narrower than an eighth of the width, so a heading like
        // "Target" has air around it.
        let room = TEXT_WIDTH.saturating_sub(label_full) / k;
        numeric_full.max(TEXT_WIDTH / 8).min(room).max(numeric_min)
    } else {
        TEXT_WIDTH.saturating_sub(label_full) / k
    };
    // Never so wide that the labels break inside a word, nor a column of
    // words narrower than a fifth of the table.
    let label_words = t
        .rows
        .iter()
        .map(|(l, _)| widest_word(l, false))
        .chain(std::iter::once(widest_word(&t.label_header, true)))
        .max()
        .unwrap_or(0)
        + CELL_PADDING;
    let label_least = if holds_words {
        label_words.max(TEXT_WIDTH / 5)
    } else {
        label_full
    };
    let each = each.min(TEXT_WIDTH.saturating_sub(label_least) / k);
    let label = TEXT_WIDTH - each * k;
    std::iter::once(label)
        .chain(std::iter::repeat_n(each, k))
        .collect()
}

pub fn build(report: &Report) -> Result<Docx, ReportDocxError> {
    let with_target = report.kind == super::ReportKind::AnnualPlan;
    let mut doc = house_document()
        .add_paragraph(styled(
            "Title",
            &format!("{}: {}", report.panel, super::title(report)),
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
                // A figure, its definition and its counts stay on one page.
                .add_paragraph(plain(&format!("Definition: {}", f.definition)).keep_next(true))
                .add_paragraph(plain(&format!("Counts: {}", f.counts)));
        }
        for t in &section.tables {
            doc = doc.add_paragraph(styled("Heading2", &t.title));
            let headers: Vec<&str> = std::iter::once(t.label_header.as_str())
                .chain(t.columns.iter().map(String::as_str))
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
            let right_aligned: Vec<bool> = std::iter::once(false)
                .chain(t.columns.iter().map(|_| true))
                .collect();
            let layout = TableLayout {
                widths: column_widths(t),
                right_aligned,
                half_points: Some(TABLE_HALF_POINTS),
                side_padding: Some(CELL_SIDE_PADDING),
            };
            doc = doc.add_table(table_laid_out(&headers, &layout, rows));
            if !t.key.is_empty() {
                doc = doc.add_paragraph(
                    Paragraph::new()
                        .keep_next(true)
                        .line_spacing(LineSpacing::new().before(120).after(60))
                        .add_run(Run::new().add_text("Key").bold()),
                );
                for entry in &t.key {
                    // Set as the table's text (10 pt, close together): a
                    // key, not paragraphs of the report.
                    doc = doc.add_paragraph(
                        Paragraph::new()
                            .keep_next(true)
                            .line_spacing(LineSpacing::new().after(40))
                            .add_run(
                                Run::new()
                                    .add_text(format!("{}: ", entry.heading))
                                    .bold()
                                    .size(TABLE_HALF_POINTS),
                            )
                            .add_run(Run::new().add_text(&entry.meaning).size(TABLE_HALF_POINTS)),
                    );
                }
            }
            let definition = plain(&format!("Definition: {}", t.definition));
            doc = doc.add_paragraph(if t.key.is_empty() {
                definition
            } else {
                // Set off from the key above it.
                definition.line_spacing(LineSpacing::new().before(120).after(120))
            });
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

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(labels: &[&str], columns: &[&str]) -> Table {
        Table {
            title: "Counts".into(),
            label_header: "Label".into(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: labels
                .iter()
                .map(|l| ((*l).to_owned(), vec![123.0; columns.len()]))
                .collect(),
            chart: None,
            definition: String::new(),
            key: Vec::new(),
        }
    }

    #[test]
    fn a_date_column_keeps_to_its_content_and_six_numbers_share_the_rest_equally() {
        let headings = [
            "No person with PR",
            "Placement order over 9 months",
            "Long-term fostering, no match",
            "Foster care over 12 months",
            "At home over 12 months",
            "External children's home over 12 months",
        ];
        let t = counts(&["30/04/2026", "31/05/2026"], &headings);
        let widths = column_widths(&t);
        assert_eq!(widths.iter().sum::<usize>(), TEXT_WIDTH);
        assert!(widths[1..].iter().all(|w| *w == widths[1]), "{widths:?}");
        // The date fits on one line, and takes no more than it needs.
        let date = text_width("30/04/2026", false) + CELL_PADDING;
        assert!(widths[0] >= date && widths[0] <= date + 200, "{widths:?}");
        // No heading word is wider than its column.
        for h in headings {
            assert!(
                widest_word(h, true) + 2 * CELL_SIDE_PADDING <= widths[1],
                "'{h}' breaks inside a word: {widths:?}"
            );
        }
    }

    #[test]
    fn a_label_column_of_words_is_the_wide_one() {
        let t = counts(
            &[
                "Children's homes and residential care (K1, K2, R1, R2, S1)",
                "Other",
            ],
            &["Target", "Actual"],
        );
        let widths = column_widths(&t);
        assert_eq!(widths.iter().sum::<usize>(), TEXT_WIDTH);
        assert_eq!(widths[1], widths[2]);
        assert!(widths[0] > 2 * widths[1], "{widths:?}");
        assert!(widths[1] >= text_width("Target", true) + CELL_PADDING);
    }
}
