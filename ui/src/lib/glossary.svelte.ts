// The definitions of the report crate's measures (report::measure), as the KPI cards show
// them. They reach the UI with the overview and the report; screens whose answer does not
// carry them (a post, stories, audience, best time) read them from here, so every hover in
// the window says the same thing as the PDF.
import type { Definition } from "./bindings";
import { call } from "./ipc";
import { ui } from "./state.svelte";

export const glossary = $state({ definitions: [] as Definition[] });

let asking: Promise<void> | null = null;

/** Keeps the definitions a command answered with. */
export function keepDefinitions(definitions: Definition[]): void {
  if (definitions.length > 0) glossary.definitions = definitions;
}

/** Asks for the definitions once when no screen has brought them yet (the window opened on
 * another screen, or the overview failed). They come with the overview; there is no command
 * of their own. */
export function ensureDefinitions(): Promise<void> {
  if (glossary.definitions.length > 0) return Promise.resolve();
  asking ??= call("overview", { account: ui.session?.active_account ?? null, range: $state.snapshot(ui.range) })
    .then((overview) => keepDefinitions(overview.definitions))
    .catch(() => {
      // Without them the hovers that need them stay away; the next screen asks again.
    })
    .finally(() => {
      asking = null;
    });
  return asking;
}
