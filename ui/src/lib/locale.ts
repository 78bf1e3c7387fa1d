// WebKitGTK reports the process locale as the page's language; under LANG=C (servers, CI,
// minimal desktops) that is "C", which Intl rejects with a RangeError. uPlot formats with
// navigator.language when its module loads, so an unusable tag must be replaced before any
// other module runs: main.ts imports this module first.

/** `tag` when Intl accepts it as a language, else "en-US". */
export function usableLanguage(tag: string | undefined | null): string {
  if (!tag) return "en-US";
  try {
    new Intl.NumberFormat(tag);
    return tag;
  } catch {
    return "en-US";
  }
}

if (typeof navigator !== "undefined") {
  const language = usableLanguage(navigator.language);
  if (language !== navigator.language) {
    Object.defineProperty(navigator, "language", { value: language, configurable: true });
    Object.defineProperty(navigator, "languages", { value: [language], configurable: true });
  }
}
