//! The app's long jobs, writing files and importing returns: each runs on
//! a thread of its own with the store, through the same use cases as the
//! subcommands, while the event loop keeps drawing the screen with a
//! progress line (after the first second) and lets no key typed meanwhile
//! act afterwards. Tests run the same jobs with nothing drawn.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};

use super::app::App;
use crate::model::Id;
use crate::progress::Watch;
use crate::report::ReportKind;
use crate::store::Store;
use crate::terms::Terms;
use crate::usecase::files::{self as files_usecase, DocFormat};

/// What the event loop does while a job runs: draws the frame and reads
/// (and drops) what was typed meanwhile.
pub trait Ticker {
    fn tick(&mut self, app: &mut App);
}

/// No screen: tests, and anything run without a terminal.
pub struct Quiet;

impl Ticker for Quiet {
    fn tick(&mut self, _app: &mut App) {}
}

/// How long a job runs before its progress line shows.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// Runs `work` with the store on a thread of its own; meanwhile the
/// ticker draws the screen, with `what` and the watch's step as the
/// progress line once the job has run a second. A last tick after it
/// drops whatever was typed while it ran.
pub fn run<T: Send>(
    store: &mut Store,
    app: &mut App,
    ticker: &mut dyn Ticker,
    what: &str,
    watch: &Watch,
    work: impl FnOnce(&mut Store) -> T + Send,
) -> T {
    let started = Instant::now();
    let result = std::thread::scope(|scope| {
        let job = scope.spawn(|| work(store));
        while !job.is_finished() {
            if started.elapsed() >= QUIET_FOR {
                app.progress = Some((what.to_owned(), watch.now()));
                ticker.tick(app);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        job.join()
    });
    app.progress = None;
    ticker.tick(app);
    match result {
        Ok(value) => value,
        // A panic in the job is the job's: let it go on as it would have.
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// One file (or set of files) the Files screen writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// A calendar invitation for each presenter and the mail-merge list.
    Invitations {
        meeting: Id,
    },
    /// The tracker workbook, standing at this day.
    Tracker {
        as_at: NaiveDate,
    },
    Minutes {
        meeting: Id,
        format: DocFormat,
    },
    Report {
        kind: ReportKind,
        from: NaiveDate,
        to: NaiveDate,
        format: DocFormat,
    },
}

impl FileKind {
    /// The name the file (or the invitations' folder) gets in the folder
    /// chosen: what it is and its date, so a month's files sort together.
    pub fn file_name(&self, meeting_date: Option<NaiveDate>) -> String {
        let day = |d: Option<NaiveDate>| {
            d.map_or_else(String::new, |d| format!("-{}", d.format("%Y-%m-%d")))
        };
        match self {
            FileKind::Invitations { .. } => format!("invitations{}", day(meeting_date)),
            FileKind::Tracker { as_at } => format!("tracker{}.xlsx", day(Some(*as_at))),
            FileKind::Minutes { format, .. } => {
                format!("minutes{}.{}", day(meeting_date), format.extension())
            }
            FileKind::Report {
                kind,
                from,
                to,
                format,
            } => format!(
                "{}-report-{}-to-{}.{}",
                kind.id(),
                from.format("%Y-%m-%d"),
                to.format("%Y-%m-%d"),
                format.extension()
            ),
        }
    }

    /// What it is, in words, for the progress line and the list of files.
    pub fn title(&self) -> String {
        match self {
            FileKind::Invitations { .. } => "the invitations".to_owned(),
            FileKind::Tracker { .. } => "the tracker workbook".to_owned(),
            FileKind::Minutes { .. } => "the minutes".to_owned(),
            FileKind::Report { kind, .. } => {
                // "the quarterly report for Budget Scrutiny": names keep their capitals.
                let title = kind.title();
                let mut chars = title.chars();
                let first = chars.next().map(|c| c.to_lowercase().to_string());
                format!("the {}{}", first.unwrap_or_default(), chars.as_str())
            }
        }
    }
}

/// Files to write into one folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileJob {
    pub folder: PathBuf,
    pub files: Vec<FileKind>,
}

/// One thing written: what it is and where (a folder for the invitations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub what: String,
    pub path: PathBuf,
}

/// Writes the job's files, each through its use case, into the folder
/// (created owner-only if missing), saying each step to the watch. A file
/// that fails stops the job; the error names those written before it.
pub fn write_files(
    store: &Store,
    terms: &Terms,
    job: &FileJob,
    watch: &Watch,
    now: NaiveDateTime,
) -> anyhow::Result<Vec<Written>> {
    crate::files::create_private_dir(&job.folder)?;
    let total = job.files.len() as u64;
    let mut written: Vec<Written> = Vec::new();
    for (n, file) in job.files.iter().enumerate() {
        watch.set(format!("writing {}", file.title()), n as u64, total);
        match write_one(store, terms, file, &job.folder, now) {
            Ok(done) => written.push(done),
            Err(e) if written.is_empty() => return Err(e),
            Err(e) => {
                let before: Vec<String> = written
                    .iter()
                    .map(|w| w.path.display().to_string())
                    .collect();
                return Err(e.context(format!(
                    "{} not written (written before it: {})",
                    file.title(),
                    before.join(", ")
                )));
            }
        }
    }
    watch.set("done", total, total);
    Ok(written)
}

/// Writes one file (or the invitations' folder) into `folder`.
fn write_one(
    store: &Store,
    terms: &Terms,
    file: &FileKind,
    folder: &Path,
    now: NaiveDateTime,
) -> anyhow::Result<Written> {
    let meeting = match file {
        FileKind::Invitations { meeting } | FileKind::Minutes { meeting, .. } => Some(
            store
                .meeting(*meeting)?
                .ok_or_else(|| anyhow::anyhow!("the meeting is no longer in the database"))?,
        ),
        _ => None,
    };
    let name = file.file_name(meeting.as_ref().map(|m| m.date));
    let path = crate::files::inside(folder, &name)?;
    let what = match (file, &meeting) {
        (FileKind::Invitations { .. }, Some(m)) => {
            let made = files_usecase::write_invitations(store, terms, m, &path, now)?;
            format!(
                "{} invitations and the mail-merge list",
                made.len().saturating_sub(1)
            )
        }
        (FileKind::Tracker { as_at }, _) => {
            let tracked = files_usecase::write_tracker(store, terms, *as_at, &path, now)?;
            format!("the tracker workbook ({tracked} children)")
        }
        (FileKind::Minutes { format, .. }, Some(m)) => {
            files_usecase::write_minutes(store, terms, m, *format, false, &path, now)?;
            format!("the minutes ({})", format.label())
        }
        (
            FileKind::Report {
                kind,
                from,
                to,
                format,
            },
            _,
        ) => {
            let request = crate::report::Request {
                kind: *kind,
                from: *from,
                to: *to,
                terms,
                targets: None,
            };
            let gathered =
                files_usecase::gather_and_write_report(store, &request, *format, &path, now)?;
            format!("{} ({})", crate::report::title(&gathered), format.label())
        }
        // The meeting was read above for both: never reached.
        (FileKind::Invitations { .. } | FileKind::Minutes { .. }, None) => {
            anyhow::bail!("the meeting is no longer in the database")
        }
    };
    Ok(Written { what, path })
}

/// What an import gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub report: crate::import::ImportReport,
}

/// Imports the returns at `paths` as `import 903 PATH...` does (its
/// backup first, children with a bad value held back, not refused).
pub fn import_returns(
    store: &mut Store,
    paths: &[PathBuf],
    watch: &Watch,
    now: NaiveDateTime,
) -> Result<Imported, String> {
    let options = crate::import::ImportOptions {
        watch: Some(watch.clone()),
        ..Default::default()
    };
    let report =
        crate::usecase::returns::import(store, paths, &options, now).map_err(|e| e.to_string())?;
    Ok(Imported { report })
}

/// The folders typed on the Return screen: separated by semicolons (a
/// folder's name may hold spaces), blanks dropped, quotes around a folder
/// taken off (Windows' "Copy as path" adds them), a leading `~/` read as
/// the home folder.
pub fn typed_paths(typed: &str) -> Vec<PathBuf> {
    typed
        .split(';')
        .map(str::trim)
        .map(|p| unquoted(p).trim())
        .filter(|p| !p.is_empty())
        .map(expand_home)
        .collect()
}

/// `p` without one pair of double or single quotes around it.
fn unquoted(p: &str) -> &str {
    ['"', '\'']
        .iter()
        .find_map(|q| p.strip_prefix(*q)?.strip_suffix(*q))
        .unwrap_or(p)
}

/// A folder typed with `~/` at its start is in the home folder.
pub fn expand_home(typed: &str) -> PathBuf {
    match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(typed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// Counts its ticks and notes the progress lines it was shown.
    struct Seen<'a> {
        ticks: usize,
        lines: Vec<Option<(String, crate::progress::Step)>>,
        shown: &'a AtomicBool,
    }

    impl Ticker for Seen<'_> {
        fn tick(&mut self, app: &mut App) {
            self.ticks += 1;
            if app.progress.is_some() {
                self.shown.store(true, Ordering::SeqCst);
            }
            self.lines.push(app.progress.clone());
        }
    }

    fn app() -> App {
        let terms = crate::terms::Terms::load("wiltshire").expect("preset");
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        App::new(terms, Default::default(), today)
    }

    #[test]
    fn a_quick_job_shows_no_progress_but_the_screen_is_ticked_once_after_it() {
        let mut store = Store::open_in_memory().expect("store");
        let mut app = app();
        let shown = AtomicBool::new(false);
        let mut seen = Seen {
            ticks: 0,
            lines: Vec::new(),
            shown: &shown,
        };
        let watch = Watch::new();
        let got = run(&mut store, &mut app, &mut seen, "Files", &watch, |_| 7);
        assert_eq!(got, 7);
        // The one tick after the job: typed keys are dropped there.
        assert_eq!(seen.lines, vec![None]);
        assert_eq!(app.progress, None);
    }

    #[test]
    fn a_job_past_its_first_second_shows_what_it_is_doing_until_it_ends() {
        let mut store = Store::open_in_memory().expect("store");
        let mut app = app();
        let shown = AtomicBool::new(false);
        let mut seen = Seen {
            ticks: 0,
            lines: Vec::new(),
            shown: &shown,
        };
        let watch = Watch::new();
        let job_watch = watch.clone();
        run(&mut store, &mut app, &mut seen, "Files", &watch, |_| {
            job_watch.set("writing the tracker workbook", 1, 3);
            // Runs until the screen has shown its progress.
            while !shown.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        let (what, step) = seen
            .lines
            .iter()
            .flatten()
            .next()
            .cloned()
            .expect("a progress line");
        assert_eq!(what, "Files");
        assert_eq!(step.doing, "writing the tracker workbook");
        assert_eq!((step.done, step.of), (1, 3));
        assert_eq!(seen.lines.last(), Some(&None), "cleared at the end");
        assert_eq!(app.progress, None);
    }

    #[test]
    fn folders_are_split_on_semicolons_and_keep_their_spaces() {
        assert_eq!(
            typed_paths(" /tmp/returns 2022-23 ; /tmp/x;; "),
            vec![
                PathBuf::from("/tmp/returns 2022-23"),
                PathBuf::from("/tmp/x")
            ]
        );
        assert!(typed_paths("  ").is_empty());
        assert_eq!(
            typed_paths(r#""C:\Returns\2025-26"; 'x y';"half"#),
            vec![
                PathBuf::from(r"C:\Returns\2025-26"),
                PathBuf::from("x y"),
                PathBuf::from("\"half"),
            ]
        );
    }

    #[test]
    fn file_names_say_what_and_when() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 27);
        assert_eq!(
            FileKind::Minutes {
                meeting: 1,
                format: DocFormat::Word
            }
            .file_name(day),
            "minutes-2026-11-27.docx"
        );
        assert_eq!(
            FileKind::Report {
                kind: ReportKind::Smt,
                from: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
                format: DocFormat::Excel
            }
            .file_name(None),
            "smt-report-2026-04-01-to-2026-09-30.xlsx"
        );
    }
}
