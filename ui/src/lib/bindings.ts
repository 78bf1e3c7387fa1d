// Generated from crates/app/src/rpc.rs by `UPDATE_BINDINGS=1 cargo test -p insightdesk-app`.
// Do not edit: a test fails when this file differs from what Rust declares.

export type AccountArgs = { account: string, };

/**
 * A connected Instagram account as the UI shows it. No token in it.
 */
export type AccountView = { 
/**
 * Meta's id of the professional account.
 */
id: string, username: string | null, provider: Provider, 
/**
 * The Facebook Page it is linked to (Facebook Login).
 */
page_name: string | null, 
/**
 * When the sign-in ends (ISO 8601), if it ends.
 */
sign_in_expires_at: string | null, health: SignInHealth, };

/**
 * Something the UI should hear about without asking: progress, results, warnings.
 */
export type AppEvent = { "type": "sync_progress", account: string, step: string, done: number, total: number, } | { "type": "sync_finished", account: string, summary: string, warnings: Array<string>, } | { "type": "sync_failed", account: string, code: ErrorCode, message: string, } | { "type": "alert", title: string, body: string, } | { "type": "session_changed" };

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
export type ErrorCode = "failed" | "needs_sign_in" | "no_account" | "setup_required" | "keyring_unavailable" | "cancelled" | "throttled";

/**
 * What the webview receives when a command fails.
 */
export type ErrorPayload = { code: ErrorCode, message: string, };

/**
 * The command's arguments: none.
 */
export type NoArgs = Record<symbol, never>;

export type OwnAppArgs = { provider: Provider, app_id: string, 
/**
 * Goes straight to the keyring; never stored elsewhere, never sent back.
 */
app_secret: string, };

/**
 * Which profile is open.
 */
export type ProfileKind = "main" | "demo";

/**
 * Which of Meta's two sign-ins.
 */
export type Provider = "facebook" | "instagram";

/**
 * Whether each sign-in can start, and how.
 */
export type ProviderSetup = { provider: Provider, 
/**
 * "own_app" (App ID saved), "broker" (the build's sign-in service), or "needs_setup".
 */
method: string, 
/**
 * The saved App ID, when the own-app path is set up.
 */
app_id: string | null, };

/**
 * Everything the UI needs to draw its frame: profile, accounts, the one on screen, setup.
 */
export type SessionState = { profile: ProfileKind, accounts: Array<AccountView>, active_account: string | null, providers: Array<ProviderSetup>, 
/**
 * The exact redirect URI to register in a Meta app for the own-app path.
 */
redirect_uri: string, };

export type SignInArgs = { provider: Provider, };

/**
 * How healthy an account's sign-in is.
 */
export type SignInHealth = { "state": "fine" } | { "state": "refresh_due" } | { "state": "expires_soon", days: number, } | { "state": "expired" };

/**
 * What a sign-in added, and what it could not add (with what to do about it).
 */
export type SignInResult = { accounts: Array<AccountView>, notes: Array<string>, };

export type SignOutArgs = { 
/**
 * One account; all accounts of the profile when absent.
 */
account: string | null, };

/** Every command the desktop answers: its arguments and its result. */
export interface Commands {
  /** The app's version and data folder. */
  app_info: { args: NoArgs; output: AppInfo };
  /** The profile, the connected accounts, the one on screen, and how sign-in is set up. */
  session_state: { args: NoArgs; output: SessionState };
  /** Opens the demo and signs its creator in (once) through the real flow. */
  explore_demo: { args: NoArgs; output: SessionState };
  /** Leaves the demo for the creator's own profile. */
  leave_demo: { args: NoArgs; output: SessionState };
  /** Signs in with Meta in the browser and waits for it to come back. */
  sign_in: { args: SignInArgs; output: SignInResult };
  /** Stops a sign-in that waits for the browser. */
  cancel_sign_in: { args: NoArgs; output: boolean };
  /** Saves the own Meta app's App ID, and its App Secret into the keyring. */
  save_own_app: { args: OwnAppArgs; output: SessionState };
  /** Puts an account on screen. */
  select_account: { args: AccountArgs; output: SessionState };
  /** Signs an account (or all) out: revokes at Meta, deletes the tokens, keeps the history. */
  sign_out: { args: SignOutArgs; output: SessionState };
}

export const COMMAND_NAMES = ["app_info", "session_state", "explore_demo", "leave_demo", "sign_in", "cancel_sign_in", "save_own_app", "select_account", "sign_out"] as const;
