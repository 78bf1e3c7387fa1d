// The UI's one way into Rust: every command goes through the `rpc` Tauri command, typed by the
// bindings generated from crates/app/src/rpc.rs.
import { invoke } from "@tauri-apps/api/core";
import type { Commands, ErrorPayload } from "./bindings";

export type CommandName = keyof Commands;

/** Calls a command; rejects with an `ErrorPayload` whose message is meant for the user. */
export async function call<K extends CommandName>(
  name: K,
  args: Commands[K]["args"],
): Promise<Commands[K]["output"]> {
  return invoke<Commands[K]["output"]>("rpc", { name, args });
}

/** The sentence to show for anything a command rejected with. */
export function errorMessage(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error) {
    const message = (error as Partial<ErrorPayload>).message;
    if (typeof message === "string" && message.length > 0) return message;
  }
  if (typeof error === "string" && error.length > 0) return error;
  return "Something went wrong inside Insightdesk. Please try again.";
}
