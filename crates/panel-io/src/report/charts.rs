//! The report's charts as PNG pictures for the Word document, drawn with
//! `plotters` on an in-memory bitmap. Text uses DejaVu Sans, embedded in
//! the binary (`assets/fonts`, Bitstream Vera licence), so the charts come
//! out the same on a machine with no fonts installed.

use std::sync::OnceLock;

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartKind, Table, number};

/// The picture's width in pixels. It is shown across the text width of the
/// page (17 cm), so a pixel is about a quarter of a point and the text
/// sizes below print at about 11 and 13 point, as the text around them.
pub const WIDTH: u32 = 2000;
/// The height of a line chart's plot (a bar chart's grows with its rows),
/// before the legend under it.
const PLOT_HEIGHT: u32 = 1000;
/// Axis labels, bar values and the legend.
const TEXT_SIZE: u32 = 46;
const TITLE_SIZE: u32 = 56;
/// A legend line: the text and a little air.
const LEGEND_LINE: u32 = 66;
/// The sample line (and marker) in front of each legend entry.
const LEGEND_SAMPLE: i32 = 100;

const FONT: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");

/// The Okabe-Ito palette, which stays apart for readers with any common
/// colour-vision deficiency (and in the same order in the Excel charts).
/// Each series also has its own marker and dash, so it can be told from
/// the others in a black-and-white print.
pub const PALETTE: &[u32] = &[
    0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7, 0x56B4E9, 0xD55E00, 0xF0E442, 0x000000,
];

fn colour(i: usize) -> RGBColor {
    let rgb = PALETTE[i % PALETTE.len()];
    RGBColor((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8)
}

/// The marker drawn at each point of a line series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
    Cross,
}

/// The marker of the `i`th series.
pub fn marker(i: usize) -> Marker {
    const ORDER: [Marker; 6] = [
        Marker::Circle,
        Marker::Square,
        Marker::Triangle,
        Marker::Diamond,
        Marker::TriangleDown,
        Marker::Cross,
    ];
    ORDER[i % ORDER.len()]
}

/// Whether the `i`th line series is dashed (every other one).
pub fn dashed(i: usize) -> bool {
    i % 2 == 1
}

/// Whether the `j`th bar series is hatched rather than solid (every other
/// one, as the Excel charts too).
pub fn hatched(j: usize) -> bool {
    !j.is_multiple_of(2)
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

/// The text's width in pixels at `size`, in the embedded font.
fn text_width(text: &str, size: u32) -> u32 {
    (FONT, size)
        .into_font()
        .box_size(text)
        .map(|(w, _)| w)
        // Should the font fail, a generous guess keeps the layout apart.
        .unwrap_or(text.chars().count() as u32 * size * 6 / 10)
}

/// A top for the value axis a little above the largest value, so the
/// highest line or bar (and its value) does not touch the frame; 1 when
/// all are 0.
fn axis_top(table: &Table) -> f64 {
    let max = table
        .rows
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0_f64, f64::max);
    if max <= 0.0 { 1.0 } else { max * 1.15 }
}

/// How many labels the value axis may have: no more than its whole
/// numbers, so a small axis (0 to 1 when all are 0) is not labelled "0 0 0
/// 1 1" with fractions rounded; at most 11.
fn value_labels(table: &Table) -> usize {
    (axis_top(table).floor() as usize + 1).clamp(2, 11)
}

/// The legend's grid under the plot: as many columns as fit across, each
/// as wide as its own widest entry, filled row by row.
struct LegendLayout {
    column_widths: Vec<u32>,
    height: u32,
}

impl LegendLayout {
    fn columns(&self) -> u32 {
        self.column_widths.len().max(1) as u32
    }
}

fn legend_layout(table: &Table) -> LegendLayout {
    let k = table.columns.len();
    if k < 2 {
        return LegendLayout {
            column_widths: vec![WIDTH],
            height: 0,
        };
    }
    let entry_widths: Vec<u32> = table
        .columns
        .iter()
        .map(|c| LEGEND_SAMPLE as u32 + 20 + text_width(c, TEXT_SIZE) + 50)
        .collect();
    let widths_for = |columns: usize| -> Vec<u32> {
        (0..columns)
            .map(|i| {
                entry_widths
                    .iter()
                    .skip(i)
                    .step_by(columns)
                    .copied()
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    };
    let column_widths = (1..=k)
        .rev()
        .map(widths_for)
        .find(|w| w.iter().sum::<u32>() <= WIDTH - 40)
        .unwrap_or_else(|| widths_for(1));
    let lines = (k as u32).div_ceil(column_widths.len().max(1) as u32);
    LegendLayout {
        column_widths,
        height: lines * LEGEND_LINE + 40,
    }
}

/// A bar chart's row labels, wrapped to lines no wider than a third of
/// the picture.
fn wrapped(label: &str) -> Vec<String> {
    let limit = WIDTH / 3;
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), TEXT_SIZE) <= limit => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// The height of one row's group of bars: room for its wrapped label and
/// for each series' bar and value.
fn bar_band(table: &Table) -> u32 {
    let most_lines = table
        .rows
        .iter()
        .map(|(l, _)| wrapped(l).len() as u32)
        .max()
        .unwrap_or(1);
    let for_label = most_lines * (TEXT_SIZE + 8) + 30;
    let for_bars = table.columns.len().max(1) as u32 * (TEXT_SIZE + 14) + 40;
    for_label.max(for_bars)
}

/// The picture's size in pixels: the width is fixed, the height fits the
/// rows of a bar chart and the legend.
pub fn size(table: &Table, kind: ChartKind) -> (u32, u32) {
    let plot = match kind {
        ChartKind::Line => PLOT_HEIGHT,
        // Title, axis labels and margins, then the bands.
        ChartKind::Bar => 260 + bar_band(table) * table.rows.len().max(1) as u32,
    };
    (WIDTH, plot + legend_layout(table).height)
}

/// The table's chart as a PNG file's bytes, of [`size`].
pub fn png(table: &Table, kind: ChartKind) -> Result<Vec<u8>, ChartError> {
    let fail = |message: String| ChartError {
        title: table.title.clone(),
        message,
    };
    register_font().map_err(fail)?;
    let (width, height) = size(table, kind);
    let mut rgb = vec![0u8; (width * height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        let legend_height = legend_layout(table).height;
        let (plot, legend) = root.split_vertically(height - legend_height);
        let drawn = match kind {
            ChartKind::Line => draw_line(&plot, table),
            ChartKind::Bar => draw_bars(&plot, table),
        }
        .and_then(|()| draw_legend(&legend, table, kind));
        drawn.map_err(fail)?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
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

fn drawing_error<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> String {
    e.to_string()
}

/// The series' marker at a point, in pixels.
fn draw_marker(area: &Area, shape: Marker, (x, y): (i32, i32), c: RGBColor) -> Result<(), String> {
    const R: i32 = 13;
    let fill = c.filled();
    match shape {
        Marker::Circle => area.draw(&Circle::new((x, y), R, fill)),
        Marker::Square => area.draw(&Rectangle::new([(x - R, y - R), (x + R, y + R)], fill)),
        Marker::Triangle => area.draw(&Polygon::new(
            vec![(x, y - R - 3), (x - R - 2, y + R), (x + R + 2, y + R)],
            fill,
        )),
        Marker::TriangleDown => area.draw(&Polygon::new(
            vec![(x, y + R + 3), (x - R - 2, y - R), (x + R + 2, y - R)],
            fill,
        )),
        Marker::Diamond => area.draw(&Polygon::new(
            vec![
                (x, y - R - 4),
                (x + R + 4, y),
                (x, y + R + 4),
                (x - R - 4, y),
            ],
            fill,
        )),
        Marker::Cross => {
            let stroke = c.stroke_width(7);
            area.draw(&PathElement::new(
                vec![(x - R, y - R), (x + R, y + R)],
                stroke,
            ))
            .and_then(|()| {
                area.draw(&PathElement::new(
                    vec![(x - R, y + R), (x + R, y - R)],
                    stroke,
                ))
            })
        }
    }
    .map_err(drawing_error)
}

/// A series' line through pixel points, solid or dashed.
fn draw_path(area: &Area, points: Vec<(i32, i32)>, i: usize) -> Result<(), String> {
    let style = colour(i).stroke_width(6);
    if dashed(i) {
        area.draw(&DashedPathElement::new(points, 28, 16, style))
    } else {
        area.draw(&PathElement::new(points, style))
    }
    .map_err(drawing_error)
}

/// One line per column, the rows (dates) along the bottom.
fn draw_line(area: &Area, table: &Table) -> Result<(), String> {
    let n = table.rows.len();
    let x_max = n.saturating_sub(1).max(1) as f64;
    // Room at the right for half the last date, centred under its point.
    let widest = table
        .rows
        .iter()
        .map(|(l, _)| text_width(l, TEXT_SIZE))
        .max()
        .unwrap_or(0) as i32;
    let mut chart = ChartBuilder::on(area)
        .caption(&table.title, (FONT, TITLE_SIZE))
        .margin(30)
        .margin_right(widest / 2 + 20)
        .x_label_area_size(80)
        .y_label_area_size(140)
        .build_cartesian_2d(-0.3..x_max + 0.3, 0.0..axis_top(table))
        .map_err(drawing_error)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225).stroke_width(2))
        .axis_style(BLACK.stroke_width(2))
        .x_labels(0)
        .y_labels(value_labels(table))
        .y_desc("Children")
        .axis_desc_style((FONT, TEXT_SIZE))
        .label_style((FONT, TEXT_SIZE))
        .y_label_formatter(&|v| number(v.round()))
        .draw()
        .map_err(drawing_error)?;
    for j in 0..table.columns.len() {
        let points: Vec<(i32, i32)> = table
            .rows
            .iter()
            .enumerate()
            .map(|(i, (_, v))| chart.backend_coord(&(i as f64, v.get(j).copied().unwrap_or(0.0))))
            .collect();
        draw_path(area, points.clone(), j)?;
        for p in points {
            draw_marker(area, marker(j), p, colour(j))?;
        }
    }
    // Dates along the bottom, thinned so that no two overlap.
    let spacing = if n > 1 {
        chart.backend_coord(&(1.0, 0.0)).0 - chart.backend_coord(&(0.0, 0.0)).0
    } else {
        widest + 40
    };
    let step = ((widest + 40) / spacing.max(1) + 1).max(1) as usize;
    for (i, (label, _)) in table.rows.iter().enumerate() {
        // Every step-th date counted back from the last, so the end date shows.
        if !(n - 1 - i).is_multiple_of(step) {
            continue;
        }
        let (x, y) = chart.backend_coord(&(i as f64, 0.0));
        area.draw(&Text::new(
            label.clone(),
            (x, y + 14),
            text_style(TEXT_SIZE, Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(drawing_error)?;
    }
    Ok(())
}

/// The legend under the plot: each series' line and marker (a line chart)
/// or swatch (a bar chart), then its name.
fn draw_legend(area: &Area, table: &Table, kind: ChartKind) -> Result<(), String> {
    let layout = legend_layout(table);
    if layout.height == 0 {
        return Ok(());
    }
    let used: u32 = layout.column_widths.iter().sum();
    let left = (WIDTH.saturating_sub(used) / 2) as i32;
    let columns = layout.columns();
    for (j, name) in table.columns.iter().enumerate() {
        let j32 = j as u32;
        let column = (j32 % columns) as usize;
        let x = left + layout.column_widths[..column].iter().sum::<u32>() as i32;
        let y = 20 + ((j32 / columns) * LEGEND_LINE) as i32 + LEGEND_LINE as i32 / 2;
        match kind {
            ChartKind::Line => {
                draw_path(area, vec![(x, y), (x + LEGEND_SAMPLE, y)], j)?;
                draw_marker(area, marker(j), (x + LEGEND_SAMPLE / 2, y), colour(j))?;
            }
            ChartKind::Bar => {
                draw_bar(
                    area,
                    [(x + 20, y - 18), (x + LEGEND_SAMPLE - 20, y + 18)],
                    j,
                )?;
            }
        }
        area.draw(&Text::new(
            name.clone(),
            (x + LEGEND_SAMPLE + 20, y),
            text_style(TEXT_SIZE, Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(drawing_error)?;
    }
    Ok(())
}

/// A bar in pixels: the first series solid, the second hatched and so on,
/// so two series differ in black and white too.
fn draw_bar(area: &Area, [(x0, y0), (x1, y1)]: [(i32, i32); 2], j: usize) -> Result<(), String> {
    let c = colour(j);
    if !hatched(j) {
        return area
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], c.filled()))
            .map_err(drawing_error);
    }
    // Diagonal hatching clipped to the bar, inside an outline.
    let (left, right, top, bottom) = (x0.min(x1), x0.max(x1), y0.min(y1), y0.max(y1));
    let gap = 14;
    let mut start = left - (bottom - top);
    while start < right {
        // The line x - start = bottom - y, from the bottom edge up and right.
        let from_y = bottom - (left.max(start) - start);
        let from = (left.max(start), from_y.min(bottom));
        let to_x = (start + (bottom - top)).min(right);
        let to = (to_x, bottom - (to_x - start));
        if from.0 <= to.0 {
            area.draw(&PathElement::new(vec![from, to], c.stroke_width(4)))
                .map_err(drawing_error)?;
        }
        start += gap;
    }
    area.draw(&Rectangle::new(
        [(left, top), (right, bottom)],
        c.stroke_width(4),
    ))
    .map_err(drawing_error)
}

/// Horizontal bars, one group per row (labels can be long, and wrap), one
/// bar per column in each group, the value written at the bar's end.
fn draw_bars(area: &Area, table: &Table) -> Result<(), String> {
    let n = table.rows.len().max(1);
    let k = table.columns.len().max(1);
    let labels: Vec<Vec<String>> = table.rows.iter().map(|(l, _)| wrapped(l)).collect();
    let label_width = labels
        .iter()
        .flatten()
        .map(|l| text_width(l, TEXT_SIZE))
        .max()
        .unwrap_or(0)
        + 40;
    // Room at the right for the longest value written past its bar.
    let value_room = table
        .rows
        .iter()
        .flat_map(|(_, v)| v.iter())
        .map(|v| text_width(&number(*v), TEXT_SIZE))
        .max()
        .unwrap_or(0)
        + 40;
    let mut chart = ChartBuilder::on(area)
        .caption(&table.title, (FONT, TITLE_SIZE))
        .margin(30)
        .margin_right(30 + value_room)
        .x_label_area_size(80)
        .y_label_area_size(label_width.clamp(120, WIDTH / 2))
        .build_cartesian_2d(0.0..axis_top(table), -0.5..(n as f64 - 0.5))
        .map_err(drawing_error)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225).stroke_width(2))
        .axis_style(BLACK.stroke_width(2))
        .y_labels(0)
        .x_labels(value_labels(table))
        .label_style((FONT, TEXT_SIZE))
        .x_label_formatter(&|v| number(v.round()))
        .draw()
        .map_err(drawing_error)?;
    let band = 0.8 / k as f64;
    for j in 0..table.columns.len() {
        for (i, (_, v)) in table.rows.iter().enumerate() {
            let value = v.get(j).copied().unwrap_or(0.0);
            // The first row at the top.
            let top = (n - 1 - i) as f64 + 0.4 - j as f64 * band;
            let bottom = top - band;
            let corner0 = chart.backend_coord(&(0.0, top));
            let corner1 = chart.backend_coord(&(value, bottom));
            if corner1.0 > corner0.0 {
                draw_bar(area, [corner0, corner1], j)?;
            }
            let (x, y) = chart.backend_coord(&(value, (top + bottom) / 2.0));
            area.draw(&Text::new(
                number(value),
                (x + 12, y),
                text_style(TEXT_SIZE, Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(drawing_error)?;
        }
    }
    let line_height = (TEXT_SIZE + 8) as i32;
    for (i, lines) in labels.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(0.0, (n - 1 - i) as f64));
        let first = y - (lines.len() as i32 - 1) * line_height / 2;
        for (l, line) in lines.iter().enumerate() {
            area.draw(&Text::new(
                line.clone(),
                (x - 16, first + l as i32 * line_height),
                text_style(TEXT_SIZE, Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(drawing_error)?;
        }
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
            key: Vec::new(),
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
            assert_eq!((info.width, info.height), size(&table(kind), kind));
            // Not a blank page: some pixels are coloured (bars, lines, text).
            let coloured = pixels
                .chunks(3)
                .filter(|p| p.iter().any(|c| *c < 200))
                .count();
            assert!(coloured > 1000, "{kind:?}: only {coloured} coloured pixels");
        }
    }

    #[test]
    fn six_series_differ_in_colour_and_in_marker_or_dash() {
        let looks: std::collections::BTreeSet<(u32, String, bool)> = (0..6)
            .map(|i| (PALETTE[i], format!("{:?}", marker(i)), dashed(i)))
            .collect();
        assert_eq!(looks.len(), 6);
        let shapes: std::collections::BTreeSet<String> =
            (0..6).map(|i| format!("{:?}", marker(i))).collect();
        assert_eq!(shapes.len(), 6, "each of six series has its own marker");
        // Okabe-Ito's vermillion, not a pure red beside a green.
        assert!(!PALETTE.contains(&0xD62728) && !PALETTE.contains(&0x2CA02C));
    }

    #[test]
    fn a_bar_chart_grows_with_its_rows_and_a_legend_adds_room() {
        let mut t = table(ChartKind::Bar);
        let (_, two_rows) = size(&t, ChartKind::Bar);
        t.rows.push((
            "third, with a label long enough to wrap onto a second line of the chart".into(),
            vec![1.0, 1.0],
        ));
        let (_, three_rows) = size(&t, ChartKind::Bar);
        assert!(three_rows > two_rows);
        let with_legend = size(&t, ChartKind::Line).1;
        t.columns.truncate(1);
        for (_, v) in &mut t.rows {
            v.truncate(1);
        }
        assert!(
            size(&t, ChartKind::Line).1 < with_legend,
            "one series, no legend"
        );
        assert!(png(&t, ChartKind::Bar).is_ok());
    }

    #[test]
    fn an_empty_table_still_draws() {
        let mut t = table(ChartKind::Bar);
        t.rows.clear();
        assert!(png(&t, ChartKind::Bar).is_ok());
        assert!(png(&t, ChartKind::Line).is_ok());
    }
}
