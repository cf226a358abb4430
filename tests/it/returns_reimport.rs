//! Importing returns into a panel that holds some already (issue 15's
//! speed work): an import writes again only the children whose merged
//! history it changes; the backup it keeps, made while it runs, is the
//! panel as the import found it; a year added is undone exactly by
//! `returns remove`.

use std::path::{Path, PathBuf};

use crate::common::cli::{backup_names, bin};
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
