//! Everything the panel holds on one child, for a subject access request:
//! one CSV per kind of record (readable in Excel) and a summary, in a
//! directory the information-governance team can review before release.

use std::path::{Path, PathBuf};

use super::safe_csv::SafeCsv;
use crate::export::minutes::{item_title, outcome_words};
use crate::store::Store;
use crate::terms::Terms;

use crate::rules::dates::dmy;

fn opt(d: Option<chrono::NaiveDate>) -> String {
    d.map(dmy).unwrap_or_default()
}

fn write_csv(
    dir: &Path,
    name: &str,
    header: &[&str],
    rows: &[Vec<String>],
) -> anyhow::Result<PathBuf> {
    let path = dir.join(name);
    let mut w = SafeCsv::new(crate::files::create_private(&path)?);
    w.write_record(header)?;
    for r in rows {
        w.write_record(r)?;
    }
    w.flush().map_err(|e| crate::files::io_error(e, &path))?;
    Ok(path)
}

/// Writes the child's records into `dir` (created; must be empty or new).
/// Returns the files written. Refuses a child the panel holds nothing on.
pub fn write(
    store: &Store,
    terms: Option<&Terms>,
    child: &str,
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let record = store.child_record(child)?;
    let decisions = store.decisions_for_child(child)?;
    let actions = store.actions_for_child(child)?;
    let referrals: Vec<_> = store
        .referrals()?
        .into_iter()
        .filter(|r| r.child == child)
        .collect();
    let carried: Vec<_> = store
        .carry_overs()?
        .into_iter()
        .filter(|c| c.child == child)
        .collect();
    let audit: Vec<_> = store
        .audit_entries()?
        .into_iter()
        .filter(|e| e.child.as_deref() == Some(child))
        .collect();
    let meetings = store.meetings()?;
    let mut listed = Vec::new();
    for m in &meetings {
        for item in store
            .agenda(m.id)?
            .into_iter()
            .chain(store.agenda_waiting(m.id)?)
        {
            if item.child == child {
                listed.push(vec![
                    dmy(m.date),
                    item.listed_under.clone(),
                    item.waiting.to_string(),
                    item.reasons.join(" | "),
                ]);
            }
        }
    }
    if record.is_none()
        && decisions.is_empty()
        && actions.is_empty()
        && referrals.is_empty()
        && listed.is_empty()
    {
        anyhow::bail!("the panel holds nothing on child {child}");
    }
    let not_empty = dir.is_dir()
        && std::fs::read_dir(dir)
            .map_err(|e| crate::files::io_error(e, dir))?
            .next()
            .is_some();
    if not_empty {
        anyhow::bail!(
            "{}: not empty; give a new or empty directory",
            dir.display()
        );
    }
    crate::files::create_private_dir(dir)?;
    let meeting_date = |id: i64| {
        meetings
            .iter()
            .find(|m| m.id == id)
            .map(|m| dmy(m.date))
            .unwrap_or_default()
    };
    let mut files = Vec::new();
    if let Some(r) = &record {
        files.push(write_csv(
            dir,
            "child.csv",
            &["child_id", "sex", "date_of_birth", "ethnicity", "upn"],
            &[vec![
                r.child.id.clone(),
                r.child.sex.code().to_owned(),
                dmy(r.child.dob),
                r.child.ethnic.code().to_owned(),
                r.child.upn.clone().unwrap_or_default(),
            ]],
        )?);
        let rows: Vec<Vec<String>> = r
            .episodes
            .iter()
            .map(|e| {
                vec![
                    dmy(e.decom),
                    e.rne.code().to_owned(),
                    format!("{} {}", e.ls.code(), e.ls.meaning()),
                    format!("{} {}", e.place.code(), e.place.meaning()),
                    e.place_provider
                        .map(|p| p.code().to_owned())
                        .unwrap_or_default(),
                    opt(e.dec),
                    e.rec.map(|c| c.code().to_owned()).unwrap_or_default(),
                ]
            })
            .collect();
        files.push(write_csv(
            dir,
            "episodes.csv",
            &[
                "start",
                "reason_new_episode",
                "legal_status",
                "placement",
                "provider",
                "end",
                "reason_ceased",
            ],
            &rows,
        )?);
        let rows: Vec<Vec<String>> = r
            .reviews
            .iter()
            .map(|v| {
                vec![
                    dmy(v.review),
                    v.review_code.map_or("", |c| c.code()).to_owned(),
                ]
            })
            .collect();
        files.push(write_csv(
            dir,
            "reviews.csv",
            &["review", "participation"],
            &rows,
        )?);
        if let Some(p) = &r.plan {
            files.push(write_csv(
                dir,
                "plan.csv",
                &[
                    "plan",
                    "plan_agreed",
                    "match_agreed",
                    "no_parental_responsibility",
                    "potential_sgo",
                    "achieved",
                    "contingency_plan",
                ],
                &[vec![
                    p.plan.map(|k| k.id().to_owned()).unwrap_or_default(),
                    opt(p.plan_agreed),
                    opt(p.match_agreed),
                    p.no_pr.to_string(),
                    p.potential_sgo.to_string(),
                    opt(p.achieved),
                    p.contingency.map(|k| k.id().to_owned()).unwrap_or_default(),
                ]],
            )?);
        }
    }
    // What a tracker import or the demo brought in (schema 6), when held.
    if let Some(name) = store.child_name(child)? {
        files.push(write_csv(
            dir,
            "name.csv",
            &["full_name", "initials"],
            &[vec![name.full_name.unwrap_or_default(), name.initials]],
        )?);
    }
    let heard_before = store.heard_history(child)?;
    if !heard_before.is_empty() {
        let rows: Vec<Vec<String>> = heard_before.into_iter().map(|d| vec![dmy(d)]).collect();
        files.push(write_csv(dir, "heard_before.csv", &["meeting"], &rows)?);
    }
    if let Some(note) = store.child_note(child)? {
        files.push(write_csv(
            dir,
            "comments.csv",
            &["recorded_at", "comments"],
            &[vec![
                note.recorded_at.format("%d/%m/%Y %H:%M").to_string(),
                note.text,
            ]],
        )?);
    }
    files.push(write_csv(
        dir,
        "agendas.csv",
        &["meeting", "listed_under", "waiting", "reasons"],
        &listed,
    )?);
    // Each decision's outcome, money and dissent as the minutes word them
    // (issue 23): columns added after the first five, which scripts read.
    let outcomes = store.decision_outcomes_for_child(child)?;
    let rows: Vec<Vec<String>> = decisions
        .iter()
        .map(|d| {
            let outcome = outcomes.get(&d.id);
            vec![
                meeting_date(d.meeting),
                d.recorded_at.format("%d/%m/%Y %H:%M").to_string(),
                d.text.clone(),
                d.quorate.to_string(),
                d.quorum.clone().unwrap_or_default(),
                outcome.map_or_else(String::new, |o| match terms {
                    Some(terms) => item_title(terms, &o.item_type),
                    None => o.item_type.clone(),
                }),
                outcome_words(outcome, false),
                outcome
                    .and_then(|o| o.commitment.as_ref())
                    .map_or_else(String::new, |m| m.words()),
                outcome.map_or_else(String::new, |o| {
                    o.dissents
                        .iter()
                        .map(|x| format!("The {} dissented: {}", x.member_title, x.view))
                        .collect::<Vec<_>>()
                        .join(" | ")
                }),
            ]
        })
        .collect();
    files.push(write_csv(
        dir,
        "decisions.csv",
        &[
            "meeting",
            "recorded_at",
            "decision",
            "quorate",
            "quorum",
            "item",
            "outcome",
            "money",
            "dissent",
        ],
        &rows,
    )?);
    let rows: Vec<Vec<String>> = actions
        .iter()
        .map(|a| {
            vec![
                meeting_date(a.meeting),
                a.text.clone(),
                a.owner.clone(),
                dmy(a.deadline),
                a.status.id().to_owned(),
                a.status_reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    files.push(write_csv(
        dir,
        "actions.csv",
        &["meeting", "action", "owner", "deadline", "status", "reason"],
        &rows,
    )?);
    let rows: Vec<Vec<String>> = referrals
        .iter()
        .map(|r| {
            vec![
                dmy(r.made_on),
                format!("{} ({})", r.referrer_role, r.referrer_initials),
                format!("{} ({})", r.supporter_role, r.supporter_initials),
                r.reason.clone(),
                r.status.id().to_owned(),
                r.status_reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    files.push(write_csv(
        dir,
        "referrals.csv",
        &[
            "made_on",
            "referrer",
            "supporter",
            "reason",
            "status",
            "status_reason",
        ],
        &rows,
    )?);
    let rows: Vec<Vec<String>> = carried
        .iter()
        .map(|c| vec![dmy(c.meeting_date), c.reason.clone()])
        .collect();
    files.push(write_csv(
        dir,
        "carried_over.csv",
        &["meeting", "reason"],
        &rows,
    )?);
    let rows: Vec<Vec<String>> = store
        .fostering_booking(child)?
        .map(|d| vec![dmy(d)])
        .into_iter()
        .collect();
    files.push(write_csv(
        dir,
        "fostering_panel.csv",
        &["booked_to_the_fostering_panel_of"],
        &rows,
    )?);
    let rows: Vec<Vec<String>> = audit
        .iter()
        .map(|e| {
            vec![
                e.at.format("%d/%m/%Y %H:%M:%S").to_string(),
                e.actor.clone(),
                e.entity.clone(),
                e.change.clone(),
            ]
        })
        .collect();
    files.push(write_csv(
        dir,
        "history.csv",
        &["at", "by", "record", "change"],
        &rows,
    )?);
    let summary = dir.join("README.txt");
    crate::files::write_private(
        &summary,
        format!(
            "Everything the permanence panel's database holds on child {child}.\n\
             Special category personal data: review before release (subject access request).\n\
             Files: one CSV per kind of record; dates are dd/mm/yyyy.\n\
             Decisions: {}; actions: {}; referrals: {}; meetings listing the child: {}; history entries: {}.\n",
            decisions.len(),
            actions.len(),
            referrals.len(),
            listed.len(),
            audit.len()
        ),
    )?;
    files.push(summary);
    Ok(files)
}
