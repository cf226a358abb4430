//! Undo and redo, the closed-day deadline advice, projector mode and the
//! themes, driven through the keymap, `update` and `apply` against an
//! in-memory store, with the database read back after every step. The
//! panel and the children are synthetic.

use crate::common::history::insert_history;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use permanence_panel::model::*;
use permanence_panel::rules::testkit::child_with_id;
use permanence_panel::store::Store;
use permanence_panel::tui::theme::ThemeName;
use permanence_panel::tui::{App, MeetingData, Screen, apply, message_for, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%d/%m/%Y").unwrap()
}

fn at(h: u32, m: u32) -> NaiveDateTime {
    day("27/11/2026").and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap())
}

const CHILD: &str = "C000201";
const OTHER_CHILD: &str = "C000202";

struct Meeting {
    store: Store,
    app: App,
    meeting: Id,
    at: NaiveDateTime,
}

impl Meeting {
    /// Wiltshire's roles as members, one meeting on 27/11/2026 with two
    /// synthetic children on its agenda.
    fn new() -> Meeting {
        let crate::common::panel::Panel {
            mut store,
            terms,
            meeting,
        } = crate::common::panel::panel("wiltshire");
        {
            let mut import = store.begin_extract_import().unwrap();
            for (id, dob) in [(CHILD, "14/03/2015"), (OTHER_CHILD, "02/09/2019")] {
                let record = child_with_id(id, dob)
                    .ep("01/02/2021  S  C2  U4  PR4  open")
                    .build();
                insert_history(&mut import, &record);
            }
            import.finish(at(9, 0), &[]).unwrap();
        }
        // A made-up name for one child, so projector mode has one to hide.
        let name = permanence_panel::store::ChildName::from_full_name("Amber Birch").unwrap();
        store
            .set_child_names(&[(CHILD.into(), name)], "synthetic", at(9, 0))
            .unwrap();
        let reason = |r: &str| vec![r.to_owned()];
        store
            .set_agenda(
                meeting,
                &[
                    (
                        CHILD.into(),
                        "foster-12m".into(),
                        reason("In the same foster placement for 12 months."),
                    ),
                    (
                        OTHER_CHILD.into(),
                        "foster-12m".into(),
                        reason("In the same foster placement for 12 months."),
                    ),
                ],
                at(9, 0),
            )
            .unwrap();
        let data = MeetingData::load_next(&store, day("27/11/2026")).unwrap();
        let app = App::new(terms, data, day("27/11/2026"));
        Meeting {
            store,
            app,
            meeting,
            at: at(9, 45),
        }
    }

    fn press(&mut self, event: KeyEvent) {
        if let Some(msg) = message_for(&self.app, event) {
            let effects = update(&mut self.app, msg);
            apply(effects, &mut self.store, &mut self.app, self.at);
        }
        // Each key a minute later, so restored times are told apart.
        self.at += chrono::Duration::minutes(1);
    }

    fn key(&mut self, code: KeyCode) {
        self.press(KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn char(&mut self, c: char) {
        self.key(KeyCode::Char(c));
    }

    fn typ(&mut self, text: &str) {
        for c in text.chars() {
            self.char(c);
        }
    }

    fn undo(&mut self) {
        self.char('u');
    }

    fn redo(&mut self) {
        self.press(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    }

    fn notice(&self) -> String {
        self.app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default()
    }

    fn attendance(&self, member: Id) -> Option<Attendance> {
        self.store
            .attendance(self.meeting)
            .unwrap()
            .into_iter()
            .find(|a| a.member == member)
    }

    fn decision(&self, child: &str) -> Option<String> {
        self.store
            .decisions(self.meeting)
            .unwrap()
            .into_iter()
            .find(|d| d.child == child)
            .map(|d| d.text)
    }

    fn actions(&self) -> Vec<Action> {
        self.store.actions_for_child(CHILD).unwrap()
    }

    fn carried_over(&self) -> bool {
        self.store
            .carry_overs()
            .unwrap()
            .iter()
            .any(|c| c.meeting == self.meeting && c.child == CHILD)
    }

    fn audit_len(&self) -> usize {
        self.store.audit_entries().unwrap().len()
    }

    /// Opens the card of the first child and adds an action to it.
    fn add_action(&mut self, text: &str, deadline: &str) {
        self.char('g');
        self.key(KeyCode::Enter);
        self.char('a');
        self.typ(text);
        self.key(KeyCode::Tab);
        self.typ("Team Manager");
        self.key(KeyCode::Tab);
        self.typ(deadline);
        self.key(KeyCode::Enter);
    }

    /// Adds another action on the action form already open.
    fn add_action_after(&mut self, text: &str, owner: &str, deadline: &str) {
        self.typ(text);
        self.key(KeyCode::Tab);
        self.typ(owner);
        self.key(KeyCode::Tab);
        self.typ(deadline);
        self.key(KeyCode::Enter);
    }

    fn buffer(&self, width: u16, height: u16) -> Buffer {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| view(&self.app, frame)).unwrap();
        terminal.backend().buffer().clone()
    }

    fn render(&self, width: u16, height: u16) -> String {
        let buffer = self.buffer(width, height);
        (0..height)
            .map(|y| {
                let line: String = (0..width).map(|x| buffer[(x, y)].symbol()).collect();
                format!("{}\n", line.trim_end())
            })
            .collect()
    }

    /// The screen as runs of one style: `[fg bg modifiers] text` per run,
    /// blank runs left out, so a snapshot keeps the colours.
    fn render_styled(&self, width: u16, height: u16) -> String {
        let buffer = self.buffer(width, height);
        let mut out = String::new();
        for y in 0..height {
            let mut runs: Vec<(String, String)> = Vec::new();
            for x in 0..width {
                let cell = &buffer[(x, y)];
                let style = format!("{:?} {:?} {:?}", cell.fg, cell.bg, cell.modifier);
                match runs.last_mut() {
                    Some((s, text)) if *s == style => text.push_str(cell.symbol()),
                    _ => runs.push((style, cell.symbol().to_owned())),
                }
            }
            let shown: Vec<String> = runs
                .into_iter()
                .filter(|(_, text)| !text.trim().is_empty())
                .map(|(style, text)| format!("[{style}] {}", text.trim()))
                .collect();
            out.push_str(&shown.join(" | "));
            out.push('\n');
        }
        out
    }
}

#[test]
fn a_roll_call_mark_is_undone_and_redone_in_the_database() {
    let mut m = Meeting::new();
    let member = m.app.data.members[0].id;
    let title = m.app.data.members[0].job_title.clone();
    m.char('r');
    m.char('p');
    let present = m.attendance(member).expect("marked");
    assert_eq!(present.state, AttendanceState::Present);
    m.undo();
    assert_eq!(m.attendance(member), None, "back to not marked");
    assert_eq!(m.notice(), format!("Undone: {title} not marked"));
    m.redo();
    assert_eq!(m.attendance(member), Some(present.clone()));
    assert_eq!(m.notice(), format!("Redone: {title} present"));

    // Present, then left: undoing the departure keeps the arrival time.
    m.key(KeyCode::Up);
    m.char('x');
    let left = m.attendance(member).unwrap();
    assert_eq!(
        (left.state, left.arrived.is_some(), left.departed.is_some()),
        (AttendanceState::Absent, true, true)
    );
    m.undo();
    assert_eq!(m.attendance(member), Some(present));
    // The app's copy follows the database.
    assert_eq!(m.app.attendance_state(member), AttendanceState::Present);
}

#[test]
fn a_decision_is_withdrawn_restored_and_recorded_again() {
    let mut m = Meeting::new();
    m.char('g');
    m.key(KeyCode::Enter);
    m.char('d');
    m.typ("Plan for SGO with the maternal aunt");
    m.key(KeyCode::Enter);
    assert_eq!(
        m.decision(CHILD).as_deref(),
        Some("Plan for SGO with the maternal aunt")
    );
    // Amended.
    m.char('d');
    m.typ(", assessment by January");
    m.key(KeyCode::Enter);
    let amended = "Plan for SGO with the maternal aunt, assessment by January";
    assert_eq!(m.decision(CHILD).as_deref(), Some(amended));
    m.undo();
    assert_eq!(
        m.decision(CHILD).as_deref(),
        Some("Plan for SGO with the maternal aunt")
    );
    assert_eq!(
        m.notice(),
        format!("Undone: decision on {CHILD} back to its earlier text")
    );
    m.undo();
    assert_eq!(m.decision(CHILD), None);
    assert_eq!(m.notice(), format!("Undone: decision on {CHILD} removed"));
    m.redo();
    m.redo();
    assert_eq!(m.decision(CHILD).as_deref(), Some(amended));
    assert_eq!(m.app.saved_decision(CHILD), amended);
}

#[test]
fn an_action_added_by_mistake_is_removed_and_can_be_added_again() {
    let mut m = Meeting::new();
    m.add_action("Book SGO assessment", "18/12/2026");
    assert_eq!(m.actions().len(), 1);
    let added = m.actions().remove(0);
    m.key(KeyCode::Esc);
    m.undo();
    assert!(m.actions().is_empty(), "removed from the database");
    assert_eq!(m.notice(), "Undone: action 'Book SGO assessment' removed");
    assert!(m.app.data.actions_for(CHILD).is_empty());
    m.redo();
    let actions = m.actions();
    assert_eq!(actions.len(), 1);
    assert_eq!(
        (actions[0].text.as_str(), actions[0].deadline),
        ("Book SGO assessment", day("18/12/2026"))
    );
    // The redo brings back the same action under the same id.
    assert_eq!(actions[0], added);
    m.undo();
    assert!(m.actions().is_empty());
}

#[test]
fn a_decision_undone_and_redone_keeps_its_id_and_the_next_takes_a_new_one() {
    let mut m = Meeting::new();
    m.char('g');
    m.key(KeyCode::Enter);
    m.char('d');
    m.typ("Plan endorsed");
    m.key(KeyCode::Enter);
    let id_of = |m: &Meeting, child: &str| {
        m.store
            .decisions(m.meeting)
            .unwrap()
            .into_iter()
            .find(|d| d.child == child)
            .map(|d| d.id)
    };
    let first = id_of(&m, CHILD).expect("recorded");
    m.undo();
    assert_eq!(id_of(&m, CHILD), None);
    m.redo();
    assert_eq!(
        id_of(&m, CHILD),
        Some(first),
        "the redo brings back the same id"
    );
    m.undo();
    // The next child's decision takes a fresh id.
    m.char('n');
    m.char('d');
    m.typ("Adjourned to January");
    m.key(KeyCode::Enter);
    let next = id_of(&m, OTHER_CHILD).expect("recorded on the next child");
    assert!(next > first, "decision id {first} given again");
}

#[test]
fn marking_an_action_done_or_dropped_is_undone_to_open() {
    let mut m = Meeting::new();
    m.add_action("Book SGO assessment", "18/12/2026");
    m.key(KeyCode::Esc);
    m.char('l');
    m.char('x');
    assert_eq!(m.actions()[0].status, ActionStatus::Done);
    m.undo();
    assert_eq!(m.actions()[0].status, ActionStatus::Open);
    assert_eq!(m.notice(), "Undone: action 'Book SGO assessment' open");
    m.char('z');
    m.typ("Carer withdrew");
    m.key(KeyCode::Enter);
    let dropped = &m.actions()[0];
    assert_eq!(
        (dropped.status, dropped.status_reason.as_deref()),
        (ActionStatus::Dropped, Some("Carer withdrew"))
    );
    m.undo();
    let reopened = &m.actions()[0];
    assert_eq!(
        (reopened.status, reopened.status_reason.as_deref()),
        (ActionStatus::Open, None)
    );
    m.redo();
    let again = &m.actions()[0];
    assert_eq!(
        (again.status, again.status_reason.as_deref()),
        (ActionStatus::Dropped, Some("Carer withdrew"))
    );
}

#[test]
fn a_carry_over_is_withdrawn_and_made_again() {
    let mut m = Meeting::new();
    m.char('g');
    m.key(KeyCode::Enter);
    m.char('o');
    assert!(m.carried_over());
    m.undo();
    assert!(!m.carried_over());
    assert_eq!(
        m.notice(),
        format!("Undone: {CHILD} no longer carried over")
    );
    assert!(!m.app.data.carried_over.contains(CHILD));
    m.redo();
    assert!(m.carried_over());
}

#[test]
fn every_undo_and_redo_is_audited_and_the_chain_still_verifies() {
    let mut m = Meeting::new();
    m.char('r');
    m.char('p');
    let after_mark = m.audit_len();
    m.undo();
    assert_eq!(m.audit_len(), after_mark + 1);
    m.redo();
    assert_eq!(m.audit_len(), after_mark + 2);
    let verification = m.store.verify_audit().unwrap();
    assert!(
        format!("{verification:?}").contains("findings: []"),
        "{verification:?}"
    );
}

#[test]
fn a_new_change_after_an_undo_leaves_nothing_to_redo() {
    let mut m = Meeting::new();
    let first = m.app.data.members[0].id;
    m.char('r');
    m.char('p');
    m.undo();
    m.char('a'); // the second row sends apologies
    m.redo();
    assert_eq!(m.notice(), "Nothing to redo.");
    assert_eq!(m.attendance(first), None);
    // And past the first change of the session there is nothing to undo.
    m.undo();
    m.undo();
    assert_eq!(m.notice(), "Nothing to undo in this session.");
}

#[test]
fn moving_between_children_is_not_undone() {
    let mut m = Meeting::new();
    m.char('g');
    m.key(KeyCode::Enter);
    m.char('n');
    assert_eq!(m.app.current, 1);
    m.undo();
    assert_eq!(m.app.current, 1);
    assert_eq!(m.notice(), "Nothing to undo in this session.");
}

#[test]
fn a_deadline_on_a_bank_holiday_is_said_in_the_form_and_alt_w_moves_it() {
    let mut m = Meeting::new();
    m.char('g');
    m.key(KeyCode::Enter);
    m.char('a');
    m.typ("Book SGO assessment");
    m.key(KeyCode::Tab);
    m.typ("Team Manager");
    m.key(KeyCode::Tab);
    m.typ("25/12/2026");
    let screen = m.render(100, 30);
    assert!(
        screen.contains("25/12/2026 is a bank holiday: Alt+W moves it to Thu 24/12/2026"),
        "said as it is typed, before any save\n{screen}"
    );
    m.press(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::ALT));
    assert_eq!(
        m.app.screens.actions.forms[CHILD].deadline.text(),
        "24/12/2026"
    );
    assert_eq!(
        m.notice(),
        "Deadline moved from 25/12/2026 (a bank holiday) to 24/12/2026."
    );
    assert!(m.actions().is_empty(), "Alt+W saves nothing");
    m.key(KeyCode::Enter);
    let actions = m.actions();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].deadline, day("24/12/2026"));
}

/// The room's case: an action due on a bank holiday saved with Enter and
/// the next action typed straight after. Nothing asks in between, so no
/// key of the next action is taken as an answer.
#[test]
fn a_closed_day_kept_as_typed_never_swallows_the_next_actions_keys() {
    let mut m = Meeting::new();
    m.add_action("Visit the carers", "25/12/2026");
    assert_eq!(
        m.notice(),
        "Action saved: Team Manager, due 25/12/2026 (a bank holiday)."
    );
    // Straight on with the next action: every key lands in the form.
    m.typ("Present long-term match to fostering panel");
    m.key(KeyCode::Tab);
    m.typ("Team Manager");
    m.key(KeyCode::Tab);
    m.typ("05/12/2026");
    assert!(
        m.render(100, 30)
            .contains("05/12/2026 is a Saturday: Alt+W moves it to Fri 04/12/2026")
    );
    m.key(KeyCode::Enter);
    let mut saved = m.actions();
    saved.sort_by_key(|a| a.id);
    let texts: Vec<(String, NaiveDate)> = saved.into_iter().map(|a| (a.text, a.deadline)).collect();
    assert_eq!(
        texts,
        [
            ("Visit the carers".to_owned(), day("25/12/2026")),
            (
                "Present long-term match to fostering panel".to_owned(),
                day("05/12/2026")
            ),
        ]
    );
}

#[test]
fn projector_mode_says_so_and_shows_the_child_by_initials_and_id() {
    let mut m = Meeting::new();
    m.char('g');
    m.key(KeyCode::Enter);
    let own_screen = m.render(80, 24);
    assert!(
        own_screen.contains(&format!("Amber Birch {CHILD}")),
        "{own_screen}"
    );
    m.key(KeyCode::F(5));
    assert!(m.app.projector);
    let screen = m.render(80, 24);
    assert!(screen.contains("· PROJECTOR"), "{screen}");
    assert!(screen.contains(&format!("AB {CHILD}")), "{screen}");
    assert!(
        !screen.contains("Amber"),
        "the full name reached the projector: {screen}"
    );
    insta::assert_snapshot!("projector_card_80x24", screen);
    m.key(KeyCode::F(5));
    assert!(!m.render(80, 24).contains("PROJECTOR"));
}

#[test]
fn high_contrast_draws_on_black_and_warns_in_reverse_yellow() {
    let mut m = Meeting::new();
    m.char('t');
    assert_eq!(m.app.theme, ThemeName::HighContrast);
    let buffer = m.buffer(80, 24);
    // Every cell on black ground, so a washed-out projector keeps contrast.
    for y in 0..24 {
        for x in 0..80 {
            let cell = &buffer[(x, y)];
            assert_ne!(cell.bg, Color::Reset, "cell {x},{y} has no ground");
        }
    }
    let styled = m.render_styled(80, 24);
    assert!(
        styled.contains("[Black LightYellow BOLD] NOT QUORATE"),
        "{styled}"
    );
    insta::assert_snapshot!("high_contrast_home_80x24", styled);
    m.char('t');
    assert_eq!(m.app.theme, ThemeName::Default);
}

#[test]
fn no_color_draws_no_colour_in_high_contrast_either() {
    let mut m = Meeting::new();
    m.app.no_color = true;
    m.app.theme = ThemeName::HighContrast;
    let buffer = m.buffer(80, 24);
    for cell in buffer.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
    }
}

#[test]
fn the_default_theme_warns_without_red_or_green() {
    let m = Meeting::new();
    let buffer = m.buffer(80, 24);
    for cell in buffer.content() {
        for colour in [Color::Red, Color::Green, Color::LightRed, Color::LightGreen] {
            assert_ne!(cell.fg, colour);
            assert_ne!(cell.bg, colour);
        }
    }
}

#[test]
fn every_footer_fits_eighty_columns() {
    let mut m = Meeting::new();
    let check = |m: &Meeting| {
        let footer = permanence_panel::tui::keymap::footer(&m.app);
        assert!(
            footer.chars().count() <= 80,
            "{} chars: {footer}",
            footer.chars().count()
        );
    };
    for key in ['r', 'g', 'm', 'l', 'h'] {
        m.char(key);
        check(&m);
    }
    m.char('g');
    m.key(KeyCode::Enter);
    check(&m);
    m.char('a');
    check(&m);
}

#[test]
fn a_read_only_window_undoes_nothing() {
    let mut m = Meeting::new();
    let member = m.app.data.members[0].id;
    m.char('r');
    m.char('p');
    m.app.read_only = true;
    let audit = m.audit_len();
    m.undo();
    assert_eq!(m.notice(), "This window is read-only: nothing to undo.");
    assert_eq!(m.audit_len(), audit);
    assert!(m.attendance(member).is_some());
}

#[test]
fn a_private_note_is_saved_shown_to_the_administrator_and_never_projected() {
    let mut m = Meeting::new();
    m.char('g');
    m.key(KeyCode::Enter);
    m.char('e');
    assert_eq!(m.app.screen, Screen::Note);
    m.typ("Ask the SW about contact quietly");
    m.key(KeyCode::Enter);
    assert_eq!(
        m.store
            .admin_notes(m.meeting)
            .unwrap()
            .get(CHILD)
            .map(String::as_str),
        Some("Ask the SW about contact quietly")
    );
    assert!(
        m.store
            .audit_entries()
            .unwrap()
            .iter()
            .any(|e| e.entity == "admin-note" && e.child.as_deref() == Some(CHILD)),
        "audited"
    );
    assert!(
        m.render(80, 24)
            .contains("Private note  Ask the SW about contact")
    );

    // On a projector, and in the presenter view, it is gone.
    m.key(KeyCode::F(5));
    let projected = m.render(80, 24);
    assert!(!projected.contains("contact quietly"), "{projected}");
    m.char('e');
    assert_eq!(m.app.screen, Screen::Card, "the note does not open");
    assert!(m.notice().starts_with("Projector mode is on"));
    m.key(KeyCode::F(5));
    m.app.presenter = true;
    assert!(!m.render(80, 24).contains("contact quietly"));
    m.app.presenter = false;

    // Turning the projector on while the note is open leaves the note.
    m.char('e');
    m.key(KeyCode::F(5));
    assert_eq!(m.app.screen, Screen::Card);
    assert!(!m.render(120, 40).contains("contact quietly"));
    m.key(KeyCode::F(5));

    // A blank note removes it.
    m.char('e');
    for _ in 0.."Ask the SW about contact quietly".len() {
        m.key(KeyCode::Backspace);
    }
    m.key(KeyCode::Enter);
    assert!(m.store.admin_notes(m.meeting).unwrap().is_empty());
    assert_eq!(m.notice(), "Private note removed.");
}

#[test]
fn the_retention_purge_removes_a_leavers_private_notes() {
    let mut store = Store::open_in_memory().unwrap();
    let meeting = store
        .add_meeting(
            day("27/11/2026"),
            at(9, 30).time(),
            at(13, 0).time(),
            at(9, 0),
        )
        .unwrap();
    {
        let mut import = store.begin_extract_import().unwrap();
        let record = child_with_id("C000301", "01/01/2005")
            .ep("01/02/2015  S  C2  U4  PR4  01/01/2023  X1")
            .build();
        insert_history(&mut import, &record);
        import.finish(at(9, 0), &[]).unwrap();
    }
    store
        .set_admin_note(meeting, "C000301", "Check the leaving-care plan", at(9, 50))
        .unwrap();
    assert_eq!(store.admin_notes(meeting).unwrap().len(), 1);
    let leavers = store.leavers_before(day("01/01/2024")).unwrap();
    assert_eq!(leavers.len(), 1);
    store.purge(&leavers, at(10, 0)).unwrap();
    assert!(store.admin_notes(meeting).unwrap().is_empty());
}

#[test]
fn a_private_note_is_undone_and_redone_in_the_database() {
    let mut m = Meeting::new();
    let note = |m: &Meeting| m.store.admin_notes(m.meeting).unwrap().get(CHILD).cloned();
    m.char('g');
    m.key(KeyCode::Enter);
    m.char('e');
    m.typ("Contact worry");
    m.key(KeyCode::Enter);
    assert_eq!(note(&m).as_deref(), Some("Contact worry"));
    m.undo();
    assert_eq!(note(&m), None);
    assert_eq!(
        m.notice(),
        format!("Undone: private note on {CHILD} removed")
    );
    m.redo();
    assert_eq!(note(&m).as_deref(), Some("Contact worry"));
    assert_eq!(
        m.app.data.admin_notes.get(CHILD).map(String::as_str),
        Some("Contact worry")
    );
}

#[test]
fn undoing_a_decision_keeps_a_draft_being_typed_for_that_child() {
    let mut m = Meeting::new();
    m.char('g');
    m.key(KeyCode::Enter);
    m.char('d');
    m.typ("Long-term fostering");
    m.key(KeyCode::Enter);
    // Amending, then stepping away: the draft is kept, unsaved.
    m.char('d');
    m.typ(" with the current carers");
    m.key(KeyCode::Esc);
    m.undo();
    assert_eq!(m.decision(CHILD), None);
    assert_eq!(
        m.app.screens.decision.drafts[CHILD].text(),
        "Long-term fostering with the current carers"
    );
}

/// Issue 16: after an undo, the next action took the undone one's id. An
/// id names one action for ever (the minutes, exports and audit use it).
#[test]
fn an_undone_actions_id_is_never_given_to_another() {
    let mut m = Meeting::new();
    m.add_action("Book SGO assessment", "18/12/2026");
    let first = m.actions()[0].id;
    m.key(KeyCode::Esc);
    m.char('u');
    assert!(m.actions().is_empty(), "{}", m.notice());
    m.char('a');
    m.typ("Visit the carers");
    m.key(KeyCode::Tab);
    m.typ("Team Manager");
    m.key(KeyCode::Tab);
    m.typ("18/12/2026");
    m.key(KeyCode::Enter);
    let second = m.actions()[0].id;
    assert!(second > first, "{second} reuses {first}");
    // Undone and redone, the second comes back under its own id.
    m.key(KeyCode::Esc);
    m.char('u');
    m.press(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    let ids: Vec<Id> = m.actions().iter().map(|a| a.id).collect();
    assert_eq!(ids, vec![second]);
    // Every audit entry under the undone id is about the undone action.
    let about_first: Vec<String> = m
        .store
        .audit_entries()
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "action" && e.entity_id == first.to_string())
        .map(|e| e.change)
        .collect();
    assert_eq!(about_first.len(), 2, "added and deleted: {about_first:?}");
    assert!(about_first.iter().all(|c| !c.contains("Visit the carers")));
}

/// Issue 16: a saved action could not be corrected, only undone if it was
/// the last change or dropped. `e` on the action list opens it; Enter saves
/// the correction (audited with the old text), `u` undoes it.
#[test]
fn a_saved_action_is_corrected_audited_and_undone() {
    let mut m = Meeting::new();
    m.add_action("Book SGO asessment", "18/12/2026");
    m.add_action_after("Visit the carers", "Team Manager", "11/12/2026");
    m.key(KeyCode::Esc);
    m.key(KeyCode::Esc);
    m.char('l');
    // Soonest first: the visit, then the booking.
    m.key(KeyCode::Down);
    m.char('e');
    assert_eq!(m.app.screen, Screen::Actions);
    let screen = m.render(100, 30);
    assert!(screen.contains("Correct action 1 for"), "{screen}");
    m.key(KeyCode::Home);
    m.press(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    m.typ("Book SGO assessment");
    m.key(KeyCode::Tab);
    m.key(KeyCode::Tab);
    m.press(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    m.typ("4 weeks");
    m.key(KeyCode::Enter);
    assert_eq!(m.app.screen, Screen::ActionList, "{}", m.notice());
    let corrected = m.actions().into_iter().find(|a| a.id == 1).unwrap();
    assert_eq!(
        (corrected.text.as_str(), corrected.deadline),
        ("Book SGO assessment", day("25/12/2026"))
    );
    assert_eq!(m.actions().len(), 2, "corrected, not added");
    let audit = m.store.audit_entries().unwrap();
    let last = audit.last().unwrap();
    assert!(
        last.change.contains("\"correction\"") && last.change.contains("Book SGO asessment"),
        "{}",
        last.change
    );
    m.char('u');
    let back = m.actions().into_iter().find(|a| a.id == 1).unwrap();
    assert_eq!(
        (back.text.as_str(), back.deadline),
        ("Book SGO asessment", day("18/12/2026"))
    );
    // Esc leaves a correction unsaved.
    m.char('e');
    m.typ(" more");
    m.key(KeyCode::Esc);
    assert_eq!(m.app.screen, Screen::ActionList);
    assert!(m.app.screens.actions.correcting.is_none());
    assert!(m.actions().iter().all(|a| !a.text.ends_with(" more")));
}

/// Issue 16: `/` found children by id only. A name the panel holds finds
/// them too; a child of the panel not on this agenda is named as such.
#[test]
fn slash_finds_a_child_by_name_and_says_when_they_are_not_on_this_agenda() {
    let mut m = Meeting::new();
    let name = permanence_panel::store::ChildName::from_full_name("Cedar Jones").unwrap();
    m.store
        .set_child_names(&[("C000299".into(), name)], "synthetic", at(9, 0))
        .unwrap();
    m.app.data = MeetingData::load_next(&m.store, day("27/11/2026")).unwrap();
    m.char('g');
    m.char('/');
    m.typ("amb bir");
    m.key(KeyCode::Enter);
    assert_eq!(m.app.screen, Screen::Card);
    assert_eq!(m.app.current_item().unwrap().child, CHILD);
    // A name the panel holds for a child not on this agenda (and in no
    // return): the card opens read-only and says so.
    m.char('/');
    m.typ("cedar");
    m.key(KeyCode::Enter);
    assert_eq!(m.app.screen, Screen::Visit);
    let screen = m.render(120, 40);
    assert!(
        screen.contains("Child Cedar Jones C000299  (not on this meeting's agenda)"),
        "{screen}"
    );
    assert!(
        screen.contains("not in the latest SSDA903 import"),
        "{screen}"
    );
    assert_eq!(m.app.current_item().unwrap().child, CHILD, "nothing moved");
    // Esc goes back to the card it came from.
    m.key(KeyCode::Esc);
    assert_eq!(m.app.screen, Screen::Card);
    assert_eq!(m.app.current_item().unwrap().child, CHILD);
    // Nobody of the panel matches: said, and nothing opens.
    m.char('/');
    m.typ("zz9");
    m.key(KeyCode::Enter);
    assert_eq!(m.notice(), "Child: no child of the panel matches 'zz9'.");
}

/// Issue 16: `/` finds any child of the panel by id, not only this agenda's.
/// Their card is read-only: the keys that would minute something for them
/// at this meeting say why they do nothing, and nothing is written; the
/// footer says why; Esc returns to where the chair was.
#[test]
fn slash_opens_a_child_not_on_the_agenda_read_only_and_esc_returns() {
    let mut m = Meeting::new();
    {
        let mut import = m.store.begin_extract_import().unwrap();
        for (id, dob) in [
            (CHILD, "14/03/2015"),
            (OTHER_CHILD, "02/09/2019"),
            ("C000377", "05/05/2012"),
        ] {
            let record = child_with_id(id, dob)
                .ep("01/02/2021  S  C2  U4  PR4  open")
                .build();
            insert_history(&mut import, &record);
        }
        import.finish(at(9, 0), &[]).unwrap();
    }
    m.app.data = MeetingData::load_next(&m.store, day("27/11/2026")).unwrap();
    m.char('g');
    m.char('n'); // the second child of the agenda
    let audit_before = m.audit_len();
    m.char('/');
    m.typ("c000377");
    m.key(KeyCode::Enter);
    assert_eq!(m.app.screen, Screen::Visit);
    let screen = m.render(80, 24);
    assert!(
        screen.contains("C000377  (not on this meeting's agenda)"),
        "{screen}"
    );
    assert!(
        screen.contains("14 years"),
        "age at the meeting's date: {screen}"
    );
    assert!(
        screen.contains("d/a/o: not on this meeting's agenda"),
        "{screen}"
    );
    assert!(!screen.contains("Decision"), "no decision line: {screen}");
    for key in ['d', 'a', 'o'] {
        m.char(key);
        assert_eq!(m.app.screen, Screen::Visit);
        assert_eq!(
            m.notice(),
            "C000377 is not on this meeting's agenda: no decision, actions or carry-over here. Esc goes back."
        );
    }
    assert_eq!(m.audit_len(), audit_before, "nothing written");
    assert!(m.store.actions_for_child("C000377").unwrap().is_empty());
    m.key(KeyCode::Esc);
    assert_eq!(m.app.screen, Screen::Agenda, "back where the chair was");
    assert_eq!(m.app.current_item().unwrap().child, OTHER_CHILD);
}

/// The meeting of 27/11/2026 minuted the next morning: the app's day and
/// clock are 28/11/2026.
fn the_day_after() -> Meeting {
    let mut m = Meeting::new();
    m.app.today = day("28/11/2026");
    m.at = day("28/11/2026").and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap());
    m
}

fn hm(h: u32, min: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, min, 0).unwrap()
}

/// Issue 16: typed up the day after, an arrival is the meeting's start and
/// a departure the time typed (asked on the roll call), so the minutes never
/// print the clock of the day of typing; coming back asks the time too.
#[test]
fn a_departure_typed_the_day_after_is_the_time_typed_not_the_clock() {
    let mut m = the_day_after();
    let start = m.app.data.meeting.as_ref().unwrap().start;
    m.char('r');
    m.char('p');
    let member = m.app.data.members[0].id;
    let stretches = |m: &Meeting| {
        m.attendance(member)
            .map(|a| {
                a.intervals
                    .iter()
                    .map(|i| (i.arrived, i.left))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        stretches(&m),
        vec![(start, None)],
        "arrived at the meeting's start"
    );
    // Leaving: the time is asked, not taken from the clock (10:00 the day after).
    m.char('k');
    m.char('x');
    assert_eq!(m.app.screen, Screen::AttendanceTime);
    assert!(
        m.render(80, 24).contains("left on 27/11/2026"),
        "{}",
        m.render(80, 24)
    );
    m.typ("9:10");
    m.key(KeyCode::Enter);
    assert_eq!(
        m.notice(),
        "Not saved: 09:10 is before they arrived (09:30); type a later time"
    );
    assert_eq!(
        m.app.screen,
        Screen::AttendanceTime,
        "the time typed is kept"
    );
    m.press(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    m.typ("quarter to");
    m.key(KeyCode::Enter);
    assert_eq!(
        m.notice(),
        "Time: 'quarter to' is not a time; expected HH:MM, e.g. 11:40."
    );
    m.press(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    m.typ("11:40");
    m.key(KeyCode::Enter);
    assert_eq!(m.app.screen, Screen::RollCall);
    assert_eq!(m.notice(), "Left at 11:40: recorded.");
    assert_eq!(stretches(&m), vec![(start, Some(hm(11, 40)))]);
    // Coming back needs a time: Enter alone is refused.
    m.char('k');
    m.char('p');
    assert_eq!(m.app.screen, Screen::AttendanceTime);
    m.key(KeyCode::Enter);
    assert_eq!(
        m.notice(),
        "Time: type the time they came back, as hh:mm (e.g. 11:40)."
    );
    m.typ("12:05");
    m.key(KeyCode::Enter);
    assert_eq!(
        stretches(&m),
        vec![(start, Some(hm(11, 40))), (hm(12, 5), None)]
    );
    // The minutes print the times typed.
    let meeting = m.app.data.meeting.clone().unwrap();
    let md =
        permanence_panel::export::minutes_md::render(&m.store, &m.app.terms, &meeting).unwrap();
    assert!(md.contains("11:40") && md.contains("12:05"), "{md}");
    assert!(!md.contains("10:0"), "the clock of the day after: {md}");
}

/// The choice made for Enter alone when a departure is asked the day after:
/// the meeting's end (as before the question was asked), said on screen.
#[test]
fn an_empty_departure_time_on_another_day_means_the_meetings_end() {
    let mut m = the_day_after();
    let meeting = m.app.data.meeting.clone().unwrap();
    m.char('r');
    m.char('p');
    let member = m.app.data.members[0].id;
    m.char('k');
    m.char('x');
    assert!(
        m.render(120, 40)
            .contains("Enter alone: the meeting's end, 13:00"),
        "{}",
        m.render(120, 40)
    );
    m.key(KeyCode::Enter);
    assert_eq!(m.notice(), "Left at the meeting's end: recorded.");
    let stored = m.attendance(member).unwrap();
    assert_eq!(stored.departed, Some(meeting.end));
    // Undone in one step, like any mark.
    m.undo();
    assert!(m.attendance(member).unwrap().state.is_present());
}

/// On the meeting's own day the clock is right: leaving asks nothing.
#[test]
fn on_the_meetings_day_leaving_takes_the_clock_without_asking() {
    let mut m = Meeting::new();
    m.char('r');
    m.char('p');
    let member = m.app.data.members[0].id;
    m.char('k');
    m.char('x');
    assert_eq!(m.app.screen, Screen::RollCall);
    let left = m.attendance(member).unwrap().departed;
    assert_eq!(left, Some(hm(9, 48)), "the clock of the key press");
}

/// Issue 16: the audit's actor from the app's settings. Initials set once
/// in the app (i on Home) are kept in this person's settings file and
/// carried by every audit entry written after; the next session reads them
/// from the file.
#[test]
fn an_audit_entry_written_after_setting_initials_carries_them() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.toml");
    let mut m = Meeting::new();
    m.app.settings_path = Some(settings.clone());
    let last_actor = |m: &Meeting| m.store.audit_entries().unwrap().pop().unwrap().actor;
    m.char('i');
    assert_eq!(m.app.screen, Screen::Initials);
    m.typ("Jane Bloggs");
    m.key(KeyCode::Enter);
    assert_eq!(
        m.notice(),
        "Initials: 'Jane Bloggs' is not initials; type 1 to 5 letters, e.g. JB."
    );
    m.press(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    m.typ("jb");
    m.key(KeyCode::Enter);
    assert_eq!(m.app.screen, Screen::Home);
    assert_eq!(
        m.notice(),
        "Changes you make are recorded as JB from now on."
    );
    m.char('r');
    m.char('p');
    assert_eq!(last_actor(&m), "JB");
    assert_eq!(
        permanence_panel::tui::settings::load(&settings)
            .unwrap()
            .initials
            .as_deref(),
        Some("JB")
    );
    // A new session on this computer reads them and records under them.
    let mut next = Meeting::new();
    permanence_panel::tui::use_settings(&mut next.store, &mut next.app, Some(settings));
    next.char('r');
    next.char('p');
    assert_eq!(last_actor(&next), "JB");
    // A session without them records the operating-system user as before.
    let mut other = Meeting::new();
    other.char('r');
    other.char('p');
    assert_ne!(last_actor(&other), "JB");
}

/// On the card, I opens the members in the room; Enter records the
/// highlighted one's declaration of an interest: the quorum line and the
/// decision then count without them, the next child's item with them, and
/// u takes the declaration back.
#[test]
fn a_declared_interest_on_the_card_withdraws_the_member_from_the_items_quorum() {
    let mut m = Meeting::new();
    // Head of Service, the three service managers and the team manager.
    m.char('r');
    m.typ("ppppp");
    m.char('g');
    m.key(KeyCode::Enter);
    assert_eq!(m.app.screen, Screen::Card);
    assert!(m.render(120, 40).contains(" Quorate: "));
    m.char('I');
    assert_eq!(m.app.screen, Screen::Interests);
    let chooser = m.render(80, 24);
    assert!(
        chooser.contains("Who declares an interest in C000201's item?"),
        "{chooser}"
    );
    assert!(
        chooser.contains("Kinship and Fostering Team Manager"),
        "{chooser}"
    );
    // The reviewing service's manager, third of those present.
    m.key(KeyCode::Down);
    m.key(KeyCode::Down);
    m.key(KeyCode::Enter);
    assert_eq!(m.app.screen, Screen::Card);
    let crs = m
        .app
        .data
        .members
        .iter()
        .find(|x| x.role == "service-manager-crs")
        .unwrap()
        .id;
    let held = m.store.interest_declarations(m.meeting).unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!((held[0].child.as_str(), held[0].member), (CHILD, crs));
    assert_eq!(
        m.notice(),
        "The Service Manager – Conference and Reviewing Service declared an interest and withdraws: not counted towards this item's quorum."
    );
    let card = m.render(120, 40);
    assert!(
        card.contains(
            "NOT QUORATE without the Service Manager – Conference and Reviewing Service, who declared an interest"
        ),
        "{card}"
    );
    // The decision on this child is taken without them.
    m.char('d');
    m.typ("Deferred.");
    m.key(KeyCode::Enter);
    let decision = m.store.decisions(m.meeting).unwrap().pop().unwrap();
    assert!(!decision.quorate);
    // The flag is the item's: the meeting itself is quorate.
    assert!(
        m.notice().contains("flagged: not quorate for this item"),
        "{}",
        m.notice()
    );
    assert!(
        decision.quorum.as_deref().unwrap().starts_with(
            "NOT QUORATE without the Service Manager – Conference and Reviewing Service"
        ),
        "{decision:?}"
    );
    // The next child's item counts everyone.
    m.char('n');
    let next = m.render(120, 40);
    assert!(
        next.contains(" Quorate: ") && !next.contains("declared"),
        "{next}"
    );
    m.char('p');
    // Undo the decision, then the declaration.
    m.undo();
    m.undo();
    assert!(m.store.interest_declarations(m.meeting).unwrap().is_empty());
    assert_eq!(
        m.notice(),
        format!(
            "Undone: the Service Manager – Conference and Reviewing Service's declaration of an interest in {CHILD}'s item taken back"
        )
    );
    assert!(m.render(120, 40).contains(" Quorate: "));
    m.redo();
    assert_eq!(m.store.interest_declarations(m.meeting).unwrap().len(), 1);
}
