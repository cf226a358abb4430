//! The report as an Excel workbook: a Summary sheet (every figure with its
//! definition and what it counts), one sheet per table with a native Excel
//! chart drawn from its cells, a Records sheet naming the children behind
//! each figure, and an About sheet.

use std::path::Path;

use anyhow::Context;
use rust_xlsxwriter::{Chart, ChartType, Color, Format, FormatAlign, Workbook, Worksheet};

use super::{ChartKind, Report, Table};
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

/// Where a table's header row sits on its sheet (title and definition above).
const TABLE_HEADER_ROW: u32 = 3;

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

pub fn write(report: &Report, path: &Path) -> anyhow::Result<()> {
    let mut workbook = Workbook::new();
    let summary = workbook.add_worksheet();
    summary.set_name("Summary")?;
    write_summary(summary, report)?;

    let tables: Vec<&Table> = report.sections.iter().flat_map(|s| &s.tables).collect();
    for (i, table) in tables.iter().enumerate() {
        let sheet = workbook.add_worksheet();
        let name = table_sheet_name(i);
        sheet.set_name(&name)?;
        write_table(sheet, &name, table)?;
    }

    let records = workbook.add_worksheet();
    records.set_name("Records")?;
    write_records(records, report)?;
    let about = workbook.add_worksheet();
    about.set_name("About")?;
    write_about(about, report)?;
    workbook
        .save(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn write_summary(sheet: &mut Worksheet, report: &Report) -> anyhow::Result<()> {
    let header = header_format();
    let wrap = wrap();
    for (c, name) in SUMMARY_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &header)?;
    }
    let widths = [24.0, 40.0, 12.0, 12.0, 10.0, 70.0, 60.0];
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut row = 1u32;
    for section in &report.sections {
        for f in &section.figures {
            sheet.write_string_with_format(row, 0, &section.title, &wrap)?;
            sheet.write_string_with_format(row, 1, &f.measure, &wrap)?;
            match f.value {
                Some(v) => sheet.write_number(row, 2, v)?,
                None => sheet.write_string(row, 2, f.shown())?,
            };
            sheet.write_string(row, 3, f.unit)?;
            if let Some(t) = f.target {
                sheet.write_number(row, 4, t)?;
            }
            sheet.write_string_with_format(row, 5, &f.definition, &wrap)?;
            sheet.write_string_with_format(row, 6, &f.counts, &wrap)?;
            row += 1;
        }
    }
    Ok(())
}

fn write_table(sheet: &mut Worksheet, name: &str, table: &Table) -> anyhow::Result<()> {
    let bold = Format::new().set_bold();
    let header = header_format();
    sheet.write_string_with_format(0, 0, &table.title, &bold)?;
    sheet.write_string(1, 0, &table.definition)?;
    let label_width = table
        .rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .chain(std::iter::once(table.label_header.chars().count()))
        .max()
        .unwrap_or(10);
    sheet.set_column_width(0, (label_width + 2).min(60) as f64)?;
    sheet.write_string_with_format(TABLE_HEADER_ROW, 0, &table.label_header, &header)?;
    for (j, column) in table.columns.iter().enumerate() {
        let col = u16::try_from(j + 1).context("too many columns")?;
        sheet.write_string_with_format(TABLE_HEADER_ROW, col, column, &header)?;
        sheet.set_column_width(col, (column.chars().count() + 2).max(10) as f64)?;
    }
    for (i, (label, values)) in table.rows.iter().enumerate() {
        let r = TABLE_HEADER_ROW + 1 + u32::try_from(i).context("too many rows")?;
        sheet.write_string(r, 0, label)?;
        for (j, v) in values.iter().enumerate() {
            sheet.write_number(r, u16::try_from(j + 1).context("too many columns")?, *v)?;
        }
    }
    let (Some(kind), false) = (table.chart, table.rows.is_empty()) else {
        return Ok(());
    };
    let first = TABLE_HEADER_ROW + 1;
    let last = TABLE_HEADER_ROW + u32::try_from(table.rows.len()).context("too many rows")?;
    let mut chart = Chart::new(match kind {
        ChartKind::Line => ChartType::Line,
        ChartKind::Bar => ChartType::Bar,
    });
    chart.title().set_name(&table.title);
    for j in 0..table.columns.len() {
        let col = u16::try_from(j + 1).context("too many columns")?;
        chart
            .add_series()
            .set_name((name, TABLE_HEADER_ROW, col))
            .set_categories((name, first, 0, last, 0))
            .set_values((name, first, col, last, col));
    }
    if kind == ChartKind::Bar {
        // Excel draws a bar chart's first category at the bottom; the
        // table reads top down, so the chart does too.
        // (In an Excel bar chart the category axis is the vertical, y, one.)
        chart.y_axis().set_reverse();
    }
    if table.columns.len() < 2 {
        chart.legend().set_hidden();
    }
    chart.set_width(720).set_height(400);
    let chart_col = u16::try_from(table.columns.len() + 2).context("too many columns")?;
    sheet.insert_chart(TABLE_HEADER_ROW, chart_col, &chart)?;
    Ok(())
}

fn write_records(sheet: &mut Worksheet, report: &Report) -> anyhow::Result<()> {
    let header = header_format();
    for (c, name) in ["Measure", "Child ID", "Detail"].iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &header)?;
    }
    sheet.set_column_width(0, 50)?;
    sheet.set_column_width(1, 14)?;
    sheet.set_column_width(2, 80)?;
    sheet.set_freeze_panes(1, 0)?;
    let mut row = 1u32;
    for f in report.sections.iter().flat_map(|s| &s.figures) {
        for counted in &f.records {
            sheet.write_string(row, 0, &f.measure)?;
            sheet.write_string(row, 1, &counted.child)?;
            sheet.write_string(row, 2, &counted.detail)?;
            row += 1;
        }
    }
    Ok(())
}

fn write_about(sheet: &mut Worksheet, report: &Report) -> anyhow::Result<()> {
    let bold = Format::new().set_bold();
    let warning = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_font_color(Color::RGB(0x9C0006));
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 100)?;
    let lines = [
        ("Panel", report.panel.clone()),
        ("Report", report.kind.title().to_owned()),
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
    sheet.write_string_with_format(r, 0, "Personal data", &bold)?;
    sheet.write_string_with_format(
        r,
        1,
        format!("{MARKING}. The Records sheet names children by their id in the return: share this workbook only with those who need it, and delete it when it is no longer needed."),
        &warning,
    )?;
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
        write(report, &path).expect("written");
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
}
