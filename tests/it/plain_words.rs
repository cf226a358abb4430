//! No developer words in a council document (issue 17): every document the
//! demo panel can send out (minutes in Markdown and Word, the actions and
//! tracker workbooks, the three reports in every format, the agenda, the
//! invitations) is read as text and searched for cohort ids, plan ids,
//! file names of ours and command-line flags.

use std::io::Read;
use std::path::{Path, PathBuf};

use permanence_panel::model::{CohortId, PlanKind};

use crate::common::cli::bin;
use crate::common::tmux::demo_db;

/// The text a reader sees in a file: Office files' XML parts with the
/// markup removed, anything else as it is.
fn text_of(path: &Path) -> String {
    let is_office = path.extension().is_some_and(|e| e == "docx" || e == "xlsx");
    if !is_office {
        return std::fs::read_to_string(path).expect("a text file");
    }
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("a zip");
    let mut out = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if !name.ends_with(".xml") {
            continue;
        }
        let mut xml = String::new();
        entry.read_to_string(&mut xml).expect("xml");
        let mut inside = false;
        for c in xml.chars() {
            match c {
                '<' => inside = true,
                '>' => {
                    inside = false;
                    out.push(' ');
                }
                _ if !inside => out.push(c),
                _ => {}
            }
        }
        out.push('\n');
    }
    out
}

/// Every occurrence of `word` standing alone (not inside a longer id or word).
fn standing_alone(text: &str, word: &str) -> Vec<String> {
    let part = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word)
        .filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            !before.is_some_and(part) && !after.is_some_and(part)
        })
        .map(|(at, _)| {
            let start = text[..at]
                .char_indices()
                .rev()
                .nth(40)
                .map_or(0, |(i, _)| i);
            let end = (at + word.len() + 40).min(text.len());
            let end = (end..=text.len())
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(text.len());
            text[start..end].replace('\n', " ")
        })
        .collect()
}

fn council_documents(dir: &Path, db: &Path) -> Vec<PathBuf> {
    let out = |name: &str| dir.join(name);
    let targets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/targets-example.toml");
    let mut runs: Vec<Vec<String>> = vec![
        vec![
            "minutes",
            "--meeting",
            "2026-11-27",
            "--format",
            "md",
            "--out",
        ]
        .into_iter()
        .map(String::from)
        .chain([out("minutes.md").display().to_string()])
        .collect(),
        vec![
            "minutes",
            "--meeting",
            "2026-11-27",
            "--format",
            "docx",
            "--out",
        ]
        .into_iter()
        .map(String::from)
        .chain([out("minutes.docx").display().to_string()])
        .collect(),
        vec!["actions", "--format", "xlsx", "--out"]
            .into_iter()
            .map(String::from)
            .chain([out("actions.xlsx").display().to_string()])
            .collect(),
        vec!["tracker", "export", "--format", "xlsx", "--out"]
            .into_iter()
            .map(String::from)
            .chain([out("tracker.xlsx").display().to_string()])
            .collect(),
        vec!["invites", "--meeting", "2026-12-24", "--out"]
            .into_iter()
            .map(String::from)
            .chain([out("invites").display().to_string()])
            .collect(),
    ];
    for kind in ["budget-scrutiny", "annual-plan", "smt"] {
        for format in ["md", "docx", "xlsx"] {
            let mut args: Vec<String> = [
                "report",
                "--kind",
                kind,
                "--from",
                "2026-06-01",
                "--to",
                "2026-11-30",
                "--format",
                format,
                "--out",
            ]
            .into_iter()
            .map(String::from)
            .collect();
            args.push(out(&format!("{kind}.{format}")).display().to_string());
            if kind == "annual-plan" {
                args.push("--targets".into());
                args.push(targets.display().to_string());
            }
            runs.push(args);
        }
    }
    for args in runs {
        bin(db).args(&args).assert().success();
    }
    let agenda = bin(db)
        .args(["agenda", "--meeting", "2026-12-24", "--format", "md"])
        .assert()
        .success();
    std::fs::write(out("agenda.md"), &agenda.get_output().stdout).expect("agenda");

    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .collect();
    files.extend(
        std::fs::read_dir(out("invites"))
            .expect("invites")
            .map(|e| e.expect("entry").path()),
    );
    files.retain(|f| f.is_file());
    files.sort();
    files
}

#[test]
fn no_council_document_of_the_demo_holds_a_developer_word() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs");
    let files = council_documents(&docs, &db);
    // 2 minutes, 2 workbooks, 9 reports, the agenda, the invitations' CSV
    // and at least one invitation.
    assert!(files.len() >= 16, "{files:?}");

    let mut words: Vec<String> = CohortId::ALL.iter().map(|c| c.id().to_owned()).collect();
    words.push("actions-due".into());
    // Plan ids that are not also English words.
    words.extend(
        PlanKind::ALL
            .iter()
            .map(|p| p.id())
            .filter(|id| id.contains('-') || *id == "sgo" || *id == "cao")
            .map(str::to_owned),
    );
    words.extend(["rules.md", "ssda903.md", "plans.csv"].map(String::from));

    let mut found = Vec::new();
    for file in &files {
        let text = text_of(file);
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for word in &words {
            for at in standing_alone(&text, word) {
                // "connected-person carer" is the plan said in words.
                if word == "connected-person" && at.contains("connected-person carer") {
                    continue;
                }
                found.push(format!("{name}: {word}: …{at}…"));
            }
        }
        // A command-line flag: two hyphens and a letter.
        for (at, _) in text.match_indices("--") {
            if text[at + 2..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase())
                && !text[..at].ends_with('-')
            {
                let end = (at + 30).min(text.len());
                let end = (end..=text.len())
                    .find(|i| text.is_char_boundary(*i))
                    .unwrap_or(text.len());
                found.push(format!("{name}: a flag: {}", &text[at..end]));
            }
        }
    }
    assert!(
        found.is_empty(),
        "developer words in council documents:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_search_finds_a_developer_word_where_there_is_one() {
    // The check itself is honest: an id inside a sentence is found, an id
    // inside a longer word is not.
    assert_eq!(
        standing_alone("listed under foster-12m today", "foster-12m").len(),
        1
    );
    assert!(standing_alone("not-foster-12m-x", "foster-12m").is_empty());
}
