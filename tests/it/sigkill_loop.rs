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
        // SIGKILL: no destructor, no flush, no goodbye.
        child.kill().expect("killed");
        let _ = child.wait();

        let conn = rusqlite::Connection::open(&db).expect("reopens");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("check");
        assert_eq!(check, "ok", "round {round}");
        drop(conn);
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
