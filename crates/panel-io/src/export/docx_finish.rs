//! What docx-rs cannot say, added to its packed document before it is
//! written: every table's first row repeats at the top of each page
//! (`w:tblHeader`), every picture carries its alt text (`wp:docPr descr`),
//! and the document properties give the title, the panel as author and
//! the real time of writing (docx-rs would write "unknown" and 1970).

use std::io::{Cursor, Read, Seek, Write};

use chrono::NaiveDateTime;

/// The properties every Word file we write carries.
#[derive(Debug, Clone, Copy)]
pub struct DocxProperties<'a> {
    pub title: &'a str,
    /// The panel, as the author and last to modify it.
    pub author: &'a str,
    /// When it was written, in local time (the program's clock).
    pub written: NaiveDateTime,
}

/// Rewrites the packed document `packed` with repeated header rows, the
/// pictures' alt texts (in the order the pictures appear) and `props`,
/// and writes it to `out`.
pub fn finish<W: Write + Seek>(
    packed: &[u8],
    props: &DocxProperties<'_>,
    alt_texts: &[String],
    out: W,
) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(packed)).map_err(|e| e.to_string())?;
    let mut writer = zip::ZipWriter::new(out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.into_owned();
        if entry.is_dir() {
            writer
                .add_directory(name, options)
                .map_err(|e| e.to_string())?;
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        let bytes = match name.as_str() {
            "word/document.xml" => {
                let xml = String::from_utf8(bytes).map_err(|e| e.to_string())?;
                with_alt_texts(&with_header_rows(&xml), alt_texts).into_bytes()
            }
            "docProps/core.xml" => core_properties(props).into_bytes(),
            _ => bytes,
        };
        writer
            .start_file(name, options)
            .map_err(|e| e.to_string())?;
        writer.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    writer.finish().map_err(|e| e.to_string())?;
    Ok(())
}

/// Marks the first row of every table as its header row, which Word and
/// LibreOffice repeat at the top of each page the table runs onto. Every
/// table we write has a header row with its own properties (`cantSplit`).
pub fn with_header_rows(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + 64);
    let mut rest = xml;
    while let Some(at) = rest.find("<w:tbl>") {
        let (before, table) = rest.split_at(at);
        out.push_str(before);
        match table.find("<w:trPr>") {
            Some(pr) => {
                let end = pr + "<w:trPr>".len();
                out.push_str(&table[..end]);
                out.push_str("<w:tblHeader />");
                rest = &table[end..];
            }
            None => {
                out.push_str(table);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Gives each picture its alt text, in order.
fn with_alt_texts(xml: &str, alt_texts: &[String]) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut texts = alt_texts.iter();
    let mut rest = xml;
    while let Some(at) = rest.find("<wp:docPr ") {
        let end = at + "<wp:docPr ".len();
        out.push_str(&rest[..end]);
        if let Some(text) = texts.next() {
            out.push_str(&format!("descr=\"{}\" ", escape_attribute(text)));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\n', " ")
}

fn core_properties(props: &DocxProperties<'_>) -> String {
    // The program's clock is local time; the property is in UTC.
    let utc = chrono::TimeZone::from_local_datetime(&chrono::Local, &props.written)
        .earliest()
        .map_or(props.written, |t| t.naive_utc());
    let when = utc.format("%Y-%m-%dT%H:%M:%SZ");
    let title = escape_attribute(props.title);
    let author = escape_attribute(props.author);
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>",
            "<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:keywords>{marking}</cp:keywords>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>"#,
            "<cp:revision>1</cp:revision></cp:coreProperties>"
        ),
        title = title,
        author = author,
        marking = super::print::MARKING,
        when = when,
    )
}

/// Reads one part of a packed document as text (for tests and checks).
pub fn part<R: Read + Seek>(docx: R, name: &str) -> Option<String> {
    let mut archive = zip::ZipArchive::new(docx).ok()?;
    let mut entry = archive.by_name(name).ok()?;
    let mut text = String::new();
    entry.read_to_string(&mut text).ok()?;
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_row_of_each_table_and_no_other_is_a_header_row() {
        let xml = "<w:body><w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl><w:p/><w:tbl><w:tr><w:trPr></w:trPr></w:tr></w:tbl></w:body>";
        let done = with_header_rows(xml);
        assert_eq!(done.matches("<w:tblHeader />").count(), 2, "{done}");
        assert!(done.starts_with(
            "<w:body><w:tbl><w:tr><w:trPr><w:tblHeader /><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit />"
        ));
    }

    #[test]
    fn pictures_get_their_alt_texts_in_order_escaped() {
        let xml = r#"<wp:docPr id="1" name="Figure" /><x/><wp:docPr id="2" name="Figure" />"#;
        let done = with_alt_texts(xml, &["Bar chart: A & B".into(), "Line \"chart\"".into()]);
        assert_eq!(
            done,
            r#"<wp:docPr descr="Bar chart: A &amp; B" id="1" name="Figure" /><x/><wp:docPr descr="Line &quot;chart&quot;" id="2" name="Figure" />"#
        );
    }
}
