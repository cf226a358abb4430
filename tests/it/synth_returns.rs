//! `generate --returns`: one folder per collection year, every DfE table,
//! cut as rules.md "Returns and how they merge" describes, from a steady
//! population of one council.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use assert_cmd::Command;
use chrono::NaiveDate;
use permanence_panel::model::schema903::Table903;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%d/%m/%Y").unwrap()
}

fn opt_d(text: &str) -> Option<NaiveDate> {
    (!text.is_empty()).then(|| d(text))
}

type Row = BTreeMap<String, String>;

fn read_csv(path: &Path) -> (Vec<String>, Vec<Row>) {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            headers
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (headers, rows)
}

const YEARS: [&str; 7] = [
    "2019-20", "2020-21", "2021-22", "2022-23", "2023-24", "2024-25", "2025-26",
];

/// Generates 2000 children as seven returns and an in-year extract.
fn generate(dir: &Path) -> String {
    let out = Command::cargo_bin("permanence-panel")
        .unwrap()
        .args(["generate", "--children", "2000", "--seed", "7", "--out"])
        .arg(dir)
        .args([
            "--returns",
            "2019-20..2025-26",
            "--in-year-to",
            "2026-11-30",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// (first day, last day) of a folder's return.
fn period(year: &str, in_year_to: Option<NaiveDate>) -> (NaiveDate, NaiveDate) {
    let start: i32 = year[..4].parse().unwrap();
    let first = NaiveDate::from_ymd_opt(start, 4, 1).unwrap();
    let last = in_year_to.unwrap_or(NaiveDate::from_ymd_opt(start + 1, 3, 31).unwrap());
    (first, last)
}

#[test]
fn each_year_holds_every_table_cut_as_the_dfe_return_is() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(dir.path());
    assert!(summary.contains("2026-27/"), "{summary}");
    assert!(summary.contains("in-year extract"), "{summary}");
    assert!(summary.contains("reviews  UASC   OC3  DoLo"), "{summary}");

    let folders: Vec<(String, Option<NaiveDate>)> = YEARS
        .iter()
        .map(|y| (y.to_string(), None))
        .chain([("2026-27".to_owned(), Some(d("30/11/2026")))])
        .collect();
    let expected_files: BTreeSet<&str> = Table903::ALL.map(Table903::file_name).into();
    assert_eq!(expected_files.len(), 12);

    // Every episode and review ever written, keyed as the merge keys them,
    // with the latest return's row.
    let mut latest_episode: BTreeMap<(String, NaiveDate), Row> = BTreeMap::new();
    let mut looked_after_at_end = Vec::new();
    let mut starters = Vec::new();
    let mut leavers = Vec::new();
    let mut uasc_rows = Vec::new();
    let mut dolo_rows = 0;
    for (year, in_year_to) in &folders {
        let folder = dir.path().join(year);
        let files: BTreeSet<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let files: BTreeSet<&str> = files.iter().map(String::as_str).collect();
        assert_eq!(files, expected_files, "{year}");
        let (first, last) = period(year, *in_year_to);

        let (_, header) = read_csv(&folder.join("header.csv"));
        let (_, episodes) = read_csv(&folder.join("episodes.csv"));
        let (_, reviews) = read_csv(&folder.join("reviews.csv"));
        let ids: BTreeSet<&str> = header.iter().map(|r| r["CHILD"].as_str()).collect();
        assert_eq!(ids.len(), header.len(), "{year}: one Header row per child");
        let with_episodes: BTreeSet<&str> = episodes.iter().map(|r| r["CHILD"].as_str()).collect();
        let (_, oc3) = read_csv(&folder.join("oc3.csv"));
        let care_leavers: BTreeSet<&str> = oc3.iter().map(|r| r["CHILD"].as_str()).collect();
        assert_eq!(
            ids,
            &with_episodes | &care_leavers,
            "{year}: the Header holds the children looked after in the year and the care leavers"
        );
        let dob_of = |child: &str| {
            header
                .iter()
                .find(|h| h["CHILD"] == child)
                .map(|h| d(&h["DOB"]))
                .unwrap()
        };
        let years_after = |dob: NaiveDate, years: u32| {
            dob.checked_add_months(chrono::Months::new(12 * years))
                .unwrap()
        };
        // Care leavers: once each, with a 17th to 21st birthday in the year,
        // not looked after on it, the codes agreeing (VAL 131-133, 344, 345).
        assert_eq!(care_leavers.len(), oc3.len(), "{year}: one OC3 row each");
        for row in &oc3 {
            let child = row["CHILD"].as_str();
            let dob = dob_of(child);
            assert_eq!(d(&row["DOB"]), dob, "{year}: {row:?}");
            let birthday = (17..=21)
                .map(|age| years_after(dob, age))
                .find(|b| *b >= first && *b <= last)
                .unwrap_or_else(|| panic!("{year}: no 17th-21st birthday in the year {row:?}"));
            assert!(
                episodes
                    .iter()
                    .filter(|e| e["CHILD"] == child)
                    .all(|e| { opt_d(&e["DEC"]).is_some_and(|dec| dec < birthday) }),
                "{year}: looked after on the birthday {row:?}"
            );
            let in_touch = row["IN_TOUCH"].as_str();
            assert!(
                ["YES", "NO", "REFU", "NREQ", "RHOM"].contains(&in_touch),
                "{row:?}"
            );
            assert_eq!(
                in_touch == "YES",
                row["ACTIV"] != "0" && row["ACCOM"] != "0",
                "{year}: {row:?}"
            );
        }
        // UASC: looked after in the year, status ceasing on the 18th
        // birthday, arrived at 14 to 17, accommodated under section 20 for
        // absent parenting, no home postcode.
        let (_, uasc) = read_csv(&folder.join("uasc.csv"));
        let uasc_children: BTreeSet<&str> = uasc.iter().map(|r| r["CHILD"].as_str()).collect();
        assert_eq!(uasc_children.len(), uasc.len(), "{year}: one UASC row each");
        for row in &uasc {
            let child = row["CHILD"].as_str();
            let h = header.iter().find(|h| h["CHILD"] == child).unwrap();
            assert_eq!((&row["SEX"], &row["DOB"]), (&h["SEX"], &h["DOB"]), "{year}");
            assert_eq!(
                d(&row["DUC"]),
                years_after(d(&h["DOB"]), 18),
                "{year}: {row:?}"
            );
            assert!(
                with_episodes.contains(child),
                "{year}: {row:?} not looked after"
            );
            for e in episodes.iter().filter(|e| e["CHILD"] == child) {
                assert_eq!((e["LS"].as_str(), e["CIN"].as_str()), ("V2", "N8"), "{e:?}");
                if e["RNE"] == "S" {
                    let age = (d(&e["DECOM"]) - d(&h["DOB"])).num_days() / 365;
                    assert!(
                        (14..=17).contains(&age),
                        "{year}: arrived aged {age}: {e:?}"
                    );
                }
            }
        }
        // Orders depriving a child of liberty from 2026-27 (VAL 700-710):
        // within a children's home (K2) episode, starting and ending
        // strictly inside it.
        let (_, dolo) = read_csv(&folder.join("dolo.csv"));
        assert!(
            dolo.is_empty() || year.as_str() >= "2026-27",
            "{year}: DoLo rows"
        );
        for o in &dolo {
            let start = d(&o["DOLO_START"]);
            let end = opt_d(&o["DOLO_END"]);
            assert!(
                start <= last && end.is_none_or(|e| e > start && e >= first && e <= last),
                "{o:?}"
            );
            assert!(
                episodes.iter().any(|e| e["CHILD"] == o["CHILD"]
                    && e["PLACE"] == "K2"
                    && d(&e["DECOM"]) < start
                    && match (opt_d(&e["DEC"]), end) {
                        (Some(dec), Some(end)) => end < dec,
                        (None, _) => true,
                        (Some(_), None) => false,
                    }),
                "{year}: {o:?} outside a children's home episode"
            );
        }
        uasc_rows.push(uasc.len());
        dolo_rows += dolo.len();

        for e in &episodes {
            let decom = d(&e["DECOM"]);
            let dec = opt_d(&e["DEC"]);
            assert!(decom <= last, "{year}: {e:?} starts after the year");
            assert!(
                dec.is_none_or(|x| x >= first && x <= last),
                "{year}: {e:?} ends outside the year"
            );
            assert_eq!(dec.is_none(), e["REC"].is_empty(), "{year}: {e:?}");
            if dec.is_none() {
                assert!(
                    e["REASON_PLACE_CHANGE"].is_empty(),
                    "{year}: open with a reason {e:?}"
                );
            }
            // An episode written open in one year and closed in a later
            // one keeps its key; the later return wins.
            latest_episode.insert((e["CHILD"].clone(), decom), e.clone());
        }
        let (_, missing) = read_csv(&folder.join("missing.csv"));
        for m in &missing {
            let (start, end) = (d(&m["MIS_START"]), d(&m["MIS_END"]));
            assert!(
                start >= first && start <= end && end <= last,
                "{year}: {m:?}"
            );
            assert!(
                ids.contains(m["CHILD"].as_str()),
                "{year}: {m:?} not in Header"
            );
        }
        for v in &reviews {
            let on = d(&v["REVIEW"]);
            assert!(
                on >= first && on <= last,
                "{year}: review {v:?} outside the year"
            );
        }
        let sexes: BTreeSet<&str> = header.iter().map(|r| r["SEX"].as_str()).collect();
        let legacy = year.as_str() < "2024-25";
        assert!(
            sexes.iter().all(|s| if legacy {
                ["1", "2"].contains(s)
            } else {
                ["M", "F"].contains(s)
            }),
            "{year}: SEX codes {sexes:?}"
        );
        assert!(
            episodes
                .iter()
                .filter(|e| !uasc_children.contains(e["CHILD"].as_str()))
                .all(|e| e["HOME_POST"]
                    .split(' ')
                    .next()
                    .is_some_and(|o| o.starts_with("SN")
                        || o.starts_with("SP")
                        || o.starts_with("BA"))),
            "{year}: a home outside Wiltshire"
        );
        assert!(
            episodes.iter().all(|e| e["LS"] != "D1"),
            "{year}: a freeing order (VAL 445)"
        );
        if in_year_to.is_none() {
            looked_after_at_end.push(episodes.iter().filter(|e| e["DEC"].is_empty()).count());
            starters.push(
                episodes
                    .iter()
                    .filter(|e| e["RNE"] == "S" && d(&e["DECOM"]) >= first)
                    .count(),
            );
            leavers.push(
                episodes
                    .iter()
                    .filter(|e| !e["REC"].is_empty() && e["REC"] != "X1")
                    .count(),
            );
        }
    }
    // A steady population of a mid-sized council: a few hundred looked
    // after at each 31 March, children coming and going every year.
    for (i, year) in YEARS.iter().enumerate() {
        assert!(
            (300..=650).contains(&looked_after_at_end[i]),
            "{year}: {} looked after at 31 March",
            looked_after_at_end[i]
        );
        assert!(
            starters[i] > 100 && leavers[i] > 100,
            "{year}: {} started, {} left",
            starters[i],
            leavers[i]
        );
    }
    let (lo, hi) = (
        looked_after_at_end.iter().min().unwrap(),
        looked_after_at_end.iter().max().unwrap(),
    );
    assert!(hi - lo < hi / 4, "not steady: {looked_after_at_end:?}");
    // UASC every year, a few percent of those looked after; some orders
    // depriving a child of liberty in the year they are first collected.
    for (i, n) in uasc_rows.iter().enumerate() {
        assert!(*n > 0, "{}: no UASC", folders[i].0);
        if i < YEARS.len() {
            assert!(
                *n * 10 < looked_after_at_end[i],
                "{}: {n} UASC",
                folders[i].0
            );
        }
    }
    assert!(dolo_rows > 0, "no DoLo rows in 2026-27");

    // The import reads every table of every year: UASC kept (as many rows
    // as written), OC2, OC3 and DoLo recognised and left out, nobody held
    // back for the care leavers' Header rows without episodes.
    let db = dir.path().join("panel.db");
    crate::common::cli::init(&db, "wiltshire");
    let out = crate::common::cli::bin(&db)
        .args(["import", "903"])
        .args(folders.iter().map(|(y, _)| dir.path().join(y)))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("Recognised and left out (nothing a panel reads): OC2 (8 files), OC3 (8 files), DoLo (8 files)"),
        "{said}"
    );
    assert!(!said.contains("held back"), "{said}");
    for ((year, _), n) in folders.iter().zip(&uasc_rows) {
        let line = said
            .lines()
            .find(|l| l.starts_with(&format!("Return {year},")))
            .unwrap_or_else(|| panic!("{year} not imported: {said}"));
        assert!(line.contains(&format!(", UASC {n},")), "{line}");
    }

    // The merged history has one chain per child: episodes that followed on
    // (X1) start the day the previous one ended, and only the last is open.
    let mut by_child: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for ((child, _), row) in &latest_episode {
        by_child.entry(child.as_str()).or_default().push(row);
    }
    for (child, eps) in by_child {
        for w in eps.windows(2) {
            assert!(
                !w[0]["DEC"].is_empty(),
                "{child}: an open episode before another"
            );
            if w[0]["REC"] == "X1" {
                assert_eq!(w[0]["DEC"], w[1]["DECOM"], "{child}");
            }
        }
    }
}

#[test]
fn a_bad_range_or_in_year_date_is_refused_with_what_was_expected() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (
            vec!["--returns", "2019-20"],
            "expected collection years like 2019-20..2025-26",
        ),
        (
            vec!["--returns", "2025-26..2019-20"],
            "the last year 2019-20 is before the first 2025-26",
        ),
        (
            vec![
                "--returns",
                "2019-20..2025-26",
                "--in-year-to",
                "2026-01-01",
            ],
            "expected a date in 2026-27",
        ),
        (vec!["--in-year-to", "2026-01-01"], "--returns"),
    ] {
        let out = Command::cargo_bin("permanence-panel")
            .unwrap()
            .args(["generate", "--children", "5", "--seed", "1", "--out"])
            .arg(dir.path().join("x"))
            .args(&args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}
