import { beforeEach, describe, expect, it, vi } from "vitest";

const calls: { name: string; args: unknown }[] = [];
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));
vi.mock("./ipc", () => ({
  call: vi.fn(async (name: string, args: unknown) => {
    calls.push({ name, args });
    if (name === "sync_status") {
      return { account: "1", running: false, data_as_of: "2026-11-03T18:05:00Z", last_finished_at: null, last_status: "succeeded", last_warnings: [], every_minutes: 60 };
    }
    return null;
  }),
  errorMessage: (e: unknown) => String(e),
}));

const { activeSync, applyEvent, ui } = await import("./state.svelte");

beforeEach(() => {
  calls.length = 0;
  ui.syncs = {};
  ui.dataVersion = 0;
  ui.alerts = [];
  ui.unread = 0;
  ui.session = { profile: "demo", accounts: [], active_account: "1", providers: [], redirect_uri: "" };
});

describe("applyEvent", () => {
  it("tracks each account's progress apart", () => {
    applyEvent({ type: "sync_progress", account: "1", step: "Listing posts", done: 2, total: 10, resumes_at: null });
    applyEvent({ type: "sync_progress", account: "2", step: "Reading insights", done: 7, total: 8, resumes_at: null });
    expect(activeSync()).toMatchObject({ running: true, step: "Listing posts", done: 2, total: 10 });
    expect(ui.syncs["2"]?.step).toBe("Reading insights");
  });
  it("reloads the screens when the account on screen finished, not for another one", () => {
    applyEvent({ type: "sync_finished", account: "2", summary: "Synced.", warnings: [] });
    expect(ui.dataVersion).toBe(0);
    applyEvent({ type: "sync_finished", account: "1", summary: "Synced: 3 new posts.", warnings: [] });
    expect(ui.dataVersion).toBe(1);
    expect(activeSync()).toMatchObject({ running: false, message: "Synced: 3 new posts.", failed: false });
    expect(calls.map((c) => c.name)).toContain("sync_status");
  });
  it("keeps a failure's code so the bar can offer signing in again", () => {
    applyEvent({ type: "sync_failed", account: "1", code: "needs_sign_in", message: "Sign in again." });
    expect(activeSync()).toMatchObject({ failed: true, code: "needs_sign_in", message: "Sign in again." });
    applyEvent({ type: "sync_progress", account: "1", step: "Listing posts", done: 0, total: 3, resumes_at: null });
    expect(activeSync()).toMatchObject({ running: true, failed: false, message: null });
  });
  it("keeps the resume time of a pause for Instagram's limits, and drops it when the sync goes on", () => {
    applyEvent({ type: "sync_progress", account: "1", step: "Instagram limits reached, resuming at 15:32.", done: 4, total: 9, resumes_at: "2026-11-26T14:32:00Z" });
    expect(activeSync()).toMatchObject({ running: true, resumesAt: "2026-11-26T14:32:00Z", done: 4 });
    applyEvent({ type: "sync_progress", account: "1", step: "Reading insights", done: 5, total: 9, resumes_at: null });
    expect(activeSync().resumesAt).toBeNull();
  });
  it("keeps alerts newest first and counts the unread", () => {
    applyEvent({ type: "alert", title: "Unusual reach", body: "Your reel reached 5× the usual." });
    applyEvent({ type: "alert", title: "New mention", body: "@a mentioned you." });
    expect(ui.alerts.map((t) => t.title)).toEqual(["New mention", "Unusual reach"]);
    expect(ui.unread).toBe(2);
  });
});
