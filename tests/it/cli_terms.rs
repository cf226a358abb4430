//! `terms check`: a preset said back in words, or its problem at
//! FILE:LINE:COLUMN.

use assert_cmd::Command;

fn bin() -> Command {
    Command::cargo_bin("permanence-panel").expect("binary")
}

#[test]
fn a_preset_is_said_back_in_words() {
    let out = bin()
        .args(["terms", "check", "telford"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    assert!(
        text.contains("It sits on the second Tuesday of each month"),
        "{text}"
    );
    assert!(
        text.contains("(assumed: the terms of reference do not say)"),
        "{text}"
    );
}

#[test]
fn a_wrong_value_is_named_at_its_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("council.toml");
    let text = permanence_panel::terms::Terms::preset_text("wiltshire")
        .expect("preset")
        .replace("weekday = \"friday\"", "weekday = \"fryday\"");
    std::fs::write(&path, &text).expect("written");
    let line = text
        .lines()
        .position(|l| l.contains("fryday"))
        .expect("the line")
        + 1;
    let assert = bin().args(["terms", "check"]).arg(&path).assert().code(1);
    let err = String::from_utf8(assert.get_output().stderr.clone()).expect("utf-8");
    assert!(
        err.starts_with(&format!(
            "{}:{line}:11: 'fryday' is not a day of the week",
            path.display()
        )),
        "{err}"
    );
}
