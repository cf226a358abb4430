//! Limits on a workbook we are asked to read, checked before the reader
//! inflates it: a small .xlsx can hold a sheet that inflates to gigabytes
//! (a zip bomb), and the reader would hold all of it in memory. Each part of
//! the workbook is inflated here as a stream into a counter, never kept, and
//! refused as soon as it passes a limit. The limits are stated in README.

use std::io::{Cursor, Read};

/// The most a part of the workbook (a sheet, the shared strings) may inflate to.
pub const MAX_PART_BYTES: u64 = 200 * 1000 * 1000;
/// The most cells a sheet may hold.
pub const MAX_SHEET_CELLS: u64 = 2_000_000;

/// The limits to check against: the program's, or smaller ones in tests.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub part_bytes: u64,
    pub sheet_cells: u64,
}

impl Limits {
    pub const PROGRAM: Limits = Limits {
        part_bytes: MAX_PART_BYTES,
        sheet_cells: MAX_SHEET_CELLS,
    };
}

/// Why a workbook is refused: which part, what was found, what is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    pub part: String,
    pub found: String,
    pub expected: String,
}

/// Why a workbook is refused. `None` when every part is within the limits,
/// or when the file is not a zip at all (the reader then says what it is not).
pub fn breach(bytes: &[u8], limits: Limits) -> Option<Breach> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    for i in 0..archive.len() {
        let Ok(mut part) = archive.by_index(i) else {
            continue;
        };
        let name = part
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("part {}", i + 1));
        let declared = part.size();
        if declared > limits.part_bytes {
            return Some(too_big(&name, declared, limits));
        }
        // The declared size may lie: count what actually comes out.
        let is_sheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        let mut counter = CellCounter::default();
        let mut inflated: u64 = 0;
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = match part.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                // A damaged part: the reader reports it.
                Err(_) => break,
            };
            inflated += n as u64;
            if inflated > limits.part_bytes {
                return Some(too_big(&name, inflated, limits));
            }
            if is_sheet {
                counter.feed(&buffer[..n]);
                if counter.cells > limits.sheet_cells {
                    return Some(Breach {
                        part: name,
                        found: format!("more than {} cells", limits.sheet_cells),
                        expected: format!(
                            "a sheet of at most {} cells (split the workbook, or keep only the rows the panel needs)",
                            limits.sheet_cells
                        ),
                    });
                }
            }
        }
    }
    None
}

fn too_big(name: &str, size: u64, limits: Limits) -> Breach {
    let mb = limits.part_bytes / 1_000_000;
    Breach {
        part: name.to_owned(),
        found: format!("{size} bytes or more inflated"),
        expected: format!(
            "a part that inflates to at most {mb} MB (this one may be damaged, or built to exhaust memory)"
        ),
    }
}

/// Counts cell elements (`<c ...>`, `<c/>`, or with a namespace prefix such
/// as `<x:c ...>`) in a sheet's XML as it streams past.
#[derive(Debug, Default)]
struct CellCounter {
    cells: u64,
    state: State,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum State {
    #[default]
    Text,
    /// After `<`, reading a name (or prefix).
    Name { only_c: bool, len: u8 },
}

impl CellCounter {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.state = match (self.state, b) {
                (_, b'<') => State::Name {
                    only_c: false,
                    len: 0,
                },
                (State::Name { .. }, b':') => State::Name {
                    only_c: false,
                    len: 0,
                },
                (State::Name { len: 0, .. }, b'c') => State::Name {
                    only_c: true,
                    len: 1,
                },
                (State::Name { only_c: true, .. }, b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>') => {
                    self.cells += 1;
                    State::Text
                }
                (State::Name { len, .. }, c) if c.is_ascii_alphanumeric() || c == b'_' => {
                    State::Name {
                        only_c: false,
                        len: len.saturating_add(1),
                    }
                }
                _ => State::Text,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn workbook(sheet: &[u8]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options)
            .expect("part");
        zip.write_all(sheet).expect("write");
        zip.finish().expect("zip");
        out.into_inner()
    }

    const SMALL: Limits = Limits {
        part_bytes: 10_000,
        sheet_cells: 3,
    };

    #[test]
    fn cells_are_counted_with_or_without_a_prefix_and_across_reads() {
        let mut counter = CellCounter::default();
        let xml = b"<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c><c/><x:c r=\"C1\"/><cols/><col/></row></sheetData>";
        for chunk in xml.chunks(3) {
            counter.feed(chunk);
        }
        assert_eq!(counter.cells, 3);
    }

    #[test]
    fn a_sheet_past_a_limit_is_refused_naming_the_part() {
        let ok = workbook(b"<row><c r=\"A1\"/><c r=\"B1\"/></row>");
        assert_eq!(breach(&ok, SMALL), None);
        let many = workbook(b"<row><c/><c/><c/><c/></row>");
        let why = breach(&many, SMALL).expect("refused");
        assert_eq!(why.part, "xl/worksheets/sheet1.xml");
        assert_eq!(why.found, "more than 3 cells");
        let big = workbook(&vec![b' '; 20_000]);
        let why = breach(&big, SMALL).expect("refused");
        assert_eq!(why.part, "xl/worksheets/sheet1.xml");
        assert!(why.expected.contains("at most 0 MB"), "{why:?}");
        assert_eq!(breach(b"not a zip", SMALL), None);
    }
}
