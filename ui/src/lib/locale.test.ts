import { describe, expect, it } from "vitest";
import { usableLanguage } from "./locale";

describe("usableLanguage", () => {
  it("keeps real language tags and replaces the C locale", () => {
    expect(usableLanguage("de-DE")).toBe("de-DE");
    expect(usableLanguage("en")).toBe("en");
    expect(usableLanguage("C")).toBe("en-US");
    expect(usableLanguage("")).toBe("en-US");
    expect(usableLanguage(undefined)).toBe("en-US");
  });
});
