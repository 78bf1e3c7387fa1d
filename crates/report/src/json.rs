//! JSON for integrations: the report model with stable snake_case field names and its
//! `schema_version` ([`crate::REPORT_SCHEMA_VERSION`]).

use std::path::{Path, PathBuf};

use crate::model::Report;
use crate::{ReportError, output};

pub fn render_json(report: &Report) -> Result<Vec<u8>, ReportError> {
    let mut bytes = serde_json::to_vec_pretty(report)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes the report's JSON to `path` (through a temporary file in the same folder).
pub fn write_json(report: &Report, path: &Path) -> Result<PathBuf, ReportError> {
    output::write_bytes(path, &render_json(report)?)
}

/// Writes the plain-text report with the sections of `template` to `path` (through a
/// temporary file in the same folder).
pub fn write_text(
    report: &Report,
    template: crate::ReportTemplate,
    path: &Path,
) -> Result<PathBuf, ReportError> {
    output::write_bytes(path, crate::render_text(report, template).as_bytes())
}
