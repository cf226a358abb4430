//! `permanence-panel demo`: a synthetic Wiltshire panel built from a fixed
//! seed in a scratch database, so anyone can try the app without real data.
//! Its children come in as a council's annual returns and in-year extract,
//! through the import. It never reads or writes the user's real database.

use std::path::{Path, PathBuf};

use anyhow::Context;

use chrono::NaiveDate;

use super::context::Ctx;
use crate::clock::Clock;
use crate::import::{ImportOptions, import_returns};
use crate::model::{
    ActionStatus, AgendaItem, AttendanceState, ChildRecord, LegalStatus, MeetingStatus, Outcome,
    OutcomeRecord, Place, PlanFacts, PlanKind,
};
use crate::rules::calendar::Calendar;
use crate::rules::meetings;
use crate::rules::returns::CollectionYear;
use crate::store::{ChildName, NewAction, Store};
use crate::synth::{self, ReturnsConfig, ReturnsWriter, SynthConfig};
use crate::terms::Terms;
use crate::terms::items::ItemType;

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

    // The children: a synthetic history up to today, cut into the annual
    // returns a council holds and imported as a council imports them.
    let cfg = SynthConfig {
        children: DEMO_CHILDREN,
        seed: DEMO_SEED,
        as_at: today,
    };
    let records = synth::generate(&cfg);
    import_as_returns(store, &records, today, now)?;
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

    // Last month's meeting, held and minuted, so matters arising, the
    // action list and the minutes have something to show. Its agenda is
    // built at its own date, from the history as it stood then.
    let previous_date = meetings::next_meeting_date(
        &terms.cadence,
        meeting_date - chrono::Days::new(45),
        &calendar,
    );
    // The next meeting is planned first: the held meeting defers a child to it.
    let id = store.add_meeting(meeting_date, terms.cadence.start, terms.cadence.end, now)?;
    if previous_date < today && previous_date < meeting_date {
        minute_previous_meeting(store, &terms, previous_date, meeting_date)?;
    }

    // The next meeting's agenda, built as the administrator would build
    // it: the child deferred to it, then the cohorts at the meeting's
    // date, as many children as fit.
    let meeting = store
        .meeting(id)?
        .ok_or_else(|| anyhow::anyhow!("the demo meeting was not saved"))?;
    let (plan, item_types) = crate::usecase::agenda::build_typed(store, &terms, &meeting)?;
    store.set_agenda_plan_typed(id, &plan, &item_types, now)?;
    Ok(())
}

/// Writes `records` as the annual returns from the year of the earliest
/// episode to last year, plus this year's in-year extract up to `today`,
/// and imports them all in one go through the import path.
fn import_as_returns(
    store: &mut Store,
    records: &[ChildRecord],
    today: NaiveDate,
    now: chrono::NaiveDateTime,
) -> anyhow::Result<()> {
    let last = CollectionYear::starting(CollectionYear::containing(today).start_year() - 1);
    let earliest = records
        .iter()
        .filter_map(|r| r.episodes.first())
        .map(|e| e.decom)
        .min()
        .unwrap_or(today);
    let cfg = ReturnsConfig {
        children: records.len(),
        seed: DEMO_SEED,
        first: CollectionYear::containing(earliest).min(last),
        last,
        in_year_to: Some(today),
        in_year_before: None,
    };
    let scratch = tempfile::Builder::new()
        .prefix("permanence-panel-demo-returns-")
        .tempdir()
        .context("cannot make a scratch directory for the demo's returns")?;
    let mut writer = ReturnsWriter::create(&cfg, scratch.path())?;
    for r in records {
        writer.add(r)?;
    }
    let written = writer.finish()?;
    let folders: Vec<PathBuf> = written
        .returns
        .iter()
        .map(|r| scratch.path().join(&r.folder))
        .collect();
    let options = ImportOptions {
        year: None,
        strict: true,
        progress: false,
        dry_run: false,
        shown_relative_to: Some(scratch.path().to_path_buf()),
        watch: None,
        // A panel the demo is building: there is nothing to keep.
        without_backup: true,
    };
    import_returns(store, &folders, &options, now)
        .map_err(|e| anyhow::anyhow!("the demo's generated returns did not import: {e}"))?;
    Ok(())
}

/// A decision and an action of the held meeting: (decision, its outcome,
/// action, owner's role, days from the meeting to the deadline), and the
/// reason where the panel deferred the child to its next meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Minute {
    pub decision: &'static str,
    pub outcome: Outcome,
    pub deferred_because: Option<&'static str>,
    pub action: &'static str,
    pub owner: &'static str,
    pub days: u64,
}

impl Minute {
    /// The panel decides at its next meeting instead, for a reason that
    /// fits any child: the updated care plan was not ready. Used when no
    /// child heard was deferred for a reason of their own, so the demo's
    /// next agenda shows what a deferral does.
    fn deferred_for_the_care_plan() -> Minute {
        Minute {
            decision: "The panel heard the social worker's update and will decide at its next meeting, when the updated care plan is available.",
            outcome: Outcome::Deferred,
            deferred_because: Some("The updated care plan was not ready for the panel"),
            action: "Send the updated care plan to the panel administrator",
            owner: "service-manager-cic",
            days: 14,
        }
    }
}

/// What the panel decides for a child on `on`, chosen to fit the child's
/// legal status, placement, age and plan as they stood that day: a care
/// order only spoken of for a child on one, adoption only for an adoption
/// plan, special guardianship only for a child under 16 planned for it.
pub(crate) fn minute_for(record: &ChildRecord, plan: Option<&PlanFacts>, on: NaiveDate) -> Minute {
    let current = record
        .episodes
        .iter()
        .rev()
        .find(|e| e.decom <= on && e.dec.is_none_or(|d| d > on));
    let ls = current.map(|e| e.ls);
    let place = current.map(|e| e.place);
    let sixteen = on >= crate::rules::dates::add_months(record.child.dob, 16 * 12);
    // A plan counts from the day it was agreed.
    let kind = plan
        .filter(|p| p.plan_agreed.is_some_and(|a| a <= on))
        .and_then(|p| p.plan);
    let on_care_order = matches!(ls, Some(LegalStatus::C1 | LegalStatus::C2));
    let adoptive = matches!(place, Some(Place::A3 | Place::A4 | Place::A5 | Place::A6));
    let foster = matches!(
        place,
        Some(Place::U1 | Place::U2 | Place::U3 | Place::U4 | Place::U5 | Place::U6)
    );
    let m = |decision, action, owner, days| Minute {
        decision,
        outcome: Outcome::Endorsed,
        deferred_because: None,
        action,
        owner,
        days,
    };
    // Heard again when what the panel waits for is done.
    let deferred = |decision, because, action, owner, days| Minute {
        outcome: Outcome::Deferred,
        deferred_because: Some(because),
        ..m(decision, action, owner, days)
    };
    match kind {
        Some(PlanKind::Adoption) if adoptive => m(
            "Adoption remains the plan; the placement with the prospective adopters is going well and their application for an adoption order is supported.",
            "Confirm the timetable for the adopters' application to court",
            "head-of-service",
            28,
        ),
        Some(PlanKind::Adoption) => m(
            "Adoption remains the plan; family finding to widen to the regional agency.",
            "Refer to the regional adoption agency for wider family finding",
            "head-of-service",
            14,
        ),
        Some(PlanKind::LongTermFostering) if foster => m(
            "Long-term fostering with the current carers endorsed; match to go to Fostering Panel.",
            "Present the long-term match to Fostering Panel",
            "team-manager-kinship-fostering",
            49,
        ),
        Some(PlanKind::LongTermFostering) => m(
            "Long-term fostering remains the plan; the search for long-term foster carers to continue.",
            "Refer to the fostering service for long-term carers",
            "team-manager-kinship-fostering",
            28,
        ),
        Some(PlanKind::Sgo | PlanKind::ConnectedPerson) if !sixteen => deferred(
            "Assessment of the family carers to continue; special guardianship the plan if positive. The panel will hear the plan again when the assessment is finished.",
            "The assessment of the family carers is not finished",
            "Complete the special guardianship assessment of the carers",
            "team-manager-kinship-fostering",
            21,
        ),
        Some(PlanKind::ReturnHome | PlanKind::Cao) if ls == Some(LegalStatus::C2) => m(
            "Reunification plan agreed in principle; legal advice on discharging the care order.",
            "Seek legal advice on discharging the care order",
            "service-manager-cic",
            28,
        ),
        Some(PlanKind::ReturnHome | PlanKind::Cao) if on_care_order => m(
            "Return home remains the plan; the parenting assessment in the care proceedings to conclude before the final hearing.",
            "File the parenting assessment with the court",
            "service-manager-cic",
            28,
        ),
        Some(PlanKind::ReturnHome | PlanKind::Cao) => m(
            "Return home to be planned with the parents; a support plan to be agreed before the child goes home.",
            "Agree the support plan for the return home with the parents",
            "service-manager-cic",
            28,
        ),
        Some(PlanKind::Residential) => m(
            "The children's home placement continues to meet the child's needs; a move to a family setting to be considered at the next review.",
            "Review whether a move to a family setting is possible",
            "service-manager-cic",
            42,
        ),
        _ if sixteen || kind == Some(PlanKind::Independence) => m(
            "The pathway plan for independence is endorsed; the move to supported accommodation to be planned with the young person.",
            "Update the pathway plan with the young person",
            "service-manager-cic",
            28,
        ),
        _ => deferred(
            "No permanence plan yet: a plan to be agreed at the child's next looked-after review and brought back to the panel.",
            "No permanence plan has been agreed yet",
            "Present a permanence plan to the next looked-after review",
            "service-manager-cic",
            21,
        ),
    }
}

/// How many children last month's meeting heard.
const HEARD_LAST_MONTH: usize = 4;

/// The outcome `minute` has on an item of type `item`: its own where the
/// type allows it; where the panel only recommends (a decision-maker
/// decides), a recommendation instead of an endorsement, which then waits
/// for sign-off.
fn outcome_for(minute: &Minute, item: &ItemType) -> anyhow::Result<Outcome> {
    if item.outcomes.contains(&minute.outcome) {
        return Ok(minute.outcome);
    }
    if minute.outcome == Outcome::Endorsed && item.outcomes.contains(&Outcome::Recommended) {
        return Ok(Outcome::Recommended);
    }
    anyhow::bail!(
        "the demo decides that a {} is {}, but its outcomes are {}",
        item.title,
        minute.outcome.words(),
        item.outcomes_in_words()
    )
}

/// Records last month's meeting as held on `date`: its agenda built at that
/// date, everyone present, a decision with its outcome and an action
/// fitting each of the first children heard (one of them deferred to the
/// meeting of `next`), one action done since.
fn minute_previous_meeting(
    store: &mut Store,
    terms: &Terms,
    date: NaiveDate,
    next: NaiveDate,
) -> anyhow::Result<()> {
    let during = |h, m| {
        chrono::NaiveTime::from_hms_opt(h, m, 0)
            .map(|t| date.and_time(t))
            .ok_or_else(|| anyhow::anyhow!("a time of day"))
    };
    let id = store.add_meeting(date, terms.cadence.start, terms.cadence.end, during(8, 0)?)?;
    let meeting = store
        .meeting(id)?
        .ok_or_else(|| anyhow::anyhow!("the demo's held meeting was not saved"))?;
    let plan = crate::usecase::agenda::build(store, terms, &meeting)?;
    store.set_agenda_plan(id, &plan, during(8, 0)?)?;
    // The meeting heard the first few children on it; the agenda records
    // those heard.
    let heard: Vec<AgendaItem> = store
        .agenda(id)?
        .into_iter()
        .take(HEARD_LAST_MONTH)
        .collect();
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
    let mut minutes = Vec::new();
    for item in &heard {
        let child = &item.child;
        let record = store
            .child_record(child)?
            .ok_or_else(|| anyhow::anyhow!("{child} is on the agenda but not in the return"))?;
        let facts = store.plan_facts(child)?;
        minutes.push(minute_for(&record, facts.as_ref(), date));
    }
    // A deferral shows on the next meeting's agenda: if no child heard was
    // deferred for a reason of their own, the last one waits for its plan.
    if !minutes.iter().any(|m| m.outcome == Outcome::Deferred)
        && let Some(last) = minutes.last_mut()
    {
        *last = Minute::deferred_for_the_care_plan();
    }
    for (index, (item, minute)) in heard.iter().zip(minutes).enumerate() {
        let child = &item.child;
        let at = during(9, 45)? + chrono::Duration::minutes(10 * index as i64);
        let item_type =
            crate::usecase::decisions::item_type_for(store, terms, &meeting, child, None)?;
        let outcome = OutcomeRecord {
            item_type: item_type.id.clone(),
            outcome: outcome_for(&minute, item_type)?,
            deferred_to: minute.deferred_because.map(|_| next),
            referred_to: None,
            reason: minute.deferred_because.map(str::to_owned),
            commitment: None,
        };
        // Everyone is present (above): recorded quorate, as the app records.
        crate::usecase::decisions::record_with_outcome(
            store,
            terms,
            &meeting,
            child,
            minute.decision,
            &outcome,
            at,
        )?;
        let action_id = store.add_action(
            &NewAction {
                meeting: id,
                child: child.clone(),
                text: minute.action.to_owned(),
                owner: owner_of(minute.owner),
                deadline: date + chrono::Days::new(minute.days),
            },
            at,
        )?;
        // The first child's action was done a few days before its deadline.
        if index == 0 {
            let done_on = during(10, 0)? + chrono::Days::new(minute.days.saturating_sub(3));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{child, date};

    fn minute(record: &ChildRecord, on: &str) -> Minute {
        minute_for(record, record.plan.as_ref(), date(on))
    }

    #[test]
    fn a_care_order_is_spoken_of_only_for_a_child_on_one() {
        // Return home planned, accommodated under section 20: no care order.
        let s20 = child("01/01/2015")
            .ep("01/01/2024  S  V2  U6  PR1  open")
            .plan("return-home", "01/04/2024")
            .build();
        assert!(!minute(&s20, "27/11/2026").decision.contains("care order"));
        // The same plan under a full care order: its discharge.
        let c2 = child("01/01/2015")
            .ep("01/01/2024  S  C2  U6  PR1  open")
            .plan("return-home", "01/04/2024")
            .build();
        assert!(
            minute(&c2, "27/11/2026")
                .decision
                .contains("discharging the care order")
        );
    }

    #[test]
    fn adoption_is_the_plan_only_when_an_adoption_plan_was_agreed_by_then() {
        let connected = child("01/01/2023")
            .ep("01/02/2024  S  C2  U3  PR1  open")
            .plan("connected-person", "01/06/2024")
            .build();
        let m = minute(&connected, "27/11/2026");
        assert!(!m.decision.contains("Adoption"), "{m:?}");
        assert!(m.decision.contains("special guardianship"), "{m:?}");
        let adoption = child("01/01/2023")
            .ep("01/02/2024  S  E1  U6  PR1  open")
            .plan("adoption", "01/06/2024")
            .build();
        assert!(
            minute(&adoption, "27/11/2026")
                .decision
                .starts_with("Adoption remains the plan")
        );
        // Agreed after the meeting: not yet the plan on the day.
        assert!(
            !minute(&adoption, "27/05/2024")
                .decision
                .contains("Adoption")
        );
    }

    #[test]
    fn no_special_guardianship_for_a_young_person_of_16_or_17() {
        let seventeen = child("01/02/2009")
            .ep("01/02/2024  S  V2  U3  PR1  open")
            .plan("sgo", "01/06/2024")
            .build();
        let m = minute(&seventeen, "27/11/2026");
        assert!(!m.decision.contains("guardianship"), "{m:?}");
        assert!(m.decision.contains("pathway plan"), "{m:?}");
    }

    #[test]
    fn the_legal_status_is_the_one_held_on_the_day() {
        // Under s20 on the meeting's day; a care order came later.
        let later_order = child("01/01/2016")
            .ep("01/01/2025  S  V2  U6  PR1  01/12/2026")
            .ep("01/12/2026  L  C2  U6  PR1  open")
            .plan("return-home", "01/02/2025")
            .build();
        assert!(
            !minute(&later_order, "27/11/2026")
                .decision
                .contains("care order")
        );
    }

    #[test]
    fn a_deferral_names_its_reason_and_other_outcomes_none() {
        let no_plan = child("01/01/2015")
            .ep("01/01/2024  S  C2  U6  PR1  open")
            .build();
        let m = minute(&no_plan, "27/11/2026");
        assert_eq!(m.outcome, Outcome::Deferred);
        assert_eq!(
            m.deferred_because,
            Some("No permanence plan has been agreed yet")
        );
        let adoption = child("01/01/2023")
            .ep("01/02/2024  S  E1  U6  PR1  open")
            .plan("adoption", "01/06/2024")
            .build();
        let m = minute(&adoption, "27/11/2026");
        assert_eq!((m.outcome, m.deferred_because), (Outcome::Endorsed, None));
    }

    #[test]
    fn where_a_decision_maker_decides_the_panel_recommends_instead_of_endorsing() {
        let adoption = child("01/01/2023")
            .ep("01/02/2024  S  E1  U6  PR1  open")
            .plan("adoption", "01/06/2024")
            .build();
        let m = minute(&adoption, "27/11/2026");
        let tracking = ItemType::default_tracking();
        assert_eq!(outcome_for(&m, &tracking).unwrap(), Outcome::Endorsed);
        let recommends = ItemType {
            outcomes: vec![Outcome::Recommended, Outcome::Deferred],
            decided_by: Some("Agency Decision Maker".into()),
            ..ItemType::default_tracking()
        };
        let outcome = outcome_for(&m, &recommends).unwrap();
        assert_eq!(outcome, Outcome::Recommended);
        assert!(recommends.awaits_sign_off(outcome));
        let only_noted = ItemType {
            outcomes: vec![Outcome::Noted],
            ..ItemType::default_tracking()
        };
        let err = outcome_for(&m, &only_noted).unwrap_err().to_string();
        assert!(err.contains("its outcomes are noted"), "{err}");
    }
}
