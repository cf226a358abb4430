//! The real binary, run as scripts and administrators run it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use permanence_panel::model::{Id, Meeting};
use permanence_panel::store::Store;

/// The binary on the database `db`, never the user's own.
pub fn bin(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("permanence-panel").expect("binary builds");
    cmd.env_remove("PERMANENCE_PANEL_DB").arg("--db").arg(db);
    cmd
}

/// `init --terms preset` on the database `db`: a panel with its preset's
/// roles, no meetings and no return, as an administrator starts one.
pub fn init(db: &Path, preset: &str) {
    bin(db).args(["init", "--terms", preset]).assert().success();
}

/// The demo panel built in `dir` (`demo --no-app`), never the user's own.
pub fn demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("demo.db");
    bin(&db).args(["demo", "--no-app"]).assert().success();
    db
}

/// The demo's meeting to come (the last, after last month's, held).
pub fn demo_meeting(store: &Store) -> Meeting {
    store
        .meetings()
        .expect("meetings")
        .pop()
        .expect("the demo meeting, after last month's")
}

/// The names of the files in the backups folder beside `db` (none when
/// there is no such folder).
pub fn backup_names(db: &Path) -> Vec<String> {
    std::fs::read_dir(permanence_panel::store::backups_dir(db))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// `panel.db` in `dir`, just set up with `init --terms preset`.
pub fn new_panel(dir: &Path, preset: &str) -> PathBuf {
    let db = dir.join("panel.db");
    init(&db, preset);
    db
}

/// `referrals add` for `child`, referred by AB and supported by CD for
/// `reason`, with any further flags (`--made-on DATE`), run.
pub fn refer(db: &Path, child: &str, reason: &str, more: &[&str]) -> assert_cmd::assert::Assert {
    bin(db)
        .args(["referrals", "add", "--child", child])
        .args(["--referrer-initials", "AB", "--supporter-initials", "CD"])
        .args(["--reason", reason])
        .args(more)
        .assert()
}

/// `referrals accept --id ID`, which must succeed.
pub fn accept_referral(db: &Path, id: u32) {
    bin(db)
        .args(["referrals", "accept", "--id", &id.to_string()])
        .assert()
        .success();
}

/// The rows of a CSV output, header left out.
pub fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::Reader::from_reader(bytes)
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect()
}

/// A meeting on `day` from 10:00 to 12:00, added at `at`: the meeting the
/// tests that minute through the library add to a panel from a return.
pub fn morning_meeting(store: &mut Store, day: NaiveDate, at: NaiveDateTime) -> Id {
    let time = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("time");
    store
        .add_meeting(day, time(10), time(12), at)
        .expect("meeting")
}

/// The four tables of a return in `dir`, as `generate` names them.
pub fn return_tables(dir: &Path) -> [PathBuf; 4] {
    [
        "header.csv",
        "episodes.csv",
        "reviews.csv",
        "placed_for_adoption.csv",
    ]
    .map(|f| dir.join(f))
}

/// `panel.db` in `dir`, set up as an administrator would from a synthetic
/// return: `init --terms preset`, `generate` of `children` from `seed` as at
/// `as_at`, `import 903` of the four tables, and `import plans` when asked.
pub fn panel_from_return(
    dir: &Path,
    preset: &str,
    children: usize,
    seed: u64,
    as_at: &str,
    with_plans: bool,
) -> PathBuf {
    let db = new_panel(dir, preset);
    let data = dir.join("data");
    let (children, seed) = (children.to_string(), seed.to_string());
    Command::cargo_bin("permanence-panel")
        .expect("binary")
        .env_remove("PERMANENCE_PANEL_DB")
        .args([
            "generate",
            "--children",
            &children,
            "--seed",
            &seed,
            "--as-at",
            as_at,
            "--out",
        ])
        .arg(&data)
        .assert()
        .success();
    bin(&db)
        .args(["import", "903"])
        .args(return_tables(&data))
        .assert()
        .success();
    if with_plans {
        bin(&db)
            .args(["import", "plans"])
            .arg(data.join("plans.csv"))
            .assert()
            .success();
    }
    db
}
