//! Page layout: a display list per page, a flowing cursor that breaks pages, wrapped
//! paragraphs and tables with measured, never overlapping, columns.

pub(crate) use crate::cells::Align;
use crate::cells::{Cells, Header};

use super::fonts::Metrics;

/// sRGB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Color(pub u8, pub u8, pub u8);

impl Color {
    /// `self` mixed with white; `amount` 0 keeps the colour, 1 gives white.
    pub fn lighten(self, amount: f32) -> Color {
        let mix = |c: u8| (f32::from(c) + (255.0 - f32::from(c)) * amount).round() as u8;
        Color(mix(self.0), mix(self.1), mix(self.2))
    }

    /// The colour `t` of the way from `self` to `other`.
    pub fn towards(self, other: Color, t: f32) -> Color {
        let t = t.clamp(0.0, 1.0);
        let mix = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t).round() as u8;
        Color(
            mix(self.0, other.0),
            mix(self.1, other.1),
            mix(self.2, other.2),
        )
    }
}

pub(crate) const INK: Color = Color(0x1F, 0x23, 0x30);
pub(crate) const MUTED: Color = Color(0x5F, 0x66, 0x75);
pub(crate) const RULE: Color = Color(0xE3, 0xE5, 0xEA);
pub(crate) const ACCENT: Color = Color(0x5B, 0x2A, 0x86);
pub(crate) const ACCENT_SOFT: Color = Color(0xF3, 0xEE, 0xF9);
pub(crate) const PINK: Color = Color(0xD6, 0x29, 0x76);
pub(crate) const UP: Color = Color(0x15, 0x80, 0x3D);
pub(crate) const DOWN: Color = Color(0xB9, 0x1C, 0x1C);
pub(crate) const WHITE: Color = Color(0xFF, 0xFF, 0xFF);
pub(crate) const ZEBRA: Color = Color(0xFA, 0xFA, 0xFC);

/// One drawing operation; y grows downwards, text `y` is the baseline.
pub(crate) enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        color: Color,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Color,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Color,
    },
    Svg {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        tree: Box<usvg::Tree>,
    },
}

#[derive(Default)]
pub(crate) struct Page {
    pub ops: Vec<Op>,
}

/// Text style: size, weight, colour.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub size: f32,
    pub bold: bool,
    pub color: Color,
}

pub(crate) const fn style(size: f32, bold: bool, color: Color) -> Style {
    Style { size, bold, color }
}

/// Draws into one page's display list.
pub(crate) struct Canvas<'a> {
    pub ops: &'a mut Vec<Op>,
    pub metrics: &'a Metrics,
}

impl Canvas<'_> {
    pub fn text(&mut self, x: f32, y: f32, align: Align, style: Style, text: &str) {
        if text.is_empty() {
            return;
        }
        let width = self.metrics.width(text, style.size, style.bold);
        let x = match align {
            Align::Left => x,
            Align::Right => x - width,
            Align::Center => x - width / 2.0,
        };
        self.ops.push(Op::Text {
            x,
            y,
            size: style.size,
            bold: style.bold,
            color: style.color,
            text: text.to_owned(),
        });
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Color) {
        self.ops.push(Op::Rect { x, y, w, h, color });
    }

    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, width: f32, color: Color) {
        self.ops.push(Op::Line {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
            color,
        });
    }

    /// `text` cut with an ellipsis to fit `width`.
    pub fn fit(&self, text: &str, style: Style, width: f32) -> String {
        fit(self.metrics, text, style, width)
    }

    /// Wrapped lines of `text` within `width`.
    pub fn wrap(&self, text: &str, style: Style, width: f32) -> Vec<String> {
        wrap(self.metrics, text, style, width)
    }
}

pub(crate) fn fit(metrics: &Metrics, text: &str, style: Style, width: f32) -> String {
    if metrics.width(text, style.size, style.bold) <= width {
        return text.to_owned();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>().trim_end().to_owned() + "…";
        if metrics.width(&candidate, style.size, style.bold) <= width {
            return candidate;
        }
    }
    String::new()
}

pub(crate) fn wrap(metrics: &Metrics, text: &str, style: Style, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && metrics.width(&candidate, style.size, style.bold) > width {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

pub(crate) fn column(title: &str, share: f32, align: Align) -> Header {
    Header {
        title: title.to_owned(),
        share,
        align,
    }
}

pub(crate) struct Table {
    pub columns: Vec<Header>,
    pub rows: Vec<Vec<String>>,
}

impl From<Cells> for Table {
    fn from(cells: Cells) -> Self {
        Self {
            columns: cells.headers,
            rows: cells.rows,
        }
    }
}

/// A header of one line; each further line of a wrapped header adds [`HEADER_LINE`].
const TABLE_HEADER_H: f32 = 17.0;
const HEADER_LINE: f32 = 8.0;
pub(crate) const TABLE_ROW_H: f32 = 15.0;
const TABLE_TEXT: Style = style(7.6, false, INK);
const TABLE_HEAD: Style = style(6.9, true, MUTED);
const CELL_PAD: f32 = 5.0;

impl Table {
    fn widths(&self, width: f32) -> Vec<f32> {
        let total: f32 = self
            .columns
            .iter()
            .map(|c| c.share)
            .sum::<f32>()
            .max(f32::EPSILON);
        self.columns
            .iter()
            .map(|c| width * c.share / total)
            .collect()
    }

    /// Each header wrapped into its column (two lines at most, the second cut to fit).
    fn header_lines(&self, metrics: &Metrics, width: f32) -> Vec<Vec<String>> {
        self.columns
            .iter()
            .zip(self.widths(width))
            .map(|(column, w)| {
                let inner = w - 2.0 * CELL_PAD;
                let mut lines = wrap(metrics, &column.title, TABLE_HEAD, inner);
                if lines.len() > 2 {
                    let rest = lines[1..].join(" ");
                    lines.truncate(1);
                    lines.push(rest);
                }
                lines
                    .iter()
                    .map(|line| fit(metrics, line, TABLE_HEAD, inner))
                    .collect()
            })
            .collect()
    }

    pub fn header_height(&self, metrics: &Metrics, width: f32) -> f32 {
        let lines = self
            .header_lines(metrics, width)
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(1)
            .max(1);
        TABLE_HEADER_H + HEADER_LINE * (lines - 1) as f32
    }

    /// The height of the whole table at `width`.
    pub fn height(&self, metrics: &Metrics, width: f32) -> f32 {
        self.header_height(metrics, width) + TABLE_ROW_H * self.rows.len() as f32
    }

    /// Draws the header and `rows` at (`x`, `y`); returns the height used.
    pub fn draw_rows(
        &self,
        canvas: &mut Canvas<'_>,
        x: f32,
        y: f32,
        width: f32,
        rows: &[Vec<String>],
    ) -> f32 {
        let widths = self.widths(width);
        let header_h = self.header_height(canvas.metrics, width);
        canvas.rect(x, y, width, header_h, ACCENT_SOFT);
        let mut cx = x;
        for ((column, w), lines) in self
            .columns
            .iter()
            .zip(&widths)
            .zip(self.header_lines(canvas.metrics, width))
        {
            // Headers sit on the header's bottom line, so one-line headers align with the
            // last line of wrapped ones.
            let first = y + 11.2 + (header_h - TABLE_HEADER_H)
                - HEADER_LINE * lines.len().saturating_sub(1) as f32;
            for (i, line) in lines.iter().enumerate() {
                canvas.text(
                    anchor(cx, *w, column.align),
                    first + HEADER_LINE * i as f32,
                    column.align,
                    TABLE_HEAD,
                    line,
                );
            }
            cx += w;
        }
        let mut ry = y + header_h;
        for (index, row) in rows.iter().enumerate() {
            if index % 2 == 1 {
                canvas.rect(x, ry, width, TABLE_ROW_H, ZEBRA);
            }
            let mut cx = x;
            for ((column, w), cell) in self.columns.iter().zip(&widths).zip(row) {
                let text = canvas.fit(cell, TABLE_TEXT, w - 2.0 * CELL_PAD);
                canvas.text(
                    anchor(cx, *w, column.align),
                    ry + 10.3,
                    column.align,
                    TABLE_TEXT,
                    &text,
                );
                cx += w;
            }
            ry += TABLE_ROW_H;
            canvas.hline(x, x + width, ry, 0.4, RULE);
        }
        ry - y
    }

    pub fn draw(&self, canvas: &mut Canvas<'_>, x: f32, y: f32, width: f32) -> f32 {
        self.draw_rows(canvas, x, y, width, &self.rows)
    }
}

fn anchor(x: f32, width: f32, align: Align) -> f32 {
    match align {
        Align::Left => x + CELL_PAD,
        Align::Right => x + width - CELL_PAD,
        Align::Center => x + width / 2.0,
    }
}

/// The page geometry, in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Geometry {
    pub width: f32,
    pub height: f32,
    pub margin_x: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
}

impl Geometry {
    pub fn content_width(&self) -> f32 {
        self.width - 2.0 * self.margin_x
    }
}

/// Content flowing down pages.
pub(crate) struct Flow<'m> {
    /// The pages already full.
    pages: Vec<Page>,
    page: Page,
    pub metrics: &'m Metrics,
    pub geometry: Geometry,
    pub y: f32,
}

impl<'m> Flow<'m> {
    pub fn new(metrics: &'m Metrics, geometry: Geometry) -> Self {
        Self {
            pages: Vec::new(),
            page: Page::default(),
            metrics,
            geometry,
            y: geometry.margin_top,
        }
    }

    pub fn left(&self) -> f32 {
        self.geometry.margin_x
    }

    pub fn width(&self) -> f32 {
        self.geometry.content_width()
    }

    fn bottom(&self) -> f32 {
        self.geometry.height - self.geometry.margin_bottom
    }

    pub fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.page));
        self.y = self.geometry.margin_top;
    }

    /// Starts a new page unless `height` fits below the cursor.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom() && self.y > self.geometry.margin_top {
            self.new_page();
        }
    }

    pub fn canvas(&mut self) -> Canvas<'_> {
        Canvas {
            ops: &mut self.page.ops,
            metrics: self.metrics,
        }
    }

    /// Every page, the current one last.
    pub fn finish(mut self) -> Vec<Page> {
        self.pages.push(self.page);
        self.pages
    }

    pub fn gap(&mut self, height: f32) {
        self.y += height;
    }

    /// A section heading with a rule; kept on the page of at least `keep` points of what
    /// follows.
    pub fn heading(&mut self, title: &str, keep: f32) {
        self.ensure(34.0 + keep);
        if self.y > self.geometry.margin_top {
            self.y += 12.0;
        }
        let (x, w, y) = (self.left(), self.width(), self.y);
        let mut canvas = self.canvas();
        canvas.rect(x, y + 2.0, 3.0, 14.0, PINK);
        canvas.text(
            x + 9.0,
            y + 14.0,
            Align::Left,
            style(13.0, true, INK),
            title,
        );
        canvas.hline(x, x + w, y + 22.0, 0.6, RULE);
        self.y += 32.0;
    }

    /// A small bold title above a block.
    pub fn subheading(&mut self, title: &str, keep: f32) {
        self.ensure(16.0 + keep);
        let (x, y) = (self.left(), self.y);
        self.canvas()
            .text(x, y + 10.0, Align::Left, style(9.5, true, INK), title);
        self.y += 16.0;
    }

    /// A wrapped paragraph across the content width.
    pub fn paragraph(&mut self, text: &str, style: Style) {
        let width = self.width();
        let x = self.left();
        self.paragraph_at(x, width, text, style);
    }

    pub fn paragraph_at(&mut self, x: f32, width: f32, text: &str, style: Style) {
        let leading = style.size * 1.45;
        for line in wrap(self.metrics, text, style, width) {
            self.ensure(leading);
            let y = self.y + style.size;
            self.canvas().text(x, y, Align::Left, style, &line);
            self.y += leading;
        }
    }

    /// A table that may run over several pages; the header repeats on each.
    pub fn table(&mut self, table: &Table) {
        let mut rest: &[Vec<String>] = &table.rows;
        let header_h = table.header_height(self.metrics, self.width());
        self.ensure(header_h + TABLE_ROW_H * rest.len().min(3) as f32);
        loop {
            let room = ((self.bottom() - self.y - header_h) / TABLE_ROW_H).floor();
            let take = (room.max(1.0) as usize).min(rest.len());
            let (now, later) = rest.split_at(take);
            let (x, y, w) = (self.left(), self.y, self.width());
            let used = {
                let mut canvas = self.canvas();
                table.draw_rows(&mut canvas, x, y, w, now)
            };
            self.y += used;
            rest = later;
            if rest.is_empty() {
                break;
            }
            self.new_page();
        }
    }
}
