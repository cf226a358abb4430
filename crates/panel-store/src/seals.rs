//! Row seals: the audit's record of each row of every table a user changes,
//! as the program left it. The program's connection notes every row a
//! transaction writes (temporary triggers, which no other connection has);
//! committing through `WriteTx::commit` writes, in the same transaction, a
//! chained `rows` entry with each of those rows' content hash and values
//! (one entry per child, so a purge redacts a child's seals with the
//! child's other entries). `audit verify` recomputes every row's hash and
//! checks it against the latest seal for that row: a row changed, added or
//! deleted by another tool is named, with the fields that differ.

use std::collections::{BTreeMap, HashMap};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Transaction};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::Result;
use super::audit::AuditFinding;

/// The entity of a seal entry in the audit log.
pub(crate) const ROWS_ENTITY: &str = "rows";

/// A table a user changes: its name, the columns that name a row, and
/// whether its rows belong to a child (`child_id`).
struct Covered {
    table: &'static str,
    key: &'static [&'static str],
    child: bool,
}

const fn covered(table: &'static str, key: &'static [&'static str], child: bool) -> Covered {
    Covered { table, key, child }
}

/// Every table a user changes through the program.
const COVERED: &[Covered] = &[
    covered("decisions", &["id"], true),
    covered("actions", &["id"], true),
    covered("attendance", &["meeting_id", "member_id"], false),
    covered(
        "attendance_intervals",
        &["meeting_id", "member_id", "arrived"],
        false,
    ),
    covered("agenda_items", &["id"], true),
    covered("agenda_choices", &["meeting_id", "child_id"], true),
    covered("carry_overs", &["meeting_id", "child_id"], true),
    covered("referrals", &["id"], true),
    covered("plans", &["child_id"], true),
    covered("admin_notes", &["meeting_id", "child_id"], true),
    covered("child_notes", &["child_id"], true),
    covered("members", &["id"], false),
    covered("meetings", &["id"], false),
    covered("papers", &["meeting_id", "child_id", "paper"], true),
    covered("minutes_approval", &["meeting_id"], false),
    covered("minutes_corrections", &["id"], false),
    covered("approved_members", &["meeting_id", "member_id"], false),
    covered("approved_minutes_record", &["meeting_id"], false),
    covered("fostering_panels", &["id"], false),
    covered("fostering_panel_bookings", &["child_id"], true),
    covered("approved_presenters", &["meeting_id", "child_id"], true),
    covered("other_business", &["id"], false),
    covered(
        "interest_declarations",
        &["meeting_id", "child_id", "member_id"],
        true,
    ),
    covered("decision_sign_offs", &["decision_id"], true),
    covered("decision_dissents", &["decision_id", "member_id"], true),
    covered("financial_commitments", &["decision_id"], true),
];

fn table_exists(conn: &Connection, table: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM main.sqlite_schema WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// Key columns as the trigger's values (`NEW.a, NEW.b, NULL`).
fn key_values(c: &Covered, row: &str) -> String {
    (0..3)
        .map(|i| {
            c.key
                .get(i)
                .map(|k| format!("{row}.{k}"))
                .unwrap_or_else(|| "NULL".to_owned())
        })
        .chain([if c.child {
            format!("{row}.child_id")
        } else {
            "NULL".to_owned()
        }])
        .collect::<Vec<_>>()
        .join(", ")
}

/// Makes this connection note every row it writes in a covered table:
/// temporary triggers, private to the connection (another tool's
/// connection writes unnoted, and so unsealed). Called once the schema is
/// up to date.
pub(crate) fn track_writes(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS touched_rows (tbl TEXT NOT NULL, k1, k2, k3, child TEXT);",
    )?;
    for c in COVERED {
        if !table_exists(conn, c.table)? {
            continue;
        }
        let t = c.table;
        let note = |row: &str| {
            format!(
                "INSERT INTO touched_rows(tbl, k1, k2, k3, child) VALUES ('{t}', {});",
                key_values(c, row)
            )
        };
        conn.execute_batch(&format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS seal_{t}_insert AFTER INSERT ON main.{t} BEGIN {new} END;
             CREATE TEMP TRIGGER IF NOT EXISTS seal_{t}_update AFTER UPDATE ON main.{t} BEGIN {old} {new} END;
             CREATE TEMP TRIGGER IF NOT EXISTS seal_{t}_delete AFTER DELETE ON main.{t} BEGIN {old} END;",
            new = note("NEW"),
            old = note("OLD"),
        ))?;
    }
    Ok(())
}

/// A row's value as JSON (a blob as `{"blob": HEX}`).
fn json_of(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => serde_json::json!({ "blob": panel_core::text::hex(b) }),
    }
}

/// The content hash of a row: its table, then each column's name and value,
/// length-prefixed.
/// A key value back as SQL (keys are integers or text).
fn sql_value(v: &Value) -> rusqlite::types::Value {
    match v {
        Value::Number(n) => match n.as_i64() {
            Some(i) => rusqlite::types::Value::Integer(i),
            None => rusqlite::types::Value::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => rusqlite::types::Value::Text(s.clone()),
        _ => rusqlite::types::Value::Null,
    }
}

fn row_hash(table: &str, row: &[(String, Value)]) -> String {
    let mut h = Sha256::new();
    let mut part = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    part("row");
    part(table);
    for (name, value) in row {
        part(name);
        part(&value.to_string());
    }
    panel_core::text::hex(&h.finalize())
}

/// One row as read: its key (JSON text), child and columns in table order.
struct RowNow {
    key: String,
    child: Option<String>,
    columns: Vec<(String, Value)>,
}

fn key_text(values: Vec<Value>) -> String {
    Value::Array(values).to_string()
}

fn read_rows(conn: &Connection, c: &Covered, filter: Option<&[Value]>) -> Result<Vec<RowNow>> {
    let mut sql = format!("SELECT * FROM main.{}", c.table);
    if filter.is_some() {
        let conditions: Vec<String> = c
            .key
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{k} IS ?{}", i + 1))
            .collect();
        sql.push_str(&format!(" WHERE {}", conditions.join(" AND ")));
    }
    let mut stmt = conn.prepare_cached(&sql)?;
    let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let params: Vec<rusqlite::types::Value> = filter.unwrap_or(&[]).iter().map(sql_value).collect();
    let rows = stmt
        .query_map(rusqlite::params_from_iter(params), |r| {
            let columns: Vec<(String, Value)> = names
                .iter()
                .enumerate()
                .map(|(i, n)| Ok((n.clone(), json_of(r.get_ref(i)?))))
                .collect::<rusqlite::Result<_>>()?;
            Ok(columns)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|columns| {
            let get = |name: &str| {
                columns
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or(Value::Null)
            };
            RowNow {
                key: key_text(c.key.iter().map(|k| get(k)).collect()),
                child: c
                    .child
                    .then(|| get("child_id").as_str().map(str::to_owned))
                    .flatten(),
                columns,
            }
        })
        .collect())
}

/// Writes the seal entries for the rows this transaction wrote (noted by
/// `track_writes`), and forgets the notes. Called by `WriteTx::commit`.
pub(crate) fn seal_touched(tx: &Transaction<'_>) -> Result<()> {
    let has_notes = tx
        .query_row(
            "SELECT count(*) FROM temp.sqlite_schema WHERE type = 'table' AND name = 'touched_rows'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .is_ok_and(|n| n > 0);
    if !has_notes {
        return Ok(());
    }
    let touched: Vec<(String, Vec<Value>, Option<String>)> = tx
        .prepare("SELECT DISTINCT tbl, k1, k2, k3, child FROM temp.touched_rows")?
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                vec![
                    json_of(r.get_ref(1)?),
                    json_of(r.get_ref(2)?),
                    json_of(r.get_ref(3)?),
                ],
                r.get::<_, Option<String>>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    tx.execute("DELETE FROM temp.touched_rows", [])?;
    if touched.is_empty() {
        return Ok(());
    }
    let mut groups: BTreeMap<Option<String>, Vec<Value>> = BTreeMap::new();
    let mut done = std::collections::HashSet::new();
    let mut named_children: HashMap<String, bool> = HashMap::new();
    for (table, mut key, child) in touched {
        let Some(c) = COVERED.iter().find(|c| c.table == table) else {
            continue;
        };
        key.truncate(c.key.len());
        let keytext = key_text(key.clone());
        if !done.insert((table.clone(), keytext.clone())) {
            continue;
        }
        match read_rows(tx, c, Some(&key))?.pop() {
            Some(row) => {
                let seal = serde_json::json!({
                    "table": c.table,
                    "key": key,
                    "hash": row_hash(c.table, &row.columns),
                    "row": Map::from_iter(row.columns),
                });
                groups.entry(row.child).or_default().push(seal);
            }
            None => {
                // A child's row deleted when nothing unredacted names the
                // child (a purge): no seal says it exists, so none need say
                // it is gone, and the purge's record names no child.
                if let Some(child) = &child {
                    let named = match named_children.get(child) {
                        Some(named) => *named,
                        None => {
                            let named = tx.query_row(
                                "SELECT EXISTS (SELECT 1 FROM audit_log WHERE child_id = ?1)",
                                [child],
                                |r| r.get::<_, bool>(0),
                            )?;
                            named_children.insert(child.clone(), named);
                            named
                        }
                    };
                    if !named {
                        continue;
                    }
                }
                let seal = serde_json::json!({ "table": c.table, "key": key, "deleted": true });
                groups.entry(child).or_default().push(seal);
            }
        }
    }
    write_seals(tx, groups)
}

fn write_seals(tx: &Transaction<'_>, groups: BTreeMap<Option<String>, Vec<Value>>) -> Result<()> {
    // Dated as the entry they follow (the write's own time, from the
    // caller's clock), else now.
    let at = tx
        .query_row(
            "SELECT at FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get::<_, String>(0),
        )
        .ok()
        .and_then(|s| super::text::parse_datetime(&s).ok())
        .unwrap_or_else(|| chrono::Local::now().naive_local());
    for (child, seals) in groups {
        let mut tables: Vec<&str> = seals
            .iter()
            .filter_map(|s| s.get("table").and_then(Value::as_str))
            .collect();
        tables.dedup();
        let change = serde_json::json!({ "rows": seals }).to_string();
        super::panel::audit(
            tx,
            at,
            ROWS_ENTITY,
            &tables.join(", "),
            child.as_deref(),
            &change,
        )?;
    }
    Ok(())
}

/// The latest seal of each row, from the seal entries the chain vouches
/// for (redacted ones hold none), in entry order.
struct Seal {
    entry: i64,
    hash: Option<String>,
    row: Option<Map<String, Value>>,
}

fn latest_seals<'a>(
    entries: impl Iterator<Item = (i64, &'a str)>,
) -> HashMap<(String, String), Seal> {
    let mut latest = HashMap::new();
    for (entry, change) in entries {
        let Ok(parsed) = serde_json::from_str::<Value>(change) else {
            continue;
        };
        let Some(rows) = parsed.get("rows").and_then(Value::as_array) else {
            continue;
        };
        for seal in rows {
            let (Some(table), Some(key)) = (
                seal.get("table").and_then(Value::as_str),
                seal.get("key").and_then(Value::as_array),
            ) else {
                continue;
            };
            let deleted = seal.get("deleted").and_then(Value::as_bool) == Some(true);
            latest.insert(
                (table.to_owned(), key_text(key.clone())),
                Seal {
                    entry,
                    hash: (!deleted)
                        .then(|| seal.get("hash").and_then(Value::as_str).map(str::to_owned))
                        .flatten(),
                    row: (!deleted)
                        .then(|| seal.get("row").and_then(Value::as_object).cloned())
                        .flatten(),
                },
            );
        }
    }
    latest
}

/// How a row is named in a finding: `decisions row 3`, `attendance row
/// (meeting_id 2, member_id 5)`.
fn row_name(c: &Covered, key: &str) -> String {
    let values: Vec<Value> = serde_json::from_str(key).unwrap_or_default();
    let shown = |v: &Value| match v {
        Value::String(s) => format!("{s:?}").trim_matches('"').to_owned(),
        other => other.to_string(),
    };
    if c.key.len() == 1 {
        format!(
            "{} row {}",
            c.table,
            values.first().map(shown).unwrap_or_default()
        )
    } else {
        let parts: Vec<String> = c
            .key
            .iter()
            .zip(&values)
            .map(|(k, v)| format!("{k} {}", shown(v)))
            .collect();
        format!("{} row ({})", c.table, parts.join(", "))
    }
}

/// A value in a finding: text quoted with control characters escaped, so a
/// forged value cannot drive the terminal it is printed on.
fn shown_value(v: Option<&Value>) -> String {
    match v {
        None => "absent".to_owned(),
        Some(Value::String(s)) => format!("{s:?}"),
        Some(other) => other.to_string(),
    }
}

/// Each field of `now` that differs from the sealed `then`, in words.
fn differences(then: &Map<String, Value>, now: &[(String, Value)]) -> Vec<String> {
    let mut out: Vec<String> = now
        .iter()
        .filter(|(name, value)| then.get(name) != Some(value))
        .map(|(name, value)| {
            format!(
                "{name} was {}, now {}",
                shown_value(then.get(name)),
                shown_value(Some(value))
            )
        })
        .collect();
    out.extend(
        then.keys()
            .filter(|name| !now.iter().any(|(n, _)| n == *name))
            .map(|name| format!("{name} was {}, now absent", shown_value(then.get(name)))),
    );
    out
}

/// Every row of every covered table checked against its latest seal.
/// `entries` are the chained, untampered seal entries `(id, change)`.
pub(crate) fn row_findings<'a>(
    conn: &Connection,
    entries: impl Iterator<Item = (i64, &'a str)>,
) -> Result<Vec<AuditFinding>> {
    let mut latest = latest_seals(entries);
    let mut findings = Vec::new();
    for c in COVERED {
        if !table_exists(conn, c.table)? {
            continue;
        }
        for row in read_rows(conn, c, None)? {
            let name = row_name(c, &row.key);
            match latest.remove(&(c.table.to_owned(), row.key.clone())) {
                None => findings.push(AuditFinding {
                    entry: 0,
                    what: format!(
                        "{name}: no audit entry records it: it was written behind the app's back"
                    ),
                }),
                Some(Seal { entry, hash: None, .. }) => findings.push(AuditFinding {
                    entry,
                    what: format!(
                        "{name}: this entry recorded it as deleted, but it is in its table: written behind the app's back"
                    ),
                }),
                Some(Seal { entry, hash: Some(hash), row: then }) => {
                    if row_hash(c.table, &row.columns) != hash {
                        let differs = then
                            .map(|then| differences(&then, &row.columns))
                            .unwrap_or_default();
                        findings.push(AuditFinding {
                            entry,
                            what: format!(
                                "{name}: differs from what this entry recorded ({}): changed behind the app's back",
                                if differs.is_empty() {
                                    "its content hash".to_owned()
                                } else {
                                    differs.join("; ")
                                }
                            ),
                        });
                    }
                }
            }
        }
    }
    // Sealed as present, and gone with no seal saying so.
    let mut gone: Vec<_> = latest
        .into_iter()
        .filter(|(_, seal)| seal.hash.is_some())
        .collect();
    gone.sort_by_key(|(_, seal)| seal.entry);
    for ((table, key), seal) in gone {
        let Some(c) = COVERED.iter().find(|c| c.table == table) else {
            continue;
        };
        findings.push(AuditFinding {
            entry: seal.entry,
            what: format!(
                "{}: recorded by this entry but no longer in its table: deleted behind the app's back",
                row_name(c, &key)
            ),
        });
    }
    Ok(findings)
}

/// Seals, in `tx`, every row that no seal entry records as it is now: at a
/// schema upgrade, when rows written before this version (or changed by
/// the upgrade itself) get their first seal. Returns how many.
pub(crate) fn seal_unsealed<'a>(
    tx: &Transaction<'_>,
    entries: impl Iterator<Item = (i64, &'a str)>,
) -> Result<usize> {
    let latest = latest_seals(entries);
    let mut count = 0;
    for c in COVERED {
        if !table_exists(tx, c.table)? {
            continue;
        }
        for row in read_rows(tx, c, None)? {
            let current = row_hash(c.table, &row.columns);
            let sealed = latest
                .get(&(c.table.to_owned(), row.key.clone()))
                .and_then(|s| s.hash.as_deref());
            if sealed != Some(current.as_str()) {
                let key: Vec<Value> = serde_json::from_str(&row.key).unwrap_or_default();
                let mut padded = key.clone();
                padded.resize(3, Value::Null);
                note(tx, c.table, &padded, row.child.as_deref())?;
                count += 1;
            }
        }
    }
    seal_touched(tx)?;
    Ok(count)
}

fn note(tx: &Transaction<'_>, table: &str, key: &[Value], child: Option<&str>) -> Result<()> {
    tx.execute(
        "INSERT INTO temp.touched_rows(tbl, k1, k2, k3, child) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![
            table,
            sql_value(&key[0]),
            sql_value(&key[1]),
            sql_value(&key[2]),
            child
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::Store;
    use chrono::{NaiveDate, NaiveTime};

    #[test]
    fn every_row_the_program_writes_is_sealed() {
        let mut store = Store::open_in_memory().expect("store");
        let day = NaiveDate::from_ymd_opt(2026, 6, 5).expect("date");
        let at = day.and_hms_opt(10, 0, 0).expect("time");
        let meeting = store
            .add_meeting(
                day,
                NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
                NaiveTime::from_hms_opt(12, 0, 0).expect("time"),
                at,
            )
            .expect("meeting");
        store
            .record_decision(meeting, "C1", "Endorsed", true, at)
            .expect("decision");
        store
            .set_attendance(meeting, 1, crate::model::AttendanceState::Present, None, at)
            .ok();
        store
            .set_agenda(meeting, &[("C1".into(), "x".into(), vec![])], at)
            .expect("agenda");
        let found = store.verify_audit().expect("verify").findings;
        assert!(found.is_empty(), "{found:?}");
    }
}
