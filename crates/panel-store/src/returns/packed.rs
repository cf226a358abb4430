//! A child's rows packed into one value: their rows in one return (the
//! `rows` of `return_child_rows`) and their merged history (`histories`,
//! store/history.rs). A child has a few rows per return, and one value per
//! child is much cheaper to store, to replace and to read back than a row
//! per table row, each in a table with its indexes.
//!
//! Each row is its table's tag, its number of columns, then each column
//! as SQLite would hold it (the values `extract::write_*` binds, so a
//! table's columns are mapped in one place), without the child id,
//! which is the key. A column is a tag byte, then: nothing (NULL), eight
//! bytes little-endian (an integer), or a length (LEB128) and UTF-8 bytes
//! (text).

use rusqlite::ToSql;
use rusqlite::types::{ToSqlOutput, ValueRef};

use crate::extract::Columns;

/// The tables a packed row can be of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PackedTable {
    Header = 1,
    Episodes = 2,
    Reviews = 3,
    PlacedAdoption = 4,
    /// A table the rules do not read: its name, then its fields joined
    /// (`FIELD_SEPARATOR`).
    Extra = 5,
    /// In a history: a warning of the merge, what then the rule's id.
    MergeWarning = 6,
    /// In a history: a row of a table the rules do not read, as the merge
    /// kept it: its name, the year its return starts, its fields joined.
    KeptExtra = 7,
}

impl PackedTable {
    fn from_tag(tag: u8) -> Option<PackedTable> {
        Some(match tag {
            1 => PackedTable::Header,
            2 => PackedTable::Episodes,
            3 => PackedTable::Reviews,
            4 => PackedTable::PlacedAdoption,
            5 => PackedTable::Extra,
            6 => PackedTable::MergeWarning,
            7 => PackedTable::KeptExtra,
            _ => return None,
        })
    }
}

const NULL: u8 = 0;
const INTEGER: u8 = 1;
const TEXT: u8 = 2;

/// The most columns a row has after the child id (Episodes: 12).
const MOST_COLUMNS: usize = 12;

/// Appends a row of `table` to `out`: `values` are its columns after the
/// child id.
pub(crate) fn push_row(
    out: &mut Vec<u8>,
    table: PackedTable,
    values: &[&dyn ToSql],
) -> rusqlite::Result<()> {
    if values.len() > MOST_COLUMNS {
        return Err(unpackable("more columns than any table has"));
    }
    out.push(table as u8);
    out.push(values.len() as u8);
    for value in values {
        match value.to_sql()? {
            ToSqlOutput::Borrowed(v) => push_value(out, v)?,
            ToSqlOutput::Owned(v) => push_value(out, ValueRef::from(&v))?,
            _ => return Err(unpackable("a value that is not NULL, an integer or text")),
        }
    }
    Ok(())
}

fn push_value(out: &mut Vec<u8>, value: ValueRef<'_>) -> rusqlite::Result<()> {
    match value {
        ValueRef::Null => out.push(NULL),
        ValueRef::Integer(i) => {
            out.push(INTEGER);
            out.extend_from_slice(&i.to_le_bytes());
        }
        ValueRef::Text(text) => {
            out.push(TEXT);
            let mut len = text.len();
            loop {
                let low = (len & 0x7f) as u8;
                len >>= 7;
                if len == 0 {
                    out.push(low);
                    break;
                }
                out.push(low | 0x80);
            }
            out.extend_from_slice(text);
        }
        _ => return Err(unpackable("a value that is not NULL, an integer or text")),
    }
    Ok(())
}

fn unpackable(what: &str) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(format!("a return's row holds {what}").into())
}

/// A row unpacked: its columns borrowed from the packed value, the child
/// id (column 0) from the key.
pub(crate) struct PackedRow<'a> {
    pub(crate) table: PackedTable,
    child: &'a str,
    values: [ValueRef<'a>; MOST_COLUMNS],
    len: usize,
}

impl Columns for PackedRow<'_> {
    fn value(&self, i: usize) -> rusqlite::Result<ValueRef<'_>> {
        match i {
            0 => Ok(ValueRef::Text(self.child.as_bytes())),
            i if i <= self.len => Ok(self.values[i - 1]),
            i => Err(rusqlite::Error::InvalidColumnIndex(i)),
        }
    }
}

/// The rows packed in `bytes`, of `child`. A value cut short or with an
/// unknown tag (a damaged file) is an error, SQLite's for a damaged
/// database, never a guess.
pub(crate) fn unpack<'a>(
    child: &'a str,
    bytes: &'a [u8],
) -> impl Iterator<Item = rusqlite::Result<PackedRow<'a>>> + 'a {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let row = read_row(child, bytes, &mut at);
        if row.is_err() {
            at = bytes.len();
        }
        Some(row)
    })
}

/// A child's packed rows that cannot be read: reported as SQLite reports a
/// damaged page, so that it reaches the user as a damaged database, with
/// what to restore.
pub(crate) fn damaged(child: &str) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
        Some(format!("the rows held of child {child} cannot be read")),
    )
}

fn read_row<'a>(
    child: &'a str,
    bytes: &'a [u8],
    at: &mut usize,
) -> rusqlite::Result<PackedRow<'a>> {
    let damaged = || damaged(child);
    // The next `n` bytes, or an error when the value ends first.
    let take = |at: &mut usize, n: usize| -> rusqlite::Result<&'a [u8]> {
        let end = at.checked_add(n).ok_or_else(damaged)?;
        let taken = bytes.get(*at..end).ok_or_else(damaged)?;
        *at = end;
        Ok(taken)
    };
    let table = PackedTable::from_tag(take(at, 1)?[0]).ok_or_else(damaged)?;
    let len = usize::from(take(at, 1)?[0]);
    if len > MOST_COLUMNS {
        return Err(damaged());
    }
    let mut values = [ValueRef::Null; MOST_COLUMNS];
    for value in values.iter_mut().take(len) {
        *value = match take(at, 1)?[0] {
            NULL => ValueRef::Null,
            INTEGER => {
                let mut le = [0u8; 8];
                le.copy_from_slice(take(at, 8)?);
                ValueRef::Integer(i64::from_le_bytes(le))
            }
            TEXT => {
                let mut len = 0usize;
                let mut shift = 0;
                loop {
                    let b = take(at, 1)?[0];
                    if shift > 28 {
                        return Err(damaged());
                    }
                    len |= usize::from(b & 0x7f) << shift;
                    shift += 7;
                    if b & 0x80 == 0 {
                        break;
                    }
                }
                ValueRef::Text(take(at, len)?)
            }
            _ => return Err(damaged()),
        };
    }
    Ok(PackedRow {
        table,
        child,
        values,
        len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_packed_come_back_column_for_column_with_the_child_id_from_the_key() {
        let mut packed = Vec::new();
        let long = "x".repeat(300);
        push_row(
            &mut packed,
            PackedTable::Header,
            rusqlite::params!["1", "2015-01-02", Option::<String>::None, Some(true), -7i64],
        )
        .expect("packs");
        push_row(
            &mut packed,
            PackedTable::Extra,
            rusqlite::params!["AD1", long],
        )
        .expect("packs");
        let rows: Vec<PackedRow<'_>> = unpack("C7", &packed)
            .collect::<rusqlite::Result<_>>()
            .expect("unpacks");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].table, PackedTable::Header);
        assert_eq!(rows[0].get::<String>(0).expect("id"), "C7");
        assert_eq!(rows[0].get::<String>(2).expect("dob"), "2015-01-02");
        assert_eq!(rows[0].get::<Option<String>>(3).expect("null"), None);
        assert_eq!(rows[0].get::<Option<bool>>(4).expect("bool"), Some(true));
        assert_eq!(rows[0].get::<i64>(5).expect("int"), -7);
        assert!(rows[0].value(6).is_err(), "no column past the last");
        assert_eq!(rows[1].table, PackedTable::Extra);
        assert_eq!(rows[1].get::<String>(2).expect("fields"), long);
    }

    #[test]
    fn a_damaged_value_is_an_error_not_a_guess() {
        let mut packed = Vec::new();
        push_row(
            &mut packed,
            PackedTable::Reviews,
            rusqlite::params!["2020-01-01", "PN1"],
        )
        .expect("packs");
        for cut in 1..packed.len() {
            let rows: Vec<_> = unpack("C1", &packed[..cut]).collect();
            assert!(
                rows.iter().any(|r| r.is_err()),
                "cut at {cut} of {}",
                packed.len()
            );
        }
        let mut unknown = packed.clone();
        unknown[0] = 9;
        assert!(unpack("C1", &unknown).any(|r| r.is_err()));
    }
}
