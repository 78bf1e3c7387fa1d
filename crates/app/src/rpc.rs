//! The IPC command table: the one place that declares each command's name, argument type and
//! result type.
//!
//! The desktop shell registers a single Tauri command that forwards `(name, args)` to
//! [`dispatch`]; the UI calls it through a typed wrapper whose types come from
//! [`typescript_bindings`], written to `ui/src/lib/bindings.ts`. A test in this crate fails when
//! that file is stale, so Rust and TypeScript cannot drift apart. Keeping dispatch here rather
//! than in the shell means every command can be exercised headless, including the check that
//! no answer ever carries a secret.

use std::any::TypeId;
use std::collections::BTreeMap;
use std::collections::HashSet;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use ts_rs::{Config, TS, TypeVisitor};

use crate::error::ErrorPayload;
use crate::{App, AppError};

/// Declares the command table. Each line is `name(Args) -> Output => handler;` where the handler
/// is `async fn(&App, Args) -> Result<Output, AppError>`.
macro_rules! commands {
    ($( $(#[doc = $doc:literal])* $name:ident($args:ty) -> $out:ty => $handler:path; )*) => {
        /// The names of every command, in declaration order.
        pub const COMMAND_NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Runs the command `name` with JSON arguments and returns its JSON answer.
        pub async fn dispatch(
            app: &Arc<App>,
            name: &str,
            args: serde_json::Value,
        ) -> Result<serde_json::Value, AppError> {
            match name {
                $(stringify!($name) => {
                    let args: $args = parse_args(name, args)?;
                    let output: $out = $handler(app, args).await?;
                    Ok(serde_json::to_value(output)?)
                })*
                other => Err(AppError::UnknownCommand(other.to_owned())),
            }
        }

        /// The TypeScript declarations of every command and every type they use.
        pub fn typescript_bindings() -> String {
            let cfg = ts_config();
            let mut decls = Declarations::default();
            decls.add::<ErrorPayload>(&cfg);
            decls.add::<crate::host::AppEvent>(&cfg);
            let mut entries = Vec::new();
            $(
                decls.add::<$args>(&cfg);
                decls.add::<$out>(&cfg);
                let docs: &[&str] = &[$($doc),*];
                entries.push(CommandEntry {
                    name: stringify!($name),
                    docs: docs.iter().map(|d| d.trim()).collect::<Vec<_>>().join(" "),
                    args: <$args as TS>::name(&cfg),
                    output: <$out as TS>::name(&cfg),
                });
            )*
            render(&decls, &entries)
        }
    };
}

commands! {
    /// The app's version and data folder.
    app_info(crate::info::NoArgs) -> crate::AppInfo => crate::info::app_info;
    /// The profile, the connected accounts, the one on screen, and how sign-in is set up.
    session_state(crate::info::NoArgs) -> crate::accounts::SessionState => crate::accounts::session_state;
    /// Opens the demo and signs its creator in (once) through the real flow.
    explore_demo(crate::info::NoArgs) -> crate::accounts::SessionState => crate::accounts::explore_demo;
    /// Leaves the demo for the creator's own profile.
    leave_demo(crate::info::NoArgs) -> crate::accounts::SessionState => crate::accounts::leave_demo;
    /// Signs in with Meta in the browser and waits for it to come back.
    sign_in(crate::accounts::SignInArgs) -> crate::accounts::SignInResult => crate::accounts::sign_in;
    /// Stops a sign-in that waits for the browser.
    cancel_sign_in(crate::info::NoArgs) -> bool => crate::accounts::cancel_sign_in;
    /// Saves the own Meta app's App ID, and its App Secret into the keyring.
    save_own_app(crate::accounts::OwnAppArgs) -> crate::accounts::SessionState => crate::accounts::save_own_app;
    /// Puts an account on screen.
    select_account(crate::accounts::AccountArgs) -> crate::accounts::SessionState => crate::accounts::select_account;
    /// Signs an account (or all) out: revokes at Meta, deletes the tokens, keeps the history.
    sign_out(crate::accounts::SignOutArgs) -> crate::accounts::SessionState => crate::accounts::sign_out_account;
    /// Starts a sync in the background; progress and the outcome arrive as events.
    sync_now(crate::syncing::SyncArgs) -> crate::syncing::SyncStatusView => crate::syncing::sync_now;
    /// Whether a sync runs, how the last one ended, and how fresh the data is.
    sync_status(crate::syncing::SyncArgs) -> crate::syncing::SyncStatusView => crate::syncing::sync_status;
    /// Stops a running sync; what it read so far stays.
    cancel_sync(crate::syncing::SyncArgs) -> bool => crate::syncing::cancel_sync;
    /// KPIs with deltas, followers/reach/views charts, content mix and top posts for a range.
    overview(crate::dashboard::RangeArgs) -> crate::dashboard::Overview => crate::dashboard::overview;
    /// The content table: filtered, searched, sorted, paged.
    content(crate::dashboard::ContentArgs) -> crate::dashboard::ContentPage => crate::dashboard::content;
    /// One post with its growth curve against the median of its kind.
    post_detail(crate::dashboard::PostArgs) -> crate::dashboard::PostDetail => crate::dashboard::post_detail;
    /// The newest comments on the creator's posts and mentions of them, from the store.
    engagement(crate::engagement::EngagementArgs) -> crate::engagement::EngagementView => crate::engagement::engagement;
    /// Captured stories, their capture state and navigation.
    stories(crate::dashboard::RangeArgs) -> crate::dashboard::StoriesView => crate::dashboard::stories;
    /// Demographics and when followers are online.
    audience(crate::syncing::SyncArgs) -> crate::dashboard::AudienceView => crate::dashboard::audience;
    /// The weekday × hour grid with sample sizes and an honest summary.
    best_time(crate::dashboard::RangeArgs) -> crate::dashboard::BestTimeView => crate::dashboard::best_time;
    /// The report of a period, for the preview.
    report_preview(crate::reports::ReportArgs) -> insightdesk_report::Report => crate::reports::report_preview;
    /// Writes a report (PDF, CSV or JSON) where the save dialog says.
    report_export(crate::reports::ExportArgs) -> crate::reports::ReportRecord => crate::reports::report_export;
    /// Reports made before, newest first.
    report_history(crate::info::NoArgs) -> Vec<crate::reports::ReportRecord> => crate::reports::report_history;
    /// Every table of the history as CSV into a folder the user picks.
    export_all(crate::info::NoArgs) -> Vec<String> => crate::reports::export_all;
    /// The settings and what the settings screen shows besides.
    settings_get(crate::info::NoArgs) -> crate::settings::SettingsView => crate::settings::settings_get;
    /// Saves the settings after checking them.
    settings_save(crate::settings::Settings) -> crate::settings::SettingsView => crate::settings::settings_save;
    /// Asks for a folder with the system dialog; null when the dialog was closed.
    choose_folder(crate::folders::ChooseFolderArgs) -> Option<String> => crate::folders::choose_folder;
    /// Opens a stored post's instagram.com permalink in the browser; returns the address.
    open_post(crate::dashboard::PostArgs) -> String => crate::permalinks::open_post;
    /// Signs every account out, forgets the Meta app's credentials, deletes the open profile's
    /// folder and opens the creator's own profile afresh.
    wipe_profile(crate::info::NoArgs) -> crate::accounts::SessionState => crate::wipe::wipe_profile;
}

fn parse_args<T: DeserializeOwned>(command: &str, args: serde_json::Value) -> Result<T, AppError> {
    // `invoke("rpc", { name })` without args arrives as null: treat it as an empty object so
    // commands without arguments need no ceremony in the UI.
    let args = if args.is_null() {
        serde_json::Value::Object(Default::default())
    } else {
        args
    };
    serde_path_to_error::deserialize(args).map_err(|e| AppError::InvalidArguments {
        command: command.to_owned(),
        detail: e.to_string(),
    })
}

fn ts_config() -> Config {
    // Our integers stay far below 2^53, and JSON gives the UI numbers, not bigints.
    Config::new().with_large_int("number")
}

struct CommandEntry {
    name: &'static str,
    docs: String,
    args: String,
    output: String,
}

/// Every declared type reachable from the commands, keyed by name for a stable order.
#[derive(Default)]
struct Declarations {
    seen: HashSet<TypeId>,
    by_name: BTreeMap<String, String>,
}

impl Declarations {
    fn add<T: TS + 'static + ?Sized>(&mut self, cfg: &Config) {
        if !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        // Derived types have an output path; primitives and containers do not, but their
        // parameters may still be declared types, so walk into them either way.
        if T::output_path().is_some() {
            let docs = T::docs().unwrap_or_default();
            self.by_name
                .insert(T::ident(cfg), format!("{docs}export {}", T::decl(cfg)));
        }
        let mut visitor = Visit { cfg, decls: self };
        T::visit_dependencies(&mut visitor);
        T::visit_generics(&mut visitor);
    }
}

struct Visit<'a> {
    cfg: &'a Config,
    decls: &'a mut Declarations,
}

impl TypeVisitor for Visit<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        self.decls.add::<T>(self.cfg);
    }
}

fn render(decls: &Declarations, entries: &[CommandEntry]) -> String {
    let mut out = String::from(
        "// Generated from crates/app/src/rpc.rs by `UPDATE_BINDINGS=1 cargo test -p insightdesk-app`.\n\
         // Do not edit: a test fails when this file differs from what Rust declares.\n\n",
    );
    for decl in decls.by_name.values() {
        out.push_str(decl);
        out.push_str("\n\n");
    }
    out.push_str("/** Every command the desktop answers: its arguments and its result. */\n");
    out.push_str("export interface Commands {\n");
    for entry in entries {
        if !entry.docs.is_empty() {
            out.push_str(&format!("  /** {} */\n", entry.docs));
        }
        out.push_str(&format!(
            "  {}: {{ args: {}; output: {} }};\n",
            entry.name, entry.args, entry.output
        ));
    }
    out.push_str("}\n\nexport const COMMAND_NAMES = [");
    let names: Vec<String> = entries.iter().map(|e| format!("\"{}\"", e.name)).collect();
    out.push_str(&names.join(", "));
    out.push_str("] as const;\n");
    out
}
