import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Definition } from "./bindings";

const definitions: Definition[] = [{ measure: "story_completion", label: "Story completion", text: "Story completion: the share of views that stayed." }];
const calls: string[] = [];
let answer: () => Promise<unknown> = async () => ({ definitions });
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));
vi.mock("./ipc", () => ({
  call: vi.fn(async (name: string) => {
    calls.push(name);
    return answer();
  }),
  errorMessage: (e: unknown) => String(e),
}));

const { ensureDefinitions, glossary, keepDefinitions } = await import("./glossary.svelte");

beforeEach(() => {
  calls.length = 0;
  glossary.definitions = [];
  answer = async () => ({ definitions });
});

describe("the glossary", () => {
  it("asks for the definitions once, with the overview, when no screen brought them", async () => {
    await Promise.all([ensureDefinitions(), ensureDefinitions()]);
    expect(calls).toEqual(["overview"]);
    expect(glossary.definitions).toEqual(definitions);
    await ensureDefinitions();
    expect(calls).toEqual(["overview"]);
  });
  it("does not ask when the overview or a report already brought them", async () => {
    keepDefinitions(definitions);
    await ensureDefinitions();
    expect(calls).toEqual([]);
  });
  it("asks again later when asking failed, and keeps nothing empty", async () => {
    answer = async () => Promise.reject(new Error("no store"));
    await ensureDefinitions();
    keepDefinitions([]);
    expect(glossary.definitions).toEqual([]);
    answer = async () => ({ definitions });
    await ensureDefinitions();
    expect(calls).toEqual(["overview", "overview"]);
    expect(glossary.definitions).toEqual(definitions);
  });
});
