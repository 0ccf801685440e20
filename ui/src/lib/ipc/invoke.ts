//! The one place that calls Tauri's `invoke`, typed against the generated command map:
//! a command that does not exist, a missing or extra argument, or a wrong result type
//! does not compile. Every rejection becomes an `AppError`.
import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type { Args, CommandName, Result } from './generated/commands';
import { toAppError } from './error';

/** The arguments of `C`; a command without arguments takes exactly `{}`. */
export type CallArgs<C extends CommandName> = keyof Args<C> extends never ? Record<string, never> : Args<C>;

export async function call<C extends CommandName>(command: C, args: CallArgs<C>): Promise<Result<C>> {
  try {
    return await invoke<Result<C>>(command, args as InvokeArgs);
  } catch (raw) {
    throw toAppError(raw);
  }
}
