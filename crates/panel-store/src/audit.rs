//! The audit trail's hash chain. Every entry of `audit_log` gets a hash of
//! its own content and of the entry before, kept in `audit_chain`; both
//! tables refuse updates and deletes through triggers. `verify` recomputes
//! the chain and names every entry changed, deleted, reordered or added
//! behind the app's back.
//!
//! What it protects against: edits made with a SQLite tool to the file
//! (the triggers can be dropped, but the hashes then no longer match).
//! What it does not: someone who rewrites both tables consistently; for
//! that the chain's last hash must be kept elsewhere too (`audit verify`
//! prints it, so it can go in the minutes).

use rusqlite::{Transaction, params};
use sha2::{Digest, Sha256};

use super::{Result, Store};

/// The hash before the first entry.
const GENESIS: &str = "permanence-panel audit chain";

/// What `verify` found wrong with one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFinding {
    pub entry: i64,
    pub what: String,
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    pub entries: usize,
    pub last_hash: Option<String>,
    pub findings: Vec<AuditFinding>,
}

struct Entry {
    id: i64,
    at: String,
    actor: String,
    entity: String,
    entity_id: String,
    child: Option<String>,
    change: String,
}

fn hash_of(prev: &str, e: &Entry) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &e.id.to_string(),
        &e.at,
        &e.actor,
        &e.entity,
        &e.entity_id,
        e.child.as_deref().unwrap_or(""),
        &e.change,
    ] {
        // Length-prefixed, so no two different entries hash alike by
        // moving text between fields.
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    panel_core::text::hex(&h.finalize())
}

const ENTRY_COLUMNS: &str = "id, at, actor, entity, entity_id, child_id, change";

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        entity: r.get(3)?,
        entity_id: r.get(4)?,
        child: r.get(5)?,
        change: r.get(6)?,
    })
}

/// Chains the entry just written (and only it: an entry slipped into the
/// log by other means stays unchained, and `verify` names it).
pub(crate) fn chain_entry(tx: &Transaction<'_>, id: i64) -> Result<()> {
    let prev: String = tx
        .query_row(
            "SELECT hash FROM audit_chain ORDER BY entry_id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|_| GENESIS.to_owned());
    let e = tx.query_row(
        &format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE id = ?1"),
        [id],
        entry_from_row,
    )?;
    tx.execute(
        "INSERT INTO audit_chain(entry_id, hash) VALUES (?1, ?2)",
        params![e.id, hash_of(&prev, &e)],
    )?;
    Ok(())
}

/// Chains every entry not yet chained, in id order, inside `tx`: only when
/// the chain is first created, for the entries written before it.
pub(crate) fn chain_new_entries(tx: &Transaction<'_>) -> Result<()> {
    let ids = tx
        .prepare(
            "SELECT id FROM audit_log WHERE id > (SELECT coalesce(max(entry_id), 0) FROM audit_chain)
             ORDER BY id",
        )?
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for id in ids {
        chain_entry(tx, id)?;
    }
    Ok(())
}

impl Store {
    /// Chains the entries written before the chain existed: called once,
    /// when an older database is first opened by this version.
    pub(crate) fn chain_audit_backlog(&mut self) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        let tx = self.write()?;
        chain_new_entries(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Recomputes the chain and names every entry that does not fit.
    pub fn verify_audit(&self) -> Result<AuditVerification> {
        let mut log = self.conn.prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log ORDER BY id"
        ))?;
        let entries = log
            .query_map([], entry_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut chain_stmt = self
            .conn
            .prepare("SELECT entry_id, hash FROM audit_chain ORDER BY entry_id")?;
        let chain = chain_stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let by_id: std::collections::HashMap<i64, &Entry> =
            entries.iter().map(|e| (e.id, e)).collect();
        let chained: std::collections::HashSet<i64> = chain.iter().map(|(id, _)| *id).collect();
        let mut findings = Vec::new();
        let mut prev = GENESIS.to_owned();
        for (id, stored) in &chain {
            match by_id.get(id) {
                None => findings.push(AuditFinding {
                    entry: *id,
                    what: "deleted: the entry is in the chain but not in the log".into(),
                }),
                Some(e) => {
                    if hash_of(&prev, e) != *stored {
                        findings.push(AuditFinding {
                            entry: *id,
                            what: "changed: its content (or its place in the log) differs from when it was written".into(),
                        });
                    }
                }
            }
            // The stored hash carries on the chain, so one bad entry does
            // not make every later one look bad.
            prev = stored.clone();
        }
        for e in &entries {
            if !chained.contains(&e.id) {
                findings.push(AuditFinding {
                    entry: e.id,
                    what: "added: the entry is in the log but was never chained".into(),
                });
            }
        }
        findings.sort_by_key(|f| f.entry);
        Ok(AuditVerification {
            entries: entries.len(),
            last_hash: chain.last().map(|(_, h)| h.clone()),
            findings,
        })
    }
}
