// What every screen does with a command's answer: ask again whenever what it depends on
// changes (the account, the range, fresh data), keep only the newest answer, and turn a
// failure into the sentence to show.
import { errorMessage } from "./ipc";
import { ui } from "./state.svelte";

export class Loaded<T> {
  data = $state<T | null>(null);
  problem = $state<string | null>(null);
  loading = $state(true);

  /** `ask` reads its reactive inputs before it awaits anything, and returns null when there
   * is nothing to ask yet. Must be created while a component initialises. */
  constructor(ask: () => Promise<T> | null) {
    $effect(() => {
      void ui.dataVersion;
      const pending = ask();
      if (!pending) return;
      let stale = false;
      this.loading = true;
      pending
        .then((answer) => {
          if (stale) return;
          this.data = answer;
          this.problem = null;
        })
        .catch((error) => {
          if (!stale) this.problem = errorMessage(error);
        })
        .finally(() => {
          if (!stale) this.loading = false;
        });
      return () => {
        stale = true;
      };
    });
  }
}
