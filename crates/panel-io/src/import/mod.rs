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
pub mod xlsx_limits;
mod xml903;

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use crate::model::schema903::TableUse;
use crate::rules::returns::CollectionYear;
use crate::store::{ImportedFile, MergeSummary, ReturnsImport, Store};

pub use error::{ImportError, MAX_PROBLEMS, MAX_SHOWN_CHARS, Problem};
pub use plans::import_plans;
pub use tables::{CHILD_ID_EXPECTED, Lenient, is_child_id};
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
    /// Each return read, in the order given.
    pub returns: Vec<ReturnRead>,
    /// What the merge of every return held gave.
    pub merge: MergeSummary,
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
        csv: Box<CsvFile>,
        map: Vec<usize>,
        /// Columns not needed by the rules and not in the file.
        missing: Problems,
    },
    /// OC2, OC3, DoLo: recognised, hashed, not read.
    LeftOut {
        table: Table,
        source: source::Source,
    },
    Xml(source::Source),
}

impl Input {
    /// Sort key: `Header` first so other tables can check their children;
    /// the XML return holds all four tables and comes first too.
    fn order(&self) -> usize {
        match &self.content {
            Content::Xml(_) => 0,
            Content::Csv { table, .. } | Content::LeftOut { table, .. } => *table as usize,
        }
    }

    fn tables(&self) -> Vec<Table> {
        match &self.content {
            // The XML return's tables that the panel reads.
            Content::Xml(_) => Table::ALL
                .into_iter()
                .filter(|t| t.role() == TableUse::Rules)
                .collect(),
            Content::Csv { table, .. } | Content::LeftOut { table, .. } => vec![*table],
        }
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// How an import of returns runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The collection year, for a single return (`--year`).
    pub year: Option<CollectionYear>,
    /// All or nothing: any problem refuses the whole import (`--strict`).
    /// Otherwise a problem in a field the rules need holds the child back
    /// and any other is a warning.
    pub strict: bool,
}

/// One return read by an import, as the summary tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnRead {
    /// The folder, or the files given, it came from.
    pub source: String,
    pub year: CollectionYear,
    /// Why this year: `--year`, a name, or the data.
    pub year_source: String,
    /// Rows stored per table, in `Table::ALL` order.
    pub rows: Vec<(String, i64)>,
    /// Tables recognised and left out (OC2, OC3, DoLo), with their file.
    pub left_out: Vec<(String, Table)>,
    /// Problems let through: children held back, warnings.
    pub lenient: Vec<Lenient>,
}

/// The files of one return: a folder's, or the files named on the
/// command line.
struct ReturnFiles {
    /// The folder, or the files given, for messages and the year's name.
    source: String,
    /// Names that may carry the year: the folder's, else each file's.
    names: Vec<String>,
    files: Vec<PathBuf>,
}

/// Imports the SSDA903 return from `files` (CSV tables recognised by their
/// header rows, in any order, or the XML return) as one return, all or
/// nothing. Its year comes from the files' names, else from its data; a
/// return of that year held before is replaced, other years are kept.
/// `Header` and `Episodes` are required; `Reviews` and `PlacedAdoption`
/// are optional.
pub fn import_903(
    store: &mut Store,
    files: &[PathBuf],
    at: NaiveDateTime,
) -> Result<ImportReport, ImportError> {
    let group = ReturnFiles {
        source: "the files given".to_owned(),
        names: files.iter().map(|f| shown(f)).collect(),
        files: files.to_vec(),
    };
    let options = ImportOptions {
        year: None,
        strict: true,
    };
    import_groups(store, vec![group], &options, at)
}

/// Imports returns: each path a folder holding one return, or files of one
/// return (all the files given outside folders make one return). Several
/// returns import in one transaction; nothing changes unless all are read.
pub fn import_returns(
    store: &mut Store,
    paths: &[PathBuf],
    options: &ImportOptions,
    at: NaiveDateTime,
) -> Result<ImportReport, ImportError> {
    let mut problems = Problems::default();
    let groups = group_paths(paths, &mut problems);
    if !problems.is_empty() {
        return Err(problems.into_error());
    }
    if options.year.is_some() && groups.len() > 1 {
        problems.push(
            "(paths given)",
            0,
            "--year",
            &groups
                .iter()
                .map(|g| g.source.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            "a single return with --year (each folder's year comes from its name or its data)",
        );
        return Err(problems.into_error());
    }
    import_groups(store, groups, options, at)
}

/// Folders become one return each; loose files one return together.
fn group_paths(paths: &[PathBuf], problems: &mut Problems) -> Vec<ReturnFiles> {
    let mut groups = Vec::new();
    let mut loose = Vec::new();
    for path in paths {
        if !path.is_dir() {
            loose.push(path.clone());
            continue;
        }
        let shown_dir = shown(path);
        let entries = match std::fs::read_dir(path) {
            Ok(e) => e,
            Err(e) => {
                problems.push(
                    &shown_dir,
                    0,
                    WHOLE_FILE,
                    &e.to_string(),
                    "a readable folder",
                );
                continue;
            }
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| !n.starts_with('.') && !is_plans_file(n))
            })
            .collect();
        files.sort();
        if files.is_empty() {
            problems.push(
                &shown_dir,
                0,
                WHOLE_FILE,
                "",
                "a folder holding the tables of a return",
            );
            continue;
        }
        groups.push(ReturnFiles {
            names: vec![shown_dir.clone()],
            source: shown_dir,
            files,
        });
    }
    if !loose.is_empty() {
        groups.push(ReturnFiles {
            source: "the files given".to_owned(),
            names: loose.iter().map(|f| shown(f)).collect(),
            files: loose,
        });
    }
    groups
}

/// `plans.csv` sits beside the generated return but is the panel's own
/// table, imported with `import plans`: a folder's copy is passed over.
fn is_plans_file(name: &str) -> bool {
    name.eq_ignore_ascii_case("plans.csv")
}

fn import_groups(
    store: &mut Store,
    groups: Vec<ReturnFiles>,
    options: &ImportOptions,
    at: NaiveDateTime,
) -> Result<ImportReport, ImportError> {
    let mut problems = Problems::default();
    let mut opened = Vec::new();
    for group in groups {
        let mut inputs = open_inputs(&group.files, options.strict, &mut problems);
        check_tables(&inputs, &group.files, &mut problems);
        inputs.sort_by_key(Input::order);
        opened.push((group, inputs));
    }
    if !problems.is_empty() {
        return Err(problems.into_error());
    }

    let mut import = store.begin_returns_import()?;
    let first_return = import.begin_return(at)?;
    let mut all_files = Vec::new();
    let mut returns_read = Vec::new();
    for (n, (group, inputs)) in opened.into_iter().enumerate() {
        let ret = if n == 0 {
            first_return
        } else {
            import.begin_return(at)?
        };
        let mut loader = Loader::new(import, ret, options.strict);
        let mut hashed: Vec<(String, Vec<Table>, String)> = Vec::new();
        let mut left_out: Vec<(String, Table)> = Vec::new();
        for input in inputs {
            let tables = input.tables();
            let sha = match input.content {
                Content::LeftOut { table, source } => {
                    left_out.push((input.shown.clone(), table));
                    source::finish(source).ok()
                }
                Content::Csv {
                    table,
                    csv,
                    map,
                    missing,
                } => {
                    for problem in missing.into_problems() {
                        loader.file_warning(problem);
                    }
                    let mut sink = TableSink {
                        loader: &mut loader,
                        table,
                    };
                    csv903::read_rows(*csv, &map, &input.shown, &mut sink)
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
        let (back, loaded_problems, store_error, lenient) = loader.into_parts();
        import = back;
        if store_error.is_some() || !loaded_problems.is_empty() {
            // Dropping the import rolls it back.
            drop(import);
            let mut e = loaded_problems.into_error();
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
        let (year, year_source) = match return_year(&import, ret, &group, options)? {
            Some(found) => found,
            None => {
                // Every row was held back or left out: say why as well.
                for l in lenient {
                    problems.push_problem(l.problem);
                }
                problems.push(
                    &group.source,
                    0,
                    "year",
                    "",
                    "a return holding a date (give its year with --year 2025-26)",
                );
                return Err(problems.into_error());
            }
        };
        if import.year_taken(year, first_return)? {
            problems.push(
                &group.source,
                0,
                "year",
                &year.to_string(),
                "one return per collection year in one import",
            );
            return Err(problems.into_error());
        }
        import.set_year(ret, year, &year_source, &files)?;
        returns_read.push(ReturnRead {
            source: group.source,
            year,
            year_source,
            left_out,
            lenient,
            rows: Table::ALL
                .iter()
                .map(|t| (t.name().to_owned(), counts[*t as usize]))
                .collect(),
        });
        all_files.extend(files);
    }
    let (import_id, merge) = import.finish(at, &all_files)?;
    Ok(ImportReport {
        import_id,
        files: all_files,
        returns: returns_read,
        merge,
    })
}

/// The year of a return just read: `--year`, else a year in its folder's
/// or files' names, else the year of its latest date; with the reason.
fn return_year(
    import: &ReturnsImport<'_>,
    ret: i64,
    group: &ReturnFiles,
    options: &ImportOptions,
) -> crate::store::Result<Option<(CollectionYear, String)>> {
    if let Some(year) = options.year {
        return Ok(Some((year, "given with --year".to_owned())));
    }
    for name in &group.names {
        let base = Path::new(name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.clone());
        if let Some(year) = CollectionYear::find_in_name(&base) {
            return Ok(Some((year, format!("from the name '{base}'"))));
        }
    }
    Ok(import.latest_date(ret)?.map(|d| {
        (
            CollectionYear::containing(d),
            format!("from its latest date, {}", crate::rules::dates::dmy(d)),
        )
    }))
}

/// Opens every file and reads its header row; reports files that cannot
/// be read or recognised, and missing or repeated columns.
fn open_inputs(files: &[PathBuf], strict: bool, problems: &mut Problems) -> Vec<Input> {
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
                        &if plans {
                            format!("the header row of one of the return's tables ({}; this looks like plans.csv, which is imported on its own)", Table::known_names())
                        } else {
                            format!("the header row of one of the return's tables ({})", Table::known_names())
                        },
                    );
                    continue;
                };
                if table.role() == TableUse::LeftOut {
                    inputs.push(Input {
                        shown,
                        content: Content::LeftOut {
                            table,
                            source: csv.into_source(),
                        },
                    });
                    continue;
                }
                // Under --strict every column must be there, as before;
                // otherwise only those the rules need.
                let mut missing = Problems::default();
                let Some(map) = csv903::map_columns_needing(
                    &csv,
                    table.columns(),
                    |c| strict || table.is_needed(c),
                    table.name(),
                    &shown,
                    problems,
                    &mut missing,
                ) else {
                    continue;
                };
                inputs.push(Input {
                    shown,
                    content: Content::Csv {
                        table,
                        csv: Box::new(csv),
                        map,
                        missing,
                    },
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

    fn bad_row(&mut self, child: &str, problems: Problems) {
        self.loader.bad_row(self.table, child, problems);
    }
}
