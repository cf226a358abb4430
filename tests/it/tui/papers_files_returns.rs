//! Issue 22, the administrator's month in the app (second half): the
//! papers' chase list, the files to send, and the return imported from
//! the app. Every step goes through the keymap, `update` and `apply`
//! against the harness's store, and is checked in the store, on the file
//! system and on screen. (Submodule of `tests/it/tui.rs`.)

use super::*;
use permanence_panel::rules::papers::PaperStatus;
use permanence_panel::usecase;

/// The harness's panel on the papers' screen, reached from Home by `P`.
fn on_papers() -> Harness {
    let mut h = Harness::new("wiltshire");
    h.char('P');
    assert_eq!(h.app.screen, Screen::Papers, "{}", h.render(120, 40));
    h
}

fn paper_status(h: &Harness, child: &str, paper: &str) -> Option<PaperStatus> {
    h.store
        .paper_statuses(h.meeting)
        .unwrap()
        .get(&(child.to_owned(), paper.to_owned()))
        .copied()
}

#[test]
fn the_papers_chase_list_is_the_commands_said_in_words() {
    let h = on_papers();
    let terms = Terms::load("wiltshire").unwrap();
    let meeting = h.store.meeting(h.meeting).unwrap().unwrap();
    let listed = usecase::papers::chase_list(&h.store, &terms, &meeting, clock().today()).unwrap();
    // Three children, each owing every paper the terms require.
    assert_eq!(listed.len(), 3 * terms.papers.required.len());
    let screen = h.render(120, 40);
    // Papers were due on 20/11/2026, a week before; on the meeting's day
    // every one is a week late, said in words, not only in colour.
    assert_eq!(
        screen.matches("7 days late").count(),
        9.min(listed.len()),
        "{screen}"
    );
    for child in CHILDREN {
        assert!(screen.contains(child), "{screen}");
    }
    assert!(screen.contains("Current Care Plan"), "{screen}");
    assert!(screen.contains("allocated social worker"), "{screen}");
    // Late words are drawn in the late style (vermillion in the default theme).
    let buffer = h.buffer(120, 40);
    let (x, y) = (0..40)
        .flat_map(|y| (0..120).map(move |x| (x, y)))
        .find(|&(x, y)| {
            buffer[(x, y)].symbol() == "7"
                && (x..x + 11).map(|i| buffer[(i, y)].symbol()).collect::<String>()
                    == "7 days late"
                // Not the highlighted row, which is reversed as a whole.
                && !buffer[(x, y)].modifier.contains(Modifier::REVERSED)
        })
        .expect("a late paper off the highlight");
    assert_eq!(buffer[(x, y)].fg, Color::Indexed(166));
    assert!(buffer[(x, y)].modifier.contains(Modifier::UNDERLINED));
}

#[test]
fn a_paper_is_marked_received_signed_off_and_awaited_and_each_is_undone() {
    let mut h = on_papers();
    let paper = "Current Care Plan";
    let child = CHILDREN[0];
    // The second row: the first child's care plan.
    h.key(KeyCode::Down);
    let writes = h.store.audit_entries().unwrap().len();
    h.char('r');
    assert_eq!(paper_status(&h, child, paper), Some(PaperStatus::Received));
    assert_eq!(
        h.store.audit_entries().unwrap().len(),
        writes + 1,
        "audited"
    );
    assert!(h.notice().contains("marked received"), "{}", h.notice());
    assert!(h.render(120, 40).contains("received"));
    h.char('s');
    assert_eq!(paper_status(&h, child, paper), Some(PaperStatus::SignedOff));
    // Marking it as it already stands writes nothing and says so.
    let writes = h.store.audit_entries().unwrap().len();
    h.char('s');
    assert_eq!(h.store.audit_entries().unwrap().len(), writes);
    assert!(h.notice().contains("already signed off"), "{}", h.notice());
    // Undo goes back a step at a time, each written to the store.
    h.char('u');
    assert_eq!(paper_status(&h, child, paper), Some(PaperStatus::Received));
    h.char('u');
    assert_eq!(paper_status(&h, child, paper), Some(PaperStatus::Awaited));
    h.ctrl('r');
    assert_eq!(paper_status(&h, child, paper), Some(PaperStatus::Received));
    // a: awaited again.
    h.char('a');
    assert_eq!(paper_status(&h, child, paper), Some(PaperStatus::Awaited));
    // Nothing else was touched.
    assert_eq!(paper_status(&h, CHILDREN[1], paper), None);
}

#[test]
fn home_says_how_many_papers_are_awaited_and_late() {
    let mut h = on_papers();
    h.char('r');
    h.key(KeyCode::Down);
    h.char('s');
    h.char('h');
    let home = h.render(120, 40);
    assert!(
        home.contains("Papers: 7 of 9 awaited, 7 late (P)"),
        "{home}"
    );
    // Before the due day, Home says when they are due instead.
    h.app.today = day("16/11/2026");
    let home = h.render(120, 40);
    assert!(
        home.contains("Papers due Friday: 7 of 9 awaited (P)"),
        "{home}"
    );
}

// ---------------------------------------------------------------- files

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The Files screen with `folder` chosen through its prompt.
fn on_files_with_folder(folder: &std::path::Path) -> Harness {
    let mut h = Harness::new("wiltshire");
    h.char('F');
    assert_eq!(h.app.screen, Screen::Files);
    // No folder yet: Enter asks for one first, and writes nothing.
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Folder, "{}", h.render(80, 24));
    h.paste(&folder.display().to_string());
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Files, "{}", h.notice());
    h
}

#[test]
fn files_are_written_into_the_folder_chosen_owner_only_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("panel papers");
    let mut h = on_files_with_folder(&folder);
    assert_eq!(
        h.store.setting(usecase::files::FOLDER_SETTING).unwrap(),
        Some(folder.display().to_string()),
        "the folder is kept with the panel"
    );
    // The invitations (the first row).
    h.key(KeyCode::Enter);
    let invitations = folder.join("invitations-2026-11-27");
    let ics: Vec<_> = std::fs::read_dir(&invitations)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(ics.len(), CHILDREN.len() + 1, "one each and the list");
    assert!(ics.iter().all(|p| mode(p) == 0o600), "{ics:?}");
    assert_eq!(mode(&folder), 0o700);
    let screen = h.render(120, 40);
    assert!(
        screen.contains("3 invitations and the mail-merge list"),
        "{screen}"
    );
    assert!(
        screen.contains(&invitations.display().to_string()),
        "{screen}"
    );
    // The tracker.
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    let tracker = folder.join("tracker-2026-11-27.xlsx");
    assert_eq!(mode(&tracker), 0o600);
    assert!(h.render(120, 40).contains("tracker-2026-11-27.xlsx"));
    // The minutes, as plain text after f.
    h.key(KeyCode::Down);
    h.char('f');
    assert!(h.render(120, 40).contains("as plain text (Markdown)"));
    h.key(KeyCode::Enter);
    let minutes = std::fs::read_to_string(folder.join("minutes-2026-11-27.md")).unwrap();
    let terms = Terms::load("wiltshire").unwrap();
    let meeting = h.store.meeting(h.meeting).unwrap().unwrap();
    assert_eq!(
        minutes,
        permanence_panel::export::minutes_md::render_with(&h.store, &terms, &meeting, false)
            .unwrap(),
        "the same minutes as the command writes"
    );
    assert_eq!(mode(&folder.join("minutes-2026-11-27.md")), 0o600);
}

#[test]
fn a_report_is_written_for_the_period_chosen_and_the_folder_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("reports");
    let mut h = on_files_with_folder(&folder);
    // The Budget Scrutiny report: by default the last whole quarter.
    for _ in 0..3 {
        h.key(KeyCode::Down);
    }
    let screen = h.render(120, 40);
    assert!(
        screen.contains("Budget Scrutiny: 01/07/2026 to 30/09/2026, as Word"),
        "{screen}"
    );
    // ← one quarter earlier, → back; not beyond the last whole one.
    h.key(KeyCode::Left);
    assert!(h.render(120, 40).contains("01/04/2026 to 30/06/2026"));
    h.key(KeyCode::Right);
    h.key(KeyCode::Right);
    assert!(h.notice().contains("last whole period"), "{}", h.notice());
    h.char('f'); // Excel
    h.key(KeyCode::Enter);
    let report = folder.join("budget-scrutiny-report-2026-07-01-to-2026-09-30.xlsx");
    assert_eq!(mode(&report), 0o600, "{}", h.notice());
    // The next run of the app starts with the same folder.
    let data = MeetingData::load_next(&h.store, clock().today()).unwrap();
    assert_eq!(data.files_folder, Some(folder.display().to_string()));
}

#[test]
fn invitations_for_an_empty_agenda_are_refused_with_why_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("out");
    let mut h = on_files_with_folder(&folder);
    h.app.data.agenda.clear();
    h.key(KeyCode::Enter);
    assert!(
        h.notice().contains("agenda of this meeting is empty"),
        "{}",
        h.notice()
    );
    assert!(!folder.exists());
}

// ---------------------------------------------------------------- the return

/// Two years of generated returns in `dir/gen`, oldest first, with one
/// child's date of birth made impossible in the later year.
fn returns_with_a_bad_date(dir: &std::path::Path) -> (Vec<std::path::PathBuf>, String) {
    let generated = dir.join("gen");
    assert_cmd::Command::cargo_bin("permanence-panel")
        .unwrap()
        .env_remove("PERMANENCE_PANEL_DB")
        .args(["generate", "--children", "60", "--seed", "3", "--out"])
        .arg(&generated)
        .args(["--returns", "2024-25..2025-26"])
        .assert()
        .success();
    let years = vec![generated.join("2024-25"), generated.join("2025-26")];
    let header = years[1].join("header.csv");
    let mut reader = csv::Reader::from_path(&header).unwrap();
    let headers = reader.headers().unwrap().clone();
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let dob = headers.iter().position(|h| h == "DOB").unwrap();
    rows[0][dob] = "31/02/2015".into();
    let child = rows[0][0].clone();
    let mut w = csv::Writer::from_path(&header).unwrap();
    w.write_record(&headers).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    (years, child)
}

#[test]
fn home_says_how_many_children_are_held_back_before_the_first_meeting_and_with_one() {
    let dir = tempfile::tempdir().unwrap();
    let (years, _) = returns_with_a_bad_date(dir.path());
    let held_back_line = "1 child held back by data problems: check's list shows why (I, then c)";

    // A new panel: the returns imported before any meeting is planned.
    let db = dir.path().join("new.db");
    crate::common::cli::init(&db, "wiltshire");
    crate::common::cli::bin(&db)
        .args(["import", "903"])
        .args(&years)
        .assert()
        .success();
    let store = Store::open(&db).unwrap();
    let terms = Terms::load("wiltshire").unwrap();
    let h = Harness::open(store, terms, 0);
    assert!(h.app.data.meeting.is_none());
    let screen = h.render(80, 24);
    assert!(screen.contains("No meeting yet"), "{screen}");
    assert!(screen.contains(held_back_line), "{screen}");

    // A panel with its next meeting, the returns imported from the app.
    let mut h = Harness::new("wiltshire");
    assert!(!h.render(120, 40).contains("held back"));
    h.char('I');
    h.char('i');
    h.paste(&format!("{} ; {}", years[0].display(), years[1].display()));
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Returns, "{}", h.notice());
    h.key(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Home);
    let screen = h.render(120, 40);
    assert!(screen.contains("Next meeting"), "{screen}");
    assert!(screen.contains(held_back_line), "{screen}");
}

#[test]
fn returns_are_imported_from_the_app_and_the_summary_names_who_is_held_back() {
    let dir = tempfile::tempdir().unwrap();
    let (years, held_back) = returns_with_a_bad_date(dir.path());
    let mut h = Harness::new("wiltshire");
    h.char('I');
    assert_eq!(h.app.screen, Screen::Returns);
    h.char('i');
    assert_eq!(h.app.screen, Screen::ImportPrompt);
    let typed = format!("{} ; {}", years[0].display(), years[1].display());
    h.paste(&typed);
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Returns, "{}", h.notice());
    let held_years: Vec<String> = h
        .store
        .returns()
        .unwrap()
        .iter()
        .map(|r| r.year.to_string())
        .collect();
    assert_eq!(held_years, ["2024-25", "2025-26"]);
    let screen = h.render(120, 40);
    assert!(screen.contains("Return 2024-25 (new)"), "{screen}");
    assert!(screen.contains("Return 2025-26 (new)"), "{screen}");
    assert!(
        screen.contains("1 child held back by data problems"),
        "{screen}"
    );
    assert!(screen.contains(&format!("{held_back}: ")), "{screen}");
    assert!(screen.contains("DOB"), "{screen}");
    // The returns now held, each with when it came in.
    let held = h.store.returns().unwrap();
    let later = held.last().unwrap();
    assert!(
        screen.contains(&format!(
            "2025-26: {} children, {} episodes, {} reviews; imported 27/11/2026 at 09:45",
            later.children, later.episodes, later.reviews
        )),
        "{screen}"
    );
    // The command, on a panel of its own, holds back the same child.
    let db = dir.path().join("cli.db");
    crate::common::cli::init(&db, "wiltshire");
    let out = crate::common::cli::bin(&db)
        .args(["import", "903"])
        .args(&years)
        .assert()
        .success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(said.contains("1 child held back"), "{said}");
    assert!(said.contains(&format!("  {held_back}: ")), "{said}");

    // c: check's list, as `check --warnings` gives it at the app's day.
    h.char('c');
    let rows = usecase::returns::check_rows(&h.store, clock().today(), true).unwrap();
    assert_eq!(
        h.app.screens.returns.check.as_ref().map(Vec::len),
        Some(rows.len())
    );
    let screen = h.render(120, 40);
    assert!(
        screen.contains(&format!("Check's list: {} lines", rows.len())),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("{held_back}: held back")),
        "{screen}"
    );
    h.char('c');
    assert!(h.render(120, 40).contains("Return 2025-26"));

    // A year imported again: the summary says which return it replaced.
    h.char('i');
    h.paste(&years[1].display().to_string());
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Returns, "{}", h.notice());
    let ran_to = later.last_date.expect("a last date");
    let screen = h.render(120, 40);
    assert!(
        screen.contains(&format!(
            "Return 2025-26 (replaces the one imported 27/11/2026 09:45, to {})",
            permanence_panel::rules::dates::dmy(ran_to)
        )),
        "{screen}"
    );
}

#[test]
fn folders_pasted_one_per_line_and_quoted_as_a_file_manager_copies_them_are_imported_together() {
    let dir = tempfile::tempdir().unwrap();
    let (years, _) = returns_with_a_bad_date(dir.path());
    let mut h = Harness::new("wiltshire");
    h.char('I');
    h.char('i');
    h.paste(&format!(
        "\"{}\"\r\n\"{}\"\r\n",
        years[0].display(),
        years[1].display()
    ));
    assert_eq!(
        h.app.screens.import_prompt.typed.text(),
        format!("\"{}\"; \"{}\"", years[0].display(), years[1].display())
    );
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Returns, "{}", h.notice());
    let held_years: Vec<String> = h
        .store
        .returns()
        .unwrap()
        .iter()
        .map(|r| r.year.to_string())
        .collect();
    assert_eq!(held_years, ["2024-25", "2025-26"]);
}

#[test]
fn a_bad_folder_shows_the_imports_message_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("2025-26");
    std::fs::create_dir_all(&folder).unwrap();
    // A header table and no episodes.
    std::fs::write(
        folder.join("header.csv"),
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC1,1,01/01/2015,WBRI,,,\n",
    )
    .unwrap();
    let mut h = Harness::new("wiltshire");
    let writes = h.store.audit_entries().unwrap().len();
    let changed = h.store.last_change().unwrap();
    h.typ("Ii");
    h.paste(&folder.display().to_string());
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Returns);
    assert_eq!(h.store.audit_entries().unwrap().len(), writes);
    assert_eq!(h.store.last_change().unwrap(), changed);
    assert!(h.store.returns().unwrap().is_empty());
    // The command's own message, with the file and what was expected.
    let db = dir.path().join("cli.db");
    crate::common::cli::init(&db, "wiltshire");
    let out = crate::common::cli::bin(&db)
        .args(["import", "903"])
        .arg(&folder)
        .assert()
        .failure();
    let said = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let first = said.lines().next().unwrap();
    assert!(first.contains("Episodes"), "{said}");
    let screen = h.render(200, 40);
    assert!(
        screen.contains("Nothing was imported; the panel is unchanged"),
        "{screen}"
    );
    assert!(screen.contains(first.trim()), "{first}\n{screen}");
    // What was typed is kept, to correct.
    h.char('i');
    assert_eq!(
        h.app.screens.import_prompt.typed.text(),
        folder.display().to_string()
    );
}

#[test]
fn no_folder_typed_is_said_and_nothing_imported() {
    let mut h = Harness::new("wiltshire");
    h.typ("Ii");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::ImportPrompt);
    assert!(h.notice().starts_with("Folders: "), "{}", h.notice());
}

#[test]
fn a_folder_that_cannot_be_made_is_said_and_nothing_listed() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the folder's parent should be.
    let blocker = dir.path().join("a file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let mut h = on_files_with_folder(&blocker.join("papers"));
    h.key(KeyCode::Down); // the tracker
    h.key(KeyCode::Enter);
    assert!(h.notice().starts_with("Not written: "), "{}", h.notice());
    assert!(h.app.screens.files.written.is_empty());
    let screen = h.render(120, 40);
    assert!(!screen.contains("Written at"), "{screen}");
    assert!(screen.contains("Not written:"), "{screen}");
    assert!(screen.contains("a file"), "the path is named: {screen}");
}

#[test]
fn a_file_is_picked_by_a_click_and_written_by_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("clicked");
    let mut h = on_files_with_folder(&folder);
    super::complete::click(&mut h, (120, 40), "The tracker workbook");
    assert_eq!(h.app.screens.files.cursor, 1);
    assert!(
        !folder.join("tracker-2026-11-27.xlsx").exists(),
        "one click only picks"
    );
    super::complete::click(&mut h, (120, 40), "The tracker workbook");
    assert_eq!(mode(&folder.join("tracker-2026-11-27.xlsx")), 0o600);
}

#[test]
fn a_paper_is_picked_by_a_click() {
    use crossterm::event::{MouseButton, MouseEventKind};
    let mut h = on_papers();
    // The third child's second paper: two lines under the child's name.
    let screen = h.render(120, 40);
    let name = screen
        .lines()
        .position(|l| l.trim() == CHILDREN[2])
        .unwrap();
    let click = MouseEventKind::Down(MouseButton::Left);
    super::complete::mouse(&mut h, (120, 40), click, 10, (name + 2) as u16);
    assert_eq!(h.app.screens.papers.cursor, 7, "{screen}");
    h.char('r');
    assert_eq!(
        paper_status(&h, CHILDREN[2], "Current Care Plan"),
        Some(PaperStatus::Received)
    );
}

#[test]
fn the_meetings_three_at_once_and_a_failure_names_what_was_written_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("month");
    let mut h = on_files_with_folder(&folder);
    // The last row: invitations, tracker and minutes.
    for _ in 0..5 {
        h.key(KeyCode::Down);
    }
    h.key(KeyCode::Enter);
    let screen = h.render(120, 40);
    for name in [
        "invitations-2026-11-27",
        "tracker-2026-11-27.xlsx",
        "minutes-2026-11-27.docx",
    ] {
        assert!(folder.join(name).exists(), "{name}");
        assert!(screen.contains(name), "{screen}");
    }
    // A folder where the minutes should go: the third cannot be written.
    std::fs::remove_file(folder.join("minutes-2026-11-27.docx")).unwrap();
    std::fs::create_dir(folder.join("minutes-2026-11-27.docx")).unwrap();
    h.key(KeyCode::Enter);
    assert!(h.notice().starts_with("Not written"), "{}", h.notice());
    let said = h.app.screens.files.failed.clone().unwrap();
    assert!(said.starts_with("the minutes not written"), "{said}");
    assert!(h.render(200, 40).contains("the minutes not written"));
    assert!(said.contains("invitations-2026-11-27"), "{said}");
    assert!(said.contains("tracker-2026-11-27.xlsx"), "{said}");
}

/// Issue 22: the Files screen writes the invitations and minutes of the
/// meeting chosen with ← → (over the meetings the Meetings screen lists),
/// named in its heading; the app's meeting until another is chosen.
#[test]
fn files_are_written_for_the_meeting_chosen_with_left_and_right() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("out");
    let mut h = Harness::new("wiltshire");
    let (start, end) = (hm(9, 30), hm(13, 0));
    h.store
        .add_meeting(day("30/10/2026"), start, end, now())
        .unwrap();
    let december = h
        .store
        .add_meeting(day("18/12/2026"), start, end, now())
        .unwrap();
    let cancelled = h
        .store
        .add_meeting(day("29/01/2027"), start, end, now())
        .unwrap();
    h.store
        .cancel_meeting(cancelled, "Room unavailable", now())
        .unwrap();
    h.store
        .set_agenda(
            december,
            &[(
                CHILDREN[1].into(),
                "referral".into(),
                vec!["Referred.".into()],
            )],
            now(),
        )
        .unwrap();
    h.app = App::new(
        Terms::load("wiltshire").unwrap(),
        MeetingData::load_next(&h.store, clock().today()).unwrap(),
        clock().today(),
    );
    // The folder as if chosen before (see the tests above).
    h.app.data.files_folder = Some(folder.display().to_string());
    h.char('F');
    let screen = h.render(120, 40);
    assert!(
        screen.contains("Files to send for the meeting of Friday 27/11/2026 (the app's meeting)"),
        "{screen}"
    );

    // → the next meeting: its invitations, named in the heading and rows.
    h.key(KeyCode::Right);
    let screen = h.render(120, 40);
    assert!(
        screen.contains("Files to send for the meeting of Friday 18/12/2026\n"),
        "{screen}"
    );
    assert!(screen.contains("Invitations for 18/12/2026"), "{screen}");
    h.key(KeyCode::Enter);
    let invitations: Vec<_> = std::fs::read_dir(folder.join("invitations-2026-12-18"))
        .unwrap()
        .collect();
    assert_eq!(invitations.len(), 2, "one presenter and the list");
    // The cancelled meeting is passed over: nothing later to choose.
    h.key(KeyCode::Right);
    assert!(h.notice().starts_with("This is the last meeting planned"));
    assert!(h.render(120, 40).contains("meeting of Friday 18/12/2026"));

    // ← ← the meeting before the app's, whose agenda is empty: refused.
    h.key(KeyCode::Left);
    h.key(KeyCode::Left);
    assert!(h.render(120, 40).contains("meeting of Friday 30/10/2026"));
    h.key(KeyCode::Enter);
    assert!(
        h.notice().contains("agenda of this meeting is empty"),
        "{}",
        h.notice()
    );
    assert!(!folder.join("invitations-2026-10-30").exists());
    // Its minutes can be written all the same (the third row).
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    assert!(
        folder.join("minutes-2026-10-30.docx").exists(),
        "{}",
        h.notice()
    );
    // The first meeting listed is the first there is.
    h.key(KeyCode::Left);
    assert!(h.notice().starts_with("This is the first meeting"));
}
