//! The Preparation side of the app (issue 22): what the Meetings,
//! Referrals, Agenda builder and Fostering Panel (issue 17) screens show,
//! read from the store, and the writes they ask for. Every write goes
//! through the same use case or store function as its subcommand
//! (`meetings plan/add/move/cancel`, `referrals add/accept/decline`,
//! `agenda --build/--pin/...`, `fostering-panel add/book/unbook/remove`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::app::{App, NoticeKind, Stored};
use crate::model::{AgendaItem, ChildId, Id, Meeting, MeetingStatus, Referral, ReferralStatus};
use crate::rules::dates::dmy;
use crate::rules::meetings::{MeetingRecords, Standing};
use crate::store::{AgendaSnapshot, Booked, MeetingMove, NewReferral, Store};
use crate::terms::Terms;

/// What the Preparation screens show. Read when one of them (or Files)
/// first opens, not at start (see `load`).
#[derive(Debug, Clone, Default)]
pub struct Preparation {
    /// Whether it was read (`Effect::LoadPreparation`); empty until then.
    pub loaded: bool,
    /// The meetings from the start of this year on (and the one the app
    /// is on, if older), by date.
    pub meetings: Vec<Meeting>,
    /// Where each moved meeting was first planned, and why it moved.
    pub moves: HashMap<Id, MeetingMove>,
    /// What each meeting has recorded (an agenda, attendance, decisions,
    /// approved minutes), for where it stands.
    pub records: HashMap<Id, MeetingRecords>,
    /// Each listed meeting's agenda as built.
    pub agendas: BTreeMap<Id, BuiltAgenda>,
    /// Every referral, oldest first.
    pub referrals: Vec<Referral>,
    /// Every child of the return, for completing a child's id or name.
    pub children: Vec<ChildId>,
}

/// A meeting's agenda as the store holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuiltAgenda {
    pub heard: Vec<AgendaItem>,
    /// The first children waiting (`WAITING_SHOWN` at most), in order.
    pub waiting: Vec<AgendaItem>,
    /// How many wait in all.
    pub waiting_count: usize,
    pub published_at: Option<NaiveDateTime>,
    pub pinned: BTreeSet<ChildId>,
}

impl BuiltAgenda {
    pub fn is_built(&self) -> bool {
        !self.heard.is_empty() || self.waiting_count > 0
    }
}

/// How many waiting children the builder lists (a big return can leave
/// tens of thousands waiting; the count says how many in all).
pub const WAITING_SHOWN: usize = 200;

impl Preparation {
    /// Reads it all: every child's id for completing a name (100,000 at a
    /// big council) and each listed meeting's agenda, which the first
    /// frame does without.
    pub fn load(store: &Store, today: NaiveDate) -> crate::store::Result<Preparation> {
        // This year's, and the meeting the app opens on when that is older
        // (the latest, with none to come).
        let jan_1 = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let from = store
            .next_meeting(today)?
            .map_or(jan_1, |m| m.date.min(jan_1));
        let meetings: Vec<Meeting> = store
            .meetings()?
            .into_iter()
            .filter(|m| m.date >= from)
            .collect();
        let mut agendas = BTreeMap::new();
        for m in &meetings {
            let (waiting, waiting_count) = store.agenda_waiting_first(m.id, WAITING_SHOWN)?;
            agendas.insert(
                m.id,
                BuiltAgenda {
                    heard: store.agenda(m.id)?,
                    waiting,
                    waiting_count,
                    published_at: store.agenda_published_at(m.id)?,
                    pinned: store.agenda_choices(m.id)?.pinned.into_iter().collect(),
                },
            );
        }
        Ok(Preparation {
            loaded: true,
            meetings,
            moves: store.meeting_moves()?,
            records: store.meeting_records()?,
            agendas,
            referrals: store.referrals()?,
            children: store.child_ids()?,
        })
    }

    pub fn meeting(&self, id: Id) -> Option<&Meeting> {
        self.meetings.iter().find(|m| m.id == id)
    }

    pub fn agenda(&self, meeting: Id) -> Option<&BuiltAgenda> {
        self.agendas.get(&meeting)
    }

    /// The open referrals, oldest first.
    pub fn open_referrals(&self) -> Vec<&Referral> {
        self.referrals
            .iter()
            .filter(|r| r.status == ReferralStatus::Open)
            .collect()
    }

    /// The meetings still to come that can take children: planned or
    /// published, on or after `today`.
    pub fn planned_from(&self, today: NaiveDate) -> Vec<&Meeting> {
        self.meetings
            .iter()
            .filter(|m| m.date >= today)
            .filter(|m| matches!(m.status, MeetingStatus::Planned | MeetingStatus::Published))
            .collect()
    }

    /// Where a meeting stands on `today`, in words (`Standing`, as
    /// `meetings list` says it): "planned", "agenda built", "agenda
    /// published", "in progress", "held", "not held", "minutes approved",
    /// "cancelled: why"; a moved meeting adds "moved from dd/mm/yyyy: why".
    pub fn status_words(&self, m: &Meeting, today: NaiveDate) -> String {
        let records = self.records.get(&m.id).copied().unwrap_or_default();
        let standing = Standing::of(m, &records, today);
        let mut words = match (standing, m.cancel_reason.as_deref()) {
            (Standing::Cancelled, Some(why)) => format!("cancelled: {why}"),
            _ => standing.words().to_owned(),
        };
        if let Some(moved) = self.moves.get(&m.id).filter(|mv| mv.from != m.date) {
            words.push_str(&format!("; moved from {}", dmy(moved.from)));
            if let Some(why) = &moved.reason {
                words.push_str(&format!(": {why}"));
            }
        }
        words
    }
}

/// A write the Preparation screens ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prepare {
    /// `meetings plan --year`.
    PlanYear { year: i32 },
    /// `meetings add`: an extra sitting at the cadence's hours.
    AddSitting { day: NaiveDate, reason: String },
    /// `meetings move` at the meeting's own hours.
    MoveMeeting {
        meeting: Id,
        to: NaiveDate,
        reason: String,
    },
    /// `meetings cancel`.
    CancelMeeting { meeting: Id, reason: String },
    /// `referrals add`.
    AddReferral(NewReferral),
    /// `referrals accept`, for a meeting when one is chosen.
    AcceptReferral { id: Id, meeting: Option<NaiveDate> },
    /// `referrals decline`.
    DeclineReferral { id: Id, reason: String },
    /// A referral back to open, for the meeting it asked for before (the
    /// undo of accepting or declining it: accepting can set the meeting).
    ReopenReferral {
        id: Id,
        meeting_asked: Option<NaiveDate>,
    },
    /// Meetings planned in error taken off (the undo of planning a year
    /// or adding a sitting).
    UnplanMeetings { meetings: Vec<Id> },
    /// Meetings taken off by an undo put back as they were (its redo).
    RestoreMeetings(Vec<Meeting>),
    /// A cancellation withdrawn: the meeting as it stood before.
    WithdrawCancellation { meeting: Id, status: MeetingStatus },
    /// A referral recorded in error withdrawn (the undo of adding it).
    WithdrawReferral { id: Id },
    /// A referral withdrawn by an undo put back as it was (its redo).
    RestoreReferral(Referral),
    /// A meeting's agenda (items and choices) put back as it stood, the
    /// audit saying `what`.
    RestoreAgenda {
        meeting: Id,
        snapshot: AgendaSnapshot,
        what: String,
    },
    /// A meeting's publication put back as it was (none: withdrawn).
    RestorePublication {
        meeting: Id,
        published_at: Option<NaiveDateTime>,
    },
    /// `agenda --build/--pin/--unpin/--add/--remove/--move/--publish`.
    Agenda { meeting: Id, change: AgendaChange },
    /// `fostering-panel add`: a sitting and its slots (again: its slots changed).
    AddFosteringPanel { day: NaiveDate, slots: u32 },
    /// `fostering-panel remove`: a sitting with no child booked.
    RemoveFosteringPanel { day: NaiveDate },
    /// `fostering-panel book`: a child's long-term match to a sitting.
    BookFostering { child: ChildId, day: NaiveDate },
    /// `fostering-panel unbook`: a child's booking taken off.
    UnbookFostering { child: ChildId },
}

/// What a Preparation write did, besides reloading: the meetings a plan
/// added, and what booking a child to the Fostering Panel did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Performed {
    pub count: usize,
    /// A year planned: the cadence's days already past, not planned.
    pub past_words: String,
    pub booked: Option<Booked>,
}

/// One change to a meeting's agenda, as one of `agenda`'s options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgendaChange {
    Build,
    Pin(ChildId),
    Unpin(ChildId),
    Add {
        child: ChildId,
        reason: String,
    },
    Remove {
        child: ChildId,
        reason: String,
    },
    /// To this position (1-based) among the children heard.
    Move {
        child: ChildId,
        to: usize,
    },
    Publish,
}

impl AgendaChange {
    fn as_changes(&self) -> crate::usecase::agenda::Changes {
        use crate::usecase::agenda::Changes;
        match self.clone() {
            AgendaChange::Build => Changes {
                build: true,
                ..Changes::default()
            },
            AgendaChange::Pin(child) => Changes {
                pin: Some(child),
                ..Changes::default()
            },
            AgendaChange::Unpin(child) => Changes {
                unpin: Some(child),
                ..Changes::default()
            },
            AgendaChange::Add { child, reason } => Changes {
                add: Some(child),
                reason: Some(reason),
                ..Changes::default()
            },
            AgendaChange::Remove { child, reason } => Changes {
                remove: Some(child),
                reason: Some(reason),
                ..Changes::default()
            },
            AgendaChange::Move { child, to } => Changes {
                move_to: Some((child, to)),
                ..Changes::default()
            },
            AgendaChange::Publish => Changes {
                publish: true,
                ..Changes::default()
            },
        }
    }

    /// Whether the change is one of those that ask first once the agenda
    /// is published (building is refused then; publishing again is not a
    /// change of the children).
    pub fn changes_children(&self) -> bool {
        !matches!(self, AgendaChange::Build | AgendaChange::Publish)
    }
}

/// Performs a Preparation write through the subcommands' use cases and
/// store functions (what the app shows is reloaded after).
pub fn perform(
    store: &mut Store,
    terms: &Terms,
    prepare: &Prepare,
    now: NaiveDateTime,
) -> anyhow::Result<Performed> {
    let mut count = 0;
    let mut past_words = String::new();
    let mut booked = None;
    match prepare {
        Prepare::PlanYear { year } => {
            let planned = crate::usecase::meetings::plan_year(
                store,
                terms,
                *year,
                crate::usecase::meetings::PastDays::LeftOut,
                now,
            )?;
            count = planned.added;
            past_words = planned.past_words();
        }
        Prepare::AddSitting { day, reason } => {
            crate::usecase::meetings::add_extra(store, terms, *day, None, reason, now)?;
        }
        Prepare::MoveMeeting {
            meeting,
            to,
            reason,
        } => {
            let m = store
                .meeting(*meeting)?
                .ok_or_else(|| anyhow::anyhow!("there is no meeting {meeting}"))?;
            store.move_meeting(m.id, *to, m.start, m.end, Some(reason), now)?;
        }
        Prepare::CancelMeeting { meeting, reason } => {
            store.cancel_meeting(*meeting, reason, now)?;
        }
        Prepare::AddReferral(referral) => {
            crate::usecase::referrals::add(store, referral.clone(), now)?;
        }
        Prepare::AcceptReferral { id, meeting } => {
            crate::usecase::referrals::accept(store, *id, *meeting, now)?;
        }
        Prepare::DeclineReferral { id, reason } => {
            crate::usecase::referrals::decline(store, *id, reason, now)?;
        }
        Prepare::ReopenReferral { id, meeting_asked } => {
            store.reopen_referral(*id, *meeting_asked, now)?;
        }
        Prepare::UnplanMeetings { meetings } => store.remove_planned_meetings(meetings, now)?,
        Prepare::RestoreMeetings(meetings) => store.restore_meetings(meetings, now)?,
        Prepare::WithdrawCancellation { meeting, status } => {
            store.withdraw_cancellation(*meeting, *status, now)?;
        }
        Prepare::WithdrawReferral { id } => store.withdraw_referral(*id, now)?,
        Prepare::RestoreReferral(referral) => store.restore_referral(referral, now)?,
        Prepare::RestoreAgenda {
            meeting,
            snapshot,
            what,
        } => store.restore_agenda(*meeting, snapshot, what, now)?,
        Prepare::RestorePublication {
            meeting,
            published_at,
        } => store.restore_publication(*meeting, *published_at, now)?,
        Prepare::Agenda { meeting, change } => {
            let m = store
                .meeting(*meeting)?
                .ok_or_else(|| anyhow::anyhow!("there is no meeting {meeting}"))?;
            crate::usecase::agenda::change(store, terms, &m, change.as_changes(), now)?;
        }
        Prepare::AddFosteringPanel { day, slots } => {
            store.add_fostering_panel(*day, *slots, now)?;
        }
        Prepare::RemoveFosteringPanel { day } => {
            store.remove_fostering_panel(*day, now)?;
        }
        Prepare::BookFostering { child, day } => {
            booked = Some(store.book_fostering_panel(child, *day, now)?);
        }
        Prepare::UnbookFostering { child } => {
            store.unbook_fostering_panel(child, now)?;
        }
    }
    Ok(Performed {
        count,
        past_words,
        booked,
    })
}

/// Reloads everything the app shows after a Preparation write (the
/// meeting the app is on may be another now: a first year planned, its
/// meeting cancelled or moved). Says whether it is another.
pub fn reload(store: &Store, app: &mut App) -> crate::store::Result<bool> {
    let before = app.meeting_id();
    app.data = super::data::MeetingData::load_next(store, app.today)?;
    app.data.prep = Preparation::load(store, app.today)?;
    super::screens::fostering::keep_cursor_in_range(app);
    let after = app.meeting_id();
    if before != after {
        app.current = 0;
    } else {
        app.current = app.current.min(app.data.agenda.len().saturating_sub(1));
    }
    Ok(before != after)
}

/// `effects::apply`'s part for a Preparation write.
pub fn write(
    prepare: &Prepare,
    store: &mut Store,
    app: &mut App,
    now: NaiveDateTime,
) -> crate::store::Result<Stored> {
    let performed = perform(store, &app.terms, prepare, now)
        .map_err(|e| crate::store::StoreError::Refused(format!("{e:#}")))?;
    let moved_app = reload(store, app)?;
    Ok(Stored::Prepared {
        performed,
        moved_app,
    })
}

/// What the screen does once a Preparation write is done: the form it
/// came from is cleared and left, and the status line says what was done.
pub fn written(app: &mut App, prepare: Prepare, stored: Stored) {
    let (
        Performed {
            count,
            past_words,
            booked,
        },
        moved_app,
    ) = match stored {
        Stored::Prepared {
            performed,
            moved_app,
        } => (performed, moved_app),
        _ => (Performed::default(), false),
    };
    super::screens::prep_form::done(app);
    // A year planned: the highlight goes to the meeting the app is on.
    if matches!(prepare, Prepare::PlanYear { .. }) && app.screen == super::app::Screen::Meetings {
        super::screens::meetings::open(app);
    }
    let on = |id: Id, app: &App| {
        app.data
            .prep
            .meeting(id)
            .map_or_else(|| format!("meeting {id}"), |m| dmy(m.date))
    };
    let mut text = match &prepare {
        Prepare::PlanYear { year } => match count {
            0 => format!(
                "Every meeting of {year} still to come was already planned: nothing added{past_words}."
            ),
            1 => format!("1 meeting added for {year}{past_words} (u undoes)."),
            n => format!("{n} meetings added for {year}{past_words} (u undoes)."),
        },
        Prepare::AddSitting { day, .. } => {
            format!("Extra meeting added on {} (u undoes).", dmy(*day))
        }
        Prepare::MoveMeeting { to, .. } => format!("Meeting moved to {} (u undoes).", dmy(*to)),
        Prepare::CancelMeeting { meeting, .. } => {
            format!(
                "The meeting of {} is cancelled (u undoes).",
                on(*meeting, app)
            )
        }
        Prepare::AddReferral(r) => format!(
            "Referral of {} recorded: accept or decline it (u undoes).",
            app.child_label(&r.child)
        ),
        Prepare::AcceptReferral { id, .. } => {
            let when = app
                .data
                .prep
                .referrals
                .iter()
                .find(|r| r.id == *id)
                .and_then(|r| r.meeting_asked)
                .map_or("the next meeting".to_owned(), |d| {
                    format!("the meeting of {}", dmy(d))
                });
            format!("Referral accepted: listed when the agenda of {when} is built (u undoes).")
        }
        Prepare::DeclineReferral { .. } => "Referral declined (u undoes).".to_owned(),
        Prepare::ReopenReferral { .. } => "Referral open again.".to_owned(),
        Prepare::UnplanMeetings { meetings } => match meetings.len() {
            1 => "1 meeting planned in error taken off.".to_owned(),
            n => format!("{n} meetings planned in error taken off."),
        },
        Prepare::RestoreMeetings(meetings) => match meetings.len() {
            1 => "1 meeting planned again.".to_owned(),
            n => format!("{n} meetings planned again."),
        },
        Prepare::WithdrawCancellation { meeting, .. } => {
            format!(
                "The meeting of {} is no longer cancelled.",
                on(*meeting, app)
            )
        }
        Prepare::WithdrawReferral { .. } => "Referral taken off.".to_owned(),
        Prepare::RestoreReferral(r) => {
            format!("Referral of {} recorded again.", app.child_label(&r.child))
        }
        Prepare::RestoreAgenda { meeting, .. } => {
            format!("Agenda for {} put back as it stood.", on(*meeting, app))
        }
        Prepare::RestorePublication { meeting, .. } => {
            format!(
                "Publication of the agenda for {} put back.",
                on(*meeting, app)
            )
        }
        Prepare::Agenda { meeting, change } => {
            let built = app.data.prep.agenda(*meeting).cloned().unwrap_or_default();
            let published = built.published_at.is_some() && change.changes_children();
            // What the status line adds: logged after publishing, undone with u.
            let note = if published {
                " (after publishing, logged; u undoes)"
            } else {
                " (u undoes)"
            };
            let child = |c: &str| app.child_label(c);
            match change {
                AgendaChange::Build => format!(
                    "Agenda built for {}: {} heard, {} waiting (u undoes).",
                    on(*meeting, app),
                    built.heard.len(),
                    built.waiting_count
                ),
                AgendaChange::Pin(c) => format!("{} pinned{}.", child(c), note),
                AgendaChange::Unpin(c) => format!("{} no longer pinned{}.", child(c), note),
                AgendaChange::Add { child: c, .. } => format!("{} added{}.", child(c), note),
                AgendaChange::Remove { child: c, .. } => {
                    format!("{} removed{}.", child(c), note)
                }
                AgendaChange::Move { child: c, to } => {
                    format!("{} moved to place {to}{}.", child(c), note)
                }
                AgendaChange::Publish => format!(
                    "Agenda for {} published: later changes ask first and are logged (u undoes).",
                    on(*meeting, app)
                ),
            }
        }
        Prepare::AddFosteringPanel { day, slots } => format!(
            "{} (u undoes).",
            crate::usecase::fostering::slots_sentence(*day, *slots)
        ),
        Prepare::RemoveFosteringPanel { day } => format!(
            "The Fostering Panel of {} is removed (u undoes).",
            dmy(*day)
        ),
        Prepare::BookFostering { child, day } => {
            let said = crate::usecase::fostering::booked_sentence(
                &app.child_label(child),
                *day,
                booked.as_ref().unwrap_or(&Booked::New),
            );
            if booked == Some(Booked::Already) {
                format!("{said}.")
            } else {
                format!("{said} (u undoes).")
            }
        }
        Prepare::UnbookFostering { child } => format!(
            "{} no longer booked to a Fostering Panel (u undoes).",
            app.child_label(child)
        ),
    };
    // The highlight follows a child moved up or down.
    if let Prepare::Agenda {
        change: AgendaChange::Move { to, .. },
        ..
    } = &prepare
    {
        app.screens.agenda_builder.cursor = to.saturating_sub(1);
    }
    if moved_app {
        let now_on = app
            .data
            .meeting
            .as_ref()
            .map_or("no meeting".to_owned(), super::view::meeting_when);
        text.push_str(&format!(" The app is now on the meeting of {now_on}."));
    }
    super::screens::agenda_builder::keep_cursor_in_range(app);
    app.notify(NoticeKind::Info, text);
}

/// The Preparation screens' own messages (their keys in `keymap`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrepMsg {
    /// Meetings: plan a year's meetings from the terms' cadence.
    PlanYear,
    /// Meetings: add an extra sitting.
    AddSitting,
    /// Meetings: move the highlighted meeting (asks the day and why).
    MoveMeeting,
    /// Meetings: cancel the highlighted meeting (asks why).
    CancelMeeting,
    /// Meetings: build the highlighted meeting's agenda.
    OpenBuilder,
    /// Referrals: record a new referral.
    NewReferral,
    /// Referrals: accept the highlighted referral (asks for which meeting).
    AcceptReferral,
    /// Referrals: decline the highlighted referral (asks why).
    DeclineReferral,
    /// Agenda builder: build (or build again) the agenda.
    Build,
    /// Agenda builder: pin or unpin the highlighted child.
    TogglePin,
    /// Agenda builder: add a child by hand (asks who and why).
    AddChild,
    /// Agenda builder: take the highlighted child off (asks why).
    RemoveChild,
    /// Agenda builder: the highlighted child one place up or down.
    MoveUp,
    MoveDown,
    /// Agenda builder: publish the agenda.
    Publish,
    /// Fostering Panel: record a sitting and its slots.
    AddFosteringPanel,
    /// Fostering Panel: change the highlighted sitting's slots.
    FosteringSlots,
    /// Fostering Panel: book a child to the highlighted sitting.
    BookFostering,
    /// Fostering Panel: take a child's booking off the highlighted sitting.
    UnbookFostering,
    /// Fostering Panel: remove the highlighted sitting (none booked).
    RemoveFosteringPanel,
}
