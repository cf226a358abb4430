//! Dates in a spreadsheet cell: Excel dates, Excel serial numbers (with
//! the 1900 leap-year bug kept out), or text in given formats.

use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
use chrono::NaiveDate;

use super::values::parse_date;

/// A cell as a date: an Excel date, an Excel serial number, or text in
/// the map's formats (by default dd/mm/yyyy or yyyy-mm-dd).
pub fn read_date(data: &Data, formats: &[String]) -> Option<NaiveDate> {
    match data {
        Data::DateTime(d) => excel_date(d),
        Data::Float(f) => serial_date(*f),
        Data::Int(i) => serial_date(*i as f64),
        Data::DateTimeIso(s) => s.get(..10).and_then(parse_date),
        Data::String(s) => {
            let s = s.trim();
            if formats.is_empty() {
                parse_date(s)
            } else {
                formats
                    .iter()
                    .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
            }
        }
        _ => None,
    }
}

/// Whole-day Excel serial numbers from 1 March 1900 (61) to 31/12/9999;
/// earlier serials carry Excel's 1900 leap-year bug and are never a
/// child's date.
pub fn serial_date(value: f64) -> Option<NaiveDate> {
    if !(61.0..2_958_466.0).contains(&value) || value.fract() != 0.0 {
        return None;
    }
    excel_date(&ExcelDateTime::new(
        value,
        ExcelDateTimeType::DateTime,
        false,
    ))
}

pub fn excel_date(d: &ExcelDateTime) -> Option<NaiveDate> {
    if !d.is_datetime() {
        return None;
    }
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_and_text_dates_and_the_1900_bug() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 27);
        // 46353 is 27/11/2026 in Excel's 1900 system.
        assert_eq!(serial_date(46353.0), d);
        assert_eq!(read_date(&Data::Float(46353.0), &[]), d);
        assert_eq!(read_date(&Data::String("27/11/2026".into()), &[]), d);
        assert_eq!(
            read_date(&Data::String("27.11.2026".into()), &["%d.%m.%Y".into()]),
            d
        );
        assert_eq!(read_date(&Data::String("27.11.2026".into()), &[]), None);
        assert_eq!(serial_date(60.0), None, "29/02/1900 never existed");
        assert_eq!(serial_date(46353.5), None, "a time is not a date");
    }
}
