//! Issue #8, the live meeting complete: the command palette, the mouse,
//! the matters arising, a snapshot of every screen and overlay at both
//! sizes, and every binding of the keymap table doing what its message says.
//! Uses the harness of `tests/tui.rs` (this is its submodule).

use super::*;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use permanence_panel::rules::papers::PaperStatus;
use permanence_panel::tui::keymap::{Binding, Context, Key};
use permanence_panel::tui::matters::matters_arising;
use permanence_panel::tui::mouse::{Target, message_for_mouse};
use permanence_panel::tui::palette::{self, PaletteMsg};
use permanence_panel::tui::{MemberField, Msg};

/// The meeting before this one (30/10/2026), and its actions.
pub(super) struct Earlier {
    meeting: Id,
    /// Raised then, due before today: overdue.
    pub(super) overdue: Id,
    /// Raised then, due after today: still a matter arising.
    carried: Id,
    /// Raised then and done since: not a matter.
    done: Id,
}

/// The harness's panel with what a demo panel has after a few months: an
/// earlier meeting with actions, actions of this meeting, and a named
/// deputy on the roll call (the last row).
pub(super) fn demo_like() -> (Harness, Earlier) {
    let mut h = Harness::new("wiltshire");
    h.store
        .add_member(
            &NewMember {
                role: "service-manager-cp".into(),
                job_title: "Deputy Service Manager".into(),
                name: None,
                kind: MemberKind::Standing,
                substitute_for: Some("service-manager-crs".into()),
            },
            now(),
        )
        .unwrap();
    let earlier_meeting = h
        .store
        .add_meeting(day("30/10/2026"), hm(9, 30), hm(13, 0), now())
        .unwrap();
    let add = |h: &mut Harness, meeting: Id, child: &str, text: &str, owner: &str, due: &str| {
        h.store
            .add_action(
                &NewAction {
                    meeting,
                    child: child.into(),
                    text: text.into(),
                    owner: owner.into(),
                    deadline: day(due),
                },
                now(),
            )
            .unwrap()
    };
    let overdue = add(
        &mut h,
        earlier_meeting,
        CHILDREN[1],
        "Send the later life letter",
        "Kinship and Fostering Team Manager",
        "20/11/2026",
    );
    let carried = add(
        &mut h,
        earlier_meeting,
        CHILDREN[0],
        "Book the matching panel",
        "Panel Administrator",
        "18/12/2026",
    );
    let done = add(
        &mut h,
        earlier_meeting,
        CHILDREN[0],
        "Update the care plan",
        "Independent Reviewing Officer",
        "13/11/2026",
    );
    h.store
        .set_action_status(done, ActionStatus::Done, None, now())
        .unwrap();
    // Of this meeting: one due today (arises), one later (does not).
    let meeting = h.meeting;
    add(
        &mut h,
        meeting,
        CHILDREN[2],
        "Check the contact arrangements",
        "Independent Reviewing Officer",
        "27/11/2026",
    );
    add(
        &mut h,
        meeting,
        CHILDREN[2],
        "Review the placement plan",
        "Head of Service",
        "08/01/2027",
    );
    h.reopen();
    (
        h,
        Earlier {
            meeting: earlier_meeting,
            overdue,
            carried,
            done,
        },
    )
}

/// Sends a mouse event as the event loop does: the terminal's size is
/// known (`Msg::Resize`), and a frame at that size says what is where.
pub(super) fn mouse(
    h: &mut Harness,
    size: (u16, u16),
    kind: MouseEventKind,
    column: u16,
    row: u16,
) {
    update(&mut h.app, Msg::Resize(size.0, size.1));
    let event = MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    if let Some(msg) = message_for_mouse(&h.app, event) {
        let effects = update(&mut h.app, msg);
        apply(effects, &mut h.store, &mut h.app, h.at);
    }
}

/// Where `text` is drawn (column, row), read off the screen as a person would.
fn find(h: &Harness, size: (u16, u16), text: &str) -> (u16, u16) {
    let screen = h.render(size.0, size.1);
    for (row, line) in screen.lines().enumerate() {
        if let Some(at) = line.find(text) {
            let column = line[..at].chars().count();
            return (column as u16, row as u16);
        }
    }
    panic!("{text:?} is not on the screen:\n{screen}");
}

/// A left click on the first place `text` is drawn.
pub(super) fn click(h: &mut Harness, size: (u16, u16), text: &str) {
    let (column, row) = find(h, size, text);
    mouse(
        h,
        size,
        MouseEventKind::Down(MouseButton::Left),
        column,
        row,
    );
}

/// A click on the footer entry that reads `entry` (the last row).
fn click_footer(h: &mut Harness, size: (u16, u16), entry: &str) {
    let screen = h.render(size.0, size.1);
    let footer = screen.lines().last().unwrap_or_default();
    let at = footer
        .find(entry)
        .unwrap_or_else(|| panic!("the footer lacks {entry:?}: {footer}"));
    let column = footer[..at].chars().count() as u16;
    mouse(
        h,
        size,
        MouseEventKind::Down(MouseButton::Left),
        column + 1,
        size.1 - 1,
    );
}

const SMALL: (u16, u16) = (80, 24);
const LARGE: (u16, u16) = (120, 40);

// ---------------------------------------------------------------- palette

#[test]
fn the_palette_offers_the_screens_bindings_and_the_children() {
    let (mut h, _) = demo_like();
    h.char('g');
    h.char(':');
    assert!(h.app.palette().is_some());
    let labels: Vec<String> = palette::commands(&h.app)
        .into_iter()
        .map(|c| c.label)
        .collect();
    // The agenda's own keys, the keys of every browsing screen, and a
    // "Go to child" for each child; never an editing key.
    for wanted in [
        "Next child (the presenter view follows)",
        "Open the current child's card",
        "Go to the roll call",
        "Quit (asks first if typing is unsaved)",
        "Go to child C000103 (external-residential-12m)",
    ] {
        assert!(labels.iter().any(|l| l == wanted), "{wanted}: {labels:?}");
    }
    assert!(!labels.iter().any(|l| l.contains("cursor")), "{labels:?}");
    // Each message once: "Show this help" by ? and by F1 is one command.
    let helps = labels.iter().filter(|l| l.contains("help")).count();
    assert_eq!(helps, 1, "{labels:?}");
    // A card's keys are not offered on the agenda.
    assert!(!labels.iter().any(|l| l == "Record the panel's decision"));
    // Nor is going to the agenda, where the chair already is.
    assert!(
        !labels.iter().any(|l| l == "Go to the agenda"),
        "{labels:?}"
    );
}

#[test]
fn typing_in_the_palette_narrows_and_ranks_and_enter_runs_the_best() {
    let (mut h, _) = demo_like();
    h.char('g');
    h.char(':');
    h.typ("roll");
    let found = palette::matches(&h.app);
    assert_eq!(found[0].label, "Go to the roll call");
    assert!(
        found
            .iter()
            .all(|c| palette::score("roll", &c.label).is_some())
    );
    let screen = h.render(80, 24);
    assert!(screen.contains(": roll"), "{screen}");
    // Backspace widens again; Esc closes without running anything.
    h.key(KeyCode::Backspace);
    assert!(h.app.palette().unwrap().query.text() == "rol");
    h.key(KeyCode::Esc);
    assert!(h.app.palette().is_none());
    assert_eq!(h.app.screen, Screen::Agenda);
    // Letters of a child's id find the child; Enter opens their card.
    h.char(':');
    h.typ("c103");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Card);
    assert_eq!(h.app.current, 2);
    let stored = h.store.meeting(h.meeting).unwrap().unwrap().current_item;
    assert_eq!(stored, Some(h.store.agenda(h.meeting).unwrap()[2].id));
    // The highlight stays on a match as typing shortens the list.
    h.char(':');
    for _ in 0..30 {
        h.key(KeyCode::Down);
    }
    let all = palette::matches(&h.app).len();
    assert_eq!(h.app.palette().unwrap().selected, all - 1);
    h.typ("roll");
    let left = palette::matches(&h.app).len();
    assert!(left < all);
    assert!(h.app.palette().unwrap().selected < left);
    h.key(KeyCode::Esc);
    // Nothing matching: Enter does nothing but close.
    h.char(':');
    h.typ("zzzz");
    assert!(h.render(80, 24).contains("No command matches."));
    h.key(KeyCode::Enter);
    assert!(h.app.palette().is_none());
    assert_eq!(h.app.screen, Screen::Card);
}

/// Everything the tests compare: the app's state and how many writes the
/// store has recorded.
fn state(h: &Harness) -> String {
    let a = &h.app;
    format!(
        "{:?}",
        (
            (
                a.screen,
                a.help_open(),
                a.help_scroll(),
                a.confirm_quit(),
                a.quit
            ),
            (
                a.screens.roll_call.cursor,
                a.current,
                a.screens.members.cursor,
                a.screens.action_list.cursor
            ),
            (
                a.screens.matters.cursor,
                a.palette(),
                &a.notice,
                a.screens.member_form.editing,
                a.screens.interests.cursor
            ),
            (
                &a.screens.decision.drafts,
                &a.screens.actions.forms,
                &a.screens.member_form.drafts
            ),
            (
                &a.screens.action_list.filter,
                a.screens.drop_action.action,
                &a.screens.drop_action.reason
            ),
            (
                &a.screens.jump.text,
                h.store.audit_entries().unwrap().len(),
                a.screens.card.scroll,
                a.screens.visit.scroll
            ),
            (
                a.screens.meetings.cursor,
                a.screens.referrals.cursor,
                a.screens.agenda_builder.cursor,
                &a.screens.prep_form.fields,
                (a.screens.prep_form.focus, a.screens.prep_form.picked),
                a.screens.fostering.cursor,
            ),
            (
                a.screens.papers.cursor,
                (a.screens.files.cursor, a.screens.files.minutes_format),
                a.screens.files.reports,
                &a.screens.folder.typed,
            ),
            (
                a.screens.returns.scroll,
                a.screens.returns.showing_check,
                &a.screens.import_prompt.typed,
                &a.data.files_folder,
            ),
            (
                &a.screens.decision.outcomes,
                (a.screens.dissent.cursor, &a.screens.dissent.view),
                a.screens.sign_offs.cursor,
                &a.screens.sign_off_form,
            ),
        )
    )
}

#[test]
fn running_a_palette_command_does_what_its_key_does() {
    for screen_keys in ["g", "gc", "r", "l", "M", "m"] {
        let (mut h, _) = demo_like();
        h.typ(screen_keys);
        let commands = palette::commands(&h.app);
        let bindings: Vec<&Binding> = tui::KEYMAP.iter().collect();
        for (i, command) in commands.iter().enumerate() {
            let Some(binding) = bindings
                .iter()
                .find(|b| b.description == command.label && b.msg == command.msg)
            else {
                continue; // a "Go to child": it has no key
            };
            let (mut by_key, _) = demo_like();
            by_key.typ(screen_keys);
            by_key.press(key_event(binding.keys[0]));
            let (mut by_palette, _) = demo_like();
            by_palette.typ(screen_keys);
            by_palette.char(':');
            for _ in 0..i {
                by_palette.key(KeyCode::Down);
            }
            by_palette.key(KeyCode::Enter);
            assert_eq!(
                state(&by_palette),
                state(&by_key),
                "{screen_keys}: {}",
                command.label
            );
        }
    }
}

// ---------------------------------------------------------------- mouse

#[test]
fn clicking_a_row_highlights_it_and_clicking_it_again_opens_it() {
    let (mut h, _) = demo_like();
    h.char('g');
    click(&mut h, SMALL, CHILDREN[2]);
    assert_eq!((h.app.screen, h.app.current), (Screen::Agenda, 2));
    // The presenter view follows a click as it follows ↓.
    let agenda = h.store.agenda(h.meeting).unwrap();
    let stored = h.store.meeting(h.meeting).unwrap().unwrap().current_item;
    assert_eq!(stored, Some(agenda[2].id));
    click(&mut h, SMALL, CHILDREN[2]);
    assert_eq!(h.app.screen, Screen::Card);
    assert!(h.render(80, 24).contains("(item 3 of 3)"));
}

#[test]
fn the_wheel_moves_the_highlight_as_the_arrows_do() {
    let (mut h, _) = demo_like();
    h.char('g');
    mouse(&mut h, LARGE, MouseEventKind::ScrollDown, 10, 5);
    mouse(&mut h, LARGE, MouseEventKind::ScrollDown, 10, 5);
    assert_eq!(h.app.current, 2);
    mouse(&mut h, LARGE, MouseEventKind::ScrollUp, 10, 5);
    assert_eq!(h.app.current, 1);
    h.char('m');
    mouse(&mut h, SMALL, MouseEventKind::ScrollDown, 10, 5);
    assert_eq!(h.app.screens.members.cursor, 1);
    // In the help, the wheel scrolls it.
    h.char('?');
    mouse(&mut h, SMALL, MouseEventKind::ScrollDown, 10, 5);
    assert_eq!(h.app.help_scroll(), 1);
    // A click under the help reaches nothing beneath it.
    let before = h.app.screens.members.cursor;
    mouse(&mut h, SMALL, MouseEventKind::Down(MouseButton::Left), 5, 8);
    assert_eq!(
        (h.app.screens.members.cursor, h.app.help_open()),
        (before, true)
    );
    // The footer below the help still answers.
    click_footer(&mut h, SMALL, "?/F1/Esc close");
    assert!(!h.app.help_open());
}

#[test]
fn the_footer_records_each_entry_where_it_is_drawn() {
    let (h, _) = demo_like();
    h.render(80, 24);
    let footer = tui::keymap::footer(&h.app);
    let mut x = 0u16;
    for (text, msg) in tui::keymap::footer_entries(&h.app) {
        let areas = tui::view::hit_map(&h.app).areas_of(Target::Footer(msg));
        assert!(!text.starts_with("↑↓"), "home has no list to move in");
        assert_eq!(areas.len(), 1, "{text}");
        assert_eq!((areas[0].x, areas[0].y), (x, 23), "{text} in {footer}");
        assert_eq!(usize::from(areas[0].width), text.chars().count());
        x += areas[0].width + tui::keymap::FOOTER_GAP.chars().count() as u16;
    }
}

/// The done-when of issue #8: a whole meeting on the demo-like panel by
/// mouse alone (typing only the words of the decision and the action).
#[test]
fn a_meeting_runs_by_mouse_alone() {
    let (mut h, _) = demo_like();
    // Roll call: from home's footer, then click each member and the
    // footer's "p present".
    click_footer(&mut h, SMALL, "r roll call");
    assert_eq!(h.app.screen, Screen::RollCall);
    for title in [
        "Head of Service",
        "Service Manager – Conference and Reviewing Service",
        "Kinship and Fostering Team Manager",
    ] {
        click(&mut h, LARGE, title);
        click_footer(&mut h, LARGE, "p present");
    }
    assert!(h.app.quorum().unwrap().quorate, "{}", h.render(120, 40));
    click_footer(&mut h, SMALL, "Esc back");
    // Matters arising first: mark the overdue one done from the footer.
    click_footer(&mut h, SMALL, "M matters");
    assert_eq!(h.app.screen, Screen::Matters);
    click(&mut h, SMALL, "Send the later life letter");
    click_footer(&mut h, SMALL, "x done");
    assert!(!h.render(80, 24).contains("Send the later life letter"));
    click_footer(&mut h, SMALL, "Esc back");
    // The agenda: step with a click, open the card with a second click.
    click_footer(&mut h, SMALL, "g agenda");
    assert_eq!(h.app.screen, Screen::Agenda);
    click(&mut h, SMALL, CHILDREN[1]);
    click(&mut h, SMALL, CHILDREN[1]);
    assert_eq!((h.app.screen, h.app.current), (Screen::Card, 1));
    // A decision: typed, saved by the footer's Save.
    click_footer(&mut h, SMALL, "d decision");
    h.typ("Adoption plan endorsed.");
    click_footer(&mut h, SMALL, "Enter save");
    assert_eq!(h.app.screen, Screen::Card);
    // An action: the footer's Tab moves between fields, Save saves.
    click_footer(&mut h, SMALL, "a actions");
    h.typ("Present the match");
    click_footer(&mut h, SMALL, "Tab next field");
    h.typ("Panel Administrator");
    // A click on a field's label moves to it, as Tab does.
    click(&mut h, SMALL, "Deadline");
    h.typ("18/12/2026");
    click_footer(&mut h, SMALL, "Enter save");
    click_footer(&mut h, SMALL, "Esc back");
    // The next child from the card's footer.
    click_footer(&mut h, SMALL, "→/n next");
    assert_eq!(h.app.current, 2);

    let decisions = h.store.decisions(h.meeting).unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].child, CHILDREN[1]);
    assert!(decisions[0].quorate);
    let actions = h.store.actions_for_meeting(h.meeting).unwrap();
    assert!(
        actions
            .iter()
            .any(|a| a.text == "Present the match" && a.deadline == day("18/12/2026"))
    );
    let present = h
        .store
        .attendance(h.meeting)
        .unwrap()
        .iter()
        .filter(|a| a.state == AttendanceState::Present)
        .count();
    assert_eq!(present, 3);
}

#[test]
fn the_footers_up_and_down_arrows_each_do_what_their_key_does() {
    let (mut h, _) = demo_like();
    h.char('r');
    let (column, row) = (1u16, 23u16); // "↑↓ move" starts the roll call's footer
    assert!(
        h.render(80, 24)
            .lines()
            .last()
            .unwrap()
            .starts_with("↑↓ move")
    );
    mouse(
        &mut h,
        SMALL,
        MouseEventKind::Down(MouseButton::Left),
        column,
        row,
    );
    mouse(
        &mut h,
        SMALL,
        MouseEventKind::Down(MouseButton::Left),
        column,
        row,
    );
    assert_eq!(h.app.screens.roll_call.cursor, 2);
    mouse(
        &mut h,
        SMALL,
        MouseEventKind::Down(MouseButton::Left),
        column - 1,
        row,
    );
    assert_eq!(h.app.screens.roll_call.cursor, 1);
    // The word itself is the entry's first key, ↑.
    mouse(
        &mut h,
        SMALL,
        MouseEventKind::Down(MouseButton::Left),
        column + 3,
        row,
    );
    assert_eq!(h.app.screens.roll_call.cursor, 0);
}

#[test]
fn clicking_a_form_field_moves_to_it_and_never_saves() {
    let (mut h, _) = demo_like();
    h.char('m');
    h.key(KeyCode::Enter);
    let writes = h.store.audit_entries().unwrap().len();
    click(&mut h, SMALL, "Deputy for");
    let field = |h: &Harness| h.app.member_form().map(|f| f.field);
    assert_eq!(field(&h), Some(MemberField::DeputyFor));
    // Again on the focused field: still only focus, no save.
    click(&mut h, SMALL, "Deputy for");
    assert_eq!(field(&h), Some(MemberField::DeputyFor));
    assert_eq!(h.app.screen, Screen::MemberForm);
    assert_eq!(h.store.audit_entries().unwrap().len(), writes);
}

#[test]
fn the_palette_is_clickable_and_a_click_outside_closes_it() {
    let (mut h, _) = demo_like();
    h.char('g');
    h.char(':');
    h.typ("roll");
    click(&mut h, SMALL, "Go to the roll call");
    assert_eq!(h.app.screen, Screen::RollCall);
    assert!(h.app.palette().is_none());
    h.char(':');
    // The second match: the first click highlights, the second runs.
    let second = palette::matches(&h.app)[1].clone();
    click(&mut h, SMALL, &second.label);
    assert_eq!(h.app.palette().unwrap().selected, 1);
    click(&mut h, SMALL, &second.label);
    assert!(h.app.palette().is_none());
    // Outside the box: closed, and nothing else happens.
    h.char(':');
    let before = h.app.screen;
    mouse(&mut h, SMALL, MouseEventKind::Down(MouseButton::Left), 0, 0);
    assert!(h.app.palette().is_none());
    assert_eq!(h.app.screen, before);
}

#[test]
fn a_right_click_opens_the_palette_so_keys_without_a_footer_entry_have_a_mouse_way() {
    let (mut h, _) = demo_like();
    click_footer(&mut h, SMALL, "r roll call");
    click(&mut h, LARGE, "Deputy Service Manager");
    mouse(
        &mut h,
        LARGE,
        MouseEventKind::Down(MouseButton::Right),
        40,
        10,
    );
    assert!(h.app.palette().is_some());
    // s has no footer entry on the roll call; the palette offers it.
    click(&mut h, LARGE, "Mark a named substitute present");
    click(&mut h, LARGE, "Mark a named substitute present");
    assert!(h.app.palette().is_none());
    let stored = h.store.attendance(h.meeting).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].state, AttendanceState::Substitute);
    // A second right click closes an open palette.
    mouse(
        &mut h,
        LARGE,
        MouseEventKind::Down(MouseButton::Right),
        40,
        10,
    );
    mouse(
        &mut h,
        LARGE,
        MouseEventKind::Down(MouseButton::Right),
        40,
        10,
    );
    assert!(h.app.palette().is_none());
}

// ---------------------------------------------------------------- matters

#[test]
fn matters_arising_are_open_earlier_or_due_actions_grouped_by_child() {
    let (mut h, earlier) = demo_like();
    let ids: Vec<Id> = matters_arising(&h.app).iter().map(|a| a.id).collect();
    // By child (C000101, C000102, C000103), then deadline.
    let today_due = h
        .app
        .data
        .all_actions
        .iter()
        .find(|a| a.text.starts_with("Check"));
    assert_eq!(
        ids,
        vec![earlier.carried, earlier.overdue, today_due.unwrap().id]
    );
    assert!(!ids.contains(&earlier.done));
    assert!(h.app.data.meeting_dates.contains_key(&earlier.meeting));
    h.char('M');
    assert_eq!(h.app.screen, Screen::Matters);
    let screen = h.render(80, 24);
    assert!(screen.contains("3 matters arising"), "{screen}");
    assert!(screen.contains("C000102 (on this agenda)"), "{screen}");
    assert!(screen.contains("20/11/2026 OVERDUE"), "{screen}");
    assert!(screen.contains("raised 30/10/2026"), "{screen}");
    assert!(!screen.contains("Review the placement plan"), "{screen}");
}

#[test]
fn a_matter_is_done_with_x_and_dropped_with_a_reason_with_z() {
    let (mut h, earlier) = demo_like();
    h.char('g');
    h.char('M');
    h.char('x'); // the first: C000101's carried action
    let status = |h: &Harness, id: Id| {
        h.store
            .all_actions()
            .unwrap()
            .into_iter()
            .find(|a| a.id == id)
            .unwrap()
    };
    assert_eq!(status(&h, earlier.carried).status, ActionStatus::Done);
    assert_eq!(h.app.screen, Screen::Matters);
    // The overdue one is first now; dropping asks why, Esc comes back here.
    h.char('z');
    assert_eq!(h.app.screen, Screen::DropAction);
    h.key(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Matters);
    h.char('z');
    h.key(KeyCode::Enter);
    assert!(h.render(80, 24).contains("Reason: say why"));
    h.typ("Letter no longer needed: plan changed");
    h.key(KeyCode::Enter);
    let dropped = status(&h, earlier.overdue);
    assert_eq!(dropped.status, ActionStatus::Dropped);
    assert_eq!(
        dropped.status_reason.as_deref(),
        Some("Letter no longer needed: plan changed")
    );
    assert_eq!(h.app.screen, Screen::Matters);
    assert_eq!(matters_arising(&h.app).len(), 1);
    assert!(h.render(80, 24).contains("1 matters arising"));
}

#[test]
fn carried_forward_until_done_the_next_meeting_still_lists_it() {
    let (mut h, earlier) = demo_like();
    // The meeting after: planned, and the app opened on it a month on.
    h.store
        .add_meeting(day("18/12/2026"), hm(9, 30), hm(13, 0), now())
        .unwrap();
    h.app = App::new(
        Terms::load("wiltshire").unwrap(),
        MeetingData::load_next(&h.store, day("18/12/2026")).unwrap(),
        day("18/12/2026"),
    );
    let ids: Vec<Id> = matters_arising(&h.app).iter().map(|a| a.id).collect();
    assert!(ids.contains(&earlier.carried) && ids.contains(&earlier.overdue));
    // This meeting's later action was raised at an earlier meeting now.
    assert_eq!(ids.len(), 4, "{ids:?}");
}

// ---------------------------------------------------------------- every screen

/// Brings the demo-like panel to `screen` as a chair would, by keys.
/// Two recommendations waiting for the Head of Service: the demo's terms
/// have no item decided elsewhere, so the tracking type here names one.
fn recommend_for_sign_off(h: &mut Harness) {
    let mut recommending = permanence_panel::terms::ItemType::default_tracking();
    recommending.outcomes.insert(0, Outcome::Recommended);
    recommending.decided_by = Some("Head of Service".into());
    for (i, child) in CHILDREN.iter().take(2).enumerate() {
        let earlier = h.store.meetings().unwrap()[0].id;
        h.store
            .record_decision_with_outcome(
                &permanence_panel::store::NewDecision {
                    meeting: if i == 0 { earlier } else { h.meeting },
                    child,
                    text: "Long-term fostering recommended.",
                    quorate: true,
                    quorum: None,
                },
                &recommending,
                &OutcomeRecord {
                    item_type: "tracking".into(),
                    outcome: Outcome::Recommended,
                    deferred_to: None,
                    referred_to: None,
                    reason: None,
                    commitment: None,
                },
                now(),
            )
            .unwrap();
    }
    h.reopen();
}

fn reach(screen: Screen) -> Harness {
    let (mut h, _) = demo_like();
    match screen {
        Screen::Home => {}
        Screen::RollCall => {
            h.char('r');
            h.char('p');
            h.char('a');
        }
        Screen::Agenda => {
            h.char('g');
            h.key(KeyCode::Down);
        }
        Screen::Card => {
            h.char('g');
            h.key(KeyCode::Enter);
        }
        Screen::Decision => {
            h.typ("gc");
            h.char('d');
            h.typ("Long-term fostering endorsed.");
        }
        Screen::Actions => {
            h.typ("gc");
            h.char('a');
            h.typ("Book the matching panel");
        }
        Screen::Members => {
            h.char('m');
            h.key(KeyCode::Down);
        }
        Screen::MemberForm => {
            h.char('m');
            h.key(KeyCode::Enter);
        }
        Screen::ActionList => {
            h.char('l');
            h.key(KeyCode::Down);
        }
        Screen::DropAction => {
            h.char('l');
            h.char('z');
            h.typ("Plan changed");
        }
        Screen::Jump => {
            h.typ("g/");
            h.typ("10");
        }
        Screen::Matters => {
            h.char('M');
            h.key(KeyCode::Down);
        }
        Screen::Note => {
            h.char('g');
            h.key(KeyCode::Enter);
            h.char('e');
            h.typ("Check the sibling contact first.");
        }
        Screen::AttendanceTime => {
            // Minuted the day after: leaving asks the time.
            h.app.today = day("28/11/2026");
            h.at = day("28/11/2026").and_time(hm(10, 0));
            h.char('r');
            h.char('p');
            h.char('k');
            h.char('x');
            h.typ("11:4");
        }
        Screen::Initials => {
            h.char('i');
            h.typ("jb");
        }
        Screen::Visit => {
            h.typ("gc/");
            h.typ(super::NOT_ON_AGENDA);
            h.key(KeyCode::Enter);
        }
        Screen::Interests => {
            // Three members in the room, then the card's I.
            h.typ("rppp");
            h.char('g');
            h.key(KeyCode::Enter);
            h.char('I');
            h.key(KeyCode::Down);
        }
        Screen::Meetings => {
            // The year after planned from the cadence, so the meeting the
            // app is on has meetings either side of it.
            h.char('Y');
            h.char('p');
            h.key(KeyCode::Enter);
            h.key(KeyCode::Down);
        }
        Screen::Referrals => {
            for (child, made_on) in [(0, "02/11/2026"), (1, "10/11/2026"), (2, "20/11/2026")] {
                super::preparation::refer(&mut h, CHILDREN[child], made_on);
            }
            h.reopen();
            h.char('R');
            h.key(KeyCode::Down);
        }
        Screen::AgendaBuilder => {
            h.char('b');
            h.key(KeyCode::Down);
        }
        Screen::Fostering => {
            // A sitting past, one to come empty, one with a child booked.
            for (on, slots) in [("08/10/2026", 2), ("14/01/2027", 1), ("11/03/2027", 2)] {
                h.store.add_fostering_panel(day(on), slots, now()).unwrap();
            }
            h.store
                .book_fostering_panel(CHILDREN[2], day("11/03/2027"), now())
                .unwrap();
            // Two children with a long-term fostering plan and no match.
            for child in [CHILDREN[1], CHILDREN[2]] {
                h.store
                    .set_plan_facts(
                        &PlanFacts {
                            child: child.to_owned(),
                            plan: Some(PlanKind::LongTermFostering),
                            contingency: None,
                            plan_agreed: Some(day("01/03/2026")),
                            match_agreed: None,
                            no_pr: false,
                            potential_sgo: false,
                            achieved: None,
                        },
                        now(),
                    )
                    .unwrap();
            }
            h.reload();
            h.char('O');
            h.key(KeyCode::Down);
        }
        Screen::PrepForm => {
            // A child added by hand: three children match what is typed.
            h.char('b');
            h.char('a');
            h.typ("C00010");
            h.key(KeyCode::Tab);
            h.typ("Sibling heard together");
            h.key(KeyCode::BackTab);
        }
        Screen::Papers => {
            h.char('P');
            h.key(KeyCode::Down);
            h.char('r');
        }
        Screen::Files => {
            h.char('F');
            h.key(KeyCode::Down);
        }
        Screen::Folder => {
            h.typ("Fo");
            h.typ("/srv/panel/papers");
        }
        Screen::Returns => {
            h.char('I');
        }
        Screen::ImportPrompt => {
            h.typ("Ii");
            h.typ("/srv/returns/2025-26");
        }
        Screen::Dissent => {
            // Three members in the room, a decision saved, then D.
            h.typ("rppp");
            h.typ("gc");
            h.char('d');
            h.typ("Long-term fostering endorsed.");
            h.key(KeyCode::Enter);
            h.char('D');
            h.key(KeyCode::Down);
            h.typ("The child's wishes need hearing first.");
        }
        Screen::SignOffs | Screen::SignOffForm => {
            recommend_for_sign_off(&mut h);
            h.char('S');
            if screen == Screen::SignOffForm {
                h.key(KeyCode::Enter);
                h.key(KeyCode::Down);
                h.typ("Review the allowance at six months.");
            }
        }
    }
    assert_eq!(h.app.screen, screen, "{}", h.render(120, 40));
    h
}

#[test]
fn every_screen_and_overlay_at_both_sizes() {
    let screens = [
        Screen::Home,
        Screen::RollCall,
        Screen::Agenda,
        Screen::Card,
        Screen::Decision,
        Screen::Actions,
        Screen::Members,
        Screen::MemberForm,
        Screen::ActionList,
        Screen::DropAction,
        Screen::Jump,
        Screen::Matters,
        Screen::Note,
        Screen::AttendanceTime,
        Screen::Initials,
        Screen::Visit,
        Screen::Interests,
        Screen::Meetings,
        Screen::Referrals,
        Screen::AgendaBuilder,
        Screen::Fostering,
        Screen::PrepForm,
        Screen::Papers,
        Screen::Files,
        Screen::Folder,
        Screen::Returns,
        Screen::ImportPrompt,
        Screen::Dissent,
        Screen::SignOffs,
        Screen::SignOffForm,
    ];
    for screen in screens {
        let h = reach(screen);
        let name = screen.title().to_lowercase().replace(' ', "_");
        let footer = tui::keymap::footer(&h.app);
        assert!(footer.chars().count() <= 80, "{screen:?}: {footer}");
        insta::assert_snapshot!(format!("screen_{name}_80x24"), h.render(80, 24));
        insta::assert_snapshot!(format!("screen_{name}_120x40"), h.render(120, 40));
    }
    let mut h = reach(Screen::Card);
    h.char('?');
    insta::assert_snapshot!("overlay_help_80x24", h.render(80, 24));
    insta::assert_snapshot!("overlay_help_120x40", h.render(120, 40));
    let mut h = reach(Screen::Agenda);
    h.char(':');
    h.typ("go");
    insta::assert_snapshot!("overlay_palette_80x24", h.render(80, 24));
    insta::assert_snapshot!("overlay_palette_120x40", h.render(120, 40));
    let mut h = reach(Screen::Decision);
    h.ctrl('q');
    assert!(h.app.confirm_quit());
    insta::assert_snapshot!("overlay_quit_question_80x24", h.render(80, 24));
    insta::assert_snapshot!("overlay_quit_question_120x40", h.render(120, 40));
}

// ---------------------------------------------------------------- every binding

fn key_event(key: Key) -> KeyEvent {
    let code = match key {
        Key::Char(c) => KeyCode::Char(c),
        Key::Ctrl(c) => return KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
        Key::Alt(c) => return KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT),
        Key::F(n) => KeyCode::F(n),
        Key::Up => KeyCode::Up,
        Key::Down => KeyCode::Down,
        Key::Left => KeyCode::Left,
        Key::Right => KeyCode::Right,
        Key::Home => KeyCode::Home,
        Key::End => KeyCode::End,
        Key::PageUp => KeyCode::PageUp,
        Key::PageDown => KeyCode::PageDown,
        Key::Enter => KeyCode::Enter,
        Key::Esc => KeyCode::Esc,
        Key::Tab => KeyCode::Tab,
        Key::BackTab => KeyCode::BackTab,
        Key::Backspace => KeyCode::Backspace,
        Key::Delete => KeyCode::Delete,
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// The demo-like panel where `binding` applies, with something for its key
/// to act on (a highlight not at the top, a child not the first, text with
/// the cursor inside it, a form ready to save).
fn set_up_for(binding: &Binding) -> Harness {
    let mut h = match binding.context {
        Context::Screen(Screen::Actions) => {
            let mut h = reach(Screen::Card);
            h.char('a');
            h.typ("Book the matching panel");
            h.key(KeyCode::Tab);
            h.key(KeyCode::Down);
            h.key(KeyCode::Down);
            h.key(KeyCode::Tab);
            // A Saturday for Alt+W to move; a working day for the rest.
            if binding.msg == Msg::MoveDeadlineOffClosedDay {
                h.typ("19/12/2026");
            } else {
                h.typ("18/12/2026");
            }
            h
        }
        Context::Screen(Screen::MemberForm) => {
            let mut h = reach(Screen::MemberForm);
            h.key(KeyCode::Tab); // to Role, which ↑↓ choose
            h
        }
        Context::Screen(Screen::RollCall) => {
            let mut h = reach(Screen::RollCall);
            h.key(KeyCode::Up);
            h
        }
        // A dissent is from a saved decision: one is saved, then the card
        // (or the decision form, for Alt+D) is where the key is pressed.
        Context::Screen(Screen::Card | Screen::Decision)
            if binding.msg == Msg::Open(Screen::Dissent) =>
        {
            let mut h = reach(Screen::Dissent);
            h.key(KeyCode::Esc);
            if binding.context == Context::Screen(Screen::Decision) {
                h.char('d');
            }
            h
        }
        Context::Screen(Screen::SignOffs) => {
            // The second of two highlighted, so ↑ and ↓ each move.
            let mut h = reach(Screen::SignOffs);
            if binding.msg == Msg::Up {
                h.key(KeyCode::Down);
            }
            h
        }
        Context::Screen(Screen::Card) => {
            let mut h = reach(Screen::Agenda); // the second child
            h.key(KeyCode::Enter);
            // Drawn, then a line down: the card can scroll either way.
            h.render(80, 24);
            h.key(KeyCode::Down);
            assert_eq!(h.app.screens.card.scroll, 1, "{}", h.render(80, 24));
            h
        }
        Context::Screen(Screen::Visit) => {
            let mut h = reach(Screen::Visit);
            // Drawn, then a line down: the card can scroll either way.
            h.render(80, 24);
            h.key(KeyCode::Down);
            assert_eq!(h.app.screens.visit.scroll, 1, "{}", h.render(80, 24));
            h
        }
        Context::Screen(Screen::PrepForm) => {
            let mut h = reach(Screen::PrepForm);
            // One match, so Enter saves the child with the reason typed.
            if binding.msg == Msg::Save {
                h.char('1');
            }
            h
        }
        Context::Screen(Screen::Files) => {
            // A report, a period back, so ← and → each move it.
            let mut h = reach(Screen::Files);
            h.typ("jj");
            h.key(KeyCode::Left);
            h
        }
        Context::Screen(Screen::Papers) => {
            // `reach` leaves the second paper received: s and a change it;
            // r changes the first, awaited.
            let mut h = reach(Screen::Papers);
            if binding.msg == Msg::SetPaper(PaperStatus::Received) {
                h.key(KeyCode::Up);
            }
            h
        }
        Context::Screen(Screen::Returns) => {
            // A refused import says why over several lines: room to scroll.
            let mut h = reach(Screen::Returns);
            h.char('i');
            h.typ("/no/such/folder");
            h.key(KeyCode::Enter);
            h.key(KeyCode::Down);
            h
        }
        Context::Screen(screen) => reach(screen),
        Context::Browsing => {
            let mut h = reach(Screen::Agenda);
            h.key(KeyCode::Enter); // the card binds none of the browsing keys
            h
        }
        Context::Typing | Context::Anywhere => {
            let mut h = reach(Screen::Decision);
            h.key(KeyCode::Left);
            h
        }
        Context::Help => {
            let mut h = reach(Screen::Card);
            h.char('?');
            h.key(KeyCode::Down);
            h
        }
        Context::ConfirmQuit => {
            let mut h = reach(Screen::Decision);
            h.ctrl('q');
            h
        }
        Context::Palette => {
            let mut h = reach(Screen::Agenda);
            h.char(':');
            h.key(KeyCode::Down);
            h
        }
    };
    // Something to undo (a carry-over from the card), and to redo.
    if matches!(binding.msg, Msg::Undo | Msg::Redo) {
        h.char('o');
        if binding.msg == Msg::Redo {
            h.char('u');
        }
    }
    // A named substitute is needed for s: the deputy, the last row.
    if binding.msg == Msg::Mark(AttendanceState::Substitute) {
        h.app.screens.roll_call.cursor = h.app.data.members.len() - 1;
    }
    h
}

#[test]
fn every_binding_does_what_its_message_says() {
    let mut checked = 0;
    for binding in tui::KEYMAP {
        for &key in binding.keys {
            let mut h = set_up_for(binding);
            assert_eq!(
                message_for(&h.app, key_event(key)),
                Some(binding.msg.clone()),
                "{} ({}) is shadowed where it applies",
                binding.description,
                key.label()
            );
            let before = state(&h);
            let writes = h.store.audit_entries().unwrap().len();
            let (screen, current, help) = (h.app.screen, h.app.current, h.app.help_open());
            let (projector, theme) = (h.app.projector, h.app.theme);
            let member = h
                .app
                .data
                .members
                .get(h.app.screens.roll_call.cursor)
                .map(|m| m.id);
            h.press(key_event(key));
            let what = format!("{} ({})", binding.description, key.label());
            assert_ne!(state(&h), before, "{what} changed nothing");
            let wrote = h.store.audit_entries().unwrap().len() > writes;
            let a = &h.app;
            match binding.msg {
                Msg::Open(target) => assert_eq!(a.screen, target, "{what}"),
                Msg::Back => assert_ne!(a.screen, screen, "{what}"),
                Msg::Quit => assert!(a.quit || a.confirm_quit(), "{what}"),
                Msg::ConfirmYes => assert!(a.quit, "{what}"),
                Msg::ConfirmNo => assert!(!a.confirm_quit() && !a.quit, "{what}"),
                Msg::ToggleHelp => assert_ne!(a.help_open(), help, "{what}"),
                Msg::Mark(state) => {
                    let stored = h.store.attendance(h.meeting).unwrap();
                    let row = stored.iter().find(|x| Some(x.member) == member);
                    assert_eq!(row.map(|x| x.state), Some(state), "{what}");
                }
                Msg::NextChild => assert_eq!(a.current, current + 1, "{what}"),
                Msg::PreviousChild => assert_eq!(a.current + 1, current, "{what}"),
                Msg::Save => assert!(wrote || a.screen != screen, "{what}"),
                Msg::NewMember => assert_eq!(a.screens.member_form.editing, Some(0), "{what}"),
                Msg::ActionDone | Msg::CarryOver => assert!(wrote, "{what}"),
                Msg::DropAction => assert_eq!(a.screen, Screen::DropAction, "{what}"),
                Msg::CorrectAction => {
                    assert!(a.screens.actions.correcting.is_some(), "{what}");
                    assert_eq!(a.screen, Screen::Actions, "{what}");
                }
                Msg::Palette(PaletteMsg::Open) => assert!(a.palette().is_some(), "{what}"),
                Msg::Palette(PaletteMsg::Close) => assert!(a.palette().is_none(), "{what}"),
                Msg::Palette(PaletteMsg::Run) => {
                    assert!(a.palette().is_none() && a.current != current, "{what}")
                }
                Msg::Undo | Msg::Redo => assert!(wrote, "{what}"),
                Msg::NotOnAgenda => {
                    assert!(!wrote && a.screen == Screen::Visit, "{what}");
                    assert!(
                        a.notice
                            .as_ref()
                            .is_some_and(|n| n.text.contains("not on this meeting's agenda")),
                        "{what}"
                    );
                }
                Msg::Prepare(prep) => {
                    use permanence_panel::tui::preparation::PrepMsg::*;
                    match prep {
                        OpenBuilder => assert_eq!(a.screen, Screen::AgendaBuilder, "{what}"),
                        Build | TogglePin | MoveUp | MoveDown | Publish => {
                            assert!(wrote, "{what}")
                        }
                        PlanYear | AddSitting | MoveMeeting | CancelMeeting | NewReferral
                        | AcceptReferral | DeclineReferral | AddChild | RemoveChild
                        | AddFosteringPanel | FosteringSlots | BookFostering | UnbookFostering => {
                            assert_eq!(a.screen, Screen::PrepForm, "{what}")
                        }
                        // The highlighted sitting (`reach`'s) has a child
                        // booked: the store refuses, in its words.
                        RemoveFosteringPanel => {
                            assert!(!wrote, "{what}");
                            let said = a.notice.as_ref().map(|n| n.text.clone());
                            assert!(
                                said.as_deref()
                                    .is_some_and(|t| t.ends_with("take their bookings off first")),
                                "{what}: {said:?}"
                            );
                        }
                    }
                }
                Msg::SetPaper(_) => assert!(wrote, "{what}"),
                // With no folder chosen yet, writing asks for one first.
                Msg::WriteFile => assert_eq!(a.screen, Screen::Folder, "{what}"),
                // From the summary (as `reach` leaves it), to the list, read.
                Msg::ToggleCheck => {
                    assert!(a.screens.returns.showing_check, "{what}");
                    assert!(a.screens.returns.check.is_some(), "{what}");
                }
                Msg::ToggleProjector => assert_ne!(a.projector, projector, "{what}"),
                Msg::CycleTheme => assert_ne!(a.theme, theme, "{what}"),
                Msg::MoveDeadlineOffClosedDay => {
                    let form = &a.screens.actions.forms[&a.current_item().unwrap().child];
                    assert_eq!(form.deadline.text(), "18/12/2026", "{what}");
                }
                // No key sends a paste or a size (the terminal does) or a
                // write's outcome (`apply` does).
                Msg::Paste(_) | Msg::Resize(..) | Msg::Written { .. } => unreachable!("{what}"),
                // Moving a highlight, a field or the cursor, typing, a
                // filter: the state compared above changed, which is all
                // they promise.
                Msg::Up
                | Msg::Down
                | Msg::PageUp
                | Msg::PageDown
                | Msg::NextField
                | Msg::PreviousField
                | Msg::Edit(_)
                | Msg::CycleActionStatus
                | Msg::CycleActionOwner
                | Msg::Select(_)
                | Msg::OpenChild(_)
                | Msg::CycleFormat
                | Msg::EarlierPeriod
                | Msg::LaterPeriod => {}
            }
            checked += 1;
        }
    }
    assert!(checked > tui::KEYMAP.len(), "{checked}");
}

/// Issue 23: on Awaiting sign-off a click highlights a recommendation (on
/// either of its two lines) and a second click opens its sign-off, as
/// Enter does.
#[test]
fn a_recommendation_is_chosen_and_opened_with_the_mouse() {
    let mut h = reach(Screen::SignOffs);
    let size = (120, 40);
    click(&mut h, size, "C000102  recommended");
    assert_eq!(h.app.screens.sign_offs.cursor, 1);
    assert_eq!(h.app.screen, Screen::SignOffs);
    click(&mut h, size, "C000102  recommended");
    assert_eq!(h.app.screen, Screen::SignOffForm);
    let form = &h.app.screens.sign_off_form;
    assert_eq!(
        form.pending.as_ref().map(|p| p.child.as_str()),
        Some("C000102")
    );
}
