//! Issue 16, the restructure: overlays on a stack that take keys first, a
//! navigation stack that Esc walks back, and the one prompt component of
//! the one-line fields. Each test drives `update` alone (keys through the
//! keymap, no store write applied), so what it sees is one whole step.

use super::*;
use permanence_panel::tui::overlay::{Overlay, Question};
use permanence_panel::tui::{Effect, Msg};

/// A key as the event loop reads it, through the keymap into `update`;
/// the writes asked for are returned, never applied.
fn step(h: &mut Harness, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    match message_for(&h.app, KeyEvent::new(code, modifiers)) {
        Some(msg) => update(&mut h.app, msg),
        None => Vec::new(),
    }
}

fn key(h: &mut Harness, code: KeyCode) -> Vec<Effect> {
    step(h, code, KeyModifiers::NONE)
}

fn typed(h: &mut Harness, text: &str) {
    for c in text.chars() {
        key(h, KeyCode::Char(c));
    }
}

fn decision_draft(h: &Harness) -> String {
    h.app.screens.decision.drafts[&c(0)].text().to_owned()
}

#[test]
fn overlays_take_keys_first_and_a_question_takes_only_its_answers() {
    let mut h = Harness::new("wiltshire");
    for msg in [
        Msg::Open(Screen::Agenda),
        Msg::Open(Screen::Card),
        Msg::Open(Screen::Decision),
    ] {
        update(&mut h.app, msg);
    }
    typed(&mut h, "Plan");
    assert_eq!(decision_draft(&h), "Plan");

    // F1 opens the help over the form: letters no longer reach the field.
    key(&mut h, KeyCode::F(1));
    assert_eq!(h.app.overlays.iter().count(), 1);
    typed(&mut h, "xy");
    assert_eq!(decision_draft(&h), "Plan");

    // Ctrl+Q with a draft unsaved asks, on top of the help.
    step(&mut h, KeyCode::Char('q'), KeyModifiers::CONTROL);
    let stack: Vec<&Overlay> = h.app.overlays.iter().collect();
    assert!(matches!(stack[0], Overlay::Help { .. }), "{stack:?}");
    assert_eq!(stack[1], &Overlay::Question(Question::DiscardAndQuit));
    assert!(h.app.confirm_quit() && !h.app.quit);
    assert!(
        h.render(80, 24)
            .contains("Discard what you are typing? y/n")
    );

    // Only y or n answers it: other letters and a paste do nothing.
    typed(&mut h, "pq");
    update(&mut h.app, Msg::Paste("yes\n".into()));
    assert!(h.app.confirm_quit() && !h.app.quit);
    assert_eq!(
        h.notice(),
        "Pasted text goes only into a text field: nothing was done."
    );
    assert_eq!(decision_draft(&h), "Plan");

    // n takes the question off; the help it was asked over is still there.
    key(&mut h, KeyCode::Char('n'));
    assert!(!h.app.confirm_quit() && h.app.help_open());
    // Esc closes the help (not the form under it); typing goes on.
    key(&mut h, KeyCode::Esc);
    assert!(h.app.overlays.is_empty());
    assert_eq!(h.app.screen, Screen::Decision);
    typed(&mut h, " endorsed.");
    assert_eq!(decision_draft(&h), "Plan endorsed.");
    assert!(
        h.store.decisions(h.meeting).unwrap().is_empty(),
        "nothing was written"
    );
}

#[test]
fn the_palette_closes_and_hands_on_a_key_it_does_not_take() {
    let mut h = Harness::new("wiltshire");
    key(&mut h, KeyCode::Char(':'));
    assert!(h.app.palette().is_some());
    typed(&mut h, "rol");
    assert_eq!(h.app.palette().unwrap().query.text(), "rol");
    // F1 is not the palette's: it closes and the help opens in its place.
    key(&mut h, KeyCode::F(1));
    assert!(h.app.palette().is_none() && h.app.help_open());
    assert_eq!(h.app.overlays.iter().count(), 1);
}

#[test]
fn esc_walks_back_along_the_way_taken_to_the_same_child() {
    let mut h = Harness::new("wiltshire");
    key(&mut h, KeyCode::Char('g'));
    key(&mut h, KeyCode::Enter);
    key(&mut h, KeyCode::Char('n'));
    assert_eq!((h.app.screen, h.app.current), (Screen::Card, 1));
    // From the card to each place and back: the same child's card.
    for (go, screen) in [
        ('r', Screen::RollCall),
        ('l', Screen::ActionList),
        ('M', Screen::Matters),
        ('m', Screen::Members),
        ('/', Screen::Jump),
    ] {
        key(&mut h, KeyCode::Char(go));
        assert_eq!(h.app.screen, screen, "{go}");
        key(&mut h, KeyCode::Esc);
        assert_eq!((h.app.screen, h.app.current), (Screen::Card, 1), "{go}");
    }
    // Two deep: card, roll call, members; Esc, Esc is the card again.
    key(&mut h, KeyCode::Char('r'));
    key(&mut h, KeyCode::Char('m'));
    assert_eq!(
        h.app.history,
        [Screen::Home, Screen::Agenda, Screen::Card, Screen::RollCall]
    );
    key(&mut h, KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::RollCall);
    key(&mut h, KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Card);
    // A form is left, not kept: after the decision, Esc from the card
    // goes to the agenda, not back into the form.
    key(&mut h, KeyCode::Char('d'));
    key(&mut h, KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Card);
    key(&mut h, KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Agenda);
    // A screen met earlier on the way: the roll call was before the card
    // here, and Esc from it still comes back to the card.
    key(&mut h, KeyCode::Char('h'));
    for k in ['r', 'g'] {
        key(&mut h, KeyCode::Char(k));
    }
    key(&mut h, KeyCode::Enter);
    key(&mut h, KeyCode::Char('r'));
    key(&mut h, KeyCode::Esc);
    assert_eq!((h.app.screen, h.app.current), (Screen::Card, 1));
    assert_eq!(h.app.history, [Screen::Home, Screen::Agenda]);
    // Round and round never grows the trail.
    for _ in 0..5 {
        for k in ['g', 'r', 'l', 'M'] {
            key(&mut h, KeyCode::Char(k));
        }
    }
    assert!(h.app.history.len() <= 4, "{:?}", h.app.history);
    // Home starts the way again.
    key(&mut h, KeyCode::Char('h'));
    assert!(h.app.history.is_empty());
}

#[test]
fn one_prompt_serves_the_jump_and_the_drop_reason() {
    let (mut h, earlier) = super::complete::demo_like();
    // `/`: typed, cleared with Ctrl+U, pasted (a line break is a space).
    key(&mut h, KeyCode::Char('/'));
    typed(&mut h, "C0001");
    step(&mut h, KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(h.app.screens.jump.text.text(), "");
    update(&mut h.app, Msg::Paste("C000\n102".into()));
    assert_eq!(h.app.screens.jump.text.text(), "C000 102");
    // Enter on an empty field says what to type and stays.
    step(&mut h, KeyCode::Char('u'), KeyModifiers::CONTROL);
    key(&mut h, KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Jump);
    assert_eq!(h.notice(), "Child: type an id or a name (or part of one).");
    typed(&mut h, &CHILDREN[1][4..]);
    key(&mut h, KeyCode::Enter);
    assert_eq!((h.app.screen, h.app.current), (Screen::Card, 1));

    // The drop reason is the same component: a paste's line breaks are
    // spaces, Ctrl+W takes a word, and Enter asks for the write.
    key(&mut h, KeyCode::Char('l'));
    let row = h
        .app
        .visible_actions()
        .iter()
        .position(|a| a.id == earlier.overdue)
        .unwrap();
    update(&mut h.app, Msg::Select(row));
    key(&mut h, KeyCode::Char('z'));
    assert_eq!(h.app.screen, Screen::DropAction);
    update(&mut h.app, Msg::Paste("Letter sent\nby post".into()));
    step(&mut h, KeyCode::Char('w'), KeyModifiers::CONTROL);
    assert_eq!(h.app.screens.drop_action.reason.text(), "Letter sent by ");
    let effects = key(&mut h, KeyCode::Enter);
    assert_eq!(
        effects,
        [Effect::SetActionStatus {
            action: earlier.overdue,
            status: ActionStatus::Dropped,
            reason: Some("Letter sent by".into()),
        }]
    );
}

/// The footer cannot hold every key of a screen at 80 columns; the help
/// key it always shows opens the help, which lists every key of every
/// screen, so no key is out of reach of the footer.
#[test]
fn every_screens_footer_shows_the_key_to_all_its_keys() {
    let help = tui::view::help_lines();
    for &screen in Screen::ALL {
        let mut h = Harness::new("wiltshire");
        h.app.screen = screen;
        let footer = tui::keymap::footer(&h.app);
        let hint = if screen.is_form() {
            "F1 help"
        } else {
            "? help"
        };
        assert!(footer.contains(hint), "{screen:?}: {footer}");
        let contexts = tui::keymap::screen_contexts(&h.app);
        for b in tui::KEYMAP.iter().filter(|b| contexts.contains(&b.context)) {
            let listed = help
                .iter()
                .any(|(keys, what)| *keys == b.keys_label() && what == b.description);
            assert!(listed, "{screen:?}: {} is not in the help", b.description);
        }
    }
}
