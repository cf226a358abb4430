//! `report` through the binary, on a panel built from a generated return:
//! each kind in each format, read back (calamine for the workbook and its
//! chart parts, the zip of the Word document for its text and pictures),
//! with every figure checked against a computation of this file's own over
//! the generated CSV records and the panel records the test made.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::{Months, NaiveDate, NaiveTime};
use permanence_panel::model::{ActionStatus, CohortId, MeetingStatus};
use permanence_panel::report::measures::PLACEMENT_GROUPS;
use permanence_panel::store::{NewAction, Store};
use predicates::prelude::*;

use crate::common::cli::{bin, csv_rows, panel_from_return};

/// The day the generated return runs to.
const RETURN_AS_AT: &str = "2026-11-20";

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

fn dmy(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%d/%m/%Y").expect("a dd/mm/yyyy date")
}

/// One generated Episodes row, as the CSV says it.
#[derive(Debug, Clone)]
struct Ep {
    decom: NaiveDate,
    place: String,
    provider: String,
    dec: Option<NaiveDate>,
    rec: String,
}

/// The generated return, read straight from its CSV files.
struct Return {
    dob: HashMap<String, NaiveDate>,
    episodes: BTreeMap<String, Vec<Ep>>,
}

impl Return {
    fn read(data: &Path) -> Return {
        let mut dob = HashMap::new();
        let mut header = csv::Reader::from_path(data.join("header.csv")).expect("header.csv");
        let cols = header.headers().expect("columns").clone();
        let at = |name: &str| cols.iter().position(|c| c == name).expect(name);
        let (child, born) = (at("CHILD"), at("DOB"));
        for row in header.records() {
            let row = row.expect("row");
            dob.insert(row[child].to_owned(), dmy(&row[born]));
        }
        let mut episodes: BTreeMap<String, Vec<Ep>> = BTreeMap::new();
        let mut eps = csv::Reader::from_path(data.join("episodes.csv")).expect("episodes.csv");
        let cols = eps.headers().expect("columns").clone();
        let at = |name: &str| cols.iter().position(|c| c == name).expect(name);
        let (child, decom, place, provider, dec, rec) = (
            at("CHILD"),
            at("DECOM"),
            at("PLACE"),
            at("PLACE_PROVIDER"),
            at("DEC"),
            at("REC"),
        );
        for row in eps.records() {
            let row = row.expect("row");
            episodes.entry(row[child].to_owned()).or_default().push(Ep {
                decom: dmy(&row[decom]),
                place: row[place].to_owned(),
                provider: row[provider].to_owned(),
                dec: (!row[dec].is_empty()).then(|| dmy(&row[dec])),
                rec: row[rec].to_owned(),
            });
        }
        for list in episodes.values_mut() {
            list.sort_by_key(|e| e.decom);
        }
        Return { dob, episodes }
    }

    /// The child's one open episode on `d` when under 18 (two open is no
    /// placement: overlapping data).
    fn open_on(&self, child: &str, d: NaiveDate) -> Option<&Ep> {
        let eighteen = self.dob.get(child)?.checked_add_months(Months::new(216))?;
        if d >= eighteen {
            return None;
        }
        let open: Vec<&Ep> = self
            .episodes
            .get(child)?
            .iter()
            .filter(|e| e.decom <= d && e.dec.is_none_or(|dec| d < dec))
            .collect();
        (open.len() == 1).then(|| open[0])
    }

    /// Distinct children with an episode ending in `[from, to]` with a REC in `codes`.
    fn left_by(&self, codes: &[&str], from: NaiveDate, to: NaiveDate) -> BTreeSet<String> {
        self.episodes
            .iter()
            .filter(|(_, eps)| {
                eps.iter().any(|e| {
                    e.dec.is_some_and(|d| from <= d && d <= to) && codes.contains(&e.rec.as_str())
                })
            })
            .map(|(c, _)| c.clone())
            .collect()
    }
}

/// What the test recorded on the panel, to compare the panel figures with.
struct PanelSetup {
    meetings_held: usize,
    decisions: usize,
    children_heard: usize,
    /// The day each action marked done was done.
    done: Vec<NaiveDate>,
    deadline: NaiveDate,
}

impl PanelSetup {
    /// The share of actions done in the period that were done by their
    /// deadline, to one decimal place, as the report shows it.
    fn on_time(&self, from: NaiveDate, to: NaiveDate) -> String {
        let done: Vec<&NaiveDate> = self
            .done
            .iter()
            .filter(|d| from <= **d && **d <= to)
            .collect();
        let on_time = done.iter().filter(|d| ***d <= self.deadline).count();
        format!("{}%", shown(on_time as f64 * 100.0 / done.len() as f64))
    }
}

/// A Telford panel from 200 generated children (seed 7) with plans, the
/// 2026 meetings, and decisions and actions in April to September 2026.
fn panel(dir: &Path, preset: &str) -> (PathBuf, Return, PanelSetup) {
    let db = panel_from_return(dir, preset, 200, 7, RETURN_AS_AT, true);
    bin(&db)
        .args(["meetings", "plan", "--year", "2026"])
        .assert()
        .success();
    let ret = Return::read(&dir.join("data"));
    let children: Vec<String> = ret.episodes.keys().take(4).cloned().collect();

    let mut store = Store::open(&db).expect("store");
    let meetings: Vec<_> = store
        .meetings()
        .expect("meetings")
        .into_iter()
        .filter(|m| m.date >= day("2026-04-01") && m.date <= day("2026-09-30"))
        .collect();
    assert!(meetings.len() >= 4, "a meeting a month is planned");
    let at = |d: NaiveDate| d.and_time(NaiveTime::from_hms_opt(11, 0, 0).expect("a time"));
    // Three children at the first meeting, two at the second (one heard
    // again), none at the third (closed all the same), and the fourth
    // neither closed nor deciding anything: not held.
    let heard = [&children[0..3], &children[2..4]];
    let mut decisions = 0;
    for (m, list) in meetings.iter().zip(heard) {
        for child in list {
            store
                .record_decision(m.id, child, "Plan endorsed.", true, at(m.date))
                .expect("decision");
            decisions += 1;
        }
    }
    store
        .set_meeting_status(meetings[2].id, MeetingStatus::Closed, at(meetings[2].date))
        .expect("closed");

    // Actions due 30/06/2026: done before, on, after the deadline, after
    // the period, and one left open.
    let deadline = day("2026-06-30");
    let done_on = [
        Some("2026-06-15"),
        Some("2026-06-30"),
        Some("2026-07-10"),
        Some("2026-10-05"),
        None,
    ];
    for (i, done) in done_on.iter().enumerate() {
        let id = store
            .add_action(
                &NewAction {
                    meeting: meetings[0].id,
                    child: children[i % children.len()].clone(),
                    text: format!("Synthetic action {i}"),
                    owner: "SDM Placements".into(),
                    deadline,
                },
                at(meetings[0].date),
            )
            .expect("action");
        if let Some(on) = done {
            store
                .set_action_status(id, ActionStatus::Done, None, at(day(on)))
                .expect("done");
        }
    }
    let setup = PanelSetup {
        meetings_held: 3,
        decisions,
        children_heard: heard
            .iter()
            .flat_map(|l| l.iter())
            .collect::<BTreeSet<_>>()
            .len(),
        done: done_on.iter().flatten().map(|d| day(d)).collect(),
        deadline,
    };
    (db, ret, setup)
}

fn report(db: &Path, kind: &str, from: &str, to: &str, format: &str, out: Option<&Path>) -> String {
    let mut cmd = bin(db);
    cmd.args([
        "report", "--kind", kind, "--from", from, "--to", to, "--format", format,
    ]);
    if kind == "annual-plan" {
        cmd.arg("--targets").arg(targets_file());
    }
    if let Some(out) = out {
        cmd.arg("--out").arg(out);
    }
    let output = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(output).expect("utf-8")
}

fn targets_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/targets-example.toml")
}

/// The value text of a figure in the Markdown: "- **Measure**: VALUE".
fn md_value(md: &str, measure: &str) -> String {
    let start = format!("- **{measure}**: ");
    let line = md
        .lines()
        .find(|l| l.starts_with(&start))
        .unwrap_or_else(|| panic!("no figure '{measure}' in:\n{md}"));
    let after = &line[start.len()..];
    after.split(" (target").next().unwrap_or(after).to_owned()
}

/// The Summary sheet: measure -> (value cell, target cell, definition).
fn summary(path: &Path) -> HashMap<String, (Data, Data, String)> {
    let mut book: Xlsx<_> = open_workbook(path).expect("an xlsx workbook");
    let sheet = book.worksheet_range("Summary").expect("a Summary sheet");
    let mut rows = sheet.rows();
    let header: Vec<String> = rows
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (m, v, t, d) = (
        col("Measure"),
        col("Value"),
        col("Target"),
        col("Definition"),
    );
    rows.map(|r| {
        (
            r[m].to_string(),
            (r[v].clone(), r[t].clone(), r[d].to_string()),
        )
    })
    .collect()
}

fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("expected a number, found {other:?}"),
    }
}

/// A table sheet as label -> numbers, with its header.
fn table_sheet(path: &Path, name: &str) -> (Vec<String>, Vec<(String, Vec<f64>)>) {
    let mut book: Xlsx<_> = open_workbook(path).expect("xlsx");
    let sheet = book.worksheet_range(name).expect("the table sheet");
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    let header_at = rows
        .iter()
        .position(|r| r.len() > 1 && !matches!(r[1], Data::Empty))
        .expect("a header row");
    let header = rows[header_at]
        .iter()
        .map(|c| c.to_string())
        .filter(|h| !h.is_empty())
        .collect();
    let body = rows[header_at + 1..]
        .iter()
        .filter(|r| !matches!(r[0], Data::Empty))
        .map(|r| {
            let values = r[1..]
                .iter()
                .filter(|c| !matches!(c, Data::Empty))
                .map(number)
                .collect();
            (r[0].to_string(), values)
        })
        .collect();
    (header, body)
}

/// A table's key as heading -> cohort id, from its lines
/// "HEADING: Full title" (in the sheet above the table, or the text of a
/// report): each heading to the id of the cohort whose title the key gives.
fn cohort_key<'a>(lines: impl Iterator<Item = &'a str>) -> HashMap<String, String> {
    lines
        .filter_map(|line| {
            let (heading, meaning) = line.trim().trim_start_matches("- ").split_once(": ")?;
            let cohort = permanence_panel::model::CohortId::ALL
                .iter()
                .find(|c| c.title() == meaning.trim())?;
            Some((heading.to_owned(), cohort.id().to_owned()))
        })
        .collect()
}

/// The text of a sheet's first column (where the title, definition and
/// key sit above a table).
fn first_column(path: &Path, name: &str) -> Vec<String> {
    let mut book: Xlsx<_> = open_workbook(path).expect("xlsx");
    let sheet = book.worksheet_range(name).expect("the sheet");
    sheet
        .rows()
        .filter_map(|r| r.first().map(|c| c.to_string()))
        .collect()
}

/// The header cells of each table of a Word document, in order.
fn docx_table_headings(path: &Path) -> Vec<Vec<String>> {
    let file = std::fs::File::open(path).expect("the file");
    let mut archive = zip::ZipArchive::new(file).expect("a zip");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .expect("the document part")
        .read_to_string(&mut xml)
        .expect("text");
    // Text of each cell: the runs' <w:t> contents joined.
    let cell_text = |cell: &str| -> String {
        cell.split("<w:t")
            .skip(1)
            // <w:t> or <w:t xml:space=..>, not <w:tcPr> and the like.
            .filter(|t| t.starts_with('>') || t.starts_with(' '))
            .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
            .filter_map(|rest| rest.split("</w:t>").next())
            .collect::<String>()
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    };
    xml.split("<w:tbl>")
        .skip(1)
        .map(|table| {
            let first_row = table.split("</w:tr>").next().expect("a row");
            first_row.split("<w:tc>").skip(1).map(cell_text).collect()
        })
        .collect()
}

/// The names of the files in a zip (xlsx and docx are zips).
fn zip_names(path: &Path) -> Vec<String> {
    let file = std::fs::File::open(path).expect("the file");
    let archive = zip::ZipArchive::new(file).expect("a zip");
    archive
        .file_names()
        .map(|n| n.expect("a name").into_owned())
        .collect()
}

/// The Word document's text, tags dropped (runs of a paragraph join up).
fn docx_text(path: &Path) -> String {
    let file = std::fs::File::open(path).expect("the file");
    let mut archive = zip::ZipArchive::new(file).expect("a zip");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .expect("the document part")
        .read_to_string(&mut xml)
        .expect("text");
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&apos;", "'").replace("&amp;", "&")
}

/// The images of a Word document, after checking a docx reader opens it.
fn pngs(path: &Path) -> usize {
    let bytes = std::fs::read(path).expect("the file");
    docx_rs::read_docx(&bytes).expect("a readable Word document");
    zip_names(path)
        .iter()
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .count()
}

fn charts(path: &Path) -> usize {
    zip_names(path)
        .iter()
        .filter(|n| n.starts_with("xl/charts/chart") && n.ends_with(".xml"))
        .count()
}

/// One decimal place, as the report rounds.
fn one_decimal(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A number as the report writes it: whole numbers bare, others to one
/// decimal place.
fn shown(v: f64) -> String {
    let v = one_decimal(v);
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

#[test]
fn budget_scrutiny_in_every_format_agrees_with_the_generated_return() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, ret, setup) = panel(dir.path(), "telford");
    let (from, to) = (day("2026-07-01"), day("2026-09-30"));

    // Independently: placements at the end date, and external residential
    // child-days (K2 with PR4/PR5, a child looked after that day).
    let open_at_end: Vec<&Ep> = ret
        .episodes
        .keys()
        .filter_map(|c| ret.open_on(c, to))
        .collect();
    let mut days = 0i64;
    let mut in_homes = BTreeSet::new();
    let mut d = from;
    while d <= to {
        for child in ret.episodes.keys() {
            if let Some(e) = ret.open_on(child, d)
                && e.place == "K2"
                && (e.provider == "PR4" || e.provider == "PR5")
            {
                days += 1;
                in_homes.insert(child.clone());
            }
        }
        d = d.succ_opt().expect("a next day");
    }
    assert!(
        days > 0,
        "the generated return has external residential care"
    );
    let months = one_decimal(days as f64 / 30.4375);

    // Markdown to standard output; dates may be written either way.
    let md = report(
        &db,
        "budget-scrutiny",
        "2026-07-01",
        "30/09/2026",
        "md",
        None,
    );
    assert_eq!(
        md_value(&md, "External residential days"),
        format!("{days} child-days")
    );
    assert_eq!(
        md_value(&md, "External residential months"),
        format!("{} child-months", shown(months))
    );
    assert_eq!(
        md_value(&md, "Children looked after at the end date"),
        format!("{} children", open_at_end.len())
    );
    assert_eq!(
        md_value(&md, "Panel meetings held"),
        "0 meetings",
        "the panel's meetings were all before July"
    );
    assert!(md.contains("  Definition: Child-days in the period on which the child was looked after in a children's home (PLACE K2)"));

    // The workbook: the same figures, the tables, and native charts.
    let xlsx = dir.path().join("budget.xlsx");
    let said = report(
        &db,
        "budget-scrutiny",
        "2026-07-01",
        "2026-09-30",
        "xlsx",
        Some(&xlsx),
    );
    assert!(said.contains("Wrote the budget-scrutiny for 01/07/2026 to 30/09/2026"));
    let sum = summary(&xlsx);
    assert_eq!(number(&sum["External residential days"].0), days as f64);
    assert_eq!(number(&sum["External residential months"].0), months);
    assert!(
        sum["External residential months"].2.contains("PR4"),
        "a definition column"
    );

    // Table 1: cohorts at each month end, as the `cohorts` command lists
    // them; the headings are words, and the key above the table gives each
    // one's cohort id.
    let (header, rows) = table_sheet(&xlsx, "Table 1");
    assert_eq!(rows.len(), 3, "three month ends in the quarter");
    let column_a = first_column(&xlsx, "Table 1");
    let key = cohort_key(column_a.iter().map(String::as_str));
    assert_eq!(
        key.len(),
        header.len() - 1,
        "a key line per cohort: {column_a:?}"
    );
    for (label, values) in &rows {
        let as_at = dmy(label);
        let listed = csv_rows(
            &bin(&db)
                .args(["cohorts", "--as-at", &as_at.to_string(), "--format", "csv"])
                .assert()
                .success()
                .get_output()
                .stdout,
        );
        for (heading, value) in header[1..].iter().zip(values) {
            let cohort = &key[heading];
            let n = listed.iter().filter(|r| &r[1] == cohort).count();
            assert_eq!(*value, n as f64, "{heading} ({cohort}) at {label}");
        }
    }
    // Table 2: placements by type at the end date.
    let (_, by_type) = table_sheet(&xlsx, "Table 2");
    for ((label, codes), (row_label, values)) in PLACEMENT_GROUPS.iter().zip(&by_type) {
        assert_eq!(label, row_label);
        let n = open_at_end
            .iter()
            .filter(|e| codes.iter().any(|c| c.code() == e.place))
            .count();
        assert_eq!(values[0], n as f64, "{label}");
    }
    assert_eq!(
        charts(&xlsx),
        3,
        "cohorts, placements by type and by provider"
    );

    // The Word document: the figures in sentences, and the charts as PNGs.
    let docx = dir.path().join("budget.docx");
    report(
        &db,
        "budget-scrutiny",
        "2026-07-01",
        "2026-09-30",
        "docx",
        Some(&docx),
    );
    let text = docx_text(&docx);
    assert!(
        text.contains(&format!("External residential days: {days} child-days.")),
        "{text}"
    );
    assert!(text.contains("Definition: Child-days in the period"));
    assert_eq!(pngs(&docx), 3);
    let _ = setup;
}

#[test]
fn annual_plan_sets_actuals_beside_the_targets_in_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, ret, setup) = panel(dir.path(), "telford");
    let (from, to) = ("2025-11-21", RETURN_AS_AT);
    let targets: toml::Table =
        toml::from_str(&std::fs::read_to_string(targets_file()).expect("targets")).expect("toml");
    let target = |key: &str| targets["targets"][key].as_integer().expect(key) as f64;
    let left = |codes: &[&str]| ret.left_by(codes, day(from), day(to)).len();
    let routes = [
        (
            "Children achieving permanence: adoption order",
            left(&["E11", "E12"]),
            "adoption",
        ),
        (
            "Children achieving permanence: special guardianship order",
            left(&["E43", "E44", "E45", "E46", "E47", "E48"]),
            "sgo",
        ),
        (
            "Children achieving permanence: child arrangements order",
            left(&["E41"]),
            "cao",
        ),
        (
            "Children achieving permanence: return home",
            left(&["E4A"]),
            "return-home",
        ),
    ];
    assert!(routes.iter().any(|(_, n, _)| *n > 0), "someone left care");

    let md = report(&db, "annual-plan", from, to, "md", None);
    for (measure, actual, key) in &routes {
        let line = md.lines().find(|l| l.contains(measure)).expect(measure);
        assert!(
            line.ends_with(&format!(
                "{actual} children (target {} children)",
                target(key)
            )),
            "{line}"
        );
    }
    assert_eq!(
        md_value(&md, "Children heard"),
        format!("{} children", setup.children_heard)
    );
    assert_eq!(
        md_value(&md, "Actions completed on time"),
        setup.on_time(day(from), day(to))
    );

    let xlsx = dir.path().join("plan.xlsx");
    report(&db, "annual-plan", from, to, "xlsx", Some(&xlsx));
    let sum = summary(&xlsx);
    for (measure, actual, key) in &routes {
        assert_eq!(number(&sum[*measure].0), *actual as f64, "{measure}");
        assert_eq!(number(&sum[*measure].1), target(key), "{measure} target");
    }
    assert_eq!(charts(&xlsx), 1, "targets against actuals");

    let docx = dir.path().join("plan.docx");
    report(&db, "annual-plan", from, to, "docx", Some(&docx));
    let text = docx_text(&docx);
    let (measure, actual, key) = &routes[0];
    assert!(
        text.contains(&format!(
            "{measure}: {actual} children (target {} children).",
            target(key)
        )),
        "{text}"
    );
    assert_eq!(pngs(&docx), 1);

    // Without targets there is nothing to compare with.
    bin(&db)
        .args([
            "report",
            "--kind",
            "annual-plan",
            "--from",
            from,
            "--to",
            to,
            "--format",
            "md",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--targets FILE"));
}

#[test]
fn smt_reports_the_panels_work_time_to_permanence_and_what_is_not_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, ret, setup) = panel(dir.path(), "wiltshire");
    let (from, to) = (day("2026-04-01"), day("2026-09-30"));

    // Time to permanence by SGO, independently: from the first episode of
    // the period of care (walking back over contiguous episodes) to leaving.
    let sgo = ["E43", "E44", "E45", "E46", "E47", "E48"];
    let mut spans = Vec::new();
    for eps in ret.episodes.values() {
        let Some(i) = eps.iter().rposition(|e| {
            e.dec.is_some_and(|d| from <= d && d <= to) && sgo.contains(&e.rec.as_str())
        }) else {
            continue;
        };
        let mut first = i;
        while let Some(p) = eps[..first]
            .iter()
            .rposition(|e| e.dec == Some(eps[first].decom))
        {
            first = p;
        }
        spans.push((eps[i].dec.expect("ended") - eps[first].decom).num_days());
    }

    let md = report(&db, "smt", "2026-04-01", "2026-09-30", "md", None);
    assert_eq!(
        md_value(&md, "Panel meetings held"),
        format!("{} meetings", setup.meetings_held)
    );
    assert_eq!(
        md_value(&md, "Decisions made"),
        format!("{} decisions", setup.decisions)
    );
    assert_eq!(
        md_value(&md, "Children heard"),
        format!("{} children", setup.children_heard)
    );
    assert_eq!(
        md_value(&md, "Actions completed on time"),
        setup.on_time(from, to)
    );
    let sgo_shown = md_value(&md, "Time to permanence: special guardianship order");
    if spans.is_empty() {
        assert_eq!(sgo_shown, "no children left care this way in the period");
    } else {
        let avg = spans.iter().sum::<i64>() as f64 / spans.len() as f64;
        assert_eq!(sgo_shown, format!("{} days", shown(avg)));
    }
    // The generated return has no adoption details (AD1): A2 says so.
    let a2 = md_value(&md, "A2: placement order to match decision");
    assert!(
        a2 == "no children were adopted in the period"
            || a2.starts_with("not recorded: the returns held have no adoption details (AD1)"),
        "{a2}"
    );
    assert_eq!(
        md_value(&md, "Fostering Panel capacity for long-term matches"),
        "not recorded"
    );
    assert!(
        md.contains("adoption details (AD1 DATE_MATCH)"),
        "A2 says what it counts"
    );
    assert!(md.contains("Adoption scorecard A1: the average days between a child entering care and moving in with its adoptive family"));

    let xlsx = dir.path().join("smt.xlsx");
    report(&db, "smt", "2026-04-01", "2026-09-30", "xlsx", Some(&xlsx));
    let sum = summary(&xlsx);
    assert_eq!(number(&sum["Decisions made"].0), setup.decisions as f64);
    assert_eq!(
        sum["A2: placement order to match decision"].0,
        Data::String(a2.clone())
    );
    assert_eq!(charts(&xlsx), 1, "time to permanence by route");

    let docx = dir.path().join("smt.docx");
    report(&db, "smt", "2026-04-01", "2026-09-30", "docx", Some(&docx));
    let text = docx_text(&docx);
    assert!(
        text.contains(&format!("Decisions made: {} decisions.", setup.decisions)),
        "{text}"
    );
    assert!(text.contains("Fostering Panel capacity for long-term matches: not recorded."));
    assert_eq!(pngs(&docx), 1);
}

#[test]
fn the_budget_scrutiny_markdown_reads_as_before() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel_from_return(dir.path(), "telford", 60, 11, RETURN_AS_AT, true);
    let md = report(
        &db,
        "budget-scrutiny",
        "2026-04-01",
        "2026-06-30",
        "md",
        None,
    );
    insta::assert_snapshot!(md);
}

#[test]
fn no_table_heading_in_the_word_report_is_a_raw_cohort_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel_from_return(dir.path(), "telford", 60, 11, RETURN_AS_AT, true);
    let docx = dir.path().join("budget.docx");
    report(
        &db,
        "budget-scrutiny",
        "2026-04-01",
        "2026-06-30",
        "docx",
        Some(&docx),
    );
    let tables = docx_table_headings(&docx);
    assert!(tables.len() >= 3, "the report's tables: {tables:?}");
    let ids: Vec<&str> = CohortId::ALL.iter().map(|c| c.id()).collect();
    for headings in &tables {
        for heading in headings {
            assert!(
                !ids.contains(&heading.as_str()),
                "a raw cohort id as a heading: {headings:?}"
            );
        }
    }
    // The cohort table is there, a column for each of Telford's return
    // cohorts, and its key traces each heading to its id.
    let cohort_table = tables
        .iter()
        .find(|h| h.first().map(String::as_str) == Some("As at"))
        .expect("the cohorts over time table");
    assert_eq!(cohort_table.len(), 1 + 6, "{cohort_table:?}");
    let text = docx_text(&docx);
    let md = report(
        &db,
        "budget-scrutiny",
        "2026-04-01",
        "2026-06-30",
        "md",
        None,
    );
    let key = cohort_key(md.lines());
    for heading in &cohort_table[1..] {
        let id = key
            .get(heading)
            .unwrap_or_else(|| panic!("'{heading}' is not in the key:\n{md}"));
        assert!(ids.contains(&id.as_str()), "{heading}: {id}");
        let title = permanence_panel::model::cohort::listed_under_title(id);
        assert!(
            text.contains(&format!("{heading}: {title}")),
            "the Word key gives {heading} as {title}"
        );
        // In words only: no cohort id in a council document (issue 17).
        assert!(!text.contains(&format!("(cohort {id})")), "{text}");
    }
}

#[test]
fn wrong_asks_are_refused_with_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel_from_return(dir.path(), "telford", 10, 3, RETURN_AS_AT, false);
    let run = |args: &[&str]| bin(&db).arg("report").args(args).assert().failure();
    run(&[
        "--kind",
        "smt",
        "--from",
        "2026-04-01",
        "--to",
        "2026-09-30",
        "--format",
        "docx",
    ])
    .stderr(predicate::str::contains("--out FILE"));
    run(&[
        "--kind",
        "smt",
        "--from",
        "2026-13-01",
        "--to",
        "2026-09-30",
        "--format",
        "md",
    ])
    .stderr(predicate::str::contains("YYYY-MM-DD or DD/MM/YYYY"));
    run(&[
        "--kind",
        "smt",
        "--from",
        "2026-10-01",
        "--to",
        "2026-09-30",
        "--format",
        "md",
    ])
    .stderr(predicate::str::contains("runs backwards"));
    let bad = dir.path().join("targets.toml");
    std::fs::write(&bad, "[targets]\nadoptions = 3\n").expect("written");
    run(&[
        "--kind",
        "annual-plan",
        "--from",
        "2026-04-01",
        "--to",
        "2026-09-30",
        "--format",
        "md",
        "--targets",
        bad.to_str().expect("a path"),
    ])
    .stderr(predicate::str::contains("adoptions"));
}
