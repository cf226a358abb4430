//! Pull the plug, 100 times: a writer process adds actions and says each
//! one once its transaction has committed; it is SIGKILLed at a random
//! moment; every action it reported must be in the database, which must
//! pass SQLite's integrity check.
//!
//! The writer is this test binary itself, re-run on the hidden test
//! `writer_process` with the database named in an environment variable.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use chrono::NaiveDate;
use permanence_panel::store::{NewAction, Store};
use rand::{RngExt, SeedableRng};

const DB_ENV: &str = "PERMANENCE_PANEL_SIGKILL_DB";

#[test]
fn writer_process() {
    // Only does something when re-run by the loop below.
    let Ok(path) = std::env::var(DB_ENV) else {
        return;
    };
    let mut store = Store::open(std::path::Path::new(&path)).expect("open");
    let meeting = store
        .meetings()
        .expect("meetings")
        .last()
        .expect("the demo meeting")
        .id;
    let at = NaiveDate::from_ymd_opt(2026, 11, 27)
        .expect("date")
        .and_hms_opt(10, 0, 0)
        .expect("time");
    for i in 0.. {
        let id = store
            .add_action(
                &NewAction {
                    meeting,
                    child: "C000001".into(),
                    text: format!("Action {i}"),
                    owner: "Kinship and Fostering Team Manager".into(),
                    deadline: NaiveDate::from_ymd_opt(2027, 1, 29).expect("date"),
                },
                at,
            )
            .expect("written");
        // Said only after the commit returned.
        println!("committed {id}");
    }
}

/// SIGKILLs `child` (no destructor, no flush, no goodbye), then checks
/// the database at `db` with SQLite's integrity check, on a plain
/// connection that rolls back whatever the writer left half done.
fn pull_the_plug(mut child: std::process::Child, db: &std::path::Path, round: usize) {
    child.kill().expect("killed");
    let _ = child.wait();
    let conn = rusqlite::Connection::open(db).expect("reopens");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(check, "ok", "round {round}");
}

#[test]
fn a_hundred_kills_lose_nothing_committed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = crate::common::cli::demo_db(dir.path());
    let me = std::env::current_exe().expect("this test binary");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
    let mut reported = Vec::new();
    for round in 0..100 {
        let wait_for = rng.random_range(1..15);
        let mut child = Command::new(&me)
            .args([
                "sigkill_loop::writer_process",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DB_ENV, &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("writer starts");
        let stdout = child.stdout.take().expect("piped");
        let mut seen = 0;
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(id) = line.strip_prefix("committed ") {
                reported.push(id.trim().parse::<i64>().expect("an id"));
                seen += 1;
                if seen >= wait_for {
                    break;
                }
            }
        }
        pull_the_plug(child, &db, round);
        let store = Store::open(&db).expect("opens after a kill");
        let ids: std::collections::HashSet<i64> = store
            .all_actions()
            .expect("actions")
            .iter()
            .map(|a| a.id)
            .collect();
        for id in &reported {
            assert!(
                ids.contains(id),
                "round {round}: committed action {id} lost"
            );
        }
        assert_eq!(
            store.verify_audit().expect("verify").findings,
            Vec::new(),
            "round {round}"
        );
    }
    assert!(
        reported.len() >= 100,
        "only {} writes reported",
        reported.len()
    );
}

/// A panel's first returns are written through a rollback journal
/// (`Store::import_returns`): pulled at any moment, the import leaves the
/// panel as it was or holding every return, never part of them, and the
/// next program to open it finds it whole and in WAL mode.
#[test]
fn a_first_import_killed_at_any_moment_leaves_the_panel_as_it_was_or_wholly_imported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let years = crate::returns::generated_years(dir.path(), 600, 3);
    let pristine = crate::returns::panel(dir.path(), "pristine.db");
    let db = dir.path().join("panel.db");
    let bin = assert_cmd::cargo::cargo_bin("permanence-panel");
    let import = |db: &std::path::Path| {
        let mut cmd = Command::new(&bin);
        cmd.arg("--db")
            .arg(db)
            .args(["import", "903"])
            .args(&years)
            .env_remove("PERMANENCE_PANEL_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    };
    let fresh_copy = || {
        for leftover in [
            "panel.db",
            "panel.db-journal",
            "panel.db-wal",
            "panel.db-shm",
        ] {
            let _ = std::fs::remove_file(dir.path().join(leftover));
        }
        std::fs::copy(&pristine, &db).expect("copy");
    };
    // How long a whole import takes here, to pull the plug within it.
    fresh_copy();
    let began = std::time::Instant::now();
    assert!(import(&db).status().expect("runs").success());
    let whole = began.elapsed();

    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(15);
    let (mut as_it_was, mut imported) = (0, 0);
    for round in 0..16 {
        fresh_copy();
        let child = import(&db).spawn().expect("import starts");
        std::thread::sleep(whole.mul_f64(rng.random_range(0.3..1.2)));
        pull_the_plug(child, &db, round);
        let store = Store::open(&db).expect("opens after a kill");
        match store.returns().expect("returns").len() {
            0 => {
                as_it_was += 1;
                assert_eq!(store.child_count().expect("count"), 0, "round {round}");
            }
            8 => imported += 1,
            n => panic!("round {round}: {n} of the 8 returns held"),
        }
        drop(store);
        let conn = rusqlite::Connection::open(&db).expect("reopens");
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "wal", "round {round}");
    }
    assert!(
        as_it_was > 0,
        "no kill landed before the commit ({imported} imported)"
    );
}
