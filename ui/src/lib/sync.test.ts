import { describe, expect, it } from "vitest";
import type { SyncStatusView } from "./bindings";
import { IDLE, everyText, presentSync, scheduleSentence } from "./sync";

const now = new Date("2026-11-03T18:10:00Z");
const view = (partial: Partial<SyncStatusView> = {}): SyncStatusView => ({
  account: "1",
  running: false,
  data_as_of: "2026-11-03T18:05:00Z",
  last_finished_at: "2026-11-03T18:05:00Z",
  last_status: "succeeded",
  last_warnings: [],
  every_minutes: 60,
  ...partial,
});

describe("presentSync", () => {
  it("shows progress with the step and done of total", () => {
    const bar = presentSync({ ...IDLE, running: true, step: "Reading insights", done: 12, total: 48 }, view(), now, "UTC");
    expect(bar).toMatchObject({ tone: "running", text: "Reading insights", count: "12 of 48", progress: 0.25, action: "cancel" });
  });
  it("shows a pause for Instagram's limits as a warning while the sync waits", () => {
    const bar = presentSync(
      { ...IDLE, running: true, step: "Instagram limits reached, resuming at 19:30.", done: 3, total: 9, resumesAt: "2026-11-03T18:30:00Z" },
      view(),
      now,
      "UTC",
    );
    expect(bar).toMatchObject({ tone: "warn", text: "Instagram limits reached, resuming at 19:30.", count: "3 of 9", action: "cancel" });
  });
  it("says how fresh the data is in the creator's time zone", () => {
    const bar = presentSync(undefined, view(), now, "Europe/Berlin");
    expect(bar.asOf).toBe("Data as of 3 Nov 2026, 19:05 (5 min ago)");
    expect(bar.text).toBe("Syncs every hour while Insightdesk is open.");
    expect(presentSync(undefined, view({ data_as_of: null }), now, "UTC").asOf).toBe("No data read yet");
  });
  it("offers signing in again when the token is gone", () => {
    const bar = presentSync(
      { ...IDLE, message: "Instagram needs you to sign in again before Insightdesk can sync.", failed: true, code: "needs_sign_in" },
      view(),
      now,
      "UTC",
    );
    expect(bar).toMatchObject({ tone: "error", action: "sign_in" });
    expect(bar.text).toMatch(/sign in again/);
  });
  it("shows Instagram's limits as a warning, not an error", () => {
    const bar = presentSync(
      { ...IDLE, message: "Instagram limits reached, resuming at 19:30.", failed: true, code: "throttled" },
      view(),
      now,
      "UTC",
    );
    expect(bar).toMatchObject({ tone: "warn", action: "sync", text: "Instagram limits reached, resuming at 19:30." });
  });
  it("reports a finished sync, its warnings kept apart", () => {
    const bar = presentSync({ ...IDLE, message: "Synced: 2 new posts.", warnings: ["Reach of reels is late."] }, view(), now, "UTC");
    expect(bar).toMatchObject({ tone: "ok", text: "Synced: 2 new posts.", notes: ["Reach of reels is late."] });
    expect(presentSync(undefined, view({ last_warnings: ["Old note."] }), now, "UTC").notes).toEqual(["Old note."]);
  });
  it("groups the counts of Rust's sentences and of the progress like every other figure", () => {
    const done = presentSync(
      { ...IDLE, message: "Synced: 608 new posts, 13217 readings saved, 1222 calls to Instagram.", warnings: ["12000 readings came late."] },
      view(),
      now,
      "UTC",
    );
    expect(done.text).toBe("Synced: 608 new posts, 13,217 readings saved, 1,222 calls to Instagram.");
    expect(done.notes).toEqual(["12,000 readings came late."]);
    const running = presentSync({ ...IDLE, running: true, step: "Reading insights", done: 1024, total: 12480 }, view(), now, "UTC");
    expect(running.count).toBe("1,024 of 12,480");
  });
  it("remembers an unfinished sync from before the window opened", () => {
    expect(presentSync(undefined, view({ last_status: "failed" }), now, "UTC").text).toMatch(/did not finish/);
    expect(presentSync(undefined, view({ running: true }), now, "UTC").tone).toBe("running");
  });
});

describe("schedule sentences", () => {
  it("read like speech", () => {
    expect(scheduleSentence(0)).toBe("Syncs only when you ask.");
    expect(everyText(60)).toBe("every hour");
    expect(everyText(180)).toBe("every 3 hours");
    expect(everyText(30)).toBe("every 30 minutes");
    expect(everyText(1440)).toBe("once a day");
  });
});
