//! Events the backend sends on its own (the only `listen` of the app).
import { listen } from '@tauri-apps/api/event';

/** The backend locked the session by itself (the computer is going to sleep). Returns
 *  a function that stops listening. */
export function onBackendLocked(handler: (reason: string) => void): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  listen<string>('locked', (e) => handler(e.payload)).then(
    (unlisten) => {
      if (stopped) unlisten();
      else stop = unlisten;
    },
    () => undefined, // no event channel (e.g. a page outside the app): nothing to hear
  );
  return () => {
    stopped = true;
    stop?.();
  };
}
