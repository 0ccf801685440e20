//! Native file dialogs (`@tauri-apps/plugin-dialog`). They return a path chosen by the
//! user, or null when the dialog is cancelled; errors become `AppError`s.
import { open, save } from '@tauri-apps/plugin-dialog';
import { toAppError } from './error';

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** Asks for one existing file; null when cancelled. */
export async function pickFile(title: string, filters: FileFilter[] = []): Promise<string | null> {
  try {
    const picked = await open({ title, multiple: false, directory: false, filters });
    return typeof picked === 'string' ? picked : null;
  } catch (raw) {
    throw toAppError(raw);
  }
}

/** Asks for a folder; null when cancelled. */
export async function pickDirectory(title: string): Promise<string | null> {
  try {
    const picked = await open({ title, multiple: false, directory: true });
    return typeof picked === 'string' ? picked : null;
  } catch (raw) {
    throw toAppError(raw);
  }
}

/** Asks where to save a file; null when cancelled. */
export async function pickSavePath(
  title: string,
  defaultPath: string,
  filters: FileFilter[] = [],
): Promise<string | null> {
  try {
    const picked = await save({ title, defaultPath, filters });
    return typeof picked === 'string' ? picked : null;
  } catch (raw) {
    throw toAppError(raw);
  }
}
