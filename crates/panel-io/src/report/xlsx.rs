//! The report as an Excel workbook: a Summary sheet (every figure with its
//! definition and what it counts), one sheet per table with a native Excel
//! chart drawn from its cells, a Records sheet naming the children behind
//! each figure, and an About sheet.

use std::path::Path;

use anyhow::Context;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFont, ChartFormat, ChartLegendPosition, ChartLine,
    ChartLineDashType, ChartMarker, ChartMarkerType, ChartPatternFill, ChartPatternFillType,
    ChartSeries, ChartSolidFill, ChartType, Color, Format, FormatAlign, Workbook, Worksheet,
};

use super::{ChartKind, Report, Table, charts, number};
use crate::export::minutes_docx::MARKING;
use crate::rules::dates::dmy;

/// The Summary sheet's columns.
pub const SUMMARY_COLUMNS: &[&str] = &[
    "Section",
    "Measure",
    "Value",
    "Unit",
    "Target",
    "Definition",
    "Records counted",
];

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
}

fn wrap() -> Format {
    Format::new().set_text_wrap().set_align(FormatAlign::Top)
}

/// The sheet name of the `i`th table (from 0): short and free of the
/// characters Excel refuses, so the charts' references stay simple.
pub fn table_sheet_name(i: usize) -> String {
    format!("Table {}", i + 1)
}

/// Writes the workbook to `path`; `written` is when (its document properties).
pub fn write(report: &Report, path: &Path, written: chrono::NaiveDateTime) -> anyhow::Result<()> {
    let mut workbook = Workbook::new();
    crate::export::print::properties(&mut workbook, &super::title(report), &report.panel, written)?;
    let summary = workbook.add_worksheet();
    summary.set_name("Summary")?;
    write_summary(summary, report)?;
    crate::export::print::for_print(summary, &report.panel, 1)?;

    let tables: Vec<&Table> = report.sections.iter().flat_map(|s| &s.tables).collect();
    for (i, table) in tables.iter().enumerate() {
        let sheet = workbook.add_worksheet();
        let name = table_sheet_name(i);
        sheet.set_name(&name)?;
        write_table(sheet, &name, table)?;
        crate::export::print::for_print(sheet, &report.panel, 0)?;
    }

    let records = workbook.add_worksheet();
    records.set_name("Records")?;
    write_records(records, report)?;
    crate::export::print::for_print(records, &report.panel, 1)?;
    let about = workbook.add_worksheet();
    about.set_name("About")?;
    write_about(about, report)?;
    crate::export::print::for_print(about, &report.panel, 0)?;
    let bytes = workbook
        .save_to_buffer()
        .with_context(|| format!("cannot write {}", path.display()))?;
    crate::files::write_private(path, bytes)?;
    Ok(())
}

fn write_summary(sheet: &mut Worksheet, report: &Report) -> anyhow::Result<()> {
    let header = header_format();
    let wrap = wrap();
    // Value and Target hold numbers: their headings sit right, over them.
    let numbers_header = header_format().set_align(FormatAlign::Right);
    let indented_header = header_format().set_indent(1);
    let indented = wrap.clone().set_indent(1);
    for (c, name) in SUMMARY_COLUMNS.iter().enumerate() {
        let format = match c {
            2 | 4 => &numbers_header,
            // Text just right of a number column, set off from it.
            3 | 5 => &indented_header,
            _ => &header,
        };
        sheet.write_string_with_format(0, c as u16, *name, format)?;
    }
    print_setup(sheet);
    sheet.set_repeat_rows(0, 0)?;
    const WIDTHS: [usize; 7] = [22, 34, 14, 12, 10, 60, 50];
    for (c, w) in WIDTHS.iter().enumerate() {
        sheet.set_column_width(c as u16, *w as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut row = 1u32;
    for section in &report.sections {
        for f in &section.figures {
            sheet.write_string_with_format(row, 0, &section.title, &wrap)?;
            sheet.write_string_with_format(row, 1, &f.measure, &wrap)?;
            match f.value {
                Some(v) => sheet.write_number_with_format(
                    row,
                    2,
                    v,
                    &number_format(v.fract() == 0.0).set_align(FormatAlign::Top),
                )?,
                None => sheet.write_string_with_format(row, 2, f.shown(), &wrap)?,
            };
            // "1 declaration", not "1 declarations"; a percentage keeps its sign.
            let unit = match f.value {
                Some(v) if v == 1.0 && f.unit != "%" => panel_core::text::singular_unit(f.unit),
                _ => f.unit,
            };
            sheet.write_string_with_format(row, 3, unit, &indented)?;
            if let Some(t) = f.target {
                sheet.write_number_with_format(
                    row,
                    4,
                    t,
                    &number_format(t.fract() == 0.0).set_align(FormatAlign::Top),
                )?;
            }
            sheet.write_string_with_format(row, 5, &f.definition, &indented)?;
            sheet.write_string_with_format(row, 6, &f.counts, &wrap)?;
            // Tall enough for the longest wrapped cell: not every program
            // that opens the workbook fits rows to their text.
            let lines = [
                (section.title.as_str(), WIDTHS[0]),
                (f.measure.as_str(), WIDTHS[1]),
                (f.definition.as_str(), WIDTHS[5]),
                (f.counts.as_str(), WIDTHS[6]),
            ]
            .iter()
            .map(|(text, width)| lines_in(text, *width))
            .max()
            .unwrap_or(1);
            sheet.set_row_height(row, row_height(lines))?;
            row += 1;
        }
    }
    Ok(())
}

/// The number format that shows a value as the Word and Markdown reports
/// do: whole numbers bare, anything else to one decimal place.
fn number_format(whole: bool) -> Format {
    Format::new().set_num_format(if whole { "0" } else { "0.0" })
}

/// Lines a text takes in a column `width` characters wide, words kept whole.
fn lines_in(text: &str, width: usize) -> usize {
    let mut lines = 0;
    let mut used = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if lines == 0 || used + 1 + n > width {
            lines += 1;
            used = n;
        } else {
            used += 1 + n;
        }
    }
    lines.max(1)
}

/// The points of a row holding `lines` lines of 11 pt text.
fn row_height(lines: usize) -> f64 {
    15.0 * lines as f64
}

/// A4, landscape, one page wide, as a printed sheet should come out.
fn print_setup(sheet: &mut Worksheet) {
    sheet
        .set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
}

/// The look of the `j`th series, as in the Word report's charts: the same
/// palette, and a marker and dash (lines) or a hatching (bars) of its own
/// so the series differ in black and white too.
fn style_series(series: &mut ChartSeries, kind: ChartKind, j: usize) {
    let colour = Color::RGB(charts::PALETTE[j % charts::PALETTE.len()]);
    match kind {
        ChartKind::Line => {
            let mut line = ChartLine::new();
            line.set_color(colour).set_width(2.25);
            if charts::dashed(j) {
                line.set_dash_type(ChartLineDashType::Dash);
            }
            // Excel has no downward triangle; a star stands in for it.
            let shape = match charts::marker(j) {
                charts::Marker::Circle => ChartMarkerType::Circle,
                charts::Marker::Square => ChartMarkerType::Square,
                charts::Marker::Triangle => ChartMarkerType::Triangle,
                charts::Marker::Diamond => ChartMarkerType::Diamond,
                charts::Marker::TriangleDown => ChartMarkerType::Star,
                charts::Marker::Cross => ChartMarkerType::X,
            };
            let mut marker = ChartMarker::new();
            marker.set_type(shape).set_size(8).set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(colour))
                    .set_line(ChartLine::new().set_color(colour)),
            );
            series
                .set_format(ChartFormat::new().set_line(&line))
                .set_marker(&marker);
        }
        ChartKind::Bar => {
            let mut format = ChartFormat::new();
            format.set_line(ChartLine::new().set_color(colour));
            if !charts::hatched(j) {
                format.set_solid_fill(ChartSolidFill::new().set_color(colour));
            } else {
                format.set_pattern_fill(
                    ChartPatternFill::new()
                        .set_pattern(ChartPatternFillType::DiagonalStripesWideUpwards)
                        .set_foreground_color(colour)
                        .set_background_color(Color::White),
                );
            }
            series.set_format(&mut format);
            // The value at each bar's end, as the Word report's chart has.
            let mut label = ChartDataLabel::new();
            label.show_value().set_font(ChartFont::new().set_size(10));
            series.set_data_label(&label);
        }
    }
}

fn write_table(sheet: &mut Worksheet, name: &str, table: &Table) -> anyhow::Result<()> {
    let bold = Format::new().set_bold();
    let header = header_format().set_text_wrap().set_align(FormatAlign::Top);
    let numeric_header = header.clone().set_align(FormatAlign::Right);
    let wrap = wrap();
    let k = table.columns.len();
    let last_col = u16::try_from(k).context("too many columns")?;
    print_setup(sheet);

    // A label column as wide as its labels (within reason); the numeric
    // columns equal, as wide as their widest heading word or value, their
    // headings wrapped between words.
    let label_width = table
        .rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .chain(std::iter::once(table.label_header.chars().count()))
        .max()
        .unwrap_or(10)
        .clamp(10, 60)
        + 2;
    let numeric_width = table
        .columns
        .iter()
        .flat_map(|c| c.split_whitespace().map(|w| w.chars().count()))
        .chain(
            table
                .rows
                .iter()
                .flat_map(|(_, v)| v.iter().map(|x| number(*x).chars().count())),
        )
        .max()
        .unwrap_or(0)
        .max(8)
        + 3;
    sheet.set_column_width(0, label_width as f64)?;
    for j in 1..=last_col {
        sheet.set_column_width(j, numeric_width as f64)?;
    }
    let across = label_width + k * numeric_width;

    // Title, definition and key above the table, each across its width.
    sheet.write_string_with_format(0, 0, &table.title, &bold)?;
    let mut row = 1u32;
    let key_heading = (!table.key.is_empty()).then(|| "Key".to_owned());
    let lines: Vec<String> = std::iter::once(table.definition.clone())
        .chain(key_heading)
        .chain(table.key.iter().map(|e| e.line()))
        .collect();
    for text in &lines {
        let format = if text == "Key" { &bold } else { &wrap };
        if last_col > 0 {
            sheet.merge_range(row, 0, row, last_col, text, format)?;
        } else {
            sheet.write_string_with_format(row, 0, text, format)?;
        }
        // Column widths count digits; ordinary text is narrower, so a
        // little more than the width's worth fits on a line.
        sheet.set_row_height(row, row_height(lines_in(text, across * 11 / 10)))?;
        row += 1;
    }
    let header_row = row + 1;

    sheet.write_string_with_format(header_row, 0, &table.label_header, &header)?;
    for (j, column) in table.columns.iter().enumerate() {
        let col = u16::try_from(j + 1).context("too many columns")?;
        sheet.write_string_with_format(header_row, col, column, &numeric_header)?;
    }
    let header_lines = table
        .columns
        .iter()
        .map(|c| lines_in(c, numeric_width.saturating_sub(2)))
        .max()
        .unwrap_or(1);
    sheet.set_row_height(header_row, row_height(header_lines))?;
    let whole: Vec<bool> = (0..k)
        .map(|j| {
            table
                .rows
                .iter()
                .all(|(_, v)| v.get(j).is_none_or(|x| x.fract() == 0.0))
        })
        .collect();
    for (i, (label, values)) in table.rows.iter().enumerate() {
        let r = header_row + 1 + u32::try_from(i).context("too many rows")?;
        sheet.write_string(r, 0, label)?;
        for (j, v) in values.iter().enumerate() {
            let format = number_format(whole.get(j).copied().unwrap_or(false));
            sheet.write_number_with_format(
                r,
                u16::try_from(j + 1).context("too many columns")?,
                *v,
                &format,
            )?;
        }
    }
    let (Some(kind), false) = (table.chart, table.rows.is_empty()) else {
        return Ok(());
    };
    let first = header_row + 1;
    let last = header_row + u32::try_from(table.rows.len()).context("too many rows")?;
    let mut chart = Chart::new(match kind {
        ChartKind::Line => ChartType::Line,
        ChartKind::Bar => ChartType::Bar,
    });
    chart.title().set_name(&table.title);
    let font = |size: f64| {
        let mut f = ChartFont::new();
        f.set_size(size);
        f
    };
    chart.title().set_font(&font(13.0));
    for j in 0..k {
        let col = u16::try_from(j + 1).context("too many columns")?;
        let series = chart
            .add_series()
            .set_name((name, header_row, col))
            .set_categories((name, first, 0, last, 0))
            .set_values((name, first, col, last, col));
        style_series(series, kind, j);
    }
    chart.x_axis().set_font(&font(11.0));
    chart.y_axis().set_font(&font(11.0));
    if kind == ChartKind::Bar {
        // Excel draws a bar chart's first category at the bottom; the
        // table reads top down, so the chart does too.
        // (In an Excel bar chart the category axis is the vertical, y, one.)
        chart.y_axis().set_reverse();
    }
    if k < 2 {
        chart.legend().set_hidden();
    } else {
        chart
            .legend()
            .set_position(ChartLegendPosition::Bottom)
            .set_font(&font(11.0));
    }
    chart.set_width(760).set_height(460);
    // Beside the table, one empty column between, never over it.
    sheet.insert_chart(header_row, last_col + 2, &chart)?;
    Ok(())
}

fn write_records(sheet: &mut Worksheet, report: &Report) -> anyhow::Result<()> {
    let header = header_format();
    for (c, name) in ["Measure", "Child ID", "Detail"].iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &header)?;
    }
    print_setup(sheet);
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_column_width(0, 50)?;
    sheet.set_column_width(1, 14)?;
    sheet.set_column_width(2, 80)?;
    sheet.set_freeze_panes(1, 0)?;
    // Long measures and details wrap rather than being cut at the column's edge.
    let wrap = wrap();
    let mut row = 1u32;
    for f in report.sections.iter().flat_map(|s| &s.figures) {
        for counted in &f.records {
            sheet.write_string_with_format(row, 0, &f.measure, &wrap)?;
            sheet.write_string_with_format(row, 1, &counted.child, &wrap)?;
            sheet.write_string_with_format(row, 2, &counted.detail, &wrap)?;
            row += 1;
        }
    }
    Ok(())
}

fn write_about(sheet: &mut Worksheet, report: &Report) -> anyhow::Result<()> {
    let bold = Format::new().set_bold();
    let warning = Format::new()
        .set_bold()
        .set_align(FormatAlign::Top)
        .set_text_wrap()
        .set_font_color(Color::RGB(0x9C0006));
    print_setup(sheet);
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 100)?;
    let lines = [
        ("Panel", report.panel.clone()),
        ("Report", super::title(report)),
        (
            "Period",
            format!("{} to {}", dmy(report.from), dmy(report.to)),
        ),
        ("For", report.reports_to.clone()),
        ("Generated by", "permanence-panel".to_owned()),
    ];
    for (r, (name, value)) in lines.iter().enumerate() {
        sheet.write_string_with_format(r as u32, 0, *name, &bold)?;
        sheet.write_string(r as u32, 1, value)?;
    }
    let r = lines.len() as u32;
    let bold_top = bold.clone().set_align(FormatAlign::Top);
    sheet.write_string_with_format(r, 0, "Personal data", &bold_top)?;
    let text = format!(
        "{MARKING}. The Records sheet names children by their id in the return: share this workbook only with those who need it, and delete it when it is no longer needed."
    );
    sheet.write_string_with_format(r, 1, &text, &warning)?;
    // Bold text is wider: fewer characters to a line.
    sheet.set_row_height(r, row_height(lines_in(&text, 85)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::report::{ReportKind, Section};
    use chrono::NaiveDate;

    fn report_with(kind: ChartKind) -> Report {
        let day = |d| NaiveDate::from_ymd_opt(2026, 6, d).expect("a date");
        Report {
            kind: ReportKind::BudgetScrutiny,
            panel: "Test panel".into(),
            reports_to: "Budget Scrutiny".into(),
            from: day(1),
            to: day(30),
            sections: vec![Section {
                title: "Section".into(),
                figures: Vec::new(),
                tables: vec![Table {
                    title: "Counts".into(),
                    label_header: "Group".into(),
                    columns: vec!["Children".into()],
                    rows: vec![("first".into(), vec![2.0]), ("second".into(), vec![5.0])],
                    chart: Some(kind),
                    key: Vec::new(),
                    definition: "A test table.".into(),
                }],
                notes: Vec::new(),
            }],
        }
    }

    fn chart_xml(report: &Report) -> String {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("r.xlsx");
        let written = chrono::NaiveDate::from_ymd_opt(2026, 12, 4)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("a time");
        write(report, &path, written).expect("written");
        let file = std::fs::File::open(&path).expect("file");
        let mut zip = zip::ZipArchive::new(file).expect("a zip");
        let mut xml = String::new();
        zip.by_name("xl/charts/chart1.xml")
            .expect("a chart part")
            .read_to_string(&mut xml)
            .expect("text");
        xml
    }

    #[test]
    fn a_bar_chart_lists_its_categories_top_down_like_its_table() {
        let xml = chart_xml(&report_with(ChartKind::Bar));
        assert!(xml.contains("<c:barChart>"), "{xml}");
        let category_axis = xml
            .split("<c:catAx>")
            .nth(1)
            .and_then(|rest| rest.split("</c:catAx>").next())
            .expect("a category axis");
        assert!(
            category_axis.contains(r#"<c:orientation val="maxMin"/>"#),
            "{category_axis}"
        );
        // The series reads the table's cells on its own sheet.
        assert!(xml.contains("'Table 1'!$B$5:$B$6"), "{xml}");
    }

    #[test]
    fn a_line_chart_is_a_line_chart() {
        let xml = chart_xml(&report_with(ChartKind::Line));
        assert!(xml.contains("<c:lineChart>"), "{xml}");
    }

    fn two_series(kind: ChartKind) -> Report {
        let mut report = report_with(kind);
        let table = &mut report.sections[0].tables[0];
        table.columns = vec!["Target".into(), "Actual".into()];
        for (_, values) in &mut table.rows {
            values.push(1.0);
        }
        report
    }

    #[test]
    fn series_take_the_okabe_ito_colours_and_differ_in_dash_or_hatching_too() {
        let line = chart_xml(&two_series(ChartKind::Line));
        assert!(line.contains(r#"<a:srgbClr val="0072B2"/>"#), "{line}");
        assert!(line.contains(r#"<a:srgbClr val="E69F00"/>"#), "{line}");
        assert_eq!(line.matches("<c:marker>").count(), 2, "{line}");
        assert!(line.contains(r#"<a:prstDash val="dash"/>"#), "{line}");
        let bar = chart_xml(&two_series(ChartKind::Bar));
        assert!(
            bar.contains("<a:pattFill"),
            "the second series hatched: {bar}"
        );
    }

    #[test]
    fn the_chart_sits_beside_its_table_not_on_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("r.xlsx");
        let written = chrono::NaiveDate::from_ymd_opt(2026, 12, 4)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("a time");
        write(&two_series(ChartKind::Line), &path, written).expect("written");
        let file = std::fs::File::open(&path).expect("file");
        let mut zip = zip::ZipArchive::new(file).expect("a zip");
        let mut xml = String::new();
        zip.by_name("xl/drawings/drawing1.xml")
            .expect("a drawing part")
            .read_to_string(&mut xml)
            .expect("text");
        let from_col: u16 = xml
            .split("<xdr:from><xdr:col>")
            .nth(1)
            .and_then(|rest| rest.split("</xdr:col>").next())
            .and_then(|col| col.parse().ok())
            .expect("the chart's first column");
        // Label, Target and Actual are columns 0 to 2.
        assert!(from_col > 2, "the chart starts at column {from_col}");
    }
}
