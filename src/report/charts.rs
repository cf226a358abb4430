//! The report's charts as PNG pictures for the Word document, drawn with
//! `plotters` on an in-memory bitmap. Text uses DejaVu Sans, embedded in
//! the binary (`assets/fonts`, Bitstream Vera licence), so the charts come
//! out the same on a machine with no fonts installed.

use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartKind, Table, number};

/// The picture's size in pixels (shown 16 cm wide in the document).
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 640;

const FONT: &str = "sans-serif";
/// The width kept at the right of a bar chart for its key.
const LEGEND_WIDTH: u32 = 160;
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Colours that stay apart in print and for the colour-blind (Tableau 10).
const PALETTE: &[RGBColor] = &[
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart '{title}': {message}")]
pub struct ChartError {
    pub title: String,
    pub message: String,
}

fn register_font() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES)
                .map_err(|_| "the embedded font is not a font".to_owned())
        })
        .clone()
}

/// A top for the value axis a little above the largest value, so the
/// highest line or bar does not touch the frame; 1 when all are 0.
fn axis_top(table: &Table) -> f64 {
    let max = table
        .rows
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0_f64, f64::max);
    if max <= 0.0 { 1.0 } else { max * 1.15 }
}

/// As [`axis_top`], with room above the lines for the legend box in the
/// top left (about 24 pixels a series of a plotting area about 480 high),
/// so no line runs under it.
fn line_axis_top(table: &Table) -> f64 {
    let legend_share = ((table.columns.len() as f64 * 24.0 + 16.0) / 480.0).min(0.6);
    axis_top(table) / 1.15 / (0.95 - legend_share)
}

/// The table's chart as a PNG file's bytes.
pub fn png(table: &Table, kind: ChartKind) -> Result<Vec<u8>, ChartError> {
    let fail = |message: String| ChartError {
        title: table.title.clone(),
        message,
    };
    register_font().map_err(fail)?;
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        let drawn = match kind {
            ChartKind::Line => draw_line(&root, table),
            ChartKind::Bar => draw_bars(&root, table),
        };
        drawn.map_err(fail)?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| fail(e.to_string()))?;
    writer
        .write_image_data(&rgb)
        .map_err(|e| fail(e.to_string()))?;
    writer.finish().map_err(|e| fail(e.to_string()))?;
    Ok(out)
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

fn text_style(size: u32, pos: Pos) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).pos(pos)
}

/// One line per column, the rows (dates) along the bottom.
fn draw_line(root: &Area, table: &Table) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<_>| e.to_string();
    root.fill(&WHITE).map_err(e)?;
    let n = table.rows.len();
    let x_max = n.saturating_sub(1).max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .caption(&table.title, (FONT, 30))
        .margin(24)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.3..x_max + 0.3, 0.0..line_axis_top(table))
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .x_labels(0)
        .y_desc("Children")
        .label_style((FONT, 18))
        .y_label_formatter(&|v| number(v.round()))
        .draw()
        .map_err(e)?;
    for (j, name) in table.columns.iter().enumerate() {
        let c = colour(j);
        let points: Vec<(f64, f64)> = table
            .rows
            .iter()
            .enumerate()
            .map(|(i, (_, v))| (i as f64, v.get(j).copied().unwrap_or(0.0)))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), c.stroke_width(4)))
            .map_err(e)?
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(4)));
        chart
            .draw_series(points.into_iter().map(|p| Circle::new(p, 5, c.filled())))
            .map_err(e)?;
    }
    for (i, (label, _)) in table.rows.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(i as f64, 0.0));
        root.draw(&Text::new(
            label.clone(),
            (x, y + 10),
            text_style(18, Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(e)?;
    }
    chart
        .configure_series_labels()
        .label_font((FONT, 18))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(e)?;
    Ok(())
}

/// Horizontal bars, one group per row (labels can be long), one bar per
/// column in each group, the value written at the bar's end.
fn draw_bars(root: &Area, table: &Table) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<_>| e.to_string();
    root.fill(&WHITE).map_err(e)?;
    let n = table.rows.len().max(1);
    let k = table.columns.len().max(1);
    let longest = table
        .rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    // About 9 pixels a character at 18 px, within reason.
    let label_width = (longest as u32 * 9 + 24).clamp(80, WIDTH / 2);
    // Several series: a key in a right margin of its own, where no bar or
    // value can run under it.
    let key_width = if k > 1 { LEGEND_WIDTH } else { 0 };
    let mut chart = ChartBuilder::on(root)
        .caption(&table.title, (FONT, 30))
        .margin(24)
        .margin_right(24 + key_width)
        .x_label_area_size(40)
        .y_label_area_size(label_width)
        .build_cartesian_2d(0.0..axis_top(table), -0.5..(n as f64 - 0.5))
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(WHITE)
        .y_labels(0)
        .label_style((FONT, 18))
        .x_label_formatter(&|v| number(v.round()))
        .draw()
        .map_err(e)?;
    let band = 0.8 / k as f64;
    for (j, name) in table.columns.iter().enumerate() {
        let c = colour(j);
        // The first row at the top.
        let bars: Vec<(f64, f64, f64)> = table
            .rows
            .iter()
            .enumerate()
            .map(|(i, (_, v))| {
                let centre = (n - 1 - i) as f64;
                let top = centre + 0.4 - j as f64 * band;
                (v.get(j).copied().unwrap_or(0.0), top - band, top)
            })
            .collect();
        chart
            .draw_series(
                bars.iter()
                    .map(|&(v, y0, y1)| Rectangle::new([(0.0, y0), (v, y1)], c.filled())),
            )
            .map_err(e)?;
        if k > 1 {
            let x = (WIDTH - LEGEND_WIDTH) as i32;
            let y = 90 + j as i32 * 30;
            root.draw(&Rectangle::new([(x, y - 8), (x + 18, y + 8)], c.filled()))
                .map_err(e)?;
            root.draw(&Text::new(
                name.clone(),
                (x + 26, y),
                text_style(18, Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(e)?;
        }
        for (v, y0, y1) in bars {
            let (x, y) = chart.backend_coord(&(v, (y0 + y1) / 2.0));
            root.draw(&Text::new(
                number(v),
                (x + 6, y),
                text_style(18, Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(e)?;
        }
    }
    for (i, (label, _)) in table.rows.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(0.0, (n - 1 - i) as f64));
        root.draw(&Text::new(
            label.clone(),
            (x - 10, y),
            text_style(18, Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(e)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(kind: ChartKind) -> Table {
        Table {
            title: "A test chart".into(),
            label_header: "Label".into(),
            columns: vec!["one".into(), "two".into()],
            rows: vec![
                ("first".into(), vec![3.0, 5.0]),
                ("second".into(), vec![0.0, 2.0]),
            ],
            chart: Some(kind),
            definition: String::new(),
        }
    }

    #[test]
    fn both_kinds_make_a_png_of_the_stated_size_with_ink_on_it() {
        for kind in [ChartKind::Line, ChartKind::Bar] {
            let bytes = png(&table(kind), kind).expect("drawn");
            let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
            let mut reader = decoder.read_info().expect("a png");
            let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
            let info = reader.next_frame(&mut pixels).expect("a frame");
            assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
            // Not a blank page: some pixels are coloured (bars, lines, text).
            let coloured = pixels
                .chunks(3)
                .filter(|p| p.iter().any(|c| *c < 200))
                .count();
            assert!(coloured > 1000, "{kind:?}: only {coloured} coloured pixels");
        }
    }

    #[test]
    fn an_empty_table_still_draws() {
        let mut t = table(ChartKind::Bar);
        t.rows.clear();
        assert!(png(&t, ChartKind::Bar).is_ok());
        assert!(png(&t, ChartKind::Line).is_ok());
    }
}
