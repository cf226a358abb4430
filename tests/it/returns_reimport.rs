//! Importing returns into a panel that holds some already (issue 15's
//! speed work): an import writes again only the children whose merged
//! history it changes; the backup it keeps, made while it runs, is the
//! panel as the import found it; a year added is undone exactly by
//! `returns remove`.

use std::path::{Path, PathBuf};

use permanence_panel::import::{ImportOptions, import_returns};
use permanence_panel::store::{MergeSummary, Store};

use crate::common::cli::{backup_names, bin};
use crate::common::import::at;
use crate::returns::{answers, generated_years, import, merged_rows, panel, set_cell};

/// The children the History line says an import changed.
fn changed(summary: &str) -> usize {
    let line = summary
        .lines()
        .find(|l| l.starts_with("History:"))
        .unwrap_or_else(|| panic!("no History line in {summary}"));
    let (before, _) = line.split_once(" changed by this import").expect(line);
    before
        .rsplit('(')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {line}"))
}

/// The first child in a return's Episodes table, and the folder's copy of
/// the table.
fn first_child_in_episodes(folder: &Path) -> (String, PathBuf) {
    let file = folder.join("episodes.csv");
    let text = std::fs::read_to_string(&file).unwrap();
    let child = text.lines().nth(1).unwrap().split(',').next().unwrap();
    (child.to_owned(), file)
}

#[test]
fn a_corrected_return_writes_again_only_the_children_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let years = generated_years(dir.path(), 150, 31);
    let db = panel(dir.path(), "panel.db");
    let first = import(&db, &years);
    assert!(changed(&first) > 100, "{first}");

    // The same in-year extract again: every child of it merged again,
    // none written.
    let latest = years.last().unwrap();
    assert_eq!(changed(&import(&db, std::slice::from_ref(latest))), 0);

    // Nor when the years came in another order: what is stored does not
    // depend on the order returns were imported in.
    let newest_first = panel(dir.path(), "newest-first.db");
    for year in years.iter().rev() {
        import(&newest_first, std::slice::from_ref(year));
    }
    for year in [latest, &years[3]] {
        let again = import(&newest_first, std::slice::from_ref(year));
        assert_eq!(changed(&again), 0, "{}: {again}", year.display());
    }

    // One value corrected in a field the rules keep but do not need.
    let (child, episodes) = first_child_in_episodes(latest);
    set_cell(&episodes, &child, 0, "PL_POST", "ZZ1 1ZZ");
    assert_eq!(changed(&import(&db, std::slice::from_ref(latest))), 1);
    let fresh = panel(dir.path(), "fresh.db");
    import(&fresh, &years);
    assert_eq!(merged_rows(&db), merged_rows(&fresh));
    assert!(merged_rows(&db).iter().any(|r| r.contains("ZZ1 1ZZ")));

    // A bad value in a field the rules need takes the child out of the
    // history; corrected, the child comes back.
    let header = latest.join("header.csv");
    let dob = {
        let mut reader = csv::Reader::from_path(&header).unwrap();
        let col = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "DOB")
            .unwrap();
        reader
            .records()
            .map(|r| r.unwrap())
            .find(|r| r[0] == *child)
            .map(|r| r[col].to_owned())
            .unwrap()
    };
    set_cell(&header, &child, 0, "DOB", "not a date");
    let held = import(&db, std::slice::from_ref(latest));
    assert!(held.contains("held back"), "{held}");
    assert_eq!(changed(&held), 1, "{held}");
    assert!(!merged_rows(&db).iter().any(|r| r.contains(&child)));
    set_cell(&header, &child, 0, "DOB", &dob);
    assert_eq!(changed(&import(&db, std::slice::from_ref(latest))), 1);
    assert_eq!(merged_rows(&db), merged_rows(&fresh));
}

#[test]
fn a_year_added_is_undone_exactly_by_removing_it() {
    let dir = tempfile::tempdir().unwrap();
    let years = generated_years(dir.path(), 120, 32);
    let (older, newest) = years.split_at(7);
    let db = panel(dir.path(), "panel.db");
    import(&db, older);
    let list = |db: &Path| {
        let out = bin(db)
            .args(["returns", "list", "--format", "csv"])
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let (rows, cohorts, held) = (merged_rows(&db), answers(&db), list(&db));
    let backups_before = backup_names(&db).len();

    let added = import(&db, newest);
    assert!(added.contains("The panel as it was is kept in"), "{added}");
    assert_eq!(backup_names(&db).len(), backups_before + 1);
    assert_ne!(merged_rows(&db), rows, "the year changed nothing");

    bin(&db)
        .args(["returns", "remove", "--year", "2026-27"])
        .assert()
        .success();
    assert_eq!(merged_rows(&db), rows);
    assert_eq!(answers(&db), cohorts);
    assert_eq!(list(&db), held);
}

#[test]
fn an_import_that_replaces_a_year_keeps_the_panel_as_it_was_in_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let years = generated_years(dir.path(), 120, 33);
    let db = panel(dir.path(), "panel.db");
    import(&db, &years);
    let before = merged_rows(&db);

    // The 2022-23 return corrected: one child's placement postcode.
    let (child, episodes) = first_child_in_episodes(&years[3]);
    set_cell(&episodes, &child, 0, "PL_POST", "ZZ9 9ZZ");
    let out = import(&db, std::slice::from_ref(&years[3]));
    let kept = out
        .lines()
        .find_map(|l| l.strip_prefix("The panel as it was is kept in "))
        .unwrap_or_else(|| panic!("no backup named in {out}"));
    let backup = PathBuf::from(kept.trim_end_matches('.'));
    let backup = if backup.is_absolute() {
        backup
    } else {
        dir.path().join(backup)
    };
    assert!(backup.to_string_lossy().contains("before-import"));
    // The backup is the panel before the import, read while it ran.
    assert_eq!(merged_rows(&backup), before);
    assert_ne!(merged_rows(&db), before);
}

/// Imports returns through the library: what the merge did.
fn merge_of(db: &Path, folders: &[PathBuf]) -> MergeSummary {
    let mut store = Store::open(db).unwrap();
    import_returns(&mut store, folders, &ImportOptions::default(), at())
        .unwrap()
        .merge
}

/// The children with a row in the return of the year starting `start`.
fn children_in_return(db: &Path, start: i32) -> usize {
    let conn = rusqlite::Connection::open(db).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM return_child_digests
             WHERE return_id = (SELECT id FROM returns WHERE year = ?1)",
            [start],
            |r| r.get(0),
        )
        .unwrap();
    usize::try_from(n).unwrap()
}

#[test]
fn importing_a_year_again_merges_again_only_the_children_whose_rows_in_it_changed() {
    let dir = tempfile::tempdir().unwrap();
    let years = generated_years(dir.path(), 150, 34);
    let db = panel(dir.path(), "panel.db");
    let first = merge_of(&db, &years);
    assert!(first.merged_again >= first.children as usize && first.children > 100);

    // The same returns again (the in-year extract each month, a middle
    // year): nobody is merged again.
    let (middle, latest) = (&years[3], years.last().unwrap());
    for year in [latest, middle] {
        let again = merge_of(&db, std::slice::from_ref(year));
        assert_eq!(
            (again.merged_again, again.changed),
            (0, 0),
            "{}",
            year.display()
        );
    }

    // The same rows in another order: still nobody.
    let reviews = middle.join("reviews.csv");
    let text = std::fs::read_to_string(&reviews).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    std::fs::write(&reviews, lines.join("\n") + "\n").unwrap();
    assert_eq!(merge_of(&db, std::slice::from_ref(middle)).merged_again, 0);

    // One value corrected: that child alone.
    let (child, episodes) = first_child_in_episodes(middle);
    set_cell(&episodes, &child, 0, "PL_POST", "ZZ1 1ZZ");
    let one = merge_of(&db, std::slice::from_ref(middle));
    assert_eq!((one.merged_again, one.changed), (1, 1));

    // A return kept before children's digests were (a panel upgraded):
    // all its children are merged again once, and nothing changes.
    let in_middle = children_in_return(&db, 2022);
    assert!(in_middle > 20, "{in_middle}");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "DELETE FROM return_child_digests
             WHERE return_id = (SELECT id FROM returns WHERE year = 2022)",
            [],
        )
        .unwrap();
    let upgraded = merge_of(&db, std::slice::from_ref(middle));
    assert_eq!((upgraded.merged_again, upgraded.changed), (in_middle, 0));
    assert_eq!(merge_of(&db, std::slice::from_ref(middle)).merged_again, 0);

    // What is held is what importing everything at once gives.
    let fresh = panel(dir.path(), "fresh.db");
    import(&fresh, &years);
    assert_eq!(merged_rows(&db), merged_rows(&fresh));
    assert!(merged_rows(&db).iter().any(|r| r.contains("ZZ1 1ZZ")));
}

#[test]
fn a_reader_in_the_middle_of_a_read_still_gets_the_panel_as_it_was_kept() {
    let dir = tempfile::tempdir().unwrap();
    let years = generated_years(dir.path(), 80, 35);
    let db = panel(dir.path(), "panel.db");
    merge_of(&db, &years[..7]);
    let before = merged_rows(&db);

    // Another connection (the app's presenter view, say) holds a read
    // open: the log cannot be emptied first, so the backup is copied page
    // by page from what the import started from, not from the file.
    // (A write of its own, left in the log, so that its read is of the
    // log and not only of the file.)
    let reader = rusqlite::Connection::open(&db).unwrap();
    reader
        .execute_batch(
            "PRAGMA wal_autocheckpoint = 0;
             INSERT INTO settings(key, value) VALUES ('test', 'a reader');
             BEGIN;",
        )
        .unwrap();
    let seen: i64 = reader
        .query_row("SELECT count(*) FROM children", [], |r| r.get(0))
        .unwrap();
    let backups = backup_names(&db).len();
    merge_of(&db, &years[7..]);
    reader.execute_batch("COMMIT").unwrap();
    let names = backup_names(&db);
    assert_eq!(names.len(), backups + 1);
    let newest = names.iter().max().unwrap();
    let backup = db.parent().unwrap().join("backups").join(newest);
    assert_eq!(merged_rows(&backup), before);
    assert_ne!(merged_rows(&db), before);
    assert!(seen > 0);
}
