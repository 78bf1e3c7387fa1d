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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_write_that_fails_halfway_leaves_the_old_file_and_no_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.pdf");
        std::fs::write(&target, "the older report").unwrap();
        let result = stage(&target, |out| {
            out.write_all(b"%PDF-1.7 half a rep")
                .map_err(|e| ReportError::cannot_write(&target, e))?;
            Err(ReportError::Pdf("the renderer gave up".into()))
        });
        assert!(matches!(result, Err(ReportError::Pdf(_))));
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "the older report"
        );
        assert_eq!(names(dir.path()), ["report.pdf"]);
    }

    #[test]
    fn staged_files_appear_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let first = stage(&dir.path().join("a.csv"), |out| {
            out.write_all(b"a\r\n")
                .map_err(|e| ReportError::cannot_write(Path::new("a.csv"), e))
        })
        .unwrap();
        let second = stage(&dir.path().join("b.csv"), |out| {
            out.write_all(b"b\r\n")
                .map_err(|e| ReportError::cannot_write(Path::new("b.csv"), e))
        })
        .unwrap();
        // Only the temporary files exist until the commit.
        assert!(
            names(dir.path())
                .iter()
                .all(|n| n.starts_with(".insightdesk-"))
        );
        let written = commit_all(vec![first, second]).unwrap();
        assert_eq!(written.len(), 2);
        assert_eq!(names(dir.path()), ["a.csv", "b.csv"]);
        assert_eq!(std::fs::read(dir.path().join("b.csv")).unwrap(), b"b\r\n");
    }

    #[test]
    fn a_bare_file_name_is_written_in_the_current_folder() {
        assert_eq!(folder_of(Path::new("report.pdf")), Path::new("."));
        assert_eq!(folder_of(Path::new("out/report.pdf")), Path::new("out"));
    }
}
