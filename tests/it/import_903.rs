//! The SSDA903 import through the public API: a good import's content and
//! record, replacement of the previous extract, the XML return, and every
//! kind of rejection with its exact error line and an unchanged database.

use std::path::PathBuf;

use permanence_panel::import::{ImportError, ImportOptions, import_903, import_returns};
use permanence_panel::model::*;
use permanence_panel::store::{ImportRecord, NewMember, Store};
use tempfile::TempDir;

use crate::common::import::{at, date, fixture, sha256_hex, write};

fn all_fixtures() -> Vec<PathBuf> {
    [
        "header.csv",
        "episodes.csv",
        "reviews.csv",
        "placed_adoption.csv",
    ]
    .iter()
    .map(|n| fixture(n))
    .collect()
}

/// A store holding the fixture extract, so that "unchanged" means more
/// than "still empty".
fn imported_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    import_903(&mut store, &all_fixtures(), at()).unwrap();
    store
}

fn snapshot(store: &Store) -> (Vec<ChildRecord>, Vec<ImportRecord>) {
    (store.child_records().unwrap(), store.imports().unwrap())
}

/// Runs an import that must be rejected; checks that nothing changed and
/// returns the error.
fn rejected(files: &[PathBuf]) -> ImportError {
    let mut store = imported_store();
    let before = snapshot(&store);
    let err = match import_903(&mut store, files, at()) {
        Ok(report) => panic!("expected a rejection, got {report}"),
        Err(e) => e,
    };
    assert_eq!(snapshot(&store), before, "the database changed");
    assert!(err.store.is_none(), "{err}");
    err
}

fn lines(err: &ImportError) -> Vec<String> {
    err.to_string().lines().map(str::to_owned).collect()
}

const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC0001,M,14/03/2015,WBRI,,,\nC0002,F,01/07/2019,MWBA,,,\n";
const EPISODES_COLUMNS: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";

/// Header (two children) and an Episodes file with the given rows.
fn with_episodes(dir: &TempDir, rows: &str) -> Vec<PathBuf> {
    vec![
        write(dir, "header.csv", HEADER),
        write(dir, "episodes.csv", format!("{EPISODES_COLUMNS}{rows}")),
    ]
}

const GOOD_EPISODE: &str = "C0001,01/04/2022,S,V2,N1,U6,PR1,,,,,,\n";

#[test]
fn good_import_stores_every_table() {
    let store = imported_store();
    let c1 = store.child_record("C0001").unwrap().unwrap();
    assert_eq!(c1.child.sex, Sex::Male);
    assert_eq!(c1.child.dob, date(14, 3, 2015));
    assert_eq!(c1.child.ethnic, Ethnicity::Wbri);
    assert_eq!(c1.child.upn.as_deref(), Some("A123456789012"));
    assert_eq!(c1.child.mother, None);
    assert_eq!(c1.episodes.len(), 2);
    let first = &c1.episodes[0];
    assert_eq!(first.decom, date(1, 4, 2022));
    assert_eq!(first.rne, Rne::S);
    assert_eq!(first.ls, LegalStatus::V2);
    assert_eq!(first.place, Place::U6);
    assert_eq!(first.place_provider, Some(Provider::PR1));
    assert_eq!(first.dec, Some(date(15, 6, 2022)));
    assert_eq!(first.rec, Some(ReasonCeased::X1));
    assert_eq!(first.reason_place_change.as_deref(), Some("CARPL"));
    assert_eq!(first.home_post.as_deref(), Some("AB1 2CD"));
    assert_eq!(first.urn, None);
    assert_eq!(c1.episodes[1].dec, None, "a blank DEC is an open episode");
    assert_eq!(c1.reviews.len(), 2);

    let c2 = store.child_record("C0002").unwrap().unwrap();
    assert_eq!(c2.child.dob, date(1, 7, 2019), "yyyy-mm-dd is read too");
    assert_eq!(c2.child.mother, Some(false));
    // Two reviews on one date count as two.
    assert_eq!(c2.reviews.len(), 2);
    assert_eq!(c2.reviews[0].review_code, Some(ReviewCode::PN0));
    assert_eq!(
        c2.placed_adoption,
        vec![PlacedAdoption {
            child: "C0002".into(),
            date_placed: date(1, 3, 2023),
            date_placed_ceased: None,
            reason_placed_ceased: None,
        }]
    );

    let c3 = store.child_record("C0003").unwrap().unwrap();
    assert_eq!(c3.child.sex, Sex::LegacyFemale);
    assert_eq!(c3.child.mc_dob, Some(date(5, 5, 2024)));
    assert_eq!(c3.episodes[0].urn.as_deref(), Some("SC123456"));
    assert_eq!(
        c3.placed_adoption[0].reason_placed_ceased,
        Some(ReasonPlacedCeased::RD4)
    );
    assert_eq!(store.child_count().unwrap(), 3);
}

#[test]
fn the_import_record_has_each_files_sha256_and_row_counts() {
    let mut store = Store::open_in_memory().unwrap();
    let files = all_fixtures();
    let report = import_903(&mut store, &files, at()).unwrap();
    assert_eq!(
        report.to_string(),
        "Header: 3 children\nEpisodes: 4\nReviews: 4\nPlacedAdoption: 2"
    );
    let imports = store.imports().unwrap();
    assert_eq!(imports.len(), 1);
    let record = &imports[0];
    assert_eq!(record.at, at());
    assert_eq!(record.kind, "903");
    assert_eq!(record.id, report.import_id);
    let expected: Vec<(String, String, String, i64)> = files
        .iter()
        .zip([
            ("Header", 3),
            ("Episodes", 4),
            ("Reviews", 4),
            ("PlacedAdoption", 2),
        ])
        .map(|(path, (table, rows))| {
            (
                path.display().to_string(),
                sha256_hex(path),
                table.to_owned(),
                rows,
            )
        })
        .collect();
    let got: Vec<(String, String, String, i64)> = record
        .files
        .iter()
        .map(|f| {
            (
                f.file_name.clone(),
                f.sha256.clone(),
                f.table.clone(),
                f.rows,
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn files_are_recognised_by_header_row_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    // Names that say nothing, Header given last.
    let a = write(
        &dir,
        "a.csv",
        std::fs::read(fixture("placed_adoption.csv")).unwrap(),
    );
    let b = write(
        &dir,
        "b.csv",
        std::fs::read(fixture("episodes.csv")).unwrap(),
    );
    let c = write(&dir, "c.csv", std::fs::read(fixture("header.csv")).unwrap());
    let mut store = Store::open_in_memory().unwrap();
    import_903(&mut store, &[a, b, c], at()).unwrap();
    let reference = imported_store();
    let without_reviews: Vec<_> = reference
        .child_records()
        .unwrap()
        .into_iter()
        .map(|mut r| {
            r.reviews.clear();
            r
        })
        .collect();
    assert_eq!(store.child_records().unwrap(), without_reviews);
}

#[test]
fn bom_crlf_quoting_any_case_columns_extra_columns_and_blank_rows_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let header = "\u{feff}child,Sex,NOTES,DOB,ethnic,UPN,mother,MC_DOB\r\n\
                  \"C0001\",M,\"said \"\"hello\"\", then left\",14/03/2015,WBRI,,,\r\n\
                  C0002, f ,,2019-07-01,mwba,,1.0,01/01/2024\r\n\
                  ,,,,,,,\r\n";
    let episodes = "URN,PL_POST,HOME_POST,REASON_PLACE_CHANGE,REC,DEC,PLACE_PROVIDER,PLACE,CIN,LS,RNE,DECOM,CHILD\r\n\
                    ,,,,,,PR1,u6,N1,v2,s,1/4/2022,C0001\r\n\
                    ,\"AB1, 2CD\",,,,,,T0,N1,C2,P,01/05/2022,C0002\r\n";
    let files = [write(&dir, "h.csv", header), write(&dir, "e.csv", episodes)];
    let mut store = Store::open_in_memory().unwrap();
    let report = import_903(&mut store, &files, at()).unwrap();
    assert_eq!(report.to_string(), "Header: 2 children\nEpisodes: 2");
    let c1 = store.child_record("C0001").unwrap().unwrap();
    assert_eq!(c1.episodes[0].place, Place::U6);
    assert_eq!(c1.episodes[0].decom, date(1, 4, 2022));
    let c2 = store.child_record("C0002").unwrap().unwrap();
    assert_eq!(c2.child.sex, Sex::Female);
    assert_eq!(c2.child.mother, Some(true));
    assert_eq!(c2.episodes[0].pl_post.as_deref(), Some("AB1, 2CD"));
    assert_eq!(c2.episodes[0].place_provider, None);
}

#[test]
fn a_second_import_of_the_same_year_replaces_it_but_keeps_plans_and_panel_records() {
    let mut store = imported_store();
    // Returns accumulate by collection year (issue 15): the second import
    // is given the first one's year, so it replaces that return.
    let year = store.returns().unwrap()[0].year;
    let plan = PlanFacts {
        child: "C0001".into(),
        plan: Some(PlanKind::Adoption),
        plan_agreed: Some(date(1, 5, 2022)),
        ..PlanFacts::default()
    };
    store.set_plan_facts(&plan, at()).unwrap();
    store
        .add_member(
            &NewMember {
                role: "chair".into(),
                job_title: "Head of Service".into(),
                name: None,
                kind: MemberKind::Standing,
                substitute_for: None,
            },
            at(),
        )
        .unwrap();
    let members = store.members().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(
            &dir,
            "header.csv",
            "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC0002,F,01/07/2019,MWBA,,,\nC0009,M,01/01/2020,WBRI,,,\n",
        ),
        write(
            &dir,
            "episodes.csv",
            format!("{EPISODES_COLUMNS}C0009,01/02/2024,S,C1,N1,U6,PR1,,,,,,\n"),
        ),
    ];
    let options = ImportOptions {
        year: Some(year),
        strict: true,
        ..ImportOptions::default()
    };
    import_returns(&mut store, &files, &options, at()).unwrap();
    assert_eq!(store.returns().unwrap().len(), 1);
    let ids: Vec<String> = store
        .child_records()
        .unwrap()
        .into_iter()
        .map(|r| r.child.id)
        .collect();
    assert_eq!(ids, ["C0002", "C0009"]);
    let c2 = store.child_record("C0002").unwrap().unwrap();
    assert!(c2.episodes.is_empty() && c2.reviews.is_empty() && c2.placed_adoption.is_empty());
    // C0001 left the extract but the panel's facts about them are kept.
    assert_eq!(store.plan_facts("C0001").unwrap(), Some(plan));
    assert_eq!(store.members().unwrap(), members);
    assert_eq!(store.imports().unwrap().len(), 2);
}

#[test]
fn the_xml_return_gives_the_same_store_content_as_the_csv_tables() {
    let mut store = Store::open_in_memory().unwrap();
    let xml = fixture("return.xml");
    let report = import_903(&mut store, std::slice::from_ref(&xml), at()).unwrap();
    assert_eq!(
        report.to_string(),
        "Header: 3 children\nEpisodes: 4\nReviews: 4\nPlacedAdoption: 2"
    );
    assert_eq!(
        store.child_records().unwrap(),
        imported_store().child_records().unwrap()
    );
    let record = &store.imports().unwrap()[0];
    assert_eq!(record.files.len(), 4, "one entry per table");
    assert!(record.files.iter().all(|f| f.sha256 == sha256_hex(&xml)));
}

#[test]
fn xml_elements_are_read_by_name_whatever_their_order() {
    let dir = tempfile::tempdir().unwrap();
    // EPISODE before HEADER, AREVIEW before CHILDID, leaves in any order,
    // an entity in a postcode, and elements the panel does not read.
    let xml = "<?xml version=\"1.0\" encoding=\"us-ascii\"?>\n<EXPSSDA903>\n<CHILD>\n\
        <EPISODE><REC /><PL>U4</PL><RNE>S</RNE><DECOM>02/02/2024</DECOM><LS>C2</LS><CIN>N1</CIN>\
        <PLACE_PROVIDER>PR1</PLACE_PROVIDER><PL_POST>A&amp;B 1</PL_POST></EPISODE>\n\
        <HEADER><AREVIEW><REVIEW>01/03/2024</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>\
        <AMISSING><MISSING>M</MISSING></AMISSING>\
        <ETHNIC>WBRI</ETHNIC><DOB>01/01/2012</DOB><SEX>F</SEX><CHILDID>C0100</CHILDID></HEADER>\n\
        </CHILD>\n</EXPSSDA903>\n";
    let file = write(&dir, "return.xml", xml);
    let mut store = Store::open_in_memory().unwrap();
    let report = import_903(&mut store, &[file], at()).unwrap();
    assert_eq!(
        report.to_string(),
        "Header: 1 child\nEpisodes: 1\nReviews: 1\nPlacedAdoption: 0"
    );
    let record = store.child_record("C0100").unwrap().unwrap();
    assert_eq!(record.child.dob, date(1, 1, 2012));
    assert_eq!(record.episodes[0].place, Place::U4);
    assert_eq!(record.episodes[0].pl_post.as_deref(), Some("A&B 1"));
    assert_eq!(record.reviews[0].review, date(1, 3, 2024));
}

#[test]
fn reviews_and_placed_adoption_are_optional() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let report = import_903(&mut store, &with_episodes(&dir, GOOD_EPISODE), at()).unwrap();
    assert_eq!(report.to_string(), "Header: 2 children\nEpisodes: 1");
}

#[test]
fn rejects_a_file_that_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let mut header =
        b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC0001,M,14/03/2015,WBRI,,,\n".to_vec();
    header.extend_from_slice(b"C0002,F,01/07/2019,MWBA,Caf\xe9,,\n");
    let files = [
        write(&dir, "header.csv", header),
        write(
            &dir,
            "episodes.csv",
            format!("{EPISODES_COLUMNS}{GOOD_EPISODE}"),
        ),
    ];
    let err = rejected(&files);
    assert_eq!(
        lines(&err),
        [format!(
            "{}:3:UPN: found 'Caf\u{fffd}', expected UTF-8 text (save the file as CSV UTF-8)",
            files[0].display()
        )]
    );
}

#[test]
fn rejects_a_missing_column_on_line_1() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(&dir, "header.csv", HEADER),
        write(
            &dir,
            "episodes.csv",
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,HOME_POST,PL_POST,URN\n",
        ),
    ];
    let err = rejected(&files);
    assert_eq!(
        lines(&err),
        [format!(
            "{}:1:REASON_PLACE_CHANGE: found 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVI…', expected a column REASON_PLACE_CHANGE in the Episodes table's header row",
            files[1].display()
        )]
    );
}

#[test]
fn rejects_a_table_given_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = with_episodes(&dir, GOOD_EPISODE);
    files.push(write(
        &dir,
        "episodes2.csv",
        format!("{EPISODES_COLUMNS}{GOOD_EPISODE}"),
    ));
    let err = rejected(&files);
    assert_eq!(
        lines(&err),
        [format!(
            "{}:1:(header): found 'Episodes', expected one Episodes table (it is also in {})",
            files[2].display(),
            files[1].display()
        )]
    );
}

#[test]
fn rejects_a_column_named_twice() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(
            &dir,
            "header.csv",
            "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,dob\nC0001,M,14/03/2015,WBRI,,,,\n",
        ),
        write(
            &dir,
            "episodes.csv",
            format!("{EPISODES_COLUMNS}{GOOD_EPISODE}"),
        ),
    ];
    let err = rejected(&files);
    assert_eq!(
        lines(&err),
        [format!(
            "{}:1:dob: found 'dob', expected each column once (the header row names DOB twice)",
            files[0].display()
        )]
    );
}

#[test]
fn rejects_an_unknown_code() {
    let dir = tempfile::tempdir().unwrap();
    let files = with_episodes(&dir, "C0001,01/04/2022,S,V2,N1,A1,PR1,,,,,,\n");
    let err = rejected(&files);
    assert_eq!(
        lines(&err),
        [format!(
            "{}:2:PLACE: found 'A1', expected {}",
            files[1].display(),
            Place::EXPECTED
        )]
    );
}

#[test]
fn rejects_impossible_dates_in_both_forms() {
    let dir = tempfile::tempdir().unwrap();
    let files = with_episodes(
        &dir,
        "C0001,31/02/2022,S,V2,N1,U6,PR1,,,,,,\nC0002,01/04/2022,S,V2,N1,U6,PR1,2024-13-01,E8,,,,\n",
    );
    let err = rejected(&files);
    let e = files[1].display();
    assert_eq!(
        lines(&err),
        [
            format!("{e}:2:DECOM: found '31/02/2022', expected a date dd/mm/yyyy or yyyy-mm-dd"),
            format!("{e}:3:DEC: found '2024-13-01', expected a date dd/mm/yyyy or yyyy-mm-dd"),
        ]
    );
}

#[test]
fn rejects_dec_before_decom() {
    let dir = tempfile::tempdir().unwrap();
    // The second row also has an unknown child: both problems are shown.
    let files = with_episodes(
        &dir,
        "C0001,01/04/2022,S,V2,N1,U6,PR1,31/03/2022,E8,,,,\nC0404,2022-04-02,S,V2,N1,U6,PR1,01/04/2022,E8,,,,\n",
    );
    let err = rejected(&files);
    let e = files[1].display();
    assert_eq!(
        lines(&err),
        [
            format!("{e}:2:DEC: found '31/03/2022', expected a date on or after DECOM 01/04/2022"),
            format!("{e}:3:CHILD: found 'C0404', expected a child in the Header table"),
            format!("{e}:3:DEC: found '01/04/2022', expected a date on or after DECOM 02/04/2022"),
        ]
    );
}

#[test]
fn rejects_a_child_not_in_header_in_each_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = with_episodes(&dir, "C0404,01/04/2022,S,V2,N1,U6,PR1,,,,,,\n");
    files.push(write(
        &dir,
        "reviews.csv",
        "CHILD,DOB,REVIEW,REVIEW_CODE\nC0001,14/03/2015,01/05/2022,PN1\nC0405,01/01/2020,01/05/2022,PN1\n",
    ));
    files.push(write(
        &dir,
        "placed.csv",
        "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\nC0406,01/01/2020,01/05/2022,,\n",
    ));
    let err = rejected(&files);
    let expected = "expected a child in the Header table";
    assert_eq!(
        lines(&err),
        [
            format!("{}:2:CHILD: found 'C0404', {expected}", files[1].display()),
            format!("{}:3:CHILD: found 'C0405', {expected}", files[2].display()),
            format!("{}:2:CHILD: found 'C0406', {expected}", files[3].display()),
        ]
    );
}

#[test]
fn rejects_duplicate_rows_but_not_two_reviews_on_one_date() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(
            &dir,
            "header.csv",
            format!("{HEADER}C0001,M,14/03/2015,WBRI,,,\n"),
        ),
        write(
            &dir,
            "episodes.csv",
            format!("{EPISODES_COLUMNS}{GOOD_EPISODE}{GOOD_EPISODE}"),
        ),
        write(
            &dir,
            "reviews.csv",
            "CHILD,DOB,REVIEW,REVIEW_CODE\nC0001,14/03/2015,01/05/2022,PN1\nC0001,14/03/2015,01/05/2022,PN1\n",
        ),
        write(
            &dir,
            "placed.csv",
            "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\nC0002,01/07/2019,01/05/2022,,\nC0002,01/07/2019,01/05/2022,,\n",
        ),
    ];
    let err = rejected(&files);
    assert_eq!(
        lines(&err),
        [
            format!(
                "{}:4:CHILD: found 'C0001', expected a child id not already in Header (line 2)",
                files[0].display()
            ),
            format!(
                "{}:3:CHILD: found 'C0001', expected a row that does not repeat an earlier row",
                files[1].display()
            ),
            format!(
                "{}:3:CHILD: found 'C0002', expected a row that does not repeat an earlier row",
                files[3].display()
            ),
        ]
    );
}

#[test]
fn rejects_a_short_row() {
    let dir = tempfile::tempdir().unwrap();
    let files = with_episodes(&dir, "C0001,01/04/2022,S,V2\n");
    let err = rejected(&files);
    assert_eq!(
        lines(&err),
        [format!(
            "{}:2:CIN: found 'C0001,01/04/2022,S,V2', expected 13 fields as in the header row (this row has 4)",
            files[1].display()
        )]
    );
}

#[test]
fn rejects_an_open_quote_and_stops_reading_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let files = with_episodes(
        &dir,
        "C0001,01/04/2022,S,V2,N1,U6,PR1,,,,,,\"AB1\nC0002,01/04/2022,S,V2,N1,U6,PR1,,,,,,\nC0003,bad\n",
    );
    let err = rejected(&files);
    assert_eq!(
        lines(&err),
        [format!(
            "{}:2:URN: found 'AB1\\nC0002,01/04/2022,S,V2,N1,U6,PR1,,,,,…', expected a closing quote (\") before the end of the file",
            files[1].display()
        )]
    );
    assert_eq!(err.problems.len(), 1);
    assert_eq!(err.problems[0].line, 2);
    assert_eq!(err.problems[0].column, "URN");
}

#[test]
fn rejects_a_file_whose_header_row_matches_no_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = with_episodes(&dir, GOOD_EPISODE);
    files.push(write(
        &dir,
        "scores.csv",
        "CHILD,DOB,FOO_SCORE\nC0001,14/03/2015,12\n",
    ));
    let err = rejected(&files);
    assert_eq!(
        lines(&err),
        [format!(
            "{}:1:(header): found 'CHILD,DOB,FOO_SCORE', expected the header row of one of the return's tables (Header, Episodes, Reviews, PlacedAdoption, UASC, OC2, OC3, AD1, PrevPerm, Missing, SWEpisodes, DoLo)",
            files[2].display()
        )]
    );
}

#[test]
fn oc2_oc3_and_dolo_are_recognised_and_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = with_episodes(&dir, GOOD_EPISODE);
    files.push(write(
        &dir,
        "oc2.csv",
        "CHILD,DOB,SDQ_SCORE\nC0001,14/03/2015,12\n",
    ));
    let mut store = Store::open_in_memory().unwrap();
    let report = import_903(&mut store, &files, at()).unwrap();
    assert_eq!(report.rows("OC2"), 0);
    assert_eq!(report.returns[0].left_out.len(), 1);
}

#[test]
fn rejects_an_import_without_header_or_episodes() {
    let err = rejected(&[fixture("header.csv"), fixture("reviews.csv")]);
    assert_eq!(
        lines(&err),
        [format!(
            "(files given):0:Episodes: found '{}…', expected a file with the Episodes table",
            &format!(
                "{} {}",
                fixture("header.csv").display(),
                fixture("reviews.csv").display()
            )
            .chars()
            .take(40)
            .collect::<String>()
        )]
    );
    let err = rejected(&[fixture("episodes.csv")]);
    assert_eq!(err.problems.len(), 1);
    assert_eq!(err.problems[0].column, "Header");
}

#[test]
fn rejects_a_file_that_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.csv");
    let err = rejected(&[
        fixture("header.csv"),
        fixture("episodes.csv"),
        missing.clone(),
    ]);
    assert_eq!(err.problems.len(), 1);
    let p = &err.problems[0];
    assert_eq!(p.file, missing.display().to_string());
    assert_eq!(p.expected, "a readable file");
}

#[test]
fn a_ten_mib_field_gives_a_short_error() {
    let dir = tempfile::tempdir().unwrap();
    let huge = "9".repeat(10 * 1024 * 1024);
    let files = with_episodes(&dir, &format!("C0001,{huge},S,V2,N1,U6,PR1,,,,,,\n"));
    let err = rejected(&files);
    let text = err.to_string();
    assert!(text.len() < 300, "{} bytes of error text", text.len());
    assert_eq!(
        text,
        format!(
            "{}:2:DECOM: found '{}…', expected a date dd/mm/yyyy or yyyy-mm-dd",
            files[1].display(),
            "9".repeat(40)
        )
    );
}

#[test]
fn problems_are_collected_across_rows_up_to_100_then_counted() {
    let dir = tempfile::tempdir().unwrap();
    let rows: String = (0..130)
        .map(|i| format!("C0001,01/04/{},S,V2,N9,U6,PR1,,,,,,\n", 1900 + i))
        .collect();
    let files = with_episodes(&dir, &rows);
    let err = rejected(&files);
    let text = lines(&err);
    assert_eq!(text.len(), 101);
    assert_eq!(
        text[0],
        format!(
            "{}:2:CIN: found 'N9', expected {}",
            files[1].display(),
            CategoryOfNeed::EXPECTED
        )
    );
    assert!(text[99].starts_with(&format!("{}:101:CIN:", files[1].display())));
    assert_eq!(text[100], "and 30 more");
}

#[test]
fn xml_problems_name_the_element_and_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let xml = std::fs::read_to_string(fixture("return.xml"))
        .unwrap()
        .replace("<PL>K2</PL>", "<PL>Q9</PL>");
    let line = xml.lines().position(|l| l.contains("Q9")).unwrap() + 1;
    let file = write(&dir, "return.xml", xml);
    let err = rejected(std::slice::from_ref(&file));
    assert_eq!(
        lines(&err),
        [format!(
            "{}:{line}:PL: found 'Q9', expected {}",
            file.display(),
            Place::EXPECTED
        )]
    );
}

#[test]
fn a_bad_date_of_birth_in_xml_is_reported_once_not_on_every_review() {
    let dir = tempfile::tempdir().unwrap();
    let xml = std::fs::read_to_string(fixture("return.xml"))
        .unwrap()
        .replace("<DOB>14/03/2015</DOB>", "<DOB>31/02/2015</DOB>");
    let line = xml.lines().position(|l| l.contains("31/02/2015")).unwrap() + 1;
    let file = write(&dir, "return.xml", xml);
    let err = rejected(std::slice::from_ref(&file));
    assert_eq!(
        lines(&err),
        [format!(
            "{}:{line}:DOB: found '31/02/2015', expected a date dd/mm/yyyy or yyyy-mm-dd",
            file.display()
        )]
    );
}

#[test]
fn malformed_or_foreign_xml_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let broken = write(
        &dir,
        "broken.xml",
        "<EXPSSDA903>\n<CHILD>\n<HEADER><CHILDID>C1</CHILDID></EPISODE>\n",
    );
    let err = rejected(std::slice::from_ref(&broken));
    assert_eq!(err.problems.len(), 1);
    assert_eq!(err.problems[0].line, 3);
    assert_eq!(err.problems[0].expected, "well-formed XML");

    let foreign = write(
        &dir,
        "other.xml",
        "<?xml version=\"1.0\"?>\n<CIN>\n</CIN>\n",
    );
    let err = rejected(std::slice::from_ref(&foreign));
    assert_eq!(
        lines(&err),
        [format!(
            "{}:2:CIN: found 'CIN', expected the root element EXPSSDA903 of the SSDA903 return",
            foreign.display()
        )]
    );
}

/// Found by fuzzing (fuzz/regressions/csv903): a blank header cell left the
/// problem's column empty (`FILE:2:: found ...`). The column is named by
/// its position instead.
#[test]
fn a_short_row_under_a_blank_header_cell_names_the_field_by_number() {
    let dir = tempfile::tempdir().unwrap();
    let files = vec![
        write(
            &dir,
            "header.csv",
            "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,\nC0001,M,14/03/2015,WBRI,,,\n",
        ),
        write(&dir, "episodes.csv", EPISODES_COLUMNS),
    ];
    let err = rejected(&files);
    assert_eq!(
        lines(&err),
        [format!(
            "{}:2:field 8: found 'C0001,M,14/03/2015,WBRI,,,', expected 8 fields as in the header row (this row has 7)",
            files[0].display()
        )]
    );
}

/// Found by fuzzing (fuzz/regressions/xml903/crash-unnamed-root-element):
/// a root element without a name (`< x>`) gave a problem with an empty
/// column (`FILE:2:: found ''`).
#[test]
fn an_unnamed_root_element_is_named_in_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "return.xml",
        "<?xml version=\"1.0\"?>\n< encoding=\"x\">\n",
    );
    let err = rejected(std::slice::from_ref(&file));
    assert_eq!(
        lines(&err),
        [format!(
            "{}:2:(root element): found '', expected the root element EXPSSDA903 of the SSDA903 return",
            file.display()
        )]
    );
}

/// A problem names the line an editor shows, whatever ends the lines:
/// `\n`, `\r\n` (what Excel writes; the csv crate counts a row ended so
/// as starting on the line before) or a mix of them.
#[test]
fn a_problem_names_the_same_line_whatever_ends_the_lines() {
    let good = GOOD_EPISODE.trim_end();
    let bad = "C0002,NOT A DATE,S,V2,N1,U6,PR1,,,,,,";
    let columns = EPISODES_COLUMNS.trim_end();
    for (name, ends) in [
        ("\\n", ["\n", "\n", "\n"]),
        ("\\r\\n", ["\r\n", "\r\n", "\r\n"]),
        ("a mix", ["\r\n", "\n", "\r\n"]),
        ("a mix the other way", ["\n", "\r\n", "\n"]),
    ] {
        let dir = TempDir::new().unwrap();
        let rows = format!("{good}{}{bad}{}", ends[1], ends[2]);
        let files = vec![
            write(&dir, "header.csv", HEADER),
            write(&dir, "episodes.csv", format!("{columns}{}{rows}", ends[0])),
        ];
        let err = rejected(&files);
        assert!(
            lines(&err)
                .iter()
                .any(|l| l.contains("episodes.csv:3:DECOM: found 'NOT A DATE'")),
            "ends {name}: {err}"
        );
    }
}
