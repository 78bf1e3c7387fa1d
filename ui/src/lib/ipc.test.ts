import { describe, expect, it } from "vitest";
import { errorMessage } from "./ipc";

describe("errorMessage", () => {
  it("uses the payload's sentence", () => {
    expect(errorMessage({ code: "failed", message: "Sign in again." })).toBe("Sign in again.");
  });
  it("falls back to a plain sentence for anything else", () => {
    expect(errorMessage(undefined)).toMatch(/Something went wrong/);
    expect(errorMessage({ message: "" })).toMatch(/Something went wrong/);
  });
  it("keeps a string rejection", () => {
    expect(errorMessage("The window closed.")).toBe("The window closed.");
  });
});
