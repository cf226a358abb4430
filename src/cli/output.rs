//! Tables for people and CSV for scripts.

use std::io::{IsTerminal, Write};

use clap::ValueEnum;

use panel_core::text::visible;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Csv,
    Table,
}

impl TableFormat {
    /// The format asked for, else a table on a terminal and CSV elsewhere.
    pub fn or_default(asked: Option<TableFormat>) -> TableFormat {
        asked.unwrap_or(if std::io::stdout().is_terminal() {
            TableFormat::Table
        } else {
            TableFormat::Csv
        })
    }
}

impl TableFormat {
    /// A date as this format writes it: dd/mm/yyyy for people reading a
    /// table, yyyy-mm-dd in CSV (the contract scripts rely on).
    pub fn date(self, d: chrono::NaiveDate) -> String {
        match self {
            TableFormat::Csv => crate::rules::dates::iso(d),
            TableFormat::Table => crate::rules::dates::dmy(d),
        }
    }
}

/// Writes rows as CSV (RFC 4180, each cell made safe for a spreadsheet) or
/// as an aligned text table (control characters shown, not obeyed).
pub fn write_rows(
    out: &mut dyn Write,
    format: TableFormat,
    header: &[&str],
    rows: &[Vec<String>],
) -> anyhow::Result<()> {
    match format {
        TableFormat::Csv => {
            let mut w = crate::export::safe_csv::SafeCsv::new(out);
            w.write_record(header)?;
            for row in rows {
                w.write_record(row)?;
            }
            w.flush()?;
        }
        TableFormat::Table => {
            let rows: Vec<Vec<String>> = rows
                .iter()
                .map(|row| row.iter().map(|c| visible(c).into_owned()).collect())
                .collect();
            let rows = &rows;
            let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
            for row in rows {
                for (i, cell) in row.iter().enumerate() {
                    if let Some(w) = widths.get_mut(i) {
                        *w = (*w).max(cell.chars().count());
                    }
                }
            }
            let line = |cells: Vec<&str>| -> String {
                let last = cells.len().saturating_sub(1);
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        if i == last {
                            (*c).to_owned()
                        } else {
                            format!("{c:<w$}", w = widths[i])
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
            };
            writeln!(out, "{}", line(header.to_vec()))?;
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            writeln!(out, "{}", line(rule.iter().map(String::as_str).collect()))?;
            for row in rows {
                writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
            }
        }
    }
    Ok(())
}
