//! `permanence-panel audit`: verify the audit trail's hash chain, or show it.

use std::io::Write;

use clap::Subcommand;

use super::EXIT_NO;
use super::context::Ctx;
use super::output::{TableFormat, write_rows};

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the chain (keyed when the database is encrypted) and check every row of the tables a user changes against it; name every entry or row changed, deleted, reordered or added behind the app's back, and say which kind of chain was checked. Exit status 0 when intact, 3 when not.
    Verify,
    /// List the audit trail (who, when, what), or one child's history.
    Show {
        #[arg(long, value_name = "CHILD")]
        child: Option<String>,
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
}

impl AuditCommand {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let store = ctx.open_read_only()?;
        match self {
            AuditCommand::Verify => {
                let check = store.verify_audit()?;
                for f in &check.findings {
                    writeln!(out, "entry {}: {}", f.entry, f.what)?;
                }
                let chain_words = format!("Checked as {}.", check.chain.describe());
                if check.findings.is_empty() {
                    writeln!(
                        out,
                        "The audit trail is intact: {} entries; last hash {}",
                        check.entries,
                        check.last_hash.as_deref().unwrap_or("(none)")
                    )?;
                    writeln!(out, "{chain_words}")?;
                } else {
                    writeln!(
                        out,
                        "The audit trail has been tampered with: {} finding(s) in {} entries.",
                        check.findings.len(),
                        check.entries
                    )?;
                    writeln!(out, "{chain_words}")?;
                    return Ok(EXIT_NO);
                }
            }
            AuditCommand::Show { child, format } => {
                let rows: Vec<Vec<String>> = store
                    .audit_entries()?
                    .into_iter()
                    .filter(|e| child.as_ref().is_none_or(|c| e.child.as_ref() == Some(c)))
                    .map(|e| {
                        vec![
                            e.id.to_string(),
                            e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                            e.actor,
                            e.entity,
                            e.entity_id,
                            e.child.unwrap_or_default(),
                            e.change,
                        ]
                    })
                    .collect();
                write_rows(
                    out,
                    TableFormat::or_default(format),
                    &[
                        "id",
                        "at",
                        "actor",
                        "entity",
                        "entity_id",
                        "child_id",
                        "change",
                    ],
                    &rows,
                )?;
            }
        }
        Ok(0)
    }
}
