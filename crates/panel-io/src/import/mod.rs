//! Imports: the SSDA903 return (four CSV tables or the XML return) and the
//! panel's `plans.csv`. Each import is one transaction: every file is
//! checked, every problem is reported as `FILE:LINE:COLUMN: found 'VALUE',
//! expected WHAT`, and a rejected import changes nothing.

mod cell_text;
mod csv903;
mod error;
mod excel_date;
pub mod members_csv;
mod plans;
mod source;
mod tables;
mod tracker_map;
pub mod tracker_xlsx;
mod values;
mod xlsx903;
pub mod xlsx_limits;
mod xml903;

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};

use crate::model::schema903::TableUse;
use crate::rules::returns::CollectionYear;
use crate::store::{ImportedFile, MergeSummary, ReturnsImport, Store};

pub use error::{ImportError, MAX_PROBLEMS, MAX_SHOWN_CHARS, Problem};
pub use plans::{PlanRow, PlansPlan, import_plans, import_plans_planned, parse_plans, plan_plans};
pub use tables::{CHILD_ID_EXPECTED, Lenient, is_child_id};
pub use values::parse_date;

use csv903::{CsvFile, HEADER_ROW, RowSink, WHOLE_FILE};
use error::Problems;
use source::Kind;
use tables::{DryRun, Loader, ReturnWriter, StoreWriter, Table};

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
    /// The copy of the panel as it was, kept among the automatic backups
    /// (none for a panel that held nothing, or a dry run).
    pub backup: Option<PathBuf>,
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
            // Tables recognised and left out are said once in the summary.
            let left_out =
                Table::from_name(&file.table).is_some_and(|t| t.role() == TableUse::LeftOut);
            if !left_out && !tables.contains(&file.table.as_str()) {
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
    /// Warnings about the file as a whole (a lenient import lets them
    /// through): a column not needed is missing, it was not UTF-8.
    warnings: Problems,
}

enum Content {
    Csv {
        table: Table,
        csv: Box<CsvFile>,
        map: Vec<usize>,
    },
    /// OC2, OC3, DoLo: recognised, hashed, not read.
    LeftOut {
        table: Table,
        source: source::Source,
    },
    Xml(source::Source),
    /// A workbook's sheet: `map` is `None` for a table left out.
    Sheet {
        table: Table,
        sheet: xlsx903::Sheet,
        map: Option<Vec<usize>>,
        sha256: String,
    },
}

impl Input {
    /// Sort key: `Header` first so other tables can check their children;
    /// the XML return holds all four tables and comes first too.
    fn order(&self) -> usize {
        match &self.content {
            Content::Xml(_) => 0,
            Content::Csv { table, .. }
            | Content::LeftOut { table, .. }
            | Content::Sheet { table, .. } => *table as usize,
        }
    }

    fn tables(&self) -> Vec<Table> {
        match &self.content {
            // The XML return's tables that the panel reads.
            Content::Xml(_) => Table::ALL
                .into_iter()
                .filter(|t| t.role() == TableUse::Rules)
                .collect(),
            Content::Csv { table, .. }
            | Content::LeftOut { table, .. }
            | Content::Sheet { table, .. } => vec![*table],
        }
    }
}

/// A path as messages and the import's record name it: relative to
/// `base` when it lies under it (the demo's scratch folder), else as given.
fn shown(path: &Path, base: Option<&Path>) -> String {
    base.and_then(|b| path.strip_prefix(b).ok())
        .unwrap_or(path)
        .display()
        .to_string()
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
    /// Show a progress line on standard error when it is a terminal
    /// (never otherwise).
    pub progress: bool,
    /// Read and check everything, say what would happen, write nothing.
    pub dry_run: bool,
    /// Where a screen follows the import's progress (the app's Return
    /// screen); `None` for the command line.
    pub watch: Option<crate::progress::Watch>,
    /// Name files relative to this folder in messages and in the record of
    /// the import (the demo imports from a scratch folder that is gone
    /// afterwards); `None`: as given.
    pub shown_relative_to: Option<PathBuf>,
    /// Keep no backup of the panel as it was (the demo, which is building
    /// a panel of its own); the database is still checked first.
    pub without_backup: bool,
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
    /// It holds rows from before its year: a whole history.
    pub whole_history: bool,
    /// Its latest DECOM, DEC or REVIEW: the day it runs to.
    pub runs_to: Option<NaiveDate>,
    /// The return of this year held before the import, which it replaces
    /// (or would, in a dry run).
    pub replaces: Option<Replaced>,
    /// Its files, with their SHA-256 and rows.
    pub files: Vec<ImportedFile>,
}

/// The return of a year that an import replaced: when it was imported,
/// and the day it ran to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    pub imported_at: NaiveDateTime,
    pub ran_to: Option<NaiveDate>,
}

impl ReturnRead {
    /// The return it replaced ran to a later day than this one does: last
    /// month's extract imported over this month's, say. Imported all the
    /// same (importing a year again replaces it, rules.md), and said.
    pub fn runs_to_an_earlier_day(&self) -> Option<(NaiveDate, NaiveDate)> {
        let ran_to = self.replaces.as_ref()?.ran_to?;
        let runs_to = self.runs_to?;
        (runs_to < ran_to).then_some((runs_to, ran_to))
    }
}

/// Each return held now, by year, as an import would replace it.
fn held_returns(store: &Store) -> Result<Vec<(CollectionYear, Replaced)>, ImportError> {
    Ok(store
        .returns()?
        .into_iter()
        .map(|r| {
            let replaced = Replaced {
                imported_at: r.imported_at,
                ran_to: r.last_date,
            };
            (r.year, replaced)
        })
        .collect())
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
        source: "(files given)".to_owned(),
        names: files.iter().map(|f| shown(f, None)).collect(),
        files: files.to_vec(),
    };
    let options = ImportOptions {
        year: None,
        strict: true,
        progress: false,
        dry_run: false,
        shown_relative_to: None,
        watch: None,
        without_backup: false,
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
    let groups = group_paths(paths, options.shown_relative_to.as_deref(), &mut problems);
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
fn group_paths(
    paths: &[PathBuf],
    base: Option<&Path>,
    problems: &mut Problems,
) -> Vec<ReturnFiles> {
    let mut groups = Vec::new();
    let mut loose = Vec::new();
    for path in paths {
        if !path.is_dir() {
            loose.push(path.clone());
            continue;
        }
        let shown_dir = shown(path, base);
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
                    .is_some_and(|n| !is_plans_file(n) && !is_left_by_the_system(n))
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
            source: "(files given)".to_owned(),
            names: loose.iter().map(|f| shown(f, base)).collect(),
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

/// Files that land in a council's export folder without anyone putting
/// them there, passed over so that the folder still imports: hidden files
/// (`.DS_Store`), what Windows Explorer writes (`desktop.ini`,
/// `Thumbs.db`), the owner file Office keeps beside a workbook that is
/// open (`~$header.xlsx`), and the download mark a copy out of Windows
/// keeps (`header.csv:Zone.Identifier`). A file named on the command line
/// is read whatever its name.
fn is_left_by_the_system(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || name.starts_with("~$")
        || lower.ends_with(":zone.identifier")
        || ["desktop.ini", "thumbs.db", "ehthumbs.db"].contains(&lower.as_str())
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
        let mut found = Problems::default();
        let mut inputs = open_inputs(&group.files, options, &mut found);
        let all_recognised = found.is_empty();
        check_tables(
            &inputs,
            all_recognised,
            &group.files,
            options.shown_relative_to.as_deref(),
            &mut found,
        );
        problems.append(found);
        inputs.sort_by_key(Input::order);
        opened.push((group, inputs));
    }
    if !problems.is_empty() {
        return Err(problems.into_error());
    }

    let files_to_read: usize = opened.iter().map(|(_, inputs)| inputs.len()).sum();
    let progress = progress_line(options.progress, files_to_read as u64 + 1);
    if let Some(watch) = &options.watch {
        watch.follow(&progress);
    }
    if options.dry_run {
        return dry_run(store, opened, options, &progress);
    }
    let held = held_returns(store)?;
    store.import_returns(at, !options.without_backup, |import| {
        store_returns(import, opened, options, at, &progress, problems, &held)
    })
}

/// The return of `year` among those `held`, if any.
fn replaced_by(held: &[(CollectionYear, Replaced)], year: CollectionYear) -> Option<Replaced> {
    held.iter()
        .find(|(y, _)| *y == year)
        .map(|(_, replaced)| replaced.clone())
}

/// Reads each return opened into `import`, gives each its year, and
/// merges and commits them (`ReturnsImport::finish`).
fn store_returns(
    mut import: ReturnsImport<'_>,
    opened: Vec<(ReturnFiles, Vec<Input>)>,
    options: &ImportOptions,
    at: NaiveDateTime,
    progress: &indicatif::ProgressBar,
    mut problems: Problems,
    held: &[(CollectionYear, Replaced)],
) -> Result<ImportReport, ImportError> {
    let first_return = import.begin_return(at)?;
    let mut all_files = Vec::new();
    let mut returns_read = Vec::new();
    for (n, (group, inputs)) in opened.into_iter().enumerate() {
        let ret = if n == 0 {
            first_return
        } else {
            import.begin_return(at)?
        };
        let writer = StoreWriter { import };
        let (writer, mut read) = read_return(writer, group, inputs, options, progress)?;
        import = writer.import;
        read.replaces = replaced_by(held, read.year);
        if import.year_taken(read.year) {
            problems.push(
                &read.source,
                0,
                "year",
                &read.year.to_string(),
                "one return per collection year in one import",
            );
            return Err(problems.into_error());
        }
        import.set_year(
            ret,
            read.year,
            &read.year_source,
            read.whole_history,
            &read.files,
        )?;
        all_files.extend(read.files.iter().cloned());
        returns_read.push(read);
    }
    progress.set_message("merging the returns held");
    let (import_id, merge, backup) = import.finish(at, &all_files)?;
    progress.finish_and_clear();
    Ok(ImportReport {
        import_id,
        files: all_files,
        returns: returns_read,
        merge,
        backup,
    })
}

/// Reads every return and says what an import would do, writing nothing:
/// no write transaction is opened.
fn dry_run(
    store: &Store,
    opened: Vec<(ReturnFiles, Vec<Input>)>,
    options: &ImportOptions,
    progress: &indicatif::ProgressBar,
) -> Result<ImportReport, ImportError> {
    let held = held_returns(store)?;
    let mut returns_read: Vec<ReturnRead> = Vec::new();
    for (group, inputs) in opened {
        let (_, mut read) = read_return(DryRun, group, inputs, options, progress)?;
        if returns_read.iter().any(|r| r.year == read.year) {
            let mut problems = Problems::default();
            problems.push(
                &read.source,
                0,
                "year",
                &read.year.to_string(),
                "one return per collection year in one import",
            );
            return Err(problems.into_error());
        }
        read.replaces = replaced_by(&held, read.year);
        returns_read.push(read);
    }
    progress.finish_and_clear();
    Ok(ImportReport {
        import_id: 0,
        files: returns_read.iter().flat_map(|r| r.files.clone()).collect(),
        returns: returns_read,
        merge: MergeSummary::default(),
        backup: None,
    })
}

/// Reads one return's files through a loader into `writer`, and finds its
/// year. Problems that refuse the import (all of them under `--strict`)
/// come back as the error.
fn read_return<W: ReturnWriter>(
    writer: W,
    group: ReturnFiles,
    inputs: Vec<Input>,
    options: &ImportOptions,
    progress: &indicatif::ProgressBar,
) -> Result<(W, ReturnRead), ImportError> {
    let mut loader = Loader::new(writer, options.strict);
    let mut hashed: Vec<(String, Vec<Table>, String)> = Vec::new();
    let mut left_out: Vec<(String, Table)> = Vec::new();
    for mut input in inputs {
        let tables = input.tables();
        for problem in std::mem::take(&mut input.warnings).into_problems() {
            loader.file_warning(problem);
        }
        progress.set_message(format!("reading {}", input.shown));
        let sha = match input.content {
            Content::LeftOut { table, source } => {
                left_out.push((input.shown.clone(), table));
                source::finish(source).ok()
            }
            Content::Csv { table, csv, map } => {
                let mut sink = TableSink {
                    loader: &mut loader,
                    table,
                };
                csv903::read_rows(*csv, &map, &input.shown, &mut sink)
            }
            Content::Xml(source) => xml903::read(source, &input.shown, &mut loader),
            Content::Sheet {
                table,
                sheet,
                map,
                sha256,
            } => {
                match map {
                    Some(map) => {
                        for (line, values) in &sheet.rows {
                            let cells = xlsx903::SheetCells {
                                values,
                                map: &map,
                                headers: &sheet.headers,
                                line: *line,
                            };
                            loader.row(table, &sheet.shown, &cells);
                        }
                    }
                    None => left_out.push((input.shown.clone(), table)),
                }
                Some(sha256)
            }
        };
        progress.inc(1);
        if let Some(sha) = sha {
            hashed.push((input.shown, tables, sha));
        }
        if loader.should_stop() {
            break;
        }
    }
    let counts = loader.counts;
    let (latest, earliest_past) = (loader.latest, loader.earliest_past);
    let (writer, problems, store_error, lenient) = loader.into_parts();
    if store_error.is_some() || !problems.is_empty() {
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
    let Some((year, year_source)) = return_year(latest, &group, options) else {
        // Every row was held back or left out: say why as well.
        let mut problems = Problems::default();
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
    };
    let read = ReturnRead {
        source: group.source,
        year,
        year_source,
        whole_history: earliest_past.is_some_and(|d| d < year.first_day()),
        runs_to: latest,
        replaces: None,
        left_out,
        lenient,
        rows: Table::ALL
            .iter()
            .map(|t| (t.name().to_owned(), counts[*t as usize]))
            .collect(),
        files,
    };
    Ok((writer, read))
}

/// A progress line on standard error, drawn only when it is a terminal
/// (indicatif hides it otherwise), and not at all unless asked for.
fn progress_line(shown: bool, steps: u64) -> indicatif::ProgressBar {
    if !shown {
        // Hidden, but counting, for a watch to read.
        let bar = indicatif::ProgressBar::hidden();
        bar.set_length(steps);
        return bar;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(steps),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{elapsed:>4} [{bar:30}] {pos}/{len} {wide_msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// The year of a return just read: `--year`, else a year in its folder's
/// or files' names, else the year of its latest date; with the reason.
fn return_year(
    latest: Option<NaiveDate>,
    group: &ReturnFiles,
    options: &ImportOptions,
) -> Option<(CollectionYear, String)> {
    if let Some(year) = options.year {
        return Some((year, "given with --year".to_owned()));
    }
    for name in &group.names {
        let base = Path::new(name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.clone());
        if let Some(year) = CollectionYear::find_in_name(&base) {
            return Some((year, format!("from the name '{base}'")));
        }
    }
    latest.map(|d| {
        (
            CollectionYear::containing(d),
            format!("from its latest date, {}", crate::rules::dates::dmy(d)),
        )
    })
}

/// Opens every file and reads its header row; reports files that cannot
/// be read or recognised, and missing or repeated columns.
fn open_inputs(files: &[PathBuf], options: &ImportOptions, problems: &mut Problems) -> Vec<Input> {
    let strict = options.strict;
    let mut inputs = Vec::new();
    for path in files {
        let shown = shown(path, options.shown_relative_to.as_deref());
        // A lenient import reads a file that is not UTF-8 as Windows-1252
        // (what Excel writes), with a warning; --strict refuses it.
        let mut file_warnings = Problems::default();
        let decoded = match source::is_utf8(path) {
            Ok(false) if !strict => {
                file_warnings.push(
                    &shown,
                    0,
                    WHOLE_FILE,
                    "bytes that are not UTF-8",
                    "UTF-8 text (read as Windows-1252, what Excel writes; save the file as CSV UTF-8)",
                );
                true
            }
            _ => false,
        };
        let opened = match if decoded {
            source::open_windows_1252(path)
        } else {
            source::open(path)
        } {
            Ok(o) => o,
            Err(e) => {
                problems.push(&shown, 0, WHOLE_FILE, &e.to_string(), "a readable file");
                continue;
            }
        };
        match opened.kind {
            Kind::Xlsx => {
                drop(opened);
                open_workbook(path, &shown, strict, problems, &mut inputs);
            }
            Kind::Xml => inputs.push(Input {
                shown,
                content: Content::Xml(opened.source),
                warnings: file_warnings,
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
                        warnings: file_warnings,
                    });
                    continue;
                }
                // Under --strict every column must be there, as before;
                // otherwise only those the rules need.
                let mut missing = file_warnings;
                let Some(map) = csv903::map_columns_needing(
                    &csv.headers,
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
                    },
                    warnings: missing,
                });
            }
        }
    }
    inputs
}

/// Each sheet of a workbook, recognised by its header row as a CSV file
/// is; the workbook's SHA-256 stands for each.
fn open_workbook(
    path: &Path,
    shown: &str,
    strict: bool,
    problems: &mut Problems,
    inputs: &mut Vec<Input>,
) {
    let (sheets, sha256) = match (xlsx903::read(path, shown), source::sha256_file(path)) {
        (Ok(sheets), Ok(sha)) => (sheets, sha),
        (Err(e), _) => {
            problems.push(
                shown,
                0,
                WHOLE_FILE,
                &e,
                "an Excel workbook (.xlsx) with a table per sheet",
            );
            return;
        }
        (_, Err(e)) => {
            problems.push(shown, 0, WHOLE_FILE, &e.to_string(), "a readable file");
            return;
        }
    };
    for sheet in sheets {
        let Some(table) = csv903::identify(&sheet.headers) else {
            problems.push(
                &sheet.shown,
                1,
                HEADER_ROW,
                &csv903::joined(&sheet.headers),
                &format!(
                    "the header row of one of the return's tables ({})",
                    Table::known_names()
                ),
            );
            continue;
        };
        let mut warnings = Problems::default();
        let map = if table.role() == TableUse::LeftOut {
            None
        } else {
            match csv903::map_columns_needing(
                &sheet.headers,
                table.columns(),
                |c| strict || table.is_needed(c),
                table.name(),
                &sheet.shown,
                problems,
                &mut warnings,
            ) {
                Some(map) => Some(map),
                None => continue,
            }
        };
        inputs.push(Input {
            shown: sheet.shown.clone(),
            content: Content::Sheet {
                table,
                sheet,
                map,
                sha256: sha256.clone(),
            },
            warnings,
        });
    }
}

/// Each table at most once; `Header` and `Episodes` present.
fn check_tables(
    inputs: &[Input],
    all_recognised: bool,
    files: &[PathBuf],
    base: Option<&Path>,
    problems: &mut Problems,
) {
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
    if all_recognised {
        let given = files
            .iter()
            .map(|p| shown(p, base))
            .collect::<Vec<_>>()
            .join(" ");
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

struct TableSink<'l, W: ReturnWriter> {
    loader: &'l mut Loader<W>,
    table: Table,
}

impl<W: ReturnWriter> RowSink for TableSink<'_, W> {
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
