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
            "SELECT count(*) FROM return_child_rows
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
            "UPDATE return_child_rows SET digest = NULL
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
        .query_row("SELECT count(*) FROM histories", [], |r| r.get(0))
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

/// Every row each return holds (any table, problems too) with its
/// return's year, without the ids the database gives rows.
fn return_rows(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut out = Vec::new();
    for table in [
        "return_child_rows",
        "return_problems",
        "return_table_rows",
        "return_files",
    ] {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT r.year, t.* FROM {table} t JOIN returns r ON r.id = t.return_id"
            ))
            .unwrap();
        let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
        let rows = stmt
            .query_map([], |r| {
                use rusqlite::types::ValueRef;
                Ok(names
                    .iter()
                    .enumerate()
                    .filter(|(_, name)| !matches!(name.as_str(), "id" | "return_id"))
                    .map(|(i, _)| match r.get_ref(i).unwrap() {
                        ValueRef::Null => "NULL".to_owned(),
                        ValueRef::Integer(v) => v.to_string(),
                        ValueRef::Real(v) => v.to_string(),
                        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                        ValueRef::Blob(b) => format!("{b:02x?}"),
                    })
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        out.extend(rows.map(|row| format!("{table}|{}", row.unwrap())));
    }
    out.sort();
    out
}

/// Each child's rows (packed) in the return of the year starting `start`.
fn packed_rows(db: &Path, start: i32) -> std::collections::BTreeMap<String, Vec<u8>> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT child_id, rows FROM return_child_rows
             WHERE return_id = (SELECT id FROM returns WHERE year = ?1)",
        )
        .unwrap();
    stmt.query_map([start], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Notes in the panel itself every child whose rows in a return are
/// written from now on (the import runs on its own connection).
fn note_rows_written(db: &Path) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch(
            "CREATE TABLE test_rows_written(child_id TEXT);
             CREATE TRIGGER test_note_rows_written AFTER INSERT ON return_child_rows
             BEGIN INSERT INTO test_rows_written VALUES (NEW.child_id); END;",
        )
        .unwrap();
}

fn rows_written(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT child_id FROM test_rows_written ORDER BY child_id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_year_imported_again_keeps_the_rows_of_its_unchanged_children_and_holds_what_a_fresh_import_holds()
 {
    let dir = tempfile::tempdir().unwrap();
    let years = generated_years(dir.path(), 150, 35);
    let db = panel(dir.path(), "panel.db");
    import(&db, &years);
    let latest = years.last().unwrap();
    let start = 2026;
    let rows_before = packed_rows(&db, start);
    let held_before = Store::open(&db).unwrap().returns().unwrap();

    // One child's placement postcode corrected; another child's Header
    // row gone (their other rows stay, so they are held back).
    let (corrected, episodes) = first_child_in_episodes(latest);
    set_cell(&episodes, &corrected, 0, "PL_POST", "ZZ1 1ZZ");
    let with_episodes = std::fs::read_to_string(&episodes).unwrap();
    let unheaded = with_episodes
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .find(|c| *c != corrected)
        .unwrap()
        .to_owned();
    let header = latest.join("header.csv");
    let text = std::fs::read_to_string(&header).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.retain(|l| !l.starts_with(&format!("{unheaded},")));
    std::fs::write(&header, lines.join("\n") + "\n").unwrap();

    note_rows_written(&db);
    let summary = merge_of(&db, std::slice::from_ref(latest));
    assert_eq!(summary.merged_again, 2, "{summary:?}");
    assert!(summary.held_back.contains(&unheaded), "{summary:?}");

    // The children not touched keep their rows as stored: only the two
    // changed have theirs written again (a child in no Header has no rows
    // kept, only their problems).
    let mut changed = vec![corrected.clone(), unheaded.clone()];
    changed.sort();
    assert_eq!(rows_written(&db), changed);
    let rows_after = packed_rows(&db, start);
    assert_eq!(rows_after.len(), rows_before.len());
    assert!(rows_after[&unheaded].is_empty());
    for (child, rows) in &rows_before {
        if changed.contains(child) {
            assert_ne!(rows_after[child], *rows, "{child}");
        } else {
            assert_eq!(rows_after[child], *rows, "{child}");
        }
    }

    // What each return holds, its record and the history are what a fresh
    // import of the same files gives.
    let fresh = panel(dir.path(), "fresh.db");
    import(&fresh, &years);
    assert_eq!(return_rows(&db), return_rows(&fresh));
    assert_eq!(merged_rows(&db), merged_rows(&fresh));
    let held = |db: &Path| {
        let mut held = Store::open(db).unwrap().returns().unwrap();
        for r in &mut held {
            r.imported_at = chrono::NaiveDateTime::default();
        }
        held
    };
    assert_eq!(held(&db), held(&fresh));
    // The year's record is the import just made (at `at()`).
    let (was, now) = (
        &held_before.last().unwrap(),
        &Store::open(&db).unwrap().returns().unwrap()[years.len() - 1],
    );
    assert_ne!(was.imported_at, at());
    assert_eq!(now.imported_at, at());
    assert_ne!(now.files, was.files);
}

/// Every index in the database, with its SQL.
fn indexes(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn the_first_import_builds_the_return_tables_indexes_again_and_a_refused_one_leaves_them() {
    let dir = tempfile::tempdir().unwrap();
    let years = generated_years(dir.path(), 60, 36);
    let db = panel(dir.path(), "panel.db");
    let schema = indexes(&db);
    assert!(
        schema
            .iter()
            .any(|(name, _)| name == "return_child_rows_open"),
        "{schema:?}"
    );

    // Refused part way through reading (a bad date under --strict), after
    // the first import dropped the indexes: they are all still there.
    let bad = dir.path().join("bad").join("2019-20");
    std::fs::create_dir_all(&bad).unwrap();
    for entry in std::fs::read_dir(&years[0]).unwrap() {
        let file = entry.unwrap().path();
        std::fs::copy(&file, bad.join(file.file_name().unwrap())).unwrap();
    }
    set_cell(&bad.join("header.csv"), "", 0, "DOB", "31/02/2015");
    bin(&db)
        .args(["import", "903", "--strict"])
        .arg(&bad)
        .assert()
        .failure()
        .stderr(predicates::str::contains("31/02/2015"));
    assert_eq!(indexes(&db), schema);
    assert!(Store::open(&db).unwrap().returns().unwrap().is_empty());

    // Imported: built again as the schema has them, and the history is
    // what it is when the indexes are kept up to date row by row (the
    // first year imported, then the next).
    import(&db, &years[..2]);
    assert_eq!(indexes(&db), schema);
    let one_by_one = panel(dir.path(), "one-by-one.db");
    import(&one_by_one, &years[..1]);
    import(&one_by_one, &years[1..2]);
    assert_eq!(merged_rows(&db), merged_rows(&one_by_one));
}

#[test]
fn a_child_corrected_in_the_latest_return_is_written_in_place_keeping_their_other_rows() {
    let dir = tempfile::tempdir().unwrap();
    let years = generated_years(dir.path(), 120, 37);
    let db = panel(dir.path(), "panel.db");
    import(&db, &years);
    let latest = years.last().unwrap();
    let (child, episodes) = first_child_in_episodes(latest);
    let rows_of = |db: &Path| -> Vec<String> {
        merged_rows(db)
            .into_iter()
            .filter(|r| r.split('|').nth(1) == Some(child.as_str()))
            .collect()
    };
    let before = rows_of(&db);
    assert!(
        before.iter().any(|r| r.starts_with("episodes|")),
        "{before:?}"
    );

    // The Header's ETHNIC corrected and one placement postcode changed,
    // in the latest return.
    set_cell(&latest.join("header.csv"), &child, 0, "ETHNIC", "WIRI");
    set_cell(&episodes, &child, 0, "PL_POST", "ZZ1 1ZZ");
    let summary = merge_of(&db, std::slice::from_ref(latest));
    assert_eq!((summary.merged_again, summary.changed), (1, 1));
    let after = rows_of(&db);
    assert!(
        after
            .iter()
            .any(|r| r.starts_with("children|") && r.contains("|WIRI|")),
        "{after:?}"
    );
    assert!(after.iter().any(|r| r.contains("ZZ1 1ZZ")), "{after:?}");
    // Nothing else of the child changed: as many rows of each table.
    let tables = |rows: &[String]| -> Vec<String> {
        rows.iter()
            .map(|r| r.split('|').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(tables(&after), tables(&before));

    let fresh = panel(dir.path(), "fresh.db");
    import(&fresh, &years);
    assert_eq!(merged_rows(&db), merged_rows(&fresh));
}

#[test]
fn a_child_whose_rows_in_a_return_cannot_be_read_is_a_damaged_database_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let years = generated_years(dir.path(), 60, 38);
    let db = panel(dir.path(), "panel.db");
    import(&db, &years);
    // A child's packed rows cut short behind the app's back.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let child: String = conn
        .query_row(
            "SELECT min(child_id) FROM return_child_rows WHERE length(rows) > 10",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE return_child_rows SET rows = substr(rows, 1, 5) WHERE child_id = ?1",
        [&child],
    )
    .unwrap();
    drop(conn);
    let (rows, held) = (merged_rows(&db), return_rows(&db));

    // Removing a year merges everyone, this child too: refused, named.
    let out = bin(&db)
        .args(["returns", "remove", "--year", "2019-20"])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("the database is damaged"), "{stderr}");
    assert!(
        stderr.contains(&format!("the rows held of child {child} cannot be read")),
        "{stderr}"
    );
    assert!(stderr.contains("restore"), "{stderr}");
    assert_eq!(merged_rows(&db), rows);
    assert_eq!(return_rows(&db), held);
}
