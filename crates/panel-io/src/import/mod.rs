//! Imports: the SSDA903 return (four CSV tables or the XML return) and the
//! panel's `plans.csv`. Each import is one transaction: every file is
//! checked, every problem is reported as `FILE:LINE:COLUMN: found 'VALUE',
//! expected WHAT`, and a rejected import changes nothing.

mod csv903;
mod error;
pub mod members_csv;
mod plans;
mod source;
mod tables;
pub mod tracker_xlsx;
mod values;
mod xml903;

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use crate::store::{ImportedFile, Store};

pub use error::{ImportError, MAX_PROBLEMS, MAX_SHOWN_CHARS, Problem};
pub use plans::import_plans;
pub use values::parse_date;

use csv903::{CsvFile, HEADER_ROW, RowSink, WHOLE_FILE};
use error::Problems;
use source::Kind;
use tables::{Loader, Table};

/// What an accepted import stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The import log's id for this import.
    pub import_id: i64,
    /// One entry per file and table, as recorded in the import log.
    pub files: Vec<ImportedFile>,
}

impl ImportReport {
    /// Rows stored for a table (`Header`, `Episodes`, `Reviews`,
    /// `PlacedAdoption` or `Plans`), over all files.
    pub fn rows(&self, table: &str) -> i64 {
        self.files
            .iter()
            .filter(|f| f.table == table)
            .map(|f| f.rows)
            .sum()
    }
}

impl fmt::Display for ImportReport {
    /// One line per table, e.g. `Header: 3000 children`, `Episodes: 15012`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut tables: Vec<&str> = Vec::new();
        for file in &self.files {
            if !tables.contains(&file.table.as_str()) {
                tables.push(&file.table);
            }
        }
        for (i, table) in tables.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let rows = self.rows(table);
            match *table {
                "Header" | "Plans" if rows == 1 => write!(f, "{table}: 1 child")?,
                "Header" | "Plans" => write!(f, "{table}: {rows} children")?,
                _ => write!(f, "{table}: {rows}")?,
            }
        }
        Ok(())
    }
}

/// A file given on the command line, opened and recognised.
struct Input {
    shown: String,
    content: Content,
}

enum Content {
    Csv {
        table: Table,
        csv: CsvFile,
        map: Vec<usize>,
    },
    Xml(source::Source),
}

impl Input {
    /// Sort key: `Header` first so other tables can check their children;
    /// the XML return holds all four tables and comes first too.
    fn order(&self) -> usize {
        match &self.content {
            Content::Xml(_) => 0,
            Content::Csv { table, .. } => *table as usize,
        }
    }

    fn tables(&self) -> Vec<Table> {
        match &self.content {
            Content::Xml(_) => Table::ALL.to_vec(),
            Content::Csv { table, .. } => vec![*table],
        }
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Imports the SSDA903 return from `files` (CSV tables recognised by their
/// header rows, in any order, or the XML return), replacing the whole
/// previous extract in one transaction. `Header` and `Episodes` are
/// required; `Reviews` and `PlacedAdoption` are optional.
pub fn import_903(
    store: &mut Store,
    files: &[PathBuf],
    at: NaiveDateTime,
) -> Result<ImportReport, ImportError> {
    let mut problems = Problems::default();
    let mut inputs = open_inputs(files, &mut problems);
    check_tables(&inputs, files, &mut problems);
    if !problems.is_empty() {
        return Err(problems.into_error());
    }
    inputs.sort_by_key(Input::order);

    let import = store.begin_extract_import()?;
    let mut loader = Loader::new(import);
    let mut hashed: Vec<(String, Vec<Table>, String)> = Vec::new();
    for input in inputs {
        let tables = input.tables();
        let sha = match input.content {
            Content::Csv { table, csv, map } => {
                let mut sink = TableSink {
                    loader: &mut loader,
                    table,
                };
                csv903::read_rows(csv, &map, &input.shown, &mut sink)
            }
            Content::Xml(source) => xml903::read(source, &input.shown, &mut loader),
        };
        if let Some(sha) = sha {
            hashed.push((input.shown, tables, sha));
        }
        if loader.should_stop() {
            break;
        }
    }
    let counts = loader.counts;
    let (import, problems, store_error) = loader.into_parts();
    if store_error.is_some() || !problems.is_empty() {
        // Dropping the import rolls it back.
        drop(import);
        let mut e = problems.into_error();
        e.store = store_error;
        return Err(e);
    }
    let files: Vec<ImportedFile> = hashed
        .into_iter()
        .flat_map(|(name, tables, sha)| {
            tables.into_iter().map(move |t| ImportedFile {
                file_name: name.clone(),
                sha256: sha.clone(),
                table: t.name().to_owned(),
                rows: counts[t as usize],
            })
        })
        .collect();
    let import_id = import.finish(at, &files)?;
    Ok(ImportReport { import_id, files })
}

/// Opens every file and reads its header row; reports files that cannot
/// be read or recognised, and missing or repeated columns.
fn open_inputs(files: &[PathBuf], problems: &mut Problems) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in files {
        let shown = shown(path);
        let opened = match source::open(path) {
            Ok(o) => o,
            Err(e) => {
                problems.push(&shown, 0, WHOLE_FILE, &e.to_string(), "a readable file");
                continue;
            }
        };
        match opened.kind {
            Kind::Xml => inputs.push(Input {
                shown,
                content: Content::Xml(opened.source),
            }),
            Kind::Csv => {
                let Some(csv) = csv903::open(opened.source, opened.len, &shown, problems) else {
                    continue;
                };
                let Some(table) = csv903::identify(&csv.headers) else {
                    let plans = csv.headers.iter().any(|h| h.eq_ignore_ascii_case("PLAN"));
                    problems.push(
                        &shown,
                        1,
                        HEADER_ROW,
                        &csv903::joined(&csv.headers),
                        if plans {
                            "the header row of a Header, Episodes, Reviews or PlacedAdoption table (this looks like plans.csv, which is imported on its own)"
                        } else {
                            "the header row of a Header, Episodes, Reviews or PlacedAdoption table"
                        },
                    );
                    continue;
                };
                let Some(map) =
                    csv903::map_columns(&csv, table.columns(), table.name(), &shown, problems)
                else {
                    continue;
                };
                inputs.push(Input {
                    shown,
                    content: Content::Csv { table, csv, map },
                });
            }
        }
    }
    inputs
}

/// Each table at most once; `Header` and `Episodes` present.
fn check_tables(inputs: &[Input], files: &[PathBuf], problems: &mut Problems) {
    let mut first: Vec<(Table, &str)> = Vec::new();
    for input in inputs {
        for table in input.tables() {
            match first.iter().find(|(t, _)| *t == table) {
                Some((_, earlier)) => problems.push(
                    &input.shown,
                    1,
                    HEADER_ROW,
                    table.name(),
                    &format!("one {} table (it is also in {earlier})", table.name()),
                ),
                None => first.push((table, &input.shown)),
            }
        }
    }
    // Only when every file was recognised: otherwise the missing table is
    // most likely in the file already reported.
    if inputs.len() == files.len() {
        let given = files.iter().map(|p| shown(p)).collect::<Vec<_>>().join(" ");
        for required in [Table::Header, Table::Episodes] {
            if !first.iter().any(|(t, _)| *t == required) {
                problems.push(
                    "(files given)",
                    0,
                    required.name(),
                    &given,
                    &format!("a file with the {} table", required.name()),
                );
            }
        }
    }
}

struct TableSink<'l, 's> {
    loader: &'l mut Loader<'s>,
    table: Table,
}

impl RowSink for TableSink<'_, '_> {
    fn problems(&mut self) -> &mut Problems {
        &mut self.loader.problems
    }

    fn stop(&self) -> bool {
        self.loader.should_stop()
    }

    fn row(&mut self, file: &str, cells: &csv903::CsvCells<'_>) {
        self.loader.row(self.table, file, cells);
    }
}
