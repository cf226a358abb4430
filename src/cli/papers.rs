//! `permanence-panel papers`: the chase list of a meeting (who owes which
//! paper, by when, how late) and recording a paper as received or signed off.

use super::context::{Ctx, meeting_on, panel_terms};
use std::io::Write;

use chrono::NaiveDate;

use super::output::{TableFormat, write_rows};
use crate::clock::Clock;
use crate::model::Meeting;
use crate::rules::papers::PaperStatus;
use crate::store::Store;
use crate::terms::Terms;
use crate::usecase::papers;

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
    // The paper is checked before the status, as the command always did.
    let item_types = store.agenda_item_types(meeting.id)?;
    papers::required_paper(papers::papers_for_item(terms, &item_types, child), paper)?;
    let Some(status) = PaperStatus::parse(status) else {
        anyhow::bail!("--status: found '{status}', expected awaited, received or signed-off");
    };
    papers::set_status(store, terms, meeting, child, paper, status, clock.now())
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
    let rows: Vec<Vec<String>> = papers::chase_list(store, terms, meeting, today)?
        .into_iter()
        .map(|r| {
            vec![
                r.child,
                r.paper,
                r.owed_by,
                r.due.format("%Y-%m-%d").to_string(),
                r.status.id().to_owned(),
                r.days_late.to_string(),
            ]
        })
        .collect();
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
