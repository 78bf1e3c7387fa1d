// The UI's shared state: the session frame (profile, accounts), the screen on view, the range,
// the theme and time zone, and each account's sync fed by events from Rust. Screens read it;
// only the functions here change it.
import { listen } from "@tauri-apps/api/event";
import type { AppEvent, RangeChoice, SessionState, SyncStatusView } from "./bindings";
import { call, errorMessage } from "./ipc";
import { IDLE, type LiveSync } from "./sync";
import { applyTheme } from "./theme";

export type Screen =
  | "overview"
  | "content"
  | "post"
  | "stories"
  | "audience"
  | "best_time"
  | "reports"
  | "settings";

export interface Alert {
  id: number;
  title: string;
  body: string;
  /** When it arrived (ISO 8601). */
  at: string;
}

export const ui = $state({
  session: null as SessionState | null,
  loading: true,
  /** A sentence for the banner at the top, or null. */
  error: null as string | null,
  screen: "overview" as Screen,
  /** The post whose page is open (screen "post"). */
  postId: null as string | null,
  /** The range the overview, content, stories and best-time screens show. */
  range: { kind: "last28" } as RangeChoice,
  timeZone: "UTC",
  theme: "system",
  /** What this window heard about each account's sync, by account id. */
  syncs: {} as Record<string, LiveSync>,
  /** What the store says about the account on screen's syncs. */
  syncView: null as SyncStatusView | null,
  /** Bumped whenever stored data changed, so screens reload. */
  dataVersion: 0,
  /** Alerts raised since the window opened, newest first; `unread` of them not yet seen. */
  alerts: [] as Alert[],
  unread: 0,
});

let stopTheme: () => void = () => {};
let alertId = 0;

export function go(screen: Screen, postId: string | null = null): void {
  ui.screen = screen;
  ui.postId = postId;
}

export function setTheme(choice: string): void {
  ui.theme = choice;
  stopTheme();
  stopTheme = applyTheme(choice);
}

export function setRange(range: RangeChoice): void {
  ui.range = range;
}

/** Keeps an alert for the alerts panel (the desktop notification is Rust's). */
export function addAlert(title: string, body: string, at: Date = new Date()): void {
  ui.alerts = [{ id: ++alertId, title, body, at: at.toISOString() }, ...ui.alerts].slice(0, 50);
  ui.unread += 1;
}

export function clearAlerts(): void {
  ui.alerts = [];
  ui.unread = 0;
}

/** The live sync state of the account on screen. */
export function activeSync(): LiveSync {
  const account = ui.session?.active_account;
  return (account && ui.syncs[account]) || IDLE;
}

export async function refreshSession(): Promise<void> {
  try {
    ui.session = await call("session_state", {});
    ui.error = null;
    const view = await call("settings_get", {});
    ui.timeZone = view.settings.time_zone;
    if (view.settings.theme !== ui.theme) setTheme(view.settings.theme);
    await refreshSyncStatus();
  } catch (error) {
    ui.error = errorMessage(error);
  } finally {
    ui.loading = false;
  }
}

/** Reads the store's sync status of the account on screen; starts the first sync of an
 * account that has never been read, so a new connection fills itself. */
export async function refreshSyncStatus(): Promise<void> {
  const account = ui.session?.active_account;
  if (!account) {
    ui.syncView = null;
    return;
  }
  let view: SyncStatusView;
  try {
    view = await call("sync_status", { account });
  } catch {
    // Right after a sign-in the account can be in the vault a moment before the store has
    // it: ask once more shortly instead of showing an error that fixes itself.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    try {
      view = await call("sync_status", { account });
    } catch (error) {
      ui.error = errorMessage(error);
      return;
    }
  }
  try {
    if (ui.session?.active_account !== account) return;
    ui.syncView = view;
    const live = ui.syncs[account];
    if (!view.running && view.data_as_of === null && view.last_status === null && !live?.running && !live?.message) {
      await startSync();
    }
  } catch (error) {
    ui.error = errorMessage(error);
  }
}

export async function startSync(): Promise<void> {
  const account = ui.session?.active_account;
  if (!account) return;
  ui.syncs[account] = { ...IDLE, running: true };
  try {
    ui.syncView = await call("sync_now", { account });
  } catch (error) {
    ui.syncs[account] = { ...IDLE, message: errorMessage(error), failed: true, code: codeOf(error) };
  }
}

export async function cancelSync(): Promise<void> {
  const account = ui.session?.active_account;
  if (!account) return;
  try {
    await call("cancel_sync", { account });
  } catch (error) {
    ui.error = errorMessage(error);
  }
}

function codeOf(error: unknown): LiveSync["code"] {
  if (typeof error === "object" && error !== null && "code" in error) {
    return (error as { code: LiveSync["code"] }).code;
  }
  return "failed";
}

/** Applies one event from Rust to the state. Exported for tests. */
export function applyEvent(event: AppEvent): void {
  switch (event.type) {
    case "sync_progress": {
      const before = ui.syncs[event.account] ?? IDLE;
      ui.syncs[event.account] = {
        ...before,
        running: true,
        message: null,
        failed: false,
        code: null,
        step: event.step,
        done: event.done,
        total: event.total,
        resumesAt: event.resumes_at,
      };
      break;
    }
    case "sync_finished":
      ui.syncs[event.account] = { ...IDLE, message: event.summary, warnings: event.warnings };
      afterSync(event.account);
      break;
    case "sync_failed":
      ui.syncs[event.account] = { ...IDLE, message: event.message, failed: true, code: event.code };
      afterSync(event.account);
      break;
    case "session_changed":
      void refreshSession();
      break;
    case "data_changed":
      ui.dataVersion += 1;
      break;
    case "alert":
      addAlert(event.title, event.body);
      break;
  }
}

function afterSync(account: string): void {
  if (account === ui.session?.active_account) {
    ui.dataVersion += 1;
    void refreshSyncStatus();
  }
}

export async function startListening(): Promise<() => void> {
  return listen<AppEvent>("app-event", (message) => applyEvent(message.payload));
}
