//! The command line. With no subcommand the binary opens the terminal app on
//! the panel's database; with one it does that job and exits, so
//! administrators can script it.

//!
//! Each subcommand is one module with its arguments and a `run(self, &Ctx,
//! out)` returning the exit status; `run` below only dispatches. A new
//! subcommand: its module, one variant of `Command`, one dispatch line.

/// `eprintln!` that never panics: a message to a closed stderr, or one on a
/// full disk, is lost rather than turned into a crash (exit 101).
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod actions;
mod agenda;
mod app;
mod audit;
mod backup;
mod context;
mod crypto;
mod decisions;
mod demo;
mod extract;
mod fostering_panel;
mod generate;
mod import;
mod init;
mod interests;
mod invites;
mod meetings;
mod members;
mod minutes;
mod output;
mod panel_details;
mod papers;
mod paths;
mod privacy;
mod quorum;
mod referrals;
mod report;
mod returns;
mod terms;
mod tracker;

use std::path::PathBuf;

use chrono::NaiveTime;
use clap::{Parser, Subcommand};

use crate::clock::{Clock, SystemClock};
use context::Ctx;
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
    /// Record this run's changes in the audit log under these initials
    /// (1 to 5 letters), not the operating-system user.
    #[arg(long = "as", global = true, value_name = "INITIALS")]
    actor: Option<String>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open the app on a synthetic demo panel (never your real database).
    Demo(demo::DemoArgs),
    /// The audit trail: verify its hash chain, or show it (for one child).
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Everything held on one child, as CSV files in a new directory (a subject access request).
    ExportChild(privacy::ExportChildArgs),
    /// Remove everything held on children who left care before a date (the audit trail keeps that it was done).
    Purge(privacy::PurgeArgs),
    /// Copy the database, safely even while the app is open (default: backups/ beside it).
    Backup(backup::BackupArgs),
    /// Encrypt a plain database (and its automatic backups) with a key from --key-file, $PERMANENCE_PANEL_KEY or the terminal; no plain copy is kept.
    Encrypt,
    /// Change the key of an encrypted database; the new key from --new-key-file, $PERMANENCE_PANEL_NEW_KEY or the terminal.
    Rekey(crypto::RekeyArgs),
    /// Replace the database with a backup, after checking the backup (the current one is backed up first).
    Restore(backup::RestoreArgs),
    /// A read-only view for a second screen or a presenter: follows the chair's current child; never writes.
    Present,
    /// Set up a new panel database with a terms of reference and its members by role.
    Init(init::InitArgs),
    /// Import the SSDA903 return or the panel's plans.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// The SSDA903 returns held, one per collection year: list them, remove one.
    #[command(subcommand)]
    Returns(returns::ReturnsCommand),
    /// List each child's cohort memberships at a date, with the reason.
    Cohorts(extract::CohortsArgs),
    /// The statutory review timetable of every child looked after at a date.
    Timetable(extract::TimetableArgs),
    /// List problems of meaning in the imported return (overlaps, gaps, 18+ ...), children held back by data problems, and children who may have begun care before the earliest return held.
    Check(extract::CheckArgs),
    /// Write synthetic, realistic SSDA903 CSV tables and plans.csv from a seed.
    Generate(generate::GenerateArgs),
    /// Is a meeting quorate (now, or at a time), who fills which place, what is missing. Exit status 0 when quorate, 3 when not.
    Quorum(quorum::QuorumArgs),
    /// Print a meeting's agenda with slots and reasons; build it, pin, add, remove, reorder, publish.
    Agenda(agenda::AgendaArgs),
    /// The papers chase list of a meeting (who owes what, by when, how late); or record a paper with --child, --paper, --status.
    Papers(papers::PapersArgs),
    /// Every action across meetings and children with its red/amber/green status by deadline (red = open and past it; amber = open and due within 14 days; green = more time, or done), as a table, CSV, an Excel workbook (a sheet per owner) or an iCalendar to-do list.
    Actions(actions::ActionsArgs),
    /// Calendar invitations (.ics, Europe/London, stable UIDs) for each presenter, and a mail-merge CSV.
    Invites(invites::InvitesArgs),
    /// Decisions with their outcomes: record one, a decision-maker's sign-off, a member's dissent; list what waits for sign-off.
    #[command(subcommand)]
    Decisions(decisions::DecisionsCommand),
    /// Referrals of children to the panel: add, list, accept, decline.
    #[command(subcommand)]
    Referrals(referrals::ReferralsCommand),
    /// The meeting year: plan it from the terms' cadence, list, move, cancel.
    #[command(subcommand)]
    Meetings(meetings::MeetingsCommand),
    /// The panel's membership as CSV: export it, edit it, import it back.
    #[command(subcommand)]
    Members(members::MembersCommand),
    /// Declarations of interest: a member who declares one in a child's item withdraws from it and does not count towards its quorum.
    #[command(subcommand)]
    Interests(interests::InterestsCommand),
    /// The monitoring spreadsheet: one row per tracked child (cohorts at a date, and upcoming agendas).
    #[command(subcommand)]
    Tracker(tracker::TrackerCommand),
    /// The periodic reports of the terms of reference: budget-scrutiny (quarterly), annual-plan (targets against actuals), smt (six-monthly), as md, xlsx (native charts) or docx (charts as pictures); each figure with its definition and the records it counts.
    Report(report::ReportArgs),
    /// Write a meeting's minutes; or approve them at a later meeting, or record a correction to approved minutes.
    Minutes(minutes::MinutesArgs),
    /// A terms of reference checked and said back in words.
    #[command(subcommand)]
    Terms(terms::TermsCommand),
    /// The Fostering Panel's sittings and how many long-term matches each can hear: add, list, book a child's match.
    #[command(subcommand)]
    FosteringPanel(fostering_panel::FosteringPanelCommand),
    /// Where the panel meets and the panel administrator's mailbox (shown in the minutes and invitations): show or set.
    #[command(subcommand)]
    PanelDetails(panel_details::PanelDetailsCommand),
}

/// Runs the program; returns the process exit status.
pub fn main() -> i32 {
    quiet_panics_on_a_broken_stderr();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    // The file the command works on, to name it in a message about it.
    let db = match &cli.command {
        Some(Command::Demo(demo)) => demo.db.clone().or_else(|| cli.db.clone()),
        _ => database_path(cli.db.clone()).ok(),
    };
    match run(cli, &SystemClock) {
        Ok(code) => code,
        // `cohorts ... | head`: the reader has all it wants; not an error.
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            tell!("permanence-panel: {}", error_message(&e, db.as_deref()));
            1
        }
    }
}

/// A panic (a bug) still says what happened and exits 101, but telling it
/// never panics again when stderr is closed or its disk is full.
fn quiet_panics_on_a_broken_stderr() {
    std::panic::set_hook(Box::new(|info| {
        tell!(
            "permanence-panel: internal error, please report it: {info}\nEvery change made before it was already saved."
        );
    }));
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
    if let Some(theme) = cli.theme {
        crate::tui::theme::choose_at_start(theme);
    }
    if let Some(initials) = &cli.actor {
        crate::store::set_actor(initials).map_err(anyhow::Error::msg)?;
    }
    let ctx = Ctx {
        db_flag: cli.db,
        keys: crypto::KeySource {
            key_file: cli.key_file,
        },
        clock,
    };
    let Some(command) = cli.command else {
        return app::run(&ctx);
    };
    let mut out = std::io::stdout().lock();
    let out = &mut out;
    match command {
        Command::Demo(args) => args.run(&ctx),
        Command::Audit(command) => command.run(&ctx, out),
        Command::ExportChild(args) => args.run(&ctx, out),
        Command::Purge(args) => args.run(&ctx, out),
        Command::Backup(args) => args.run(&ctx, out),
        Command::Encrypt => crypto::run_encrypt(&ctx, out),
        Command::Rekey(args) => args.run(&ctx, out),
        Command::Restore(args) => args.run(&ctx, out),
        Command::Present => app::present(&ctx),
        Command::Init(args) => args.run(&ctx, out),
        Command::Import(command) => command.run(&ctx, out),
        Command::Returns(command) => command.run(&ctx, out),
        Command::Cohorts(args) => args.run(&ctx, out),
        Command::Timetable(args) => args.run(&ctx, out),
        Command::Check(args) => args.run(&ctx, out),
        Command::Generate(args) => args.run(&ctx, out),
        Command::Quorum(args) => args.run(&ctx, out),
        Command::Agenda(args) => args.run(&ctx, out),
        Command::Papers(args) => args.run(&ctx, out),
        Command::Actions(args) => args.run(&ctx, out),
        Command::Invites(args) => args.run(&ctx, out),
        Command::Decisions(command) => command.run(&ctx, out),
        Command::Referrals(command) => command.run(&ctx, out),
        Command::Meetings(command) => command.run(&ctx, out),
        Command::Members(command) => command.run(&ctx, out),
        Command::Interests(command) => command.run(&ctx, out),
        Command::Tracker(command) => command.run(&ctx, out),
        Command::Report(args) => args.run(&ctx, out),
        Command::Minutes(args) => args.run(&ctx, out),
        Command::Terms(command) => command.run(&ctx, out),
        Command::FosteringPanel(command) => command.run(&ctx, out),
        Command::PanelDetails(command) => command.run(&ctx, out),
    }
}

fn parse_theme(text: &str) -> Result<crate::tui::theme::ThemeName, String> {
    crate::tui::theme::ThemeName::parse(text)
        .ok_or_else(|| format!("'{text}' is not a theme; expected default or high-contrast"))
}

/// `HH:MM`, as a clock on the wall says it.
pub(crate) fn parse_hh_mm(text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text, "%H:%M")
        .map_err(|_| format!("'{text}' is not a time; expected HH:MM, e.g. 11:40"))
}
