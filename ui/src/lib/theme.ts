// Light, dark, or the system's choice, applied as `data-theme` on <html> (app.css holds the
// tokens of both).

export type ThemeChoice = "system" | "light" | "dark";

export function resolveTheme(choice: string, systemPrefersDark: boolean): "light" | "dark" {
  if (choice === "light" || choice === "dark") return choice;
  return systemPrefersDark ? "dark" : "light";
}

/** Applies a choice now and follows the system while the choice is "system". Returns a
 * function that stops following. */
export function applyTheme(choice: string): () => void {
  const query = window.matchMedia("(prefers-color-scheme: dark)");
  const set = () => {
    document.documentElement.dataset.theme = resolveTheme(choice, query.matches);
  };
  set();
  if (choice !== "system") return () => {};
  query.addEventListener("change", set);
  return () => query.removeEventListener("change", set);
}
