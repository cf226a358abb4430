//! Issue 23 in the app: a decision's outcome chosen from its item type's
//! list (a deferral's meeting and reason, money on an item that commits
//! it), a member's dissent, the decision-maker's sign-off from Home's `S`,
//! and undo and redo of each, all through the keys and `update`.

use super::*;
use permanence_panel::rules::agenda::{AgendaPlan, PlannedItem};
use std::collections::HashMap;

/// A Knowsley panel whose first child is heard for an SGO or CAO support
/// plan (its type on the agenda), the others for tracking.
fn knowsley_with_sgo_item() -> Harness {
    knowsley_with_first_item("sgo-cao-support-plan")
}

/// A Knowsley panel whose first child's item is of `item_type`.
fn knowsley_with_first_item(item_type: &str) -> Harness {
    let mut h = Harness::new("knowsley");
    let heard = CHILDREN
        .iter()
        .map(|child| PlannedItem {
            child: (*child).to_owned(),
            listed_under: "referral".into(),
            reasons: vec!["Referred to the panel.".into()],
            pinned: false,
            due_for_hearing: false,
        })
        .collect();
    let types = HashMap::from([(c(0), item_type.to_owned())]);
    h.store
        .set_agenda_plan_typed(
            h.meeting,
            &AgendaPlan {
                heard,
                waiting: Vec::new(),
            },
            &types,
            now(),
        )
        .unwrap();
    h.reopen_as("knowsley");
    h
}

fn alt(h: &mut Harness, c: char) {
    h.press(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT));
}

fn held(h: &Harness, child: &str) -> Option<permanence_panel::store::DecisionOutcome> {
    let id = h
        .store
        .decisions(h.meeting)
        .unwrap()
        .into_iter()
        .find(|d| d.child == child)?
        .id;
    h.store.decision_with_outcome(id).unwrap().map(|(_, o)| o)
}

/// One line of the screen with runs of spaces made one, for wrapped text.
fn flat(screen: &str) -> String {
    screen.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Wiltshire's tracking review: ↑↓ choose the outcome while typing; a
/// deferral goes to a later meeting chosen from those planned (the next
/// by default) and needs its reason, said on screen by the store's one
/// check, nothing saved until it is given; undo and redo take the
/// outcome with the decision.
#[test]
fn a_deferral_names_the_meeting_it_goes_to_and_its_reason_and_is_undone_with_the_decision() {
    let mut h = Harness::new("wiltshire");
    for date in ["18/12/2026", "29/01/2027"] {
        h.store
            .add_meeting(day(date), hm(9, 30), hm(13, 0), now())
            .unwrap();
    }
    h.reopen_as("wiltshire");
    h.typ("gc");
    h.char('d');
    let screen = h.render(80, 24);
    assert!(
        screen.contains("Decision on C000101: Permanence tracking review"),
        "{screen}"
    );
    assert!(screen.contains("[endorsed]"), "the type's first: {screen}");
    h.typ("Deferred until the parenting assessment is in.");
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    let screen = h.render(80, 24);
    assert!(screen.contains("[deferred]"), "{screen}");
    assert!(screen.contains("Deferred to"), "{screen}");
    assert!(screen.contains("the meeting of 18/12/2026"), "{screen}");
    // No reason: the store's check refuses it, and says why on screen.
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Decision);
    assert!(
        h.notice().contains("a deferral needs its reason"),
        "{}",
        h.notice()
    );
    assert!(
        h.store.decisions(h.meeting).unwrap().is_empty(),
        "nothing saved"
    );
    // Tab to the meeting, ↓ to the one after, Tab to the reason.
    h.key(KeyCode::Tab);
    h.key(KeyCode::Down);
    assert!(h.render(80, 24).contains("◀ the meeting of 29/01/2027 ▶"));
    h.key(KeyCode::Up);
    h.key(KeyCode::Tab);
    h.typ("The assessment is not finished.");
    insta::assert_snapshot!("decision_deferral_80x24", h.render(80, 24));
    insta::assert_snapshot!("decision_deferral_120x40", h.render(120, 40));
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Card, "{}", h.notice());
    assert!(
        h.notice()
            .starts_with("Decision recorded at 09:45: deferred to the meeting of 18/12/2026"),
        "{}",
        h.notice()
    );
    let o = held(&h, &c(0)).expect("recorded");
    assert_eq!(o.outcome, Some(Outcome::Deferred));
    assert_eq!(o.deferred_to, Some(day("18/12/2026")));
    assert_eq!(o.reason.as_deref(), Some("The assessment is not finished."));
    let card = flat(&h.render(120, 40));
    assert!(
        card.contains(
            "Outcome deferred to the meeting of 18/12/2026: The assessment is not finished"
        ),
        "{card}"
    );
    // The decision form says the saved outcome, and opens on it.
    h.char('d');
    let screen = flat(&h.render(120, 40));
    assert!(
        screen.contains("Deferred at 09:45, flagged: not quorate: Deferred until the parenting assessment is in."),
        "{screen}"
    );
    assert!(screen.contains("[deferred]"), "{screen}");
    // Changed to not endorsed by its letter on the outcome field.
    h.key(KeyCode::BackTab);
    h.char('n');
    assert!(h.render(80, 24).contains("[not endorsed]"));
    h.key(KeyCode::Enter);
    let o = held(&h, &c(0)).expect("recorded");
    assert_eq!(o.outcome, Some(Outcome::NotEndorsed));
    assert_eq!((o.deferred_to, o.reason), (None, None));
    // Undo: deferred again, with its meeting and reason; again: no decision.
    h.char('u');
    let o = held(&h, &c(0)).expect("put back");
    assert_eq!(o.outcome, Some(Outcome::Deferred));
    assert_eq!(o.deferred_to, Some(day("18/12/2026")));
    assert!(flat(&h.render(120, 40)).contains("Outcome deferred to the meeting of 18/12/2026"));
    h.char('u');
    assert!(held(&h, &c(0)).is_none());
    h.ctrl('r');
    h.ctrl('r');
    assert_eq!(held(&h, &c(0)).unwrap().outcome, Some(Outcome::NotEndorsed));
    // Frozen with approved minutes: the undo is refused and says why.
    h.store
        .approve_minutes(h.meeting, h.store.meetings().unwrap()[1].id, now())
        .unwrap();
    h.char('u');
    assert!(h.notice().contains("approved"), "{}", h.notice());
    assert_eq!(held(&h, &c(0)).unwrap().outcome, Some(Outcome::NotEndorsed));
}

/// Knowsley's SGO support plan: money is read by the one parser and a
/// bad or missing field is named in the field's words, nothing saved;
/// the recommendation then waits for the Head of Service, Home says so,
/// and `S` signs it off (disagreeing, with a note); undo puts it back to
/// waiting, redo signs it off again.
#[test]
fn a_recommendation_with_money_waits_for_sign_off_which_home_s_records_and_undo_takes_back() {
    let mut h = knowsley_with_sgo_item();
    h.typ("gc");
    h.char('d');
    let screen = h.render(120, 40);
    assert!(
        screen.contains(
            "Decision on C000101: Special Guardianship or Child Arrangements Order support plan"
        ),
        "{screen}"
    );
    assert!(screen.contains("[recommended]"), "{screen}");
    h.typ("Support plan recommended with the allowance.");
    h.key(KeyCode::Tab);
    h.typ("twelve");
    h.key(KeyCode::Enter);
    assert!(
        h.notice()
            .contains("Amount: 'twelve' is not an amount of money"),
        "{}",
        h.notice()
    );
    h.ctrl('u');
    h.typ("£245.50");
    h.key(KeyCode::Enter);
    assert!(
        h.notice().contains("Allowance: say what is paid"),
        "{}",
        h.notice()
    );
    assert!(
        h.store.decisions(h.meeting).unwrap().is_empty(),
        "nothing saved"
    );
    h.key(KeyCode::Tab);
    assert!(h.render(120, 40).contains("◀ a week ▶"));
    h.key(KeyCode::Tab);
    h.typ("Special Guardianship allowance");
    insta::assert_snapshot!("decision_sgo_with_money_80x24", h.render(80, 24));
    insta::assert_snapshot!("decision_sgo_with_money_120x40", h.render(120, 40));
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Card, "{}", h.notice());
    assert!(
        h.notice()
            .contains("recommended, awaiting sign-off by the Head of Service"),
        "{}",
        h.notice()
    );
    let o = held(&h, &c(0)).expect("recorded");
    assert_eq!(o.outcome, Some(Outcome::Recommended));
    assert_eq!(o.commitment.as_ref().unwrap().amount, Pence(24_550));
    let card = flat(&h.render(120, 40));
    assert!(
        card.contains("recommended, awaiting sign-off by the Head of Service"),
        "{card}"
    );
    assert!(
        card.contains("Money Special Guardianship allowance: £245.50 a week (£12,766.00 a year)"),
        "{card}"
    );
    // Home says it waits; S lists it as `decisions pending` does.
    h.char('h');
    assert!(
        h.render(80, 24)
            .contains("1 recommendation awaits sign-off (S)"),
        "{}",
        h.render(80, 24)
    );
    h.char('S');
    assert_eq!(h.app.screen, Screen::SignOffs);
    let list = flat(&h.render(120, 40));
    assert!(
        list.contains("C000101 recommended on 27/11/2026, for the Head of Service, 0 days waiting Special Guardianship or Child Arrangements Order support plan"),
        "{list}"
    );
    insta::assert_snapshot!("awaiting_sign_off_sgo_80x24", h.render(80, 24));
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::SignOffForm);
    assert!(h.render(120, 40).contains("the Head of Service"));
    h.key(KeyCode::Down);
    h.typ("The allowance should be reviewed at six months.");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::SignOffs, "{}", h.notice());
    assert_eq!(
        h.notice(),
        "Signed off by the Head of Service: disagreed (C000101)."
    );
    assert!(h.store.pending_sign_offs().unwrap().is_empty());
    let signed = held(&h, &c(0)).unwrap().sign_off.expect("signed");
    assert_eq!(signed.outcome, SignOffOutcome::Disagree);
    assert_eq!(signed.on, day("27/11/2026"));
    assert_eq!(
        signed.note.as_deref(),
        Some("The allowance should be reviewed at six months.")
    );
    assert!(flat(&h.render(80, 24)).contains("Nothing waits for sign-off"));
    // Undo: waiting again, on the list and on Home; redo: signed again.
    h.char('u');
    assert_eq!(h.store.pending_sign_offs().unwrap().len(), 1);
    assert!(
        h.notice().contains("awaits the Head of Service again"),
        "{}",
        h.notice()
    );
    assert!(flat(&h.render(120, 40)).contains("for the Head of Service"));
    h.ctrl('r');
    assert!(h.store.pending_sign_offs().unwrap().is_empty());
    assert_eq!(
        held(&h, &c(0)).unwrap().sign_off.map(|s| s.outcome),
        Some(SignOffOutcome::Disagree)
    );
    h.char('h');
    assert!(!h.render(80, 24).contains("awaits sign-off"));
    // The card says it is signed off.
    h.typ("gc");
    assert!(
        flat(&h.render(120, 40))
            .contains("signed off by the Head of Service on 27/11/2026: disagreed"),
        "{}",
        h.render(120, 40)
    );
}

/// A dissent is from a saved decision, by a member in the room who took
/// part (one who declared an interest withdrew and is not offered), with
/// their view; the card and the decision form show it; `u` takes it back.
#[test]
fn a_member_dissents_with_their_view_from_the_card_and_undo_takes_it_back() {
    let mut h = Harness::new("wiltshire");
    h.mark_present(&QUORATE_ROWS);
    h.typ("gc");
    h.char('D');
    assert_eq!(h.app.screen, Screen::Card);
    assert!(h.notice().contains("save the panel's decision first (d)"));
    // The first member in the room declares an interest: not offered.
    h.char('I');
    h.key(KeyCode::Enter);
    h.char('d');
    h.typ("Plan of long-term fostering endorsed.");
    h.key(KeyCode::Enter);
    h.char('d');
    alt(&mut h, 'd');
    assert_eq!(h.app.screen, Screen::Dissent, "Alt+D from the decision");
    let screen = h.render(120, 40);
    let offered: Vec<&str> = screen
        .lines()
        .map(|l| l.trim_start_matches(['▶', ' ']))
        .collect();
    assert!(
        offered.contains(&"Kinship and Fostering Team Manager"),
        "{screen}"
    );
    assert!(
        !offered.contains(&"Head of Service – Care, Placements and YPS"),
        "withdrew from the item: {screen}"
    );
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    assert!(h.notice().starts_with("Their view:"), "{}", h.notice());
    h.typ("The child's wishes need hearing first.");
    h.key(KeyCode::Enter);
    let o = held(&h, &c(0)).expect("decision");
    assert_eq!(o.dissents.len(), 1, "{}", h.notice());
    let title = o.dissents[0].member_title.clone();
    assert_eq!(o.dissents[0].view, "The child's wishes need hearing first.");
    assert!(h.notice().contains("dissent is recorded"), "{}", h.notice());
    // Back to the card (a form is left, not kept on the way back), which
    // shows it, as the decision form does.
    assert_eq!(h.app.screen, Screen::Card);
    assert!(
        flat(&h.render(120, 40)).contains(&format!(
            "Dissent {title}: The child's wishes need hearing first."
        )),
        "{}",
        h.render(120, 40)
    );
    h.char('d');
    assert!(
        flat(&h.render(120, 40)).contains(&format!(
            "Dissent, {title}: The child's wishes need hearing first."
        )),
        "{}",
        h.render(120, 40)
    );
    h.key(KeyCode::Esc);
    // A view typed and left is kept for this child's decision only.
    h.char('D');
    h.typ("Half a view");
    h.key(KeyCode::Esc);
    h.char('D');
    assert_eq!(h.app.screens.dissent.view.text(), "Half a view");
    h.key(KeyCode::Esc);
    h.char('n');
    h.char('d');
    h.typ("Plan endorsed.");
    h.key(KeyCode::Enter);
    h.char('D');
    assert_eq!(
        h.app.screens.dissent.view.text(),
        "",
        "not the first child's"
    );
    h.key(KeyCode::Esc);
    h.char('p');
    h.char('u'); // the second child's decision
    h.char('u');
    assert!(held(&h, &c(0)).unwrap().dissents.is_empty());
    assert!(!h.render(120, 40).contains("Dissent"));
    h.ctrl('r');
    assert_eq!(held(&h, &c(0)).unwrap().dissents.len(), 1);
}

/// An item whose type the terms no longer name: the form says so where the
/// outcome would be, and Enter saves nothing (never a guess of the type).
#[test]
fn an_item_of_a_type_the_terms_do_not_name_is_said_and_not_saved() {
    let mut h = knowsley_with_first_item("kinship-assessment");
    h.typ("gc");
    h.char('d');
    h.typ("Assessment noted.");
    let screen = flat(&h.render(120, 40));
    assert!(
        screen.contains(
            "'kinship-assessment' is not a kind of item this panel hears; its terms name tracking"
        ),
        "{screen}"
    );
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Decision);
    assert!(
        h.notice()
            .starts_with("Not saved: 'kinship-assessment' is not a kind of item"),
        "{}",
        h.notice()
    );
    assert!(h.store.decisions(h.meeting).unwrap().is_empty());
    // What was typed is kept.
    assert_eq!(
        h.app.screens.decision.drafts[&c(0)].text(),
        "Assessment noted."
    );
}
