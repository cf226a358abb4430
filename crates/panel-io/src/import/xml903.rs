//! The XML return (root `EXPSSDA903`, ssda903.md 5.1), streamed event by
//! event with quick-xml: one child's elements are held at a time, never
//! the document.

use quick_xml::events::Event;

use super::csv903::WHOLE_FILE;
use super::source::{self, Source};
use super::tables::{Loader, ReturnWriter, Table};
use super::values::Cells;
use crate::model::schema903::xml_tag;

/// A value longer than this is kept only this long: it is rejected anyway
/// (no column takes more than 100 characters), and memory stays flat.
const MAX_KEPT_BYTES: usize = 4096;

/// Shown as COLUMN when the root element is not EXPSSDA903 and has no name.
const ROOT_ELEMENT: &str = "(root element)";

/// One table row gathered from elements.
struct XmlRow {
    table: Table,
    values: Vec<String>,
    /// Line of each value's element; 0 when the element was absent.
    lines: Vec<u64>,
    /// Line of the row's own element, for absent values.
    start: u64,
}

impl XmlRow {
    fn new(table: Table, start: u64) -> Self {
        let n = table.columns().len();
        XmlRow {
            table,
            values: vec![String::new(); n],
            lines: vec![0; n],
            start,
        }
    }

    fn column_of(&self, tag: &[u8]) -> Option<usize> {
        self.table
            .columns()
            .iter()
            .position(|c| xml_tag(c).as_bytes().eq_ignore_ascii_case(tag))
    }

    /// Copies `CHILD` down from the child's HEADER. (`DOB` is not copied:
    /// a bad one is reported once, on the HEADER, not again on each row.)
    fn inherit(&mut self, header: &XmlRow) {
        for (col, name) in self.table.columns().iter().enumerate() {
            if *name != "CHILD" {
                continue;
            }
            if let Some(from) = header.table.columns().iter().position(|c| c == name) {
                self.values[col].clone_from(&header.values[from]);
                self.lines[col] = header.line(from);
            }
        }
    }
}

impl Cells for XmlRow {
    fn value(&self, col: usize) -> &str {
        self.values.get(col).map_or("", |v| v.trim())
    }

    fn column_name(&self, col: usize) -> &str {
        self.table.columns().get(col).map_or("", |c| xml_tag(c))
    }

    fn line(&self, col: usize) -> u64 {
        match self.lines.get(col) {
            Some(&l) if l > 0 => l,
            _ => self.start,
        }
    }
}

/// Where the reader is in the document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Elem {
    Root,
    Child,
    Header,
    /// An element whose text is a value of a row of the child.
    Leaf(Target, usize),
    /// AREVIEW, AD_PLACED or EPISODE.
    Record,
    /// Anything the panel does not read (UASC, OC2, AMISSING, ...).
    Ignored,
}

/// Which row of the child a leaf element's text belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Header,
    /// The sub-record open (EPISODE, AREVIEW, AD_PLACED, AMISSING, PERMANENCE).
    Record,
    /// AD1's leaves, written in HEADER (ssda903.md 5.1).
    Ad1,
    /// The `UASC` flag in HEADER: a UASC row exists when it has text.
    UascFlag,
    /// `DUC`, UASC's date status ceased, in HEADER.
    Uasc,
}

#[derive(Default)]
struct ChildState {
    /// AD1 and UASC rows, gathered from HEADER's leaves.
    ad1: Option<XmlRow>,
    uasc: Option<XmlRow>,
    uasc_flag: String,
    header: Option<XmlRow>,
    header_done: bool,
    record: Option<XmlRow>,
    /// Rows met before the HEADER was complete (they need its CHILDID).
    pending: Vec<XmlRow>,
    start: u64,
}

/// Reads the whole return into the loader. Returns the file's SHA-256, or
/// `None` when the file could not be read to the end.
pub fn read<W: ReturnWriter>(source: Source, file: &str, loader: &mut Loader<W>) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(source);
    reader.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut line: u64 = 1;
    let mut stack: Vec<Elem> = Vec::new();
    let mut child = ChildState::default();
    let mut seen_root = false;
    loop {
        if loader.should_stop() {
            return None;
        }
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                loader
                    .problems
                    .push(file, line, WHOLE_FILE, &e.to_string(), "well-formed XML");
                return None;
            }
        };
        let here = line;
        line += newlines_in(&event);
        match event {
            Event::Start(e) => {
                let name = e.local_name();
                let tag = name.as_ref().as_bytes();
                let parent = stack.last().copied();
                let elem = match parent {
                    None => {
                        if !tag.eq_ignore_ascii_case(b"EXPSSDA903") {
                            let shown = String::from_utf8_lossy(tag);
                            // `< x>` has no name; the problem still names
                            // a column.
                            let column = if shown.is_empty() {
                                ROOT_ELEMENT
                            } else {
                                &shown
                            };
                            loader.problems.push(
                                file,
                                here,
                                column,
                                &shown,
                                "the root element EXPSSDA903 of the SSDA903 return",
                            );
                            return None;
                        }
                        seen_root = true;
                        Elem::Root
                    }
                    Some(Elem::Root) if tag.eq_ignore_ascii_case(b"CHILD") => {
                        child = ChildState {
                            start: here,
                            ..ChildState::default()
                        };
                        Elem::Child
                    }
                    Some(Elem::Child) if tag.eq_ignore_ascii_case(b"HEADER") => {
                        if child.header.is_some() {
                            loader.problems.push(
                                file,
                                here,
                                "HEADER",
                                "HEADER",
                                "one HEADER in each CHILD",
                            );
                            Elem::Ignored
                        } else {
                            child.header = Some(XmlRow::new(Table::Header, here));
                            Elem::Header
                        }
                    }
                    Some(Elem::Child) if tag.eq_ignore_ascii_case(b"EPISODE") => {
                        child.record = Some(XmlRow::new(Table::Episodes, here));
                        Elem::Record
                    }
                    Some(Elem::Header) if tag.eq_ignore_ascii_case(b"AREVIEW") => {
                        child.record = Some(XmlRow::new(Table::Reviews, here));
                        Elem::Record
                    }
                    Some(Elem::Header) if tag.eq_ignore_ascii_case(b"AD_PLACED") => {
                        child.record = Some(XmlRow::new(Table::PlacedAdoption, here));
                        Elem::Record
                    }
                    Some(Elem::Header) if tag.eq_ignore_ascii_case(b"AMISSING") => {
                        child.record = Some(XmlRow::new(Table::Missing, here));
                        Elem::Record
                    }
                    Some(Elem::Header) if tag.eq_ignore_ascii_case(b"PERMANENCE") => {
                        child.record = Some(XmlRow::new(Table::PrevPerm, here));
                        Elem::Record
                    }
                    Some(Elem::Header) => match child.header.as_mut() {
                        Some(h) => match h.column_of(tag) {
                            Some(col) => {
                                h.lines[col] = here;
                                Elem::Leaf(Target::Header, col)
                            }
                            None => header_extra(&mut child, tag, here),
                        },
                        None => Elem::Ignored,
                    },
                    Some(Elem::Record) => match child.record.as_mut() {
                        // CHILD and DOB of a sub-record come from HEADER.
                        Some(r) => match r
                            .column_of(tag)
                            .filter(|&c| !matches!(r.table.columns()[c], "CHILD" | "DOB"))
                        {
                            Some(col) => {
                                r.lines[col] = here;
                                Elem::Leaf(Target::Record, col)
                            }
                            None => Elem::Ignored,
                        },
                        None => Elem::Ignored,
                    },
                    Some(_) => Elem::Ignored,
                };
                stack.push(elem);
            }
            Event::Text(t) => {
                // quick-xml hands text over as UTF-8 (a file that is not is
                // an error of the reader, below).
                if let Some(&Elem::Leaf(target, col)) = stack.last() {
                    append(&mut child, target, col, &t);
                }
            }
            Event::CData(t) => {
                if let Some(&Elem::Leaf(target, col)) = stack.last() {
                    append(&mut child, target, col, &t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(&Elem::Leaf(target, col)) = stack.last() {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match &*r {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    match c {
                        Some(c) => append(&mut child, target, col, c.encode_utf8(&mut [0; 4])),
                        None => {
                            loader.problems.push(
                                file,
                                here,
                                WHOLE_FILE,
                                &format!("&{};", &*r),
                                "a known XML entity (&amp; &lt; &gt; &quot; &apos;)",
                            );
                            return None;
                        }
                    }
                }
            }
            Event::End(_) => match stack.pop() {
                Some(Elem::Header) => {
                    child.header_done = true;
                    if let Some(h) = &child.header {
                        loader.row(Table::Header, file, h);
                        // AD1 when DATE_INT has text, UASC when the flag
                        // does (ssda903.md 5.1).
                        let flag = child.uasc_flag.trim();
                        let uasc = (!flag.is_empty() && flag != "0").then(|| {
                            child
                                .uasc
                                .take()
                                .unwrap_or_else(|| XmlRow::new(Table::Uasc, h.start))
                        });
                        let ad1 = child.ad1.take().filter(|r| {
                            r.column_of(b"DATE_INT")
                                .is_some_and(|c| !r.value(c).is_empty())
                        });
                        for mut row in ad1.into_iter().chain(uasc) {
                            row.inherit(h);
                            loader.row(row.table, file, &row);
                        }
                        for mut row in std::mem::take(&mut child.pending) {
                            row.inherit(h);
                            loader.row(row.table, file, &row);
                        }
                    }
                }
                Some(Elem::Record) => {
                    if let Some(mut row) = child.record.take() {
                        match (&child.header, child.header_done) {
                            (Some(h), true) => {
                                row.inherit(h);
                                loader.row(row.table, file, &row);
                            }
                            _ => child.pending.push(row),
                        }
                    }
                }
                Some(Elem::Child) => {
                    if !child.header_done {
                        loader.problems.push(
                            file,
                            child.start,
                            "CHILD",
                            "",
                            "a HEADER element (with CHILDID) in each CHILD",
                        );
                    }
                    child = ChildState::default();
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        loader.problems.push(
            file,
            line,
            WHOLE_FILE,
            "",
            "the root element EXPSSDA903 of the SSDA903 return",
        );
        return None;
    }
    source::finish(reader.into_inner()).ok()
}

fn append(child: &mut ChildState, target: Target, col: usize, text: &str) {
    let row = match target {
        Target::Header => child.header.as_mut(),
        Target::Record => child.record.as_mut(),
        Target::Ad1 => child.ad1.as_mut(),
        Target::Uasc => child.uasc.as_mut(),
        Target::UascFlag => {
            if child.uasc_flag.len() < MAX_KEPT_BYTES {
                child.uasc_flag.push_str(text);
            }
            return;
        }
    };
    if let Some(value) = row.and_then(|r| r.values.get_mut(col))
        && value.len() < MAX_KEPT_BYTES
    {
        value.push_str(text);
    }
}

/// A HEADER leaf that is not a Header column: one of AD1's, UASC's flag or
/// its `DUC`; anything else (OC3's, ...) is passed over.
fn header_extra(child: &mut ChildState, tag: &[u8], here: u64) -> Elem {
    if tag.eq_ignore_ascii_case(b"UASC") {
        return Elem::Leaf(Target::UascFlag, 0);
    }
    for (table, target) in [(Table::Uasc, Target::Uasc), (Table::Ad1, Target::Ad1)] {
        let slot = match target {
            Target::Uasc => &mut child.uasc,
            _ => &mut child.ad1,
        };
        let row = slot.get_or_insert_with(|| XmlRow::new(table, here));
        if let Some(col) = row
            .column_of(tag)
            .filter(|&c| !matches!(table.columns()[c], "CHILD" | "DOB" | "SEX"))
        {
            row.lines[col] = here;
            return Elem::Leaf(target, col);
        }
    }
    Elem::Ignored
}

/// Line breaks inside an event: every byte of the document except the
/// markup delimiters belongs to some event, so the sum is the line count.
fn newlines_in(event: &Event<'_>) -> u64 {
    event.bytes().filter(|&b| b == b'\n').count() as u64
}
