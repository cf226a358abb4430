//! The audit trail's hash chain. Every entry of `audit_log` gets a hash of
//! its own content and of the entry before, kept in `audit_chain`; both
//! tables refuse updates and deletes through triggers. `verify` recomputes
//! the chain and names every entry changed, deleted, reordered or added
//! behind the app's back.
//!
//! Since schema 11 each new entry's content hash is kept apart from it
//! (`audit_content`) and the chain links those hashes, so a purge can
//! redact a child's content (`audit_redactions`) and the chain still
//! verifies; entries written before keep the older link (over the content
//! itself), and a redacted one of those is accepted on the purge's record.
//! The guard triggers are compared with the schema's own on every open
//! (recreated, with an entry saying so) and by `verify`.
//!
//! What it protects against: edits made with a SQLite tool to the file
//! (the triggers can be dropped, but the hashes then no longer match).
//! What it does not: someone who rewrites both tables consistently; for
//! that the chain's last hash must be kept elsewhere too (`audit verify`
//! prints it, so it can go in the minutes).

use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::seals::ROWS_ENTITY;
use super::{Result, Store};

/// The hash before the first entry.
const GENESIS: &str = "permanence-panel audit chain";

/// What a purge leaves of an entry about the purged child.
pub(crate) const REDACTED: &str = "(redacted: the child's records were purged)";
/// What a purge leaves of an entity id that was the child's id.
pub(crate) const REDACTED_ID: &str = "(purged)";

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
    /// Which kind of chain was checked.
    pub chain: ChainKind,
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

fn length_prefixed(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    panel_core::text::hex(&h.finalize())
}

/// The hash of an entry's content alone (schema 11 on).
fn content_hash(e: &Entry) -> String {
    length_prefixed(&[
        "content",
        &e.id.to_string(),
        &e.at,
        &e.actor,
        &e.entity,
        &e.entity_id,
        e.child.as_deref().unwrap_or(""),
        &e.change,
    ])
}

/// The key an encrypted database's chain is signed with: derived from the
/// database key, held only in memory.
#[derive(Clone)]
pub(crate) struct ChainKey(pub(crate) [u8; 32]);

/// Which chain `verify` checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainKind {
    /// A plain database: each link a SHA-256 anyone can recompute.
    Sha256,
    /// An encrypted database: each link an HMAC-SHA256 under a key derived
    /// from the database key.
    HmacSha256,
}

impl ChainKind {
    /// What the chain kind promises, in words.
    pub fn describe(self) -> &'static str {
        match self {
            ChainKind::Sha256 => {
                "an unkeyed SHA-256 chain (the database is not encrypted): it shows any entry or row changed, added or deleted without the hashes recomputed; someone who can write the file and recomputes them can rewrite it undetected (encrypt the database for a keyed chain)"
            }
            ChainKind::HmacSha256 => {
                "a keyed chain (HMAC-SHA256 under a key derived from the database key): an entry cannot be changed, added or forged without the database key"
            }
        }
    }
}

/// The chain's link from `prev` through an entry's content hash: a SHA-256,
/// or under `key` an HMAC-SHA256.
pub(crate) fn link_hash(key: Option<&ChainKey>, prev: &str, id: i64, content: &str) -> String {
    let Some(key) = key else {
        return length_prefixed(&["link", prev, &id.to_string(), content]);
    };
    use hmac::{KeyInit, Mac};
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes any key length");
    for part in ["link", prev, &id.to_string(), content] {
        mac.update(&(part.len() as u64).to_le_bytes());
        mac.update(part.as_bytes());
    }
    panel_core::text::hex(&mac.finalize().into_bytes())
}

fn is_redacted_form(e: &Entry) -> bool {
    e.change == REDACTED && e.child.is_none()
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
    // Cached statements: a bulk import chains an entry per child.
    let prev: String = tx
        .prepare_cached("SELECT hash FROM audit_chain ORDER BY entry_id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .unwrap_or_else(|_| GENESIS.to_owned());
    let e = tx
        .prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE id = ?1"
        ))?
        .query_row([id], entry_from_row)?;
    let content = content_hash(&e);
    tx.prepare_cached("INSERT INTO audit_content(entry_id, hash) VALUES (?1, ?2)")?
        .execute(params![e.id, content])?;
    // The connection's own link function: it holds the chain key, if any.
    let link: String = tx
        .prepare_cached("SELECT panel_chain_link(?1, ?2, ?3)")?
        .query_row(params![prev, e.id, content], |r| r.get(0))?;
    tx.prepare_cached("INSERT INTO audit_chain(entry_id, hash) VALUES (?1, ?2)")?
        .execute(params![e.id, link])?;
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

    /// Recomputes the chain (keyed when the database is encrypted) and
    /// names every entry and row that does not fit.
    pub fn verify_audit(&self) -> Result<AuditVerification> {
        let key = self.key.as_ref().map(super::Key::chain_key);
        self.verify_audit_with(key.as_ref())
    }

    fn verify_audit_with(&self, chain_key: Option<&ChainKey>) -> Result<AuditVerification> {
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
        let contents: std::collections::HashMap<i64, String> = self
            .conn
            .prepare("SELECT entry_id, hash FROM audit_content")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let redactions: std::collections::HashMap<i64, i64> = self
            .conn
            .prepare("SELECT entry_id, purge_entry FROM audit_redactions")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
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
                    let redacted = redactions.get(id).copied();
                    let what = match (contents.get(id), redacted) {
                        (_, Some(purge)) if !redaction_recorded(&by_id, purge, *id) => Some(format!(
                            "changed: marked as redacted, but no purge (entry {purge}) records redacting it"
                        )),
                        (_, Some(_)) if !is_redacted_form(e) => {
                            Some("changed: a redacted entry holds content again".to_owned())
                        }
                        (Some(content), None) if content_hash(e) != *content => Some(
                            "changed: its content differs from when it was written".to_owned(),
                        ),
                        (Some(content), _) if link_hash(chain_key, &prev, *id, content) != *stored => Some(
                            if chain_key.is_some() {
                                "changed: its link is not the keyed chain's (HMAC under the database key): forged, added or reordered without the key"
                            } else {
                                "changed: its content hash or its place in the log differs from when it was written"
                            }
                            .to_owned(),
                        ),
                        (None, _) if chain_key.is_some() => Some(
                            "changed: not signed under the database key".to_owned(),
                        ),
                        // Written before content hashes were kept apart: the
                        // older link covers the content itself.
                        (None, None) if hash_of(&prev, e) != *stored => Some(
                            "changed: its content (or its place in the log) differs from when it was written"
                                .to_owned(),
                        ),
                        _ => None,
                    };
                    if let Some(what) = what {
                        findings.push(AuditFinding { entry: *id, what });
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
        // The program's own findings when it opened the file (a guard
        // trigger dropped behind its back), and the triggers as they are now.
        for e in &entries {
            if e.entity == INTEGRITY_ENTITY {
                findings.push(AuditFinding {
                    entry: e.id,
                    what: e.change.clone(),
                });
            }
        }
        // Rows are checked against the entries the chain vouches for only.
        let untrusted: std::collections::HashSet<i64> = findings.iter().map(|f| f.entry).collect();
        let trusted: Vec<&Entry> = entries
            .iter()
            .filter(|e| chained.contains(&e.id) && !untrusted.contains(&e.id))
            .collect();
        // Rows and triggers are checked against this version's schema: a
        // file of an older one (a backup being encrypted) has its chain
        // checked only.
        if self.schema_version()? >= super::migrations::LATEST {
            findings.extend(super::seals::row_findings(
                &self.conn,
                trusted
                    .iter()
                    .filter(|e| e.entity == ROWS_ENTITY && !is_redacted_form(e))
                    .map(|e| (e.id, e.change.as_str())),
            )?);
            for problem in guard_problems(&self.conn)? {
                findings.push(AuditFinding {
                    entry: 0,
                    what: problem,
                });
            }
        }
        findings.sort_by_key(|f| f.entry);
        Ok(AuditVerification {
            entries: entries.len(),
            last_hash: chain.last().map(|(_, h)| h.clone()),
            findings,
            chain: if chain_key.is_some() {
                ChainKind::HmacSha256
            } else {
                ChainKind::Sha256
            },
        })
    }
}

/// Whether the purge entry `purge` lists `entry` among those it redacted.
fn redaction_recorded(
    by_id: &std::collections::HashMap<i64, &Entry>,
    purge: i64,
    entry: i64,
) -> bool {
    by_id.get(&purge).is_some_and(|p| {
        p.entity == PURGE_ENTITY
            && p.change
                .rsplit_once("redacted audit entries ")
                .is_some_and(|(_, ids)| {
                    ids.trim_end_matches('.')
                        .split(", ")
                        .any(|id| id == entry.to_string())
                })
    })
}

/// The entity of a purge's own audit entry.
pub(crate) const PURGE_ENTITY: &str = "purge";
/// The entity of the program's own findings about the file.
const INTEGRITY_ENTITY: &str = "integrity";

/// The triggers the schema defines (name and SQL), from the migrations
/// themselves applied to an empty database: one source of truth.
fn expected_triggers() -> Result<Vec<(String, String)>> {
    let conn = rusqlite::Connection::open_in_memory()?;
    // As the program's own connection: a migration may write rows.
    super::crypto::allow_app_writes(&conn)?;
    for sql in super::migrations::MIGRATIONS {
        conn.execute_batch(sql)?;
    }
    triggers_of(&conn)
}

fn triggers_of(conn: &rusqlite::Connection) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The SHA-256 of the triggers the migrations make (`triggers_digest` of
/// `expected_triggers`). A panel whose triggers give this digest has every
/// guard as the schema defines it, and opening it need not apply the
/// migrations to an empty database to know (that takes 10 ms, on every
/// open for writing). The test
/// `the_guard_triggers_digest_is_the_one_the_migrations_make` fails, and
/// says the new value, when a migration changes a trigger.
const EXPECTED_TRIGGERS_SHA256: &str =
    "fbac5f353a049fd57a98d8115c002175a42c5e2d9a6ad36fa36b46a116725f71";

/// The SHA-256, in hex, of triggers' names and SQL, in the order given.
fn triggers_digest(triggers: &[(String, String)]) -> String {
    let mut sha = Sha256::new();
    for (name, sql) in triggers {
        sha.update(name.as_bytes());
        sha.update([0]);
        sha.update(sql.as_bytes());
        sha.update([0]);
    }
    sha.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Each guard trigger missing or changed, in words.
fn guard_problems(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let present = triggers_of(conn)?;
    if triggers_digest(&present) == EXPECTED_TRIGGERS_SHA256 {
        return Ok(Vec::new());
    }
    let present: std::collections::HashMap<String, String> = present.into_iter().collect();
    Ok(expected_triggers()?
        .into_iter()
        .filter_map(|(name, sql)| match present.get(&name) {
            None => Some(format!(
                "the guard trigger {name} is missing: it was dropped behind the app's back"
            )),
            Some(now) if *now != sql => Some(format!(
                "the guard trigger {name} differs from the schema's: it was replaced behind the app's back"
            )),
            _ => None,
        })
        .collect())
}

impl Store {
    /// Puts back every guard trigger that is missing or changed, each with
    /// an audit entry saying so (which `audit verify` reports). Called on
    /// every open for writing.
    pub(crate) fn restore_guards(&mut self) -> Result<()> {
        if self.read_only || guard_problems(&self.conn)?.is_empty() {
            return Ok(());
        }
        let expected = expected_triggers()?;
        let tx = self.write()?;
        let problems = guard_problems(&tx)?;
        for (name, sql) in &expected {
            tx.execute_batch(&format!("DROP TRIGGER IF EXISTS \"{name}\";"))?;
            tx.execute_batch(sql)?;
        }
        let at = chrono::Local::now().naive_local();
        for problem in problems {
            super::panel::audit(
                &tx,
                at,
                INTEGRITY_ENTITY,
                "schema",
                None,
                &format!("{problem}; the app recreated it when it opened the file"),
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// Every seal entry in the log, `(id, change)`, unredacted.
fn seal_entries(conn: &rusqlite::Connection) -> Result<Vec<(i64, String)>> {
    Ok(conn
        .prepare("SELECT id, change FROM audit_log WHERE entity = ?1 AND change <> ?2 ORDER BY id")?
        .query_map(params![ROWS_ENTITY, REDACTED], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// The rows that differ from their seals now (before an upgrade).
    pub(crate) fn row_findings_now(&self) -> Result<Vec<AuditFinding>> {
        let entries = seal_entries(&self.conn)?;
        super::seals::row_findings(&self.conn, entries.iter().map(|(id, c)| (*id, c.as_str())))
    }
}

/// At a schema upgrade from `before`: what was found wrong with the rows
/// before it is kept as the program's own findings (so `verify` goes on
/// naming it), then every row the seals do not record as it is now (all
/// of them, from a version before seals) is sealed as the upgrade left it.
pub(crate) fn seal_at_upgrade(
    tx: &Transaction<'_>,
    before: i64,
    found_before: &[AuditFinding],
) -> Result<()> {
    let at = chrono::Local::now().naive_local();
    for f in found_before {
        super::panel::audit(
            tx,
            at,
            INTEGRITY_ENTITY,
            "rows",
            None,
            &format!("found when upgrading from schema {before}: {}", f.what),
        )?;
    }
    let entries = seal_entries(tx)?;
    let sealed = super::seals::seal_unsealed(tx, entries.iter().map(|(id, c)| (*id, c.as_str())))?;
    if sealed > 0 {
        super::panel::audit(
            tx,
            at,
            "schema",
            "rows",
            None,
            &format!(
                "sealed {sealed} row(s) as they stood at the upgrade from schema {before}: changes made to them before it cannot be checked"
            ),
        )?;
    }
    Ok(())
}

/// Whether the chain of a database opened with `key` is still unkeyed (its
/// first link is not the keyed one): written by a version before the chain
/// was keyed. An empty chain is signed keyed from its first entry.
pub(crate) fn chain_is_unkeyed(conn: &rusqlite::Connection, key: &super::Key) -> Result<bool> {
    let first: Option<(i64, String, Option<String>)> = conn
        .query_row(
            "SELECT c.entry_id, c.hash, t.hash FROM audit_chain c
             LEFT JOIN audit_content t USING (entry_id) ORDER BY c.entry_id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match first {
        None => false,
        Some((id, link, Some(content))) => {
            link != link_hash(Some(&key.chain_key()), GENESIS, id, &content)
        }
        // Entries from before content hashes were kept apart are linked
        // the older, unkeyed way.
        Some((_, _, None)) => true,
    })
}

impl Store {
    /// Signs the whole chain again, in one transaction, under the key this
    /// connection's link function now holds (`new_key`): when the database
    /// is encrypted, its key changed, or an encrypted database is upgraded
    /// from a version whose chain was unkeyed. What the old chain (checked
    /// under `old_key`) showed wrong is kept as the program's own findings
    /// first, so re-signing never hides a change made behind the app's back.
    pub(crate) fn resign_chain(
        &mut self,
        old_key: Option<&ChainKey>,
        new_key: Option<&super::Key>,
        why: &str,
    ) -> Result<()> {
        let found = self.verify_audit_with(old_key)?.findings;
        super::crypto::register_chain_link(&self.conn, new_key)?;
        let chain_key = new_key.map(super::Key::chain_key);
        let tx = self.write()?;
        let guarded: Vec<(String, String)> = tx
            .prepare(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'
                 AND tbl_name IN ('audit_chain', 'audit_content')",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, _) in &guarded {
            tx.execute_batch(&format!("DROP TRIGGER \"{name}\";"))?;
        }
        // Entries from before content hashes were kept apart get theirs now
        // (from their content as it is, which the old chain just checked).
        let entries = tx
            .prepare(&format!(
                "SELECT {ENTRY_COLUMNS} FROM audit_log
                 WHERE id IN (SELECT entry_id FROM audit_chain)
                   AND id NOT IN (SELECT entry_id FROM audit_content) ORDER BY id"
            ))?
            .query_map([], entry_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for e in &entries {
            tx.execute(
                "INSERT INTO audit_content(entry_id, hash) VALUES (?1, ?2)",
                params![e.id, content_hash(e)],
            )?;
        }
        let links: Vec<(i64, String)> = tx
            .prepare(
                "SELECT c.entry_id, t.hash FROM audit_chain c JOIN audit_content t USING (entry_id)
                 ORDER BY c.entry_id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut prev = GENESIS.to_owned();
        for (id, content) in &links {
            let link = link_hash(chain_key.as_ref(), &prev, *id, content);
            tx.execute(
                "UPDATE audit_chain SET hash = ?2 WHERE entry_id = ?1",
                params![id, link],
            )?;
            prev = link;
        }
        for (_, sql) in &guarded {
            tx.execute_batch(sql)?;
        }
        let at = chrono::Local::now().naive_local();
        for f in &found {
            super::panel::audit(
                &tx,
                at,
                INTEGRITY_ENTITY,
                "chain",
                None,
                &format!(
                    "found before the chain was re-signed: entry {}: {}",
                    f.entry, f.what
                ),
            )?;
        }
        let kind = if chain_key.is_some() {
            ChainKind::HmacSha256
        } else {
            ChainKind::Sha256
        };
        super::panel::audit(
            &tx,
            at,
            "audit",
            "chain",
            None,
            &format!(
                "re-signed the audit chain ({} entries) as {} because {why}",
                links.len(),
                kind.describe()
            ),
        )?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digest kept in `EXPECTED_TRIGGERS_SHA256` is the migrations'.
    #[test]
    fn the_guard_triggers_digest_is_the_one_the_migrations_make() {
        let made = triggers_digest(&expected_triggers().unwrap());
        assert_eq!(
            made, EXPECTED_TRIGGERS_SHA256,
            "a migration changed the triggers: set EXPECTED_TRIGGERS_SHA256 to \"{made}\""
        );
    }

    #[test]
    fn a_keyed_link_depends_on_the_key_and_differs_from_the_plain_one() {
        let key = |k: &str| super::super::Key::new(k).expect("key").chain_key();
        let (a, b) = (key("one passphrase"), key("another"));
        let plain = link_hash(None, GENESIS, 1, "content");
        let keyed = link_hash(Some(&a), GENESIS, 1, "content");
        assert_ne!(plain, keyed);
        assert_ne!(keyed, link_hash(Some(&b), GENESIS, 1, "content"));
        assert_eq!(keyed, link_hash(Some(&a), GENESIS, 1, "content"));
        assert_ne!(keyed, link_hash(Some(&a), GENESIS, 2, "content"));
    }

    #[test]
    fn the_chain_key_is_hmac_sha256_under_sha256_of_the_label_and_key() {
        // The key derivation and HMAC-SHA256 (RFC 2104) written out by hand
        // over the link's length-prefixed parts.
        let derived = Sha256::new()
            .chain_update(b"permanence-panel audit v1")
            .chain_update(b"Jefe")
            .finalize();
        let ours = super::super::Key::new("Jefe").expect("key").chain_key();
        assert_eq!(ours.0.as_slice(), derived.as_slice());
        let mut message = Vec::new();
        for part in ["link", "p", "7", "c"] {
            message.extend((part.len() as u64).to_le_bytes());
            message.extend(part.as_bytes());
        }
        let mut inner = Sha256::new();
        let mut outer = Sha256::new();
        let mut block = [0u8; 64];
        block[..32].copy_from_slice(&ours.0);
        inner.update(block.map(|b| b ^ 0x36));
        inner.update(&message);
        outer.update(block.map(|b| b ^ 0x5c));
        outer.update(inner.finalize());
        assert_eq!(
            link_hash(Some(&ours), "p", 7, "c"),
            panel_core::text::hex(&outer.finalize())
        );
    }
}
