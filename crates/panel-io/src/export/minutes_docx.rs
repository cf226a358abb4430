//! The meeting's minutes as a Word document, for councils whose minutes go
//! round as .docx: the same content as the Markdown minutes, plus the open
//! actions from earlier meetings ("matters arising"), on A4 with the
//! protective marking in the header and footer.

use panel_core::text::document_text;
use std::io::{Seek, Write};

use docx_rs::{
    AlignmentType, Docx, Footer, Header, LineSpacing, NumPages, PageMargin, PageNum, Paragraph,
    Run, RunFonts, Shading, ShdType, Style, StyleType, Table, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableCellMargins, TableRow, WidthType,
};

use chrono::NaiveDateTime;

use super::docx_finish::{DocxProperties, finish};
use super::minutes::{self, MinutesData, NOT_QUORATE_FLAG};
use crate::model::Meeting;
use crate::store::{Store, StoreError};
use crate::terms::Terms;

/// The protective marking: the minutes name children (by id and initials,
/// or in full with --full-names) and record decisions about their lives.
pub const MARKING: &str = "OFFICIAL-SENSITIVE: contains personal data about children";

/// A4 in twentieths of a point.
const A4_WIDTH: u32 = 11_906;
const A4_HEIGHT: u32 = 16_838;
/// 2 cm margins, so a five-column table still has room.
const MARGIN: i32 = 1_134;
/// 1 cm from the page edge to the marking in the header and footer.
const HEADER_FOOTER_DISTANCE: i32 = 567;
/// The decision's text is indented 1 cm, set off like a quotation, as the
/// Markdown minutes quote it.
const DECISION_INDENT: i32 = 567;
/// Text width between the margins, in twentieths of a point.
pub(crate) const TEXT_WIDTH: usize = (A4_WIDTH as usize) - 2 * (MARGIN as usize);
/// Word's table style for a plain ruled grid.
const TABLE_STYLE: &str = "TableGrid";
/// The paragraph style of the header and footer lines (9 pt), so Word's
/// page number fields match the text around them.
const SMALL_PRINT: &str = "SmallPrint";
/// Header row fill: a light grey that prints well in black and white.
const HEADER_FILL: &str = "D9D9D9";

/// Why the Word minutes could not be written.
#[derive(Debug, thiserror::Error)]
pub enum MinutesDocxError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the Word document: {0}")]
    Write(String),
}

/// Gathers the minutes of `meeting` and writes them as .docx to `out`,
/// children by initials and id; `written` is the document's creation time.
pub fn write<W: Write + Seek>(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
    written: NaiveDateTime,
    out: W,
) -> Result<(), MinutesDocxError> {
    write_with(store, terms, meeting, false, written, out)
}

/// As `write`; with `full_names`, children are named in full where the
/// panel holds their name.
pub fn write_with<W: Write + Seek>(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
    full_names: bool,
    written: NaiveDateTime,
    out: W,
) -> Result<(), MinutesDocxError> {
    let data = minutes::gather_with(store, terms, meeting, full_names)?;
    let mut packed = std::io::Cursor::new(Vec::new());
    build(&data)
        .pack(&mut packed)
        .map_err(|e| MinutesDocxError::Write(e.to_string()))?;
    let title = format!(
        "{}: minutes of {}",
        data.panel_name,
        minutes::dmy(meeting.date)
    );
    let props = DocxProperties {
        title: &title,
        author: &data.panel_name,
        written,
    };
    finish(packed.get_ref(), &props, &[], out).map_err(MinutesDocxError::Write)
}

/// The Word document for gathered minutes: the same record, in the same
/// order, as the Markdown minutes.
pub fn build(data: &MinutesData) -> Docx {
    let mut doc = house_document();
    let meeting = &data.meeting;

    doc = doc.add_paragraph(styled("Title", &format!("{}: minutes", data.panel_name)));
    for (label, value) in minutes::heading_block(data) {
        doc = doc.add_paragraph(labelled(label, &value));
    }

    for (heading, people) in minutes::register_sections(data) {
        doc = doc.add_paragraph(styled("Heading1", heading));
        if people.is_empty() {
            doc = doc.add_paragraph(plain("None."));
        }
        for p in people {
            doc = doc.add_paragraph(plain(&minutes::person(p)));
        }
    }

    doc = doc.add_paragraph(styled("Heading1", "Quorum"));
    doc = doc.add_paragraph(plain(&minutes::quorum_sentence(data)).keep_next(true));
    for place in minutes::quorum_places(data) {
        doc = doc.add_paragraph(plain(&place));
    }

    doc = doc.add_paragraph(styled("Heading1", "Matters arising"));
    if data.matters_arising.is_empty() {
        doc = doc.add_paragraph(plain("No actions from earlier meetings were open."));
    } else {
        doc = doc.add_table(table(
            &["Child", "Action", "Owner", "Set on", "This meeting"],
            &[14, 32, 20, 12, 22],
            data.matters_arising
                .iter()
                .map(|m| {
                    vec![
                        m.child_label.clone(),
                        m.action.text.replace('\n', " "),
                        m.action.owner.clone(),
                        minutes::dmy(m.set_on),
                        m.outcome_words(meeting.date),
                    ]
                })
                .collect(),
        ));
    }

    doc = doc.add_paragraph(styled("Heading1", "Children heard"));
    if data.children.is_empty() {
        doc = doc.add_paragraph(plain("No children were heard."));
    }
    for item in &data.children {
        doc = doc.add_paragraph(styled(
            "Heading2",
            &format!("{}. Child {}", item.position, item.label),
        ));
        if let Some(kind) = &item.item {
            doc = doc.add_paragraph(labelled("Item", kind));
        }
        if !item.reasons.is_empty() {
            doc = doc.add_paragraph(labelled("Listed because", &item.reasons.join(" ")));
        }
        if let Some(p) = &item.presenter {
            doc = doc.add_paragraph(labelled("Presented by", p));
        }
        if let Some(line) = item.declarations_line() {
            doc = doc.add_paragraph(labelled_line(&line));
        }
        match &item.decision {
            Some(d) => {
                let mut heading = Paragraph::new()
                    .keep_next(true)
                    .add_run(Run::new().add_text("Decision").bold())
                    .add_run(Run::new().add_text(format!(
                        " ({})",
                        minutes::recorded_words(d.recorded_at, data.meeting.date)
                    )));
                if !d.quorate {
                    heading = heading
                        .add_run(Run::new().add_text(" "))
                        .add_run(Run::new().add_text(format!("({NOT_QUORATE_FLAG})")).bold());
                }
                doc = doc.add_paragraph(heading);
                // One paragraph per typed line keeps the administrator's layout.
                for line in d.text.lines() {
                    doc = doc.add_paragraph(
                        Paragraph::new()
                            .indent(Some(DECISION_INDENT), None, None, None)
                            .add_run(Run::new().add_text(document_text(line))),
                    );
                }
                if let Some(line) = item.item_quorum_line() {
                    doc = doc.add_paragraph(labelled_line(&line));
                }
                for (label, words) in &item.outcome {
                    doc = doc.add_paragraph(labelled(label, &words.replace('\n', " ")));
                }
            }
            None => doc = doc.add_paragraph(plain("No decision recorded.")),
        }
        if item.actions.is_empty() {
            doc = doc.add_paragraph(plain("No actions set."));
        } else {
            doc = doc.add_table(table(
                &["Action", "Owner", "Deadline"],
                &[54, 30, 16],
                item.actions
                    .iter()
                    .map(|a| {
                        vec![
                            a.text.replace('\n', " "),
                            a.owner.clone(),
                            minutes::dmy(a.deadline),
                        ]
                    })
                    .collect(),
            ));
        }
    }

    if !data.carried_over.is_empty() {
        doc = doc.add_paragraph(styled("Heading1", "Children carried over"));
        for c in &data.carried_over {
            doc = doc.add_paragraph(plain(&format!(
                "{}. Child {}: {}; {}.",
                c.position,
                c.label,
                c.reason.trim_end_matches('.'),
                minutes::carried_to(c)
            )));
        }
    }
    if !data.not_reached.is_empty() {
        doc = doc.add_paragraph(styled("Heading1", "Children on the agenda not reached"));
        for n in &data.not_reached {
            doc = doc.add_paragraph(plain(&format!(
                "{}. Child {}: not reached at this meeting.",
                n.position, n.label
            )));
        }
    }

    doc = doc.add_paragraph(styled("Heading1", "Any other business"));
    if data.other_business.is_empty() {
        doc = doc.add_paragraph(plain(minutes::NO_OTHER_BUSINESS));
    }
    for item in &data.other_business {
        doc = doc.add_paragraph(plain(&item.replace('\n', " ")));
    }
    doc = doc
        .add_paragraph(styled("Heading1", "Next meeting"))
        .add_paragraph(plain(&minutes::next_meeting_words(data)))
        .add_paragraph(styled("Heading1", "Approval"))
        .add_paragraph(plain(&minutes::approval_words(data)));
    if !data.corrections.is_empty() {
        doc = doc.add_paragraph(styled("Heading1", "Corrections"));
        for c in &data.corrections {
            doc = doc.add_paragraph(
                Paragraph::new()
                    .add_run(
                        Run::new()
                            .add_text(format!("{}: ", minutes::correction_by(c)))
                            .bold(),
                    )
                    .add_run(Run::new().add_text(document_text(&c.text.replace('\n', " ")))),
            );
        }
    }

    // The marking again at the end, for copies pasted without the header.
    doc.add_paragraph(marking_paragraph())
}

/// "Chair: Head of Service": the label bold, the value plain.
fn labelled(label: &str, value: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(format!("{label}: ")).bold())
        .add_run(Run::new().add_text(document_text(value)))
}

/// A line the gathered minutes give whole ("Quorum for this item: ..."),
/// its label bold like every other label of the item.
fn labelled_line(line: &str) -> Paragraph {
    match line.split_once(": ") {
        Some((label, value)) => labelled(label, value),
        None => plain(line),
    }
}

/// An empty A4 document in the house style: Arial 11 pt, the title and
/// heading styles, a ruled table style, and the protective marking in the
/// header and footer with "Page N of M" (shared with the panel's reports).
pub(crate) fn house_document() -> Docx {
    Docx::new()
        .page_size(A4_WIDTH, A4_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(HEADER_FOOTER_DISTANCE)
                .footer(HEADER_FOOTER_DISTANCE),
        )
        .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
        .default_size(22)
        .default_line_spacing(LineSpacing::new().after(120))
        .add_style(heading_style("Title", "Title", 32))
        .add_style(heading_style("Heading1", "heading 1", 28).outline_lvl(0))
        .add_style(heading_style("Heading2", "heading 2", 24).outline_lvl(1))
        .add_style(
            Style::new(SMALL_PRINT, StyleType::Paragraph)
                .name("Small print")
                .based_on("Normal")
                .size(18),
        )
        .add_style(
            Style::new(TABLE_STYLE, StyleType::Table)
                .name("Table Grid")
                .width(TEXT_WIDTH, WidthType::Dxa)
                .set_borders(grid_borders()),
        )
        .header(Header::new().add_paragraph(marking_paragraph()))
        .footer(
            Footer::new()
                .add_paragraph(marking_paragraph())
                .add_paragraph(page_of_pages()),
        )
}

/// Half-point black rules on every edge, as Word's "Table Grid" has; set on
/// the table too, for readers that ignore table styles.
pub(crate) fn grid_borders() -> TableBorders {
    [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ]
    .into_iter()
    .fold(TableBorders::new(), |borders, position| {
        borders.set(TableBorder::new(position).size(4).color("000000"))
    })
}

pub(crate) fn heading_style(id: &str, name: &str, half_points: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .size(half_points)
        .bold()
        .line_spacing(LineSpacing::new().before(240).after(120))
}

pub(crate) fn styled(style: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .style(style)
        .keep_next(true)
        .add_run(Run::new().add_text(document_text(text)))
}

pub(crate) fn plain(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(document_text(text)))
}

/// "Page 2 of 5": Word fills the numbers in, so a page lost from a printed
/// copy is noticed.
pub(crate) fn page_of_pages() -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .style(SMALL_PRINT)
        .add_run(Run::new().add_text("Page "))
        .add_page_num(PageNum::new())
        .add_run(Run::new().add_text(" of "))
        .add_num_pages(NumPages::new())
}

pub(crate) fn marking_paragraph() -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .style(SMALL_PRINT)
        .add_run(Run::new().add_text(MARKING).bold())
}

/// A ruled table across the text width: a shaded bold header row, then one
/// row per entry. `percent` gives each column's share of the width.
pub(crate) fn table(headers: &[&str], percent: &[usize], rows: Vec<Vec<String>>) -> Table {
    let layout = TableLayout {
        widths: percent.iter().map(|p| TEXT_WIDTH * p / 100).collect(),
        ..TableLayout::default()
    };
    table_laid_out(headers, &layout, rows)
}

/// How [`table_laid_out`] sets a table: column widths in twentieths of a
/// point, which columns are flush right (numbers, so their digits line
/// up, heading included), and optionally a smaller text and narrower cell
/// padding for a table of many columns.
#[derive(Debug, Clone, Default)]
pub(crate) struct TableLayout {
    pub widths: Vec<usize>,
    pub right_aligned: Vec<bool>,
    pub half_points: Option<usize>,
    pub side_padding: Option<usize>,
}

/// As [`table`], laid out as `layout` says.
pub(crate) fn table_laid_out(
    headers: &[&str],
    layout: &TableLayout,
    rows: Vec<Vec<String>>,
) -> Table {
    let width_of = |i: usize| layout.widths.get(i).copied().unwrap_or(0);
    let sized = |run: Run| match layout.half_points {
        Some(size) => run.size(size),
        None => run,
    };
    let paragraph = |i: usize, run: Run| {
        let p = Paragraph::new().add_run(sized(run));
        if layout.right_aligned.get(i).copied().unwrap_or(false) {
            p.align(AlignmentType::Right)
        } else {
            p
        }
    };
    let header = TableRow::new(
        headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                TableCell::new()
                    .width(width_of(i), WidthType::Dxa)
                    .shading(Shading::new().shd_type(ShdType::Clear).fill(HEADER_FILL))
                    .add_paragraph(paragraph(i, Run::new().add_text(*h).bold()))
            })
            .collect(),
    )
    .cant_split();
    let body = rows.into_iter().map(|cells| {
        TableRow::new(
            cells
                .into_iter()
                .enumerate()
                .map(|(i, text)| {
                    TableCell::new()
                        .width(width_of(i), WidthType::Dxa)
                        .add_paragraph(paragraph(i, Run::new().add_text(document_text(&text))))
                })
                .collect(),
        )
        .cant_split()
    });
    let mut t = Table::new(std::iter::once(header).chain(body).collect())
        .style(TABLE_STYLE)
        .set_borders(grid_borders())
        .set_grid(layout.widths.clone())
        .width(TEXT_WIDTH, WidthType::Dxa);
    if let Some(side) = layout.side_padding {
        t = t.margins(
            TableCellMargins::new()
                .margin_left(side, WidthType::Dxa)
                .margin_right(side, WidthType::Dxa),
        );
    }
    t
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};
    use docx_rs::DocumentChild;

    use super::*;

    fn body_text(doc: &Docx) -> Vec<String> {
        doc.document
            .children
            .iter()
            .filter_map(|c| match c {
                DocumentChild::Paragraph(p) => Some(p.raw_text()),
                _ => None,
            })
            .collect()
    }

    /// The document as Word would read it (docx-rs holds text escaped
    /// until it is written).
    fn round_trip(doc: Docx) -> Docx {
        let mut bytes = std::io::Cursor::new(Vec::new());
        doc.pack(&mut bytes).expect("packed");
        docx_rs::read_docx(bytes.get_ref()).expect("readable")
    }

    fn empty_meeting(terms: &str) -> (Store, Terms, Meeting) {
        let mut store = Store::open_in_memory().expect("store");
        let terms = Terms::load(terms).expect("preset");
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let start = NaiveTime::from_hms_opt(9, 30, 0).expect("time");
        let end = NaiveTime::from_hms_opt(13, 0, 0).expect("time");
        let id = store
            .add_meeting(day, start, end, day.and_time(start))
            .expect("meeting");
        let meeting = store.meeting(id).expect("read").expect("exists");
        (store, terms, meeting)
    }

    #[test]
    fn an_assumed_quorum_is_called_assumed_and_empty_sections_say_so() {
        let (store, terms, meeting) = empty_meeting("telford");
        assert!(terms.quorum.assumed, "the Telford preset's quorum is ours");
        let data = minutes::gather(&store, &terms, &meeting).expect("gather");
        let text = body_text(&round_trip(build(&data)));
        let has = |wanted: &str| text.iter().any(|l| l == wanted);

        // The quorum is said once: the rule, that it is assumed, and that
        // it never held.
        let rule = text
            .iter()
            .find(|l| l.starts_with("The quorum is "))
            .expect("the rule");
        assert!(
            rule.contains(
                "The terms of reference state no quorum; this is the panel's assumed rule."
            ) && rule.ends_with("The meeting was not quorate at any time."),
            "{rule}"
        );
        assert_eq!(
            text.iter().filter(|l| l.contains("quorate")).count(),
            1,
            "{text:?}"
        );
        // The rule names every requirement of the terms.
        for r in &terms.quorum.requirements {
            assert!(rule.contains(&r.label), "{rule} lacks {}", r.label);
            assert!(has(&format!("{}: nobody present", r.label)), "{text:?}");
        }
        assert!(has("No actions from earlier meetings were open."));
        assert!(has("No children were heard."));
        assert!(has("No further meeting is planned yet."));
        assert!(has(
            "Not yet approved: these minutes are a draft until the panel approves them at a later meeting."
        ));
    }

    #[test]
    fn typed_text_with_markup_characters_survives_the_round_trip() {
        let (mut store, terms, meeting) = empty_meeting("wiltshire");
        let at = meeting.date.and_time(meeting.start);
        store
            .set_agenda(
                meeting.id,
                &[("C000123".into(), "referral".into(), vec![])],
                at,
            )
            .expect("agenda");
        let typed = "Carers <Mr & Mrs> keep *both* siblings | review in 6 months";
        store
            .record_decision(meeting.id, "C000123", typed, true, at)
            .expect("decision");
        let mut bytes = std::io::Cursor::new(Vec::new());
        write(&store, &terms, &meeting, at, &mut bytes).expect("written");
        let doc = docx_rs::read_docx(bytes.get_ref()).expect("readable");
        // Word shows what was typed: no Markdown escapes, no broken XML.
        assert!(
            body_text(&doc).iter().any(|l| l == typed),
            "{:?}",
            body_text(&doc)
        );
    }
}
