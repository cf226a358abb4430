//! How every workbook we write prints: A4 landscape, one page wide, the
//! heading rows on every page, OFFICIAL-SENSITIVE and the panel's name in the
//! page header and the page number in the footer, and the workbook's
//! properties (title, the panel as author, when it was written). One place,
//! so every workbook a council sends prints the same way.

use chrono::{NaiveDateTime, Timelike};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

/// The protective marking of every document the panel sends out
/// (Government Security Classifications: OFFICIAL, with the SENSITIVE
/// caveat for personal data about children).
pub const MARKING: &str = "OFFICIAL-SENSITIVE";

/// Excel's paper size code for A4.
const A4: u8 = 9;

/// Sets `sheet` up for printing: landscape A4, fit to one page wide (as many
/// pages long as it takes), the first `heading_rows` rows repeated on every
/// page, the marking and `panel` in the header, "Page n of N" and the
/// marking in the footer.
pub fn for_print(sheet: &mut Worksheet, panel: &str, heading_rows: u32) -> Result<(), XlsxError> {
    sheet.set_paper_size(A4);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    if heading_rows > 0 {
        sheet.set_repeat_rows(0, heading_rows - 1)?;
    }
    // `&` starts a code in Excel's header language; a panel's name may hold one.
    let panel = panel.replace('&', "&&");
    sheet.set_header(format!("&L&\"-,Bold\"{MARKING}&R{panel}"));
    sheet.set_footer(format!("&L{MARKING}&CPage &P of &N&R&A"));
    Ok(())
}

/// The workbook's document properties: its title, the panel as author and
/// company, and the real time it was written (not a 1970 default).
pub fn properties(
    workbook: &mut Workbook,
    title: &str,
    panel: &str,
    written: NaiveDateTime,
) -> Result<(), XlsxError> {
    let created = ExcelDateTime::from_ymd(
        u16::try_from(chrono::Datelike::year(&written)).unwrap_or(2000),
        u8::try_from(chrono::Datelike::month(&written)).unwrap_or(1),
        u8::try_from(chrono::Datelike::day(&written)).unwrap_or(1),
    )?
    .and_hms(
        u16::try_from(written.hour()).unwrap_or(0),
        u8::try_from(written.minute()).unwrap_or(0),
        f64::from(written.second()),
    )?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author(panel)
            .set_company(panel)
            .set_keywords(MARKING)
            .set_creation_datetime(&created),
    );
    Ok(())
}
