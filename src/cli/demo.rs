//! `permanence-panel demo`: a synthetic Wiltshire panel built from a fixed
//! seed in a scratch database, so anyone can try the app without real data.
//! It never reads or writes the user's real database.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::clock::Clock;
use crate::rules::calendar::Calendar;
use crate::rules::meetings;
use crate::store::{ChildName, Store};
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
    if store.setting(super::TERMS_SETTING)?.is_none() {
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

    super::init(store, DEMO_TERMS, clock)?;

    // One meeting, its agenda built as the administrator would build it:
    // the cohorts at the meeting's date, as many children as fit its time.
    let id = store.add_meeting(meeting_date, terms.cadence.start, terms.cadence.end, now)?;
    let meeting = store
        .meeting(id)?
        .ok_or_else(|| anyhow::anyhow!("the demo meeting was not saved"))?;
    let plan = super::agenda::build(store, &terms, &meeting)?;
    store.set_agenda_plan(id, &plan, now)?;
    Ok(())
}
