//! Writing files: always into a temporary file beside the target, renamed into place only once
//! it is complete and on disk, so a failure never leaves a half-written report behind (and
//! never damages an older report of the same name).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::ReportError;

/// A finished temporary file waiting to be renamed into place.
pub(crate) struct Staged {
    file: NamedTempFile,
    target: PathBuf,
}

impl Staged {
    /// Renames the file into place (atomic within one file system).
    pub fn commit(self) -> Result<PathBuf, ReportError> {
        self.file
            .persist(&self.target)
            .map_err(|e| ReportError::cannot_write(&self.target, e.error))?;
        Ok(self.target)
    }
}

/// The folder a file is written into; a bare file name means the current folder.
fn folder_of(target: &Path) -> &Path {
    match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Writes `fill`'s output to a temporary file in `target`'s folder and syncs it. Dropping the
/// returned value (or any error on the way) deletes the temporary file.
pub(crate) fn stage(
    target: &Path,
    fill: impl FnOnce(&mut BufWriter<&File>) -> Result<(), ReportError>,
) -> Result<Staged, ReportError> {
    if target.is_dir() {
        return Err(ReportError::IsAFolder {
            path: target.to_owned(),
        });
    }
    let file = tempfile::Builder::new()
        .prefix(".insightdesk-")
        .suffix(".part")
        .tempfile_in(folder_of(target))
        .map_err(|e| ReportError::cannot_write(target, e))?;
    {
        let mut out = BufWriter::new(file.as_file());
        fill(&mut out)?;
        out.flush()
            .map_err(|e| ReportError::cannot_write(target, e))?;
    }
    file.as_file()
        .sync_all()
        .map_err(|e| ReportError::cannot_write(target, e))?;
    Ok(Staged {
        file,
        target: target.to_owned(),
    })
}

/// Writes `bytes` to `target` through a temporary file.
pub(crate) fn write_bytes(target: &Path, bytes: &[u8]) -> Result<PathBuf, ReportError> {
    stage(target, |out| {
        out.write_all(bytes)
            .map_err(|e| ReportError::cannot_write(target, e))
    })?
    .commit()
}

/// Makes sure `folder` exists and is a folder.
pub(crate) fn ensure_folder(folder: &Path) -> Result<(), ReportError> {
    if folder.exists() && !folder.is_dir() {
        return Err(ReportError::NotAFolder {
            path: folder.to_owned(),
        });
    }
    std::fs::create_dir_all(folder).map_err(|e| ReportError::cannot_write(folder, e))
}

/// Renames every staged file into place. All files were written completely before the
/// first rename, so a failure can only come from the rename itself.
pub(crate) fn commit_all(staged: Vec<Staged>) -> Result<Vec<PathBuf>, ReportError> {
    staged.into_iter().map(Staged::commit).collect()
}
