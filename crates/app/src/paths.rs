//! Where a profile's data lives.
//!
//! Precedence: the `--data-dir` flag, then `INSIGHTDESK_DATA_DIR`, then the platform's data
//! folder (`$XDG_DATA_HOME/insightdesk` on Linux). The binaries read the flag and the
//! environment and pass them in, so this stays a pure function.

use std::path::{Path, PathBuf};

use crate::AppError;

/// The folder name under the platform data directory.
pub const APP_DIR_NAME: &str = "insightdesk";
/// The environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "INSIGHTDESK_DATA_DIR";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir(PathBuf);

impl DataDir {
    /// Picks the data directory from an explicit flag, the environment variable's value and
    /// the platform's data folder, in that order.
    pub fn resolve(
        flag: Option<PathBuf>,
        env_value: Option<PathBuf>,
        platform_data_dir: Option<PathBuf>,
    ) -> Option<Self> {
        flag.or(env_value.filter(|p| !p.as_os_str().is_empty()))
            .or_else(|| platform_data_dir.map(|d| d.join(APP_DIR_NAME)))
            .map(DataDir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Creates the folder (and its parents) if it does not exist yet, readable by this user
    /// only. A folder that exists keeps its permissions (it may be one the user chose to
    /// share); the profile folders inside are made private by [`private_folder`].
    pub fn ensure_exists(&self) -> Result<(), AppError> {
        create_private(&self.0).map_err(|source| AppError::DataDir {
            path: self.0.display().to_string(),
            source,
        })
    }
}

/// Creates missing folders with mode 0700 (on Unix).
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Creates a folder of the app's own (a profile's) readable by this user only, and takes
/// group and other access away if it exists with them: the history, the thumbnails, the
/// report list and the file vault are nobody else's business on a shared computer.
pub fn private_folder(path: &Path) -> std::io::Result<()> {
    create_private(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    Ok(())
}

/// The file that remembers which profile was open last.
const LAST_PROFILE_FILE: &str = "last-profile";

/// The profile opened last time, if the data folder remembers one.
pub fn last_profile(dir: &DataDir) -> Option<crate::ProfileKind> {
    let text = std::fs::read_to_string(dir.path().join(LAST_PROFILE_FILE)).ok()?;
    match text.trim() {
        "demo" => Some(crate::ProfileKind::Demo),
        "main" => Some(crate::ProfileKind::Main),
        _ => None,
    }
}

/// Remembers the open profile; failing to is harmless (the main profile opens next time).
pub fn remember_profile(dir: &DataDir, kind: crate::ProfileKind) {
    if let Err(error) = std::fs::write(dir.path().join(LAST_PROFILE_FILE), kind.name()) {
        log::warn!("could not remember the open profile: {error}");
    }
}

/// The platform's data folder (`$XDG_DATA_HOME`, usually `~/.local/share`, on Linux).
pub fn platform_data_dir() -> Option<PathBuf> {
    dirs::data_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_wins_over_environment_and_platform() {
        let dir = DataDir::resolve(
            Some("/flag".into()),
            Some("/env".into()),
            Some("/home/u/.local/share".into()),
        );
        assert_eq!(dir, Some(DataDir("/flag".into())));
    }

    #[test]
    fn environment_wins_over_platform_unless_empty() {
        let platform = Some(PathBuf::from("/home/u/.local/share"));
        assert_eq!(
            DataDir::resolve(None, Some("/env".into()), platform.clone()),
            Some(DataDir("/env".into()))
        );
        assert_eq!(
            DataDir::resolve(None, Some("".into()), platform),
            Some(DataDir("/home/u/.local/share/insightdesk".into()))
        );
    }

    #[test]
    fn no_platform_folder_and_no_override_is_none() {
        assert_eq!(DataDir::resolve(None, None, None), None);
    }

    #[cfg(unix)]
    #[test]
    fn data_and_profile_folders_are_private_to_the_user() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let root = tempfile::tempdir().unwrap();
        let data = DataDir(root.path().join("new").join("insightdesk"));
        data.ensure_exists().unwrap();
        assert_eq!(mode(data.path()), 0o700);
        assert_eq!(mode(&root.path().join("new")), 0o700);

        // A profile folder left readable by others (an older version, a copied folder) is
        // made private; one that exists already private stays so.
        let profile = data.path().join("profiles").join("main");
        std::fs::create_dir_all(&profile).unwrap();
        std::fs::set_permissions(&profile, std::fs::Permissions::from_mode(0o755)).unwrap();
        private_folder(&profile).unwrap();
        assert_eq!(mode(&profile), 0o700);
        private_folder(&profile).unwrap();
        assert_eq!(mode(&profile), 0o700);

        // A folder the user named that exists keeps its permissions.
        let shared = root.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o750)).unwrap();
        DataDir(shared.clone()).ensure_exists().unwrap();
        assert_eq!(mode(&shared), 0o750);
    }
}
