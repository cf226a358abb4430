//! Problems found in import files, and the error that lists them.

use std::fmt;

use crate::store::StoreError;

/// At most this many problems are kept and shown; the rest are counted.
pub const MAX_PROBLEMS: usize = 100;

/// A value shown in a problem is cut to this many characters, so a huge
/// field (a runaway quote, a pasted document) never floods the terminal.
pub const MAX_SHOWN_CHARS: usize = 40;

/// One problem in one place of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file as the administrator named it.
    pub file: String,
    /// 1-based; the header row is line 1. 0 when the problem is about the
    /// set of files rather than a place in one.
    pub line: u64,
    /// The column as written in the file's header (the element name in XML).
    pub column: String,
    /// The offending value, already cut to `MAX_SHOWN_CHARS`.
    pub found: String,
    /// What would have been accepted, in plain words.
    pub expected: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: found '{}', expected {}",
            self.file, self.line, self.column, self.found, self.expected
        )
    }
}

/// Why an import was rejected. Nothing in the database changed.
#[derive(Debug)]
pub struct ImportError {
    /// The first `MAX_PROBLEMS` problems, in file and line order.
    pub problems: Vec<Problem>,
    /// How many further problems were found but not kept.
    pub more: usize,
    /// The database failed (not the files); the import was rolled back.
    pub store: Option<StoreError>,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut line = |f: &mut fmt::Formatter<'_>, text: &dyn fmt::Display| {
            if !first {
                writeln!(f)?;
            }
            first = false;
            write!(f, "{text}")
        };
        if let Some(e) = &self.store {
            line(f, &format_args!("the import was not saved: {e}"))?;
        }
        for p in &self.problems {
            line(f, p)?;
        }
        if self.more > 0 {
            line(f, &format_args!("and {} more", self.more))?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError {
            problems: Vec::new(),
            more: 0,
            store: Some(e),
        }
    }
}

/// Collects problems up to the cap.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    kept: Vec<Problem>,
    more: usize,
}

impl Problems {
    pub fn push(&mut self, file: &str, line: u64, column: &str, found: &str, expected: &str) {
        if self.kept.len() < MAX_PROBLEMS {
            self.kept.push(Problem {
                file: file.to_owned(),
                line,
                column: cut(column),
                found: cut(found),
                expected: expected.to_owned(),
            });
        } else {
            self.more += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    pub fn push_problem(&mut self, p: Problem) {
        if self.kept.len() < MAX_PROBLEMS {
            self.kept.push(p);
        } else {
            self.more += 1;
        }
    }

    /// Moves every problem of `other` here (its count of the ones not
    /// kept too).
    pub fn append(&mut self, other: Problems) {
        self.more += other.more;
        for p in other.kept {
            self.push_problem(p);
        }
    }

    /// The problems kept (a row has far fewer than the cap).
    pub fn into_problems(self) -> Vec<Problem> {
        self.kept
    }

    pub fn into_error(self) -> ImportError {
        ImportError {
            problems: self.kept,
            more: self.more,
            store: None,
        }
    }
}

/// Cuts a value for display, marking the cut with '…'. Line breaks and
/// other control characters are shown escaped, so a problem stays on one line.
pub(crate) fn cut(value: &str) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == MAX_SHOWN_CHARS {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_keeps_short_values_and_marks_long_ones() {
        assert_eq!(cut("C0001"), "C0001");
        assert_eq!(cut("a\r\nb"), "a\\r\\nb");
        let long = "é".repeat(50);
        let shown = cut(&long);
        assert_eq!(shown.chars().count(), MAX_SHOWN_CHARS + 1);
        assert!(shown.ends_with('…'));
    }

    #[test]
    fn problems_beyond_the_cap_are_counted_not_kept() {
        let mut p = Problems::default();
        for i in 0..(MAX_PROBLEMS + 7) {
            p.push("f.csv", i as u64 + 2, "DOB", "x", "a date");
        }
        let e = p.into_error();
        assert_eq!(e.problems.len(), MAX_PROBLEMS);
        assert_eq!(e.more, 7);
        let text = e.to_string();
        assert_eq!(text.lines().count(), MAX_PROBLEMS + 1);
        assert!(text.ends_with("and 7 more"));
    }
}
