//! `permanence-panel referrals`: checked once (`usecase::referrals`), so the
//! command line says the flag and the app the field for the same problem.

use predicates::prelude::*;

use crate::common::cli::{bin, new_panel};

#[test]
fn a_referral_is_checked_named_by_its_flag_then_added_and_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_panel(dir.path(), "wiltshire");
    let add = |supporter: &str| {
        let mut cmd = bin(&db);
        cmd.args([
            "referrals",
            "add",
            "--child",
            "C000101",
            "--referrer-initials",
            "JS",
            "--supporter-initials",
            supporter,
            "--reason",
            "Plan for adoption needs agreeing",
        ]);
        cmd
    };
    add("ab")
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--supporter-initials: found 'ab', expected initials (1 to 4 capital letters, e.g. JS)",
        ));
    add("AB")
        .assert()
        .success()
        .stdout(predicate::str::contains("Referral 1 recorded"));
    bin(&db)
        .args(["referrals", "accept", "--id", "1"])
        .assert()
        .success();
    bin(&db)
        .args(["referrals", "list", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1,C000101,"))
        .stdout(predicate::str::contains("team manager (AB)"))
        .stdout(predicate::str::contains(",accepted,"));
}
