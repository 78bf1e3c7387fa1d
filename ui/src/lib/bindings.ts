// Generated from crates/app/src/rpc.rs by `UPDATE_BINDINGS=1 cargo test -p insightdesk-app`.
// Do not edit: a test fails when this file differs from what Rust declares.

/**
 * The app's version and where it keeps its data.
 */
export type AppInfo = { 
/**
 * The version of this build, e.g. "0.1.0".
 */
version: string, 
/**
 * The folder that holds this profile's database, logs and exports.
 */
data_dir: string, };

/**
 * Stable codes for the few errors the UI treats differently from "show the message".
 */
export type ErrorCode = "failed";

/**
 * What the webview receives when a command fails.
 */
export type ErrorPayload = { code: ErrorCode, message: string, };

/**
 * The command's arguments: none.
 */
export type NoArgs = Record<symbol, never>;

/** Every command the desktop answers: its arguments and its result. */
export interface Commands {
  /** The app's version and data folder. */
  app_info: { args: NoArgs; output: AppInfo };
}

export const COMMAND_NAMES = ["app_info"] as const;
