//! A return as one Excel workbook with a table per sheet (ssda903.md 5.13):
//! each sheet recognised by its header row like a CSV file, its cells read
//! as the administrator sees them (an Excel date as dd/mm/yyyy).

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};

use super::cell_text::cell_text;
use super::values::Cells;

/// One sheet's table: its header row and the rows under it, as text.
pub struct Sheet {
    /// `FILE:SHEET`, for messages.
    pub shown: String,
    pub headers: Vec<String>,
    /// Each row with its sheet row number (1-based), blank rows left out.
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Whether a file is a zip archive (an .xlsx workbook), by its first bytes.
pub fn is_workbook(start: &[u8]) -> bool {
    start.starts_with(b"PK\x03\x04")
}

/// Reads every sheet with anything in it. `Err` is the reason the file is
/// not a readable workbook.
pub fn read(path: &Path, shown: &str) -> Result<Vec<Sheet>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| e.to_string())?;
        if let Some(sheet) = sheet(&range, &format!("{shown}:{name}")) {
            sheets.push(sheet);
        }
    }
    Ok(sheets)
}

/// The first non-blank row is the header row; the rows under it follow.
fn sheet(range: &Range<Data>, shown: &str) -> Option<Sheet> {
    let (top, _) = range.start()?;
    let mut rows = range
        .rows()
        .enumerate()
        .map(|(i, row)| (u64::from(top) + i as u64 + 1, row))
        .filter(|(_, row)| row.iter().any(|c| !cell_text(c).is_empty()));
    let (_, header) = rows.next()?;
    let headers: Vec<String> = header.iter().map(cell_text).collect();
    let rows = rows
        .map(|(line, row)| (line, row.iter().map(cell_text).collect()))
        .collect();
    Some(Sheet {
        shown: shown.to_owned(),
        headers,
        rows,
    })
}

/// One sheet row, seen through the table's column map.
pub struct SheetCells<'a> {
    pub values: &'a [String],
    pub map: &'a [usize],
    pub headers: &'a [String],
    pub line: u64,
}

impl Cells for SheetCells<'_> {
    fn value(&self, col: usize) -> &str {
        self.map
            .get(col)
            .and_then(|&i| self.values.get(i))
            .map_or("", |v| v.trim())
    }

    fn column_name(&self, col: usize) -> &str {
        self.map
            .get(col)
            .and_then(|&i| self.headers.get(i))
            .map_or("", String::as_str)
    }

    fn line(&self, _col: usize) -> u64 {
        self.line
    }
}
