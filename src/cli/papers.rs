//! `permanence-panel papers`: the chase list of a meeting (who owes which
//! paper, by when, how late) and recording a paper as received or signed off.

use super::context::{Ctx, meeting_on, panel_terms};
use crate::rules::dates::dmy;
use std::io::Write;

use chrono::NaiveDate;

use super::output::{TableFormat, write_rows};
use crate::clock::Clock;
use crate::model::{Meeting, Referral, ReferralStatus};
use crate::rules::calendar::Calendar;
use crate::rules::papers::{PaperStatus, days_late, paper_due};
use crate::store::Store;
use crate::terms::Terms;
use crate::terms::items::TRACKING;

/// Who presents a child and owes its papers: the social worker who
/// referred the child (role and initials, from the latest accepted
/// referral), else the child's allocated social worker, whose initials the
/// panel does not hold.
pub(super) fn presenter(referrals: &[Referral], child: &str) -> (String, String) {
    referrals
        .iter()
        .rev()
        .find(|r| r.child == child && r.status == ReferralStatus::Accepted)
        .map(|r| (r.referrer_role.clone(), r.referrer_initials.clone()))
        .unwrap_or_else(|| ("allocated social worker".to_owned(), String::new()))
}

/// The papers `child`'s item at a meeting needs: its item type's.
fn papers_for_item<'t>(
    terms: &'t Terms,
    item_types: &std::collections::HashMap<String, String>,
    child: &str,
) -> &'t [String] {
    terms.papers_for_type(item_types.get(child).map_or(TRACKING, String::as_str))
}

/// Finds a required paper by its number in the list (1, 2, ...) or by the
/// start of its name, ignoring case.
fn required_paper<'t>(required: &'t [String], asked: &str) -> anyhow::Result<&'t str> {
    if let Ok(n) = asked.trim().parse::<usize>()
        && let Some(p) = required.get(n.wrapping_sub(1))
    {
        return Ok(p);
    }
    let lower = asked.trim().to_lowercase();
    let matching: Vec<&String> = required
        .iter()
        .filter(|p| !lower.is_empty() && p.to_lowercase().starts_with(&lower))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one),
        _ => {
            let list: Vec<String> = required
                .iter()
                .enumerate()
                .map(|(i, p)| format!("{} = {p}", i + 1))
                .collect();
            anyhow::bail!(
                "--paper: found '{asked}', expected one of the papers the terms require: {}",
                list.join("; ")
            )
        }
    }
}

/// Records a paper's status for a child on the meeting's agenda.
pub fn set(
    store: &mut Store,
    terms: &Terms,
    meeting: &Meeting,
    child: &str,
    paper: &str,
    status: &str,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    let item_types = store.agenda_item_types(meeting.id)?;
    let paper = required_paper(papers_for_item(terms, &item_types, child), paper)?;
    let Some(status) = PaperStatus::parse(status) else {
        anyhow::bail!("--status: found '{status}', expected awaited, received or signed-off");
    };
    let listed = store.agenda(meeting.id)?.iter().any(|i| i.child == child);
    if !listed {
        anyhow::bail!(
            "--child: {child} is not on the agenda of {}",
            dmy(meeting.date)
        );
    }
    store.set_paper_status(meeting.id, child, paper, status, clock.now())?;
    Ok(())
}

/// The chase list: one row per required paper per child heard.
pub fn chase_list(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
    today: NaiveDate,
    format: TableFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let due = paper_due(meeting.date, &terms.papers, &Calendar::england_and_wales());
    let statuses = store.paper_statuses(meeting.id)?;
    let referrals = store.referrals()?;
    let item_types = store.agenda_item_types(meeting.id)?;
    let mut rows = Vec::new();
    for item in store.agenda(meeting.id)? {
        let owed_by = match presenter(&referrals, &item.child) {
            (role, initials) if initials.is_empty() => role,
            (role, initials) => format!("{role} ({initials})"),
        };
        for paper in papers_for_item(terms, &item_types, &item.child) {
            let status = statuses
                .get(&(item.child.clone(), paper.clone()))
                .copied()
                .unwrap_or(PaperStatus::Awaited);
            rows.push(vec![
                item.child.clone(),
                paper.clone(),
                owed_by.clone(),
                due.format("%Y-%m-%d").to_string(),
                status.id().to_owned(),
                days_late(due, status, today).to_string(),
            ]);
        }
    }
    write_rows(
        out,
        format,
        &["child_id", "paper", "owed_by", "due", "status", "days_late"],
        &rows,
    )
}

#[derive(Debug, clap::Args)]
pub struct PapersArgs {
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub meeting: NaiveDate,
    #[arg(long, value_enum)]
    pub format: Option<TableFormat>,
    #[arg(long, value_name = "CHILD", requires_all = ["paper", "status"])]
    pub child: Option<String>,
    /// The paper's number in the terms (1, 2, ...) or the start of its name.
    #[arg(long, requires = "child")]
    pub paper: Option<String>,
    /// awaited, received or signed-off.
    #[arg(long, requires = "child")]
    pub status: Option<String>,
}

impl PapersArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let mut store = ctx.open_existing()?;
        let terms = panel_terms(&store, None)?;
        let m = meeting_on(&store, self.meeting)?;
        if let (Some(child), Some(paper), Some(status)) = (self.child, self.paper, self.status) {
            set(&mut store, &terms, &m, &child, &paper, &status, ctx.clock)?;
        }
        chase_list(
            &store,
            &terms,
            &m,
            ctx.clock.today(),
            TableFormat::or_default(self.format),
            out,
        )?;
        Ok(0)
    }
}
