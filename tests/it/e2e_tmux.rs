//! End to end: the real binary in a tmux window, driven by keys as a chair
//! and an administrator would, then the database read back.

use std::path::Path;

use crate::common::cli::demo_meeting;
use crate::common::tmux::{self, Tmux, binary};
use permanence_panel::model::{AttendanceState, Id};
use permanence_panel::store::Store;

fn open_app(name: &str, db: &Path, width: u16, height: u16) -> Tmux {
    let db = db.to_str().expect("a UTF-8 temp path");
    let t = Tmux::start(name, width, height, binary(), &["demo", "--db", db]);
    t.wait_for("Next meeting");
    t
}

/// Roll call: three standing members marked present, which makes
/// Wiltshire quorate.
fn three_present(t: &Tmux) {
    t.keys(&["r"]);
    t.wait_for("Roll call");
    t.keys(&["p", "p", "p"]);
    t.wait_for("Quorate:");
}

/// How many members the meeting's attendance has present.
fn present(store: &Store, meeting: Id) -> usize {
    store
        .attendance(meeting)
        .expect("attendance")
        .iter()
        .filter(|a| a.state == AttendanceState::Present)
        .count()
}

/// Records a decision and two actions on the child whose card is open.
fn minute_child(t: &Tmux, n: usize) {
    t.keys(&["d"]);
    t.wait_for("Type the panel's decision");
    let decision = format!("Decision {n}: progress the special guardianship assessment.");
    if n == 2 {
        // Pasted from a report, line break and all (a bracketed paste):
        // it lands as text; its letters run no command.
        t.paste(&format!("{decision}\nonward next steps\n"));
        t.wait_for("onward next steps");
    } else {
        t.type_text(&decision);
    }
    t.keys(&["Enter"]);
    t.wait_for(&format!("Decision {n}: progress"));
    for (k, owner) in [
        (1, "Kinship and Fostering Team Manager"),
        (2, "Independent Reviewing Officer"),
    ] {
        t.keys(&["a"]);
        t.wait_for("New action for");
        t.type_text(&format!("Action {n}.{k}"));
        t.keys(&["Tab"]);
        t.type_text(owner);
        t.keys(&["Tab"]);
        t.type_text(&format!("{:02}/01/2031", 10 + k));
        // 11 and 12/01/2031 are a weekend: the form offers the Friday as
        // the date is typed; the panel keeps the date it gave.
        t.wait_for("Alt+W moves it to Fri 10/01/2031");
        t.keys(&["Enter"]);
        t.wait_for(&format!("Action {n}.{k}"));
        t.keys(&["Escape"]);
        t.wait_for("Child card");
    }
}

#[test]
fn a_meeting_walked_in_the_terminal_is_all_in_the_database() {
    let Some((_dir, db)) = tmux::demo_panel() else {
        return;
    };
    let t = open_app("walk", &db, 120, 40);

    three_present(&t);

    // Three children: card, decision, two actions each.
    t.keys(&["Escape", "g"]);
    t.wait_for("Agenda");
    t.keys(&["Enter"]);
    t.wait_for("Child card");
    for n in 1..=3 {
        t.wait_for(&format!("(item {n} of"));
        minute_child(&t, n);
        t.keys(&["n"]);
    }
    t.keys(&["q"]);
    t.wait_exit();
    drop(t);

    let store = Store::open_read_only(&db).expect("open");
    let meeting = demo_meeting(&store);
    assert_eq!(present(&store, meeting.id), 3);
    let decisions = store.decisions(meeting.id).expect("decisions");
    assert_eq!(decisions.len(), 3);
    assert!(decisions.iter().all(|d| d.quorate));
    let actions = store.actions_for_meeting(meeting.id).expect("actions");
    assert_eq!(actions.len(), 6);
    assert!(
        actions
            .iter()
            .any(|a| a.text == "Action 2.2" && a.owner == "Independent Reviewing Officer")
    );

    // Reopened, the app shows what was done; the minutes print it.
    let t = open_app("reopen", &db, 80, 24);
    t.wait_for("decided");
    t.keys(&["q"]);
    t.wait_exit();
    let out = std::process::Command::new(binary())
        .args(["minutes", "--format", "md", "--meeting"])
        .arg(meeting.date.format("%Y-%m-%d").to_string())
        .arg("--db")
        .arg(&db)
        .output()
        .expect("minutes run");
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("> Decision 3: progress the special guardianship assessment."),
        "{md}"
    );
    assert!(
        md.contains(
            "> Decision 2: progress the special guardianship assessment.\n> onward next steps\n"
        ),
        "{md}"
    );
    assert!(
        md.contains("| Action 1.1 | Kinship and Fostering Team Manager | 11/01/2031 |"),
        "{md}"
    );
}

#[test]
fn a_laptop_that_dies_mid_meeting_keeps_every_committed_change() {
    let Some((_dir, db)) = tmux::demo_panel() else {
        return;
    };
    let t = open_app("kill", &db, 100, 30);
    three_present(&t);
    t.keys(&["Escape", "g", "Enter"]);
    t.wait_for("Child card");
    t.keys(&["d"]);
    t.type_text("Saved before the battery died.");
    t.keys(&["Enter"]);
    t.wait_for("Saved before the battery died.");
    // Being typed when the power goes: may be lost, and nothing else.
    t.keys(&["a"]);
    t.type_text("Half-typed action");
    t.kill_program();

    let store = Store::open(&db).expect("the database opens after a crash");
    let meeting = demo_meeting(&store);
    let decisions = store.decisions(meeting.id).expect("decisions");
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].text, "Saved before the battery died.");
    assert_eq!(present(&store, meeting.id), 3);
    assert!(
        store
            .actions_for_meeting(meeting.id)
            .expect("actions")
            .is_empty()
    );
}

#[test]
fn the_presenter_view_follows_the_chair_and_never_writes() {
    let Some((_dir, db)) = tmux::demo_panel() else {
        return;
    };
    let chair = open_app("chair", &db, 100, 30);
    let db_text = db.to_str().expect("a UTF-8 temp path");
    let presenter = Tmux::start(
        "presenter",
        100,
        30,
        binary(),
        &["--db", db_text, "present"],
    );
    presenter.wait_for("Presenter view");
    presenter.wait_for("(item 1 of");
    let audit_before = Store::open_read_only(&db)
        .expect("open")
        .audit_entries()
        .expect("audit")
        .len();

    chair.keys(&["g", "Down", "Down"]);
    chair.wait_for("▶  3.");
    // Followed within a second or so (the view looks every 400 ms).
    let screen = presenter.wait_for("(item 3 of");
    assert!(screen.contains("read-only"), "{screen}");
    presenter.keys(&["q"]);
    presenter.wait_exit();
    chair.keys(&["q"]);
    chair.wait_exit();

    // The chair's steps are stored (that is what the presenter followed);
    // nothing else changed: the presenter opens the database read-only.
    let store = Store::open_read_only(&db).expect("open");
    let meeting = demo_meeting(&store);
    let third = store.agenda(meeting.id).expect("agenda")[2].id;
    assert_eq!(meeting.current_item, Some(third));
    assert_eq!(store.audit_entries().expect("audit").len(), audit_before);
}

#[test]
fn a_second_copy_of_the_app_opens_read_only_and_says_so() {
    let Some((_dir, db)) = tmux::demo_panel() else {
        return;
    };
    let db_text = db.to_str().expect("a UTF-8 temp path");
    let first = Tmux::start("first", 120, 30, binary(), &["--db", db_text]);
    first.wait_for("Next meeting");
    assert!(!first.screen().contains("READ-ONLY"));
    let second = Tmux::start("second", 120, 30, binary(), &["--db", db_text]);
    second.wait_for("READ-ONLY: another copy has this panel open");
    second.keys(&["r", "p"]);
    second.wait_for("Not saved");
    // The first copy still writes.
    first.keys(&["r", "p"]);
    first.wait_for("present");
    second.keys(&["q"]);
    second.wait_exit();
    first.keys(&["q"]);
    first.wait_exit();
    let store = Store::open_read_only(&db).expect("open");
    let meeting = demo_meeting(&store);
    assert_eq!(store.attendance(meeting.id).expect("attendance").len(), 1);

    // With the first copy gone, the next one writes again.
    let again = Tmux::start("again", 120, 30, binary(), &["--db", db_text]);
    again.wait_for("Next meeting");
    assert!(!again.screen().contains("READ-ONLY"));
    again.keys(&["q"]);
    again.wait_exit();
}

/// Issue #8: the roll call, the agenda, a card, a decision and an action
/// by mouse alone (typing only the words), clicks sent as a terminal sends
/// them; the mouse is released again on quit.
#[test]
fn a_meeting_runs_by_mouse_in_a_real_terminal() {
    let Some((_dir, db)) = tmux::demo_panel() else {
        return;
    };
    let t = open_app("mouse", &db, 120, 40);
    assert_eq!(
        t.pane_format("#{mouse_any_flag}"),
        "1",
        "mouse not captured"
    );
    t.click_on("r roll call");
    t.wait_for("Quorum rule");
    // Each click on p present marks the highlighted member and moves on.
    for _ in 0..3 {
        t.click_on("p present");
        sleep_briefly();
    }
    t.wait_for("Quorate:");
    t.click_on("Esc back");
    t.click_on("g agenda");
    t.wait_for("Why ");
    // The second child: one click highlights it, a second opens its card.
    let agenda = t.wait_for(" 2. ");
    let row = agenda
        .lines()
        .position(|l| l.contains(" 2. "))
        .expect("row of the second child") as u16;
    t.click(10, row);
    t.wait_for("▶  2.");
    t.click(10, row);
    t.wait_for("(item 2 of");
    // A decision and an action: typed, saved with the footer's Save.
    t.click_on("d decision");
    t.wait_for("Type the panel's decision");
    t.type_text("Decided with the mouse.");
    t.click_on("Enter save");
    t.wait_for("Decision recorded");
    t.click_on("a actions");
    t.wait_for("New action for");
    t.type_text("Action by mouse");
    t.click_on("Tab next field");
    t.type_text("Panel Administrator");
    t.click_on("Deadline");
    t.type_text("13/01/2031");
    t.click_on("Enter save");
    t.wait_for("Action saved");
    t.click_on("Esc back");
    t.wait_for("Child card");
    t.click_on("q quit");
    t.wait_exit();
    assert_eq!(
        t.pane_format("#{mouse_any_flag}"),
        "0",
        "mouse left captured"
    );
    drop(t);

    let store = Store::open_read_only(&db).expect("open");
    let meeting = demo_meeting(&store);
    assert_eq!(present(&store, meeting.id), 3);
    let second = store.agenda(meeting.id).expect("agenda").remove(1);
    assert_eq!(meeting.current_item, Some(second.id));
    let decisions = store.decisions(meeting.id).expect("decisions");
    assert_eq!(decisions.len(), 1);
    assert_eq!(
        (decisions[0].child.as_str(), decisions[0].text.as_str()),
        (second.child.as_str(), "Decided with the mouse.")
    );
    let actions = store.actions_for_meeting(meeting.id).expect("actions");
    assert!(
        actions
            .iter()
            .any(|a| a.text == "Action by mouse" && a.owner == "Panel Administrator"),
        "{actions:?}"
    );
}

/// Lets the app redraw between clicks on the same spot.
fn sleep_briefly() {
    std::thread::sleep(std::time::Duration::from_millis(150));
}

#[test]
fn undo_and_redo_in_the_real_terminal_change_the_database() {
    let Some((_dir, db)) = tmux::demo_panel() else {
        return;
    };
    let db_text = db.to_str().expect("a UTF-8 temp path");
    // Started in the high-contrast theme: the flag is accepted before a subcommand.
    let t = Tmux::start(
        "undo",
        100,
        30,
        binary(),
        &["--theme", "high-contrast", "demo", "--db", db_text],
    );
    t.wait_for("Next meeting");
    t.keys(&["r"]);
    t.wait_for("Roll call");
    t.keys(&["p"]);
    t.wait_for("present");
    t.keys(&["u"]);
    t.wait_for("Undone: ");
    t.keys(&["C-r"]);
    t.wait_for("Redone: ");
    t.keys(&["u"]);
    t.wait_for("Undone: ");
    t.keys(&["q"]);
    t.wait_exit();
    drop(t);
    let store = Store::open_read_only(&db).expect("open");
    let meeting = demo_meeting(&store);
    assert!(
        store.attendance(meeting.id).expect("attendance").is_empty(),
        "marked, undone, redone, undone: nobody marked"
    );
    let undo_entries = store
        .audit_entries()
        .expect("audit")
        .into_iter()
        .filter(|e| e.entity == "attendance" && e.change.starts_with("restored"))
        .count();
    assert_eq!(undo_entries, 3);
}
