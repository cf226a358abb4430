//! What the screens show, read from the store, and the child card's facts.
//! Reading is kept here so `update` and `view` never touch the store.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::{
    Action, AgendaItem, Attendance, ChildId, ChildRecord, CohortId, Decision, Id, LegalStatus,
    Meeting, Member, Place, PlanFacts, Provider, ReasonCeased, Rne,
};
use crate::rules::calendar::Calendar;
use crate::rules::care::{
    care_at, legal_status_run_start, placement_run_start, predecessor, same_carers_run_start,
};
use crate::rules::cohorts::{PanelRoutes, memberships};
use crate::rules::dates::span_between;
use crate::rules::timetable::{TimetableRow, timetable};
use crate::store::{Result, Store};
use crate::terms::Terms;

/// The facts on a child card, as of one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardFacts {
    pub child: ChildId,
    pub dob: NaiveDate,
    /// Whole years on the day (0 for a baby, or a date of birth after it).
    pub age_years: u32,
    /// `None` when the child is not looked after on the day.
    pub current: Option<CurrentEpisode>,
    /// When the child is not looked after: the day the last episode ended.
    pub last_ceased: Option<NaiveDate>,
}

/// The child's current legal status and placement, and since when, as
/// `rules::care` reads them (the cohorts' reading, not a second one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentEpisode {
    pub legal_status: LegalStatus,
    /// The start of the run of the same legal status.
    pub legal_status_since: NaiveDate,
    pub placement: Place,
    pub provider: Option<Provider>,
    /// The start of the run of this type of placement ("this setting").
    pub placement_since: NaiveDate,
    /// The start of the same-carers run (rules.md): a change of legal
    /// status or of placement type with the same carers does not end it.
    pub carers_since: NaiveDate,
}

/// The card's facts on `day` (the meeting's date), through `rules::care`:
/// the current episode is the one `care_at` finds (none for a child not
/// looked after, 18 or over, or with overlapping episodes).
pub fn card_facts(record: &ChildRecord, day: NaiveDate) -> CardFacts {
    let current = care_at(record, day).and_then(|care| {
        let episode = record.episodes.get(care.current)?;
        Some(CurrentEpisode {
            legal_status: episode.ls,
            legal_status_since: legal_status_run_start(record, &care, &[episode.ls])
                .map_or(care.period_start, |run| run.start),
            placement: episode.place,
            provider: episode.place_provider,
            placement_since: placement_run_start(record, &care).start,
            carers_since: same_carers_run_start(record, &care).start,
        })
    });
    let last_ceased = if current.is_none() {
        record
            .episodes
            .iter()
            .filter(|e| e.decom <= day)
            .filter_map(|e| e.dec)
            .filter(|dec| *dec <= day)
            .max()
    } else {
        None
    };
    CardFacts {
        child: record.child.id.clone(),
        dob: record.child.dob,
        age_years: span_between(record.child.dob, day).years,
        current,
        last_ceased,
    }
}

/// Everything the full child card shows beyond this meeting's decision and
/// actions, worked out once when the card's child changes (never per frame).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildCard {
    pub child: ChildId,
    /// `None` when the child is missing from the latest extract.
    pub facts: Option<CardFacts>,
    /// Every reason the child is on the panel's radar at the meeting's date,
    /// the one the child is listed under first.
    pub why_listed: Vec<ListedReason>,
    /// The panel's plan facts; `None` when no plan is recorded.
    pub plan: Option<PlanFacts>,
    /// The Fostering Panel the child's long-term match is booked to.
    pub fostering_panel: Option<NaiveDate>,
    /// The review timetable at the meeting's date; `None` when not looked after.
    pub reviews: Option<TimetableRow>,
    /// Every episode up to the meeting's date, newest first.
    pub history: Vec<HistoryEntry>,
    /// What the return's other tables say (UASC, adoption, missing,
    /// social worker) and where the returns held do not reach.
    pub from_return: Vec<String>,
    /// The panel's earlier meetings on this child, newest first.
    pub earlier: Vec<EarlierMeeting>,
}

/// One reason a child is listed: a cohort met (or the agenda's own route).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedReason {
    /// The cohort's title, or the agenda's words when not a cohort.
    pub title: String,
    /// The sentence a chair reads aloud, as the `cohorts` command gives it.
    pub sentences: Vec<String>,
    /// This is what put the child on this agenda.
    pub listed_under: bool,
}

/// One episode of care, as a line of the child's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub from: NaiveDate,
    /// `None`: still open.
    pub to: Option<NaiveDate>,
    pub legal_status: LegalStatus,
    pub placement: Place,
    pub provider: Option<Provider>,
    pub reason_ended: Option<ReasonCeased>,
    /// Why the episode began (`RNE`).
    pub reason_started: Rne,
    /// Why its placement ended (`REASON_PLACE_CHANGE`), as given.
    pub placement_ended_because: Option<String>,
    /// The episode begins a period of care (no episode it follows on from).
    pub starts_period: bool,
}

/// What an earlier meeting decided and asked for on the child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierMeeting {
    pub meeting: Id,
    pub date: NaiveDate,
    pub decisions: Vec<Decision>,
    pub actions: Vec<Action>,
}

/// The full card of the agenda child `item`, from the data already loaded:
/// cohorts and reviews at the meeting's date `day`, the summary on `today`.
pub fn child_card(
    data: &MeetingData,
    item: &AgendaItem,
    terms: &Terms,
    day: NaiveDate,
    calendar: &Calendar,
) -> ChildCard {
    let record = data.records.get(&item.child);
    ChildCard {
        child: item.child.clone(),
        // Age and placement at the meeting's date, like every duration on
        // the card, whenever the minutes are typed.
        facts: record.map(|r| card_facts(r, day)),
        why_listed: why_listed(record, item, terms, day),
        plan: record.and_then(|r| r.plan.clone()),
        fostering_panel: data.fostering_bookings.get(&item.child).copied(),
        reviews: record.and_then(|r| timetable(r, day, calendar)),
        history: record.map(|r| history(r, day)).unwrap_or_default(),
        from_return: from_return(
            record,
            data.extras.get(&item.child).map_or(&[][..], Vec::as_slice),
            data.coverage,
            day,
        ),
        earlier: earlier_meetings(data, &item.child, day),
    }
}

/// The card of a child who is not on this meeting's agenda (found with
/// `/`), read from the store at the meeting's date `day`: the same facts
/// as an agenda child's card, and the cohorts they meet.
pub fn visiting_card(
    store: &Store,
    data: &MeetingData,
    child: &str,
    terms: &Terms,
    day: NaiveDate,
    calendar: &Calendar,
) -> Result<ChildCard> {
    let mut theirs = MeetingData {
        meeting: data.meeting.clone(),
        coverage: data.coverage,
        meeting_dates: data.meeting_dates.clone(),
        ..MeetingData::default()
    };
    let id = child.to_owned();
    if let Some(record) = store.child_record(child)? {
        theirs.records.insert(id.clone(), record);
    }
    theirs.extras.insert(id.clone(), store.child_extras(child)?);
    theirs
        .earlier_decisions
        .insert(id.clone(), store.decisions_for_child(child)?);
    theirs
        .actions
        .insert(id.clone(), store.actions_for_child(child)?);
    if let Some(booked) = data.fostering_bookings.get(child) {
        theirs.fostering_bookings.insert(id.clone(), *booked);
    }
    let unlisted = AgendaItem {
        id: 0,
        meeting: data.meeting.as_ref().map_or(0, |m| m.id),
        child: id,
        position: 0,
        listed_under: String::new(),
        reasons: Vec::new(),
        waiting: false,
    };
    Ok(child_card(&theirs, &unlisted, terms, day, calendar))
}

/// One line per fact of the return's other tables, in the schema's column
/// order (`model::schema903`), and the coverage note.
pub fn from_return(
    record: Option<&ChildRecord>,
    extras: &[crate::store::ExtraRow],
    coverage: Option<NaiveDate>,
    day: NaiveDate,
) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(note) = record.and_then(|r| crate::rules::returns::coverage_note(r, coverage, day))
    {
        lines.push(format!("Returns: {note}"));
    }
    let field = |row: &crate::store::ExtraRow, column: &str| -> String {
        crate::model::schema903::Table903::from_name(&row.table)
            .and_then(|t| t.columns().iter().position(|c| *c == column))
            .and_then(|i| row.fields.get(i))
            .cloned()
            .unwrap_or_default()
    };
    let of = |table: &'static str| extras.iter().filter(move |x| x.table == table);
    for row in of("UASC") {
        let ceased = field(row, "DUC");
        lines.push(if ceased.is_empty() {
            "UASC: unaccompanied asylum-seeking child".to_owned()
        } else {
            format!("UASC: unaccompanied asylum-seeking child, status ceased {ceased}")
        });
    }
    for row in of("AD1") {
        lines.push(format!(
            "Adoption (AD1): decision {}, matched {}",
            or_blank(field(row, "DATE_INT")),
            or_blank(field(row, "DATE_MATCH"))
        ));
    }
    for row in of("PrevPerm") {
        lines.push(format!(
            "Permanence before care (PrevPerm): {}",
            or_blank(field(row, "PREV_PERM"))
        ));
    }
    let missing: Vec<_> = of("Missing").collect();
    if let Some(latest) = missing
        .iter()
        .max_by_key(|r| crate::import::parse_date(&field(r, "MIS_START")))
    {
        let kind = if field(latest, "MISSING").eq_ignore_ascii_case("A") {
            "away without authorisation"
        } else {
            "missing"
        };
        lines.push(format!(
            "Missing or away: {} episode{}; latest {kind} from {} to {}",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            or_blank(field(latest, "MIS_START")),
            or_blank(field(latest, "MIS_END"))
        ));
    }
    if let Some(sw) =
        of("SWEpisodes").max_by_key(|r| crate::import::parse_date(&field(r, "SW_DECOM")))
    {
        lines.push(format!(
            "Allocated social worker: {} (since {})",
            or_blank(field(sw, "SW_ID")),
            or_blank(field(sw, "SW_DECOM"))
        ));
    }
    lines
}

fn or_blank(value: String) -> String {
    if value.is_empty() {
        "not given".to_owned()
    } else {
        value
    }
}

/// Every cohort of the terms the child meets at `day`, each with its
/// sentence; the agenda's own reason (cohort or route) first.
fn why_listed(
    record: Option<&ChildRecord>,
    item: &AgendaItem,
    terms: &Terms,
    day: NaiveDate,
) -> Vec<ListedReason> {
    let listed = CohortId::parse(&item.listed_under);
    let met = record
        .map(|r| memberships(r, terms, day, &PanelRoutes::default()))
        .unwrap_or_default();
    let mut out = Vec::new();
    // The listed cohort as the rules word it today; a route (referral,
    // carried over, actions due) or a cohort no longer met keeps the
    // agenda's stored sentences. A child not on the agenda (no listing)
    // has only the cohorts met.
    match met.iter().find(|m| Some(m.cohort) == listed) {
        Some(m) => out.push(ListedReason {
            title: m.cohort.title().to_owned(),
            sentences: vec![m.reason.clone()],
            listed_under: true,
        }),
        None if item.listed_under.is_empty() => {}
        None => out.push(ListedReason {
            title: crate::model::cohort::listed_under_title(&item.listed_under).to_owned(),
            sentences: item.reasons.clone(),
            listed_under: true,
        }),
    }
    out.extend(
        met.into_iter()
            .filter(|m| Some(m.cohort) != listed)
            .map(|m| ListedReason {
                title: m.cohort.title().to_owned(),
                sentences: vec![m.reason],
                listed_under: false,
            }),
    );
    out
}

/// The child's episodes that began by `day`, newest first, each marked
/// when it starts a period of care (`rules::care::predecessor`).
fn history(record: &ChildRecord, day: NaiveDate) -> Vec<HistoryEntry> {
    record
        .episodes
        .iter()
        .enumerate()
        .filter(|(_, e)| e.decom <= day)
        .rev()
        .map(|(i, e)| HistoryEntry {
            from: e.decom,
            to: e.dec,
            legal_status: e.ls,
            placement: e.place,
            provider: e.place_provider,
            reason_ended: e.rec,
            reason_started: e.rne,
            placement_ended_because: e.reason_place_change.clone(),
            starts_period: predecessor(record, i).is_none(),
        })
        .collect()
}

/// The meetings before `day` that decided on or raised actions for the
/// child, newest first.
fn earlier_meetings(data: &MeetingData, child: &str, day: NaiveDate) -> Vec<EarlierMeeting> {
    let this = data.meeting.as_ref().map(|m| m.id);
    let mut by_meeting: BTreeMap<(NaiveDate, Id), EarlierMeeting> = BTreeMap::new();
    // The meeting's date when it is an earlier one.
    let earlier = |meeting: Id| {
        let date = *data.meeting_dates.get(&meeting)?;
        (Some(meeting) != this && date < day).then_some(date)
    };
    let blank = |meeting: Id, date: NaiveDate| EarlierMeeting {
        meeting,
        date,
        decisions: Vec::new(),
        actions: Vec::new(),
    };
    for d in data
        .earlier_decisions
        .get(child)
        .map_or(&[][..], Vec::as_slice)
    {
        if let Some(date) = earlier(d.meeting) {
            by_meeting
                .entry((date, d.meeting))
                .or_insert_with(|| blank(d.meeting, date))
                .decisions
                .push(d.clone());
        }
    }
    for a in data.actions_for(child) {
        if let Some(date) = earlier(a.meeting) {
            by_meeting
                .entry((date, a.meeting))
                .or_insert_with(|| blank(a.meeting, date))
                .actions
                .push(a.clone());
        }
    }
    by_meeting.into_values().rev().collect()
}

/// Everything the app shows about one meeting, reloaded after each write.
#[derive(Debug, Clone, Default)]
pub struct MeetingData {
    pub meeting: Option<Meeting>,
    /// The members of this meeting (serving on its date, or recorded at it).
    pub members: Vec<Member>,
    /// Every member ever added, for the members screen.
    pub all_members: Vec<Member>,
    pub attendance: Vec<Attendance>,
    pub agenda: Vec<AgendaItem>,
    /// The agenda children's records; a child missing from the extract has none.
    pub records: BTreeMap<ChildId, ChildRecord>,
    pub decisions: Vec<Decision>,
    /// Every action of each agenda child, from any meeting.
    pub actions: BTreeMap<ChildId, Vec<Action>>,
    /// Children who did not fit this meeting: heard at the next.
    pub waiting: Vec<AgendaItem>,
    /// Children this meeting carried over to the next.
    pub carried_over: std::collections::BTreeSet<ChildId>,
    /// The date of the meeting after this one, for "at next panel".
    pub next_panel: Option<NaiveDate>,
    /// Every action of every meeting, for the action list.
    pub all_actions: Vec<Action>,
    /// Each meeting's date, to tell the matters arising which actions were
    /// raised at an earlier meeting.
    pub meeting_dates: BTreeMap<crate::model::Id, NaiveDate>,
    /// The administrator's private notes on this meeting's children.
    pub admin_notes: BTreeMap<ChildId, String>,
    /// Children's names where the panel holds them (the return has none).
    pub child_names: std::collections::HashMap<String, crate::store::ChildName>,
    /// Every decision on each agenda child, from any meeting.
    pub earlier_decisions: BTreeMap<ChildId, Vec<Decision>>,
    /// The outcome of each of those decisions, by decision id.
    pub decision_outcomes:
        std::collections::HashMap<crate::model::Id, crate::store::DecisionOutcome>,
    /// The full card of the child being heard, worked out after each step
    /// (`App::refresh_card`), dropped when the data is reloaded; the view
    /// only reads it.
    pub card_cache: Option<std::rc::Rc<ChildCard>>,
    /// The return's other tables, for the children on the agenda.
    pub extras: BTreeMap<ChildId, Vec<crate::store::ExtraRow>>,
    /// The first day the returns held vouch for (`None`: all of it).
    pub coverage: Option<NaiveDate>,
    /// Children held back by data problems (in no cohort).
    pub held_back: usize,
    /// Each child booked to a Fostering Panel, and its date.
    pub fostering_bookings: std::collections::HashMap<ChildId, NaiveDate>,
    /// The Fostering Panel's sittings and the long-term matches waiting
    /// (read at start: Home says when they outnumber the free slots; only
    /// the children with a long-term fostering plan are read).
    pub fostering: crate::usecase::fostering::Overview,
    /// The meetings after this one, not cancelled, by date: where a
    /// deferral can go.
    pub later_meetings: Vec<NaiveDate>,
    /// The meeting's declarations of interest (by child).
    pub declarations: Vec<crate::model::InterestDeclaration>,
    /// What the Preparation screens show: the year's meetings, referrals,
    /// each meeting's agenda as built.
    pub prep: super::preparation::Preparation,
    /// Each recorded paper's status at this meeting (the Papers screen).
    pub paper_statuses: crate::usecase::papers::PaperStatuses,
    /// Every referral, for who owes a child's papers.
    pub referrals: Vec<crate::model::Referral>,
    /// The returns held, oldest first (the Return screen).
    /// Read when the Return screen opens (`Effect::LoadReturnsHeld`), not
    /// at start: it counts every return's rows (over 100 ms at 100,000
    /// children, which the first frame cannot afford).
    pub returns_held: Option<Vec<crate::store::ReturnRecord>>,
    /// The last folder files were written to (the Files screen), from
    /// the panel's settings.
    pub files_folder: Option<String>,
    /// Each child's item type on the agenda (its papers follow it).
    pub agenda_item_types: crate::usecase::papers::ItemTypes,
    /// Every decision waiting for its decision-maker's sign-off, oldest
    /// meeting first (Home's `S`).
    pub pending_sign_offs: Vec<crate::store::PendingSignOff>,
}

impl MeetingData {
    /// The next meeting on or after `today`, or the latest; empty data when
    /// the database has no meeting yet.
    pub fn load_next(store: &Store, today: NaiveDate) -> Result<MeetingData> {
        let meeting = store.next_meeting(today)?;
        let mut data = MeetingData {
            meeting,
            ..MeetingData::default()
        };
        data.reload_members(store)?;
        // The Preparation screens' data is read when one opens
        // (`Effect::LoadPreparation`): the first frame does without it.
        data.child_names = store.child_names()?;
        data.coverage = store.coverage_start()?;
        data.held_back = store.held_back_children()?.len();
        data.fostering_bookings = store.fostering_bookings()?;
        data.fostering = crate::usecase::fostering::overview(store, today)?;
        data.all_actions = store.all_actions()?;
        data.referrals = store.referrals()?;
        data.files_folder = store.setting(crate::usecase::files::FOLDER_SETTING)?;
        data.pending_sign_offs = store.pending_sign_offs()?;
        let meetings = store.meetings()?;
        let this = data.meeting.as_ref().map(|m| m.date);
        data.later_meetings = meetings
            .iter()
            .filter(|m| this.is_some_and(|this| m.date > this))
            .filter(|m| m.status != crate::model::MeetingStatus::Cancelled)
            .map(|m| m.date)
            .collect();
        data.meeting_dates = meetings.into_iter().map(|m| (m.id, m.date)).collect();
        if let Some(id) = data.meeting.as_ref().map(|m| m.id) {
            data.attendance = store.attendance(id)?;
            data.agenda = store.agenda(id)?;
            data.waiting = store.agenda_waiting(id)?;
            data.decisions = store.decisions(id)?;
            data.admin_notes = store.admin_notes(id)?;
            data.declarations = store.interest_declarations(id)?;
            data.paper_statuses = store.paper_statuses(id)?;
            data.agenda_item_types = store.agenda_item_types(id)?;
            data.reload_carried_over(store)?;
            if let Some(this) = data.meeting.as_ref().map(|m| m.date) {
                // The next meeting planned after this one; never this one
                // (an in-progress meeting, or the latest when none follows).
                data.next_panel = this
                    .succ_opt()
                    .map(|day| store.next_meeting(day))
                    .transpose()?
                    .flatten()
                    .map(|m| m.date)
                    .filter(|date| *date > this);
            }
            for item in &data.agenda {
                if let Some(record) = store.child_record(&item.child)? {
                    data.records.insert(item.child.clone(), record);
                }
                data.actions
                    .insert(item.child.clone(), store.actions_for_child(&item.child)?);
                data.earlier_decisions
                    .insert(item.child.clone(), store.decisions_for_child(&item.child)?);
                data.decision_outcomes
                    .extend(store.decision_outcomes_for_child(&item.child)?);
                let extras = store.child_extras(&item.child)?;
                if !extras.is_empty() {
                    data.extras.insert(item.child.clone(), extras);
                }
            }
        }
        Ok(data)
    }

    pub fn reload_meeting(&mut self, store: &Store) -> Result<()> {
        self.card_cache = None;
        if let Some(id) = self.meeting.as_ref().map(|m| m.id) {
            self.meeting = store.meeting(id)?;
        }
        Ok(())
    }

    /// The meeting's paper statuses, after one is recorded or undone.
    pub fn reload_papers(&mut self, store: &Store) -> Result<()> {
        if let Some(id) = self.meeting.as_ref().map(|m| m.id) {
            self.paper_statuses = store.paper_statuses(id)?;
        }
        Ok(())
    }

    /// Every member, and the meeting's members (without a meeting: all).
    pub fn reload_members(&mut self, store: &Store) -> Result<()> {
        self.card_cache = None;
        self.all_members = store.members()?;
        self.members = match self.meeting.as_ref() {
            Some(meeting) => store.members_of_meeting(meeting)?,
            None => self.all_members.clone(),
        };
        Ok(())
    }

    pub fn reload_attendance(&mut self, store: &Store) -> Result<()> {
        self.card_cache = None;
        if let Some(id) = self.meeting.as_ref().map(|m| m.id) {
            self.attendance = store.attendance(id)?;
        }
        Ok(())
    }

    pub fn reload_carried_over(&mut self, store: &Store) -> Result<()> {
        self.card_cache = None;
        if let Some(id) = self.meeting.as_ref().map(|m| m.id) {
            self.carried_over = store
                .carry_overs()?
                .into_iter()
                .filter(|c| c.meeting == id)
                .map(|c| c.child)
                .collect();
        }
        Ok(())
    }

    pub fn reload_declarations(&mut self, store: &Store) -> Result<()> {
        self.card_cache = None;
        if let Some(id) = self.meeting.as_ref().map(|m| m.id) {
            self.declarations = store.interest_declarations(id)?;
        }
        Ok(())
    }

    /// The members who declared an interest in `child`'s item.
    pub fn withdrawn_from(&self, child: &str) -> Vec<crate::model::Id> {
        self.declarations
            .iter()
            .filter(|d| d.child == child)
            .map(|d| d.member)
            .collect()
    }

    pub fn reload_decisions(&mut self, store: &Store) -> Result<()> {
        self.card_cache = None;
        if let Some(id) = self.meeting.as_ref().map(|m| m.id) {
            // A decision withdrawn (an undo) takes its outcome with it.
            for gone in &self.decisions {
                self.decision_outcomes.remove(&gone.id);
            }
            self.decisions = store.decisions(id)?;
            self.decision_outcomes.extend(store.decision_outcomes(id)?);
        }
        self.pending_sign_offs = store.pending_sign_offs()?;
        Ok(())
    }

    /// One decision's outcome (a dissent or sign-off recorded or undone:
    /// the decision may be of an earlier meeting), and what waits for
    /// sign-off.
    pub fn reload_outcome(&mut self, store: &Store, decision: crate::model::Id) -> Result<()> {
        self.card_cache = None;
        match store.decision_with_outcome(decision)? {
            Some((_, outcome)) => {
                self.decision_outcomes.insert(decision, outcome);
            }
            None => {
                self.decision_outcomes.remove(&decision);
            }
        }
        self.pending_sign_offs = store.pending_sign_offs()?;
        Ok(())
    }

    /// After one action's status changed: that action in the list across
    /// children, and its child's actions, reloaded; not all of them (a
    /// panel may hold tens of thousands).
    pub fn reload_action(&mut self, store: &Store, action: crate::model::Id) -> Result<()> {
        self.card_cache = None;
        let Some(fresh) = store.action(action)? else {
            self.all_actions = store.all_actions()?;
            return Ok(());
        };
        if let Some(slot) = self.all_actions.iter_mut().find(|a| a.id == action) {
            *slot = fresh.clone();
        } else {
            self.all_actions = store.all_actions()?;
        }
        if self.actions.contains_key(&fresh.child) {
            self.actions
                .insert(fresh.child.clone(), store.actions_for_child(&fresh.child)?);
        }
        Ok(())
    }

    pub fn reload_actions(&mut self, store: &Store, child: &str) -> Result<()> {
        self.card_cache = None;
        self.actions
            .insert(child.to_owned(), store.actions_for_child(child)?);
        self.all_actions = store.all_actions()?;
        Ok(())
    }

    pub fn decision_for(&self, child: &str) -> Option<&Decision> {
        self.decisions.iter().find(|d| d.child == child)
    }

    /// A decision's outcome as the card says it ("Funding request:
    /// declined"), when one was recorded.
    pub fn outcome_of(&self, decision: &Decision, terms: &crate::terms::Terms) -> Option<String> {
        let held = self
            .decision_outcomes
            .get(&decision.id)
            .filter(|o| o.outcome.is_some())?;
        let words = crate::export::minutes::outcome_words(Some(held), false);
        Some(if held.item_type == crate::terms::items::TRACKING {
            words
        } else {
            format!(
                "{}: {words}",
                crate::export::minutes::item_title(terms, &held.item_type)
            )
        })
    }

    /// What the card says with a decision's outcome: the money it
    /// commits and each member's dissent, labelled.
    pub fn outcome_details(&self, decision: &Decision) -> Vec<(&'static str, String)> {
        let Some(held) = self.decision_outcomes.get(&decision.id) else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        if let Some(money) = &held.commitment {
            lines.push(("Money", money.words()));
        }
        for d in &held.dissents {
            lines.push(("Dissent", format!("{}: {}", d.member_title, d.view)));
        }
        lines
    }

    pub fn actions_for(&self, child: &str) -> &[Action] {
        self.actions.get(child).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{child, date};

    #[test]
    fn the_cards_lines_from_the_returns_other_tables() {
        use crate::rules::returns::CollectionYear;
        use crate::store::ExtraRow;
        let row = |table: &str, fields: &[&str]| ExtraRow {
            table: table.to_owned(),
            year: CollectionYear::starting(2025),
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        };
        let extras = [
            row("AD1", &["C1", "", "01/02/2026", "", "0", "1", "M1", "L0"]),
            row("Missing", &["C1", "", "M", "01/06/2025", "03/06/2025"]),
            row("Missing", &["C1", "", "A", "01/08/2025", ""]),
            row("SWEpisodes", &["C1", "", "SW1", "01/04/2024", "", ""]),
            row("SWEpisodes", &["C1", "", "SW7", "01/09/2025", "", ""]),
            row("UASC", &["C1", "1", "", ""]),
        ];
        // A period begun before the returns held (its first episode is P).
        let record = child("14/03/2015")
            .ep("01/01/2020  P  C2  U4  PR1  open")
            .build();
        let lines = from_return(
            Some(&record),
            &extras,
            Some(date("01/04/2021")),
            date("27/11/2026"),
        );
        assert_eq!(
            lines,
            [
                "Returns: in care since at least 01/01/2020; at least 0 reviews (the returns held begin 01/04/2021)",
                "UASC: unaccompanied asylum-seeking child",
                "Adoption (AD1): decision 01/02/2026, matched not given",
                "Missing or away: 2 episodes; latest away without authorisation from 01/08/2025 to not given",
                "Allocated social worker: SW7 (since 01/09/2025)",
            ]
        );
    }

    #[test]
    fn current_episode_is_the_latest_open_on_the_day() {
        let record = child("14/03/2015")
            .ep("01/01/2020  S  V2  U6  PR1  01/06/2020")
            .ep("01/06/2020  L  C2  U6  PR1  01/02/2021")
            .ep("01/02/2021  P  C2  U4  PR4  open")
            .build();
        let facts = card_facts(&record, date("27/11/2026"));
        assert_eq!(facts.age_years, 11);
        let current = facts.current.expect("looked after");
        assert_eq!(current.legal_status, LegalStatus::C2);
        // The care order began on 01/06/2020; the placement change kept it.
        assert_eq!(current.legal_status_since, date("01/06/2020"));
        assert_eq!(current.placement, Place::U4);
        assert_eq!(current.placement_since, date("01/02/2021"));
    }

    #[test]
    fn a_legal_status_change_keeps_the_placement_date() {
        let record = child("01/09/2018")
            .ep("10/10/2022  S  C1  U3  PR1  01/03/2023")
            .ep("01/03/2023  L  C2  U3  PR1  open")
            .build();
        let current = card_facts(&record, date("27/11/2026")).current.unwrap();
        assert_eq!(current.placement_since, date("10/10/2022"));
        assert_eq!(current.legal_status_since, date("01/03/2023"));
    }

    /// Issue 16: the summary said "placement since 24/05/2026" beside "same
    /// carers since 18/06/2024": the 24/05 episode was a T change (legal
    /// status and placement together, same carers). One reading, two
    /// labelled dates, agreeing with the cohorts.
    #[test]
    fn placement_and_same_carers_are_both_read_through_rules_care() {
        let record = child("01/05/2014")
            .ep("18/06/2024  S  V2  U6  PR1  24/05/2026")
            .ep("24/05/2026  T  C2  U4  PR1  open")
            .build();
        let day = date("27/11/2026");
        let current = card_facts(&record, day).current.unwrap();
        assert_eq!(
            current.placement_since,
            date("24/05/2026"),
            "this setting: U4"
        );
        assert_eq!(
            current.carers_since,
            date("18/06/2024"),
            "no carers change since"
        );
        let care = care_at(&record, day).unwrap();
        assert_eq!(
            current.carers_since,
            same_carers_run_start(&record, &care).start
        );
        // The same reading the cohorts' sentence gives.
        let summary = crate::rules::care::care_summary(&record, day).unwrap();
        assert!(
            summary.contains("same carers since 18/06/2024"),
            "{summary}"
        );
    }

    fn item(child: &str, listed_under: &str) -> AgendaItem {
        AgendaItem {
            id: 1,
            meeting: 3,
            child: child.to_owned(),
            position: 1,
            listed_under: listed_under.to_owned(),
            reasons: vec!["As the agenda stored it.".to_owned()],
            waiting: false,
        }
    }

    fn at(day: &str) -> chrono::NaiveDateTime {
        date(day).and_hms_opt(10, 0, 0).unwrap_or_default()
    }

    #[test]
    fn the_card_marks_each_period_of_care_and_lists_the_listed_cohort_first() {
        let record = child("14/03/2015")
            .ep("01/01/2018  S  V2  U6  PR1  01/04/2018  E4A")
            .ep("01/01/2020  S  V2  U6  PR1  01/06/2020")
            .ep("01/06/2020  L  C2  U6  PR1  open")
            .plan("long-term-fostering", "01/02/2023")
            .build();
        let mut data = MeetingData::default();
        data.records.insert("C1".to_owned(), record);
        let terms = Terms::load("telford").unwrap();
        let day = date("27/11/2026");
        let card = child_card(
            &data,
            &item("C1", "foster-12m"),
            &terms,
            day,
            &Calendar::england_and_wales(),
        );
        let starts: Vec<(NaiveDate, bool)> = card
            .history
            .iter()
            .map(|e| (e.from, e.starts_period))
            .collect();
        assert_eq!(
            starts,
            [
                (date("01/06/2020"), false),
                (date("01/01/2020"), true),
                (date("01/01/2018"), true)
            ]
        );
        assert_eq!(card.history[2].reason_ended, Some(ReasonCeased::E4A));
        // Listed under foster-12m, which the terms rank below the care order
        // cohort: it comes first all the same, and both are there.
        let titles: Vec<&str> = card.why_listed.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                CohortId::Foster12m.title(),
                CohortId::CareOrderLtfUnmatched.title()
            ]
        );
        assert!(card.why_listed[0].listed_under && !card.why_listed[1].listed_under);
        assert_eq!(
            card.reviews.map(|r| r.period_start),
            Some(date("01/01/2020"))
        );
    }

    #[test]
    fn earlier_meetings_are_newest_first_without_this_one() {
        let mut data = MeetingData {
            meeting: Some(Meeting {
                id: 3,
                date: date("27/11/2026"),
                start: chrono::NaiveTime::MIN,
                end: chrono::NaiveTime::MIN,
                status: crate::model::MeetingStatus::Planned,
                current_item: None,
                cancel_reason: None,
            }),
            ..MeetingData::default()
        };
        data.meeting_dates = [
            (1, date("25/09/2026")),
            (2, date("30/10/2026")),
            (3, date("27/11/2026")),
        ]
        .into_iter()
        .collect();
        let decision = |id: Id, meeting: Id| Decision {
            id,
            meeting,
            child: "C1".to_owned(),
            text: format!("Decision {id}"),
            recorded_at: at("01/09/2026"),
            quorate: true,
            quorum: None,
        };
        data.earlier_decisions.insert(
            "C1".to_owned(),
            vec![decision(1, 1), decision(2, 2), decision(3, 3)],
        );
        data.actions.insert(
            "C1".to_owned(),
            vec![Action {
                id: 7,
                meeting: 2,
                child: "C1".to_owned(),
                text: "Book the review".to_owned(),
                owner: "Social Worker".to_owned(),
                deadline: date("04/12/2026"),
                status: crate::model::ActionStatus::Open,
                status_reason: None,
                created_at: at("30/10/2026"),
            }],
        );
        let earlier = earlier_meetings(&data, "C1", date("27/11/2026"));
        let shown: Vec<(Id, usize, usize)> = earlier
            .iter()
            .map(|m| (m.meeting, m.decisions.len(), m.actions.len()))
            .collect();
        assert_eq!(shown, [(2, 1, 1), (1, 1, 0)]);
    }

    #[test]
    fn an_episode_ending_today_is_not_current() {
        let record = child("01/09/2010")
            .ep("10/10/2022  S  V2  K2  PR4  27/11/2026")
            .build();
        let facts = card_facts(&record, date("27/11/2026"));
        assert_eq!(facts.current, None);
        assert_eq!(facts.last_ceased, Some(date("27/11/2026")));
        // The day before, it still was.
        assert!(card_facts(&record, date("26/11/2026")).current.is_some());
    }
}

/// How the meeting runs against its plan, at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    pub slot_start: chrono::NaiveTime,
    pub slot_end: chrono::NaiveTime,
    /// Minutes ahead (negative) or behind (positive) the current slot.
    pub behind_minutes: i64,
    /// When the meeting ends if every later child takes its slot from now.
    pub projected_end: chrono::NaiveTime,
}

impl Timing {
    /// "on time", "12 min behind", "3 min ahead".
    pub fn status(&self) -> String {
        match self.behind_minutes {
            0 => "on time".to_owned(),
            m if m > 0 => format!("{m} min behind"),
            m => format!("{} min ahead", -m),
        }
    }
}

/// The timing of the child at `index` (0-based) of `count`, at `now`:
/// behind when `now` is past the end of its slot, ahead when before its
/// start, on time within it.
pub fn timing(
    meeting: &Meeting,
    slot_minutes: u32,
    index: usize,
    count: usize,
    now: chrono::NaiveTime,
) -> Timing {
    let slot = chrono::Duration::minutes(i64::from(slot_minutes));
    let (slot_start, slot_end) = crate::rules::agenda::slot(meeting.start, slot_minutes, index);
    let behind_minutes = if now > slot_end {
        (now - slot_end).num_minutes()
    } else if now < slot_start {
        -(slot_start - now).num_minutes()
    } else {
        0
    };
    // This child's time left (at least none), then a full slot for each after.
    let remaining_here = if now < slot_start {
        slot
    } else {
        (slot_end - now).max(chrono::Duration::zero())
    };
    let later = slot * (count.saturating_sub(index + 1)) as i32;
    Timing {
        slot_start,
        slot_end,
        behind_minutes,
        projected_end: now.max(slot_start) + remaining_here + later,
    }
}

#[cfg(test)]
mod timing_tests {
    use super::*;
    use crate::model::MeetingStatus;

    fn meeting() -> Meeting {
        Meeting {
            id: 1,
            date: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            start: chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
            end: chrono::NaiveTime::from_hms_opt(13, 0, 0).unwrap(),
            status: MeetingStatus::InProgress,
            current_item: None,
            cancel_reason: None,
        }
    }

    fn t(h: u32, m: u32) -> chrono::NaiveTime {
        chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn within_the_slot_is_on_time_and_the_end_is_as_planned() {
        // Third child of 14: slot 10:00-10:15.
        let tm = timing(&meeting(), 15, 2, 14, t(10, 5));
        assert_eq!((tm.slot_start, tm.slot_end), (t(10, 0), t(10, 15)));
        assert_eq!(tm.status(), "on time");
        assert_eq!(tm.projected_end, t(13, 0));
    }

    #[test]
    fn past_the_slot_is_behind_and_the_end_moves_out() {
        let tm = timing(&meeting(), 15, 2, 14, t(10, 27));
        assert_eq!(tm.status(), "12 min behind");
        // Still on the third: its slot has run out; 11 more take 2 h 45.
        assert_eq!(tm.projected_end, t(13, 12));
    }

    #[test]
    fn before_the_slot_is_ahead() {
        let tm = timing(&meeting(), 15, 2, 14, t(9, 57));
        assert_eq!(tm.status(), "3 min ahead");
        assert_eq!(tm.projected_end, t(13, 0));
    }
}
