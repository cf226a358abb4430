//! The terminal app without a terminal: key presses go through the keymap,
//! `update` and `apply` against an in-memory store; screens are rendered on
//! ratatui's TestBackend and compared with insta snapshots. The panel,
//! children and histories are synthetic and fixed; the clock is fixed.

use crate::common::history::insert_history;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use permanence_panel::clock::{Clock, FixedClock};
use permanence_panel::model::*;
use permanence_panel::rules::testkit::child_with_id;
use permanence_panel::store::{NewAction, NewMember, Store};
use permanence_panel::terms::Terms;
use permanence_panel::tui::{self, App, MeetingData, Screen, apply, message_for, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

/// Issue #8: palette, mouse, matters arising, every screen and binding.
mod complete;
/// Issue 17: the Fostering Panel's sittings and bookings from the app.
mod fostering;
/// Issue 23: outcomes, dissent and sign-off in the app.
mod outcomes;
/// Issue 22: papers, files and the return from the app.
mod papers_files_returns;
/// Issue 22: undo and redo of every Preparation change.
mod prep_undo;
/// Issue 22: the Preparation side (meetings, referrals, the agenda builder).
mod preparation;
/// Issue 16: the overlay stack, the navigation stack, the prompt.
mod stacks;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%d/%m/%Y").unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// The meeting's morning, a quarter of an hour in.
fn clock() -> FixedClock {
    FixedClock(day("27/11/2026").and_time(hm(9, 45)))
}

fn now() -> NaiveDateTime {
    clock().now()
}

/// The agenda children: ids and reasons as the cohort rules would list them.
const CHILDREN: [&str; 3] = ["C000101", "C000102", "C000103"];

/// A child in the returns who is on no agenda.
const NOT_ON_AGENDA: &str = "C000110";

struct Harness {
    store: Store,
    app: App,
    meeting: Id,
    /// The time effects are applied at (the meeting's clock).
    at: NaiveDateTime,
}

impl Harness {
    /// A panel of every role of the preset, one meeting on 27/11/2026 with
    /// three children on its agenda.
    fn new(preset: &str) -> Harness {
        let crate::common::panel::Panel {
            mut store,
            terms,
            meeting,
        } = crate::common::panel::panel(preset);
        {
            let mut import = store.begin_extract_import().unwrap();
            let c = CHILDREN;
            for record in [
                child_with_id(c[0], "14/03/2015")
                    .ep("01/01/2020  S  V2  U6  PR1  01/06/2020")
                    .ep("01/06/2020  L  C2  U6  PR1  01/02/2021")
                    .ep("01/02/2021  P  C2  U4  PR4  open")
                    .build(),
                child_with_id(c[1], "02/09/2019")
                    .ep("15/05/2023  S  C1  U3  PR1  01/12/2024")
                    .ep("01/12/2024  B  E1  A6  PR1  open")
                    .build(),
                child_with_id(c[2], "20/07/2010")
                    .ep("03/03/2021  S  V2  K2  PR4  open")
                    .build(),
                // A child of the panel not on this agenda (found with `/`).
                child_with_id(NOT_ON_AGENDA, "11/11/2013")
                    .ep("04/04/2022  S  C2  U4  PR4  open")
                    .build(),
            ] {
                insert_history(&mut import, &record);
            }
            import.finish(now(), &[]).unwrap();
        }
        store
            .set_agenda(
                meeting,
                &[
                    (
                        c(0),
                        "foster-12m".into(),
                        vec!["In the same foster placement for 12 months or more without a permanence plan agreed.".into()],
                    ),
                    (
                        c(1),
                        "placement-order-9m".into(),
                        vec![
                            "Placement order granted 01/12/2024, 11 months 26 days ago, and not yet matched.".into(),
                            "Carried over from the meeting of 30/10/2026.".into(),
                        ],
                    ),
                    (
                        c(2),
                        "external-residential-12m".into(),
                        vec!["In an external children's home since 03/03/2021.".into()],
                    ),
                ],
                now(),
            )
            .unwrap();
        Harness::open(store, terms, meeting)
    }

    /// The app opened on `store`'s next meeting at the fixed clock.
    fn open(store: Store, terms: Terms, meeting: Id) -> Harness {
        let data = MeetingData::load_next(&store, clock().today()).unwrap();
        // Tests never read NO_COLOR from the environment: each says what it wants.
        let app = App::new(terms, data, clock().today());
        Harness {
            store,
            app,
            meeting,
            at: now(),
        }
    }

    /// The meeting's data read again from the store, as after a write the
    /// app did not make (an import from the command line).
    fn reload(&mut self) {
        self.app.data = MeetingData::load_next(&self.store, clock().today()).unwrap();
    }

    /// The Wiltshire app opened afresh on the store, as after a restart.
    fn reopen(&mut self) {
        self.reopen_as("wiltshire");
    }

    /// The app opened afresh on the store under a preset's terms.
    fn reopen_as(&mut self, preset: &str) {
        self.app = App::new(
            Terms::load(preset).unwrap(),
            MeetingData::load_next(&self.store, clock().today()).unwrap(),
            clock().today(),
        );
    }

    fn press(&mut self, event: KeyEvent) {
        if let Some(msg) = message_for(&self.app, event) {
            let effects = update(&mut self.app, msg);
            apply(effects, &mut self.store, &mut self.app, self.at);
        }
    }

    fn key(&mut self, code: KeyCode) {
        self.press(KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn char(&mut self, c: char) {
        self.key(KeyCode::Char(c));
    }

    fn ctrl(&mut self, c: char) {
        self.press(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    }

    fn typ(&mut self, text: &str) {
        for c in text.chars() {
            self.char(c);
        }
    }

    /// A bracketed paste, as the terminal delivers it: one message.
    fn paste(&mut self, text: &str) {
        let effects = update(&mut self.app, tui::Msg::Paste(text.to_owned()));
        apply(effects, &mut self.store, &mut self.app, self.at);
    }

    fn notice(&self) -> String {
        self.app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default()
    }

    fn buffer(&self, width: u16, height: u16) -> Buffer {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| view(&self.app, frame)).unwrap();
        terminal.backend().buffer().clone()
    }

    /// The screen as text, one line per row, trailing blanks trimmed.
    fn render(&self, width: u16, height: u16) -> String {
        let buffer = self.buffer(width, height);
        let mut out = String::new();
        for y in 0..height {
            let mut line = String::new();
            for x in 0..width {
                line.push_str(buffer[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// Marks the members on these rows of the roll call present.
    fn mark_present(&mut self, rows: &[usize]) {
        if self.app.screen != Screen::RollCall {
            self.char('r');
        }
        for &row in rows {
            // Back to the top, then down to the row.
            for _ in 0..self.app.data.members.len() {
                self.key(KeyCode::Up);
            }
            for _ in 0..row {
                self.key(KeyCode::Down);
            }
            self.char('p');
        }
    }
}

fn c(i: usize) -> String {
    CHILDREN[i].to_owned()
}

/// The Wiltshire rows that make a quorum: Head of Service, Service Manager
/// (Conference and Reviewing Service), Kinship and Fostering Team Manager.
const QUORATE_ROWS: [usize; 3] = [0, 2, 4];

#[test]
fn home_screen_shows_the_next_meeting_and_its_agenda() {
    let h = Harness::new("wiltshire");
    let screen = h.render(80, 24);
    assert!(
        screen.contains("Friday 27/11/2026, 09:30–13:00"),
        "{screen}"
    );
    assert!(screen.contains("Wiltshire Council Children's Services Permanence Panel"));
    for child in CHILDREN {
        assert!(screen.contains(child), "{child} missing:\n{screen}");
    }
}

#[test]
fn roll_call_screen() {
    let mut h = Harness::new("wiltshire");
    h.char('r');
    let screen = h.render(80, 24);
    // Roles and job titles, never a name.
    assert!(screen.contains("Head of Service – Care, Placements and YPS"));
    assert!(screen.contains("NOT QUORATE"), "{screen}");
    h.mark_present(&[0]);
    h.char('a'); // row 1 sends apologies
    h.char('x'); // row 2 is absent
}

#[test]
fn child_card_screen() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Card);
    // Opening the first child's card tells a presenter view where the chair is.
    let first = h.store.agenda(h.meeting).unwrap()[0].id;
    let stored = h.store.meeting(h.meeting).unwrap().unwrap().current_item;
    assert_eq!(stored, Some(first));
    let screen = h.render(80, 24);
    assert!(screen.contains("11 years"), "{screen}");
    assert!(
        screen.contains("C2 full care order, since 01/06/2020"),
        "{screen}"
    );
    assert!(screen.contains("since 01/02/2021"), "{screen}");
    // The stored reason, wrapped under its cohort's title.
    assert!(screen.contains("without a permanence plan"), "{screen}");
}

#[test]
fn decision_screen_while_not_quorate_warns() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('d');
    h.typ("Long-term fostering plan endorsed; match to be presented in January. ");
    h.typ("Later life letter to be drafted before the matching panel.");
    let screen = h.render(80, 24);
    // A long decision wraps in its box: its start and its end both show.
    assert!(
        screen.contains("│Long-term fostering plan endorsed;"),
        "{screen}"
    );
    assert!(screen.contains("before the matching panel."), "{screen}");
    assert!(
        screen.contains("Warning: the meeting is not quorate"),
        "{screen}"
    );
}

#[test]
fn actions_screen() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('a');
    h.typ("Book the matching panel");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Down);
    h.key(KeyCode::Tab);
    h.typ("18/12/2026");
    h.key(KeyCode::Enter);
    h.typ("Send the later life letter draft");
    // Saved at once, and the form is open again for the next action.
    let saved = h.store.all_actions().unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].text, "Book the matching panel");
    assert_eq!(
        saved[0].deadline,
        NaiveDate::from_ymd_opt(2026, 12, 18).unwrap()
    );
    let screen = h.render(120, 40);
    assert!(screen.contains("Book the matching panel"), "{screen}");
    assert!(
        screen.contains("Send the later life letter draft"),
        "{screen}"
    );
}

#[test]
fn a_meeting_walked_through_is_in_the_store() {
    let mut h = Harness::new("wiltshire");
    h.char('r');
    assert!(h.render(80, 24).contains("NOT QUORATE"));
    h.mark_present(&QUORATE_ROWS);
    let screen = h.render(80, 24);
    assert!(screen.contains(" Quorate: "), "{screen}");
    assert!(!screen.contains("NOT QUORATE"), "{screen}");

    // Step through the three children; the store follows each step.
    h.key(KeyCode::Esc);
    h.char('g');
    let agenda = h.store.agenda(h.meeting).unwrap();
    for (i, item) in agenda.iter().enumerate().skip(1) {
        h.key(KeyCode::Down);
        assert_eq!(h.app.current, i);
        let stored = h.store.meeting(h.meeting).unwrap().unwrap().current_item;
        assert_eq!(stored, Some(item.id), "step {i}");
        assert!(
            h.render(80, 24)
                .contains(&format!("▶ {:>2}. {}", i + 1, item.child))
        );
    }
    h.key(KeyCode::Down);
    assert!(h.render(80, 24).contains("This is the last child"));
    // Back to the first child.
    h.key(KeyCode::Up);
    h.key(KeyCode::Up);
    assert_eq!(h.app.current, 0);

    // A decision and two actions on the first child.
    h.key(KeyCode::Enter);
    h.char('d');
    h.typ("Plan of long-term fostering endorsed.");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Card);
    assert!(
        h.render(80, 24)
            .contains("Decision recorded at 09:45: endorsed.")
    );
    h.char('a');
    h.typ("Book the matching panel");
    h.key(KeyCode::Tab);
    h.typ("Kinship and Fostering Team Manager");
    h.key(KeyCode::Tab);
    h.typ("18/12/2026");
    h.key(KeyCode::Enter);
    h.typ("Update the care plan");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Down); // the first owner offered: the last used
    h.key(KeyCode::Tab);
    h.typ("29/01/2027");
    h.key(KeyCode::Enter);

    let decisions = h.store.decisions(h.meeting).unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].child, c(0));
    assert_eq!(decisions[0].text, "Plan of long-term fostering endorsed.");
    assert!(decisions[0].quorate);
    assert_eq!(decisions[0].recorded_at, now());
    let actions = h.store.actions_for_meeting(h.meeting).unwrap();
    let got: Vec<(&str, &str, NaiveDate, &str)> = actions
        .iter()
        .map(|a| {
            (
                a.child.as_str(),
                a.text.as_str(),
                a.deadline,
                a.owner.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                CHILDREN[0],
                "Book the matching panel",
                day("18/12/2026"),
                "Kinship and Fostering Team Manager"
            ),
            (
                CHILDREN[0],
                "Update the care plan",
                day("29/01/2027"),
                "Kinship and Fostering Team Manager"
            ),
        ]
    );
    let attendance = h.store.attendance(h.meeting).unwrap();
    let present: Vec<Id> = attendance
        .iter()
        .filter(|a| a.state == AttendanceState::Present)
        .map(|a| a.member)
        .collect();
    assert_eq!(present.len(), 3);
    // Nothing typed is pending, so q quits without asking.
    h.key(KeyCode::Esc);
    h.char('q');
    assert!(h.app.quit);
    assert!(!h.app.confirm_quit());
}

#[test]
fn an_impossible_deadline_names_the_field_and_saves_nothing() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('a');
    h.typ("Book the matching panel");
    h.key(KeyCode::Tab);
    h.typ("Panel Administrator");
    h.key(KeyCode::Tab);
    h.typ("31/02/2027");
    h.key(KeyCode::Enter);
    let screen = h.render(80, 24);
    assert!(
        screen.contains("Deadline: 31/02/2027 is not a date; type dd/mm/yyyy"),
        "{screen}"
    );
    assert!(h.store.actions_for_meeting(h.meeting).unwrap().is_empty());
    // What was typed stays, to be corrected.
    let form = &h.app.screens.actions.forms[&c(0)];
    assert_eq!(form.text.text(), "Book the matching panel");
    assert_eq!(form.field, tui::ActionField::Deadline);
    // A form it does not know says which forms it does.
    for _ in 0..10 {
        h.key(KeyCode::Backspace);
    }
    // (2027-02-03 is taken since issue 16; a dotted date is not.)
    h.typ("03.02.2027");
    h.key(KeyCode::Enter);
    let screen = h.render(120, 40);
    assert!(
        screen.contains("Deadline: '03.02.2027' is not a date; type dd/mm/yyyy, d/m/yy, 31/12"),
        "{screen}"
    );
    assert!(h.store.actions_for_meeting(h.meeting).unwrap().is_empty());
}

#[test]
fn a_deadline_typed_naturally_is_shown_resolved_and_saved_as_a_date() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('a');
    h.typ("Send the viability assessment");
    h.key(KeyCode::Tab);
    h.typ("Kinship and Fostering Team Manager");
    h.key(KeyCode::Tab);
    // The harness's today is Friday 27/11/2026.
    h.typ("+2w");
    assert!(
        h.render(120, 40).contains("= Fri 11/12/2026"),
        "{}",
        h.render(120, 40)
    );
    for _ in 0..3 {
        h.key(KeyCode::Backspace);
    }
    h.typ("26/12");
    assert!(
        h.render(120, 40)
            .contains("26/12/2026 is a Saturday: Alt+W moves it to Thu 24/12/2026"),
        "{}",
        h.render(120, 40)
    );
    for _ in 0..5 {
        h.key(KeyCode::Backspace);
    }
    h.typ("next fri");
    h.key(KeyCode::Enter);
    let actions = h.store.actions_for_meeting(h.meeting).unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].deadline, day("04/12/2026"));
}

#[test]
fn quitting_while_typing_asks_first() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('d');
    // In the field, q is a letter.
    h.typ("Adjourned; request the quarterly report");
    assert!(!h.app.quit && !h.app.confirm_quit());
    assert!(
        h.app.screens.decision.drafts[&c(0)]
            .text()
            .ends_with("quarterly report")
    );
    // Ctrl+Q asks; n keeps the text.
    h.ctrl('q');
    assert!(h.app.confirm_quit());
    assert!(
        h.render(80, 24)
            .contains("Discard what you are typing? y/n")
    );
    h.char('n');
    assert!(!h.app.quit && !h.app.confirm_quit());
    assert_eq!(
        h.app.screens.decision.drafts[&c(0)].text(),
        "Adjourned; request the quarterly report"
    );
    // Backing out keeps the draft, and q on the card asks too; y quits.
    h.key(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Card);
    assert!(
        h.render(80, 24)
            .contains("What you typed is kept but not saved; press d")
    );
    h.char('q');
    assert!(h.app.confirm_quit() && !h.app.quit);
    h.char('y');
    assert!(h.app.quit);
    assert!(h.store.decisions(h.meeting).unwrap().is_empty());
}

#[test]
fn a_small_window_gets_a_message_not_a_broken_layout() {
    let h = Harness::new("wiltshire");
    let screen = h.render(70, 20);
    assert!(
        screen
            .replace('\n', " ")
            .contains("The window is 70x20; permanence-panel needs at least 80x24"),
        "{screen}"
    );
    assert!(!screen.contains("Agenda"), "{screen}");
    // One column short is still too small.
    assert!(h.render(79, 24).contains("The window is 79x24"));
    assert!(h.render(80, 23).contains("The window is 80x23"));
}

#[test]
fn help_lists_every_keymap_entry() {
    let mut h = Harness::new("wiltshire");
    h.char('?');
    assert!(h.app.help_open());
    // Scroll through the overlay at the smallest size, collecting what shows.
    let mut seen = String::new();
    for _ in 0..tui::view::help_lines().len() {
        seen.push_str(&h.render(80, 24));
        h.key(KeyCode::Down);
    }
    for binding in tui::KEYMAP {
        assert!(
            seen.contains(binding.description),
            "help lacks '{}'",
            binding.description
        );
        assert!(
            seen.contains(&binding.keys_label()),
            "help lacks keys {}",
            binding.keys_label()
        );
    }
    // A large window shows them all at once, in columns, without
    // scrolling. With the Preparation screens (issue 22) the keys no
    // longer fit a 1080p projector at an 8x18 font (240x60), where the
    // help scrolls as at 80x24; a 4K one at 12x24 (320x90) shows them all.
    let mut h = Harness::new("wiltshire");
    h.key(KeyCode::F(1));
    let wide = h.render(320, 90);
    for binding in tui::KEYMAP {
        assert!(
            wide.contains(binding.description),
            "{}",
            binding.description
        );
    }
    h.key(KeyCode::Esc);
    assert!(!h.app.help_open());
    assert_eq!(h.app.screen, Screen::Home);
}

#[test]
fn the_footer_fits_80_columns_on_every_screen() {
    let mut h = Harness::new("wiltshire");
    let check = |h: &Harness| {
        let footer = tui::keymap::footer(&h.app);
        assert!(
            footer.chars().count() <= 80,
            "{:?}: {footer} ({} chars)",
            h.app.screen,
            footer.chars().count()
        );
        let screen = h.render(80, 24);
        assert_eq!(screen.lines().last(), Some(footer.trim_end()));
    };
    check(&h);
    for keys in ["r", "\x1bg", "\n", "d", "\x1ba", "\x1b\x1b\x1bm", "n"] {
        for k in keys.chars() {
            match k {
                '\x1b' => h.key(KeyCode::Esc),
                '\n' => h.key(KeyCode::Enter),
                c => h.char(c),
            }
        }
        check(&h);
    }
    h.key(KeyCode::F(1));
    check(&h);
    h.key(KeyCode::Esc);
    h.typ("x");
    h.ctrl('q');
    check(&h);
}

#[test]
fn a_decision_while_not_quorate_is_saved_and_flagged() {
    let mut h = Harness::new("wiltshire");
    // Two of the three places filled: no Conference and Reviewing Service.
    h.mark_present(&[0, 4]);
    assert!(!h.app.quorum().unwrap().quorate);
    h.key(KeyCode::Esc);
    h.char('g');
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    h.char('d');
    h.typ("Adjourned to December.");
    h.key(KeyCode::Enter);
    let decisions = h.store.decisions(h.meeting).unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].child, c(1));
    assert!(!decisions[0].quorate);
    let screen = h.render(80, 24);
    assert!(
        screen.contains("flagged: the meeting was not quorate"),
        "{screen}"
    );
    assert!(
        screen.contains("[flagged: made while not quorate]"),
        "{screen}"
    );
}

/// A whole step through `update` alone, no store: the key asks for a
/// write; its outcome, handed back as `Msg::Written`, decides the screen.
/// Refused, what was typed is kept and the reason said.
#[test]
fn a_writes_outcome_comes_back_through_update() {
    let mut h = Harness::new("wiltshire");
    for msg in [
        tui::Msg::Open(Screen::Agenda),
        tui::Msg::Open(Screen::Card),
        tui::Msg::Open(Screen::Decision),
    ] {
        update(&mut h.app, msg);
    }
    for c in "Plan endorsed.".chars() {
        update(&mut h.app, tui::Msg::Edit(tui::editor::EditOp::Insert(c)));
    }
    let effects = update(&mut h.app, tui::Msg::Save);
    let [effect] = effects.as_slice() else {
        panic!("one write: {effects:?}");
    };
    assert!(
        matches!(effect, tui::Effect::RecordDecision { .. }),
        "{effect:?}"
    );
    let at = day("27/11/2026").and_time(hm(10, 5));
    let refused = tui::Msg::Written {
        effect: Box::new(effect.clone()),
        at,
        outcome: Err("the database is read-only".into()),
    };
    assert!(update(&mut h.app, refused).is_empty());
    assert_eq!(h.app.screen, Screen::Decision);
    assert_eq!(h.notice(), "Not saved: the database is read-only");
    assert_eq!(
        h.app.screens.decision.drafts[&c(0)].text(),
        "Plan endorsed."
    );
    // The store recorded it while not quorate (no one is marked present
    // in this harness) and says so in the outcome.
    let written = tui::Msg::Written {
        effect: Box::new(effect.clone()),
        at,
        outcome: Ok(tui::Stored::Decision { quorate: false }),
    };
    assert!(update(&mut h.app, written).is_empty());
    assert_eq!(h.app.screen, Screen::Card);
    // The flag is said as the store recorded it.
    assert_eq!(
        h.notice(),
        "Decision recorded at 10:05: endorsed, flagged: the meeting was not quorate."
    );
    assert!(!h.app.screens.decision.drafts.contains_key(&c(0)));
    assert!(
        h.store.decisions(h.meeting).unwrap().is_empty(),
        "update never writes"
    );
}

/// The review found quorum worked out twice per decision (in `update`
/// for the notice, in the store for the record). The notice now says what
/// the store recorded: here quorate, though this app's roll call (no one
/// marked) would say otherwise.
#[test]
fn the_decisions_notice_says_the_quorum_the_store_recorded() {
    let mut h = Harness::new("wiltshire");
    for msg in [
        tui::Msg::Open(Screen::Agenda),
        tui::Msg::Open(Screen::Card),
        tui::Msg::Open(Screen::Decision),
        tui::Msg::Paste("Plan endorsed.".into()),
    ] {
        update(&mut h.app, msg);
    }
    let effects = update(&mut h.app, tui::Msg::Save);
    assert!(!h.app.quorum().unwrap().quorate);
    let written = tui::Msg::Written {
        effect: Box::new(effects[0].clone()),
        at: day("27/11/2026").and_time(hm(10, 5)),
        outcome: Ok(tui::Stored::Decision { quorate: true }),
    };
    update(&mut h.app, written);
    assert_eq!(h.notice(), "Decision recorded at 10:05: endorsed.");
}

/// Issue 16: at 80x24 Home hid items 12 to 14 of the agenda with no hint.
#[test]
fn home_says_how_many_more_children_the_agenda_holds_when_they_do_not_fit() {
    let mut h = Harness::new("wiltshire");
    let items: Vec<(String, String, Vec<String>)> = (1..=14)
        .map(|i| {
            (
                format!("C0009{i:02}"),
                "foster-12m".to_owned(),
                vec!["In the same foster placement for 12 months.".to_owned()],
            )
        })
        .collect();
    h.store.set_agenda(h.meeting, &items, now()).unwrap();
    h.app.data = MeetingData::load_next(&h.store, day("27/11/2026")).unwrap();
    let screen = h.render(80, 24);
    let shown = (1..=14)
        .filter(|i| screen.contains(&format!("C0009{i:02}")))
        .count();
    assert!(shown < 14, "{screen}");
    assert!(
        screen.contains(&format!("+{} more: g opens the agenda", 14 - shown)),
        "{screen}"
    );
    // At 120x40 they all fit, and nothing more is claimed.
    let screen = h.render(120, 40);
    assert!(!screen.contains("more: g opens"), "{screen}");
    assert!(screen.contains("C000914"), "{screen}");
}

/// The room's case: "Plan endorsed.⏎onward next steps" pasted from a
/// report into the decision ran `o`, `n` and `a` as commands. A paste is
/// text: it lands in the decision with its line break, nothing else runs.
#[test]
fn a_multi_line_paste_goes_into_the_decision_as_text() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('d');
    h.typ("Panel: ");
    h.paste("Plan endorsed.\r\nonward next steps\n");
    assert_eq!(h.app.screen, Screen::Decision);
    assert_eq!(h.app.current, 0, "no n ran");
    assert!(
        h.store.decisions(h.meeting).unwrap().is_empty(),
        "nothing saved yet"
    );
    assert!(h.store.carry_overs().unwrap().is_empty(), "no o ran");
    let screen = h.render(80, 24);
    assert!(screen.contains("Panel: Plan endorsed."), "{screen}");
    assert!(screen.contains("onward next steps"), "{screen}");
    h.key(KeyCode::Enter);
    let decisions = h.store.decisions(h.meeting).unwrap();
    assert_eq!(
        decisions[0].text,
        "Panel: Plan endorsed.\nonward next steps"
    );
    assert!(
        h.store.actions_for_child(&c(0)).unwrap().is_empty(),
        "no a ran"
    );
}

#[test]
fn a_paste_outside_a_text_field_does_nothing_but_say_so() {
    let mut h = Harness::new("wiltshire");
    h.char('r');
    h.paste("pap\nxxa");
    assert!(
        h.store.attendance(h.meeting).unwrap().is_empty(),
        "no one marked"
    );
    assert_eq!(h.app.screen, Screen::RollCall);
    assert_eq!(
        h.notice(),
        "Pasted text goes only into a text field: nothing was done."
    );
    h.key(KeyCode::Esc);
    h.char('g');
    h.paste("n");
    assert_eq!(h.app.current, 0);
}

#[test]
fn a_paste_into_a_one_line_field_turns_line_breaks_into_spaces() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('a');
    h.paste("Book the\nmatching panel");
    h.key(KeyCode::Tab);
    h.paste("Team Manager\n");
    h.key(KeyCode::Tab);
    h.paste("18/12/2026");
    h.key(KeyCode::Enter);
    let actions = h.store.actions_for_child(&c(0)).unwrap();
    assert_eq!(actions.len(), 1, "{}", h.notice());
    assert_eq!(
        (actions[0].text.as_str(), actions[0].owner.as_str()),
        ("Book the matching panel", "Team Manager")
    );
}

#[test]
fn ctrl_u_clears_a_field_and_ctrl_w_deletes_a_word() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('a');
    h.key(KeyCode::Tab);
    h.key(KeyCode::Down);
    assert!(!h.app.screens.actions.forms[&c(0)].owner.text().is_empty());
    h.ctrl('u');
    assert_eq!(h.app.screens.actions.forms[&c(0)].owner.text(), "");
    h.typ("Allocated social worker");
    h.ctrl('w');
    assert_eq!(
        h.app.screens.actions.forms[&c(0)].owner.text(),
        "Allocated social "
    );
}

/// The room's case: the minutes of Friday 27/11/2026 typed up the day
/// after. Deadlines count from the meeting, arrivals are stamped with the
/// meeting's start (not Saturday's clock), and with no later meeting
/// planned "next panel" is refused, never taken to be this meeting.
#[test]
fn minutes_typed_up_the_day_after_are_at_the_meetings_date() {
    let mut h = Harness::new("wiltshire");
    let saturday = day("28/11/2026");
    h.app.today = saturday;
    h.at = saturday.and_time(hm(10, 7));
    h.mark_present(&[0]);
    let arrived = h.store.attendance(h.meeting).unwrap()[0].arrived;
    assert_eq!(arrived, Some(hm(9, 30)), "the meeting's start, not 10:07");
    h.key(KeyCode::Esc);
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('a');
    h.typ("Book the matching panel");
    h.key(KeyCode::Tab);
    h.typ("Team Manager");
    h.key(KeyCode::Tab);
    h.typ("next panel");
    h.key(KeyCode::Enter);
    assert!(
        h.notice()
            .starts_with("Deadline: no meeting is planned after this one"),
        "{}",
        h.notice()
    );
    assert!(h.render(120, 40).contains("meetings plan --year"));
    h.ctrl('u');
    h.typ("3 weeks");
    assert!(h.render(120, 40).contains("= Fri 18/12/2026"));
    h.key(KeyCode::Enter);
    let actions = h.store.actions_for_child(&c(0)).unwrap();
    assert_eq!(
        actions[0].deadline,
        day("18/12/2026"),
        "21 days after 27/11"
    );
    // A deadline on or before the meeting is refused with the reason.
    h.typ("Another");
    h.key(KeyCode::Tab);
    h.typ("Team Manager");
    h.key(KeyCode::Tab);
    h.typ("27/11/2026");
    h.key(KeyCode::Enter);
    assert!(
        h.notice()
            .starts_with("Deadline: 27/11/2026 is not after the meeting (27/11/2026)"),
        "{}",
        h.notice()
    );
}

/// The room's case: from a card, `r`, `l`, `M` or `/` and then Esc landed
/// on Home or the agenda. Esc goes back to where the chair came from: the
/// same card, of the same child.
#[test]
fn esc_goes_back_to_the_card_it_came_from() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    assert_eq!((h.app.screen, h.app.current), (Screen::Card, 1));
    for keys in ["r", "l", "M", "/", "m", "d", "a"] {
        h.typ(keys);
        assert_ne!(h.app.screen, Screen::Card, "{keys}");
        h.key(KeyCode::Esc);
        assert_eq!(
            (h.app.screen, h.app.current),
            (Screen::Card, 1),
            "{keys} then Esc"
        );
    }
    // Roll call from the card, a member marked, back to the card.
    h.char('r');
    h.char('p');
    h.key(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Card);
    // Back out further: the agenda, then home; going round never piles up.
    h.char('r');
    h.char('g');
    h.char('r');
    h.key(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Agenda);
    h.key(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Home);
    assert!(h.app.history.is_empty());
}

/// The room's case: ↓ five times for one owner, typing after a pick
/// appended to it ("…YPSSW"), "Allocated social worker" typed in full each
/// time. The owner completes from what is typed, last used first, and
/// typing replaces a pick.
#[test]
fn the_owner_completes_as_it_is_typed_last_used_first() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('a');
    h.typ("Visit the carers");
    h.key(KeyCode::Tab);
    h.typ("alloc");
    assert!(h.render(120, 40).contains("↓ 1 owner matches"));
    h.key(KeyCode::Down);
    assert_eq!(
        h.app.screens.actions.forms[&c(0)].owner.text(),
        "Allocated social worker"
    );
    h.key(KeyCode::Tab);
    h.typ("+2w");
    h.key(KeyCode::Enter);
    // Words typed begin words of the owner, in any case: the members'
    // job titles and the standing owners.
    h.typ("Chase the paperwork");
    h.key(KeyCode::Tab);
    h.typ("team man");
    let choices = h.app.owner_choices("team man");
    assert_eq!(choices[0], "Team Manager", "{choices:?}");
    assert!(choices.contains(&"Kinship and Fostering Team Manager".to_owned()));
    assert!(
        h.render(120, 40)
            .contains(&format!("↑↓ {} owners match", choices.len()))
    );
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    assert_eq!(h.app.screens.actions.forms[&c(0)].owner.text(), choices[1]);
    // Typing after a pick replaces it.
    h.typ("ind");
    assert_eq!(h.app.screens.actions.forms[&c(0)].owner.text(), "ind");
    h.key(KeyCode::Down);
    assert_eq!(
        h.app.screens.actions.forms[&c(0)].owner.text(),
        "Independent Reviewing Officer (Conference and Reviewing Service)"
    );
    // With nothing typed, the owner used last in this meeting comes first.
    h.ctrl('u');
    h.key(KeyCode::Down);
    assert_eq!(
        h.app.screens.actions.forms[&c(0)].owner.text(),
        "Allocated social worker"
    );
}

#[test]
fn an_empty_decision_is_not_saved() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('d');
    h.typ("   ");
    h.key(KeyCode::Enter);
    assert!(
        h.render(80, 24)
            .contains("Decision: type the panel's decision")
    );
    assert!(h.store.decisions(h.meeting).unwrap().is_empty());
}

#[test]
fn telford_quorum_is_labelled_assumed() {
    let mut h = Harness::new("telford");
    h.char('r');
    let screen = h.render(120, 40);
    assert!(screen.contains("NOT QUORATE (assumed rule)"), "{screen}");
    assert!(
        screen.contains("Quorum rule (assumed: the terms of reference state none)"),
        "{screen}"
    );
    // Three standing members including a Service Delivery Manager.
    h.mark_present(&[0, 1, 2]);
    assert!(h.render(120, 40).contains("Quorate (assumed rule): "));
}

#[test]
fn no_color_draws_without_colours_and_highlights_in_reverse() {
    let mut h = Harness::new("wiltshire");
    h.app.no_color = true;
    h.char('r');
    h.mark_present(&[0]);
    let buffer = h.buffer(80, 24);
    let mut reversed = 0;
    for cell in buffer.content() {
        assert_eq!(cell.fg, Color::Reset, "a coloured cell under NO_COLOR");
        assert_eq!(cell.bg, Color::Reset, "a coloured cell under NO_COLOR");
        if cell.modifier.contains(Modifier::REVERSED) {
            reversed += 1;
        }
    }
    assert!(reversed > 0, "the highlighted row is in reverse video");
    // With colour allowed, some cell is coloured.
    h.app.no_color = false;
    assert!(
        h.buffer(80, 24)
            .content()
            .iter()
            .any(|cell| cell.fg != Color::Reset)
    );
}

#[test]
fn opens_on_the_next_meeting_where_it_left_off() {
    let mut h = Harness::new("wiltshire");
    // An earlier, closed meeting does not take the app's place.
    let earlier = h
        .store
        .add_meeting(day("30/10/2026"), hm(9, 30), hm(13, 0), now())
        .unwrap();
    h.store
        .set_meeting_status(earlier, MeetingStatus::Closed, now())
        .unwrap();
    h.char('g');
    h.key(KeyCode::Down);
    let app = tui::load(&h.store, Terms::load("wiltshire").unwrap(), &clock()).unwrap();
    assert_eq!(app.meeting_id(), Some(h.meeting));
    assert_eq!(app.current, 1, "resumes at the stored current item");
    assert_eq!(app.screen, Screen::Home);
}

#[test]
fn a_named_substitute_fills_the_place_of_the_role_they_deputise_for() {
    let mut h = Harness::new("wiltshire");
    h.store
        .add_member(
            &NewMember {
                role: "service-manager-cp".into(),
                job_title: "Deputy Service Manager – Child Protection".into(),
                name: None,
                kind: MemberKind::Standing,
                substitute_for: Some("service-manager-crs".into()),
            },
            now(),
        )
        .unwrap();
    h.reload();
    // Head of Service and the Kinship and Fostering Team Manager present.
    h.mark_present(&[0, 4]);
    assert!(!h.app.quorum().unwrap().quorate);
    // s on a member who is nobody's named substitute changes nothing.
    for _ in 0..10 {
        h.key(KeyCode::Up);
    }
    h.char('s');
    assert!(h.render(80, 24).contains("is not a named substitute"));
    assert_eq!(h.store.attendance(h.meeting).unwrap().len(), 2);
    // The deputy is the last row.
    for _ in 0..10 {
        h.key(KeyCode::Down);
    }
    h.char('s');
    let attendance = h.store.attendance(h.meeting).unwrap();
    let deputy = attendance
        .iter()
        .find(|a| a.state == AttendanceState::Substitute)
        .expect("marked as substitute");
    assert_eq!(
        deputy.substitute_for.as_deref(),
        Some("service-manager-crs")
    );
    assert!(h.app.quorum().unwrap().quorate);
    let screen = h.render(120, 40);
    assert!(
        screen.contains("substitute     Deputy Service Manager – Child Protection, for Service Manager – Conference and Reviewing Service"),
        "{screen}"
    );
}

#[test]
fn the_roll_call_shows_arrival_times_and_never_a_name() {
    let mut h = Harness::new("wiltshire");
    h.store
        .add_member(
            &NewMember {
                role: "iro".into(),
                job_title: "Independent Reviewing Officer".into(),
                name: Some("Synthetic Initials XY".into()),
                kind: MemberKind::Adviser,
                substitute_for: None,
            },
            now(),
        )
        .unwrap();
    h.reload();
    h.mark_present(&[0, 2, 4, 7]);
    let screen = h.render(120, 40);
    assert!(
        screen.contains("present 09:45  Head of Service"),
        "{screen}"
    );
    assert!(!screen.contains("Synthetic Initials XY"), "{screen}");
}

/// "in attendance 09:45" is wider than "present 09:45": the job titles
/// still start in one column, so the room reads the roll call as a table.
#[test]
fn the_roll_call_lines_up_job_titles_after_the_widest_state() {
    let mut h = Harness::new("wiltshire");
    h.char('r');
    h.char('p'); // the first member present; the cursor moves on
    h.char('i'); // the second in attendance
    let screen = h.render(120, 40);
    let members = h.store.members().unwrap();
    let column_of = |title: &str| {
        let line = screen
            .lines()
            .find(|l| l.contains(title))
            .unwrap_or_else(|| panic!("{title} not on screen:\n{screen}"));
        assert!(line.contains("09:45"), "{line}");
        line.find(title).unwrap()
    };
    assert!(screen.contains("in attendance 09:45"), "{screen}");
    assert_eq!(
        column_of(&members[0].job_title),
        column_of(&members[1].job_title),
        "{screen}"
    );
}

#[test]
fn amending_a_decision_starts_from_the_saved_text_and_replaces_it() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('d');
    h.typ("Adjourned.");
    h.key(KeyCode::Enter);
    h.char('d');
    // Unchanged saved text is not "typing": q would not ask.
    assert!(!h.app.is_editing());
    assert_eq!(h.app.screens.decision.drafts[&c(0)].text(), "Adjourned.");
    h.key(KeyCode::Backspace);
    h.typ(" to December.");
    h.key(KeyCode::Enter);
    let decisions = h.store.decisions(h.meeting).unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].text, "Adjourned to December.");
}

#[test]
fn a_child_missing_from_the_extract_still_has_a_card() {
    let mut h = Harness::new("wiltshire");
    h.store
        .set_agenda(
            h.meeting,
            &[(
                "C000999".into(),
                "referral".into(),
                vec!["Referred by the team.".into()],
            )],
            now(),
        )
        .unwrap();
    h.reload();
    h.char('g');
    h.key(KeyCode::Enter);
    let screen = h.render(80, 24);
    assert!(
        screen.contains("not in the latest SSDA903 import"),
        "{screen}"
    );
    assert!(screen.contains("Referred by the team."), "{screen}");
}

#[test]
fn a_departure_mid_meeting_flips_later_decisions_to_inquorate() {
    let mut h = Harness::new("wiltshire");
    h.at = day("27/11/2026").and_time(hm(9, 30));
    h.mark_present(&QUORATE_ROWS);
    h.key(KeyCode::Esc);
    h.char('g');
    h.key(KeyCode::Enter);
    h.at = day("27/11/2026").and_time(hm(10, 5));
    h.char('d');
    h.typ("Match endorsed.");
    h.key(KeyCode::Enter);

    // The reviewing service manager (row 2) leaves at 11:40.
    h.at = day("27/11/2026").and_time(hm(11, 40));
    h.char('r');
    for _ in 0..h.app.data.members.len() {
        h.key(KeyCode::Up);
    }
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.char('x');
    let screen = h.render(120, 40);
    assert!(screen.contains("left 11:40"), "{screen}");
    assert!(
        screen.contains(
            "NOT QUORATE: no Conference and Reviewing Service representative or substitute present since 11:40"
        ),
        "{screen}"
    );

    // The next child's decision is warned about before saving, saved, flagged.
    h.at = day("27/11/2026").and_time(hm(11, 50));
    h.key(KeyCode::Esc);
    h.char('g');
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    h.char('d');
    assert!(
        h.render(120, 40)
            .contains("Warning: the meeting is not quorate")
    );
    h.typ("Adjourned to the next panel.");
    h.key(KeyCode::Enter);
    let decisions = h.store.decisions(h.meeting).unwrap();
    let flags: Vec<(String, bool)> = decisions
        .iter()
        .map(|d| (d.text.clone(), d.quorate))
        .collect();
    assert_eq!(
        flags,
        [
            ("Match endorsed.".to_owned(), true),
            ("Adjourned to the next panel.".to_owned(), false)
        ]
    );
    // The minutes say so.
    let md = permanence_panel::export::minutes_md::render(
        &h.store,
        &Terms::load("wiltshire").unwrap(),
        &h.store.meeting(h.meeting).unwrap().unwrap(),
    )
    .unwrap();
    assert!(
        md.contains("(recorded while the meeting was not quorate)"),
        "{md}"
    );
    assert!(
        md.contains("- Service Manager – Conference and Reviewing Service, left 11:40\n"),
        "{md}"
    );
}

/// The room's case: a member who left and came back kept only the last
/// arrival ("present 03:10", no departure) and `quorum --at` a time in
/// between disagreed with the decision stored then. Attendance is every
/// stretch in the room, and every reading of quorum comes from it.
#[test]
fn a_member_who_leaves_and_comes_back_is_out_only_in_between() {
    let mut h = Harness::new("wiltshire");
    let at = |hh, mm| day("27/11/2026").and_time(hm(hh, mm));
    h.at = at(9, 30);
    h.mark_present(&QUORATE_ROWS);
    // The reviewing service manager (row 2) leaves at 10:10 ...
    h.at = at(10, 10);
    for _ in 0..h.app.data.members.len() {
        h.key(KeyCode::Up);
    }
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.char('x');
    // ... a decision is taken while they are out ...
    h.at = at(10, 20);
    h.key(KeyCode::Esc);
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('d');
    h.typ("Adjourned.");
    h.key(KeyCode::Enter);
    // ... and they come back at 10:40, before the next decision.
    h.at = at(10, 40);
    h.char('r');
    for _ in 0..h.app.data.members.len() {
        h.key(KeyCode::Up);
    }
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.char('p');
    assert!(
        h.render(120, 40).contains("present 09:30–10:10, 10:40–"),
        "{}",
        h.render(120, 40)
    );
    h.at = at(10, 50);
    h.key(KeyCode::Esc);
    h.char('g');
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    h.char('d');
    h.typ("Match endorsed.");
    h.key(KeyCode::Enter);

    let stored = h.store.attendance(h.meeting).unwrap();
    let member = h.app.data.members[2].id;
    let theirs = stored.iter().find(|a| a.member == member).unwrap();
    assert_eq!(
        theirs.intervals,
        [
            Interval {
                arrived: hm(9, 30),
                left: Some(hm(10, 10))
            },
            Interval {
                arrived: hm(10, 40),
                left: None
            },
        ]
    );
    // The stored decisions and quorum at each moment agree.
    let decisions = h.store.decisions(h.meeting).unwrap();
    let members = h.store.members().unwrap();
    let terms = Terms::load("wiltshire").unwrap();
    for d in &decisions {
        let then = permanence_panel::rules::quorum::check_at(
            &terms.quorum,
            &members,
            &stored,
            Some(d.recorded_at.time()),
            &[],
        );
        assert_eq!(then.quorate, d.quorate, "{} at {}", d.text, d.recorded_at);
    }
    assert_eq!(
        decisions.iter().map(|d| d.quorate).collect::<Vec<_>>(),
        [false, true]
    );
    // The minutes list both stretches.
    let md = permanence_panel::export::minutes_md::render(
        &h.store,
        &terms,
        &h.store.meeting(h.meeting).unwrap().unwrap(),
    )
    .unwrap();
    assert!(
        md.contains(
            "- Service Manager – Conference and Reviewing Service, in the room 09:30–10:10, from 10:40\n"
        ),
        "{md}"
    );
}

// ---- members ----

/// Saves members straight into the store and reloads the app, as a
/// members file imported from the command line would.
fn save_members_directly(h: &mut Harness, members: &[Member]) {
    h.store.save_members(members, now()).unwrap();
    h.reload();
}

fn member(role: &str, job_title: &str) -> Member {
    Member {
        id: 0,
        role: role.into(),
        job_title: job_title.into(),
        name: None,
        kind: MemberKind::Standing,
        substitute_for: None,
        start: None,
        end: None,
    }
}

/// A deputy who started in September and a former member who left in
/// October, besides the preset's roles.
fn harness_with_past_and_deputy() -> Harness {
    let mut h = Harness::new("wiltshire");
    save_members_directly(
        &mut h,
        &[
            Member {
                substitute_for: Some("service-manager-crs".into()),
                start: Some(day("01/09/2026")),
                ..member(
                    "service-manager-cp",
                    "Deputy Service Manager – Child Protection",
                )
            },
            Member {
                kind: MemberKind::Adviser,
                start: Some(day("01/01/2024")),
                end: Some(day("31/10/2026")),
                ..member("legal-adviser", "Legal Adviser")
            },
        ],
    );
    h
}

fn row_of(screen: &str, text: &str) -> Option<u16> {
    screen
        .lines()
        .position(|l| l.contains(text))
        .and_then(|y| u16::try_from(y).ok())
}

#[test]
fn members_screen() {
    let mut h = harness_with_past_and_deputy();
    h.char('m');
    assert_eq!(h.app.screen, Screen::Members);
    let screen = h.render(120, 40);
    for expected in [
        "service-manager-crs · standing",
        "service-manager-cp · standing · deputy for Service Manager – Conference and Reviewing Service · from 01/09/2026",
        "legal-adviser · adviser · from 01/01/2024 · until 31/10/2026 (not serving on 27/11/2026)",
    ] {
        assert!(screen.contains(expected), "{expected}\n{screen}");
    }
    // Only the former member is dimmed.
    let buffer = h.buffer(120, 40);
    let dimmed = |y: u16| buffer[(6, y)].modifier.contains(Modifier::DIM);
    let former = row_of(&screen, "Legal Adviser").unwrap();
    let deputy = row_of(&screen, "Deputy Service Manager").unwrap();
    assert!(dimmed(former) && dimmed(former + 1));
    assert!(!dimmed(deputy) && !dimmed(deputy + 1));
    // Every screen without a text field reaches it with m.
    h.char('r');
    h.char('m');
    assert_eq!(h.app.screen, Screen::Members);
    // Highlighting the last member scrolls the small window to it.
    for _ in 0..8 {
        h.key(KeyCode::Down);
    }
    let small = h.render(80, 24);
    assert!(small.contains("▶ Legal Adviser"), "{small}");
    assert!(small.contains("(3 more above: ↑↓ scrolls)"), "{small}");
}

#[test]
fn members_screen_shows_a_name_only_when_one_was_typed() {
    let mut h = Harness::new("wiltshire");
    save_members_directly(
        &mut h,
        &[Member {
            name: Some("A.B.".into()),
            ..member("iro", "Independent Reviewing Officer")
        }],
    );
    h.char('m');
    let screen = h.render(120, 40);
    assert!(
        screen.contains("A.B. (Independent Reviewing Officer)"),
        "{screen}"
    );
    // The preset's members carry no name: their rows are the job title.
    assert!(
        screen.contains("▶ Head of Service – Care, Placements and YPS\n"),
        "{screen}"
    );
    // Changing the member keeps the name though the form has no field for it.
    for _ in 0..7 {
        h.key(KeyCode::Down);
    }
    h.key(KeyCode::Enter);
    for _ in 0..5 {
        h.key(KeyCode::Tab);
    }
    h.typ("31/03/2027");
    h.key(KeyCode::Enter);
    let saved = h.store.members().unwrap();
    let iro = saved.last().unwrap();
    assert_eq!(iro.name.as_deref(), Some("A.B."));
    assert_eq!(iro.end, Some(day("31/03/2027")));
}

#[test]
fn member_form_screen() {
    let mut h = harness_with_past_and_deputy();
    h.char('m');
    h.char('n');
    assert_eq!(h.app.screen, Screen::MemberForm);
    h.typ("Deputy Head of Service");
    h.key(KeyCode::Tab);
    // ↓ from a blank role picks the preset's first; the typed title stays.
    h.key(KeyCode::Down);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Down);
    h.key(KeyCode::Tab);
    h.typ("01/12/2026");
    let form = h.app.member_form().unwrap();
    assert_eq!(form.role.text(), "head-of-service");
    assert_eq!(form.job_title.text(), "Deputy Head of Service");
    assert_eq!(form.deputy_for.text(), "head-of-service");
}

#[test]
fn choosing_a_role_fills_a_blank_job_title_and_kind_and_choices_wrap() {
    let mut h = Harness::new("wiltshire");
    h.char('m');
    h.char('n');
    h.key(KeyCode::Tab);
    // ↑ from blank: the preset's last role, the Panel Administrator (an adviser).
    h.key(KeyCode::Up);
    let form = h.app.member_form().unwrap();
    assert_eq!(form.role.text(), "panel-administrator");
    assert_eq!(
        form.job_title.text(),
        "Panel Administrator (Placement Services Administration)"
    );
    assert_eq!(form.kind, MemberKind::Adviser);
    // ↓ wraps round to the first; the title still as the preset wrote it follows.
    h.key(KeyCode::Down);
    let form = h.app.member_form().unwrap();
    assert_eq!(form.role.text(), "head-of-service");
    assert_eq!(
        form.job_title.text(),
        "Head of Service – Care, Placements and YPS"
    );
    assert_eq!(form.kind, MemberKind::Standing);
    h.key(KeyCode::Tab);
    for expected in [
        MemberKind::Adviser,
        MemberKind::Presenter,
        MemberKind::Standing,
    ] {
        h.key(KeyCode::Down);
        assert_eq!(h.app.member_form().unwrap().kind, expected);
    }
    // Deputy for: blank is a choice, reached again after the last role.
    h.key(KeyCode::Tab);
    h.key(KeyCode::Up);
    assert_eq!(
        h.app.member_form().unwrap().deputy_for.text(),
        "panel-administrator"
    );
    h.key(KeyCode::Down);
    assert_eq!(h.app.member_form().unwrap().deputy_for.text(), "");
}

#[test]
fn a_deputy_added_in_the_app_fills_the_reviewing_place_on_the_roll_call() {
    let mut h = Harness::new("wiltshire");
    let before = h.store.members().unwrap().len();
    h.char('m');
    h.char('n');
    h.typ("Deputy Service Manager – Child Protection");
    h.key(KeyCode::Tab);
    h.typ("service-manager-cp");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    // Blank, then the preset's roles in order: the third is service-manager-crs.
    for _ in 0..3 {
        h.key(KeyCode::Down);
    }
    let form = h.render(80, 24);
    assert!(
        form.contains("Deputises for: Service Manager – Conference and Reviewing Service"),
        "{form}"
    );
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Members);
    let saved = h.store.members().unwrap();
    assert_eq!(saved.len(), before + 1);
    let deputy = saved.last().unwrap();
    assert_eq!(
        deputy.job_title,
        "Deputy Service Manager – Child Protection"
    );
    assert_eq!(deputy.role, "service-manager-cp");
    assert_eq!(deputy.kind, MemberKind::Standing);
    assert_eq!(
        deputy.substitute_for.as_deref(),
        Some("service-manager-crs")
    );
    assert_eq!((deputy.start, deputy.end), (None, None));
    assert!(
        h.render(80, 24)
            .contains("Member added: Deputy Service Manager – Child Protection.")
    );
    // The roll call lists the new member at once, last.
    assert_eq!(h.app.data.members.last().map(|m| m.id), Some(deputy.id));
    h.mark_present(&[0, 4]);
    assert!(!h.app.quorum().unwrap().quorate);
    for _ in 0..10 {
        h.key(KeyCode::Down);
    }
    h.char('s');
    let q = h.app.quorum().unwrap();
    assert!(q.quorate, "{}", q.summary());
    let reviewing = q
        .filled
        .iter()
        .find(|f| f.requirement.contains("Conference and Reviewing Service"))
        .unwrap();
    assert_eq!(
        reviewing.by.as_deref(),
        Some("Deputy Service Manager – Child Protection")
    );
}

#[test]
fn ending_a_membership_before_the_meeting_takes_them_off_the_roll_call() {
    let mut h = Harness::new("wiltshire");
    let crs = "Service Manager – Conference and Reviewing Service";
    let cic = "Service Manager – Children in Care and Placement Services";
    // The Head of Service is marked present before their membership is ended.
    h.mark_present(&[0]);
    h.char('m');
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    assert_eq!(h.app.member_form().unwrap().job_title.text(), crs);
    for _ in 0..5 {
        h.key(KeyCode::Tab);
    }
    h.typ("26/11/2026");
    h.key(KeyCode::Enter);
    assert!(h.render(120, 40).contains(&format!(
        "Member updated: {crs}; not serving on 27/11/2026."
    )));
    let stored = h.store.members().unwrap();
    assert_eq!(stored[2].end, Some(day("26/11/2026")));
    assert!(
        h.render(120, 40)
            .contains("until 26/11/2026 (not serving on 27/11/2026)")
    );
    // Ending on the meeting's day keeps them on it.
    h.key(KeyCode::Up);
    h.key(KeyCode::Enter);
    assert_eq!(h.app.member_form().unwrap().job_title.text(), cic);
    for _ in 0..5 {
        h.key(KeyCode::Tab);
    }
    h.typ("27/11/2026");
    h.key(KeyCode::Enter);
    // The Head of Service goes too, but their attendance is recorded.
    h.key(KeyCode::Up);
    h.key(KeyCode::Enter);
    for _ in 0..5 {
        h.key(KeyCode::Tab);
    }
    h.typ("01/11/2026");
    h.key(KeyCode::Enter);
    h.char('r');
    let roll = h.render(120, 40);
    assert!(!roll.contains(crs), "{roll}");
    assert!(roll.contains(cic), "{roll}");
    assert!(
        roll.contains("Head of Service – Care, Placements and YPS"),
        "{roll}"
    );
    let roles: Vec<&str> = h.app.data.members.iter().map(|m| m.role.as_str()).collect();
    assert!(!roles.contains(&"service-manager-crs"));
    assert_eq!(
        roles.len(),
        Terms::load("wiltshire").unwrap().roles.len() - 1
    );
}

#[test]
fn member_form_errors_name_the_field_and_save_nothing() {
    // (keys after n: job title, role, deputy, from, until), the message.
    let cases: [([&str; 5], &str); 5] = [
        (
            ["Legal Adviser", "legal-adviser", "", "", "31/02/2027"],
            "Until: 31/02/2027 is not a date; type dd/mm/yyyy",
        ),
        (
            ["   ", "legal-adviser", "", "", ""],
            "Job title: type the member's job title",
        ),
        (
            [
                "Legal Adviser",
                "legal-adviser",
                "",
                "01/12/2026",
                "30/11/2026",
            ],
            "Until: must be on or after From",
        ),
        (
            ["Legal Adviser", "Head of Service", "", "", ""],
            "Role: 'Head of Service' is not a role id (lower-case letters, digits and hyphens)",
        ),
        (
            // 1/12/2026 is taken since issue 20 (one dd/mm/yyyy grammar);
            // a two-digit year is not.
            ["Legal Adviser", "legal-adviser", "", "1/12/26", ""],
            "From: 1/12/26 is not a date; type dd/mm/yyyy",
        ),
    ];
    for (typed, message) in cases {
        let mut h = Harness::new("wiltshire");
        let before = h.store.members().unwrap();
        h.char('m');
        h.char('n');
        let [title, role, deputy, from, until] = typed;
        h.typ(title);
        h.key(KeyCode::Tab);
        h.typ(role);
        h.key(KeyCode::Tab);
        h.key(KeyCode::Tab);
        h.typ(deputy);
        h.key(KeyCode::Tab);
        h.typ(from);
        h.key(KeyCode::Tab);
        h.typ(until);
        h.key(KeyCode::Enter);
        assert_eq!(h.store.members().unwrap(), before, "{message}");
        assert_eq!(h.app.screen, Screen::MemberForm);
        let screen = h.render(120, 40);
        assert!(screen.contains(message), "{message}\n{screen}");
        // The cursor is put on the field the message names.
        let field = h.app.member_form().unwrap().field;
        assert!(message.starts_with(field.label()), "{message}: {field:?}");
    }
    // A change to a known member is refused the same way, and the stored
    // member is left as it was.
    let mut h = Harness::new("wiltshire");
    let before = h.store.members().unwrap();
    h.char('m');
    h.key(KeyCode::Enter);
    for _ in 0..5 {
        h.key(KeyCode::Tab);
    }
    h.typ("31/02/2027");
    h.key(KeyCode::Enter);
    assert_eq!(h.store.members().unwrap(), before);
    assert!(h.render(80, 24).contains("Until: 31/02/2027 is not a date"));
}

#[test]
fn leaving_the_member_form_keeps_the_draft_and_quitting_asks_first() {
    let mut h = Harness::new("wiltshire");
    h.char('m');
    h.char('n');
    h.typ("Legal Adviser");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Members);
    assert!(h.render(80, 24).contains("press n to finish it"));
    h.char('q');
    assert!(h.app.confirm_quit() && !h.app.quit);
    h.char('n');
    assert!(!h.app.confirm_quit());
    // n resumes the draft; Enter on a member opens that member, not the draft.
    h.char('n');
    assert_eq!(
        h.app.member_form().unwrap().job_title.text(),
        "Legal Adviser"
    );
    h.key(KeyCode::Esc);
    h.key(KeyCode::Enter);
    assert_eq!(
        h.app.member_form().unwrap().job_title.text(),
        "Head of Service – Care, Placements and YPS"
    );
    // Opening a member and leaving without a change is no draft, and
    // saving it untouched writes nothing.
    h.key(KeyCode::Esc);
    assert_eq!(
        h.app
            .screens
            .member_form
            .drafts
            .values()
            .filter(|f| f.dirty)
            .count(),
        1
    );
    let audit_lines = h.store.audit_entries().unwrap().len();
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Members);
    assert!(h.render(80, 24).contains("Nothing changed."));
    assert_eq!(h.store.audit_entries().unwrap().len(), audit_lines);
    assert_eq!(
        h.store.members().unwrap().len(),
        Terms::load("wiltshire").unwrap().roles.len()
    );
}

#[test]
fn members_are_managed_before_any_meeting_is_planned() {
    let terms = Terms::load("telford").unwrap();
    let store = Store::open_in_memory().unwrap();
    let app = tui::load(&store, terms, &clock()).unwrap();
    let mut h = Harness {
        store,
        app,
        meeting: 0,
        at: now(),
    };
    h.char('m');
    assert_eq!(h.app.screen, Screen::Members);
    assert!(
        h.render(80, 24)
            .contains("No members yet: press n to add one.")
    );
    h.char('n');
    h.key(KeyCode::Tab);
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    let saved = h.store.members().unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].role, h.app.terms.roles[0].id);
    assert_eq!(h.app.data.members.len(), 1);
}

#[test]
fn the_panel_carries_a_child_over_from_the_card() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    h.char('o');
    let carried = h.store.carry_overs().unwrap();
    assert_eq!(carried.len(), 1);
    assert_eq!(carried[0].child, CHILDREN[0]);
    assert_eq!(carried[0].meeting, h.meeting);
    let screen = h.render(80, 24);
    assert!(
        screen.contains("carried over (first on its agenda)"),
        "{screen}"
    );
    // A second press changes nothing and says so.
    h.char('o');
    assert_eq!(h.store.carry_overs().unwrap().len(), 1);
    assert!(h.render(80, 24).contains("is already carried over"));
    h.key(KeyCode::Esc);
    assert!(h.render(80, 24).contains("carried over"));
}

#[test]
fn the_agenda_names_the_children_waiting_for_the_next_meeting() {
    use permanence_panel::rules::agenda::{AgendaPlan, PlannedItem};
    let mut h = Harness::new("wiltshire");
    let item = |child: &str, listed: &str| PlannedItem {
        child: child.into(),
        listed_under: listed.into(),
        reasons: vec![format!("{child} is listed under {listed}.")],
        pinned: false,
        due_for_hearing: true,
    };
    let plan = AgendaPlan {
        heard: vec![
            item(CHILDREN[0], "carried-over"),
            item(CHILDREN[1], "foster-12m"),
        ],
        waiting: vec![item(CHILDREN[2], "home-12m"), item("C000999", "foster-12m")],
    };
    h.store.set_agenda_plan(h.meeting, &plan, now()).unwrap();
    h.reopen();
    h.char('g');
    let screen = h.render(80, 24);
    assert!(
        screen.contains(&format!(
            "Waiting for the next meeting (2): {}, C000999",
            CHILDREN[2]
        )),
        "{screen}"
    );
    insta::assert_snapshot!("agenda_with_waiting_80x24", screen);

    // Issue 16: a long waiting list was cut off at 80 columns with no hint.
    let waiting: Vec<PlannedItem> = (1..=30)
        .map(|i| item(&format!("C0008{i:02}"), "foster-12m"))
        .collect();
    let plan = AgendaPlan {
        heard: vec![item(CHILDREN[0], "carried-over")],
        waiting,
    };
    h.store.set_agenda_plan(h.meeting, &plan, now()).unwrap();
    h.reload();
    let screen = h.render(80, 24);
    let named = (1..=30)
        .filter(|i| screen.contains(&format!("C0008{i:02}")))
        .count();
    assert!(named < 30, "{screen}");
    assert!(
        screen.contains(&format!("+{} more", 30 - named)),
        "{screen}"
    );
}

#[test]
fn the_action_list_filters_marks_done_and_drops_with_a_reason() {
    let mut h = Harness::new("wiltshire");
    let add = |h: &mut Harness, child: &str, text: &str, owner: &str, deadline: &str| {
        h.store
            .add_action(
                &NewAction {
                    meeting: h.meeting,
                    child: child.into(),
                    text: text.into(),
                    owner: owner.into(),
                    deadline: day(deadline),
                },
                now(),
            )
            .unwrap()
    };
    // The harness's today is 27/11/2026: the first is overdue.
    let late = add(
        &mut h,
        CHILDREN[0],
        "Send the later life letter",
        "Kinship and Fostering Team Manager",
        "20/11/2026",
    );
    let soon = add(
        &mut h,
        CHILDREN[1],
        "Book the matching panel",
        "Panel Administrator",
        "04/12/2026",
    );
    add(
        &mut h,
        CHILDREN[2],
        "Review contact",
        "Kinship and Fostering Team Manager",
        "18/12/2026",
    );
    h.reopen();
    h.char('l');
    let screen = h.render(80, 24);
    assert!(
        screen.contains("3 open actions · owner: everyone"),
        "{screen}"
    );
    assert!(screen.contains("20/11/2026  OVERDUE"), "{screen}");
    insta::assert_snapshot!("action_list_80x24", screen);

    h.char('f');
    assert!(h.render(80, 24).contains("1 overdue actions"));
    h.char('f');
    h.char('f');
    h.char('f');
    h.char('f'); // back to open
    h.char('o'); // first owner alphabetically
    let screen = h.render(80, 24);
    assert!(
        screen.contains("2 open actions · owner: Kinship and Fostering Team Manager"),
        "{screen}"
    );
    h.char('o');
    h.char('o'); // past the last owner: everyone again
    assert!(h.render(80, 24).contains("owner: everyone"));

    // The overdue one (first, soonest) is done.
    h.char('x');
    // The next (now first) is dropped: a reason is required.
    h.char('z');
    h.key(KeyCode::Enter);
    assert!(
        h.render(80, 24)
            .contains("Reason: say why the action is dropped.")
    );
    h.typ("Matching panel no longer needed: plan changed");
    h.key(KeyCode::Enter);
    let all = h.store.all_actions().unwrap();
    let status = |id| all.iter().find(|a| a.id == id).unwrap();
    assert_eq!(status(late).status, ActionStatus::Done);
    assert_eq!(status(soon).status, ActionStatus::Dropped);
    assert_eq!(
        status(soon).status_reason.as_deref(),
        Some("Matching panel no longer needed: plan changed")
    );
    assert!(h.render(80, 24).contains("1 open actions"));
}

#[test]
fn the_chair_sees_how_far_behind_the_plan_the_meeting_runs() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Down);
    // The second child's slot is 09:45-10:00; it is 10:12 on the day.
    h.app.clock_time = Some(hm(10, 12));
    let screen = h.render(120, 40);
    assert!(
        screen.contains("Timing: this child's slot 09:45–10:00, 12 min behind; the meeting ends about 10:27 (planned 13:00)"),
        "{screen}"
    );
    h.key(KeyCode::Enter);
    let card = h.render(120, 40);
    assert!(card.contains("slot 09:45–10:00, 12 min behind"), "{card}");
    // Without the wall clock (snapshots), no timing line.
    h.app.clock_time = None;
    assert!(!h.render(120, 40).contains("Timing"));
}

#[test]
fn slash_jumps_to_a_child_by_id_and_the_presenter_view_follows() {
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.char('/');
    h.typ("103");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Card);
    let screen = h.render(80, 24);
    assert!(
        screen.contains(&format!("Child {}  (item 3 of 3)", CHILDREN[2])),
        "{screen}"
    );
    let agenda = h.store.agenda(h.meeting).unwrap();
    let stored = h.store.meeting(h.meeting).unwrap().unwrap().current_item;
    assert_eq!(stored, Some(agenda[2].id));
    // No match: said, and nothing moves.
    h.char('/');
    h.typ("X99");
    h.key(KeyCode::Enter);
    assert!(
        h.render(80, 24)
            .contains("Child: no child of the panel matches 'X99'.")
    );
    assert_eq!(h.app.current, 2);
}

// ------------------------------------------------------------ the full card

/// A Telford panel whose first agenda child has two periods of care, a
/// plan, reviews (the next one overdue) and two earlier meetings: one
/// quorate with two actions, one older and inquorate. The second agenda
/// child is missing from the extract.
fn full_card_harness() -> Harness {
    let terms = Terms::load("telford").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let child = "C000104";
    let older = store
        .add_meeting(day("25/09/2026"), hm(9, 30), hm(13, 0), now())
        .unwrap();
    let earlier = store
        .add_meeting(day("30/10/2026"), hm(9, 30), hm(13, 0), now())
        .unwrap();
    let meeting = store
        .add_meeting(day("27/11/2026"), hm(9, 30), hm(13, 0), now())
        .unwrap();
    {
        let mut import = store.begin_extract_import().unwrap();
        // One review in the first period (not counted), six in the second.
        let record = child_with_id(child, "10/10/2014")
            .ep("05/01/2018  S  V2  U6  PR1  20/07/2018  E4A")
            .ep("02/03/2020  S  V2  U6  PR1  01/09/2020")
            .ep("01/09/2020  L  C2  U6  PR1  01/03/2022")
            .ep("01/03/2022  P  C2  U6  PR4  open")
            .reviews(&[
                "25/01/2018",
                "20/03/2020",
                "15/06/2020",
                "10/12/2020",
                "01/06/2021",
                "20/11/2021",
                "15/05/2022",
            ])
            .build();
        insert_history(&mut import, &record);
        import.finish(now(), &[]).unwrap();
    }
    {
        let mut plans = store.begin_plans_import().unwrap();
        plans
            .upsert(&PlanFacts {
                child: child.into(),
                plan: Some(PlanKind::LongTermFostering),
                plan_agreed: Some(day("14/02/2023")),
                match_agreed: None,
                no_pr: false,
                potential_sgo: true,
                achieved: None,
                contingency: None,
            })
            .unwrap();
        plans.finish(now(), &[]).unwrap();
    }
    store
        .record_decision(
            older,
            child,
            "Plan of long-term fostering to be confirmed.",
            false,
            now(),
        )
        .unwrap();
    store
        .record_decision(
            earlier,
            child,
            "Family finding to start for a long-term match.",
            true,
            now(),
        )
        .unwrap();
    let mut action = |text: &str, owner: &str, due: &str| {
        store
            .add_action(
                &NewAction {
                    meeting: earlier,
                    child: child.into(),
                    text: text.into(),
                    owner: owner.into(),
                    deadline: day(due),
                },
                now(),
            )
            .unwrap()
    };
    let done = action(
        "Send the profile to family finding",
        "Team Manager",
        "13/11/2026",
    );
    action("Book the matching panel", "Social Worker", "18/12/2026");
    store
        .set_action_status(done, ActionStatus::Done, None, now())
        .unwrap();
    store
        .set_agenda(
            meeting,
            &[
                (
                    child.into(),
                    "foster-12m".into(),
                    vec!["With the same foster carers.".into()],
                ),
                (
                    "C000105".into(),
                    "referral".into(),
                    vec!["Referred by the IRO.".into()],
                ),
            ],
            now(),
        )
        .unwrap();
    Harness::open(store, terms, meeting)
}

/// Issue 17: the card says which Fostering Panel the child's long-term
/// match is booked to (`fostering-panel book`); a child with no long-term
/// fostering plan and no booking gets no line at all.
#[test]
fn the_card_names_the_fostering_panel_the_child_is_booked_to() {
    let mut h = full_card_harness();
    h.store
        .add_fostering_panel(day("14/01/2027"), 4, now())
        .unwrap();
    h.store
        .book_fostering_panel("C000104", day("14/01/2027"), now())
        .unwrap();
    h.reload();
    h.char('g');
    h.key(KeyCode::Enter);
    let plan = section(&h.render(120, 90), "PLAN").join("\n");
    assert!(
        plan.contains("Fostering Panel: booked for 14/01/2027"),
        "{plan}"
    );
    assert!(!plan.contains("not booked"), "{plan}");

    // No plan and no booking: nothing is said.
    let mut h = Harness::new("wiltshire");
    h.char('g');
    h.key(KeyCode::Enter);
    let screen = h.render(120, 40);
    assert!(screen.contains("No plan recorded."), "{screen}");
    assert!(!screen.contains("Fostering Panel"), "{screen}");
}

/// The lines of the rendered card between heading `from` and the next
/// heading (or the end), each trimmed.
fn section(screen: &str, from: &str) -> Vec<String> {
    screen
        .lines()
        .skip_while(|l| l.trim() != from)
        .skip(1)
        .take_while(|l| {
            let t = l.trim();
            !(t.len() > 3 && t.chars().all(|c| c.is_uppercase() || c == ' '))
        })
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_full_card_has_every_section_from_the_record_and_earlier_meetings() {
    let mut h = full_card_harness();
    h.char('g');
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Card);
    // Tall enough to hold the whole card at once.
    let screen = h.render(120, 90);
    insta::assert_snapshot!("full_card_120x90", screen);

    let summary = section(&screen, "SUMMARY").join("\n");
    assert!(summary.contains("12 years"), "{summary}");
    assert!(
        summary.contains("C2 full care order, since 01/09/2020"),
        "{summary}"
    );
    assert!(summary.contains("U6 "), "{summary}");
    assert!(summary.contains("since 01/03/2022"), "{summary}");

    // Every cohort of the terms the child meets, the one listed under first,
    // each with the rules' own sentence.
    let why = section(&screen, "WHY THIS CHILD IS LISTED");
    let record = h.store.child_record("C000104").unwrap().unwrap();
    let met = permanence_panel::rules::cohorts::memberships(
        &record,
        &h.app.terms,
        day("27/11/2026"),
        &Default::default(),
    );
    assert!(met.len() >= 2, "the fixture meets several cohorts: {met:?}");
    assert!(
        why[0].starts_with(
            "• With foster carers for longer than 12 months: the reason for this agenda"
        ),
        "{why:?}"
    );
    let why_text = why.join(" ");
    for m in &met {
        assert!(
            why_text.contains(m.cohort.title()),
            "{} missing: {why:?}",
            m.cohort
        );
        // The sentence, as wrapped onto the card.
        let words: String = m.reason.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(why_text.contains(&words), "{words} missing: {why:?}");
    }
    assert!(
        !why_text.contains("With the same foster carers."),
        "the rules' sentence, not the stored one"
    );

    let plan = section(&screen, "PLAN").join("\n");
    assert!(
        plan.contains("long-term fostering, agreed 14/02/2023"),
        "{plan}"
    );
    assert!(plan.contains("Match         not agreed"), "{plan}");
    assert!(plan.contains("special guardianship"), "{plan}");
    assert!(plan.contains("Permanence    not yet"), "{plan}");
    // A long-term fostering plan waiting for its match, not booked.
    assert!(plan.contains("Fostering Panel: not booked"), "{plan}");

    let reviews = section(&screen, "REVIEWS").join("\n");
    assert!(
        reviews.contains("6 reviews in this period of care (since 02/03/2020)"),
        "{reviews}"
    );
    assert!(reviews.contains("Last review   15/05/2022"), "{reviews}");
    assert!(
        reviews.contains("OVERDUE: was due by 15/11/2022"),
        "{reviews}"
    );

    // Newest first, each period of care under its start.
    let history = section(&screen, "HISTORY");
    assert_eq!(
        history[0], "Period of care began 02/03/2020 (continuing)",
        "{history:?}"
    );
    assert!(
        history[1].starts_with("01/03/2022–now: C2 full care order"),
        "{history:?}"
    );
    let second = history
        .iter()
        .position(|l| l.starts_with("Period of care began 05/01/2018"))
        .expect("the first period");
    assert!(
        history[second].ends_with("(ended 20/07/2018)"),
        "{history:?}"
    );
    let periods: Vec<&String> = history
        .iter()
        .filter(|l| l.starts_with("Period of care"))
        .collect();
    assert_eq!(periods.len(), 2, "{history:?}");
    let joined = history.join(" ");
    assert!(joined.contains("05/01/2018–20/07/2018: V2"), "{history:?}");
    assert!(
        joined.contains("E4A"),
        "the reason the first period ended: {history:?}"
    );
    assert!(joined.contains("PR4"), "{history:?}");

    // This meeting's decision and actions are in the summary, in view.
    assert!(
        summary.contains("Decision      (none yet; press d)"),
        "{summary}"
    );
    assert!(
        summary.contains("Actions       1 open of 2 (press a)"),
        "{summary}"
    );
    let meetings = section(&screen, "AT EARLIER MEETINGS");
    let text = meetings.join("\n");
    let october = text
        .find("Meeting of 30/10/2026")
        .expect("the earlier meeting");
    let september = text
        .find("Meeting of 25/09/2026")
        .expect("the older meeting");
    assert!(october < september, "newest first: {text}");
    assert!(
        text.contains("Family finding to start for a long-term match."),
        "{text}"
    );
    assert!(
        text.contains(
            "Plan of long-term fostering to be confirmed. [flagged: made while not quorate]"
        ),
        "{text}"
    );
    assert!(
        text.contains("[done] Send the profile to family finding; Team Manager, due 13/11/2026"),
        "{text}"
    );
    assert!(
        text.contains("[open] Book the matching panel; Social Worker, due 18/12/2026"),
        "{text}"
    );
}

#[test]
fn the_card_scrolls_under_a_fixed_header_and_starts_at_the_top_for_the_next_child() {
    let mut h = full_card_harness();
    h.char('g');
    h.key(KeyCode::Enter);
    let top = h.render(80, 24);
    let header = "Child C000104  (item 1 of 2)";
    assert!(
        top.lines().nth(2).is_some_and(|l| l.contains(header)),
        "{top}"
    );
    assert!(top.contains("SUMMARY"), "{top}");
    h.key(KeyCode::Down);
    let down = h.render(80, 24);
    assert!(
        down.lines().nth(2).is_some_and(|l| l.contains(header)),
        "the header stays: {down}"
    );
    assert!(!down.contains("SUMMARY"), "scrolled a line: {down}");
    // Page by page to the end: the last section shows and ↓ goes no further.
    for _ in 0..20 {
        h.key(KeyCode::PageDown);
        h.render(80, 24);
    }
    let bottom = h.render(80, 24);
    assert!(bottom.contains("Meeting of 25/09/2026"), "{bottom}");
    assert!(
        bottom.lines().nth(2).is_some_and(|l| l.contains(header)),
        "{bottom}"
    );
    let furthest = h.app.screens.card.scroll;
    h.key(KeyCode::Down);
    assert_eq!(
        h.app.screens.card.scroll, furthest,
        "no scrolling past the end"
    );
    h.key(KeyCode::PageUp);
    assert!(h.app.screens.card.scroll < furthest);
    h.key(KeyCode::Up);
    h.key(KeyCode::Char('k'));
    assert!(h.render(80, 24) != bottom);
    // The next child's card starts at its top.
    h.char('n');
    assert_eq!(h.app.screens.card.scroll, 0);
    let next = h.render(80, 24);
    assert!(next.contains("Child C000105  (item 2 of 2)"), "{next}");
    assert!(next.contains("not in the latest SSDA903 import"), "{next}");
    assert!(
        next.contains("Referred to the panel: the reason for this agenda"),
        "{next}"
    );
    assert!(next.contains("Referred by the IRO."), "{next}");
}

#[test]
fn home_says_how_to_get_a_meeting_and_an_agenda_in_full_at_80x24() {
    let mut h = Harness::new("wiltshire");
    // No meeting at all: the whole sentence shows, wrapped, with the keys
    // that lead to planning the year (issue 22: no command line needed).
    h.app = App::new(
        Terms::load("wiltshire").unwrap(),
        MeetingData::default(),
        clock().today(),
    );
    let screen = h
        .render(80, 24)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        screen.contains("Y opens the meetings, where p plans a year's meetings")
            && screen.contains("then b builds the first agenda")
            && screen.contains("m manages the panel's members"),
        "{screen}"
    );
    // A meeting with nothing on its agenda: the key that builds it.
    h.store.set_agenda(h.meeting, &[], now()).unwrap();
    h.reopen();
    let screen = h
        .render(80, 24)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        screen.contains("Agenda for 27/11/2026 not built yet (b)")
            && screen.contains("No child is listed yet: b builds the agenda."),
        "{screen}"
    );
}

/// Issue 23: the card says a decision's outcome beside its text, with the
/// kind of item when it is not a tracking review; a decision without an
/// outcome shows none.
#[test]
fn the_card_shows_the_outcome_beside_the_decision() {
    let mut h = Harness::new("knowsley");
    let terms = Terms::load("knowsley").unwrap();
    let funding = terms.item_type("funding-request").unwrap();
    h.store
        .record_decision_with_outcome(
            &permanence_panel::store::NewDecision {
                meeting: h.meeting,
                child: &c(0),
                text: "The request is declined.",
                quorate: true,
                quorum: None,
            },
            funding,
            &OutcomeRecord {
                item_type: "funding-request".into(),
                outcome: Outcome::Declined,
                deferred_to: None,
                referred_to: None,
                reason: None,
                commitment: None,
            },
            now(),
        )
        .unwrap();
    h.store
        .record_decision(h.meeting, &c(1), "Plan endorsed.", true, now())
        .unwrap();
    h.reload();
    h.char('g');
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Card);
    let screen = h.render(120, 40);
    assert!(
        screen.contains("Decision      The request is declined."),
        "{screen}"
    );
    assert!(
        screen.contains("Outcome       Funding request: declined"),
        "{screen}"
    );
    // The next child's decision was recorded without an outcome.
    h.key(KeyCode::Right);
    let screen = h.render(120, 40);
    assert!(screen.contains("Plan endorsed."), "{screen}");
    assert!(!screen.contains("Outcome "), "{screen}");
}
