//! A spreadsheet cell as the administrator sees it.

use calamine::Data;

use super::excel_date::excel_date;
use crate::rules::dates::dmy;

/// A cell as the administrator sees it, trimmed; whole numbers without ".0"
/// (a numeric child id is 1234, not 1234.0).
pub fn cell_text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d).map_or_else(|| d.as_f64().to_string(), dmy),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_child_ids_read_without_a_decimal_point() {
        assert_eq!(cell_text(&Data::Float(1234.0)), "1234");
        assert_eq!(cell_text(&Data::String(" C1 ".into())), "C1");
    }
}
