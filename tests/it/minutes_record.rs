//! The minutes as a council minutes a panel (issue 17): a meeting with a
//! member leaving early, earlier actions done, dropped and still open, a
//! child heard with its presenter, one carried over and one not reached,
//! said in full in Markdown and Word from the one gathered record; and
//! approved minutes that stay as they were approved.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use permanence_panel::export::{docx_finish, minutes, minutes_docx, minutes_md};
use permanence_panel::model::{ActionStatus, AttendanceState, ReferralStatus};
use permanence_panel::store::{NewAction, NewMember, NewReferral, PLACE_SETTING, Store};
use permanence_panel::terms::Terms;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn at(d: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    d.and_hms_opt(h, m, 0).expect("valid time")
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

struct Panel {
    store: Store,
    terms: Terms,
    held: i64,
    next: i64,
    still_open: i64,
}

/// Wiltshire's panel: meetings on 30/10, 27/11 and 18/12/2026; four actions
/// from 30/10 (one done before 27/11, one done and one dropped at it, one
/// left open); on 27/11 everyone present from 09:30, the Service Manager –
/// Child Protection leaving at 11:00; C000111 heard (referred by a social
/// worker JS), C000222 carried over, C000333 not reached.
fn panel() -> Panel {
    let mut store = Store::open_in_memory().expect("store");
    let terms = Terms::load("wiltshire").expect("preset");
    let setup = at(day(2026, 10, 1), 9, 0);
    for role in &terms.roles {
        store
            .add_member(
                &NewMember {
                    role: role.id.clone(),
                    job_title: role.job_title.clone(),
                    name: None,
                    kind: role.kind,
                    substitute_for: None,
                },
                setup,
            )
            .expect("member");
    }
    store
        .set_setting(PLACE_SETTING, "Committee Room 2, County Hall, Trowbridge")
        .expect("place");
    let (oct, nov, dec) = (day(2026, 10, 30), day(2026, 11, 27), day(2026, 12, 18));
    let earlier = store
        .add_meeting(oct, hm(9, 30), hm(13, 0), setup)
        .expect("meeting");
    let held = store
        .add_meeting(nov, hm(9, 30), hm(13, 0), setup)
        .expect("meeting");
    let next = store
        .add_meeting(dec, hm(9, 30), hm(13, 0), setup)
        .expect("meeting");

    let action = |text: &str, deadline: NaiveDate| NewAction {
        meeting: earlier,
        child: "C000900".into(),
        text: text.into(),
        owner: "Allocated social worker".into(),
        deadline,
    };
    let set = at(oct, 10, 0);
    let done_before = store
        .add_action(&action("Closed before the meeting", day(2026, 11, 6)), set)
        .expect("action");
    let done = store
        .add_action(&action("Send the life story book", day(2026, 11, 20)), set)
        .expect("action");
    let dropped = store
        .add_action(&action("Book the sibling contact", day(2026, 11, 20)), set)
        .expect("action");
    let still_open = store
        .add_action(
            &action("Complete the viability assessment", day(2026, 12, 11)),
            set,
        )
        .expect("action");
    store
        .set_action_status(
            done_before,
            ActionStatus::Done,
            None,
            at(day(2026, 11, 10), 9, 0),
        )
        .expect("done");
    store
        .set_action_status(done, ActionStatus::Done, None, at(nov, 9, 50))
        .expect("done");
    store
        .set_action_status(
            dropped,
            ActionStatus::Dropped,
            Some("the sibling moved out of area"),
            at(nov, 9, 55),
        )
        .expect("dropped");

    let referral = store
        .add_referral(
            &NewReferral {
                child: "C000111".into(),
                made_on: day(2026, 11, 2),
                referrer_role: "Social Worker".into(),
                referrer_initials: "JS".into(),
                supporter_role: "Team Manager".into(),
                supporter_initials: "TM".into(),
                reason: "Plan for permanence needed".into(),
                meeting_asked: Some(nov),
            },
            setup,
        )
        .expect("referral");
    store
        .decide_referral(referral, ReferralStatus::Accepted, None, setup)
        .expect("accepted");
    store
        .set_agenda(
            held,
            &[
                (
                    "C000111".into(),
                    "referral".into(),
                    vec!["Referred by the social worker.".into()],
                ),
                (
                    "C000222".into(),
                    "foster-12m".into(),
                    vec!["In foster care for 12 months.".into()],
                ),
                (
                    "C000333".into(),
                    "foster-12m".into(),
                    vec!["In foster care for 12 months.".into()],
                ),
            ],
            setup,
        )
        .expect("agenda");

    let members = store.members().expect("members");
    for m in &members {
        store
            .set_attendance(held, m.id, AttendanceState::Present, None, at(nov, 9, 30))
            .expect("present");
    }
    let leaver = members
        .iter()
        .find(|m| m.role == "service-manager-cp")
        .expect("the preset has the role");
    store
        .set_attendance(
            held,
            leaver.id,
            AttendanceState::Absent,
            None,
            at(nov, 11, 0),
        )
        .expect("leaves");
    store
        .record_decision(
            held,
            "C000111",
            "Long-term fostering endorsed.",
            true,
            at(nov, 10, 5),
        )
        .expect("decision");
    store
        .add_action(
            &NewAction {
                meeting: held,
                child: "C000111".into(),
                text: "Book the Fostering Panel".into(),
                owner: "Kinship and Fostering Team Manager".into(),
                deadline: day(2027, 1, 15),
            },
            at(nov, 10, 10),
        )
        .expect("action");
    store
        .carry_over(
            held,
            "C000222",
            "The care plan was not received",
            at(nov, 10, 30),
        )
        .expect("carried");
    store
        .add_other_business(
            held,
            "The chair asked for papers to arrive a week early over Christmas.",
            at(nov, 12, 50),
        )
        .expect("other business");
    Panel {
        store,
        terms,
        held,
        next,
        still_open,
    }
}

fn render(p: &Panel) -> String {
    let meeting = p.store.meeting(p.held).expect("read").expect("held");
    minutes_md::render(&p.store, &p.terms, &meeting).expect("minutes")
}

/// The text between a `## heading` and the next one.
fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md
        .find(&format!("## {heading}\n"))
        .unwrap_or_else(|| panic!("no section {heading} in:\n{md}"));
    let body = &md[start + heading.len() + 4..];
    let end = body.find("\n## ").unwrap_or(body.len());
    &body[..end]
}

#[test]
fn the_minutes_say_everything_the_meeting_did() {
    let p = panel();
    let md = render(&p);

    // The heading block.
    assert!(
        md.contains("**Place:** Committee Room 2, County Hall, Trowbridge"),
        "{md}"
    );
    assert!(
        md.contains("**Chair:** Head of Service – Care, Placements and YPS"),
        "{md}"
    );
    assert!(
        md.contains(
            "**Minutes taken by:** Panel Administrator (Placement Services Administration)"
        ),
        "{md}"
    );

    // The register: members present, the leaver with the time they left;
    // advisers in attendance; nobody absent.
    let present = section(&md, "Present");
    assert!(
        present.contains("- Service Manager – Child Protection, left 11:00"),
        "{present}"
    );
    assert!(
        present.contains("- Head of Service – Care, Placements and YPS\n"),
        "{present}"
    );
    assert!(
        !present.contains("Independent Reviewing Officer"),
        "{present}"
    );
    assert!(
        section(&md, "In attendance").contains("Independent Reviewing Officer"),
        "{md}"
    );
    assert_eq!(section(&md, "Absent").trim(), "None.");

    // Quorum once, and the meeting stayed quorate after the leaver went.
    assert_eq!(md.matches("## Quorum").count(), 1);
    assert!(
        section(&md, "Quorum").contains("The meeting was quorate throughout."),
        "{md}"
    );

    // Matters arising: done and dropped at this meeting, one still open;
    // the one done before the meeting is not carried.
    let matters = section(&md, "Matters arising");
    assert!(
        matters.contains(
            "| C000900 | Send the life story book | Allocated social worker | 30/10/2026 | Done |"
        ),
        "{matters}"
    );
    assert!(
        matters.contains("| Book the sibling contact | Allocated social worker | 30/10/2026 | Dropped: the sibling moved out of area |"),
        "{matters}"
    );
    assert!(
        matters.contains("| Complete the viability assessment | Allocated social worker | 30/10/2026 | Still open, due 11/12/2026 |"),
        "{matters}"
    );
    assert!(!md.contains("Closed before the meeting"), "{md}");

    // The child heard: presenter, decision with its time, action.
    let heard = section(&md, "Children heard");
    assert!(heard.contains("### 1. Child C000111"), "{heard}");
    assert!(
        heard.contains("Presented by: Social Worker (JS)"),
        "{heard}"
    );
    assert!(
        heard.contains("**Decision** (recorded at 10:05):"),
        "{heard}"
    );
    assert!(
        heard.contains(
            "| Book the Fostering Panel | Kinship and Fostering Team Manager | 15/01/2027 |"
        ),
        "{heard}"
    );
    // Neither the child carried over nor the one not reached is "heard".
    assert!(
        !heard.contains("C000222") && !heard.contains("C000333"),
        "{heard}"
    );
    assert!(!md.contains("No decision recorded."), "{md}");

    assert!(
        section(&md, "Children carried over").contains(
            "- 2. Child C000222: The care plan was not received; carried over to the meeting of 18/12/2026."
        ),
        "{md}"
    );
    assert!(
        section(&md, "Children on the agenda not reached")
            .contains("- 3. Child C000333: not reached at this meeting."),
        "{md}"
    );
    assert_eq!(
        section(&md, "Any other business").trim(),
        "- The chair asked for papers to arrive a week early over Christmas."
    );
    assert_eq!(
        section(&md, "Next meeting").trim(),
        "Friday 18 December 2026, 09:30 to 13:00."
    );
    assert!(
        section(&md, "Approval").contains("Not yet approved"),
        "{md}"
    );
    // The marking opens and closes the document.
    assert!(md.starts_with("**OFFICIAL-SENSITIVE**"));
    assert!(md.trim_end().ends_with("**OFFICIAL-SENSITIVE**"));
}

#[test]
fn the_word_minutes_say_the_same_with_header_rows_that_repeat_and_real_properties() {
    let p = panel();
    let meeting = p.store.meeting(p.held).expect("read").expect("held");
    let written = at(day(2026, 11, 28), 14, 5);
    let mut bytes = std::io::Cursor::new(Vec::new());
    minutes_docx::write(&p.store, &p.terms, &meeting, written, &mut bytes).expect("written");

    let doc = docx_rs::read_docx(bytes.get_ref()).expect("Word reads it back");
    let text: String = doc
        .document
        .children
        .iter()
        .filter_map(|c| match c {
            docx_rs::DocumentChild::Paragraph(p) => Some(p.raw_text() + "\n"),
            _ => None,
        })
        .collect();
    let data = minutes::gather(&p.store, &p.terms, &meeting).expect("gathered");
    for wanted in [
        "Place: Committee Room 2, County Hall, Trowbridge".to_owned(),
        "Service Manager – Child Protection, left 11:00".to_owned(),
        "Children on the agenda not reached".to_owned(),
        "3. Child C000333: not reached at this meeting.".to_owned(),
        "2. Child C000222: The care plan was not received; carried over to the meeting of 18/12/2026.".to_owned(),
        "Presented by: Social Worker (JS)".to_owned(),
        minutes::next_meeting_words(&data),
        minutes::quorum_sentence(&data),
    ] {
        assert!(text.contains(&wanted), "missing {wanted:?} in:\n{text}");
    }

    let document = docx_finish::part(std::io::Cursor::new(bytes.get_ref()), "word/document.xml")
        .expect("document part");
    let tables = document.matches("<w:tbl>").count();
    assert_eq!(tables, 2, "matters arising and the child's actions");
    assert_eq!(document.matches("<w:tblHeader />").count(), tables);
    // Every body row keeps together on a page.
    assert_eq!(
        document.matches("<w:cantSplit />").count(),
        document.matches("<w:tr>").count()
    );
    let core = docx_finish::part(std::io::Cursor::new(bytes.get_ref()), "docProps/core.xml")
        .expect("core part");
    assert!(
        core.contains(
            "<dc:creator>Wiltshire Council Children&apos;s Services Permanence Panel</dc:creator>"
        ) || core.contains(
            "<dc:creator>Wiltshire Council Children's Services Permanence Panel</dc:creator>"
        ),
        "{core}"
    );
    // Written at 14:05 local time on 28/11/2026: UTC within a day of it.
    assert!(
        core.contains(">2026-11-28T")
            || core.contains(">2026-11-27T")
            || core.contains(">2026-11-29T"),
        "{core}"
    );
    assert!(
        !core.contains("1970") && !core.contains("unknown"),
        "{core}"
    );
}

#[test]
fn approved_minutes_keep_their_next_meeting_place_carry_overs_and_matters_arising() {
    let mut p = panel();
    p.store
        .approve_minutes(p.held, p.next, at(day(2026, 12, 18), 10, 0))
        .expect("approved");
    let approved = render(&p);
    assert!(section(&approved, "Approval").contains("Approved at the meeting of 18/12/2026"));

    assert!(
        approved.contains("Presented by: Social Worker (JS)"),
        "{approved}"
    );
    // After approval: the referral is decided again, the place changes, an
    // extra meeting comes before the one that was next, the open action is
    // done, a carry-over is tried.
    let referral = p.store.referrals().expect("referrals")[0].id;
    p.store
        .decide_referral(
            referral,
            permanence_panel::model::ReferralStatus::Declined,
            Some("entered in error"),
            at(day(2026, 12, 18), 11, 0),
        )
        .expect("decided again");
    p.store
        .set_setting(PLACE_SETTING, "Online")
        .expect("new place");
    p.store
        .add_extra_meeting(
            day(2026, 12, 4),
            hm(9, 30),
            hm(11, 0),
            "to hear an urgent case",
            at(day(2026, 12, 1), 9, 0),
        )
        .expect("extra meeting");
    p.store
        .set_action_status(
            p.still_open,
            ActionStatus::Done,
            None,
            at(day(2026, 12, 18), 9, 40),
        )
        .expect("done later");
    let refused = p
        .store
        .carry_over(p.held, "C000333", "late", at(day(2026, 12, 19), 9, 0));
    assert!(
        matches!(&refused, Err(permanence_panel::store::StoreError::Refused(why))
            if why == "The minutes of 27/11/2026 were approved on 18/12/2026; record a correction instead"),
        "a carry-over is part of the approved minutes: {refused:?}"
    );
    assert!(
        p.store
            .add_other_business(p.held, "Late item", at(day(2026, 12, 19), 9, 0))
            .is_err(),
        "other business is part of the approved minutes"
    );
    assert_eq!(render(&p), approved, "approved minutes changed");

    // Minutes not approved follow the panel as it is: the next meeting's
    // own minutes now see the action done at it.
    let next = p.store.meeting(p.next).expect("read").expect("next");
    let next_md = minutes_md::render(&p.store, &p.terms, &next).expect("minutes");
    assert!(
        section(&next_md, "Matters arising").contains(
            "| Complete the viability assessment | Allocated social worker | 30/10/2026 | Done |"
        ),
        "{next_md}"
    );
    assert!(next_md.contains("**Place:** Online"), "{next_md}");
}

#[test]
fn other_business_is_minuted_through_the_binary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = crate::common::tmux::demo_db(dir.path());
    crate::common::cli::bin(&db)
        .args([
            "minutes",
            "other-business",
            "--meeting",
            "2026-12-24",
            "--text",
            "Dates for 2027 agreed.",
        ])
        .assert()
        .success()
        .stdout("Minuted an item of other business at the meeting of 24/12/2026\n");
    let out = crate::common::cli::bin(&db)
        .args(["minutes", "--meeting", "2026-12-24"])
        .assert()
        .success();
    let md = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    assert_eq!(
        section(&md, "Any other business").trim(),
        "- Dates for 2027 agreed."
    );
}

/// Declarations of interest (issues 19 and 23): the minutes say per child
/// who declared an interest and left, and the quorum the decision was
/// taken with; approved, they stay as they were.
#[test]
fn the_minutes_say_who_declared_an_interest_and_approved_they_stay() {
    let mut p = panel();
    let meeting = p.store.meeting(p.held).expect("read").expect("held");
    let hos = p
        .store
        .members()
        .expect("members")
        .into_iter()
        .find(|m| m.role == "head-of-service")
        .expect("the preset has the role");
    let nov = day(2026, 11, 27);
    permanence_panel::usecase::interests::declare(
        &mut p.store,
        &meeting,
        "C000111",
        hos.id,
        Some("previously the allocated team's manager"),
        at(nov, 10, 0),
    )
    .expect("declared");
    // The decision taken afterwards, as both front ends record it.
    permanence_panel::usecase::decisions::record(
        &mut p.store,
        &p.terms,
        &meeting,
        "C000111",
        "Long-term fostering endorsed.",
        at(nov, 10, 5),
    )
    .expect("decision");

    let md = render(&p);
    let declared = "Declarations of interest: the Head of Service – Care, Placements and YPS \
                    declared an interest (previously the allocated team's manager) and left for this item.";
    assert!(md.contains(declared), "{md}");
    assert!(
        md.contains(
            "Quorum for this item: Quorate without the Head of Service – Care, Placements and YPS, \
             who declared an interest: "
        ),
        "{md}"
    );
    // Only the child the interest was declared in.
    assert_eq!(md.matches("Declarations of interest").count(), 1, "{md}");

    let mut bytes = std::io::Cursor::new(Vec::new());
    minutes_docx::write(
        &p.store,
        &p.terms,
        &meeting,
        at(day(2026, 11, 28), 14, 5),
        &mut bytes,
    )
    .expect("written");
    let doc = docx_rs::read_docx(bytes.get_ref()).expect("Word reads it back");
    let text: String = doc
        .document
        .children
        .iter()
        .filter_map(|c| match c {
            docx_rs::DocumentChild::Paragraph(p) => Some(p.raw_text() + "\n"),
            _ => None,
        })
        .collect();
    assert!(text.contains(declared), "{text}");

    p.store
        .approve_minutes(p.held, p.next, at(day(2026, 12, 18), 10, 0))
        .expect("approved");
    let approved = render(&p);
    let later = at(day(2026, 12, 19), 9, 0);
    let refused = p
        .store
        .declare_interest(p.held, "C000111", hos.id, Some("changed"), later)
        .expect_err("frozen");
    assert!(
        refused.to_string().contains("record a correction instead"),
        "{refused}"
    );
    p.store
        .withdraw_interest_declaration(p.held, "C000111", hos.id, later)
        .expect_err("frozen");
    assert_eq!(render(&p), approved, "approved minutes changed");
}
