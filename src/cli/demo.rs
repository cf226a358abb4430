//! `permanence-panel demo`: a synthetic Wiltshire panel built from a fixed
//! seed in a scratch database, so anyone can try the app without real data.
//! It never reads or writes the user's real database.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::context::Ctx;
use crate::clock::Clock;
use crate::model::{ActionStatus, AgendaItem, AttendanceState, MeetingStatus};
use crate::rules::calendar::Calendar;
use crate::rules::meetings;
use crate::store::{ChildName, NewAction, Store};
use crate::synth::{self, SynthConfig};
use crate::terms::Terms;

/// The seed every demo is built from.
pub const DEMO_SEED: u64 = 20_221_124;
/// How many children the demo return holds.
pub const DEMO_CHILDREN: usize = 40;
/// The setting that marks a database as demo data.
const DATASET_SETTING: &str = "dataset";
const DEMO_TERMS: &str = "wiltshire";

pub fn run(db: Option<PathBuf>, no_app: bool, clock: &dyn Clock) -> anyhow::Result<()> {
    // A scratch file unless --db is given; the directory lives until we return.
    let scratch;
    let path = match db {
        Some(path) => path,
        None => {
            scratch = tempfile::Builder::new()
                .prefix("permanence-panel-demo-")
                .tempdir()
                .context("cannot make a scratch directory for the demo")?;
            scratch.path().join("demo.db")
        }
    };
    let store = open_demo(&path, clock)?;
    if no_app {
        println!("Demo panel ready in {}", path.display());
        return Ok(());
    }
    let terms = Terms::load(DEMO_TERMS)?;
    crate::tui::run(store, terms, clock)
}

/// Opens the demo database at `path`, building it if the file is new or
/// empty. A file that holds anything but demo data is refused untouched.
pub fn open_demo(path: &Path, clock: &dyn Clock) -> anyhow::Result<Store> {
    let has_content = std::fs::metadata(path)
        .map(|m| m.len() > 0)
        .unwrap_or(false);
    if has_content {
        // Look before touching: read-only, so a real panel's file is never altered.
        let peek = Store::open_read_only(path).map_err(|e| {
            anyhow::anyhow!(
                "{}: refusing to use this file for the demo: {e}",
                path.display()
            )
        })?;
        if peek.setting(DATASET_SETTING)?.as_deref() != Some("demo") {
            anyhow::bail!(
                "{}: this file holds a real panel's data, not demo data; the demo will not use it. Give another --db, or none for a scratch file.",
                path.display()
            );
        }
    }
    let mut store = Store::open(path)?;
    if store.setting(DATASET_SETTING)?.is_none() {
        // Marked first, so a build cut short is still known to be demo data.
        store.set_setting(DATASET_SETTING, "demo")?;
    }
    if store.setting(super::context::TERMS_SETTING)?.is_none() {
        build(&mut store, clock)?;
    }
    Ok(store)
}

/// Fills an empty store with the demo panel.
fn build(store: &mut Store, clock: &dyn Clock) -> anyhow::Result<()> {
    let now = clock.now();
    let today = clock.today();
    let terms = Terms::load(DEMO_TERMS)?;
    let calendar = Calendar::england_and_wales();
    let meeting_date = meetings::next_meeting_date(&terms.cadence, today, &calendar);

    // The children: synthetic return up to today.
    let cfg = SynthConfig {
        children: DEMO_CHILDREN,
        seed: DEMO_SEED,
        as_at: today,
    };
    let records = synth::generate(&cfg);
    {
        let mut import = store.begin_extract_import()?;
        for r in &records {
            import.insert_child(&r.child)?;
            for e in &r.episodes {
                import.insert_episode(e)?;
            }
            for v in &r.reviews {
                import.insert_review(v)?;
            }
            for p in &r.placed_adoption {
                import.insert_placed_adoption(p)?;
            }
        }
        import.finish(now, &[])?;
    }
    {
        let mut plans = store.begin_plans_import()?;
        for p in records.iter().filter_map(|r| r.plan.as_ref()) {
            plans.upsert(p)?;
        }
        plans.finish(now, &[])?;
    }
    // Made-up names, so the chair's screen and full-name minutes can be tried.
    let names: Vec<(String, ChildName)> = records
        .iter()
        .enumerate()
        .filter_map(|(index, r)| {
            ChildName::from_full_name(&synth::synthetic_name(DEMO_SEED, index))
                .map(|name| (r.child.id.clone(), name))
        })
        .collect();
    store.set_child_names(&names, "synthetic", now)?;

    super::init::init(store, DEMO_TERMS, clock)?;

    // One meeting, its agenda built as the administrator would build it:
    // the cohorts at the meeting's date, as many children as fit its time.
    let id = store.add_meeting(meeting_date, terms.cadence.start, terms.cadence.end, now)?;
    let meeting = store
        .meeting(id)?
        .ok_or_else(|| anyhow::anyhow!("the demo meeting was not saved"))?;
    let plan = crate::usecase::agenda::build(store, &terms, &meeting)?;
    store.set_agenda_plan(id, &plan, now)?;

    // Last month's meeting, held and minuted, so matters arising, the
    // action list and the minutes have something to show.
    let previous_date = meetings::next_meeting_date(
        &terms.cadence,
        meeting_date - chrono::Days::new(45),
        &calendar,
    );
    if previous_date < today && previous_date < meeting_date {
        let heard: Vec<AgendaItem> = store
            .agenda(id)?
            .into_iter()
            .take(PREVIOUS_MINUTES.len())
            .collect();
        minute_previous_meeting(store, &terms, previous_date, &heard)?;
    }
    Ok(())
}

/// What last month's meeting decided and asked for, one line per child:
/// (decision, action, owner's role, days from the meeting to its deadline,
/// done by the next meeting).
const PREVIOUS_MINUTES: &[(&str, &str, &str, u64, bool)] = &[
    (
        "Connected-person assessment of the maternal aunt to continue; SGO the plan if positive.",
        "Complete the viability assessment of the maternal aunt",
        "team-manager-kinship-fostering",
        21,
        false,
    ),
    (
        "Long-term fostering with the current carers endorsed; match to go to Fostering Panel.",
        "Present the long-term match to Fostering Panel",
        "team-manager-kinship-fostering",
        49,
        false,
    ),
    (
        "Adoption remains the plan; family finding to widen to the regional agency.",
        "Refer to the regional adoption agency for wider family finding",
        "head-of-service",
        14,
        true,
    ),
    (
        "Reunification plan agreed in principle; legal advice on discharging the care order.",
        "Seek legal advice on discharging the care order",
        "service-manager-cic",
        28,
        false,
    ),
];

/// Records last month's meeting as held: everyone present, a decision and
/// an action for each child, the first actions chased, one done.
fn minute_previous_meeting(
    store: &mut Store,
    terms: &Terms,
    date: chrono::NaiveDate,
    heard: &[AgendaItem],
) -> anyhow::Result<()> {
    let during = |h, m| {
        chrono::NaiveTime::from_hms_opt(h, m, 0)
            .map(|t| date.and_time(t))
            .ok_or_else(|| anyhow::anyhow!("a time of day"))
    };
    let id = store.add_meeting(date, terms.cadence.start, terms.cadence.end, during(8, 0)?)?;
    let members = store.members()?;
    for member in &members {
        store.set_attendance(
            id,
            member.id,
            AttendanceState::Present,
            None,
            during(9, 30)?,
        )?;
    }
    let owner_of = |role: &str| {
        members
            .iter()
            .find(|m| m.role == role)
            .map(|m| m.job_title.clone())
            .unwrap_or_else(|| "Panel Administrator".to_owned())
    };
    let items: Vec<_> = heard
        .iter()
        .map(|item| {
            (
                item.child.clone(),
                item.listed_under.clone(),
                item.reasons.clone(),
            )
        })
        .collect();
    store.set_agenda(id, &items, during(8, 0)?)?;
    for (index, (item, minutes)) in heard.iter().zip(PREVIOUS_MINUTES).enumerate() {
        let child = &item.child;
        let (decision, action, owner, days, done) = *minutes;
        let at = during(9, 45)? + chrono::Duration::minutes(10 * index as i64);
        store.record_decision(id, child, decision, true, at)?;
        let action_id = store.add_action(
            &NewAction {
                meeting: id,
                child: child.clone(),
                text: action.to_owned(),
                owner: owner_of(owner),
                deadline: date + chrono::Days::new(days),
            },
            at,
        )?;
        if done {
            let done_on = during(10, 0)? + chrono::Days::new(days.saturating_sub(3));
            store.set_action_status(action_id, ActionStatus::Done, None, done_on)?;
        }
    }
    store.set_meeting_status(id, MeetingStatus::Closed, during(13, 0)?)?;
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Keep the demo in this file (created if missing; must hold only demo data).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Build the demo database and exit without opening the app.
    #[arg(long)]
    pub no_app: bool,
}

impl DemoArgs {
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<i32> {
        run(
            self.db.or_else(|| ctx.db_flag.clone()),
            self.no_app,
            ctx.clock,
        )?;
        Ok(0)
    }
}
