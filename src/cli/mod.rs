//! The command line. With no subcommand the binary opens the terminal app on
//! the panel's database; with one it does that job and exits, so
//! administrators can script it.

mod actions;
mod agenda;
mod crypto;
mod demo;
mod extract;
mod invites;
mod meetings;
mod output;
mod papers;
mod paths;
mod quorum;
mod referrals;
mod report;
mod returns;
mod tracker;

use crate::rules::dates::dmy;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use chrono::{NaiveDate, NaiveTime};
use clap::{Parser, Subcommand, ValueEnum};

use crate::clock::{Clock, SystemClock};
use crate::rules::returns::CollectionYear;
use crate::store::{NewMember, Store};
use crate::terms::Terms;
pub use output::TableFormat;
pub use paths::{DB_ENV, database_path};

/// Exit status when a command ran but its answer is "no" (e.g. not quorate).
pub const EXIT_NO: i32 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "permanence-panel",
    version,
    about = "Runs a children's services permanence panel: agenda, roll call and quorum, decisions, actions and minutes, from a local SQLite file.",
    after_help = "With no subcommand, opens the terminal app on the panel's database.\nThe database is --db PATH, else $PERMANENCE_PANEL_DB, else panel.db in your data directory."
)]
pub struct Cli {
    /// The panel's database file.
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,

    /// The file holding the key of an encrypted database (else $PERMANENCE_PANEL_KEY, else asked at the terminal).
    #[arg(long, global = true, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// The app's colours: default (safe for colour blindness) or
    /// high-contrast; `t` in the app cycles them, NO_COLOR removes colour.
    #[arg(long, global = true, value_name = "default|high-contrast", value_parser = parse_theme)]
    theme: Option<crate::tui::theme::ThemeName>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open the app on a synthetic demo panel (never your real database).
    Demo {
        /// Keep the demo in this file (created if missing; must hold only demo data).
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// Build the demo database and exit without opening the app.
        #[arg(long)]
        no_app: bool,
    },
    /// The audit trail: verify its hash chain, or show it (for one child).
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Everything held on one child, as CSV files in a new directory (a subject access request).
    ExportChild {
        #[arg(value_name = "CHILD")]
        child: String,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Remove everything held on children who left care before a date (the audit trail keeps that it was done).
    Purge {
        #[arg(long, value_name = "YYYY-MM-DD")]
        left_care_before: NaiveDate,
        /// List who would be removed, and remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Copy the database, safely even while the app is open (default: backups/ beside it).
    Backup {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Encrypt a plain database (and its automatic backups) with a key from --key-file, $PERMANENCE_PANEL_KEY or the terminal; no plain copy is kept.
    Encrypt,
    /// Change the key of an encrypted database; the new key from --new-key-file, $PERMANENCE_PANEL_NEW_KEY or the terminal.
    Rekey {
        #[arg(long, value_name = "FILE")]
        new_key_file: Option<PathBuf>,
    },
    /// Replace the database with a backup, after checking the backup (the current one is backed up first).
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// A read-only view for a second screen or a presenter: follows the chair's current child; never writes.
    Present,
    /// Set up a new panel database with a terms of reference and its members by role.
    Init {
        /// telford, wiltshire, or a path to a terms TOML file.
        #[arg(long, value_name = "PRESET|PATH")]
        terms: String,
    },
    /// Import the SSDA903 return or the panel's plans.
    #[command(subcommand)]
    Import(ImportCommand),
    /// The SSDA903 returns held, one per collection year: list them, remove one.
    #[command(subcommand)]
    Returns(returns::ReturnsCommand),
    /// List each child's cohort memberships at a date, with the reason.
    Cohorts {
        /// telford, wiltshire, or a path to a terms TOML file (default: the panel's own).
        #[arg(long, value_name = "PRESET|PATH")]
        terms: Option<String>,
        /// The date to evaluate at (YYYY-MM-DD; default today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_at: Option<NaiveDate>,
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
    /// The statutory review timetable of every child looked after at a date.
    Timetable {
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_at: Option<NaiveDate>,
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
    /// List problems of meaning in the imported return (overlaps, gaps, 18+ ...), children held back by data problems, and children who may have begun care before the earliest return held.
    Check {
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_at: Option<NaiveDate>,
        /// Also every warning the imports let through and every episode the merge of returns closed or cut.
        #[arg(long)]
        warnings: bool,
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
    /// Write synthetic, realistic SSDA903 CSV tables and plans.csv from a seed.
    Generate {
        #[arg(long)]
        children: usize,
        #[arg(long)]
        seed: u64,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The date the synthetic return runs to (default today).
        #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "returns")]
        as_at: Option<NaiveDate>,
        /// Write one folder per collection year (e.g. 2019-20..2025-26), each
        /// with every DfE table of that year's return, instead of one extract.
        #[arg(long, value_name = "FIRST..LAST", value_parser = parse_return_years)]
        returns: Option<(CollectionYear, CollectionYear)>,
        /// With --returns: also write the in-year extract of the next year, up to this date.
        #[arg(long, value_name = "YYYY-MM-DD", requires = "returns")]
        in_year_to: Option<NaiveDate>,
    },
    /// Is a meeting quorate (now, or at a time), who fills which place, what is missing. Exit status 0 when quorate, 3 when not.
    Quorum {
        /// The meeting's date.
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: NaiveDate,
        /// The time to check at (default: as the roll call stands now).
        #[arg(long, value_name = "HH:MM", value_parser = parse_hh_mm)]
        at: Option<NaiveTime>,
        #[arg(long, value_enum, default_value = "text")]
        format: quorum::QuorumFormat,
    },
    /// Print a meeting's agenda with slots and reasons; build it, pin, add, remove, reorder, publish.
    Agenda {
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: NaiveDate,
        #[arg(long, value_enum, default_value = "table")]
        format: agenda::AgendaFormat,
        /// (Re)build the agenda: carried over, referrals, actions due, then the cohorts, fitted to the meeting's time (refused once published).
        #[arg(long)]
        build: bool,
        /// Pin a child: always heard at this meeting, whatever the time.
        #[arg(long, value_name = "CHILD")]
        pin: Option<String>,
        /// Unpin a child.
        #[arg(long, value_name = "CHILD")]
        unpin: Option<String>,
        /// Add a child by hand (needs --reason).
        #[arg(long, value_name = "CHILD")]
        add: Option<String>,
        /// Take a child off this meeting's agenda (needs --reason).
        #[arg(long, value_name = "CHILD")]
        remove: Option<String>,
        /// Why a child is added or removed.
        #[arg(long)]
        reason: Option<String>,
        /// Move a child to position --to among those heard.
        #[arg(long = "move", value_name = "CHILD", requires = "to")]
        move_child: Option<String>,
        #[arg(long, value_name = "N")]
        to: Option<usize>,
        /// Publish (freeze) the agenda; later changes are logged.
        #[arg(long)]
        publish: bool,
    },
    /// The papers chase list of a meeting (who owes what, by when, how late); or record a paper with --child, --paper, --status.
    Papers {
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: NaiveDate,
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
        #[arg(long, value_name = "CHILD", requires_all = ["paper", "status"])]
        child: Option<String>,
        /// The paper's number in the terms (1, 2, ...) or the start of its name.
        #[arg(long, requires = "child")]
        paper: Option<String>,
        /// awaited, received or signed-off.
        #[arg(long, requires = "child")]
        status: Option<String>,
    },
    /// Every action across meetings and children with its red/amber/green status by deadline (red = open and past it; amber = open and due within 14 days; green = more time, or done), as a table, CSV, an Excel workbook (a sheet per owner) or an iCalendar to-do list.
    Actions {
        /// Only actions whose owner contains this text (any case).
        #[arg(long, value_name = "ROLE")]
        owner: Option<String>,
        /// open, done, dropped, or overdue (open and past its deadline).
        #[arg(long, value_enum)]
        status: Option<actions::StatusFilter>,
        /// table, csv, xlsx or ics (xlsx and ics need --out).
        #[arg(long, value_enum)]
        format: Option<actions::ActionsFormat>,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The date the RAG status is worked out at (YYYY-MM-DD; default today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_at: Option<NaiveDate>,
    },
    /// Calendar invitations (.ics, Europe/London, stable UIDs) for each presenter, and a mail-merge CSV.
    Invites {
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: NaiveDate,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Referrals of children to the panel: add, list, accept, decline.
    #[command(subcommand)]
    Referrals(referrals::ReferralsCommand),
    /// The meeting year: plan it from the terms' cadence, list, move, cancel.
    #[command(subcommand)]
    Meetings(meetings::MeetingsCommand),
    /// The panel's membership as CSV: export it, edit it, import it back.
    #[command(subcommand)]
    Members(MembersCommand),
    /// The monitoring spreadsheet: one row per tracked child (cohorts at a date, and upcoming agendas).
    #[command(subcommand)]
    Tracker(tracker::TrackerCommand),
    /// The periodic reports of the terms of reference: budget-scrutiny (quarterly), annual-plan (targets against actuals), smt (six-monthly), as md, xlsx (native charts) or docx (charts as pictures); each figure with its definition and the records it counts.
    Report(report::ReportArgs),
    /// Write a meeting's minutes; or approve them at a later meeting, or record a correction to approved minutes.
    Minutes(MinutesArgs),
}

/// `minutes --meeting D [--format md|docx] [--out FILE] [--full-names]`
/// writes the minutes; `minutes approve` and `minutes correct` change their
/// standing. The subcommands were added beside the original flags, which
/// keep working as they were.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct MinutesArgs {
    /// The meeting's date.
    #[arg(long, value_name = "YYYY-MM-DD", required = true)]
    meeting: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "md")]
    format: MinutesFormat,
    /// Write to this file instead of standard output (required for docx).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Name children in full where the panel holds their name (default: id and initials).
    #[arg(long)]
    full_names: bool,
    #[command(subcommand)]
    command: Option<MinutesCommand>,
}

#[derive(Debug, Subcommand)]
enum MinutesCommand {
    /// Record that the minutes of --meeting were approved at the later meeting --at-meeting; approved minutes are frozen.
    Approve {
        /// The meeting whose minutes are approved.
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: NaiveDate,
        /// The later meeting that approved them.
        #[arg(long, value_name = "YYYY-MM-DD")]
        at_meeting: NaiveDate,
    },
    /// Record a correction to approved minutes; the minutes show it under "Corrections".
    Correct {
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: NaiveDate,
        /// The correction, as the panel agreed it.
        #[arg(long)]
        text: String,
    },
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// SSDA903 returns: each PATH a folder holding one year's return, or the files of one return (CSV tables recognised by their header rows, or the XML return).
    #[command(name = "903")]
    Ssda903 {
        #[arg(required = true, value_name = "PATH")]
        files: Vec<PathBuf>,
        /// The collection year of a single return (default: from the folder's or files' names, else from its latest date).
        #[arg(long, value_name = "YYYY-YY", value_parser = returns::parse_year)]
        year: Option<crate::rules::returns::CollectionYear>,
        /// All or nothing, as before: any problem refuses the whole import. Without it a bad value in a field the rules need holds that child back and any other is a warning.
        #[arg(long)]
        strict: bool,
        /// Read and check every return and say what the import would do (years, rows, children held back, warnings); write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The panel's plans.csv (permanence plan, dates agreed, ...).
    Plans {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Say what the import would do (rows matched, children not in the returns, warnings) and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recompute the chain and name every entry changed, deleted, reordered or added behind the app's back. Exit status 0 when intact, 3 when not.
    Verify,
    /// List the audit trail (who, when, what), or one child's history.
    Show {
        #[arg(long, value_name = "CHILD")]
        child: Option<String>,
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
}

#[derive(Debug, Subcommand)]
enum MembersCommand {
    /// Write the members as CSV (id,role,job_title,name,kind,substitute_for,start,end).
    Export {
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add and update members from a CSV file (a blank id adds a member); a bad row changes nothing.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MinutesFormat {
    Md,
    /// A Word document; needs --out.
    Docx,
}

/// The setting that records the panel's terms of reference.
const TERMS_SETTING: &str = "terms";

/// Runs the program; returns the process exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    // The file the command works on, to name it in a message about it.
    let db = match &cli.command {
        Some(Command::Demo { db: Some(demo), .. }) => Some(demo.clone()),
        Some(Command::Demo { db: None, .. }) => cli.db.clone(),
        _ => database_path(cli.db.clone()).ok(),
    };
    match run(cli, &SystemClock) {
        Ok(code) => code,
        // `cohorts ... | head`: the reader has all it wants; not an error.
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            eprintln!("permanence-panel: {}", error_message(&e, db.as_deref()));
            1
        }
    }
}

/// The message for an error that ended a command. A SQLite error about the
/// database file itself (full disk, read-only, locked, damaged) is told in
/// words that name `db` and say what to do.
pub fn error_message(e: &anyhow::Error, db: Option<&std::path::Path>) -> String {
    let sqlite = e.chain().find_map(|cause| {
        cause
            .downcast_ref::<crate::store::StoreError>()
            .and_then(|s| match s {
                crate::store::StoreError::Sqlite(inner) => Some(inner),
                _ => None,
            })
            .or_else(|| cause.downcast_ref::<rusqlite::Error>())
    });
    match (sqlite, db) {
        (Some(inner), Some(db)) => match crate::store::explain_sqlite_error(inner, db) {
            Some(explained) => explained.to_string(),
            None => format!("{e:#}"),
        },
        _ => format!("{e:#}"),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(|c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe))
    })
}

fn run(cli: Cli, clock: &dyn Clock) -> anyhow::Result<i32> {
    let keys = crypto::KeySource {
        key_file: cli.key_file.clone(),
    };
    if let Some(theme) = cli.theme {
        crate::tui::theme::choose_at_start(theme);
    }
    let Some(command) = cli.command else {
        let path = database_path(cli.db)?;
        // The key is checked here, before the terminal is taken over: a
        // missing or wrong key is a message, never a garbled screen.
        let key = keys.for_db(&path)?;
        let store = Store::open_keyed(&path, key.as_ref())?;
        store.check_integrity()?;
        let terms = panel_terms(&store, None)?;
        // One writer at a time: a second copy of the app on the same panel
        // opens read-only and says so (the lock goes when the process does,
        // however it ends).
        let lock_path = app_lock_path(&path);
        let lock = open_app_lock(&lock_path)?;
        match lock.try_lock() {
            Ok(()) => crate::tui::run(store, terms, clock)?,
            Err(std::fs::TryLockError::WouldBlock) => {
                drop(store);
                let store = Store::open_read_only_keyed(&path, key.as_ref())?;
                crate::tui::run_read_only(store, terms, clock)?;
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(anyhow::anyhow!("cannot lock {}: {e}", lock_path.display()));
            }
        }
        return Ok(0);
    };
    let mut out = std::io::stdout().lock();
    match command {
        Command::Demo { db, no_app } => {
            let db = db.or(cli.db);
            demo::run(db, no_app, clock)?;
        }
        Command::Audit(AuditCommand::Verify) => {
            let store = open_read_only(&database_path(cli.db)?, &keys)?;
            let check = store.verify_audit()?;
            for f in &check.findings {
                writeln!(out, "entry {}: {}", f.entry, f.what)?;
            }
            if check.findings.is_empty() {
                writeln!(
                    out,
                    "The audit trail is intact: {} entries; last hash {}",
                    check.entries,
                    check.last_hash.as_deref().unwrap_or("(none)")
                )?;
            } else {
                writeln!(
                    out,
                    "The audit trail has been tampered with: {} finding(s) in {} entries.",
                    check.findings.len(),
                    check.entries
                )?;
                return Ok(EXIT_NO);
            }
        }
        Command::Audit(AuditCommand::Show { child, format }) => {
            let store = open_read_only(&database_path(cli.db)?, &keys)?;
            let rows: Vec<Vec<String>> = store
                .audit_entries()?
                .into_iter()
                .filter(|e| child.as_ref().is_none_or(|c| e.child.as_ref() == Some(c)))
                .map(|e| {
                    vec![
                        e.id.to_string(),
                        e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                        e.actor,
                        e.entity,
                        e.entity_id,
                        e.child.unwrap_or_default(),
                        e.change,
                    ]
                })
                .collect();
            output::write_rows(
                &mut out,
                TableFormat::or_default(format),
                &[
                    "id",
                    "at",
                    "actor",
                    "entity",
                    "entity_id",
                    "child_id",
                    "change",
                ],
                &rows,
            )?;
        }
        Command::ExportChild { child, out: dir } => {
            let store = open_read_only(&database_path(cli.db)?, &keys)?;
            let files = crate::export::subject_access::write(&store, &child, &dir)?;
            writeln!(
                out,
                "Wrote {} files on child {child} to {}",
                files.len(),
                dir.display()
            )?;
        }
        Command::Purge {
            left_care_before,
            dry_run,
        } => {
            let mut store = open_existing(&database_path(cli.db)?, &keys)?;
            let leavers = store.leavers_before(left_care_before)?;
            for l in &leavers {
                writeln!(out, "{}  left care {}", l.child, dmy(l.left_care))?;
            }
            if dry_run {
                writeln!(
                    out,
                    "{} children left care before {}; nothing was removed (--dry-run).",
                    leavers.len(),
                    dmy(left_care_before)
                )?;
            } else {
                let p = store.purge(&leavers, clock.now())?;
                writeln!(
                    out,
                    "Removed {} children: {} episodes, {} reviews, {} placed-for-adoption rows, {} plans, {} agenda entries, {} decisions, {} actions, {} referrals, {} carry-overs, {} paper records. The audit trail records the purge. Backups taken before today still hold them.",
                    p.children,
                    p.episodes,
                    p.reviews,
                    p.placed_adoption,
                    p.plans,
                    p.agenda_items,
                    p.decisions,
                    p.actions,
                    p.referrals,
                    p.carry_overs,
                    p.papers
                )?;
            }
        }
        Command::Backup { out: file } => {
            let path = database_path(cli.db)?;
            let store = open_existing(&path, &keys)?;
            let written = match file {
                Some(file) => {
                    store.backup_to(&file)?;
                    file
                }
                None => store
                    .automatic_backup("manual", clock.now())?
                    .ok_or_else(|| anyhow::anyhow!("this database has no file to back up"))?,
            };
            writeln!(out, "Backed up {} to {}", path.display(), written.display())?;
        }
        Command::Encrypt => {
            let path = existing(&database_path(cli.db)?)?;
            crypto::encrypt(&path, &keys, &mut out)?;
        }
        Command::Rekey { new_key_file } => {
            let path = existing(&database_path(cli.db)?)?;
            crypto::rekey(&path, &keys, new_key_file.as_deref(), &mut out)?;
        }
        Command::Restore { file } => {
            let path = database_path(cli.db)?;
            let key = keys.for_db(&path)?;
            let safety = crate::store::restore_keyed(&path, &file, key.as_ref(), clock.now())?;
            if let Some(safety) = safety {
                writeln!(
                    out,
                    "The database as it was is kept in {}",
                    safety.display()
                )?;
            }
            writeln!(out, "Restored {} from {}", path.display(), file.display())?;
        }
        Command::Present => {
            let store = open_read_only(&database_path(cli.db)?, &keys)?;
            let terms = panel_terms(&store, None)?;
            crate::tui::present::run(store, terms, clock)?;
        }
        Command::Init { terms } => {
            let path = database_path(cli.db)?;
            let mut store = open(&path, &keys)?;
            init(&mut store, &terms, clock)?;
            writeln!(
                out,
                "Set up {} in {}",
                panel_terms(&store, None)?.name,
                path.display()
            )?;
        }
        Command::Import(what) => {
            let path = database_path(cli.db)?;
            let mut store = open(&path, &keys)?;
            // An import replaces the extract: keep what was there first.
            let dry_run = matches!(
                what,
                ImportCommand::Plans { dry_run: true, .. }
                    | ImportCommand::Ssda903 { dry_run: true, .. }
            );
            if !store.is_empty()? && !dry_run {
                store.automatic_backup("before-import", clock.now())?;
            }
            let mut plans_plan = None;
            let report = match what {
                ImportCommand::Ssda903 {
                    files,
                    year,
                    strict,
                    dry_run,
                } => {
                    let options = crate::import::ImportOptions {
                        year,
                        strict,
                        progress: true,
                        dry_run,
                    };
                    crate::import::import_returns(&mut store, &files, &options, clock.now())
                }
                ImportCommand::Plans { file, dry_run } => {
                    crate::import::import_plans_planned(&mut store, &file, clock.now(), dry_run)
                        .map(|(report, plan)| {
                            plans_plan = Some(plan);
                            report
                        })
                }
            };
            match report {
                Ok(report) => {
                    if dry_run {
                        writeln!(out, "Dry run: nothing was written.")?;
                    }
                    if !dry_run || !report.returns.is_empty() {
                        writeln!(out, "{report}")?;
                    }
                    if let Some(plan) = plans_plan {
                        writeln!(out, "{plan}")?;
                    }
                    if !report.returns.is_empty() {
                        returns::write_summary(&report, dry_run, &mut out)?;
                    }
                }
                Err(mut e) => {
                    // A full disk or a read-only file is told by name.
                    e.store = e.store.map(|s| s.at(&path));
                    eprintln!("{e}");
                    eprintln!("Nothing was imported; the database is unchanged.");
                    return Ok(1);
                }
            }
        }
        Command::Cohorts {
            terms,
            as_at,
            format,
        } => {
            let store = open_existing(&database_path(cli.db)?, &keys)?;
            let terms = panel_terms(&store, terms.as_deref())?;
            let as_at = as_at.unwrap_or_else(|| clock.today());
            extract::cohorts(
                &store,
                &terms,
                as_at,
                TableFormat::or_default(format),
                &mut out,
            )?;
        }
        Command::Timetable { as_at, format } => {
            let store = open_existing(&database_path(cli.db)?, &keys)?;
            let as_at = as_at.unwrap_or_else(|| clock.today());
            extract::timetable(&store, as_at, TableFormat::or_default(format), &mut out)?;
        }
        Command::Check {
            as_at,
            warnings,
            format,
        } => {
            let store = open_existing(&database_path(cli.db)?, &keys)?;
            let as_at = as_at.unwrap_or_else(|| clock.today());
            extract::check(
                &store,
                as_at,
                warnings,
                TableFormat::or_default(format),
                &mut out,
            )?;
        }
        Command::Generate {
            children,
            seed,
            out: dir,
            as_at: _,
            returns: Some((first, last)),
            in_year_to,
        } => {
            let cfg = crate::synth::ReturnsConfig {
                children,
                seed,
                first,
                last,
                in_year_to,
            };
            cfg.validate().map_err(anyhow::Error::msg)?;
            let written = crate::synth::write_returns(&cfg, &dir).with_context(|| {
                format!("cannot write the synthetic returns in {}", dir.display())
            })?;
            writeln!(out, "{written}")?;
        }
        Command::Generate {
            children,
            seed,
            out: dir,
            as_at,
            returns: None,
            in_year_to: _,
        } => {
            let cfg = crate::synth::SynthConfig {
                children,
                seed,
                as_at: as_at.unwrap_or_else(|| clock.today()),
            };
            let files = crate::synth::write_csv(&cfg, &dir).with_context(|| {
                format!("cannot write the synthetic files in {}", dir.display())
            })?;
            writeln!(out, "{files}")?;
        }
        Command::Quorum {
            meeting,
            at,
            format,
        } => {
            let store = open_existing(&database_path(cli.db)?, &keys)?;
            let terms = panel_terms(&store, None)?;
            let m = meeting_on(&store, meeting)?;
            let quorate = quorum::write(&store, &terms, &m, at, format, &mut out)?;
            return Ok(if quorate { 0 } else { EXIT_NO });
        }
        Command::Agenda {
            meeting,
            format,
            build,
            pin,
            unpin,
            add,
            remove,
            reason,
            move_child,
            to,
            publish,
        } => {
            let mut store = open_existing(&database_path(cli.db)?, &keys)?;
            let terms = panel_terms(&store, None)?;
            let m = meeting_on(&store, meeting)?;
            let changes = agenda::Changes {
                pin,
                unpin,
                add,
                remove,
                reason,
                move_to: move_child.zip(to),
                build,
                publish,
            };
            agenda::change(&mut store, &terms, &m, changes, clock.now())?;
            agenda::write(&store, &terms, &m, format, &mut out)?;
            if build {
                // On standard error: the agenda's CSV stays the contract.
                let held = store.held_back_children()?;
                if !held.is_empty() {
                    eprintln!(
                        "{} held back by data problems and on no list: {} (see check)",
                        if held.len() == 1 {
                            "1 child".to_owned()
                        } else {
                            format!("{} children", held.len())
                        },
                        held.join(" ")
                    );
                }
            }
        }
        Command::Papers {
            meeting,
            format,
            child,
            paper,
            status,
        } => {
            let mut store = open_existing(&database_path(cli.db)?, &keys)?;
            let terms = panel_terms(&store, None)?;
            let m = meeting_on(&store, meeting)?;
            if let (Some(child), Some(paper), Some(status)) = (child, paper, status) {
                papers::set(&mut store, &terms, &m, &child, &paper, &status, clock)?;
            }
            papers::chase_list(
                &store,
                &terms,
                &m,
                clock.today(),
                TableFormat::or_default(format),
                &mut out,
            )?;
        }
        Command::Actions {
            owner,
            status,
            format,
            out: file,
            as_at,
        } => {
            let store = open_existing(&database_path(cli.db)?, &keys)?;
            let request = actions::Request {
                owner,
                status,
                format,
                out: file,
                as_at: as_at.unwrap_or_else(|| clock.today()),
                now: clock.now(),
            };
            actions::run(&store, request, &mut out)?;
        }
        Command::Invites { meeting, out: dir } => {
            let store = open_existing(&database_path(cli.db)?, &keys)?;
            let terms = panel_terms(&store, None)?;
            let m = meeting_on(&store, meeting)?;
            invites::run(&store, &terms, &m, &dir, clock, &mut out)?;
        }
        Command::Returns(command) => {
            let mut store = open_existing(&database_path(cli.db)?, &keys)?;
            let status = returns::run(command, &mut store, clock, &mut out)?;
            if status != 0 {
                return Ok(status);
            }
        }
        Command::Referrals(command) => {
            let mut store = open_existing(&database_path(cli.db)?, &keys)?;
            referrals::run(command, &mut store, clock, &mut out)?;
        }
        Command::Meetings(command) => {
            let mut store = open_existing(&database_path(cli.db)?, &keys)?;
            let asked = match &command {
                meetings::MeetingsCommand::Plan { terms, .. } => terms.clone(),
                _ => None,
            };
            let terms = panel_terms(&store, asked.as_deref())?;
            meetings::run(command, &mut store, &terms, clock, &mut out)?;
        }
        Command::Tracker(command) => {
            let mut store = open_existing(&database_path(cli.db)?, &keys)?;
            return tracker::run(command, &mut store, clock, &mut out);
        }
        Command::Report(args) => {
            let store = open_existing(&database_path(cli.db)?, &keys)?;
            let terms = panel_terms(&store, args.terms())?;
            report::run(args, &store, &terms, &mut out)?;
        }
        Command::Members(MembersCommand::Export { out: file }) => {
            let store = open_existing(&database_path(cli.db)?, &keys)?;
            let members = store.members()?;
            match file {
                Some(path) => {
                    let mut f = std::fs::File::create(&path)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    crate::export::members_csv::write(&members, &mut f)?;
                }
                None => crate::export::members_csv::write(&members, &mut out)?,
            }
        }
        Command::Members(MembersCommand::Import { file }) => {
            let mut store = open_existing(&database_path(cli.db)?, &keys)?;
            let terms = panel_terms(&store, None)?;
            let members = match crate::import::members_csv::read(&file, &terms) {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("{e}");
                    eprintln!("Nothing was imported; the members are unchanged.");
                    return Ok(1);
                }
            };
            let saved = store.save_members(&members, clock.now())?;
            writeln!(
                out,
                "Members: {} added, {} updated",
                saved.added, saved.updated
            )?;
        }
        Command::Minutes(args) => {
            let mut store = open_existing(&database_path(cli.db)?, &keys)?;
            minutes(&mut store, args, clock, &mut out)?;
        }
    }
    Ok(0)
}

/// `minutes`: writes them, or approves or corrects them.
fn minutes(
    store: &mut Store,
    args: MinutesArgs,
    clock: &dyn Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match args.command {
        Some(MinutesCommand::Approve {
            meeting,
            at_meeting,
        }) => {
            let held = meeting_on(store, meeting)?;
            let approving = meeting_on(store, at_meeting)?;
            store.approve_minutes(held.id, approving.id, clock.now())?;
            writeln!(
                out,
                "The minutes of {} are approved at the meeting of {}; from now on they change only by a correction (permanence-panel minutes correct).",
                dmy(held.date),
                dmy(approving.date)
            )?;
            return Ok(());
        }
        Some(MinutesCommand::Correct { meeting, text }) => {
            let held = meeting_on(store, meeting)?;
            store.record_minutes_correction(held.id, &text, clock.now())?;
            writeln!(
                out,
                "Recorded a correction to the minutes of {}",
                dmy(held.date)
            )?;
            return Ok(());
        }
        None => {}
    }
    // clap requires --meeting when there is no subcommand.
    let Some(meeting) = args.meeting else {
        anyhow::bail!("give the meeting: --meeting YYYY-MM-DD");
    };
    let terms = panel_terms(store, None)?;
    let m = meeting_on(store, meeting)?;
    match args.format {
        MinutesFormat::Docx => {
            // A Word document is binary: it never goes to the terminal.
            let Some(path) = args.out else {
                anyhow::bail!(
                    "--format docx writes a Word file: give it a name with --out FILE (e.g. --out minutes.docx)"
                );
            };
            let f = std::fs::File::create(&path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            crate::export::minutes_docx::write_with(store, &terms, &m, args.full_names, f)
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(
                out,
                "Wrote the minutes of {} to {}",
                dmy(m.date),
                path.display()
            )?;
        }
        MinutesFormat::Md => {
            let text = crate::export::minutes_md::render_with(store, &terms, &m, args.full_names)?;
            match args.out {
                Some(path) => std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => out.write_all(text.as_bytes())?,
            }
        }
    }
    Ok(())
}

fn meeting_on(store: &Store, day: NaiveDate) -> anyhow::Result<crate::model::Meeting> {
    if let Some(m) = store.meeting_on(day)? {
        return Ok(m);
    }
    let known: Vec<String> = store
        .meetings()?
        .iter()
        .map(|m| m.date.format("%Y-%m-%d").to_string())
        .collect();
    let known = if known.is_empty() {
        "the panel has no meetings yet".to_owned()
    } else {
        format!("meetings: {}", known.join(", "))
    };
    anyhow::bail!("there is no meeting on {} ({known})", dmy(day))
}

/// `HH:MM`, as a clock on the wall says it.
fn parse_theme(text: &str) -> Result<crate::tui::theme::ThemeName, String> {
    crate::tui::theme::ThemeName::parse(text)
        .ok_or_else(|| format!("'{text}' is not a theme; expected default or high-contrast"))
}

fn parse_return_years(text: &str) -> Result<(CollectionYear, CollectionYear), String> {
    crate::synth::parse_year_range(text)
}

fn parse_hh_mm(text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text, "%H:%M")
        .map_err(|_| format!("'{text}' is not a time; expected HH:MM, e.g. 11:40"))
}

/// Opens (creating if need be) the database, with its key when it has one.
fn open(path: &std::path::Path, keys: &crypto::KeySource) -> anyhow::Result<Store> {
    let key = keys.for_db(path)?;
    Ok(Store::open_keyed(path, key.as_ref())?)
}

/// Opens an existing database read-only, with its key when it has one.
fn open_read_only(path: &std::path::Path, keys: &crypto::KeySource) -> anyhow::Result<Store> {
    let path = existing(path)?;
    let key = keys.for_db(&path)?;
    Ok(Store::open_read_only_keyed(&path, key.as_ref())?)
}

/// The file the app locks while it has `db` open for writing.
fn app_lock_path(db: &std::path::Path) -> PathBuf {
    db.with_extension("app-lock")
}

/// Opens (creating it if need be) the app's lock file; the caller tries
/// the lock.
fn open_app_lock(lock_path: &std::path::Path) -> anyhow::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)
        .with_context(|| format!("cannot create {}", lock_path.display()))
}

/// The path, when the database exists (reports never create one).
fn existing(path: &std::path::Path) -> anyhow::Result<PathBuf> {
    if !path.exists() {
        anyhow::bail!(
            "{}: no such database. Import a return first (permanence-panel --db {} import 903 FILES) or give --db.",
            path.display(),
            path.display()
        );
    }
    Ok(path.to_owned())
}

/// Opens a database that must already exist (reports never create one).
fn open_existing(path: &std::path::Path, keys: &crypto::KeySource) -> anyhow::Result<Store> {
    let path = existing(path)?;
    let key = keys.for_db(&path)?;
    Ok(Store::open_existing_keyed(&path, key.as_ref())?)
}

/// The terms asked for, else the panel's own (set by `init` or the demo).
fn panel_terms(store: &Store, asked: Option<&str>) -> anyhow::Result<Terms> {
    if let Some(name) = asked {
        return Ok(Terms::load(name)?);
    }
    match store.setting(TERMS_SETTING)? {
        Some(name) => Ok(Terms::load(&name)?),
        None => anyhow::bail!(
            "this panel has no terms of reference yet: run `permanence-panel init --terms wiltshire` (or telford, or a path), or give --terms"
        ),
    }
}

/// Records the panel's terms and adds one member per role of the preset,
/// by job title only (names are the council's to type).
fn init(store: &mut Store, terms_name: &str, clock: &dyn Clock) -> anyhow::Result<()> {
    let terms = Terms::load(terms_name)?;
    if let Some(existing) = store.setting(TERMS_SETTING)? {
        anyhow::bail!("this panel is already set up with the terms '{existing}'");
    }
    store.set_setting(TERMS_SETTING, terms_name)?;
    for role in &terms.roles {
        store.add_member(
            &NewMember {
                role: role.id.clone(),
                job_title: role.job_title.clone(),
                name: None,
                kind: role.kind,
                substitute_for: None,
            },
            clock.now(),
        )?;
    }
    Ok(())
}
