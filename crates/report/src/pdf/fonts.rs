//! The embedded font (DejaVu Sans, licence in `fonts/LICENSE`): its bytes for the PDF, its
//! metrics for layout, and the same bytes registered with plotters and usvg so chart text is
//! laid out and embedded with the font the page uses. usvg silently drops any `<text>` whose
//! font it cannot find, so its database holds exactly these fonts.

use std::sync::{Arc, OnceLock};

use ab_glyph::{Font as _, FontRef};

use crate::ReportError;

pub(crate) static REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
pub(crate) static BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");
/// The family name inside both files; chart SVGs ask for it by name.
pub(crate) const FAMILY: &str = "DejaVu Sans";

/// Glyph advances for measuring text.
pub(crate) struct Metrics {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

impl Metrics {
    /// The advance width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let font = if bold { &self.bold } else { &self.regular };
        let units = font.units_per_em().unwrap_or(2048.0);
        let mut width = 0.0;
        let mut previous = None;
        for c in text.chars() {
            let glyph = font.glyph_id(c);
            if let Some(previous) = previous {
                width += font.kern_unscaled(previous, glyph);
            }
            width += font.h_advance_unscaled(glyph);
            previous = Some(glyph);
        }
        width * size / units
    }
}

struct Loaded {
    metrics: Metrics,
    fontdb: Arc<usvg::fontdb::Database>,
}

fn load() -> Result<Loaded, String> {
    let regular = FontRef::try_from_slice(REGULAR).map_err(|e| e.to_string())?;
    let bold = FontRef::try_from_slice(BOLD).map_err(|e| e.to_string())?;
    let mut db = usvg::fontdb::Database::new();
    db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(REGULAR)));
    db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(BOLD)));
    db.set_sans_serif_family(FAMILY);
    // plotters keeps its own registry; the chart painter measures with `Metrics`, but a
    // chart built with plotters' own layout helpers would measure with this.
    plotters::style::register_font(FAMILY, plotters::style::FontStyle::Normal, REGULAR)
        .map_err(|_| "plotters refused the regular font".to_owned())?;
    plotters::style::register_font(FAMILY, plotters::style::FontStyle::Bold, BOLD)
        .map_err(|_| "plotters refused the bold font".to_owned())?;
    Ok(Loaded {
        metrics: Metrics { regular, bold },
        fontdb: Arc::new(db),
    })
}

fn loaded() -> Result<&'static Loaded, ReportError> {
    static LOADED: OnceLock<Result<Loaded, String>> = OnceLock::new();
    LOADED
        .get_or_init(load)
        .as_ref()
        .map_err(|e| ReportError::Pdf(format!("the embedded font could not be read: {e}")))
}

pub(crate) fn metrics() -> Result<&'static Metrics, ReportError> {
    Ok(&loaded()?.metrics)
}

pub(crate) fn fontdb() -> Result<Arc<usvg::fontdb::Database>, ReportError> {
    Ok(loaded()?.fontdb.clone())
}
