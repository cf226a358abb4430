//! `permanence-panel decisions`: record a decision with its outcome (and a
//! deferral's meeting and reason, a referral's destination, the money it
//! commits), the decision-maker's sign-off of a recommendation, a member's
//! dissent, and the list of what still waits for sign-off.

use std::io::Write;

use chrono::NaiveDate;
use clap::Subcommand;

use super::context::{Ctx, meeting_on, panel_terms};
use super::output::{TableFormat, write_rows};
use crate::model::{
    FinancialCommitment, Id, Outcome, OutcomeRecord, PaymentPeriod, Pence, SignOffOutcome,
};
use crate::rules::dates::dmy;
use crate::store::Store;
use crate::terms::Terms;
use crate::usecase::decisions::{item_type_for, record_with_outcome};

#[derive(Debug, Subcommand)]
pub enum DecisionsCommand {
    /// Record (or replace) the panel's decision on a child at a meeting, with its outcome.
    Record(RecordArgs),
    /// Record the decision-maker's sign-off of a recommendation (agree by default).
    SignOff {
        /// The decision's number (as `record` and `pending` give it).
        #[arg(long)]
        id: Id,
        /// Who signs it off: the decision-maker the item type names, e.g. "Head of Service".
        #[arg(long, value_name = "ROLE")]
        by: String,
        #[arg(long, value_name = "agree|disagree", value_parser = parse_sign_off, default_value = "agree")]
        outcome: SignOffOutcome,
        /// Their note, if any.
        #[arg(long)]
        note: Option<String>,
        /// The day they signed it off (default today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<NaiveDate>,
    },
    /// Record a member's dissent from a decision, with their view.
    Dissent {
        #[arg(long)]
        id: Id,
        /// The member: their role in the terms (e.g. service-manager-fostering), job title, or member number.
        #[arg(long, value_name = "ROLE-or-id")]
        member: String,
        /// Their view, as the minutes will record it.
        #[arg(long)]
        view: String,
    },
    /// What waits for a decision-maker's sign-off, and for how many days.
    Pending {
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
}

#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// The meeting's date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    meeting: NaiveDate,
    #[arg(long)]
    child: String,
    /// The decision as the minutes record it.
    #[arg(long)]
    text: String,
    /// The outcome, one the item type allows (e.g. endorsed, recommended, declined, deferred, referred-elsewhere).
    #[arg(long)]
    outcome: String,
    /// The kind of item (an item type of the terms); default: as the agenda lists the child, else tracking.
    #[arg(long, value_name = "TYPE")]
    item: Option<String>,
    /// For a deferral: the later meeting it is deferred to.
    #[arg(long, value_name = "YYYY-MM-DD")]
    deferred_to: Option<NaiveDate>,
    /// Why it was deferred or referred elsewhere.
    #[arg(long)]
    reason: Option<String>,
    /// For a referral elsewhere: where it goes (e.g. "the Fostering Panel").
    #[arg(long, value_name = "WHERE")]
    referred_to: Option<String>,
    /// The money committed, in pounds (e.g. 245.50 or £1,200).
    #[arg(long, value_name = "£", requires_all = ["period", "allowance"])]
    amount: Option<String>,
    #[arg(long, value_name = "weekly|monthly|annual|one-off", value_parser = parse_period, requires = "amount")]
    period: Option<PaymentPeriod>,
    /// What is paid, e.g. "Special Guardianship allowance".
    #[arg(long, value_name = "TEXT", requires = "amount")]
    allowance: Option<String>,
}

fn parse_sign_off(text: &str) -> Result<SignOffOutcome, String> {
    SignOffOutcome::parse(text)
        .ok_or_else(|| format!("'{text}' is not a sign-off; expected agree or disagree"))
}

fn parse_period(text: &str) -> Result<PaymentPeriod, String> {
    PaymentPeriod::parse(text).ok_or_else(|| {
        format!("'{text}' is not a payment period; expected weekly, monthly, annual or one-off")
    })
}

impl DecisionsCommand {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let mut store = ctx.open_existing()?;
        let terms = panel_terms(&store, None)?;
        match self {
            DecisionsCommand::Record(args) => args.run(&mut store, &terms, ctx, out)?,
            DecisionsCommand::SignOff {
                id,
                by,
                outcome,
                note,
                on,
            } => {
                let on = on.unwrap_or_else(|| ctx.clock.today());
                store.sign_off_decision(id, &by, on, outcome, note.as_deref(), ctx.clock.now())?;
                let (_, held) = store
                    .decision_with_outcome(id)?
                    .ok_or_else(|| anyhow::anyhow!("there is no decision {id}"))?;
                let signed = held
                    .sign_off
                    .ok_or_else(|| anyhow::anyhow!("decision {id}: the sign-off was not kept"))?;
                writeln!(
                    out,
                    "Decision {id} signed off by the {} on {}: {}.",
                    signed.by,
                    dmy(signed.on),
                    sign_off_words(signed.outcome)
                )?;
                if signed.after_approval {
                    writeln!(
                        out,
                        "The meeting's minutes were approved before it: the approved minutes stay as they were; the sign-off is kept beside them."
                    )?;
                }
            }
            DecisionsCommand::Dissent { id, member, view } => {
                let member_id = member_of(&store, id, &member)?;
                store.record_dissent(id, member_id, &view, ctx.clock.now())?;
                writeln!(out, "Dissent recorded on decision {id}.")?;
            }
            DecisionsCommand::Pending { format } => pending(
                &store,
                &terms,
                ctx.clock.today(),
                TableFormat::or_default(format),
                out,
            )?,
        }
        Ok(0)
    }
}

impl RecordArgs {
    fn run(
        self,
        store: &mut Store,
        terms: &Terms,
        ctx: &Ctx,
        out: &mut dyn Write,
    ) -> anyhow::Result<()> {
        let meeting = meeting_on(store, self.meeting)?;
        let item = item_type_for(store, terms, &meeting, &self.child, self.item.as_deref())
            .map_err(|e| anyhow::anyhow!("--item: {e}"))?;
        let outcome = Outcome::parse(&self.outcome).ok_or_else(|| {
            anyhow::anyhow!(
                "--outcome: '{}' is not an outcome; a {} is {}",
                self.outcome.trim(),
                item.title,
                item.outcomes_in_words()
            )
        })?;
        if self.text.trim().is_empty() {
            anyhow::bail!("--text: give the decision as the minutes will record it");
        }
        let commitment = match (self.amount, self.period, self.allowance) {
            (Some(amount), Some(period), Some(allowance)) => {
                if allowance.trim().is_empty() {
                    anyhow::bail!(
                        "--allowance: say what is paid, e.g. \"Special Guardianship allowance\""
                    );
                }
                Some(FinancialCommitment {
                    allowance: allowance.trim().to_owned(),
                    amount: Pence::parse(&amount).map_err(|e| anyhow::anyhow!("--amount: {e}"))?,
                    period,
                })
            }
            _ => None,
        };
        let record = OutcomeRecord {
            item_type: item.id.clone(),
            outcome,
            deferred_to: self.deferred_to,
            referred_to: self.referred_to,
            reason: self.reason,
            commitment,
        };
        let recorded = record_with_outcome(
            store,
            terms,
            &meeting,
            &self.child,
            self.text.trim(),
            &record,
            ctx.clock.now(),
        )?;
        let mut said = format!(
            "Decision {} recorded for {} at the meeting of {}: {}",
            recorded.id,
            self.child,
            dmy(meeting.date),
            outcome.words()
        );
        if let Some(to) = record.deferred_to {
            said.push_str(&format!(" to the meeting of {}", dmy(to)));
        }
        if item.awaits_sign_off(outcome)
            && let Some(who) = &item.decided_by
        {
            said.push_str(&format!(", awaiting sign-off by the {who}"));
        }
        writeln!(out, "{said}.")?;
        if !recorded.quorate {
            writeln!(
                out,
                "The meeting was not quorate as the roll call stands: the decision is flagged so."
            )?;
        }
        Ok(())
    }
}

fn sign_off_words(outcome: SignOffOutcome) -> &'static str {
    match outcome {
        SignOffOutcome::Agree => "agreed",
        SignOffOutcome::Disagree => "disagreed",
    }
}

/// The member `given` names among the members of decision `id`'s meeting:
/// a member number, a role id or a job title (any case).
fn member_of(store: &Store, id: Id, given: &str) -> anyhow::Result<Id> {
    let (decision, _) = store
        .decision_with_outcome(id)?
        .ok_or_else(|| anyhow::anyhow!("there is no decision {id}"))?;
    let meeting = store
        .meetings()?
        .into_iter()
        .find(|m| m.id == decision.meeting)
        .ok_or_else(|| anyhow::anyhow!("decision {id}: its meeting is not held"))?;
    let members = store.members_of_meeting(&meeting)?;
    let given = given.trim();
    let found: Vec<&crate::model::Member> = match given.parse::<Id>() {
        Ok(number) => members.iter().filter(|m| m.id == number).collect(),
        Err(_) => members
            .iter()
            .filter(|m| {
                m.role.eq_ignore_ascii_case(given) || m.job_title.eq_ignore_ascii_case(given)
            })
            .collect(),
    };
    match found.as_slice() {
        [one] => Ok(one.id),
        [] => {
            let known: Vec<String> = members
                .iter()
                .map(|m| format!("{} ({}, member {})", m.job_title, m.role, m.id))
                .collect();
            anyhow::bail!(
                "--member: '{given}' is not a member of the panel on {}; its members are {}",
                dmy(meeting.date),
                known.join("; ")
            )
        }
        many => {
            let numbers: Vec<String> = many.iter().map(|m| m.id.to_string()).collect();
            anyhow::bail!(
                "--member: '{given}' names more than one member ({}); give the member's number",
                numbers.join(", ")
            )
        }
    }
}

/// What waits for sign-off: CSV for scripts (ids and ISO dates), a table
/// in words for people.
fn pending(
    store: &Store,
    terms: &Terms,
    today: NaiveDate,
    format: TableFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let rows: Vec<Vec<String>> = store
        .pending_sign_offs()?
        .into_iter()
        .map(|p| {
            let waiting = (today - p.meeting_date).num_days().max(0);
            let (item, outcome) = match format {
                TableFormat::Csv => (p.item_type.clone(), p.outcome.id().to_owned()),
                TableFormat::Table => (
                    terms
                        .item_type(&p.item_type)
                        .map_or(p.item_type.clone(), |t| t.title.clone()),
                    p.outcome.words().to_owned(),
                ),
            };
            vec![
                p.decision.to_string(),
                p.child,
                format.date(p.meeting_date),
                item,
                outcome,
                p.decided_by,
                waiting.to_string(),
            ]
        })
        .collect();
    if rows.is_empty() && format == TableFormat::Table {
        writeln!(out, "Nothing waits for sign-off.")?;
        return Ok(());
    }
    write_rows(
        out,
        format,
        &[
            "decision_id",
            "child_id",
            "meeting_date",
            "item_type",
            "outcome",
            "decided_by",
            "waiting_days",
        ],
        &rows,
    )
}
