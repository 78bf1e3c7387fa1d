//! The application layer: every user-facing Insightdesk operation as a UI-agnostic async
//! function. The desktop shell (`src-tauri/`) and the command line (`crates/cli`) are thin
//! adapters over this crate, so what one can do the other can do too, and both are tested
//! here without a window.
//!
//! The desktop talks to this crate through one IPC entry point ([`rpc::dispatch`]); the
//! command table in [`rpc`] is the single declaration of every command's name, arguments and
//! result, and the TypeScript types of the UI are generated from it.

pub mod error;
pub mod info;
pub mod paths;
pub mod rpc;

pub use error::AppError;
pub use info::AppInfo;
pub use paths::DataDir;

/// The application: what every operation needs, built once at start-up by a binary.
#[derive(Debug, Clone)]
pub struct App {
    data_dir: DataDir,
}

impl App {
    /// Builds the application over an already resolved data directory.
    pub fn new(data_dir: DataDir) -> Self {
        Self { data_dir }
    }

    /// Where this profile's database, logs and exports live.
    pub fn data_dir(&self) -> &DataDir {
        &self.data_dir
    }
}
