//! The one CSV writer of every export: RFC 4180, each cell neutralised so a
//! spreadsheet shows it as text and never runs it as a formula. Lines end
//! as the platform's spreadsheets expect: CRLF on Windows (what Excel
//! writes), LF elsewhere (as the command line's contract has always been).

use std::io::Write;

use panel_core::text::csv_safe;

/// How a CSV line ends on this platform.
fn line_end() -> csv::Terminator {
    if cfg!(windows) {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    }
}

/// A `csv::Writer` whose every cell goes through [`csv_safe`].
pub struct SafeCsv<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> SafeCsv<W> {
    pub fn new(out: W) -> Self {
        SafeCsv {
            inner: csv::WriterBuilder::new()
                .terminator(line_end())
                .from_writer(out),
        }
    }

    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.inner.write_record(
            record
                .into_iter()
                .map(|cell| csv_safe(cell.as_ref()).into_owned()),
        )
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
