//! Draws a [`ChartSpec`] with plotters' SVG backend and parses the SVG with usvg, so the
//! PDF gets vector shapes and real (selectable) text in the embedded font.
//!
//! The painter does its own layout with the font's real metrics rather than plotters' chart
//! builder: it decides which axis labels fit so none overlap. Everything is drawn at twice
//! the size in points, because plotters' coordinates are whole pixels.

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::{
    Circle, DrawingArea, IntoDrawingArea, IntoFont, PathElement, Polygon, RGBAColor, RGBColor,
    Rectangle, SVGBackend, ShapeStyle, Text,
};
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::fonts::{self, FAMILY, Metrics};
use super::layout::{ACCENT, Color, INK, MUTED, PINK, WHITE};
use crate::ReportError;
use crate::chart::{ChartData, ChartKind, ChartSpec, Series, Unit, XValues};
use crate::format::{compact, count, percent};

/// SVG pixels per PDF point.
const SCALE: f32 = 2.0;
/// plotters writes `font-size` as the requested size divided by this.
const PLOTTERS_FONT_FACTOR: f32 = 1.24;

const LABEL: f32 = 7.0;
const AXIS_TITLE: f32 = 7.4;
const GRID: Color = Color(0xEC, 0xEE, 0xF1);
const AXIS: Color = Color(0xB8, 0xBD, 0xC6);
const HEAT_LOW: Color = Color(0xCF, 0xBF, 0xEC);
const HEAT_HIGH: Color = Color(0x4A, 0x1C, 0x8C);
const HEAT_EMPTY: Color = Color(0xF5, 0xF5, 0xF7);
/// Slots with too few posts to compare.
const HEAT_FEW: Color = Color(0xE6, 0xE0, 0xEF);
const SERIES_COLORS: [Color; 2] = [ACCENT, PINK];

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// The chart as a usvg tree `width` x `height` points large.
pub(crate) fn chart_tree(
    spec: &ChartSpec,
    width: f32,
    height: f32,
    metrics: &Metrics,
) -> Result<usvg::Tree, ReportError> {
    let svg = chart_svg(spec, width, height, metrics)?;
    let options = usvg::Options {
        fontdb: fonts::fontdb()?,
        font_family: FAMILY.to_owned(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(&svg, &options).map_err(|e| ReportError::Chart {
        chart: spec.id.clone(),
        reason: e.to_string(),
    })
}

/// The chart as SVG text.
pub(crate) fn chart_svg(
    spec: &ChartSpec,
    width: f32,
    height: f32,
    metrics: &Metrics,
) -> Result<String, ReportError> {
    let size = (px(width).max(1) as u32, px(height).max(1) as u32);
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let painter = Painter {
            area: &area,
            metrics,
        };
        let painted = match &spec.data {
            ChartData::Series { x, series } => painter.series_chart(spec, x, series, width, height),
            ChartData::Grid {
                rows,
                columns,
                values,
                counts,
                unit,
                min_count,
            } => painter.heatmap(
                &Grid {
                    rows,
                    columns,
                    values,
                    counts,
                    unit: *unit,
                    min_count: *min_count,
                },
                width,
                height,
            ),
        };
        painted
            .and_then(|()| area.present().map_err(|e| e.to_string()))
            .map_err(|reason| ReportError::Chart {
                chart: spec.id.clone(),
                reason,
            })?;
    }
    Ok(svg)
}

fn px(points: f32) -> i32 {
    (points * SCALE).round() as i32
}

fn rgb(color: Color) -> RGBColor {
    RGBColor(color.0, color.1, color.2)
}

fn fill(color: Color) -> ShapeStyle {
    ShapeStyle {
        color: rgb(color).into(),
        filled: true,
        stroke_width: 0,
    }
}

fn stroke(color: Color, width_pt: f32) -> ShapeStyle {
    ShapeStyle {
        color: rgb(color).into(),
        filled: false,
        stroke_width: px(width_pt).max(1) as u32,
    }
}

struct Grid<'a> {
    rows: &'a [String],
    columns: &'a [String],
    values: &'a [Vec<Option<f64>>],
    counts: &'a [Vec<u32>],
    unit: Unit,
    min_count: u32,
}

struct Painter<'a, 'b> {
    area: &'a Area<'b>,
    metrics: &'a Metrics,
}

/// Text placement: horizontal anchor and rotation.
#[derive(Clone, Copy)]
struct Anchor {
    h: HPos,
    rotated: bool,
}

const LEFT: Anchor = Anchor {
    h: HPos::Left,
    rotated: false,
};
const RIGHT: Anchor = Anchor {
    h: HPos::Right,
    rotated: false,
};
const CENTER: Anchor = Anchor {
    h: HPos::Center,
    rotated: false,
};

impl Painter<'_, '_> {
    fn rect(&self, x: f32, y: f32, w: f32, h: f32, color: Color) -> Result<(), String> {
        self.area
            .draw(&Rectangle::new(
                [(px(x), px(y)), (px(x + w), px(y + h))],
                fill(color),
            ))
            .map_err(|e| e.to_string())
    }

    fn line(&self, points: &[(f32, f32)], color: Color, width: f32) -> Result<(), String> {
        let points: Vec<(i32, i32)> = points.iter().map(|(x, y)| (px(*x), px(*y))).collect();
        self.area
            .draw(&PathElement::new(points, stroke(color, width)))
            .map_err(|e| e.to_string())
    }

    /// A dashed line: 3 points on, 2.5 off.
    fn dashed(&self, from: (f32, f32), to: (f32, f32), color: Color) -> Result<(), String> {
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let length = (dx * dx + dy * dy).sqrt();
        if length <= f32::EPSILON {
            return Ok(());
        }
        let mut at = 0.0;
        while at < length {
            let end = (at + 3.0).min(length);
            let point = |d: f32| (from.0 + dx * d / length, from.1 + dy * d / length);
            self.line(&[point(at), point(end)], color, 1.0)?;
            at += 5.5;
        }
        Ok(())
    }

    fn dot(&self, x: f32, y: f32, radius: f32, color: Color) -> Result<(), String> {
        self.area
            .draw(&Circle::new((px(x), px(y)), px(radius), fill(color)))
            .map_err(|e| e.to_string())
    }

    fn polygon(&self, points: &[(f32, f32)], color: Color, opacity: f64) -> Result<(), String> {
        let points: Vec<(i32, i32)> = points.iter().map(|(x, y)| (px(*x), px(*y))).collect();
        let style = ShapeStyle {
            color: RGBAColor(color.0, color.1, color.2, opacity),
            filled: true,
            stroke_width: 0,
        };
        self.area
            .draw(&Polygon::new(points, style))
            .map_err(|e| e.to_string())
    }

    /// Text whose vertical centre is at `y`.
    fn text(
        &self,
        text: &str,
        x: f32,
        y: f32,
        size: f32,
        color: Color,
        anchor: Anchor,
    ) -> Result<(), String> {
        if text.is_empty() {
            return Ok(());
        }
        let color = rgb(color);
        let mut font = (FAMILY, f64::from(size * SCALE * PLOTTERS_FONT_FACTOR)).into_font();
        if anchor.rotated {
            font = font.transform(FontTransform::Rotate270);
        }
        let style = font.color(&color).pos(Pos::new(anchor.h, VPos::Center));
        self.area
            .draw(&Text::new(text, (px(x), px(y)), style))
            .map_err(|e| e.to_string())
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        self.metrics.width(text, size, false)
    }

    fn series_chart(
        &self,
        spec: &ChartSpec,
        x: &XValues,
        series: &[Series],
        width: f32,
        height: f32,
    ) -> Result<(), String> {
        let values: Vec<f64> = series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied())
            .collect();
        let (Some(min), Some(max)) = (
            values.iter().copied().reduce(f64::min),
            values.iter().copied().reduce(f64::max),
        ) else {
            return Ok(());
        };
        let unit = series.first().map_or(Unit::Count, |s| s.unit);
        // Value axes start at zero unless the spec says otherwise (followers: a small change
        // on a large number); then the tick labels say where the axis starts.
        let zoom = spec.kind == ChartKind::Line && !spec.y_axis.from_zero && min > 0.0;
        let low = if zoom { min } else { min.min(0.0) };
        let ticks = nice_ticks(low, max.max(low), 4);
        let (y_low, y_high) = (ticks[0], ticks[ticks.len() - 1]);
        let tick_text = tick_formatter(unit, y_high.abs().max(y_low.abs()));
        let label_width = ticks
            .iter()
            .map(|t| self.width(&tick_text(*t), LABEL))
            .fold(0.0, f32::max);

        let legend = series.len() > 1;
        let n = x.labels.len().max(1);
        // Bars of a short chart carry their values above them: leave room at the top.
        let value_labels = spec.kind == ChartKind::Bar && n <= 12;
        let x0 = 14.0 + label_width + 6.0;
        let x1 = width - 6.0;
        let y0 = if legend { 18.0 } else { 6.0 } + if value_labels { 10.0 } else { 0.0 };
        let y1 = height - 30.0;
        let to_y = |v: f64| {
            y1 - ((v - y_low) / (y_high - y_low).max(f64::MIN_POSITIVE)) as f32 * (y1 - y0)
        };

        for tick in &ticks {
            let y = to_y(*tick);
            let color = if *tick == y_low { AXIS } else { GRID };
            self.line(&[(x0, y), (x1, y)], color, 0.5)?;
            self.text(&tick_text(*tick), x0 - 5.0, y, LABEL, MUTED, RIGHT)?;
        }
        self.text(
            &spec.y_axis.label,
            6.0,
            (y0 + y1) / 2.0,
            AXIS_TITLE,
            MUTED,
            Anchor {
                h: HPos::Center,
                rotated: true,
            },
        )?;
        self.text(
            &spec.x_axis.label,
            (x0 + x1) / 2.0,
            height - 6.0,
            AXIS_TITLE,
            MUTED,
            CENTER,
        )?;

        let slot = (x1 - x0) / n as f32;
        let center = |i: usize| x0 + slot * (i as f32 + 0.5);
        for (i, label) in self.x_labels(x, slot) {
            self.line(&[(center(i), y1), (center(i), y1 + 2.5)], AXIS, 0.5)?;
            self.text(&label, center(i), y1 + 9.0, LABEL, MUTED, CENTER)?;
        }

        // A year of daily bars is thinner than a pixel: drawn as an area, it reads the same.
        let kind = match spec.kind {
            ChartKind::Bar if n > 62 => ChartKind::Line,
            kind => kind,
        };
        match kind {
            ChartKind::Bar => {
                let bar = (slot * 0.66).min(26.0) / series.len() as f32;
                for (s, one) in series.iter().enumerate() {
                    let color = SERIES_COLORS[s % SERIES_COLORS.len()];
                    for (i, value) in one.values.iter().enumerate() {
                        let Some(value) = value else { continue };
                        let left = center(i) - bar * series.len() as f32 / 2.0 + bar * s as f32;
                        let top = to_y(*value);
                        let base = to_y(y_low.max(0.0));
                        self.rect(left, top.min(base), bar, (base - top).abs().max(0.5), color)?;
                        if value_labels {
                            // The exact number when it fits above the bar, else the short form.
                            let exact = count(*value);
                            let text = if self.width(&exact, LABEL) <= slot - 2.0 {
                                exact
                            } else {
                                tick_text(*value)
                            };
                            self.text(&text, left + bar / 2.0, top - 6.0, LABEL, INK, CENTER)?;
                        }
                    }
                }
            }
            ChartKind::Line | ChartKind::Heatmap => {
                for (s, one) in series.iter().enumerate() {
                    let color = SERIES_COLORS[s % SERIES_COLORS.len()];
                    let runs = runs(&one.values);
                    if series.len() == 1 && !zoom {
                        for run in &runs {
                            let mut area: Vec<(f32, f32)> =
                                run.iter().map(|(i, v)| (center(*i), to_y(*v))).collect();
                            if let (Some(first), Some(last)) = (run.first(), run.last()) {
                                area.push((center(last.0), y1));
                                area.push((center(first.0), y1));
                            }
                            self.polygon(&area, color, 0.10)?;
                        }
                    }
                    // Days without a value are bridged by a faint dashed line, so a missing
                    // snapshot reads as missing rather than as a drop.
                    for pair in runs.windows(2) {
                        if let (Some(end), Some(start)) = (pair[0].last(), pair[1].first()) {
                            self.dashed(
                                (center(end.0), to_y(end.1)),
                                (center(start.0), to_y(start.1)),
                                color.lighten(0.45),
                            )?;
                        }
                    }
                    for run in &runs {
                        let points: Vec<(f32, f32)> =
                            run.iter().map(|(i, v)| (center(*i), to_y(*v))).collect();
                        if points.len() > 1 {
                            self.line(&points, color, 1.4)?;
                        }
                        if n <= 45 || points.len() == 1 {
                            for (x, y) in points {
                                self.dot(x, y, 2.1, color)?;
                                self.dot(x, y, 0.9, WHITE)?;
                            }
                        }
                    }
                }
            }
        }

        if legend {
            let mut lx = x0;
            for (s, one) in series.iter().enumerate() {
                let color = SERIES_COLORS[s % SERIES_COLORS.len()];
                self.rect(lx, 4.0, 7.0, 7.0, color)?;
                self.text(&one.name, lx + 10.0, 7.5, LABEL, INK, LEFT)?;
                lx += 10.0 + self.width(&one.name, LABEL) + 14.0;
            }
        }
        Ok(())
    }

    /// The x labels that fit without touching, with their positions.
    fn x_labels(&self, x: &XValues, slot: f32) -> Vec<(usize, String)> {
        let n = x.labels.len();
        if x.unit != Unit::Day {
            return x
                .labels
                .iter()
                .enumerate()
                .map(|(i, label)| (i, fit_width(self.metrics, label, LABEL, slot - 2.0)))
                .collect();
        }
        let days: Vec<Option<NaiveDate>> = x
            .labels
            .iter()
            .map(|l| NaiveDate::parse_from_str(l, "%Y-%m-%d").ok())
            .collect();
        if n > 62 {
            // Months: a label on each first day, if there is room for it.
            let mut labels = Vec::new();
            let mut last_end = f32::MIN;
            for (i, day) in days.iter().enumerate() {
                let Some(day) = day else { continue };
                if day.day() != 1 && i != 0 {
                    continue;
                }
                let text = if day.month() == 1 || i == 0 {
                    day.format("%b %Y").to_string()
                } else {
                    day.format("%b").to_string()
                };
                let w = self.width(&text, LABEL);
                let middle = slot * (i as f32 + 0.5);
                if middle - w / 2.0 > last_end + 6.0 {
                    last_end = middle + w / 2.0;
                    labels.push((i, text));
                }
            }
            return labels;
        }
        let format = if n <= 10 { "%a %-d" } else { "%-d %b" };
        let texts: Vec<String> = days
            .iter()
            .map(|d| d.map(|d| d.format(format).to_string()).unwrap_or_default())
            .collect();
        let widest = texts
            .iter()
            .map(|t| self.width(t, LABEL))
            .fold(0.0, f32::max);
        let step = [1, 2, 7, 14, 28]
            .into_iter()
            .find(|step| *step as f32 * slot >= widest + 6.0)
            .unwrap_or(28);
        texts
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % step == 0)
            .collect()
    }

    fn heatmap(&self, grid: &Grid<'_>, width: f32, height: f32) -> Result<(), String> {
        let short: Vec<String> = grid
            .rows
            .iter()
            .map(|r| r.chars().take(3).collect())
            .collect();
        let label_width = short
            .iter()
            .map(|r| self.width(r, LABEL))
            .fold(0.0, f32::max);
        let gx0 = label_width + 8.0;
        let gx1 = width - 2.0;
        let gy0 = 2.0;
        let gy1 = height - 50.0;
        let columns = grid.columns.len().max(1);
        let rows = grid.rows.len().max(1);
        let cell_w = (gx1 - gx0) / columns as f32;
        let cell_h = (gy1 - gy0) / rows as f32;

        let cell = |r: usize, c: usize| {
            let value = grid
                .values
                .get(r)
                .and_then(|row| row.get(c))
                .copied()
                .flatten();
            let count = grid
                .counts
                .get(r)
                .and_then(|row| row.get(c))
                .copied()
                .unwrap_or(0);
            (value, count)
        };
        // Only slots with enough posts are compared, so only they get a colour from the
        // scale; the others are one pale tint whatever their rate.
        let compared: Vec<f64> = (0..rows)
            .flat_map(|r| (0..columns).map(move |c| (r, c)))
            .filter_map(|(r, c)| match cell(r, c) {
                (Some(v), count) if count >= grid.min_count => Some(v),
                _ => None,
            })
            .collect();
        let low = compared.iter().copied().reduce(f64::min).unwrap_or(0.0);
        let high = compared.iter().copied().reduce(f64::max).unwrap_or(0.0);
        let shade = |v: f64| {
            if high > low {
                ((v - low) / (high - low)) as f32
            } else {
                0.6
            }
        };

        for (r, label) in short.iter().enumerate() {
            let cy = gy0 + cell_h * (r as f32 + 0.5);
            self.text(label, gx0 - 5.0, cy, LABEL, MUTED, RIGHT)?;
            for c in 0..columns {
                let (value, count) = cell(r, c);
                let (color, text_color) = match value {
                    None => (HEAT_EMPTY, INK),
                    Some(_) if count < grid.min_count => (HEAT_FEW, MUTED),
                    Some(v) => {
                        let t = shade(v);
                        let text = if t > 0.5 { WHITE } else { INK };
                        (HEAT_LOW.towards(HEAT_HIGH, t), text)
                    }
                };
                let x = gx0 + cell_w * c as f32;
                let y = gy0 + cell_h * r as f32;
                self.rect(x + 0.7, y + 0.7, cell_w - 1.4, cell_h - 1.4, color)?;
                if count > 0 {
                    self.text(
                        &count.to_string(),
                        x + cell_w / 2.0,
                        y + cell_h / 2.0,
                        6.4,
                        text_color,
                        CENTER,
                    )?;
                }
            }
        }
        let every = if self.width("00", LABEL) + 3.0 <= cell_w {
            1
        } else {
            3
        };
        for (c, label) in grid
            .columns
            .iter()
            .enumerate()
            .filter(|(c, _)| c % every == 0)
        {
            self.text(
                label,
                gx0 + cell_w * (c as f32 + 0.5),
                gy1 + 8.0,
                LABEL,
                MUTED,
                CENTER,
            )?;
        }
        self.text(
            "Hour of the day, your time zone",
            (gx0 + gx1) / 2.0,
            gy1 + 20.0,
            AXIS_TITLE,
            MUTED,
            CENTER,
        )?;

        // Legend: the colour scale of compared slots with its ends (when there are any), then
        // what pale and empty cells mean.
        let ly = height - 12.0;
        let value_text = tick_formatter(grid.unit, high.abs());
        let mut lx = gx0;
        if !compared.is_empty() {
            let caption = "Median engagement rate";
            self.text(caption, lx, ly, LABEL, INK, LEFT)?;
            lx += self.width(caption, LABEL) + 8.0;
            let low_text = value_text(low);
            self.text(&low_text, lx, ly, LABEL, MUTED, LEFT)?;
            lx += self.width(&low_text, LABEL) + 4.0;
            for step in 0..6 {
                self.rect(
                    lx,
                    ly - 4.5,
                    12.0,
                    9.0,
                    HEAT_LOW.towards(HEAT_HIGH, step as f32 / 5.0),
                )?;
                lx += 12.5;
            }
            lx += 3.5;
            let high_text = value_text(high);
            self.text(&high_text, lx, ly, LABEL, MUTED, LEFT)?;
            lx += self.width(&high_text, LABEL) + 16.0;
        }
        self.rect(lx, ly - 4.5, 12.0, 9.0, HEAT_FEW)?;
        let faded = format!("fewer than {} posts: not compared", grid.min_count);
        self.text(&faded, lx + 16.0, ly, LABEL, MUTED, LEFT)?;
        lx += 16.0 + self.width(&faded, LABEL) + 16.0;
        self.rect(lx, ly - 4.5, 12.0, 9.0, HEAT_EMPTY)?;
        self.text("no posts", lx + 16.0, ly, LABEL, MUTED, LEFT)?;
        Ok(())
    }
}

/// Formats the values of one axis alike: percentages for rates; for counts, thousands as
/// `k` (or millions as `M`) on every tick once the largest reaches 10,000.
fn tick_formatter(unit: Unit, largest: f64) -> impl Fn(f64) -> String {
    move |value: f64| {
        let scaled = |divisor: f64, suffix: &str| {
            if value == 0.0 {
                "0".to_owned()
            } else {
                let text = format!("{:.1}", value / divisor);
                format!("{}{suffix}", text.strip_suffix(".0").unwrap_or(&text))
            }
        };
        match unit {
            Unit::Rate => percent(Some(value)),
            _ if largest >= 1_000_000.0 => scaled(1_000_000.0, "M"),
            _ if largest >= 10_000.0 => scaled(1000.0, "k"),
            _ => compact(value),
        }
    }
}

fn fit_width(metrics: &Metrics, text: &str, size: f32, width: f32) -> String {
    super::layout::fit(
        metrics,
        text,
        super::layout::style(size, false, MUTED),
        width,
    )
}

/// Runs of consecutive present values, with their indexes.
fn runs(values: &[Option<f64>]) -> Vec<Vec<(usize, f64)>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for (i, value) in values.iter().enumerate() {
        match value {
            Some(v) => run.push((i, *v)),
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// Round tick values covering `low..=high` with about `target` steps (1, 2, 2.5 or 5 times a
/// power of ten).
pub(crate) fn nice_ticks(low: f64, high: f64, target: usize) -> Vec<f64> {
    let span = if high > low {
        high - low
    } else {
        high.abs().max(1.0)
    };
    let raw = span / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|f| f * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (low / step).floor() * step;
    let mut ticks = vec![first];
    let mut tick = first;
    while tick < high - step * 1e-9 || ticks.len() < 2 {
        tick += step;
        ticks.push(tick);
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            nice_ticks(0.0, 1600.0, 4),
            vec![0.0, 500.0, 1000.0, 1500.0, 2000.0]
        );
        assert_eq!(
            nice_ticks(1000.0, 1050.0, 4),
            vec![1000.0, 1020.0, 1040.0, 1060.0]
        );
        assert_eq!(nice_ticks(0.0, 0.0, 4), vec![0.0, 0.25]);
        assert_eq!(nice_ticks(0.0, 0.08, 4), vec![0.0, 0.02, 0.04, 0.06, 0.08]);
    }

    #[test]
    fn an_axis_formats_all_its_ticks_alike() {
        let thousands = tick_formatter(Unit::Count, 14_000.0);
        let texts: Vec<String> = [0.0, 2500.0, 6000.0, 14_000.0].map(&thousands).to_vec();
        assert_eq!(texts, ["0", "2.5k", "6k", "14k"]);
        assert_eq!(tick_formatter(Unit::Count, 4000.0)(2500.0), "2,500");
        assert_eq!(tick_formatter(Unit::Rate, 0.08)(0.02), "2.0%");
    }

    #[test]
    fn runs_split_at_gaps() {
        let runs = runs(&[Some(1.0), None, Some(2.0), Some(3.0), None]);
        assert_eq!(runs, vec![vec![(0, 1.0)], vec![(2, 2.0), (3, 3.0)]]);
    }
}
