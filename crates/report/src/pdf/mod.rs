//! The PDF: a template's sections on A4 or Letter pages drawn with krilla, the embedded
//! DejaVu Sans font (so every text, chart labels included, is selectable), charts as vector
//! graphics, page numbers.

mod chart;
mod compose;
mod fonts;
mod layout;

use std::path::{Path, PathBuf};

use chrono::{Datelike, Timelike};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::{DateTime as PdfDateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Data, Document};
use krilla_svg::{SurfaceExt, SvgSettings};

use self::layout::{Color, Geometry, Op, Page};
use crate::model::Report;
use crate::template::ReportTemplate;
use crate::{ReportError, output};

/// The paper size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PdfOptions {
    pub paper: Paper,
    pub template: ReportTemplate,
}

fn geometry(paper: Paper) -> Geometry {
    let (width, height) = paper.size();
    Geometry {
        width,
        height,
        margin_x: 44.0,
        margin_top: 44.0,
        margin_bottom: 54.0,
    }
}

/// The report as PDF bytes.
pub fn render_pdf(report: &Report, options: &PdfOptions) -> Result<Vec<u8>, ReportError> {
    let metrics = fonts::metrics()?;
    let geometry = geometry(options.paper);
    let pages = compose::compose(report, options.template, metrics, geometry)?;
    let regular = Font::new(Data::from(fonts::REGULAR), 0)
        .ok_or_else(|| ReportError::Pdf("the regular font could not be loaded".into()))?;
    let bold = Font::new(Data::from(fonts::BOLD), 0)
        .ok_or_else(|| ReportError::Pdf("the bold font could not be loaded".into()))?;
    let settings = PageSettings::from_wh(geometry.width, geometry.height)
        .ok_or_else(|| ReportError::Pdf("the paper size is not valid".into()))?;

    let mut document = Document::new();
    for page in pages {
        let mut pdf_page = document.start_page_with(settings.clone());
        let mut surface = pdf_page.surface();
        draw_page(&mut surface, page, &regular, &bold);
        surface.finish();
        pdf_page.finish();
    }
    document.set_metadata(metadata(report, options.template));
    document
        .finish()
        .map_err(|e| ReportError::Pdf(format!("{e:?}")))
}

/// Writes the report's PDF to `path` (through a temporary file in the same folder).
pub fn write_pdf(
    report: &Report,
    path: &Path,
    options: &PdfOptions,
) -> Result<PathBuf, ReportError> {
    let bytes = render_pdf(report, options)?;
    output::write_bytes(path, &bytes)
}

fn metadata(report: &Report, template: ReportTemplate) -> Metadata {
    let at = report.generated_at;
    let created = PdfDateTime::new(u16::try_from(at.year()).unwrap_or(1970))
        .month(at.month() as u8)
        .day(at.day() as u8)
        .hour(at.hour() as u8)
        .minute(at.minute() as u8)
        .second(at.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    Metadata::new()
        .title(format!(
            "{} @{}, {}",
            match template {
                ReportTemplate::Full => "Instagram report",
                ReportTemplate::Summary => "Instagram summary",
                ReportTemplate::Brand => "Media kit",
            },
            report.account.username,
            report.period_title
        ))
        .creator("Insightdesk".to_owned())
        .language("en".to_owned())
        .creation_date(created)
}

fn paint(color: Color) -> krilla::paint::Paint {
    rgb::Color::new(color.0, color.1, color.2).into()
}

fn draw_page(surface: &mut Surface<'_>, page: Page, regular: &Font, bold: &Font) {
    for op in page.ops {
        match op {
            Op::Text {
                x,
                y,
                size,
                bold: is_bold,
                color,
                text,
            } => {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: paint(color),
                    opacity: NormalizedF32::ONE,
                    rule: FillRule::NonZero,
                }));
                let font = if is_bold { bold } else { regular };
                surface.draw_text(
                    Point::from_xy(x, y),
                    font.clone(),
                    size,
                    &text,
                    false,
                    TextDirection::Auto,
                );
            }
            Op::Rect { x, y, w, h, color } => {
                let mut builder = PathBuilder::new();
                if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                    builder.push_rect(rect);
                }
                if let Some(path) = builder.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: paint(color),
                        opacity: NormalizedF32::ONE,
                        rule: FillRule::NonZero,
                    }));
                    surface.draw_path(&path);
                }
            }
            Op::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
            } => {
                let mut builder = PathBuilder::new();
                builder.move_to(x1, y1);
                builder.line_to(x2, y2);
                if let Some(path) = builder.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: paint(color),
                        width,
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                }
            }
            Op::Svg { x, y, w, h, tree } => {
                if let Some(size) = Size::from_wh(w, h) {
                    surface.push_transform(&Transform::from_translate(x, y));
                    surface.draw_svg(&tree, size, SvgSettings::default());
                    surface.pop();
                }
            }
        }
    }
}
